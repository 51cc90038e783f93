-- Address throttle keys were the client address (or its IPv6 /64) in the
-- clear; they are now an HMAC under the server secret, as the email keys
-- always were. The rows are short-lived counts, so dropping them is the
-- whole migration: no raw address stays behind, and at worst a client's
-- current window starts over.
DELETE FROM login_throttle;
