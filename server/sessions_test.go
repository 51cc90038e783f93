package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
)

func get(token string) request {
	return request{method: "GET", path: "/api/v1/records", token: token}
}

func refreshReq(token string) request {
	return request{method: "POST", path: "/api/v1/sessions/refresh", body: map[string]string{"refreshToken": token}}
}

func TestRefreshRotatesAndReuseRevokes(t *testing.T) {
	h := newHarness(t)
	_, g1 := h.register()
	g2, r := h.refresh(g1.RefreshToken)
	if r.status != http.StatusOK || g2.RefreshToken == g1.RefreshToken || g2.AccessToken == "" || g2.ExpiresIn != 600 || g2.WrappedKey != "" {
		t.Fatalf("refresh = %d %s", r.status, r.body)
	}
	h.clock.Advance(time.Minute)
	g3, r := h.refresh(g2.RefreshToken)
	if r.status != http.StatusOK {
		t.Fatalf("second refresh = %d %s", r.status, r.body)
	}
	h.clock.Advance(time.Minute)
	h.run(t, []scenario{
		{name: "access token of the live session", req: get(g3.AccessToken), wantStatus: http.StatusOK},
		{name: "reuse of the first refresh token", req: refreshReq(g1.RefreshToken), wantStatus: http.StatusUnauthorized, wantBody: []string{`"unauthorized"`}},
		{name: "the newest refresh token after reuse", req: refreshReq(g3.RefreshToken), wantStatus: http.StatusUnauthorized},
		{name: "the newest access token after reuse", req: get(g3.AccessToken), wantStatus: http.StatusUnauthorized},
		{name: "an unknown refresh token", req: refreshReq("made-up"), wantStatus: http.StatusUnauthorized},
		{name: "no refresh token", req: request{method: "POST", path: "/api/v1/sessions/refresh", body: map[string]string{}}, wantStatus: http.StatusBadRequest, wantBody: []string{"refreshToken"}},
	})
}

// TestReuseAfterPurgeRevokes: a used refresh token replayed after the
// purge dropped it (it is older than the refresh lifetime) must still
// revoke its session, if the session lives on. The scenario: a thief
// exchanged the stolen token and keeps the session alive by refreshing; the
// victim comes back after a month with the token the thief already used.
func TestReuseAfterPurgeRevokes(t *testing.T) {
	h := newHarness(t)
	_, stolen := h.register()
	thief, r := h.refresh(stolen.RefreshToken)
	if r.status != http.StatusOK {
		t.Fatalf("refresh = %d %s", r.status, r.body)
	}
	for range 4 { // the thief refreshes every 10 days, the session never idles out
		h.clock.Advance(10 * 24 * time.Hour)
		if thief, r = h.refresh(thief.RefreshToken); r.status != http.StatusOK {
			t.Fatalf("thief's refresh = %d %s", r.status, r.body)
		}
	}
	if err := h.svc.Purge(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.run(t, []scenario{
		{name: "the session lives on after the purge", req: get(thief.AccessToken), wantStatus: http.StatusOK},
		{name: "the victim presents the used, purged token", req: refreshReq(stolen.RefreshToken), wantStatus: http.StatusUnauthorized},
		{name: "the thief's access token after the replay", req: get(thief.AccessToken), wantStatus: http.StatusUnauthorized},
		{name: "the thief's refresh token after the replay", req: refreshReq(thief.RefreshToken), wantStatus: http.StatusUnauthorized},
	})
}

// TestRefreshGrace: a refresh whose response was lost may be retried once
// within 30 s while its successor is unused, and not otherwise.
func TestRefreshGrace(t *testing.T) {
	t.Run("retry within 30 s, successor unused: accepted", func(t *testing.T) {
		h := newHarness(t)
		_, g := h.register()
		lost, _ := h.refresh(g.RefreshToken)
		h.clock.Advance(server.RefreshGrace)
		again, r := h.refresh(g.RefreshToken)
		if r.status != http.StatusOK {
			t.Fatalf("retry = %d %s", r.status, r.body)
		}
		h.run(t, []scenario{
			{name: "the retry's access token", req: get(again.AccessToken), wantStatus: http.StatusOK},
			{name: "the retry's refresh token", req: refreshReq(again.RefreshToken), wantStatus: http.StatusOK},
		})
		// The lost successor was retired: it is reuse now.
		h.run(t, []scenario{
			{name: "the retired successor", req: refreshReq(lost.RefreshToken), wantStatus: http.StatusUnauthorized},
			{name: "the session after the retired token came back", req: get(again.AccessToken), wantStatus: http.StatusUnauthorized},
		})
	})
	t.Run("retry after 30 s: session revoked", func(t *testing.T) {
		h := newHarness(t)
		_, g := h.register()
		next, _ := h.refresh(g.RefreshToken)
		h.clock.Advance(server.RefreshGrace + time.Second)
		h.run(t, []scenario{
			{name: "late retry", req: refreshReq(g.RefreshToken), wantStatus: http.StatusUnauthorized},
			{name: "successor after the late retry", req: refreshReq(next.RefreshToken), wantStatus: http.StatusUnauthorized},
			{name: "access token after the late retry", req: get(next.AccessToken), wantStatus: http.StatusUnauthorized},
		})
	})
	t.Run("retry within 30 s after the successor was used: session revoked", func(t *testing.T) {
		h := newHarness(t)
		_, g := h.register()
		next, _ := h.refresh(g.RefreshToken)
		h.clock.Advance(time.Second)
		newest, r := h.refresh(next.RefreshToken)
		if r.status != http.StatusOK {
			t.Fatal(r.status)
		}
		h.clock.Advance(time.Second)
		h.run(t, []scenario{
			{name: "retry of the grandparent", req: refreshReq(g.RefreshToken), wantStatus: http.StatusUnauthorized},
			{name: "newest token after it", req: refreshReq(newest.RefreshToken), wantStatus: http.StatusUnauthorized},
		})
	})
	t.Run("only one retry", func(t *testing.T) {
		h := newHarness(t)
		_, g := h.register()
		h.refresh(g.RefreshToken)
		again, r := h.refresh(g.RefreshToken)
		if r.status != http.StatusOK {
			t.Fatal(r.status)
		}
		h.run(t, []scenario{
			{name: "a second retry", req: refreshReq(g.RefreshToken), wantStatus: http.StatusUnauthorized},
			{name: "the first retry's token after it", req: refreshReq(again.RefreshToken), wantStatus: http.StatusUnauthorized},
		})
	})
}

func TestLogoutKillsTokens(t *testing.T) {
	h := newHarness(t)
	u, g := h.register()
	other := h.login(u)
	h.run(t, []scenario{
		{name: "current session", req: request{method: "GET", path: "/api/v1/sessions/current", token: g.AccessToken}, wantStatus: http.StatusOK, wantBody: []string{`{"accountId":"`}},
		{name: "before sign-out", req: get(g.AccessToken), wantStatus: http.StatusOK},
		{name: "sign-out", req: request{method: "DELETE", path: "/api/v1/sessions/current", token: g.AccessToken}, wantStatus: http.StatusNoContent},
		{name: "access token after sign-out", req: get(g.AccessToken), wantStatus: http.StatusUnauthorized},
		{name: "current session after sign-out", req: request{method: "GET", path: "/api/v1/sessions/current", token: g.AccessToken}, wantStatus: http.StatusUnauthorized},
		{name: "refresh token after sign-out", req: refreshReq(g.RefreshToken), wantStatus: http.StatusUnauthorized},
		{name: "sign-out again", req: request{method: "DELETE", path: "/api/v1/sessions/current", token: g.AccessToken}, wantStatus: http.StatusUnauthorized},
		{name: "another session of the same account", req: get(other.AccessToken), wantStatus: http.StatusOK},
	})
}

func TestPasswordChange(t *testing.T) {
	h := newHarness(t)
	u, mine := h.register()
	other := h.login(u)
	newKey, newSalt, newWrapped := randBytes(32), randBytes(16), randBytes(80)
	change := func(authKey []byte) map[string]any {
		return map[string]any{
			"authKey": b64(authKey), "newAuthKey": b64(newKey),
			"newKdf":        kdfWith(newSalt),
			"newWrappedKey": b64(newWrapped),
		}
	}
	h.run(t, []scenario{
		{name: "wrong current authKey", req: request{method: "POST", path: "/api/v1/account/password", token: mine.AccessToken, body: change(randBytes(32))}, wantStatus: http.StatusUnauthorized},
		{name: "new KDF too weak", req: request{method: "POST", path: "/api/v1/account/password", token: mine.AccessToken, body: func() map[string]any {
			c := change(u.authKey)
			c["newKdf"].(map[string]any)["iterations"] = 1
			return c
		}()}, wantStatus: http.StatusBadRequest, wantBody: []string{"newKdf.iterations", "iterations 3"}},
		{name: "new KDF stronger than published", req: request{method: "POST", path: "/api/v1/account/password", token: mine.AccessToken, body: func() map[string]any {
			c := change(u.authKey)
			c["newKdf"].(map[string]any)["memoryKiB"] = 2 * server.KDFMemoryKiB
			return c
		}()}, wantStatus: http.StatusBadRequest, wantBody: []string{"newKdf.memoryKiB", "memoryKiB 65536"}},
		{name: "new salt of 32 bytes", req: request{method: "POST", path: "/api/v1/account/password", token: mine.AccessToken, body: func() map[string]any {
			c := change(u.authKey)
			c["newKdf"].(map[string]any)["salt"] = b64(randBytes(32))
			return c
		}()}, wantStatus: http.StatusBadRequest, wantBody: []string{"newKdf.salt", "16-byte salt"}},
		{name: "no token", req: request{method: "POST", path: "/api/v1/account/password", body: change(u.authKey)}, wantStatus: http.StatusUnauthorized},
	})
	r := h.do(request{method: "POST", path: "/api/v1/account/password", token: mine.AccessToken, body: change(u.authKey)})
	if r.status != http.StatusOK {
		t.Fatalf("password change = %d %s", r.status, r.body)
	}
	var fresh grant
	r.json(t, &fresh)
	newUser := u
	newUser.authKey = newKey
	h.run(t, []scenario{
		{name: "the caller's old access token", req: get(mine.AccessToken), wantStatus: http.StatusUnauthorized},
		{name: "the caller's old refresh token", req: refreshReq(mine.RefreshToken), wantStatus: http.StatusUnauthorized},
		{name: "another session's access token", req: get(other.AccessToken), wantStatus: http.StatusUnauthorized},
		{name: "another session's refresh token", req: refreshReq(other.RefreshToken), wantStatus: http.StatusUnauthorized},
		{name: "the new access token", req: get(fresh.AccessToken), wantStatus: http.StatusOK},
		{name: "sign-in with the old key", req: request{method: "POST", path: "/api/v1/sessions", body: u.login()}, wantStatus: http.StatusUnauthorized},
		{name: "sign-in with the new key", req: request{method: "POST", path: "/api/v1/sessions", body: newUser.login()}, wantStatus: http.StatusOK, wantBody: []string{`"wrappedKey":"` + b64(newWrapped) + `"`}},
		{name: "prelogin shows the new salt", req: request{method: "POST", path: "/api/v1/prelogin", body: map[string]string{"email": u.email}}, wantStatus: http.StatusOK, wantBody: []string{`"memoryKiB":65536`, `"salt":"` + b64(newSalt) + `"`}},
	})
	if _, r := h.refresh(fresh.RefreshToken); r.status != http.StatusOK {
		t.Errorf("the new refresh token = %d %s", r.status, r.body)
	}
}

func TestDeleteAccount(t *testing.T) {
	h := newHarness(t)
	u, g := h.register()
	other := h.login(u)
	put := request{method: "PUT", path: "/api/v1/records/r1", token: g.AccessToken, body: map[string]string{"data": b64(randBytes(50))}, headers: map[string]string{"If-None-Match": "*"}}
	h.run(t, []scenario{
		{name: "a record to erase", req: put, wantStatus: http.StatusCreated},
		{name: "without the authKey", req: request{method: "DELETE", path: "/api/v1/accounts/current", token: g.AccessToken, body: map[string]string{}}, wantStatus: http.StatusBadRequest, wantBody: []string{"authKey"}},
		{name: "with a wrong authKey", req: request{method: "DELETE", path: "/api/v1/accounts/current", token: g.AccessToken, body: map[string]string{"authKey": b64(randBytes(32))}}, wantStatus: http.StatusUnauthorized},
		{name: "delete", req: request{method: "DELETE", path: "/api/v1/accounts/current", token: g.AccessToken, body: map[string]string{"authKey": b64(u.authKey)}}, wantStatus: http.StatusNoContent},
		{name: "access token after deletion", req: get(g.AccessToken), wantStatus: http.StatusUnauthorized},
		{name: "other session after deletion", req: get(other.AccessToken), wantStatus: http.StatusUnauthorized},
		{name: "refresh after deletion", req: refreshReq(other.RefreshToken), wantStatus: http.StatusUnauthorized},
		{name: "sign-in after deletion", req: request{method: "POST", path: "/api/v1/sessions", body: u.login()}, wantStatus: http.StatusUnauthorized},
		{name: "the email is free again", req: request{method: "POST", path: "/api/v1/accounts", body: u.signup()}, wantStatus: http.StatusCreated},
	})
	g2 := h.login(u)
	h.run(t, []scenario{{name: "the new account has no records", req: get(g2.AccessToken), wantStatus: http.StatusOK, wantBody: []string{`"records":[]`}}})
}

func TestSignUpValidation(t *testing.T) {
	h := newHarness(t)
	u := newUser()
	with := func(change func(m map[string]any)) map[string]any {
		m := u.signup()
		m["kdf"] = u.kdf()
		change(m)
		return m
	}
	kdf := func(field string, v any) map[string]any {
		return with(func(m map[string]any) { m["kdf"].(map[string]any)[field] = v })
	}
	signup := func(name string, body any, status int, frags ...string) scenario {
		return scenario{name: name, req: request{method: "POST", path: "/api/v1/accounts", body: body}, wantStatus: status, wantBody: frags}
	}
	h.run(t, []scenario{
		signup("authKey of 31 bytes", with(func(m map[string]any) { m["authKey"] = b64(randBytes(31)) }), 400, "authKey", "32 bytes"),
		signup("authKey of 33 bytes", with(func(m map[string]any) { m["authKey"] = b64(randBytes(33)) }), 400, "authKey"),
		signup("authKey with padding", with(func(m map[string]any) { m["authKey"] = b64(randBytes(32)) + "=" }), 400, "authKey", "base64url"),
		signup("authKey in standard base64", with(func(m map[string]any) { m["authKey"] = "+/" + b64(randBytes(30))[2:] }), 400, "authKey"),
		signup("salt of 15 bytes", kdf("salt", b64(randBytes(15))), 400, "kdf.salt", "16-byte salt"),
		signup("salt of 17 bytes", kdf("salt", b64(randBytes(17))), 400, "kdf.salt"),
		signup("salt of 64 bytes", kdf("salt", b64(randBytes(64))), 400, "kdf.salt"),
		signup("memoryKiB 19455", kdf("memoryKiB", 19455), 400, "kdf.memoryKiB", "memoryKiB 65536"),
		signup("memoryKiB above the published value", kdf("memoryKiB", 131072), 400, "kdf.memoryKiB", "memoryKiB 65536"),
		signup("iterations 1", kdf("iterations", 1), 400, "kdf.iterations", "iterations 3"),
		signup("iterations 4", kdf("iterations", 4), 400, "kdf.iterations"),
		signup("parallelism 0", kdf("parallelism", 0), 400, "kdf.parallelism", "parallelism 4"),
		signup("parallelism 1", kdf("parallelism", 1), 400, "kdf.parallelism"),
		signup("argon2i", kdf("alg", "argon2i"), 400, "kdf.alg", `\"argon2id\"`),
		signup("OWASP's minimum, which is not the server's", with(func(m map[string]any) {
			m["kdf"] = map[string]any{"alg": "argon2id", "memoryKiB": 19456, "iterations": 2, "parallelism": 1, "salt": b64(randBytes(16))}
		}), 400, "kdf.memoryKiB", "GET /api/v1/kdf"),
		signup("memoryKiB not a number", kdf("memoryKiB", "lots"), 400, "kdf.memoryKiB", "whole number"),
		signup("no kdf", with(func(m map[string]any) { delete(m, "kdf") }), 400, `\"kdf\" is required`),
		signup("no wrappedKey", with(func(m map[string]any) { delete(m, "wrappedKey") }), 400, "wrappedKey"),
		signup("bad email", with(func(m map[string]any) { m["email"] = "not an email" }), 400, "email"),
		signup("the published parameters", u.signup(), 201, `"accountId":"`),
		signup("taken email", u.signup(), 409, `"code":"email_taken"`),
		signup("taken email in other case", with(func(m map[string]any) { m["email"] = " " + strings.ToUpper(u.email) }), 409, `"email_taken"`),
	})
}

// TestNoEnumeration: unknown and known emails get identically shaped
// answers from prelogin and identical failures from sign-in.
func TestNoEnumeration(t *testing.T) {
	h := newHarness(t, withLimits(1000, 1000))
	known, _ := h.register()
	unknown := newUser()

	prelogin := func(email string) map[string]map[string]any {
		r := h.do(request{method: "POST", path: "/api/v1/prelogin", body: map[string]string{"email": email}})
		if r.status != http.StatusOK {
			t.Fatalf("prelogin = %d %s", r.status, r.body)
		}
		var v map[string]map[string]any
		r.json(t, &v)
		return v
	}
	shape := func(v map[string]map[string]any) string {
		keys := []string{}
		for k, x := range v["kdf"] {
			keys = append(keys, fmt.Sprintf("%s:%T", k, x))
		}
		sort.Strings(keys)
		return fmt.Sprint(len(v), keys, len(v["kdf"]["salt"].(string)))
	}
	k, u1, u2 := prelogin(known.email), prelogin(unknown.email), prelogin(unknown.email)
	if shape(k) != shape(u1) {
		t.Errorf("prelogin shapes differ: known %s, unknown %s", shape(k), shape(u1))
	}
	for _, f := range []string{"alg", "memoryKiB", "iterations", "parallelism"} {
		if u1["kdf"][f] != k["kdf"][f] {
			t.Errorf("unknown email's %s = %v, an account's %v", f, u1["kdf"][f], k["kdf"][f])
		}
	}
	for name, v := range map[string]map[string]map[string]any{"known": k, "unknown": u1} {
		salt, err := base64.RawURLEncoding.DecodeString(v["kdf"]["salt"].(string))
		if err != nil || len(salt) != server.KDFSaltSize {
			t.Errorf("%s email's salt %q is %d bytes (%v), want %d", name, v["kdf"]["salt"], len(salt), err, server.KDFSaltSize)
		}
		if v["kdf"]["memoryKiB"] != float64(server.KDFMemoryKiB) || v["kdf"]["iterations"] != float64(server.KDFIterations) || v["kdf"]["parallelism"] != float64(server.KDFParallelism) {
			t.Errorf("%s email's KDF %v is not the published one", name, v["kdf"])
		}
	}
	if fmt.Sprint(u1) != fmt.Sprint(u2) {
		t.Errorf("prelogin for one unknown email changed: %v then %v", u1, u2)
	}
	if fmt.Sprint(u1) == fmt.Sprint(prelogin(newUser().email)) {
		t.Error("two unknown emails got the same salt")
	}
	if fmt.Sprint(prelogin(" "+strings.ToUpper(unknown.email))) != fmt.Sprint(u1) {
		t.Error("prelogin salt depends on the email's case")
	}

	// A fresh server with the same secret gives the same fake (replicas).
	h2 := newHarnessOn(t, h.store)
	r := h2.do(request{method: "POST", path: "/api/v1/prelogin", body: map[string]string{"email": unknown.email}})
	var v map[string]map[string]any
	r.json(t, &v)
	if fmt.Sprint(v) != fmt.Sprint(u1) {
		t.Error("another replica gives a different fake for the same email")
	}

	wrongKey := known
	wrongKey.authKey = randBytes(32)
	fail := func(u user) response {
		return h.do(request{method: "POST", path: "/api/v1/sessions", body: u.login()})
	}
	a, b := fail(wrongKey), fail(unknown)
	if a.status != http.StatusUnauthorized || a.status != b.status || !bytes.Equal(a.body, b.body) {
		t.Errorf("failed sign-in differs: wrong key %d %s, unknown email %d %s", a.status, a.body, b.status, b.body)
	}
	headerNames := func(h http.Header) []string {
		var n []string
		for k := range h {
			if k != "X-Request-Id" {
				n = append(n, k+"="+h.Get(k))
			}
		}
		sort.Strings(n)
		return n
	}
	if !slices.Equal(headerNames(a.header), headerNames(b.header)) {
		t.Errorf("failed sign-in headers differ: %v vs %v", headerNames(a.header), headerNames(b.header))
	}

	// Both failures do the same store work, so their times are alike. The
	// bound is loose (the point is to catch a path that skips the store,
	// which is many times faster), and samples alternate to share noise.
	var tw, tu []time.Duration
	for range 21 {
		start := time.Now()
		fail(wrongKey)
		tw = append(tw, time.Since(start))
		start = time.Now()
		fail(unknown)
		tu = append(tu, time.Since(start))
	}
	mw, mu := median(tw), median(tu)
	if ratio := float64(max(mw, mu)) / float64(min(mw, mu)); ratio > 5 {
		t.Errorf("failed sign-in medians: wrong key %v, unknown email %v (ratio %.1f)", mw, mu, ratio)
	}
}

// TestFakePreloginSurvivesSecretRotation: a fake prelogin answer must not
// change when the server secret does (a rotation, a lost secret.key, a
// replica given another one), since a real answer does not: a patient
// observer comparing answers before and after would learn which emails have
// accounts.
func TestFakePreloginSurvivesSecretRotation(t *testing.T) {
	h := newHarness(t)
	known, _ := h.register()
	unknown := newUser()
	prelogin := func(email string) string {
		r := h.do(request{method: "POST", path: "/api/v1/prelogin", body: map[string]string{"email": email}})
		if r.status != http.StatusOK {
			t.Fatalf("prelogin = %d %s", r.status, r.body)
		}
		return string(r.body)
	}
	realBefore, fakeBefore := prelogin(known.email), prelogin(unknown.email)
	h.rebuild(server.Config{Secret: randBytes(32)}, h.key)
	realAfter, fakeAfter := prelogin(known.email), prelogin(unknown.email)
	if realBefore != realAfter {
		t.Fatalf("a real prelogin answer changed with the secret: %s then %s", realBefore, realAfter)
	}
	if fakeBefore != fakeAfter {
		t.Errorf("the fake prelogin answer changed with the secret, the real one did not: %s then %s", fakeBefore, fakeAfter)
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestThrottle: sign-in attempts are limited per email and per client
// address, and rotating X-Forwarded-For does not get around either.
func TestThrottle(t *testing.T) {
	const accountLimit, addressLimit = 3, 6
	attempt := func(h *harness, u user, remote, xff string) response {
		req := request{method: "POST", path: "/api/v1/sessions", body: u.login(), remote: remote}
		if xff != "" {
			req.headers = map[string]string{"X-Forwarded-For": xff}
		}
		return h.do(req)
	}
	wrong := func(u user) user { u.authKey = randBytes(32); return u }
	wantThrottled := func(t *testing.T, r response, what string) {
		t.Helper()
		if r.status != http.StatusTooManyRequests || !bytes.Contains(r.body, []byte(`"throttled"`)) {
			t.Fatalf("%s: %d %s, want 429", what, r.status, r.body)
		}
		if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 15*60 {
			t.Errorf("%s: Retry-After %q", what, r.header.Get("Retry-After"))
		}
	}

	t.Run("per email, X-Forwarded-For rotated, no trusted proxy", func(t *testing.T) {
		h := newHarness(t, withLimits(accountLimit, 100))
		u, _ := h.register()
		for i := range accountLimit {
			if r := attempt(h, wrong(u), "127.0.0.1:1", fmt.Sprintf("198.51.100.%d", i)); r.status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i, r.status)
			}
		}
		wantThrottled(t, attempt(h, wrong(u), "127.0.0.1:1", "198.51.100.99"), "next wrong key")
		wantThrottled(t, attempt(h, u, "192.0.2.77:1", "198.51.100.98"), "the right key from elsewhere while throttled")
		h.clock.Advance(15 * time.Minute)
		if r := attempt(h, u, "127.0.0.1:1", ""); r.status != http.StatusOK {
			t.Errorf("after the window: %d %s", r.status, r.body)
		}
	})
	t.Run("per address, X-Forwarded-For and emails rotated, no trusted proxy", func(t *testing.T) {
		h := newHarness(t, withLimits(100, addressLimit))
		for i := range addressLimit {
			if r := attempt(h, newUser(), "127.0.0.1:1", fmt.Sprintf("198.51.100.%d", i)); r.status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i, r.status)
			}
		}
		wantThrottled(t, attempt(h, newUser(), "127.0.0.1:2", "198.51.100.200"), "next attempt from the address")
		if r := attempt(h, newUser(), "10.1.1.1:1", ""); r.status != http.StatusUnauthorized {
			t.Errorf("another address: %d, want 401", r.status)
		}
	})
	t.Run("per address, IPv6 rotated within a /64", func(t *testing.T) {
		h := newHarness(t, withLimits(100, addressLimit))
		for i := range addressLimit {
			h.do(request{method: "POST", path: "/api/v1/sessions", body: newUser().login(), remote: fmt.Sprintf("[2001:db8:1:2::%x]:1", i+1)})
		}
		wantThrottled(t, attempt(h, newUser(), "[2001:db8:1:2:ffff::1]:1", ""), "another address in the /64")
	})
	t.Run("per email, X-Forwarded-For rotated behind a trusted proxy", func(t *testing.T) {
		h := newHarness(t, withLimits(accountLimit, 100), withTrustedProxies("10.0.0.0/8"))
		u, _ := h.register()
		for i := range accountLimit {
			attempt(h, wrong(u), "10.0.0.1:1", fmt.Sprintf("198.51.100.%d", i))
		}
		wantThrottled(t, attempt(h, wrong(u), "10.0.0.1:1", "198.51.100.250"), "next attempt from a new forwarded address")
	})
	t.Run("per address behind a trusted proxy: forged entries before the real one are ignored", func(t *testing.T) {
		h := newHarness(t, withLimits(100, addressLimit), withTrustedProxies("10.0.0.0/8"))
		for i := range addressLimit {
			// The client forges the first entry; the proxy appends the real one.
			attempt(h, newUser(), "10.0.0.1:1", fmt.Sprintf("198.51.100.%d, 203.0.113.9", i))
		}
		wantThrottled(t, attempt(h, newUser(), "10.0.0.2:1", "10.9.9.9, 203.0.113.9"), "same real client")
		if r := attempt(h, newUser(), "10.0.0.1:1", "203.0.113.10"); r.status != http.StatusUnauthorized {
			t.Errorf("another forwarded client: %d, want 401 (the proxy's own address must not be the key)", r.status)
		}
	})
	t.Run("per address, a private peer that is not a configured proxy", func(t *testing.T) {
		h := newHarness(t, withLimits(100, addressLimit), withTrustedProxies("10.0.0.0/8"))
		for i := range addressLimit {
			attempt(h, newUser(), "192.168.1.5:1", fmt.Sprintf("198.51.100.%d", i))
		}
		wantThrottled(t, attempt(h, newUser(), "192.168.1.5:1", "198.51.100.200"), "rotating X-Forwarded-For from an untrusted private peer")
	})
	t.Run("across replicas sharing the store", func(t *testing.T) {
		h := newHarness(t, withLimits(accountLimit, 100))
		h2 := newHarnessOn(t, h.store, withLimits(accountLimit, 100))
		h2.clock = h.clock
		h2.rebuild(server.Config{AccountLimit: server.Limit{Attempts: accountLimit, Window: 15 * time.Minute}}, h2.key)
		u, _ := h.register()
		for i := range accountLimit {
			attempt([]*harness{h, h2}[i%2], wrong(u), "192.0.2.10:1", "")
		}
		wantThrottled(t, attempt(h2, wrong(u), "192.0.2.30:1", ""), "the other replica")
		wantThrottled(t, attempt(h, wrong(u), "192.0.2.31:1", ""), "the first replica")
	})
	t.Run("sign-ups count against the address", func(t *testing.T) {
		h := newHarness(t, withLimits(100, addressLimit))
		for i := range addressLimit {
			req := request{method: "POST", path: "/api/v1/accounts", body: newUser().signup(), remote: "127.0.0.1:1", headers: map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i)}}
			if r := h.do(req); r.status != http.StatusCreated {
				t.Fatalf("sign-up %d: %d %s", i, r.status, r.body)
			}
		}
		r := h.do(request{method: "POST", path: "/api/v1/accounts", body: newUser().signup(), remote: "127.0.0.1:1"})
		wantThrottled(t, r, "sign-up over the address limit")
		wantThrottled(t, attempt(h, newUser(), "127.0.0.1:1", ""), "sign-in after the sign-ups")
	})
	t.Run("unknown emails are throttled alike", func(t *testing.T) {
		h := newHarness(t, withLimits(accountLimit, 100))
		u := newUser()
		for range accountLimit {
			attempt(h, u, "192.0.2.10:1", "")
		}
		wantThrottled(t, attempt(h, u, "192.0.2.10:1", ""), "unknown email")
	})
}

// TestThrottleStoresNoAddress: the throttle table holds keyed hashes, never
// a client address (or its IPv6 /64) or an email, in the table or anywhere
// in the database files.
func TestThrottleStoresNoAddress(t *testing.T) {
	h := newHarness(t, withTrustedProxies("10.0.0.0/8"))
	u, _ := h.register()
	for _, a := range []struct{ remote, xff string }{
		{"198.51.100.7:1", ""},
		{"[2001:db8:aa:bb::5]:1", ""},
		{"10.0.0.1:1", "203.0.113.9"},
	} {
		req := request{method: "POST", path: "/api/v1/sessions", body: newUser().login(), remote: a.remote}
		if a.xff != "" {
			req.headers = map[string]string{"X-Forwarded-For": a.xff}
		}
		if r := h.do(req); r.status != http.StatusUnauthorized {
			t.Fatalf("sign-in from %s: %d %s", a.remote, r.status, r.body)
		}
	}
	wrong := u
	wrong.authKey = randBytes(32)
	h.do(request{method: "POST", path: "/api/v1/sessions", body: wrong.login()})
	h.do(request{method: "POST", path: "/api/v1/accounts", body: newUser().signup(), remote: "192.0.2.55:1"})

	raw := []string{"198.51.100.7", "2001:db8:aa:bb", "203.0.113.9", "192.0.2.55", "192.0.2.10", u.email}
	db, err := sql.Open("sqlite", "file:"+h.dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT key FROM login_throttle`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var addrKeys int
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			t.Fatal(err)
		}
		addrKeys += strings.Count(key[:5], "addr:")
		for _, r := range raw {
			if strings.Contains(key, r) {
				t.Errorf("throttle key %q holds %q", key, r)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if addrKeys != 5 {
		t.Errorf("%d address keys, want 5 (four addresses, one /64)", addrKeys)
	}
	for _, file := range []string{h.dbPath, h.dbPath + "-wal"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range raw[:5] {
			if bytes.Contains(b, []byte(r)) {
				t.Errorf("%s holds the address %s", filepath.Base(file), r)
			}
		}
	}
}

// deletingStore deletes the account just before a session is created for
// it: a sign-in racing an account deletion, with the deletion winning at
// the worst moment.
type deletingStore struct{ server.Store }

func (d deletingStore) CreateSession(ctx context.Context, s server.Session, first server.RefreshToken) error {
	if err := d.Store.DeleteAccount(ctx, s.AccountID); err != nil {
		return err
	}
	return d.Store.CreateSession(ctx, s, first)
}

// TestSignInRacingDeletion: the key was right when checked, but the account
// is gone when the session is stored. The answer is the one 401 of a wrong
// key, not a 500.
func TestSignInRacingDeletion(t *testing.T) {
	h := newHarness(t)
	u, _ := h.register()
	wrong := u
	wrong.authKey = randBytes(32)
	want := h.do(request{method: "POST", path: "/api/v1/sessions", body: wrong.login()})
	h.wrapStore = func(s server.Store) server.Store { return deletingStore{s} }
	h.rebuild(server.Config{}, h.key)
	r := h.do(request{method: "POST", path: "/api/v1/sessions", body: u.login()})
	if r.status != http.StatusUnauthorized || !bytes.Equal(r.body, want.body) {
		t.Errorf("sign-in racing the account's deletion = %d %s, want %d %s", r.status, r.body, want.status, want.body)
	}
	if strings.Contains(h.logs.String(), `"level":"ERROR"`) {
		t.Errorf("the race was logged as an error:\n%s", h.logs.String())
	}
}

// writeCounter is a store that records which writing methods are called.
type writeCounter struct {
	server.Store
	mu     sync.Mutex
	writes []string
}

func (w *writeCounter) note(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, name)
}

// take returns the writes since the last call and forgets them.
func (w *writeCounter) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	got := w.writes
	w.writes = nil
	return got
}

func (w *writeCounter) CreateAccount(ctx context.Context, a *server.Account) error {
	w.note("CreateAccount")
	return w.Store.CreateAccount(ctx, a)
}

func (w *writeCounter) DeleteAccount(ctx context.Context, id string) error {
	w.note("DeleteAccount")
	return w.Store.DeleteAccount(ctx, id)
}

func (w *writeCounter) ChangeCredentials(ctx context.Context, c server.CredentialChange) error {
	w.note("ChangeCredentials")
	return w.Store.ChangeCredentials(ctx, c)
}

func (w *writeCounter) CreateSession(ctx context.Context, s server.Session, first server.RefreshToken) error {
	w.note("CreateSession")
	return w.Store.CreateSession(ctx, s, first)
}

func (w *writeCounter) DeleteSession(ctx context.Context, sessionID, accountID string) error {
	w.note("DeleteSession")
	return w.Store.DeleteSession(ctx, sessionID, accountID)
}

func (w *writeCounter) Refresh(ctx context.Context, x server.RefreshExchange) (server.SessionRef, error) {
	w.note("Refresh")
	return w.Store.Refresh(ctx, x)
}

func (w *writeCounter) HitThrottle(ctx context.Context, now time.Time, hits ...server.ThrottleHit) ([]server.ThrottleState, error) {
	w.note("HitThrottle")
	return w.Store.HitThrottle(ctx, now, hits...)
}

func (w *writeCounter) ClearThrottle(ctx context.Context, key string) error {
	w.note("ClearThrottle")
	return w.Store.ClearThrottle(ctx, key)
}

func (w *writeCounter) WriteRecord(ctx context.Context, rw server.RecordWrite) (server.Record, error) {
	w.note("WriteRecord")
	return w.Store.WriteRecord(ctx, rw)
}

func (w *writeCounter) Purge(ctx context.Context, p server.Purge) error {
	w.note("Purge")
	return w.Store.Purge(ctx, p)
}

// TestThrottledAttemptsDoNotWrite: a counted sign-in attempt is one write
// (both throttle keys in one statement); once over a limit, an attempt is
// refused from a read and writes nothing, so a flood of them cannot occupy
// the store's writer.
func TestThrottledAttemptsDoNotWrite(t *testing.T) {
	const limit = 3
	h := newHarness(t)
	w := &writeCounter{}
	h.wrapStore = func(s server.Store) server.Store { w.Store = s; return w }
	h.rebuild(server.Config{AccountLimit: server.Limit{Attempts: limit, Window: 15 * time.Minute}}, h.key)
	u, _ := h.register()
	w.take()
	wrong := u
	wrong.authKey = randBytes(32)
	signIn := func(u user) response {
		return h.do(request{method: "POST", path: "/api/v1/sessions", body: u.login()})
	}
	for i := range limit {
		if r := signIn(wrong); r.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d %s", i+1, r.status, r.body)
		}
		if got := w.take(); !slices.Equal(got, []string{"HitThrottle"}) {
			t.Errorf("counted attempt %d wrote %v, want one HitThrottle", i+1, got)
		}
	}
	for _, tc := range []struct {
		name string
		u    user
	}{{"a wrong key", wrong}, {"the right key", u}, {"a wrong key again", wrong}} {
		if r := signIn(tc.u); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Fatalf("%s over the limit: %d %s, want 429 with Retry-After", tc.name, r.status, r.body)
		}
		if got := w.take(); len(got) != 0 {
			t.Errorf("%s over the limit wrote %v, want nothing", tc.name, got)
		}
	}
	// The same holds for the authKey check of account deletion (and of
	// password change, which shares it).
	h.clock.Advance(15 * time.Minute)
	g := h.login(u)
	w.take()
	for range limit + 1 {
		h.do(request{method: "DELETE", path: "/api/v1/accounts/current", token: g.AccessToken, body: map[string]string{"authKey": b64(randBytes(32))}})
	}
	w.take()
	if r := h.do(request{method: "DELETE", path: "/api/v1/accounts/current", token: g.AccessToken, body: map[string]string{"authKey": b64(u.authKey)}}); r.status != http.StatusTooManyRequests {
		t.Fatalf("deletion over the limit: %d %s", r.status, r.body)
	}
	if got := w.take(); len(got) != 0 {
		t.Errorf("a throttled deletion wrote %v", got)
	}
}
