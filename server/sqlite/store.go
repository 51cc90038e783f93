package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/heyan-dev/heyan/server"
	sqlitedriver "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

const accountColumns = `id, email, auth_salt, auth_hash, kdf_alg, kdf_memory_kib, kdf_iterations,
	kdf_parallelism, kdf_salt, wrapped_key, security_stamp, created_at`

// accountSelect is what is read of an account: its columns and its usage.
const accountSelect = accountColumns + `, record_count, data_bytes`

// CreateAccount inserts a new account.
func (db *DB) CreateAccount(ctx context.Context, a *server.Account) (err error) {
	defer db.classify(ctx, &err)
	res, err := db.write.ExecContext(ctx, `INSERT INTO accounts (`+accountColumns+`, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (email) DO NOTHING`,
		a.ID, a.Email, a.AuthSalt, a.AuthHash, a.KDF.Alg, a.KDF.MemoryKiB, a.KDF.Iterations,
		a.KDF.Parallelism, a.KDF.Salt, a.WrappedKey, a.Stamp, ms(a.CreatedAt), ms(a.CreatedAt))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return server.Errorf(server.CodeEmailTaken, "an account with this email exists")
	}
	return nil
}

// AccountByEmail returns the account with a normalized email, or nil.
func (db *DB) AccountByEmail(ctx context.Context, email string) (_ *server.Account, err error) {
	defer db.classify(ctx, &err)
	return scanAccount(db.read.QueryRowContext(ctx, `SELECT `+accountSelect+` FROM accounts WHERE email = ?`, email))
}

// AccountByID returns an account, or nil.
func (db *DB) AccountByID(ctx context.Context, id string) (_ *server.Account, err error) {
	defer db.classify(ctx, &err)
	return scanAccount(db.read.QueryRowContext(ctx, `SELECT `+accountSelect+` FROM accounts WHERE id = ?`, id))
}

func scanAccount(row *sql.Row) (*server.Account, error) {
	var a server.Account
	var created int64
	err := row.Scan(&a.ID, &a.Email, &a.AuthSalt, &a.AuthHash, &a.KDF.Alg, &a.KDF.MemoryKiB, &a.KDF.Iterations,
		&a.KDF.Parallelism, &a.KDF.Salt, &a.WrappedKey, &a.Stamp, &created, &a.Usage.Records, &a.Usage.Bytes)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a.CreatedAt = fromMS(created)
	return &a, nil
}

// DeleteAccount erases an account; the foreign keys cascade to its
// sessions, refresh tokens and records. secure_delete zeroes the rows in the
// pages, and erase then moves those pages out of the WAL, whose older frames
// still hold the rows as they were.
func (db *DB) DeleteAccount(ctx context.Context, id string) (err error) {
	defer db.classify(ctx, &err)
	if _, err = db.write.ExecContext(ctx, `DELETE FROM accounts WHERE id = ?`, id); err != nil {
		return err
	}
	db.erase(ctx)
	return nil
}

// ChangeCredentials replaces the credentials, bumps the stamp and replaces
// every session of the account with c.Session.
func (db *DB) ChangeCredentials(ctx context.Context, c server.CredentialChange) (err error) {
	defer db.classify(ctx, &err)
	err = db.inTx(ctx, func(tx tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET auth_salt = ?, auth_hash = ?, kdf_alg = ?,
			kdf_memory_kib = ?, kdf_iterations = ?, kdf_parallelism = ?, kdf_salt = ?, wrapped_key = ?,
			security_stamp = security_stamp + 1, updated_at = ?
			WHERE id = ? AND security_stamp = ?`,
			c.AuthSalt, c.AuthHash, c.KDF.Alg, c.KDF.MemoryKiB, c.KDF.Iterations, c.KDF.Parallelism,
			c.KDF.Salt, c.WrappedKey, ms(c.Now), c.AccountID, c.Stamp)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return server.Unauthorized()
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ?`, c.AccountID); err != nil {
			return err
		}
		return insertSession(ctx, tx, c.Session, c.Token)
	})
	if err == nil {
		// The old wrapped key opens the vault with the old password, which
		// may be why it was changed: it must not linger in the WAL.
		db.erase(ctx)
	}
	return err
}

// CreateSession stores a session and its first refresh token. An account
// deleted since its key was checked fails the session's foreign key: that
// sign-in failed, and says so as any other does.
func (db *DB) CreateSession(ctx context.Context, s server.Session, first server.RefreshToken) (err error) {
	defer db.classify(ctx, &err)
	err = db.inTx(ctx, func(tx tx) error { return insertSession(ctx, tx, s, first) })
	var le *sqlitedriver.Error
	if errors.As(err, &le) && le.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY {
		return server.Unauthorized()
	}
	return err
}

func insertSession(ctx context.Context, tx tx, s server.Session, t server.RefreshToken) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, account_id, stamp, created_at, refreshed_at) VALUES (?, ?, ?, ?, ?)`,
		s.ID, s.AccountID, s.Stamp, ms(s.CreatedAt), ms(s.RefreshedAt)); err != nil {
		return err
	}
	return insertToken(ctx, tx, t)
}

func insertToken(ctx context.Context, tx tx, t server.RefreshToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO refresh_tokens (hash, session_id, parent_hash, issued_at, used_at, state)
		VALUES (?, ?, ?, ?, ?, ?)`, t.Hash, t.SessionID, t.Parent, ms(t.IssuedAt), nullMS(t.UsedAt), string(t.State))
	return err
}

// SessionStamp returns the session's stamp if it is still its account's.
func (db *DB) SessionStamp(ctx context.Context, sessionID, accountID string) (_ int64, err error) {
	defer db.classify(ctx, &err)
	var stamp int64
	err = db.read.QueryRowContext(ctx, `SELECT s.stamp FROM sessions s
		JOIN accounts a ON a.id = s.account_id AND a.security_stamp = s.stamp
		WHERE s.id = ? AND s.account_id = ?`,
		sessionID, accountID).Scan(&stamp)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, server.Unauthorized()
	}
	return stamp, err
}

// DeleteSession ends a session; its refresh tokens cascade.
func (db *DB) DeleteSession(ctx context.Context, sessionID, accountID string) (err error) {
	defer db.classify(ctx, &err)
	_, err = db.write.ExecContext(ctx, `DELETE FROM sessions WHERE id = ? AND account_id = ?`, sessionID, accountID)
	return err
}

const tokenColumns = `hash, session_id, parent_hash, issued_at, used_at, state`

func scanToken(row *sql.Row) (*server.RefreshToken, error) {
	var t server.RefreshToken
	var issued int64
	var used sql.NullInt64
	var state string
	err := row.Scan(&t.Hash, &t.SessionID, &t.Parent, &issued, &used, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t.IssuedAt, t.UsedAt, t.State = fromMS(issued), fromNullMS(used), server.TokenState(state)
	return &t, nil
}

// Refresh applies server.JudgeRefresh to a presented token in one
// transaction (BEGIN IMMEDIATE, so two presentations of one token are
// judged one after the other).
func (db *DB) Refresh(ctx context.Context, x server.RefreshExchange) (_ server.SessionRef, err error) {
	defer db.classify(ctx, &err)
	var ref server.SessionRef
	err = db.inTx(ctx, func(tx tx) error {
		tok, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM refresh_tokens WHERE hash = ?`, x.Presented))
		if err != nil {
			return err
		}
		if tok == nil {
			return db.revokeNamed(ctx, tx, x.Session)
		}
		ref.SessionID = tok.SessionID
		var accountStamp int64
		if err := tx.QueryRowContext(ctx, `SELECT s.account_id, s.stamp, a.security_stamp FROM sessions s
			JOIN accounts a ON a.id = s.account_id WHERE s.id = ?`, tok.SessionID).Scan(&ref.AccountID, &ref.Stamp, &accountStamp); err != nil {
			return err // the foreign key keeps a token from outliving its session
		}
		if ref.Stamp != accountStamp {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, tok.SessionID); err != nil {
				return err
			}
			return &commitAnyway{server.Unauthorized()}
		}
		succ, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM refresh_tokens
			WHERE parent_hash = ? AND state <> 'retired' ORDER BY issued_at DESC LIMIT 1`, x.Presented))
		if err != nil {
			return err
		}
		next := server.RefreshToken{Hash: x.Next(tok.SessionID), SessionID: tok.SessionID, Parent: tok.Hash, IssuedAt: x.Now, State: server.TokenLive}
		switch server.JudgeRefresh(*tok, succ, x.Now, x.Grace, x.TTL) {
		case server.VerdictRotate:
			if _, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET state = 'used', used_at = ? WHERE hash = ?`, ms(x.Now), tok.Hash); err != nil {
				return err
			}
		case server.VerdictGrace:
			if _, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET state = 'retired' WHERE hash = ?`, succ.Hash); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET state = 'regraced' WHERE hash = ?`, tok.Hash); err != nil {
				return err
			}
		case server.VerdictRevoke:
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, tok.SessionID); err != nil {
				return err
			}
			return &commitAnyway{server.Unauthorized()}
		default:
			return server.Unauthorized()
		}
		if err := insertToken(ctx, tx, next); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE sessions SET refreshed_at = ? WHERE id = ?`, ms(x.Now), tok.SessionID)
		return err
	})
	if err != nil {
		return server.SessionRef{}, err
	}
	return ref, nil
}

// revokeNamed ends the session an unknown token names (see
// server.RefreshExchange.Session). A token naming no live session changes
// nothing and commits nothing, so a flood of made-up tokens costs no fsync.
func (db *DB) revokeNamed(ctx context.Context, tx tx, sessionID string) error {
	if sessionID == "" {
		return server.Unauthorized()
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, sessionID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return err
		}
		return server.Unauthorized()
	}
	return &commitAnyway{server.Unauthorized()}
}

// ThrottleStates reads the live windows of keys from a read connection.
func (db *DB) ThrottleStates(ctx context.Context, keys []string, now time.Time) (_ map[string]server.ThrottleState, err error) {
	defer db.classify(ctx, &err)
	args := []any{ms(now)}
	for _, k := range keys {
		args = append(args, k)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT key, hits, window_end FROM login_throttle
		WHERE window_end > ?1 AND key IN (`+placeholders(2, len(keys), 1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanThrottle(rows, len(keys))
}

// HitThrottle counts one attempt against every key in one statement: one
// commit, one fsync, however many keys.
func (db *DB) HitThrottle(ctx context.Context, now time.Time, hits ...server.ThrottleHit) (_ []server.ThrottleState, err error) {
	defer db.classify(ctx, &err)
	args := []any{ms(now)}
	var values []string
	for i, h := range hits {
		values = append(values, "("+placeholders(2+2*i, 2, 1)+", 1)")
		args = append(args, h.Key, ms(now.Add(h.Window)))
	}
	rows, err := db.write.QueryContext(ctx, `INSERT INTO login_throttle (key, window_end, hits) VALUES `+strings.Join(values, ", ")+`
		ON CONFLICT (key) DO UPDATE SET
			hits = CASE WHEN login_throttle.window_end <= ?1 THEN 1 ELSE login_throttle.hits + 1 END,
			window_end = CASE WHEN login_throttle.window_end <= ?1 THEN excluded.window_end ELSE login_throttle.window_end END
		RETURNING key, hits, window_end`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byKey, err := scanThrottle(rows, len(hits))
	if err != nil {
		return nil, err
	}
	// RETURNING gives no order; answer in the caller's.
	states := make([]server.ThrottleState, len(hits))
	for i, h := range hits {
		st, ok := byKey[h.Key]
		if !ok {
			return nil, fmt.Errorf("sqlite: throttle key %d not counted", i)
		}
		states[i] = st
	}
	return states, nil
}

// placeholders returns n numbered parameters ?first, ?first+step, ...
// joined by commas.
func placeholders(first, n, step int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = "?" + strconv.Itoa(first+i*step)
	}
	return strings.Join(p, ", ")
}

// ClearThrottle forgets the attempts against key.
func (db *DB) ClearThrottle(ctx context.Context, key string) (err error) {
	defer db.classify(ctx, &err)
	_, err = db.write.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = ?`, key)
	return err
}

// qRecords streams an account's changes after a cursor in sequence order,
// at most limit+1 of them, in one statement (one snapshot: the cursor check
// and the changes cannot disagree). With the account as the outer loop (one
// row, by its key) and records_seq as the inner one, SQLite needs neither a
// sort nor a temporary table: it produces each row as it is stepped, so
// Records makes the byte cut by stopping, and no change after the one that
// crosses the budget is ever read from the file. (A cut by window function
// inside the statement costs three times as much here: the window and the
// subquery it needs are temporary tables. PostgreSQL, which sends every row
// of a result, makes its cut in the query.) The LEFT JOIN keeps the account
// row when there are no changes; every column is non-null, since each
// column of each row costs a call into SQLite, under its mutex.
// qSessionRecords starts from the session instead, joined to its account
// under the same stamp as SessionStamp's: no row at all when it is not
// live. Both outer rows are found by their keys, so the plan is the same.
const (
	recordsColumns = `SELECT ?2 > 0 AND (?2 < a.purged_seq OR ?2 > a.record_seq),
		coalesce(r.id, ''), coalesce(r.rev, 0), coalesce(r.deleted, 0), r.data, coalesce(r.seq, 0), coalesce(r.updated_at, 0)`
	qRecords = recordsColumns + `
	FROM accounts a LEFT JOIN records r ON r.account_id = a.id AND r.seq > ?2
	WHERE a.id = ?1 ORDER BY r.seq LIMIT ?3 + 1`
	qSessionRecords = recordsColumns + `
	FROM sessions s JOIN accounts a ON a.id = s.account_id AND a.security_stamp = s.stamp
	LEFT JOIN records r ON r.account_id = a.id AND r.seq > ?2
	WHERE s.id = ?4 AND s.account_id = ?1 AND s.stamp = ?5 ORDER BY r.seq LIMIT ?3 + 1`
)

// Records reads a page of changes (qRecords, or qSessionRecords with a
// session), stopping before the change that would take the page's data
// over MaxBytes (the first is always taken) or past Limit: a change read
// and not taken means there is more.
func (db *DB) Records(ctx context.Context, p server.PageRequest) (_ server.RecordPage, err error) {
	defer db.classify(ctx, &err)
	since, limit, maxBytes := p.Since, p.Limit, p.MaxBytes
	var rows *sql.Rows
	if p.Session != nil {
		rows, err = db.read.QueryContext(ctx, qSessionRecords, p.AccountID, since, limit, p.Session.SessionID, p.Session.Stamp)
	} else {
		rows, err = db.read.QueryContext(ctx, qRecords, p.AccountID, since, limit)
	}
	if err != nil {
		return server.RecordPage{}, err
	}
	defer rows.Close()
	page := server.RecordPage{Cursor: since, Records: []server.Record{}}
	found, size := false, 0
	for rows.Next() {
		var (
			expired bool
			r       server.Record
			data    sql.RawBytes // copied only if taken
			upd     int64
		)
		if err := rows.Scan(&expired, &r.ID, &r.Rev, &r.Deleted, &data, &r.Seq, &upd); err != nil {
			return server.RecordPage{}, err
		}
		found = true
		if expired {
			return server.RecordPage{}, server.Errorf(server.CodeCursorExpired, "cursor expired: sync from the start")
		}
		if r.ID == "" {
			break // no changes after the cursor: the account's row alone
		}
		if n := len(page.Records); n == limit || n > 0 && size+len(data) > maxBytes {
			page.More = true
			break
		}
		size += len(data)
		if !r.Deleted {
			r.Data = bytes.Clone(data)
		}
		r.UpdatedAt = fromMS(upd)
		page.Records = append(page.Records, r)
		page.Cursor = r.Seq
	}
	if err := rows.Err(); err != nil {
		return server.RecordPage{}, err
	}
	if !found {
		return server.RecordPage{}, server.Unauthorized()
	}
	return page, nil
}

// The statements of a record write, prepared at Open (see tx).
const (
	qBumpSeq   = `UPDATE accounts SET record_seq = record_seq + 1 WHERE id = ? RETURNING record_seq, record_count, data_bytes`
	qAddUsage  = `UPDATE accounts SET record_count = record_count + ?, data_bytes = data_bytes + ? WHERE id = ?`
	qRecord    = `SELECT id, rev, deleted, data, seq, updated_at FROM records WHERE account_id = ? AND id = ?`
	qPutRecord = `INSERT INTO records (account_id, id, rev, seq, deleted, data, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, id) DO UPDATE SET rev = excluded.rev, seq = excluded.seq,
			deleted = excluded.deleted, data = excluded.data, updated_at = excluded.updated_at`
)

// WriteRecord is the compare-and-set, applied by the group committer (see
// batch.go) inside SQLite's one write lock.
func (db *DB) WriteRecord(ctx context.Context, w server.RecordWrite) (_ server.Record, err error) {
	defer db.classify(ctx, &err)
	return db.batch.write(ctx, w)
}

// Purge deletes tombstones, sessions, tokens and throttle windows past
// their time, first raising each account's purged_seq over the tombstones
// it is about to lose and taking them off its record count.
func (db *DB) Purge(ctx context.Context, p server.Purge) (err error) {
	defer db.classify(ctx, &err)
	err = db.inTx(ctx, func(tx tx) error {
		stmts := []struct {
			sql  string
			args []any
		}{
			{`UPDATE accounts SET purged_seq = max(purged_seq, (SELECT max(r.seq) FROM records r
					WHERE r.account_id = accounts.id AND r.deleted = 1 AND r.updated_at < ?1)),
				record_count = record_count - (SELECT count(*) FROM records r
					WHERE r.account_id = accounts.id AND r.deleted = 1 AND r.updated_at < ?1)
				WHERE id IN (SELECT account_id FROM records WHERE deleted = 1 AND updated_at < ?1)`, []any{ms(p.TombstonesUntil)}},
			{`DELETE FROM records WHERE deleted = 1 AND updated_at < ?`, []any{ms(p.TombstonesUntil)}},
			{`DELETE FROM sessions WHERE refreshed_at < ?`, []any{ms(p.TokensUntil)}},
			{`DELETE FROM refresh_tokens WHERE state <> 'live' AND issued_at < ?`, []any{ms(p.TokensUntil)}},
			{`DELETE FROM login_throttle WHERE window_end <= ?`, []any{ms(p.Now)}},
		}
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s.sql, s.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && db.eraseOwed.Load() {
		db.erase(ctx)
	}
	return err
}

// scanThrottle reads (key, hits, window_end) rows into throttle states.
func scanThrottle(rows *sql.Rows, n int) (map[string]server.ThrottleState, error) {
	states := make(map[string]server.ThrottleState, n)
	for rows.Next() {
		var key string
		var st server.ThrottleState
		var end int64
		if err := rows.Scan(&key, &st.Hits, &end); err != nil {
			return nil, err
		}
		st.WindowEnd = fromMS(end)
		states[key] = st
	}
	return states, rows.Err()
}

// PreloginKey reads the stored key, and stores candidate when there is
// none: a read first, so a start on a database that has one writes nothing.
func (db *DB) PreloginKey(ctx context.Context, candidate []byte) (_ []byte, err error) {
	defer db.classify(ctx, &err)
	const read = `SELECT key FROM server_keys WHERE name = 'prelogin'`
	var key []byte
	err = db.read.QueryRowContext(ctx, read).Scan(&key)
	if !errors.Is(err, sql.ErrNoRows) {
		return key, err
	}
	if _, err := db.write.ExecContext(ctx, `INSERT INTO server_keys (name, key, created_at) VALUES ('prelogin', ?, ?)
		ON CONFLICT (name) DO NOTHING`, candidate, time.Now().UnixMilli()); err != nil {
		return nil, err
	}
	err = db.write.QueryRowContext(ctx, read).Scan(&key)
	return key, err
}
