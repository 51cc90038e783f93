// Package sqlite implements server.Store on one SQLite file with the pure Go
// modernc.org/sqlite driver. It is the default store: one process, no setup.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/heyan-dev/heyan/server"
	sqlitedriver "modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// pragma is one per-connection setting: set through the DSN (so every
// connection the pool opens gets it) and read back at Open, because a
// misspelt DSN pragma would otherwise be silently ignored.
type pragma struct {
	name string
	set  string // value in the DSN
	want string // value PRAGMA name reports
}

var pragmas = []pragma{
	// Wait up to 5 s for a lock another process holds (a backup, a second
	// server started by mistake) instead of failing at once.
	{"busy_timeout", "5000", "5000"},
	// The write-ahead log lets readers run beside the one writer, and a
	// commit is one append plus one fsync.
	{"journal_mode", "WAL", "wal"},
	// FULL fsyncs the WAL at every commit, so an acknowledged write survives
	// a crash or power loss; NORMAL in WAL mode could lose the last commits.
	{"synchronous", "FULL", "2"},
	// The ON DELETE CASCADE clauses are how deleting an account erases its
	// sessions, tokens and records; SQLite ignores them unless this is on.
	{"foreign_keys", "1", "1"},
	// Overwrite deleted content, so an erased account does not linger in
	// free pages of the file.
	{"secure_delete", "1", "1"},
}

// DB is a server.Store on a SQLite file. Writes go through a pool of one
// connection: SQLite admits one writer at a time, and queueing in Go is
// cheaper and fairer than SQLite's busy-wait. Reads use their own pool.
type DB struct {
	write  *pool
	read   *pool
	batch  *batcher
	lock   *fileLock
	closed atomic.Bool
	// eraseOwed is set when an erase could not empty the WAL (readers held
	// it past busy_timeout); the next Purge tries again.
	eraseOwed atomic.Bool
}

var _ server.Store = (*DB)(nil)

// Open opens the database file at path, creating it and its folder (0700)
// when missing, checks the pragmas and applies any pending migrations. It
// holds a lock on PATH.lock until Close: a second Open of the same file,
// from this process or another, is refused with a message naming the
// holder.
func Open(ctx context.Context, path string) (*DB, error) {
	return open(ctx, path, pragmas)
}

// open is Open with the pragmas to set and check, so a test can give it a
// DSN whose pragma does not take.
func open(ctx context.Context, path string, pragmas []pragma) (*DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: bad database path %q", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	lock, err := lockFile(path)
	if err != nil {
		return nil, err
	}
	opened := false
	defer func() {
		if !opened {
			lock.release()
		}
	}()
	// Create the file owner-only: it holds emails. SQLite gives the -wal and
	// -shm files the database file's permissions.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	f.Close()
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p.name+"("+p.set+")")
	}
	// BEGIN IMMEDIATE takes the write lock at the start of a transaction, so
	// a transaction that reads then writes never fails to upgrade its lock.
	q.Set("_txlock", "immediate")
	write, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)

	q.Del("_txlock")
	q.Add("_pragma", "query_only(1)")
	read, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	read.SetMaxOpenConns(max(4, runtime.NumCPU()))

	db := &DB{write: newPool(write), read: newPool(read)}
	// From here db.Close releases the lock.
	db.lock, opened = lock, true
	// The write pool first: it creates the file and switches it to WAL.
	for _, p := range []*sql.DB{write, read} {
		if err := checkPragmas(ctx, p, pragmas); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	for _, q := range []string{qBumpSeq, qRecord, qPutRecord, qAddUsage, "SAVEPOINT w", "ROLLBACK TO w", "RELEASE w"} {
		if db.write.stmt(ctx, q) == nil {
			db.Close()
			return nil, fmt.Errorf("sqlite: cannot prepare %q", q)
		}
	}
	db.batch = newBatcher(db)
	return db, nil
}

// checkPragmas reads each pragma back on a connection of pool; the pool's
// other connections come from the same DSN.
func checkPragmas(ctx context.Context, pool *sql.DB, pragmas []pragma) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: open: %w", err)
	}
	defer conn.Close()
	for _, p := range pragmas {
		var got string
		if err := conn.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(&got); err != nil {
			return fmt.Errorf("sqlite: read pragma %s: %w", p.name, err)
		}
		if !strings.EqualFold(got, p.want) {
			return fmt.Errorf("sqlite: pragma %s is %q, want %q", p.name, got, p.want)
		}
	}
	return nil
}

// migrate applies the embedded migrations in order, each in its own
// transaction that also records its version. BEGIN IMMEDIATE serializes two
// processes migrating the same file; each re-checks inside its transaction.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	known, err := server.MigrationVersion(names[len(names)-1])
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	var applied int
	if err := db.write.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&applied); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	if err := server.CheckSchema(applied, known); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	for _, name := range names {
		version, err := server.MigrationVersion(name)
		if err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = db.inTx(ctx, func(tx tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil || n > 0 {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", name, err)
		}
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	db.closed.Store(true)
	if db.batch != nil {
		db.batch.close()
	}
	err := errors.Join(db.read.Close(), db.write.Close())
	return errors.Join(err, db.lock.release())
}

// Ping checks that a read can be made.
func (db *DB) Ping(ctx context.Context) (err error) {
	defer db.classify(ctx, &err)
	var one int
	return db.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// IntegrityCheck runs PRAGMA integrity_check and returns its report, "ok"
// for an intact database.
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	rows, err := db.read.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		lines = append(lines, s)
	}
	return strings.Join(lines, "\n"), rows.Err()
}

// inTx runs fn in a write transaction, committing if it returns nil. An
// error of type *commitAnyway is committed too, then its error returned.
func (db *DB) inTx(ctx context.Context, fn func(tx) error) error {
	t, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	err = fn(tx{Tx: t, pool: db.write})
	var ca *commitAnyway
	if err != nil && !errors.As(err, &ca) {
		_ = t.Rollback()
		return err
	}
	if cerr := t.Commit(); cerr != nil {
		return cerr
	}
	if ca != nil {
		return ca.err
	}
	return nil
}

// eraseTimeout bounds an erase; it runs after the request's own work, so
// it does not take the request's deadline.
const eraseTimeout = 10 * time.Second

// erase moves every page in the WAL into the database file and truncates the
// WAL to nothing (wal_checkpoint(TRUNCATE)). After a delete, the WAL still
// holds earlier images of the pages, with the deleted rows in them, until
// its frames are overwritten; secure_delete only zeroes the rows in the
// pages' newest images. The checkpoint waits (busy_timeout) for readers
// still using the WAL; if they outlast it, the erase is owed and the next
// Purge tries again. The deletion itself has committed either way, so a
// failure here is not the caller's error.
func (db *DB) erase(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), eraseTimeout)
	defer cancel()
	var busy, frames, moved int
	err := db.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &moved)
	db.eraseOwed.Store(err != nil || busy != 0)
}

// classify runs as every store method returns. A failure that means the
// database cannot be used right now becomes server.Unavailable (503 with
// Retry-After): the store closed (shutting down), the file locked by another
// process past busy_timeout, the file gone. When ctx ended, its error is
// reported instead of what SQLite made of the interruption, so the transport
// can tell a timeout (503) from a client that went away. Anything else, a
// *server.Error included, passes unchanged.
func (db *DB) classify(ctx context.Context, err *error) {
	e := *err
	var se *server.Error
	var le *sqlitedriver.Error
	switch {
	case e == nil || errors.As(e, &se):
	case ctx.Err() != nil:
		*err = ctx.Err()
	case errors.Is(e, context.Canceled) || errors.Is(e, context.DeadlineExceeded):
	case db.closed.Load() || errors.Is(e, errClosed):
		*err = server.Unavailable(e)
	case errors.As(e, &le):
		switch le.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN:
			*err = server.Unavailable(e)
		}
	}
}

// commitAnyway marks an error whose transaction must still commit: a
// revoked session stays revoked even though the request fails.
type commitAnyway struct{ err error }

// Error returns the wrapped error's text.
func (c *commitAnyway) Error() string { return c.err.Error() }

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromNullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}

func nullMS(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: ms(t), Valid: true}
}
