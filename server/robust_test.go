package server_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
)

// TestGarbageNeverFails5xx throws malformed and random input at every route:
// each answer must be a client error in the one error shape, never a 500 or
// a panic. Authenticated routes also get a live token (a fresh session per
// route, and per request for sign-out, which ends it), so their header and
// body checks run: with it, no answer may be a 401, and a route that takes a
// body must answer its garbage with a 4xx.
func TestGarbageNeverFails5xx(t *testing.T) {
	h := newHarness(t, withLimits(100000, 100000))
	u, _ := h.register()
	routes := []struct {
		method, path string
		auth, body   bool // needs a token; reads a JSON body
		endsSession  bool
	}{
		{method: "GET", path: "/api/v1/kdf"},
		{method: "POST", path: "/api/v1/prelogin", body: true},
		{method: "POST", path: "/api/v1/accounts", body: true},
		{method: "POST", path: "/api/v1/sessions", body: true},
		{method: "POST", path: "/api/v1/sessions/refresh", body: true},
		{method: "GET", path: "/api/v1/sessions/current", auth: true},
		{method: "DELETE", path: "/api/v1/sessions/current", auth: true, endsSession: true},
		{method: "GET", path: "/api/v1/account", auth: true},
		{method: "GET", path: "/api/v1/records", auth: true},
		{method: "PUT", path: "/api/v1/records/x", auth: true, body: true},
		{method: "DELETE", path: "/api/v1/records/x", auth: true},
		{method: "POST", path: "/api/v1/account/password", auth: true, body: true},
		{method: "DELETE", path: "/api/v1/accounts/current", auth: true, body: true},
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
		live := h.login(u).AccessToken
		bodyChecked := 0 // live-token answers that came from reading the body
		for _, tok := range []string{"", live, "garbage", strings.Repeat("a.", 1000)} {
			for i, body := range bodies {
				isLive := rt.auth && tok == live
				if isLive && rt.endsSession {
					tok = h.login(u).AccessToken
				}
				req := request{method: rt.method, path: rt.path, body: body, token: tok, headers: headerSets[i%len(headerSets)]}
				if rt.method == "GET" {
					req.body = nil
					req.path += queries[i%len(queries)]
				}
				r := h.do(req)
				if r.status >= 500 {
					t.Fatalf("%s %s with body %q: %d %s", req.method, req.path, body, r.status, r.body)
				}
				var e struct {
					Error struct{ Code, Message string }
				}
				if r.status >= 400 {
					if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
						t.Fatalf("%s %s: %d body %q is not the error shape", req.method, req.path, r.status, r.body)
					}
				}
				if !isLive {
					continue
				}
				if r.status == http.StatusUnauthorized {
					t.Fatalf("%s %s with a live token and body %q: 401 %s; the route's own checks never ran", req.method, req.path, body, r.body)
				}
				if rt.body && r.status < 400 {
					t.Fatalf("%s %s accepted garbage body %q: %d %s", req.method, req.path, body, r.status, r.body)
				}
				if strings.Contains(e.Error.Message, "JSON") || e.Error.Code == "too_large" || e.Error.Code == "unsupported_media" {
					bodyChecked++
				}
			}
		}
		if rt.auth && rt.body && bodyChecked == 0 {
			t.Errorf("%s %s: no garbage body reached the body check with a live token", rt.method, rt.path)
		}
	}
	// Odd paths and methods.
	tok := h.login(u).AccessToken
	for _, p := range []string{"/api/v1/records/" + strings.Repeat("a", 5000), "/api/v1/records/%00", "/api/v1/records/..%2f..", "/api//v1/records", "/api/v1/records/a/b"} {
		for _, m := range []string{"GET", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"} {
			r := h.do(request{method: m, path: p, token: tok, headers: map[string]string{"If-None-Match": "*"}, body: `{"data":"AA"}`})
			if r.status >= 500 {
				t.Errorf("%s %s: %d %s", m, p, r.status, r.body)
			}
		}
	}
	if !bytes.Contains([]byte(h.logs.String()), []byte(`"msg":"request"`)) {
		t.Error("no access log")
	}
}
