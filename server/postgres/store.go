package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heyan-dev/heyan/server"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const accountColumns = `id, email, auth_salt, auth_hash, kdf_alg, kdf_memory_kib, kdf_iterations,
	kdf_parallelism, kdf_salt, wrapped_key, security_stamp, created_at`

// accountSelect is what is read of an account: its columns and its usage.
const accountSelect = accountColumns + `, record_count, data_bytes`

// CreateAccount inserts a new account.
func (db *DB) CreateAccount(ctx context.Context, a *server.Account) (err error) {
	defer db.classify(ctx, &err)
	tag, err := db.pool.Exec(ctx, `INSERT INTO accounts (`+accountColumns+`, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
		ON CONFLICT (email) DO NOTHING`,
		a.ID, a.Email, a.AuthSalt, a.AuthHash, a.KDF.Alg, a.KDF.MemoryKiB, a.KDF.Iterations,
		a.KDF.Parallelism, a.KDF.Salt, a.WrappedKey, a.Stamp, ms(a.CreatedAt))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return server.Errorf(server.CodeEmailTaken, "an account with this email exists")
	}
	return nil
}

// AccountByEmail returns the account with a normalized email, or nil.
func (db *DB) AccountByEmail(ctx context.Context, email string) (_ *server.Account, err error) {
	defer db.classify(ctx, &err)
	return scanAccount(db.pool.QueryRow(ctx, `SELECT `+accountSelect+` FROM accounts WHERE email = $1`, email))
}

// AccountByID returns an account, or nil.
func (db *DB) AccountByID(ctx context.Context, id string) (_ *server.Account, err error) {
	defer db.classify(ctx, &err)
	return scanAccount(db.pool.QueryRow(ctx, `SELECT `+accountSelect+` FROM accounts WHERE id = $1`, id))
}

func scanAccount(row pgx.Row) (*server.Account, error) {
	var a server.Account
	var created int64
	err := row.Scan(&a.ID, &a.Email, &a.AuthSalt, &a.AuthHash, &a.KDF.Alg, &a.KDF.MemoryKiB, &a.KDF.Iterations,
		&a.KDF.Parallelism, &a.KDF.Salt, &a.WrappedKey, &a.Stamp, &created, &a.Usage.Records, &a.Usage.Bytes)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a.CreatedAt = fromMS(created)
	return &a, nil
}

// DeleteAccount erases an account; the foreign keys cascade to its
// sessions, refresh tokens and records.
func (db *DB) DeleteAccount(ctx context.Context, id string) (err error) {
	defer db.classify(ctx, &err)
	_, err = db.pool.Exec(ctx, `DELETE FROM accounts WHERE id = $1`, id)
	return err
}

// ChangeCredentials replaces the credentials, bumps the stamp and replaces
// every session of the account with c.Session.
func (db *DB) ChangeCredentials(ctx context.Context, c server.CredentialChange) (err error) {
	defer db.classify(ctx, &err)
	return db.inTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE accounts SET auth_salt = $1, auth_hash = $2, kdf_alg = $3,
			kdf_memory_kib = $4, kdf_iterations = $5, kdf_parallelism = $6, kdf_salt = $7, wrapped_key = $8,
			security_stamp = security_stamp + 1, updated_at = $9
			WHERE id = $10 AND security_stamp = $11`,
			c.AuthSalt, c.AuthHash, c.KDF.Alg, c.KDF.MemoryKiB, c.KDF.Iterations, c.KDF.Parallelism,
			c.KDF.Salt, c.WrappedKey, ms(c.Now), c.AccountID, c.Stamp)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return server.Unauthorized()
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE account_id = $1`, c.AccountID); err != nil {
			return err
		}
		return insertSession(ctx, tx, c.Session, c.Token)
	})
}

// CreateSession stores a session and its first refresh token. An account
// deleted since its key was checked fails the session's foreign key: that
// sign-in failed, and says so as any other does.
func (db *DB) CreateSession(ctx context.Context, s server.Session, first server.RefreshToken) (err error) {
	defer db.classify(ctx, &err)
	err = db.inTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error { return insertSession(ctx, tx, s, first) })
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == foreignKeyViolation {
		return server.Unauthorized()
	}
	return err
}

// foreignKeyViolation is SQLSTATE 23503.
const foreignKeyViolation = "23503"

func insertSession(ctx context.Context, tx pgx.Tx, s server.Session, t server.RefreshToken) error {
	if _, err := tx.Exec(ctx, `INSERT INTO sessions (id, account_id, stamp, created_at, refreshed_at) VALUES ($1, $2, $3, $4, $5)`,
		s.ID, s.AccountID, s.Stamp, ms(s.CreatedAt), ms(s.RefreshedAt)); err != nil {
		return err
	}
	return insertToken(ctx, tx, t)
}

func insertToken(ctx context.Context, tx pgx.Tx, t server.RefreshToken) error {
	_, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (hash, session_id, parent_hash, issued_at, used_at, state)
		VALUES ($1, $2, $3, $4, $5, $6)`, t.Hash, t.SessionID, t.Parent, ms(t.IssuedAt), nullMS(t.UsedAt), string(t.State))
	return err
}

// SessionStamp returns the session's stamp if it is still its account's.
func (db *DB) SessionStamp(ctx context.Context, sessionID, accountID string) (_ int64, err error) {
	defer db.classify(ctx, &err)
	var stamp int64
	err = db.pool.QueryRow(ctx, `SELECT s.stamp FROM sessions s
		JOIN accounts a ON a.id = s.account_id AND a.security_stamp = s.stamp
		WHERE s.id = $1 AND s.account_id = $2`, sessionID, accountID).Scan(&stamp)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, server.Unauthorized()
	}
	return stamp, err
}

// DeleteSession ends a session; its refresh tokens cascade.
func (db *DB) DeleteSession(ctx context.Context, sessionID, accountID string) (err error) {
	defer db.classify(ctx, &err)
	_, err = db.pool.Exec(ctx, `DELETE FROM sessions WHERE id = $1 AND account_id = $2`, sessionID, accountID)
	return err
}

const tokenColumns = `hash, session_id, parent_hash, issued_at, used_at, state`

func scanToken(row pgx.Row) (*server.RefreshToken, error) {
	var t server.RefreshToken
	var issued int64
	var used *int64
	var state string
	err := row.Scan(&t.Hash, &t.SessionID, &t.Parent, &issued, &used, &state)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t.IssuedAt, t.UsedAt, t.State = fromMS(issued), fromNullMS(used), server.TokenState(state)
	return &t, nil
}

// Refresh applies server.JudgeRefresh to a presented token in one
// transaction. The session row is locked before the token is read, so two
// replicas given the same token judge it one after the other, the second
// seeing what the first did.
func (db *DB) Refresh(ctx context.Context, x server.RefreshExchange) (_ server.SessionRef, err error) {
	defer db.classify(ctx, &err)
	var ref server.SessionRef
	unauthorized := server.Unauthorized()
	err = db.inTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT session_id FROM refresh_tokens WHERE hash = $1`, x.Presented).Scan(&ref.SessionID)
		if errors.Is(err, pgx.ErrNoRows) {
			// An unknown token that names a live session is one of its
			// used tokens, purged and replayed: revoke. One naming no live
			// session changes nothing.
			if x.Session == "" {
				return unauthorized
			}
			tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, x.Session)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return unauthorized
			}
			return &commitAnyway{unauthorized}
		}
		if err != nil {
			return err
		}
		var accountStamp int64
		err = tx.QueryRow(ctx, `SELECT s.account_id, s.stamp, a.security_stamp FROM sessions s
			JOIN accounts a ON a.id = s.account_id WHERE s.id = $1 FOR UPDATE OF s`, ref.SessionID).Scan(&ref.AccountID, &ref.Stamp, &accountStamp)
		if errors.Is(err, pgx.ErrNoRows) {
			return unauthorized // ended while we waited for the lock
		}
		if err != nil {
			return err
		}
		if ref.Stamp != accountStamp {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, ref.SessionID); err != nil {
				return err
			}
			return &commitAnyway{unauthorized}
		}
		tok, err := scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM refresh_tokens WHERE hash = $1`, x.Presented))
		if err != nil {
			return err
		}
		if tok == nil {
			return unauthorized
		}
		succ, err := scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM refresh_tokens
			WHERE parent_hash = $1 AND state <> 'retired' ORDER BY issued_at DESC LIMIT 1`, x.Presented))
		if err != nil {
			return err
		}
		next := server.RefreshToken{Hash: x.Next(tok.SessionID), SessionID: tok.SessionID, Parent: tok.Hash, IssuedAt: x.Now, State: server.TokenLive}
		switch server.JudgeRefresh(*tok, succ, x.Now, x.Grace, x.TTL) {
		case server.VerdictRotate:
			if _, err := tx.Exec(ctx, `UPDATE refresh_tokens SET state = 'used', used_at = $1 WHERE hash = $2`, ms(x.Now), tok.Hash); err != nil {
				return err
			}
		case server.VerdictGrace:
			if _, err := tx.Exec(ctx, `UPDATE refresh_tokens SET state = 'retired' WHERE hash = $1`, succ.Hash); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE refresh_tokens SET state = 'regraced' WHERE hash = $1`, tok.Hash); err != nil {
				return err
			}
		case server.VerdictRevoke:
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, tok.SessionID); err != nil {
				return err
			}
			return &commitAnyway{unauthorized}
		default:
			return unauthorized
		}
		if err := insertToken(ctx, tx, next); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE sessions SET refreshed_at = $1 WHERE id = $2`, ms(x.Now), tok.SessionID)
		return err
	})
	if err != nil {
		return server.SessionRef{}, err
	}
	return ref, nil
}

// ThrottleStates reads the live windows of keys.
func (db *DB) ThrottleStates(ctx context.Context, keys []string, now time.Time) (_ map[string]server.ThrottleState, err error) {
	defer db.classify(ctx, &err)
	rows, err := db.pool.Query(ctx, `SELECT key, hits, window_end FROM login_throttle
		WHERE key = ANY($1) AND window_end > $2`, keys, ms(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanThrottle(rows, len(keys))
}

// HitThrottle counts one attempt against every key in one statement; the
// upsert is atomic, so concurrent attempts from several replicas are all
// counted. Rows are upserted in key order, so two statements over the same
// keys lock them in the same order and cannot deadlock.
func (db *DB) HitThrottle(ctx context.Context, now time.Time, hits ...server.ThrottleHit) (_ []server.ThrottleState, err error) {
	defer db.classify(ctx, &err)
	keys := make([]string, len(hits))
	ends := make([]int64, len(hits))
	for i, h := range hits {
		keys[i], ends[i] = h.Key, ms(now.Add(h.Window))
	}
	rows, err := db.pool.Query(ctx, `INSERT INTO login_throttle AS t (key, window_end, hits)
		SELECT k, e, 1 FROM unnest($1::text[], $2::bigint[]) AS h (k, e) ORDER BY k
		ON CONFLICT (key) DO UPDATE SET
			hits = CASE WHEN t.window_end <= $3 THEN 1 ELSE t.hits + 1 END,
			window_end = CASE WHEN t.window_end <= $3 THEN excluded.window_end ELSE t.window_end END
		RETURNING key, hits, window_end`, keys, ends, ms(now))
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
			return nil, fmt.Errorf("postgres: throttle key %d not counted", i)
		}
		states[i] = st
	}
	return states, nil
}

// ClearThrottle forgets the attempts against key.
func (db *DB) ClearThrottle(ctx context.Context, key string) (err error) {
	defer db.classify(ctx, &err)
	_, err = db.pool.Exec(ctx, `DELETE FROM login_throttle WHERE key = $1`, key)
	return err
}

// qRecords reads a page of changes in one statement, which PostgreSQL
// runs on one snapshot even under READ COMMITTED: the cursor check (the
// account's counters) and the page cannot disagree, and it costs one round
// trip. The page is cut by the query, in one pass over the account's
// changes after the cursor in sequence order: the window numbers them and
// sums the length of their data (octet_length of a TOASTed value reads its
// pointer, and the value itself is only read if it is output), the LIMIT
// stops that pass after limit+1 of them, and only the changes that fit
// carry their data out; the first that does not fit comes without it, as
// the sign that there is more (the change after the last that fits: the
// second, when the first alone is over the budget, or the first whose data
// starts within the budget). So no other record data leaves the database.
// The LEFT JOIN keeps the account row when there are no changes. Each row
// says what it is in one column (see the page* constants) and the others
// are non-null. The rows come in no promised order; Records sorts them.
//
// qSessionRecords starts from the session instead, joined to its account
// under the same stamp as SessionStamp's: no row at all when it is not
// live.
const (
	recordsColumns = `SELECT CASE
			WHEN $2 > 0 AND ($2 < a.purged_seq OR $2 > a.record_seq) THEN 3
			WHEN c.n IS NULL THEN 0
			WHEN c.n <= $3 AND (c.n = 1 OR c.upto <= $4) THEN 1
			ELSE 2 END,
		coalesce(c.id, ''), coalesce(c.rev, 0), coalesce(c.deleted, false),
		CASE WHEN c.n <= $3 AND (c.n = 1 OR c.upto <= $4) THEN c.data END, coalesce(c.seq, 0), coalesce(c.updated_at, 0)`
	recordsPage = `LEFT JOIN LATERAL (
		SELECT * FROM (
			SELECT id, rev, deleted, data, seq, updated_at, coalesce(octet_length(data), 0) AS size,
				row_number() OVER w AS n, sum(coalesce(octet_length(data), 0)) OVER w AS upto
			FROM records WHERE account_id = a.id AND seq > $2
			WINDOW w AS (ORDER BY seq ROWS UNBOUNDED PRECEDING)
			ORDER BY seq LIMIT $3 + 1
		) w WHERE n <= 2 OR upto - size <= $4
	) c ON true`
	qRecords = recordsColumns + `
	FROM accounts a ` + recordsPage + `
	WHERE a.id = $1`
	qSessionRecords = recordsColumns + `
	FROM sessions s JOIN accounts a ON a.id = s.account_id AND a.security_stamp = s.stamp ` + recordsPage + `
	WHERE s.id = $5 AND s.account_id = $1 AND s.stamp = $6`
)

// What a row of qRecords is.
const (
	pageAccountOnly = 0 // no changes after the cursor
	pageKept        = 1 // a change of the page
	pageMore        = 2 // the first change that did not fit
	pageExpired     = 3 // the cursor is older than purged tombstones, or beyond the account's changes
)

// Records reads a page of changes (qRecords, or qSessionRecords with a
// session).
func (db *DB) Records(ctx context.Context, p server.PageRequest) (_ server.RecordPage, err error) {
	defer db.classify(ctx, &err)
	since := p.Since
	var rows pgx.Rows
	if p.Session != nil {
		rows, err = db.pool.Query(ctx, qSessionRecords, p.AccountID, since, p.Limit, p.MaxBytes, p.Session.SessionID, p.Session.Stamp)
	} else {
		rows, err = db.pool.Query(ctx, qRecords, p.AccountID, since, p.Limit, p.MaxBytes)
	}
	if err != nil {
		return server.RecordPage{}, err
	}
	defer rows.Close()
	var (
		page   = server.RecordPage{Cursor: since, Records: []server.Record{}}
		found  bool
		sorted = true
	)
	for rows.Next() {
		var (
			what int
			r    server.Record
			upd  int64
		)
		if err := rows.Scan(&what, &r.ID, &r.Rev, &r.Deleted, &r.Data, &r.Seq, &upd); err != nil {
			return server.RecordPage{}, err
		}
		found = true
		switch what {
		case pageExpired:
			return server.RecordPage{}, server.Errorf(server.CodeCursorExpired, "cursor expired: sync from the start")
		case pageMore:
			page.More = true
		case pageKept:
			if n := len(page.Records); n > 0 && page.Records[n-1].Seq > r.Seq {
				sorted = false
			}
			r.UpdatedAt = fromMS(upd)
			page.Records = append(page.Records, r)
		}
	}
	if err := rows.Err(); err != nil {
		return server.RecordPage{}, err
	}
	if !found {
		return server.RecordPage{}, server.Unauthorized()
	}
	return server.FinishPage(page, sorted), nil
}

// WriteRecord is the compare-and-set. Bumping the account's sequence first
// locks the account row, so writes to one account are serialized (including
// two creates of one new ID, and two writes racing for its quota) and
// commit in sequence order. The record and the account's usage are written
// in one statement.
func (db *DB) WriteRecord(ctx context.Context, w server.RecordWrite) (_ server.Record, err error) {
	defer db.classify(ctx, &err)
	var rec server.Record
	err = db.inTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		var seq int64
		var usage server.Usage
		err := tx.QueryRow(ctx, `UPDATE accounts SET record_seq = record_seq + 1 WHERE id = $1
			RETURNING record_seq, record_count, data_bytes`, w.AccountID).Scan(&seq, &usage.Records, &usage.Bytes)
		if errors.Is(err, pgx.ErrNoRows) {
			return server.Unauthorized()
		}
		if err != nil {
			return err
		}
		var cur *server.Record
		var r server.Record
		var updated int64
		err = tx.QueryRow(ctx, `SELECT id, rev, deleted, data, seq, updated_at FROM records WHERE account_id = $1 AND id = $2`,
			w.AccountID, w.ID).Scan(&r.ID, &r.Rev, &r.Deleted, &r.Data, &r.Seq, &updated)
		switch {
		case err == nil:
			r.UpdatedAt = fromMS(updated)
			cur = &r
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if err := server.CheckPrecondition(cur, w); err != nil {
			return err
		}
		change := server.UsageChange(cur, w)
		if err := server.CheckQuota(usage, change, w.Quota); err != nil {
			return err
		}
		rec = server.NextRecord(cur, w, seq)
		_, err = tx.Exec(ctx, `WITH put AS (
				INSERT INTO records (account_id, id, rev, seq, deleted, data, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (account_id, id) DO UPDATE SET rev = excluded.rev, seq = excluded.seq,
					deleted = excluded.deleted, data = excluded.data, updated_at = excluded.updated_at
			)
			UPDATE accounts SET record_count = record_count + $8, data_bytes = data_bytes + $9 WHERE id = $1`,
			w.AccountID, rec.ID, rec.Rev, rec.Seq, rec.Deleted, rec.Data, ms(rec.UpdatedAt), change.Records, change.Bytes)
		return err
	})
	return rec, err
}

// Purge deletes tombstones, sessions, tokens and throttle windows past
// their time, first raising each account's purged_seq over the tombstones
// it is about to lose and taking them off its record count. When another replica is already purging, it does
// nothing: two purges would only wait on, or deadlock over, the same rows.
func (db *DB) Purge(ctx context.Context, p server.Purge) (err error) {
	defer db.classify(ctx, &err)
	return db.inTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		var mine bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1, hashtext('purge:' || current_schema()))`, migrationLock).Scan(&mine); err != nil || !mine {
			return err
		}
		stmts := []struct {
			sql  string
			args []any
		}{
			{`UPDATE accounts a SET purged_seq = GREATEST(a.purged_seq, t.seq), record_count = a.record_count - t.n
				FROM (SELECT account_id, max(seq) AS seq, count(*) AS n FROM records
					WHERE deleted AND updated_at < $1 GROUP BY account_id) t
				WHERE a.id = t.account_id`, []any{ms(p.TombstonesUntil)}},
			{`DELETE FROM records WHERE deleted AND updated_at < $1`, []any{ms(p.TombstonesUntil)}},
			{`DELETE FROM sessions WHERE refreshed_at < $1`, []any{ms(p.TokensUntil)}},
			{`DELETE FROM refresh_tokens WHERE state <> 'live' AND issued_at < $1`, []any{ms(p.TokensUntil)}},
			{`DELETE FROM login_throttle WHERE window_end <= $1`, []any{ms(p.Now)}},
		}
		for _, s := range stmts {
			if _, err := tx.Exec(ctx, s.sql, s.args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// scanThrottle reads (key, hits, window_end) rows into throttle states.
func scanThrottle(rows pgx.Rows, n int) (map[string]server.ThrottleState, error) {
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
// none; of replicas starting together, the first insert wins and the others
// read it.
func (db *DB) PreloginKey(ctx context.Context, candidate []byte) (_ []byte, err error) {
	defer db.classify(ctx, &err)
	const read = `SELECT key FROM server_keys WHERE name = 'prelogin'`
	var key []byte
	err = db.pool.QueryRow(ctx, read).Scan(&key)
	if !errors.Is(err, pgx.ErrNoRows) {
		return key, err
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO server_keys (name, key, created_at) VALUES ('prelogin', $1, $2)
		ON CONFLICT (name) DO NOTHING`, candidate, time.Now().UnixMilli()); err != nil {
		return nil, err
	}
	err = db.pool.QueryRow(ctx, read).Scan(&key)
	return key, err
}
