package server

import (
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
	codes := []string{CodeInvalid, CodeUnauthorized, CodeNotFound, CodeMethodNotAllowed, CodeEmailTaken, CodeCursorExpired,
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
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "timed out") {
		t.Errorf("slow handler = %d %s, want 503", rec.Code, rec.Body)
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

func TestAddressThrottleKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"192.0.2.1", "addr:192.0.2.1"},
		{"::ffff:192.0.2.1", "addr:192.0.2.1"},
		{"2001:db8:1:2:3:4:5:6", "addr:2001:db8:1:2::/64"},
		{"2001:db8:1:2::9", "addr:2001:db8:1:2::/64"},
		{"", "addr:unknown"},
		{"garbage", "addr:unknown"},
	} {
		if got := addressThrottleKey(tc.in); got != tc.want {
			t.Errorf("addressThrottleKey(%q) = %q, want %q", tc.in, got, tc.want)
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
