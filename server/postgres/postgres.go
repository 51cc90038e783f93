// Package postgres implements server.Store on PostgreSQL with a pgx/v5
// pool. Use it to run several replicas behind a load balancer: every piece
// of shared state (sessions, refresh tokens, throttle counts) is in the
// database.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/heyan-dev/heyan/server"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the first key of the advisory lock that serializes
// migrations; the second is a hash of the schema, so separate schemas in one
// database migrate independently.
const migrationLock = 0x48_59_41_4e // "HYAN"

// DB is a server.Store on a PostgreSQL database.
type DB struct {
	pool   *pgxpool.Pool
	closed atomic.Bool
}

var _ server.Store = (*DB)(nil)

// Open connects to the database at url (a postgres:// URL; pgx settings
// such as pool_max_conns and search_path may be given as query parameters)
// and applies any pending migrations.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message can quote the URL, password included.
		return nil, errors.New("postgres: cannot parse the database URL")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db := &DB{pool: pool}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// migrate applies the embedded migrations in order, each in its own
// transaction that also records its version, holding an advisory lock so
// that replicas starting together migrate one at a time.
func (db *DB) migrate(ctx context.Context) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, hashtext(current_schema()))`, migrationLock); err != nil {
		return fmt.Errorf("postgres: migration lock: %w", err)
	}
	defer func() {
		// A fresh context: the lock must be released even if ctx ended.
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, migrationLock); err != nil {
			conn.Conn().Close(uctx) // closing the session drops the lock
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at BIGINT  NOT NULL
	)`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	known, err := server.MigrationVersion(names[len(names)-1])
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	var applied int
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&applied); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	if err := server.CheckSchema(applied, known); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	for _, name := range names {
		version, err := server.MigrationVersion(name)
		if err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			var done bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, version).Scan(&done); err != nil || done {
				return err
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, version, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
	}
	return nil
}

// Close closes the pool.
func (db *DB) Close() error {
	db.closed.Store(true)
	db.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) (err error) {
	defer db.classify(ctx, &err)
	return db.pool.Ping(ctx)
}

// inTx runs fn in a transaction, committing if it returns nil. An error of
// type *commitAnyway is committed too, then its error returned.
func (db *DB) inTx(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	tx, err := db.pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	err = fn(tx)
	var ca *commitAnyway
	if err != nil && !errors.As(err, &ca) {
		_ = tx.Rollback(ctx)
		return err
	}
	if cerr := tx.Commit(ctx); cerr != nil {
		return cerr
	}
	if ca != nil {
		return ca.err
	}
	return nil
}

// classify runs as every store method returns. A failure that means the
// database cannot be used right now becomes server.Unavailable (503 with
// Retry-After): the store closed, a connection that cannot be made or was
// lost, a server shutting down or out of connections. When ctx ended, its
// error is reported, so the transport can tell a timeout (503) from a client
// that went away. Anything else, a *server.Error included, passes unchanged.
func (db *DB) classify(ctx context.Context, err *error) {
	e := *err
	var se *server.Error
	switch {
	case e == nil || errors.As(e, &se):
	case ctx.Err() != nil:
		*err = ctx.Err()
	case errors.Is(e, context.Canceled) || errors.Is(e, context.DeadlineExceeded):
	case db.closed.Load() || connectionFailed(e):
		*err = server.Unavailable(e)
	}
}

// connectionFailed tells the errors of an unreachable or departing server
// from those of a statement.
func connectionFailed(err error) bool {
	var (
		pe *pgconn.PgError
		ce *pgconn.ConnectError
		ne net.Error
	)
	if errors.As(err, &pe) {
		// Class 08: connection exception; 53: insufficient resources (too
		// many connections, disk full); 57P01-03: the server is shutting
		// down, crashed, or not yet accepting connections.
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "53") ||
			pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	return errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// commitAnyway marks an error whose transaction must still commit: a
// revoked session stays revoked even though the request fails.
type commitAnyway struct{ err error }

// Error returns the wrapped error's text.
func (c *commitAnyway) Error() string { return c.err.Error() }

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromNullMS(v *int64) time.Time {
	if v == nil {
		return time.Time{}
	}
	return fromMS(*v)
}

func nullMS(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	v := ms(t)
	return &v
}
