-- Times are Unix milliseconds (BIGINT), as in the SQLite schema, so both
-- stores hold the same values. Byte strings are BYTEA holding raw bytes.

CREATE TABLE accounts (
	id              TEXT    PRIMARY KEY,
	email           TEXT    NOT NULL UNIQUE,
	auth_salt       BYTEA   NOT NULL,
	auth_hash       BYTEA   NOT NULL,
	kdf_alg         TEXT    NOT NULL,
	kdf_memory_kib  INTEGER NOT NULL,
	kdf_iterations  INTEGER NOT NULL,
	kdf_parallelism INTEGER NOT NULL,
	kdf_salt        BYTEA   NOT NULL,
	wrapped_key     BYTEA   NOT NULL,
	security_stamp  BIGINT  NOT NULL,
	-- record_seq numbers the account's record changes. A write bumps it first,
	-- which locks the account row until commit, so changes commit in seq
	-- order and a sync cursor never skips one still in flight.
	record_seq      BIGINT  NOT NULL DEFAULT 0,
	-- purged_seq is the highest seq of a purged tombstone: a sync cursor
	-- below it may have missed a deletion.
	purged_seq      BIGINT  NOT NULL DEFAULT 0,
	created_at      BIGINT  NOT NULL,
	updated_at      BIGINT  NOT NULL
);

CREATE TABLE sessions (
	id           TEXT   PRIMARY KEY,
	account_id   TEXT   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	-- stamp is the account's security_stamp when the session began; the
	-- session is live only while the two are equal.
	stamp        BIGINT NOT NULL,
	created_at   BIGINT NOT NULL,
	refreshed_at BIGINT NOT NULL
);

CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_refreshed ON sessions (refreshed_at);

CREATE TABLE refresh_tokens (
	hash        BYTEA  PRIMARY KEY,
	session_id  TEXT   NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	parent_hash BYTEA,
	issued_at   BIGINT NOT NULL,
	used_at     BIGINT,
	state       TEXT   NOT NULL CHECK (state IN ('live', 'used', 'regraced', 'retired'))
);

CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_parent ON refresh_tokens (parent_hash);

CREATE TABLE records (
	account_id TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	id         TEXT    NOT NULL,
	rev        BIGINT  NOT NULL,
	seq        BIGINT  NOT NULL,
	deleted    BOOLEAN NOT NULL,
	data       BYTEA,
	updated_at BIGINT  NOT NULL,
	PRIMARY KEY (account_id, id)
);

CREATE UNIQUE INDEX records_seq ON records (account_id, seq);
CREATE INDEX records_tombstones ON records (updated_at) WHERE deleted;

CREATE TABLE login_throttle (
	key        TEXT    PRIMARY KEY,
	window_end BIGINT  NOT NULL,
	hits       INTEGER NOT NULL
);
