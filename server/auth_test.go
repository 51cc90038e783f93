package server_test

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/heyan-dev/heyan/server"
)

// forger signs tokens the way an attacker (or a buggy issuer) might, with
// the claims of a real session so that only the forged aspect is wrong.
type forger struct {
	t      *testing.T
	priv   ed25519.PrivateKey
	kid    string
	claims jwt.MapClaims
}

func newForger(t *testing.T, h *harness, access string) *forger {
	t.Helper()
	block, _ := pem.Decode(h.keyPEM)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(access, claims); err != nil {
		t.Fatal(err)
	}
	return &forger{t: t, priv: k.(ed25519.PrivateKey), kid: h.key.ID, claims: claims}
}

// with returns the real claims with some changed; a nil value deletes.
func (f *forger) with(changes map[string]any) jwt.MapClaims {
	c := jwt.MapClaims{}
	for k, v := range f.claims {
		c[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func (f *forger) sign(method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	f.t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *forger) ed(claims jwt.MapClaims) string {
	return f.sign(jwt.SigningMethodEdDSA, f.priv, f.kid, claims)
}

func TestAccessTokens(t *testing.T) {
	h := newHarness(t)
	_, g := h.register()
	f := newForger(t, h, g.AccessToken)
	now := h.clock.Now()
	pub := f.priv.Public().(ed25519.PublicKey)
	pubDER, _ := x509.MarshalPKIXPublicKey(pub)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	_, otherPriv, _ := ed25519.GenerateKey(nil)

	parts := strings.Split(g.AccessToken, ".")
	flip := func(s string) string {
		b := []byte(s)
		if b[len(b)/2] == 'A' {
			b[len(b)/2] = 'B'
		} else {
			b[len(b)/2] = 'A'
		}
		return string(b)
	}
	otherPayload := strings.Split(f.ed(f.with(map[string]any{"sub": "someone-else"})), ".")[1]

	unauthorized := []string{`"code":"unauthorized"`}
	records := func(name, token string, status int, body ...string) scenario {
		if body == nil && status == http.StatusUnauthorized {
			body = unauthorized
		}
		return scenario{name: name, req: request{method: "GET", path: "/api/v1/records", token: token}, wantStatus: status, wantBody: body}
	}
	h.run(t, []scenario{
		records("the real token", g.AccessToken, http.StatusOK, `"records":[]`),
		records("a re-signed copy of the real claims", f.ed(f.with(nil)), http.StatusOK),
		records("no token", "", http.StatusUnauthorized),
		{name: "Basic scheme", req: request{method: "GET", path: "/api/v1/records", headers: map[string]string{"Authorization": "Basic " + g.AccessToken}}, wantStatus: http.StatusUnauthorized, wantBody: unauthorized},
		records("garbage", "not.a.jwt", http.StatusUnauthorized),
		records("alg none", f.sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, f.kid, f.with(nil)), http.StatusUnauthorized),
		records("alg none without signature segment", strings.Join(strings.Split(f.sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, f.kid, f.with(nil)), ".")[:2], ".")+".", http.StatusUnauthorized),
		records("HS256 keyed with the Ed25519 public key", f.sign(jwt.SigningMethodHS256, []byte(pub), f.kid, f.with(nil)), http.StatusUnauthorized),
		records("HS256 keyed with the public key PEM", f.sign(jwt.SigningMethodHS256, pubPEM, f.kid, f.with(nil)), http.StatusUnauthorized),
		records("expired", f.ed(f.with(map[string]any{"iat": now.Add(-11 * time.Minute).Unix(), "exp": now.Add(-time.Minute).Unix()})), http.StatusUnauthorized),
		records("no exp", f.ed(f.with(map[string]any{"exp": nil})), http.StatusUnauthorized),
		records("issued in the future", f.ed(f.with(map[string]any{"iat": now.Add(time.Hour).Unix(), "exp": now.Add(2 * time.Hour).Unix()})), http.StatusUnauthorized),
		records("issued within the clock skew ahead", f.ed(f.with(map[string]any{"iat": now.Add(server.ClockSkew - time.Second).Unix()})), http.StatusOK),
		records("issued just past the clock skew ahead", f.ed(f.with(map[string]any{"iat": now.Add(server.ClockSkew + time.Second).Unix()})), http.StatusUnauthorized),
		records("expired just past the clock skew", f.ed(f.with(map[string]any{"exp": now.Add(-server.ClockSkew - time.Second).Unix()})), http.StatusUnauthorized),
		records("wrong iss", f.ed(f.with(map[string]any{"iss": "someone-else"})), http.StatusUnauthorized),
		records("no iss", f.ed(f.with(map[string]any{"iss": nil})), http.StatusUnauthorized),
		records("wrong aud", f.ed(f.with(map[string]any{"aud": []string{"other-api"}})), http.StatusUnauthorized),
		records("no aud", f.ed(f.with(map[string]any{"aud": nil})), http.StatusUnauthorized),
		records("tampered signature", parts[0]+"."+parts[1]+"."+flip(parts[2]), http.StatusUnauthorized),
		records("tampered payload", parts[0]+"."+otherPayload+"."+parts[2], http.StatusUnauthorized),
		records("signed by another key under our kid", f.sign(jwt.SigningMethodEdDSA, otherPriv, f.kid, f.with(nil)), http.StatusUnauthorized),
		records("unknown kid", f.sign(jwt.SigningMethodEdDSA, f.priv, "ed-unknown", f.with(nil)), http.StatusUnauthorized),
		records("no kid", f.sign(jwt.SigningMethodEdDSA, f.priv, "", f.with(nil)), http.StatusUnauthorized),
		records("validly signed, unknown session", f.ed(f.with(map[string]any{"sid": "no-such-session"})), http.StatusUnauthorized),
		records("validly signed, another account's subject", f.ed(f.with(map[string]any{"sub": "someone-else"})), http.StatusUnauthorized),
		records("validly signed, stale security stamp", f.ed(f.with(map[string]any{"stm": 0})), http.StatusUnauthorized),
	})
	if r := h.do(request{method: "GET", path: "/api/v1/records"}); r.header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
}

func TestAccessTokenExpiresWithClock(t *testing.T) {
	h := newHarness(t)
	_, g := h.register()
	h.clock.Advance(server.AccessTokenTTL + server.ClockSkew - time.Second)
	h.run(t, []scenario{{name: "just before expiry and the skew allowance", req: request{method: "GET", path: "/api/v1/records", token: g.AccessToken}, wantStatus: http.StatusOK}})
	h.clock.Advance(2 * time.Second)
	h.run(t, []scenario{{name: "just after expiry and the skew allowance", req: request{method: "GET", path: "/api/v1/records", token: g.AccessToken}, wantStatus: http.StatusUnauthorized}})
}

// TestReplicaClockSkew: two replicas share the store and the signing key,
// one clock a second behind the other. A token either issues works on the
// other at once, in both directions; without the allowance the one behind
// refuses a token issued "in the future".
func TestReplicaClockSkew(t *testing.T) {
	ahead := newHarness(t)
	behind := newHarnessOn(t, ahead.store)
	behind.rebuild(server.Config{}, ahead.key)
	behind.clock.Advance(-time.Second)
	for _, tc := range []struct {
		name          string
		issuer, check *harness
	}{
		{"issued ahead, checked behind", ahead, behind},
		{"issued behind, checked ahead", behind, ahead},
	} {
		u, g := tc.issuer.register()
		tc.check.run(t, []scenario{
			{name: tc.name + ": fresh access token", req: get(g.AccessToken), wantStatus: http.StatusOK},
			{name: tc.name + ": sign-in on the other replica", req: request{method: "POST", path: "/api/v1/sessions", body: u.login()}, wantStatus: http.StatusOK},
		})
		fresh, r := tc.check.refresh(g.RefreshToken)
		if r.status != http.StatusOK {
			t.Fatalf("%s: refresh on the other replica = %d %s", tc.name, r.status, r.body)
		}
		tc.issuer.run(t, []scenario{{name: tc.name + ": token refreshed on the other replica", req: get(fresh.AccessToken), wantStatus: http.StatusOK}})
	}
}

// TestHS256Keys runs the server on an HS256 secret: its own tokens work; an
// EdDSA token under the secret's kid does not.
func TestHS256Keys(t *testing.T) {
	h := newHarness(t)
	hs, err := server.ParseKey([]byte(b64(randBytes(32))))
	if err != nil {
		t.Fatal(err)
	}
	if hs.Alg != server.AlgHS256 {
		t.Fatalf("a base64 secret parsed as %s", hs.Alg)
	}
	h.rebuild(server.Config{}, hs)
	_, g := h.register()
	f := newForger(t, h, g.AccessToken)
	_, otherPriv, _ := ed25519.GenerateKey(nil)
	h.run(t, []scenario{
		{name: "HS256 token", req: request{method: "GET", path: "/api/v1/records", token: g.AccessToken}, wantStatus: http.StatusOK},
		{name: "EdDSA token under the HS256 kid", req: request{method: "GET", path: "/api/v1/records", token: f.sign(jwt.SigningMethodEdDSA, otherPriv, hs.ID, f.with(nil))}, wantStatus: http.StatusUnauthorized},
		{name: "HS256 token under a wrong secret", req: request{method: "GET", path: "/api/v1/records", token: f.sign(jwt.SigningMethodHS256, randBytes(32), hs.ID, f.with(nil))}, wantStatus: http.StatusUnauthorized},
	})
	if _, err := server.ParseKey([]byte(b64(randBytes(31)))); err == nil {
		t.Error("a 31-byte HS256 secret was accepted")
	}
}

// TestKeyRotation: tokens signed by the old key keep working while it is a
// verification key, and stop when it is dropped.
func TestKeyRotation(t *testing.T) {
	h := newHarness(t)
	u, g := h.register()
	newPEM, _ := server.GenerateKeyFile()
	newKey, _ := server.ParseKey(newPEM)

	// Verify-only: the public half of the old key.
	block, _ := pem.Decode(h.keyPEM)
	priv, _ := x509.ParsePKCS8PrivateKey(block.Bytes)
	der, _ := x509.MarshalPKIXPublicKey(priv.(ed25519.PrivateKey).Public())
	oldPublic, err := server.ParseKey(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	if err != nil {
		t.Fatal(err)
	}
	if oldPublic.CanSign() || oldPublic.ID != h.key.ID {
		t.Fatalf("public half: CanSign %v, ID %s (want %s)", oldPublic.CanSign(), oldPublic.ID, h.key.ID)
	}
	if _, err := server.NewKeyring(oldPublic); err == nil {
		t.Error("a keyring with a public-only signing key was accepted")
	}

	h.rebuild(server.Config{}, newKey, oldPublic)
	g2 := h.login(u)
	h.run(t, []scenario{
		{name: "old key's token during rotation", req: request{method: "GET", path: "/api/v1/records", token: g.AccessToken}, wantStatus: http.StatusOK},
		{name: "new key's token", req: request{method: "GET", path: "/api/v1/records", token: g2.AccessToken}, wantStatus: http.StatusOK},
	})
	h.rebuild(server.Config{}, newKey)
	h.run(t, []scenario{
		{name: "old key's token after it is dropped", req: request{method: "GET", path: "/api/v1/records", token: g.AccessToken}, wantStatus: http.StatusUnauthorized},
		{name: "new key's token", req: request{method: "GET", path: "/api/v1/records", token: g2.AccessToken}, wantStatus: http.StatusOK},
	})
}
