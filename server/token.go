package server

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// AccessTokenTTL is how long an access token is valid. Short, because the
// per-request session check is what makes revocation immediate; the expiry
// bounds the damage if that check is ever skipped.
const AccessTokenTTL = 10 * time.Minute

// ClockSkew is how far the clocks of the replica that issued a token and the
// one that checks it may disagree: "iat" may be up to this far in the future
// and "exp" this far in the past. Without it a replica whose clock is a few
// milliseconds behind refuses a token issued that very second ("iat" counts
// whole seconds). It stretches a token's life by at most this much, which is
// harmless: every request also checks that the session is live.
const ClockSkew = 30 * time.Second

// Signing algorithms a Key can have.
const (
	// AlgEdDSA is Ed25519 (RFC 8037): the default, and the one to use when
	// several parties verify tokens, since they need only the public key.
	AlgEdDSA = "EdDSA"
	// AlgHS256 is HMAC-SHA256 with a shared secret of at least 32 bytes.
	AlgHS256 = "HS256"
)

// minHMACKey is the shortest HS256 secret accepted: as many bytes as the
// hash output, per RFC 7518 section 3.2.
const minHMACKey = 32

// Key is one access-token key: an Ed25519 key pair (or only its public half,
// to verify tokens signed by a retired key) or an HS256 secret. Its ID is
// derived from the key material, so every replica given the same key file
// agrees on it without configuration.
type Key struct {
	ID     string
	Alg    string
	sign   any // ed25519.PrivateKey or []byte; nil for a verify-only key
	verify any // ed25519.PublicKey or []byte
}

// CanSign reports whether k holds private material.
func (k Key) CanSign() bool { return k.sign != nil }

// ParseKey reads a key file. A PEM "PRIVATE KEY" (PKCS #8) or "PUBLIC KEY"
// (PKIX) block must hold an Ed25519 key, as made by
// `openssl genpkey -algorithm ed25519`. Anything else is taken as an HS256
// secret in base64 (standard or URL alphabet, padding optional), as made by
// `openssl rand -base64 32`, which must decode to at least 32 bytes.
func ParseKey(data []byte) (Key, error) {
	if block, _ := pem.Decode(data); block != nil {
		switch block.Type {
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return Key{}, fmt.Errorf("parse private key: %w", err)
			}
			priv, ok := k.(ed25519.PrivateKey)
			if !ok {
				return Key{}, fmt.Errorf("private key is %T, want Ed25519", k)
			}
			pub := priv.Public().(ed25519.PublicKey)
			return Key{ID: edKeyID(pub), Alg: AlgEdDSA, sign: priv, verify: pub}, nil
		case "PUBLIC KEY":
			k, err := x509.ParsePKIXPublicKey(block.Bytes)
			if err != nil {
				return Key{}, fmt.Errorf("parse public key: %w", err)
			}
			pub, ok := k.(ed25519.PublicKey)
			if !ok {
				return Key{}, fmt.Errorf("public key is %T, want Ed25519", k)
			}
			return Key{ID: edKeyID(pub), Alg: AlgEdDSA, verify: pub}, nil
		default:
			return Key{}, fmt.Errorf("PEM block %q is not a PRIVATE KEY or PUBLIC KEY", block.Type)
		}
	}
	secret, err := decodeBase64Secret(strings.TrimSpace(string(data)))
	if err != nil {
		return Key{}, fmt.Errorf("HS256 secret: %w", err)
	}
	if len(secret) < minHMACKey {
		return Key{}, fmt.Errorf("HS256 secret is %d bytes, want at least %d", len(secret), minHMACKey)
	}
	return Key{ID: hmacKeyID(secret), Alg: AlgHS256, sign: secret, verify: secret}, nil
}

// decodeBase64Secret accepts any of the four common base64 spellings.
func decodeBase64Secret(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("empty")
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("not base64 (and not a PEM Ed25519 key)")
}

// GenerateKeyFile returns a new Ed25519 private key as a PKCS #8 PEM file.
func GenerateKeyFile() ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

func edKeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return "ed-" + base64.RawURLEncoding.EncodeToString(sum[:9])
}

// hmacKeyID must not reveal the secret: it is an HMAC under the secret
// itself, of a fixed label.
func hmacKeyID(secret []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("heyan key id"))
	return "hs-" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:9])
}

// Keyring signs access tokens with one key and verifies them with any of
// several, so a key can be rotated: add the new key as the signing key, keep
// the old one for verification until the last token it signed expires
// (AccessTokenTTL plus ClockSkew), then drop it.
type Keyring struct {
	signing Key
	byID    map[string]Key
	algs    []string
}

// NewKeyring returns a keyring that signs with signing and also accepts
// tokens signed by any of verify.
func NewKeyring(signing Key, verify ...Key) (*Keyring, error) {
	if !signing.CanSign() {
		return nil, errors.New("the signing key has no private part")
	}
	kr := &Keyring{signing: signing, byID: map[string]Key{}}
	for _, k := range append([]Key{signing}, verify...) {
		if k.ID == "" || k.verify == nil {
			return nil, errors.New("a verification key is empty")
		}
		if prev, dup := kr.byID[k.ID]; dup && prev.Alg != k.Alg {
			return nil, fmt.Errorf("key ID %s is used by two keys", k.ID)
		}
		kr.byID[k.ID] = k
		if !slices.Contains(kr.algs, k.Alg) {
			kr.algs = append(kr.algs, k.Alg)
		}
	}
	return kr, nil
}

// accessClaims are the claims of an access token. The session ID and the
// account's security stamp let each request check that the session is still
// live and the credentials unchanged.
type accessClaims struct {
	jwt.RegisteredClaims
	SessionID string `json:"sid"`
	Stamp     int64  `json:"stm"`
}

// tokenIssuer issues and verifies access tokens for one issuer and audience.
type tokenIssuer struct {
	keys     *Keyring
	issuer   string
	audience string
	now      func() time.Time
	parser   *jwt.Parser
}

func newTokenIssuer(keys *Keyring, issuer, audience string, now func() time.Time) *tokenIssuer {
	return &tokenIssuer{
		keys:     keys,
		issuer:   issuer,
		audience: audience,
		now:      now,
		// Pinning the algorithms rejects alg:none and any algorithm no
		// configured key has; keyFor also ties each kid to its algorithm, so an
		// EdDSA public key can never be used as an HS256 secret.
		parser: jwt.NewParser(
			jwt.WithValidMethods(keys.algs),
			jwt.WithExpirationRequired(),
			jwt.WithIssuer(issuer),
			jwt.WithAudience(audience),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(ClockSkew),
			jwt.WithTimeFunc(now),
		),
	}
}

// Issue signs an access token for a session.
func (t *tokenIssuer) Issue(ref SessionRef) (string, error) {
	now := t.now()
	claims := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   ref.AccountID,
			Audience:  jwt.ClaimStrings{t.audience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(AccessTokenTTL)),
		},
		SessionID: ref.SessionID,
		Stamp:     ref.Stamp,
	}
	k := t.keys.signing
	var method jwt.SigningMethod = jwt.SigningMethodEdDSA
	if k.Alg == AlgHS256 {
		method = jwt.SigningMethodHS256
	}
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = k.ID
	return tok.SignedString(k.sign)
}

// Verify checks an access token's signature and claims and returns the
// session it names. Every failure is the same CodeUnauthorized.
func (t *tokenIssuer) Verify(raw string) (SessionRef, error) {
	var claims accessClaims
	_, err := t.parser.ParseWithClaims(raw, &claims, t.keyFor)
	if err != nil || claims.Subject == "" || claims.SessionID == "" {
		return SessionRef{}, Unauthorized()
	}
	return SessionRef{SessionID: claims.SessionID, AccountID: claims.Subject, Stamp: claims.Stamp}, nil
}

func (t *tokenIssuer) keyFor(tok *jwt.Token) (any, error) {
	kid, _ := tok.Header["kid"].(string)
	k, ok := t.keys.byID[kid]
	if !ok {
		return nil, errors.New("unknown kid")
	}
	if tok.Method.Alg() != k.Alg {
		return nil, errors.New("algorithm does not match the key")
	}
	return k.verify, nil
}
