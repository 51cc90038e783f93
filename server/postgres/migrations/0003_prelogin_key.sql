-- server_keys holds keys the server derives answers from that must not
-- change with the server secret. 'prelogin' derives the fake salt prelogin
-- gives an email with no account: were it keyed by the secret, rotating
-- that (or losing secret.key) would change every fake answer and no real
-- one, telling an observer which emails have accounts. In the database it
-- is also the same for every replica, and lives and dies with the accounts
-- whose absence it hides.
CREATE TABLE server_keys (
	name       TEXT   PRIMARY KEY,
	key        BYTEA  NOT NULL,
	created_at BIGINT NOT NULL
);
