-- What each account's records take, for its quota: records kept (tombstones
-- included, until purged) and bytes of record data. Every record write
-- changes them in its own transaction, under the account's lock, so they
-- are exact; here they start from the records already stored.
ALTER TABLE accounts ADD COLUMN record_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN data_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE accounts SET
	record_count = (SELECT count(*) FROM records r WHERE r.account_id = accounts.id),
	data_bytes = (SELECT coalesce(sum(length(r.data)), 0) FROM records r WHERE r.account_id = accounts.id);
