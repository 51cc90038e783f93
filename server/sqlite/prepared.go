package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// pool is a connection pool that prepares each statement once and reuses
// it: parsing SQL is about a fifth of a simple request's time in SQLite, so
// every query goes through a prepared statement. database/sql re-prepares a
// statement on each connection that first runs it.
type pool struct {
	*sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

func newPool(db *sql.DB) *pool { return &pool{DB: db, stmts: map[string]*sql.Stmt{}} }

// stmt returns query prepared, or nil if preparing failed: the caller then
// runs the query unprepared, which reports the same error.
func (p *pool) stmt(ctx context.Context, query string) *sql.Stmt {
	if s := p.cached(query); s != nil {
		return s
	}
	// Not under the lock: preparing waits for a connection, and a
	// transaction holding the write pool's only one needs the lock to finish.
	s, err := p.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if prev, ok := p.stmts[query]; ok {
		s.Close() // another caller prepared it meanwhile
		return prev
	}
	p.stmts[query] = s
	return s
}

// QueryRowContext runs a prepared query expected to return one row.
func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, query, args...)
}

// QueryContext runs a prepared query.
func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

// ExecContext runs a prepared statement.
func (p *pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := p.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return p.DB.ExecContext(ctx, query, args...)
}

// Close closes the prepared statements and the pool.
func (p *pool) Close() error {
	p.mu.Lock()
	for q, s := range p.stmts {
		s.Close()
		delete(p.stmts, q)
	}
	p.mu.Unlock()
	return p.DB.Close()
}

// cached returns query if it is already prepared, else nil.
func (p *pool) cached(query string) *sql.Stmt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stmts[query]
}

// tx is a transaction that runs its pool's prepared statements when they
// are prepared already. It never prepares one itself: preparing on the pool
// needs a free connection, and the write pool's only connection is the one
// the transaction holds. Open prepares the hot statements beforehand.
type tx struct {
	*sql.Tx
	pool *pool
}

// QueryRowContext runs a query in the transaction.
func (t tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.pool.cached(query); s != nil {
		return t.Tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

// ExecContext runs a statement in the transaction.
func (t tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.pool.cached(query); s != nil {
		return t.Tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}
