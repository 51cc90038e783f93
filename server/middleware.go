package server

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// accessLog writes one structured line per request. It logs the route
// pattern, never the URL, headers, body or client address: those can hold
// emails, tokens, keys, record IDs or personal data. It also hands errors to
// the error handler itself, so the line has the final status.
//
// A request whose client went away (its context canceled: a closed tab, a
// dropped connection) fails with context.Canceled or, from SQLite, an
// interrupt. Nobody reads that answer and nothing is wrong on our side, so
// none is written and the line is at debug level, with status 499 (nginx's
// "client closed request") and code "canceled".
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		id := hex.EncodeToString(randomBytes(8))
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		client := c.Request().Context() // before contextTimeout replaces it
		err := next(c)
		gone := err != nil && (errors.Is(err, context.Canceled) || client.Err() != nil)
		if err != nil && !gone {
			c.Error(err)
		}
		res := c.Response()
		route := c.Path()
		if route == "" {
			route = "(none)"
		}
		status := res.Status
		if gone && !res.Committed {
			status = statusClientClosed
		}
		attrs := []slog.Attr{
			slog.String("request_id", id),
			slog.String("method", c.Request().Method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Int64("bytes", res.Size),
			slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
		}
		level := slog.LevelInfo
		switch {
		case gone:
			attrs = append(attrs, slog.String("code", "canceled"))
			level = slog.LevelDebug
		case err != nil:
			attrs = append(attrs, slog.String("code", toError(err).Code))
			if res.Status == http.StatusServiceUnavailable {
				level = slog.LevelWarn
			} else if res.Status >= 500 {
				level = slog.LevelError
			}
		}
		s.log.LogAttrs(context.WithoutCancel(client), level, "request", attrs...)
		return nil
	}
}

// statusClientClosed is logged for a request whose client went away before
// the answer; it is never sent.
const statusClientClosed = 499

// recoverPanic turns a panic in a handler into a 500, so one bad request
// cannot take the process down. The stack is logged; the panic value is not,
// as it may hold request data.
func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.Error("panic", "type", fmt.Sprintf("%T", r), "stack", string(debug.Stack()))
				err = Errorf(CodeInternal, "internal error")
			}
		}()
		return next(c)
	}
}

// secureHeaders keeps tokens and records out of caches and stops browsers
// from sniffing a JSON body as anything else.
func secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set(echo.HeaderCacheControl, "no-store")
		h.Set(echo.HeaderXContentTypeOptions, "nosniff")
		return next(c)
	}
}

// bodyLimit refuses a declared length over n at once and cuts off an
// undeclared one at n; decodeJSON reports the cut as CodeTooLarge.
func bodyLimit(n int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.ContentLength > n {
				return Errorf(CodeTooLarge, "body is over %d bytes", n)
			}
			// The underlying writer, not echo's wrapper, so net/http learns
			// the body was cut and closes the connection after the reply.
			req.Body = http.MaxBytesReader(c.Response().Writer, req.Body, n)
			return next(c)
		}
	}
}

// contextTimeout bounds the handler's context; the store calls give up when
// it ends and toError reports that as CodeUnavailable.
func contextTimeout(d time.Duration) echo.MiddlewareFunc {
	return middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{
		Timeout: d,
		ErrorHandler: func(err error, c echo.Context) error {
			return err
		},
	})
}

// cors allows exactly the configured origins, compared as whole strings.
func cors(origins map[string]bool) echo.MiddlewareFunc {
	return middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOriginFunc: func(origin string) (bool, error) { return origins[origin], nil },
		AllowMethods:    []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete},
		AllowHeaders:    []string{echo.HeaderAuthorization, echo.HeaderContentType, headerIfMatch, headerIfNoneMatch},
		ExposeHeaders:   []string{headerETag, echo.HeaderRetryAfter, echo.HeaderXRequestID},
		MaxAge:          600,
	})
}

var (
	chromeOrigin  = regexp.MustCompile(`^chrome-extension://[a-p]{32}$`)
	firefoxOrigin = regexp.MustCompile(`^moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// CheckOrigin accepts only an exact extension origin: chrome-extension://
// followed by a 32-letter extension ID (letters a to p), or moz-extension://
// followed by a lower-case UUID. Wildcards, web origins and trailing slashes
// are refused.
func CheckOrigin(o string) error {
	if chromeOrigin.MatchString(o) || firefoxOrigin.MatchString(o) {
		return nil
	}
	return fmt.Errorf("allowed origin %q is not chrome-extension://<32 letters a-p> or moz-extension://<uuid>", o)
}

// ipExtractor takes the client address from X-Forwarded-For only when the
// connection comes from a configured proxy; echo otherwise trusts loopback
// and private ranges by default, so those defaults are switched off.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		p = p.Masked()
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// sessionKey holds a session known to be live; tokenKey one known only
// from its access token.
type (
	sessionKey struct{}
	tokenKey   struct{}
)

// authenticate admits a request only with a valid access token of a live
// session (Service.Authenticate) and puts that session in its context.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, err := bearer(c)
		if err != nil {
			return err
		}
		ref, err := s.service.Authenticate(c.Request().Context(), token)
		if err != nil {
			return err
		}
		req := c.Request()
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), sessionKey{}, ref)))
		return next(c)
	}
}

// authenticateToken admits a request with a valid access token and leaves
// the check that its session is live to the handler's store call, which
// makes it in the same statement as its read: sync, the commonest request,
// then costs one round trip to the database instead of two. Only a route
// whose handler reads the session with tokenOf and passes it to such a
// store call may use it; sessionOf, which the other handlers use, finds
// nothing there and fails closed.
func (s *Server) authenticateToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, err := bearer(c)
		if err != nil {
			return err
		}
		ref, err := s.service.VerifyToken(token)
		if err != nil {
			return err
		}
		req := c.Request()
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), tokenKey{}, ref)))
		return next(c)
	}
}

// bearer returns the request's bearer token.
func bearer(c echo.Context) (string, error) {
	scheme, token, ok := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", Unauthorized()
	}
	return token, nil
}

// sessionOf returns the live session authenticate stored; a route that
// forgot the middleware, or has authenticateToken's, fails closed.
func sessionOf(c echo.Context) (SessionRef, error) {
	ref, ok := c.Request().Context().Value(sessionKey{}).(SessionRef)
	if !ok {
		return SessionRef{}, Unauthorized()
	}
	return ref, nil
}

// tokenOf returns the session authenticateToken stored, which the caller
// must have its store call check.
func tokenOf(c echo.Context) (SessionRef, error) {
	ref, ok := c.Request().Context().Value(tokenKey{}).(SessionRef)
	if !ok {
		return SessionRef{}, Unauthorized()
	}
	return ref, nil
}
