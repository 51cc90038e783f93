package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestClassify: connection failures become CodeUnavailable; statement
// errors, the service's own errors and context errors pass unchanged, and an
// ended context is reported as its own error.
func TestClassify(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, connectErr := pgconn.Connect(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
	if connectErr == nil {
		t.Fatal("connected to port 1")
	}
	unauthorized := server.Unauthorized()
	for _, tc := range []struct {
		name string
		err  error
		want string // code, or "" for "unchanged"
	}{
		{"connection refused", connectErr, server.CodeUnavailable},
		{"server shutting down", &pgconn.PgError{Code: "57P01"}, server.CodeUnavailable},
		{"not yet accepting connections", &pgconn.PgError{Code: "57P03"}, server.CodeUnavailable},
		{"connection failure", &pgconn.PgError{Code: "08006"}, server.CodeUnavailable},
		{"too many connections", &pgconn.PgError{Code: "53300"}, server.CodeUnavailable},
		{"network error", fmt.Errorf("read: %w", &net.OpError{Op: "read", Err: errors.New("connection reset")}), server.CodeUnavailable},
		{"connection dropped", fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF), server.CodeUnavailable},
		{"conn closed", fmt.Errorf("query: %w", pgconn.ErrConnClosed), server.CodeUnavailable},
		{"unique violation", &pgconn.PgError{Code: "23505"}, ""},
		{"syntax error", &pgconn.PgError{Code: "42601"}, ""},
		{"the service's own error", unauthorized, ""},
		{"client gone", context.Canceled, ""},
	} {
		err := tc.err
		(&DB{}).classify(context.Background(), &err)
		switch {
		case tc.want == "" && err != tc.err:
			t.Errorf("%s: %v became %v, want it unchanged", tc.name, tc.err, err)
		case tc.want != "" && server.ErrorCode(err) != tc.want:
			t.Errorf("%s: %v has code %q, want %q", tc.name, err, server.ErrorCode(err), tc.want)
		}
	}
	// A failure after the caller's context ended is reported as that.
	done, stop := context.WithCancel(context.Background())
	stop()
	err := error(&pgconn.PgError{Code: "57014"})
	(&DB{}).classify(done, &err)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("failure after cancel = %v, want context.Canceled", err)
	}
}
