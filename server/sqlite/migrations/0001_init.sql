-- Times are Unix milliseconds. Byte strings (hashes, salts, keys, record data)
-- are BLOBs holding raw bytes; the API's base64url is only a wire form.

CREATE TABLE accounts (
	id              TEXT    PRIMARY KEY,
	email           TEXT    NOT NULL UNIQUE,
	auth_salt       BLOB    NOT NULL,
	auth_hash       BLOB    NOT NULL,
	kdf_alg         TEXT    NOT NULL,
	kdf_memory_kib  INTEGER NOT NULL,
	kdf_iterations  INTEGER NOT NULL,
	kdf_parallelism INTEGER NOT NULL,
	kdf_salt        BLOB    NOT NULL,
	wrapped_key     BLOB    NOT NULL,
	security_stamp  INTEGER NOT NULL,
	-- record_seq numbers the account's record changes; bumping it in the
	-- write transaction orders changes for sync.
	record_seq      INTEGER NOT NULL DEFAULT 0,
	-- purged_seq is the highest seq of a purged tombstone: a sync cursor
	-- below it may have missed a deletion.
	purged_seq      INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
	id           TEXT    PRIMARY KEY,
	account_id   TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	-- stamp is the account's security_stamp when the session began; the
	-- session is live only while the two are equal.
	stamp        INTEGER NOT NULL,
	created_at   INTEGER NOT NULL,
	refreshed_at INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_refreshed ON sessions (refreshed_at);

CREATE TABLE refresh_tokens (
	hash        BLOB    PRIMARY KEY,
	session_id  TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	parent_hash BLOB,
	issued_at   INTEGER NOT NULL,
	used_at     INTEGER,
	state       TEXT    NOT NULL CHECK (state IN ('live', 'used', 'regraced', 'retired'))
) STRICT;

CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_parent ON refresh_tokens (parent_hash);

CREATE TABLE records (
	account_id TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	id         TEXT    NOT NULL,
	rev        INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	deleted    INTEGER NOT NULL CHECK (deleted IN (0, 1)),
	data       BLOB,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (account_id, id)
) STRICT;

CREATE UNIQUE INDEX records_seq ON records (account_id, seq);
CREATE INDEX records_tombstones ON records (updated_at) WHERE deleted = 1;

CREATE TABLE login_throttle (
	key        TEXT    PRIMARY KEY,
	window_end INTEGER NOT NULL,
	hits       INTEGER NOT NULL
) STRICT;
