package server_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
	"github.com/heyan-dev/heyan/server/sqlite"
)

// clock is a settable clock shared by the service and the token parser.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness is the real router and middleware over a real SQLite store, with
// a settable clock and the signing key at hand for forging tokens.
type harness struct {
	t       testing.TB
	clock   *clock
	store   *sqlite.DB
	dbPath  string // the store's file
	svc     *server.Service
	srv     *server.Server
	keyPEM  []byte // the Ed25519 signing key
	key     server.Key
	logs    *syncBuffer
	httpCfg server.HTTPConfig
	// wrapStore, when set, wraps the store the service is given (rebuild).
	wrapStore func(server.Store) server.Store
}

type harnessOption func(*server.Config, *server.HTTPConfig)

func withLimits(account, address int) harnessOption {
	return func(c *server.Config, _ *server.HTTPConfig) {
		c.AccountLimit = server.Limit{Attempts: account, Window: 15 * time.Minute}
		c.AddressLimit = server.Limit{Attempts: address, Window: 15 * time.Minute}
	}
}

func withTrustedProxies(prefixes ...string) harnessOption {
	return func(_ *server.Config, h *server.HTTPConfig) {
		for _, p := range prefixes {
			h.TrustedProxies = append(h.TrustedProxies, netip.MustParsePrefix(p))
		}
	}
}

func withPageBytes(n int) harnessOption {
	return func(c *server.Config, _ *server.HTTPConfig) { c.PageBytes = n }
}

func withQuota(records int, bytes int64) harnessOption {
	return func(c *server.Config, _ *server.HTTPConfig) { c.Quota = server.Quota{Records: records, Bytes: bytes} }
}

func withOrigins(origins ...string) harnessOption {
	return func(_ *server.Config, h *server.HTTPConfig) { h.AllowedOrigins = origins }
}

var secret = randBytes(32)

func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	path := filepath.Join(t.TempDir(), "heyan.db")
	store, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := newHarnessOn(t, store, opts...)
	h.dbPath = path
	return h
}

// newHarnessOn builds a server over an existing store, as a second replica.
func newHarnessOn(t testing.TB, store *sqlite.DB, opts ...harnessOption) *harness {
	t.Helper()
	pemKey, err := server.GenerateKeyFile()
	if err != nil {
		t.Fatal(err)
	}
	key, err := server.ParseKey(pemKey)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, clock: &clock{t: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}, store: store, keyPEM: pemKey, key: key, logs: &syncBuffer{}}
	cfg := server.Config{Secret: secret, Now: h.clock.Now}
	httpCfg := server.HTTPConfig{
		Logger:        slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		PurgeInterval: -1,
	}
	for _, o := range opts {
		o(&cfg, &httpCfg)
	}
	h.httpCfg = httpCfg
	h.rebuild(cfg, key)
	return h
}

// rebuild replaces the service and server, keeping the store and clock.
func (h *harness) rebuild(cfg server.Config, signing server.Key, verify ...server.Key) {
	h.t.Helper()
	kr, err := server.NewKeyring(signing, verify...)
	if err != nil {
		h.t.Fatal(err)
	}
	cfg.Now = h.clock.Now
	if cfg.Secret == nil {
		cfg.Secret = secret
	}
	var store server.Store = h.store
	if h.wrapStore != nil {
		store = h.wrapStore(store)
	}
	h.svc, err = server.NewService(store, kr, cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	h.srv, err = server.NewServer(h.svc, h.httpCfg)
	if err != nil {
		h.t.Fatal(err)
	}
}

// request is one HTTP request in a scenario.
type request struct {
	method  string
	path    string
	body    any // a string or []byte is sent as is; anything else as JSON
	token   string
	headers map[string]string
	remote  string          // RemoteAddr; default 192.0.2.10:5000
	ctx     context.Context // the request's context; default the test's
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response body %s: %v", r.body, err)
	}
}

func (h *harness) do(r request) response {
	h.t.Helper()
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, h.httpRequest(r))
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// doInto is do with the response body written into body, which a test can
// size beforehand so that the recording allocates nothing.
func (h *harness) doInto(r request, body *bytes.Buffer) response {
	h.t.Helper()
	rec := httptest.NewRecorder()
	rec.Body = body
	h.srv.Handler().ServeHTTP(rec, h.httpRequest(r))
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// httpRequest is the *http.Request for r.
func (h *harness) httpRequest(r request) *http.Request {
	h.t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		body = bytes.NewReader(j)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if r.ctx != nil {
		req = req.WithContext(r.ctx)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	req.RemoteAddr = "192.0.2.10:5000"
	if r.remote != "" {
		req.RemoteAddr = r.remote
	}
	return req
}

// user is an account the test signed up, acting as the client would: every
// key is random bytes.
type user struct {
	email      string
	authKey    []byte
	salt       []byte
	wrappedKey []byte
}

func newUser() user {
	return user{
		email:      "u" + b64(randBytes(6)) + "@example.test",
		authKey:    randBytes(32),
		salt:       randBytes(16),
		wrappedKey: randBytes(72),
	}
}

func (u user) kdf() map[string]any {
	return kdfWith(u.salt)
}

// kdfWith is the published KDF parameters over salt, in wire form.
func kdfWith(salt []byte) map[string]any {
	return map[string]any{"alg": server.KDFAlg, "memoryKiB": server.KDFMemoryKiB, "iterations": server.KDFIterations, "parallelism": server.KDFParallelism, "salt": b64(salt)}
}

func (u user) signup() map[string]any {
	return map[string]any{"email": u.email, "authKey": b64(u.authKey), "kdf": u.kdf(), "wrappedKey": b64(u.wrappedKey)}
}

func (u user) login() map[string]any {
	return map[string]any{"email": u.email, "authKey": b64(u.authKey)}
}

type grant struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	ExpiresIn    int    `json:"expiresIn"`
	WrappedKey   string `json:"wrappedKey"`
}

// register signs a new user up and in.
func (h *harness) register() (user, grant) {
	h.t.Helper()
	u := newUser()
	if r := h.do(request{method: "POST", path: "/api/v1/accounts", body: u.signup()}); r.status != http.StatusCreated {
		h.t.Fatalf("sign-up: %d %s", r.status, r.body)
	}
	return u, h.login(u)
}

func (h *harness) login(u user) grant {
	h.t.Helper()
	r := h.do(request{method: "POST", path: "/api/v1/sessions", body: u.login()})
	if r.status != http.StatusOK {
		h.t.Fatalf("sign-in: %d %s", r.status, r.body)
	}
	var g grant
	r.json(h.t, &g)
	return g
}

func (h *harness) refresh(token string) (grant, response) {
	h.t.Helper()
	r := h.do(request{method: "POST", path: "/api/v1/sessions/refresh", body: map[string]string{"refreshToken": token}})
	var g grant
	if r.status == http.StatusOK {
		r.json(h.t, &g)
	}
	return g, r
}

// check runs a scenario table.
type scenario struct {
	name       string
	req        request
	wantStatus int
	wantBody   []string // fragments the body must contain
}

func (h *harness) run(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		r := h.do(sc.req)
		if r.status != sc.wantStatus {
			t.Errorf("%s: %s %s = %d %s, want %d", sc.name, sc.req.method, sc.req.path, r.status, r.body, sc.wantStatus)
			continue
		}
		for _, frag := range sc.wantBody {
			if !bytes.Contains(r.body, []byte(frag)) {
				t.Errorf("%s: %s %s body %s lacks %q", sc.name, sc.req.method, sc.req.path, r.body, frag)
			}
		}
	}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// doChunked sends body with no Content-Length, as a streaming client would.
func (h *harness) doChunked(r request, body string) response {
	h.t.Helper()
	req := httptest.NewRequest(r.method, r.path, io.NopCloser(strings.NewReader(body)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+r.token)
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}
