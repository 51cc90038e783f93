package server_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestGarbageNeverFails5xx throws malformed and random input at every route:
// each answer must be a client error in the one error shape, never a 500 or
// a panic.
func TestGarbageNeverFails5xx(t *testing.T) {
	h := newHarness(t, withLimits(100000, 100000))
	_, g := h.register()
	routes := []struct{ method, path string }{
		{"POST", "/api/v1/prelogin"}, {"POST", "/api/v1/accounts"}, {"POST", "/api/v1/sessions"},
		{"POST", "/api/v1/sessions/refresh"}, {"GET", "/api/v1/sessions/current"}, {"DELETE", "/api/v1/sessions/current"},
		{"GET", "/api/v1/records"}, {"PUT", "/api/v1/records/x"}, {"DELETE", "/api/v1/records/x"},
		{"POST", "/api/v1/account/password"}, {"DELETE", "/api/v1/accounts/current"},
	}
	bodies := []string{
		``, `{`, `}`, `null`, `[]`, `"x"`, `0`, `{"email":null}`, `{"email":{}}`, `{"email":"` + strings.Repeat("é", 300) + `@x"}`,
		`{"email":"a@b","authKey":"` + strings.Repeat("A", 10000) + `"}`, `{"kdf":[]}`, `{"kdf":{"memoryKiB":1e400}}`,
		`{"kdf":{"memoryKiB":-1,"iterations":9223372036854775807}}`, `{"data":"\u0000"}`, `{"data":"` + strings.Repeat("_", 100) + `"}`,
		`{"refreshToken":"` + strings.Repeat("x", 5000) + `"}`, "{\"a\":\"\xff\xfe\"}", `{"email":"a@b"}{"email":"a@b"}`,
		strings.Repeat("[", 50000), `{"newKdf":{"salt":"!!"}}`,
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 60 {
		b := make([]byte, rng.IntN(300))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		bodies = append(bodies, string(b))
	}
	headerSets := []map[string]string{
		nil,
		{"If-Match": `"1"`}, {"If-None-Match": "*"}, {"If-Match": `"99999999999999999999999"`}, {"If-Match": `""`},
		{"If-Match": `"-1"`}, {"If-Match": "\"1\x00\""}, {"Content-Type": "application/json; charset=\"bogus"},
	}
	queries := []string{"", "?since=", "?since=9223372036854775807", "?since=1e3", "?limit=0", "?limit=-5", "?since=%zz"}
	for _, rt := range routes {
		for _, tok := range []string{"", g.AccessToken, "garbage", strings.Repeat("a.", 1000)} {
			for i, body := range bodies {
				req := request{method: rt.method, path: rt.path, body: body, token: tok, headers: headerSets[i%len(headerSets)]}
				if rt.method == "GET" {
					req.body = nil
					req.path += queries[i%len(queries)]
				}
				r := h.do(req)
				if r.status >= 500 {
					t.Fatalf("%s %s with body %q: %d %s", req.method, req.path, body, r.status, r.body)
				}
				if r.status >= 400 {
					var e struct {
						Error struct{ Code, Message string }
					}
					if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
						t.Fatalf("%s %s: %d body %q is not the error shape", req.method, req.path, r.status, r.body)
					}
				}
			}
		}
	}
	// Odd paths and methods.
	for _, p := range []string{"/api/v1/records/" + strings.Repeat("a", 5000), "/api/v1/records/%00", "/api/v1/records/..%2f..", "/api//v1/records", "/api/v1/records/a/b"} {
		for _, m := range []string{"GET", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"} {
			r := h.do(request{method: m, path: p, token: g.AccessToken, headers: map[string]string{"If-None-Match": "*"}, body: `{"data":"AA"}`})
			if r.status >= 500 {
				t.Errorf("%s %s: %d %s", m, p, r.status, r.body)
			}
		}
	}
	if !bytes.Contains([]byte(h.logs.String()), []byte(`"msg":"request"`)) {
		t.Error("no access log")
	}
}
