package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// codeStatus is the one table from error code to HTTP status. Each status
// appears once, so an error echo raises itself (a 404 for an unknown route, a
// 405) maps back to exactly one code.
var codeStatus = map[string]int{
	CodeInvalid:              http.StatusBadRequest,
	CodeUnauthorized:         http.StatusUnauthorized,
	CodeNotFound:             http.StatusNotFound,
	CodeMethodNotAllowed:     http.StatusMethodNotAllowed,
	CodeQuotaExceeded:        http.StatusForbidden,
	CodeEmailTaken:           http.StatusConflict,
	CodeCursorExpired:        http.StatusGone,
	CodeRevMismatch:          http.StatusPreconditionFailed,
	CodeTooLarge:             http.StatusRequestEntityTooLarge,
	CodeUnsupportedMedia:     http.StatusUnsupportedMediaType,
	CodePreconditionRequired: http.StatusPreconditionRequired,
	CodeThrottled:            http.StatusTooManyRequests,
	CodeInternal:             http.StatusInternalServerError,
	CodeUnavailable:          http.StatusServiceUnavailable,
}

// statusCode inverts codeStatus for errors raised by echo itself.
var statusCode = func() map[int]string {
	m := make(map[int]string, len(codeStatus))
	for code, status := range codeStatus {
		if _, dup := m[status]; dup {
			panic(fmt.Sprintf("status %d has two codes", status))
		}
		m[status] = code
	}
	return m
}()

// ErrorStatus returns the HTTP status for an error code (500 for an unknown
// code).
func ErrorStatus(code string) int {
	if s, ok := codeStatus[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// BodyLimit is the largest request body accepted: a record's 64 KiB in
// base64url is about 86 KiB, plus room for the JSON around it.
const BodyLimit = 128 << 10

// HTTPConfig configures the HTTP side of a Server. Zero fields take the
// defaults noted.
type HTTPConfig struct {
	// AllowedOrigins are the browser extension origins allowed to call the
	// API cross-origin, each exactly chrome-extension://<32 letters a-p> or
	// moz-extension://<UUID>. None means no CORS headers at all.
	AllowedOrigins []string
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For is believed. None means the client address is the
	// connection's peer and X-Forwarded-For is ignored.
	TrustedProxies []netip.Prefix
	// RequestTimeout bounds a handler's work (echo's ContextTimeout);
	// default DefaultRequestTimeout (10 s).
	RequestTimeout time.Duration
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout are the
	// http.Server timeouts; defaults 5 s, 30 s, 30 s and 120 s.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// ShutdownTimeout bounds how long Serve waits for in-flight requests
	// after its context ends; default DefaultShutdownTimeout (20 s).
	ShutdownTimeout time.Duration
	// PurgeInterval is how often expired data is purged; default 1 h.
	// Negative disables purging.
	PurgeInterval time.Duration
	// Logger receives access logs and errors; default slog.Default().
	Logger *slog.Logger
}

func (c *HTTPConfig) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.RequestTimeout, DefaultRequestTimeout)
	def(&c.ReadHeaderTimeout, 5*time.Second)
	def(&c.ReadTimeout, 30*time.Second)
	def(&c.WriteTimeout, 30*time.Second)
	def(&c.IdleTimeout, 120*time.Second)
	def(&c.ShutdownTimeout, DefaultShutdownTimeout)
	def(&c.PurgeInterval, time.Hour)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Server is the HTTP API over a Service.
type Server struct {
	service  *Service
	cfg      HTTPConfig
	log      *slog.Logger
	echo     *echo.Echo
	inFlight inFlight
}

// NewServer returns the API for svc with every route and middleware in
// place.
func NewServer(svc *Service, cfg HTTPConfig) (*Server, error) {
	cfg.setDefaults()
	origins := make(map[string]bool, len(cfg.AllowedOrigins))
	for _, o := range cfg.AllowedOrigins {
		if err := CheckOrigin(o); err != nil {
			return nil, err
		}
		origins[o] = true
	}
	s := &Server{service: svc, cfg: cfg, log: cfg.Logger, echo: echo.New()}
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	e.Use(s.accessLog, s.inFlight.track, s.recoverPanic, secureHeaders)
	if len(origins) > 0 {
		e.Use(cors(origins))
	}
	e.Use(bodyLimit(BodyLimit), contextTimeout(cfg.RequestTimeout))
	s.routes()
	return s, nil
}

// Handler returns the API as an http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// routes registers every route, one function per resource.
func (s *Server) routes() {
	s.echo.GET("/healthz", s.healthz)
	s.echo.GET("/readyz", s.readyz)
	api := s.echo.Group("/api/v1")
	s.accountRoutes(api)
	s.sessionRoutes(api)
	s.recordRoutes(api)
}

// handlerGrace is how long Serve waits for handlers to return once their
// connections are closed at the end of the shutdown timeout. Closing a
// connection cancels its request's context, which every store call obeys,
// so they return at once; this only bounds a handler that does not.
const handlerGrace = 5 * time.Second

// Serve answers requests on ln until ctx ends, then stops accepting
// connections and waits (up to ShutdownTimeout) for in-flight requests to
// finish. Requests still running after that are cut short: their
// connections are closed, which cancels their contexts, each is logged, and
// Serve waits for their handlers to return, so that the store can be closed
// after it. That is still a clean stop (nil). It also purges expired data
// every PurgeInterval.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	purgeCtx, stopPurge := context.WithCancel(context.Background())
	var purging sync.WaitGroup
	if s.cfg.PurgeInterval > 0 {
		purging.Go(func() { s.purgeLoop(purgeCtx) })
	}
	defer func() {
		stopPurge()
		purging.Wait()
	}()

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.cutShort(hs)
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// cutShort closes every connection still open after the shutdown timeout,
// logs the requests that were running on them, and waits for their
// handlers.
func (s *Server) cutShort(hs *http.Server) error {
	running := s.inFlight.list()
	for _, r := range running {
		s.log.Warn("cut short by shutdown", "request_id", r.id, "method", r.method, "route", r.route,
			"ms", float64(time.Since(r.start).Microseconds())/1000)
	}
	s.log.Warn("shutdown timeout reached: closing the remaining connections", "requests", len(running))
	hs.Close()
	if !s.inFlight.wait(handlerGrace) {
		return fmt.Errorf("%d handlers still running %s after their connections were closed", s.inFlight.count(), handlerGrace)
	}
	return nil
}

// inFlight keeps the requests whose handlers are running, for shutdown.
type inFlight struct {
	mu      sync.Mutex
	running map[*http.Request]runningRequest
	idle    chan struct{} // closed when running empties; nil while it is
}

type runningRequest struct {
	id, method, route string
	start             time.Time
}

// track is the middleware that registers each request while its handler
// runs. It comes after accessLog, which sets the request ID, and after
// routing, so the route pattern (never the URL) is known.
func (f *inFlight) track(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		f.mu.Lock()
		if f.running == nil {
			f.running = map[*http.Request]runningRequest{}
		}
		f.running[req] = runningRequest{id: c.Response().Header().Get(echo.HeaderXRequestID), method: req.Method, route: c.Path(), start: time.Now()}
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			delete(f.running, req)
			if len(f.running) == 0 && f.idle != nil {
				close(f.idle)
				f.idle = nil
			}
			f.mu.Unlock()
		}()
		return next(c)
	}
}

func (f *inFlight) list() []runningRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]runningRequest, 0, len(f.running))
	for _, r := range f.running {
		out = append(out, r)
	}
	return out
}

func (f *inFlight) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.running)
}

// wait reports whether every running handler returned within d.
func (f *inFlight) wait(d time.Duration) bool {
	f.mu.Lock()
	if len(f.running) == 0 {
		f.mu.Unlock()
		return true
	}
	if f.idle == nil {
		f.idle = make(chan struct{})
	}
	idle := f.idle
	f.mu.Unlock()
	select {
	case <-idle:
		return true
	case <-time.After(d):
		return false
	}
}

func (s *Server) purgeLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.PurgeInterval)
	defer t.Stop()
	for {
		pctx, cancel := context.WithTimeout(ctx, time.Minute)
		if err := s.service.Purge(pctx); err != nil && ctx.Err() == nil {
			s.log.Error("purge failed", "err", err.Error())
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, statusResponse{Status: "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.service.Ready(ctx); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, statusResponse{Status: "ok"})
}

type statusResponse struct {
	Status string `json:"status"`
}

// errorResponse is the body of every error.
type errorResponse struct {
	Error   errorBody   `json:"error"`
	Current *recordJSON `json:"current,omitempty"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// handleError is echo's one HTTPErrorHandler: every error any handler or
// middleware returns is written here, as {"error":{"code","message"}}.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	e := toError(err)
	switch e.Code {
	case CodeInternal:
		s.log.Error("internal error", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err.Error())
	case CodeUnavailable:
		// Not our fault, and not a bug: a warning, with the cause.
		s.log.Warn("unavailable", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err.Error())
	}
	h := c.Response().Header()
	body := errorResponse{Error: errorBody{Code: e.Code, Message: e.Message}}
	switch e.Code {
	case CodeUnauthorized:
		h.Set(echo.HeaderWWWAuthenticate, `Bearer realm="heyan"`)
	case CodeThrottled, CodeUnavailable:
		h.Set(echo.HeaderRetryAfter, strconv.Itoa(retryAfterSeconds(e.RetryAfter)))
	case CodeRevMismatch:
		if e.Current != nil {
			h.Set(headerETag, etag(e.Current.Rev))
			cur := toRecordJSON(*e.Current)
			body.Current = &cur
		}
	}
	status := ErrorStatus(e.Code)
	var werr error
	if c.Request().Method == http.MethodHead {
		werr = c.NoContent(status)
	} else {
		werr = c.JSON(status, body)
	}
	if werr != nil {
		s.log.Debug("writing error response failed", "err", werr.Error())
	}
}

// toError turns anything a handler returned into an *Error a client may see.
func toError(err error) *Error {
	var (
		e   *Error
		he  *echo.HTTPError
		mbe *http.MaxBytesError
	)
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &mbe):
		return Errorf(CodeTooLarge, "body is over %d bytes", mbe.Limit)
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Code: CodeUnavailable, Message: "request timed out", RetryAfter: UnavailableRetry}
	case errors.As(err, &he):
		code, ok := statusCode[he.Code]
		if !ok {
			code = CodeInternal
			if he.Code < 500 {
				code = CodeInvalid
			}
		}
		msg := strings.ToLower(http.StatusText(he.Code))
		if m, ok := he.Message.(string); ok && he.Code < 500 {
			msg = strings.ToLower(m)
		}
		if code == CodeInternal {
			msg = "internal error"
		}
		return Errorf(code, "%s", msg)
	}
	return Errorf(CodeInternal, "internal error")
}
