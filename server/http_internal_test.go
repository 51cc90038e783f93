package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

func TestCodeStatusTable(t *testing.T) {
	codes := []string{CodeInvalid, CodeUnauthorized, CodeNotFound, CodeMethodNotAllowed, CodeQuotaExceeded, CodeEmailTaken, CodeCursorExpired,
		CodeRevMismatch, CodeTooLarge, CodeUnsupportedMedia, CodePreconditionRequired, CodeThrottled, CodeInternal, CodeUnavailable}
	if len(codes) != len(codeStatus) {
		t.Errorf("%d codes, %d in the table", len(codes), len(codeStatus))
	}
	for _, c := range codes {
		s, ok := codeStatus[c]
		if !ok {
			t.Errorf("code %q has no status", c)
		}
		if statusCode[s] != c {
			t.Errorf("status %d maps back to %q, want %q", s, statusCode[s], c)
		}
	}
	if ErrorStatus("no-such-code") != http.StatusInternalServerError {
		t.Error("an unknown code is not a 500")
	}
}

// bareServer is a Server with no store behind it, for middleware tests that
// add their own routes.
func bareServer(t *testing.T, cfg HTTPConfig) *Server {
	t.Helper()
	pem, _ := GenerateKeyFile()
	k, _ := ParseKey(pem)
	kr, _ := NewKeyring(k)
	svc, err := NewService(nil, kr, Config{Secret: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s, err := NewServer(svc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPanicIsA500(t *testing.T) {
	s := bareServer(t, HTTPConfig{})
	s.echo.GET("/boom", func(c echo.Context) error { panic("user data that must not be logged") })
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/boom", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"internal"`) {
		t.Errorf("panic = %d %s", rec.Code, rec.Body)
	}
}

func TestRequestTimeout(t *testing.T) {
	s := bareServer(t, HTTPConfig{RequestTimeout: 50 * time.Millisecond})
	s.echo.GET("/slow", func(c echo.Context) error {
		<-c.Request().Context().Done()
		return c.Request().Context().Err()
	})
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/slow", nil))
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "timed out") || rec.Header().Get("Retry-After") == "" {
		t.Errorf("slow handler = %d %s (Retry-After %q), want 503 with Retry-After", rec.Code, rec.Body, rec.Header().Get("Retry-After"))
	}
}

func TestJudgeRefresh(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ttl := time.Hour
	live := RefreshToken{State: TokenLive, IssuedAt: t0}
	used := RefreshToken{State: TokenUsed, IssuedAt: t0, UsedAt: t0}
	succLive := &RefreshToken{State: TokenLive, IssuedAt: t0}
	succUsed := &RefreshToken{State: TokenUsed, IssuedAt: t0, UsedAt: t0}
	for _, tc := range []struct {
		name string
		tok  RefreshToken
		succ *RefreshToken
		now  time.Time
		want RefreshVerdict
	}{
		{"live", live, nil, t0, VerdictRotate},
		{"live, just before expiry", live, nil, t0.Add(ttl - time.Millisecond), VerdictRotate},
		{"live, expired", live, nil, t0.Add(ttl), VerdictReject},
		{"used, successor live, at once", used, succLive, t0, VerdictGrace},
		{"used, successor live, at 30 s", used, succLive, t0.Add(RefreshGrace), VerdictGrace},
		{"used, successor live, after 30 s", used, succLive, t0.Add(RefreshGrace + time.Millisecond), VerdictRevoke},
		{"used, successor used", used, succUsed, t0, VerdictRevoke},
		{"used, no successor", used, nil, t0, VerdictRevoke},
		{"regraced", RefreshToken{State: TokenRegraced, UsedAt: t0}, succLive, t0, VerdictRevoke},
		{"retired", RefreshToken{State: TokenRetired, IssuedAt: t0}, nil, t0, VerdictRevoke},
	} {
		if got := JudgeRefresh(tc.tok, tc.succ, tc.now, RefreshGrace, ttl); got != tc.want {
			t.Errorf("%s: JudgeRefresh = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestClientBlock(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2::9", "2001:db8:1:2::/64"},
		{"", "unknown"},
		{"garbage", "unknown"},
	} {
		if got := clientBlock(tc.in); got != tc.want {
			t.Errorf("clientBlock(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestAddressThrottleKey: one key per client block, keyed by the secret,
// with no trace of the address in it.
func TestAddressThrottleKey(t *testing.T) {
	pem, _ := GenerateKeyFile()
	k, _ := ParseKey(pem)
	kr, _ := NewKeyring(k)
	svc := func(secret byte) *Service {
		s, err := NewService(nil, kr, Config{Secret: bytes.Repeat([]byte{secret}, 32)})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s, other := svc(1), svc(2)
	for _, same := range [][2]string{{"192.0.2.1", "::ffff:192.0.2.1"}, {"2001:db8:1:2::1", "2001:db8:1:2:ffff::9"}} {
		if s.addressThrottleKey(same[0]) != s.addressThrottleKey(same[1]) {
			t.Errorf("%s and %s have different keys", same[0], same[1])
		}
	}
	for _, diff := range [][2]string{{"192.0.2.1", "192.0.2.2"}, {"2001:db8:1:2::1", "2001:db8:1:3::1"}} {
		if s.addressThrottleKey(diff[0]) == s.addressThrottleKey(diff[1]) {
			t.Errorf("%s and %s share a key", diff[0], diff[1])
		}
	}
	for _, addr := range []string{"192.0.2.1", "2001:db8:1:2::1", "garbage"} {
		key := s.addressThrottleKey(addr)
		if !strings.HasPrefix(key, "addr:") || strings.Contains(key, addr) || strings.Contains(key, clientBlock(addr)) {
			t.Errorf("key for %s is %q", addr, key)
		}
		if key == other.addressThrottleKey(addr) {
			t.Errorf("key for %s does not depend on the secret", addr)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"A@Example.TEST", "a@example.test"},
		{"  a@b.c ", "a@b.c"},
		{"a@", ""},
		{"@b", ""},
		{"a b@c", ""},
		{"a\x00@c", ""},
		{"", ""},
		{strings.Repeat("a", 250) + "@b.cd", ""},
	} {
		got, err := normalizeEmail(tc.in)
		if (err == nil) != (tc.want != "") || got != tc.want {
			t.Errorf("normalizeEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestTokenOnlyRoutesFailClosed: a route admitted by authenticateToken (the
// session not yet checked) gives its handler no live session: sessionOf
// finds none there and refuses, so a handler cannot use an unchecked
// session by mistake.
func TestTokenOnlyRoutesFailClosed(t *testing.T) {
	s := bareServer(t, HTTPConfig{})
	s.echo.GET("/token-only", func(c echo.Context) error {
		if _, err := sessionOf(c); err != nil {
			return err
		}
		return c.NoContent(http.StatusOK)
	}, s.authenticateToken)
	token, err := s.service.tokens.Issue(SessionRef{SessionID: "s", AccountID: "a", Stamp: 1})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/token-only", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("sessionOf behind authenticateToken = %d %s, want 401", rec.Code, rec.Body)
	}
}
