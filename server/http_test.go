package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
)

const (
	chromeOrigin  = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
	firefoxOrigin = "moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
)

func TestCORS(t *testing.T) {
	h := newHarness(t, withOrigins(chromeOrigin, firefoxOrigin))
	preflight := func(origin string) response {
		return h.do(request{method: "OPTIONS", path: "/api/v1/records/x", headers: map[string]string{
			"Origin": origin, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization,if-match,content-type",
		}})
	}
	for _, origin := range []string{chromeOrigin, firefoxOrigin} {
		r := preflight(origin)
		if got := r.header.Get("Access-Control-Allow-Origin"); got != origin {
			t.Errorf("preflight from %s: Allow-Origin %q", origin, got)
		}
		if !strings.Contains(strings.ToLower(r.header.Get("Access-Control-Allow-Headers")), "if-match") {
			t.Errorf("preflight from %s: Allow-Headers %q lacks If-Match", origin, r.header.Get("Access-Control-Allow-Headers"))
		}
		r = h.do(request{method: "GET", path: "/healthz", headers: map[string]string{"Origin": origin}})
		if r.header.Get("Access-Control-Allow-Origin") != origin || !strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "Etag") && !strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "ETag") {
			t.Errorf("GET from %s: headers %v", origin, r.header)
		}
	}
	for _, origin := range []string{
		"chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba", // another extension
		chromeOrigin + "x", "https://" + chromeOrigin[len("chrome-extension://"):], "null", "https://evil.example",
		strings.ToUpper(chromeOrigin),
	} {
		for _, r := range []response{preflight(origin), h.do(request{method: "GET", path: "/healthz", headers: map[string]string{"Origin": origin}})} {
			if got := r.header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("origin %s got Allow-Origin %q", origin, got)
			}
		}
	}

	// No configured origins: no CORS headers at all.
	plain := newHarness(t)
	if got := plain.do(request{method: "GET", path: "/healthz", headers: map[string]string{"Origin": chromeOrigin}}).header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("no origins configured, yet Allow-Origin %q", got)
	}
}

func TestCheckOrigin(t *testing.T) {
	for _, tc := range []struct {
		origin string
		ok     bool
	}{
		{chromeOrigin, true},
		{firefoxOrigin, true},
		{"*", false},
		{"chrome-extension://*", false},
		{"chrome-extension://abcdefghijklmnopabcdefghijklmnop/", false},
		{"chrome-extension://abcdefghijklmnopabcdefghijklmnoq", false}, // q is not in a-p
		{"chrome-extension://abcdefghijklmnop", false},
		{"CHROME-EXTENSION://abcdefghijklmnopabcdefghijklmnop", false},
		{"moz-extension://0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", false},
		{"moz-extension://not-a-uuid", false},
		{"https://example.com", false},
		{"", false},
		{" " + chromeOrigin, false},
	} {
		err := server.CheckOrigin(tc.origin)
		if (err == nil) != tc.ok {
			t.Errorf("CheckOrigin(%q) = %v, want ok=%v", tc.origin, err, tc.ok)
		}
	}
	svc := newHarness(t).svc
	if _, err := server.NewServer(svc, server.HTTPConfig{AllowedOrigins: []string{"*"}}); err == nil {
		t.Error("NewServer accepted a wildcard origin")
	}
}

func TestHealth(t *testing.T) {
	h := newHarness(t)
	h.run(t, []scenario{
		{name: "healthz", req: request{method: "GET", path: "/healthz"}, wantStatus: 200, wantBody: []string{`"status":"ok"`}},
		{name: "readyz", req: request{method: "GET", path: "/readyz"}, wantStatus: 200, wantBody: []string{`"status":"ok"`}},
	})
	h.store.Close()
	h.run(t, []scenario{
		{name: "readyz with the store closed", req: request{method: "GET", path: "/readyz"}, wantStatus: 503, wantBody: []string{`"code":"unavailable"`}},
		{name: "healthz with the store closed", req: request{method: "GET", path: "/healthz"}, wantStatus: 200},
		{name: "an API call with the store closed", req: request{method: "POST", path: "/api/v1/prelogin", body: map[string]string{"email": "a@example.test"}}, wantStatus: 503, wantBody: []string{`{"error":{"code":"unavailable","message":"the store is unavailable; try again later"}}`}},
	})
	r := h.do(request{method: "POST", path: "/api/v1/sessions", body: newUser().login()})
	if r.status != 503 || r.header.Get("Retry-After") != "5" {
		t.Errorf("sign-in with the store closed: %d Retry-After %q, want 503 and 5", r.status, r.header.Get("Retry-After"))
	}
	if logs := h.logs.String(); strings.Contains(logs, `"level":"ERROR"`) || !strings.Contains(logs, `"msg":"unavailable"`) {
		t.Errorf("a store that is down is logged as a warning with its cause, not an error:\n%s", logs)
	}
}

// TestReadyzUnavailable: /readyz with the store down says 503 with the
// Retry-After every other 503 gives, and the log line says why the store
// could not be used, not only that it could not.
func TestReadyzUnavailable(t *testing.T) {
	h := newHarness(t)
	h.store.Close()
	r := h.do(request{method: "GET", path: "/readyz"})
	if r.status != 503 || r.header.Get("Retry-After") != strconv.Itoa(int(server.UnavailableRetry.Seconds())) {
		t.Errorf("readyz with the store closed: %d Retry-After %q, want 503 and %v", r.status, r.header.Get("Retry-After"), server.UnavailableRetry.Seconds())
	}
	var line struct{ Level, Msg, Err string }
	for _, l := range strings.Split(h.logs.String(), "\n") {
		if json.Unmarshal([]byte(l), &line) == nil && line.Msg == "unavailable" {
			break
		}
		line.Msg = ""
	}
	if line.Msg == "" || line.Level != "WARN" || !strings.Contains(line.Err, "closed") {
		t.Errorf("readyz's 503 is not logged as a warning naming its cause (the store is closed):\n%s", h.logs.String())
	}
}

// TestClientGone: a request whose client went away (its context canceled)
// is not an error: no error or warning is logged, only a debug access line.
func TestClientGone(t *testing.T) {
	h := newHarness(t)
	u, g := h.register()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, req := range []request{
		{method: "POST", path: "/api/v1/prelogin", body: map[string]string{"email": u.email}},
		{method: "POST", path: "/api/v1/sessions", body: u.login()},
		create(g.AccessToken, "gone", randBytes(10)),
		get(g.AccessToken),
	} {
		req.ctx = ctx
		h.do(req)
	}
	logs := h.logs.String()
	for _, level := range []string{"ERROR", "WARN"} {
		if strings.Contains(logs, `"level":"`+level+`"`) {
			t.Errorf("a client that went away was logged at %s:\n%s", level, logs)
		}
	}
	if n := strings.Count(logs, `"level":"DEBUG","msg":"request"`); n != 4 || strings.Count(logs, `"code":"canceled"`) != 4 || strings.Count(logs, `"status":499`) != 4 {
		t.Errorf("want 4 debug access lines with code canceled and status 499:\n%s", logs)
	}
}

func TestResponseHeaders(t *testing.T) {
	h := newHarness(t)
	r := h.do(request{method: "POST", path: "/api/v1/prelogin", body: map[string]string{"email": "a@example.test"}})
	for k, want := range map[string]string{"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Content-Type": "application/json"} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if r.header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id")
	}
}

// TestLogsHoldNoSecrets runs a full session and checks that no email, key,
// token or record data reaches the log, while the log still has a line per
// request.
func TestLogsHoldNoSecrets(t *testing.T) {
	h := newHarness(t)
	u, g := h.register()
	data := randBytes(64)
	g2, _ := h.refresh(g.RefreshToken)
	h.do(create(g2.AccessToken, "rec-secret-id", data))
	h.do(request{method: "POST", path: "/api/v1/sessions", body: map[string]string{"email": u.email, "authKey": b64(randBytes(32))}})
	h.do(request{method: "POST", path: "/api/v1/prelogin", body: map[string]string{"email": u.email}})
	h.do(request{method: "POST", path: "/api/v1/accounts", body: `{"email": "` + u.email + `", broken`})
	h.do(request{method: "DELETE", path: "/api/v1/sessions/current", token: g2.AccessToken})
	h.store.Close()
	h.do(request{method: "POST", path: "/api/v1/prelogin", body: map[string]string{"email": u.email}}) // the store failure is logged

	logs := h.logs.String()
	for name, secret := range map[string]string{
		"email": u.email, "email local part": strings.Split(u.email, "@")[0], "authKey": b64(u.authKey),
		"wrappedKey": b64(u.wrappedKey), "salt": b64(u.salt), "access token": g.AccessToken, "refresh token": g.RefreshToken,
		"new refresh token": g2.RefreshToken, "record data": b64(data), "record id": "rec-secret-id", "client address": "192.0.2.10",
	} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains the %s", name)
		}
	}
	if n := strings.Count(logs, `"msg":"request"`); n < 8 {
		t.Errorf("%d access log lines, want one per request:\n%s", n, logs)
	}
	for _, want := range []string{`"route":"/api/v1/records/:id"`, `"status":201`, `"code":"unauthorized"`, `"msg":"unavailable"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %s:\n%s", want, logs)
		}
	}
}

// TestGracefulShutdown cancels Serve while a request is half sent: the
// request still completes, then Serve returns.
func TestGracefulShutdown(t *testing.T) {
	h := newHarness(t)
	_, g := h.register()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- h.srv.Serve(ctx, ln) }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := fmt.Sprintf(`{"data":"%s"}`, b64(randBytes(100)))
	fmt.Fprintf(conn, "PUT /api/v1/records/inflight HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nIf-None-Match: *\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		g.AccessToken, len(body), body[:10])
	time.Sleep(100 * time.Millisecond) // let the server start reading the request
	cancel()
	select {
	case err := <-served:
		t.Fatalf("Serve returned while a request was in flight: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	fmt.Fprint(conn, body[10:])
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request: %v", err)
	}
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated {
		t.Errorf("in-flight request = %d %s, want 201", res.StatusCode, b)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after the last request")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting connections after shutdown")
	}
}

// stallingStore holds every sync read until the request's context ends,
// then takes a little longer to return, as a store call that notices late.
type stallingStore struct {
	server.Store
	started  chan struct{}
	returned atomic.Bool
}

func (s *stallingStore) Records(ctx context.Context, p server.PageRequest) (server.RecordPage, error) {
	close(s.started)
	<-ctx.Done()
	time.Sleep(100 * time.Millisecond)
	s.returned.Store(true)
	return server.RecordPage{}, ctx.Err()
}

// TestShutdownCutsShort: requests that outlast ShutdownTimeout (one still
// sending its body, one stuck in the store) are cut short: their
// connections are closed, their handlers have returned before Serve does
// (so the store can close after it), Serve reports a clean stop, and the
// log says what was cut short.
func TestShutdownCutsShort(t *testing.T) {
	h := newHarness(t)
	_, g := h.register()
	stall := &stallingStore{started: make(chan struct{})}
	h.wrapStore = func(s server.Store) server.Store { stall.Store = s; return stall }
	h.httpCfg.ShutdownTimeout = 300 * time.Millisecond
	h.rebuild(server.Config{}, h.key)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- h.srv.Serve(ctx, ln) }()

	halfSent, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer halfSent.Close()
	fmt.Fprintf(halfSent, "PUT /api/v1/records/cut HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nIf-None-Match: *\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"data\":", g.AccessToken)
	stuck, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	fmt.Fprintf(stuck, "GET /api/v1/records HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", g.AccessToken)
	<-stall.started
	time.Sleep(50 * time.Millisecond) // let the PUT's handler start reading its body
	cancel()

	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve after cutting requests short = %v, want nil (a clean stop)", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its shutdown timeout")
	}
	if !stall.returned.Load() {
		t.Error("Serve returned while a handler was still in the store")
	}
	for name, conn := range map[string]net.Conn{"half-sent PUT": halfSent, "stuck GET": stuck} {
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadAll(conn); err != nil && !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("%s: connection not closed: %v", name, err)
		}
	}
	logs := h.logs.String()
	for _, want := range []string{`"msg":"cut short by shutdown"`, `"route":"/api/v1/records/:id"`, `"route":"/api/v1/records"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %s:\n%s", want, logs)
		}
	}
}

// TestRouting: a wrong method on a route is 405 with Allow, an unknown path
// is 404, with or without a token, and neither asks the store anything (they
// still answer so with the store closed).
func TestRouting(t *testing.T) {
	h := newHarness(t)
	_, g := h.register()
	var scenarios []scenario
	for _, tok := range []string{"", g.AccessToken} {
		for _, tc := range []struct {
			method, path string
			status       int
			code         string
		}{
			{"PATCH", "/api/v1/records/x", 405, "method_not_allowed"},
			{"GET", "/api/v1/records/x", 405, "method_not_allowed"},
			{"POST", "/api/v1/records", 405, "method_not_allowed"},
			{"PATCH", "/api/v1/prelogin", 405, "method_not_allowed"},
			{"GET", "/api/v1/accounts/current", 405, "method_not_allowed"},
			{"GET", "/api/v1/records/a/b", 404, "not_found"},
			{"PUT", "/api/v1/records/a/b", 404, "not_found"},
			{"GET", "/api/v1/recordsx", 404, "not_found"},
			{"GET", "/api/v1/nothing", 404, "not_found"},
			{"GET", "/api/v2/records", 404, "not_found"},
		} {
			scenarios = append(scenarios, scenario{
				name:       fmt.Sprintf("%s %s, token %v", tc.method, tc.path, tok != ""),
				req:        request{method: tc.method, path: tc.path, token: tok},
				wantStatus: tc.status, wantBody: []string{`"code":"` + tc.code + `"`},
			})
		}
	}
	h.run(t, scenarios)
	if r := h.do(request{method: "PATCH", path: "/api/v1/records/x", token: g.AccessToken}); r.header.Get("Allow") == "" {
		t.Error("405 without Allow")
	}
	h.store.Close()
	h.run(t, scenarios)
}

// TestKDFParams: the published parameters are the ones sign-up requires,
// and above OWASP's argon2id floor.
func TestKDFParams(t *testing.T) {
	h := newHarness(t)
	h.run(t, []scenario{{name: "published KDF", req: request{method: "GET", path: "/api/v1/kdf"}, wantStatus: 200,
		wantBody: []string{`{"kdf":{"alg":"argon2id","memoryKiB":65536,"iterations":3,"parallelism":4,"saltBytes":16}}`}}})
	if server.KDFMemoryKiB < server.MinKDFMemoryKiB || server.KDFIterations < server.MinKDFIterations || server.KDFSaltSize < 16 {
		t.Errorf("published KDF %+v is below the floor (%d KiB, %d passes, 16-byte salt)", server.AccountKDF(nil), server.MinKDFMemoryKiB, server.MinKDFIterations)
	}
}
