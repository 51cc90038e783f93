package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Limits on what a client may send.
const (
	// AuthKeySize is the length in bytes of an authKey.
	AuthKeySize = 32
	// MinKDFMemoryKiB and MinKDFIterations are the argon2id floor (OWASP's
	// minimum: 19 MiB, 2 passes) that the published KDF parameters must
	// stay above; a test holds them to it.
	MinKDFMemoryKiB  = 19456
	MinKDFIterations = 2
	// MinWrappedKeySize and MaxWrappedKeySize bound the wrapped key, in bytes.
	MinWrappedKeySize = 16
	MaxWrappedKeySize = 4096
	// MaxRecordData is the largest record, in bytes after base64url decoding.
	MaxRecordData = 64 << 10
	// MaxEmailLength is RFC 5321's limit on a path.
	MaxEmailLength = 254
	// MaxPageRecords is the most records one sync page may ask for.
	MaxPageRecords = 1000
	// DefaultPageSize is the records in a sync page when the client names no
	// limit.
	DefaultPageSize = 200

	maxRefreshToken   = 256 // characters; longer cannot be ours
	refreshTokenBytes = 32  // random bytes in a refresh token
	authHashLabel     = "heyan auth\x00"
)

// The KDF parameters every account uses: argon2id with 64 MiB, 3 passes and
// parallelism 4 (RFC 9106's second recommendation) over a 16-byte salt. They
// are published (GET /api/v1/kdf) and required exactly at sign-up and
// password change, and prelogin answers an unknown email with the same ones
// and a salt derived from the email: were accounts free to pick their own,
// a fake answer would stand out among real ones by its parameters.
const (
	KDFAlg         = "argon2id"
	KDFMemoryKiB   = 64 << 10
	KDFIterations  = 3
	KDFParallelism = 4
	KDFSaltSize    = 16
)

// AccountKDF returns the published KDF parameters with salt.
func AccountKDF(salt []byte) KDF {
	return KDF{Alg: KDFAlg, MemoryKiB: KDFMemoryKiB, Iterations: KDFIterations, Parallelism: KDFParallelism, Salt: salt}
}

// Limit is a number of attempts allowed in a window of time.
type Limit struct {
	Attempts int
	Window   time.Duration
}

// Defaults for Config and HTTPConfig: the one place they are defined.
// `heyan serve` takes its flag defaults from here.
const (
	DefaultIssuer             = "heyan"
	DefaultAudience           = "heyan-sync"
	DefaultRefreshTTL         = 30 * 24 * time.Hour
	DefaultTombstoneRetention = 90 * 24 * time.Hour
	DefaultRequestTimeout     = 10 * time.Second
	DefaultShutdownTimeout    = 20 * time.Second
	// DefaultPageBytes bounds the record data in one sync page (at least
	// one record is always sent).
	DefaultPageBytes = 8 << 20
)

// DefaultQuota is each account's quota when Config names none: room for a
// filing agency's people and filings many times over (a profile is a few
// KiB), not for using the server as a file store.
var DefaultQuota = Quota{Records: 10000, Bytes: 16 << 20}

// DefaultAccountLimit and DefaultAddressLimit are the sign-in limits per
// email and per client address when Config names none.
var (
	DefaultAccountLimit = Limit{Attempts: 10, Window: 15 * time.Minute}
	DefaultAddressLimit = Limit{Attempts: 50, Window: 15 * time.Minute}
)

// Config configures a Service. Zero fields take the Default values.
type Config struct {
	Issuer   string // "iss" of access tokens; default DefaultIssuer
	Audience string // "aud" of access tokens; default DefaultAudience
	// Secret (at least 32 bytes) keys the throttle keys, so the throttle
	// table holds no email or address. Replicas must share it, or each
	// keeps its own counts. (Fake prelogin salts are keyed by the store's
	// PreloginKey instead, which does not rotate with it.)
	Secret []byte
	// Now is the clock; default time.Now.
	Now func() time.Time
	// AccountLimit bounds sign-in attempts per email; default
	// DefaultAccountLimit (10 per 15 min).
	AccountLimit Limit
	// AddressLimit bounds sign-in and sign-up attempts per client address
	// (per /64 for IPv6); default DefaultAddressLimit (50 per 15 min).
	AddressLimit Limit
	// RefreshTTL is how long a refresh token lives unused; default
	// DefaultRefreshTTL (30 days).
	RefreshTTL time.Duration
	// TombstoneRetention is how long deletions are kept for sync; default
	// DefaultTombstoneRetention (90 days). A cursor older than that gets
	// CodeCursorExpired.
	TombstoneRetention time.Duration
	// PageBytes bounds the record data in one sync page; default
	// DefaultPageBytes (8 MiB). A page always holds at least one record.
	PageBytes int
	// Quota bounds each account's records and record data; default
	// DefaultQuota, field by field.
	Quota Quota
}

func (c *Config) setDefaults() {
	if c.Issuer == "" {
		c.Issuer = DefaultIssuer
	}
	if c.Audience == "" {
		c.Audience = DefaultAudience
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.AccountLimit == (Limit{}) {
		c.AccountLimit = DefaultAccountLimit
	}
	if c.AddressLimit == (Limit{}) {
		c.AddressLimit = DefaultAddressLimit
	}
	if c.RefreshTTL == 0 {
		c.RefreshTTL = DefaultRefreshTTL
	}
	if c.TombstoneRetention == 0 {
		c.TombstoneRetention = DefaultTombstoneRetention
	}
	if c.PageBytes == 0 {
		c.PageBytes = DefaultPageBytes
	}
	if c.Quota.Records == 0 {
		c.Quota.Records = DefaultQuota.Records
	}
	if c.Quota.Bytes == 0 {
		c.Quota.Bytes = DefaultQuota.Bytes
	}
}

// Service is the sync service: accounts, sessions and records, independent
// of HTTP.
type Service struct {
	store  Store
	tokens *tokenIssuer
	cfg    Config
	// dummySalt and dummyHash stand in for an account when the email is
	// unknown, so a failed sign-in does the same work either way.
	dummySalt, dummyHash []byte
	// preloginKey is the store's PreloginKey, read on first use.
	preloginMu  sync.Mutex
	preloginKey []byte
}

// NewService returns a service over store that signs tokens with keys.
func NewService(store Store, keys *Keyring, cfg Config) (*Service, error) {
	cfg.setDefaults()
	if len(cfg.Secret) < 32 {
		return nil, fmt.Errorf("server secret is %d bytes, want at least 32", len(cfg.Secret))
	}
	if cfg.Quota.Records < 0 || cfg.Quota.Bytes < 0 {
		return nil, fmt.Errorf("invalid quota %d records, %d bytes", cfg.Quota.Records, cfg.Quota.Bytes)
	}
	for _, l := range []Limit{cfg.AccountLimit, cfg.AddressLimit} {
		if l.Attempts < 1 || l.Window <= 0 {
			return nil, fmt.Errorf("invalid sign-in limit %d per %s", l.Attempts, l.Window)
		}
	}
	if keys == nil {
		return nil, errors.New("no keyring")
	}
	s := &Service{
		store:     store,
		tokens:    newTokenIssuer(keys, cfg.Issuer, cfg.Audience, cfg.Now),
		cfg:       cfg,
		dummySalt: randomBytes(16),
		dummyHash: randomBytes(sha256.Size),
	}
	return s, nil
}

// NewAccount is a sign-up.
type NewAccount struct {
	Email      string
	AuthKey    []byte
	KDF        KDF
	WrappedKey []byte
}

// Grant is what a successful sign-in or refresh hands the client.
type Grant struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    time.Duration
	WrappedKey   []byte // only on sign-in
}

// PasswordChange replaces the credentials of the signed-in account.
type PasswordChange struct {
	AuthKey       []byte // the current one, to prove the password is known
	NewAuthKey    []byte
	NewKDF        KDF
	NewWrappedKey []byte
}

// Prelogin returns the KDF parameters for email: the account's own, or a
// fake that is stable per email and shaped like the real thing. The fake
// salt is an HMAC of the email under the store's prelogin key, not the
// server secret: a real answer does not change when the secret is rotated
// or lost, so a fake one must not either.
func (s *Service) Prelogin(ctx context.Context, email string) (KDF, error) {
	email, err := normalizeEmail(email)
	if err != nil {
		return KDF{}, err
	}
	key, err := s.fakeSaltKey(ctx) // for every email, so both answers cost the same
	if err != nil {
		return KDF{}, err
	}
	a, err := s.store.AccountByEmail(ctx, email)
	if err != nil {
		return KDF{}, err
	}
	if a != nil {
		return a.KDF, nil
	}
	return AccountKDF(macUnder(key, "prelogin salt", email)[:KDFSaltSize]), nil
}

// fakeSaltKey returns the store's prelogin key, asking the store once.
func (s *Service) fakeSaltKey(ctx context.Context) ([]byte, error) {
	s.preloginMu.Lock()
	defer s.preloginMu.Unlock()
	if s.preloginKey == nil {
		key, err := s.store.PreloginKey(ctx, randomBytes(32))
		if err != nil {
			return nil, err
		}
		if len(key) < 32 {
			return nil, fmt.Errorf("the store's prelogin key is %d bytes, want 32", len(key))
		}
		s.preloginKey = key
	}
	return s.preloginKey, nil
}

// CreateAccount signs up a new account and returns its ID. Sign-ups count
// against the client address's sign-in limit: a taken email answers 409, so
// unbounded sign-ups would be a way to test which emails have accounts.
func (s *Service) CreateAccount(ctx context.Context, n NewAccount, clientAddr string) (string, error) {
	email, err := normalizeEmail(n.Email)
	if err != nil {
		return "", err
	}
	if err := checkCredentials(n.AuthKey, "kdf", n.KDF, n.WrappedKey); err != nil {
		return "", err
	}
	if err := s.throttle(ctx, s.addressThrottleKey(clientAddr)); err != nil {
		return "", err
	}
	salt := randomBytes(16)
	a := &Account{
		ID:         newID(),
		Email:      email,
		AuthSalt:   salt,
		AuthHash:   authHash(salt, n.AuthKey),
		KDF:        n.KDF,
		WrappedKey: n.WrappedKey,
		Stamp:      1,
		CreatedAt:  s.cfg.Now(),
	}
	if err := s.store.CreateAccount(ctx, a); err != nil {
		return "", err
	}
	return a.ID, nil
}

// Login checks an email and authKey and starts a session. Attempts are
// counted per email and per client address before the key is checked, so
// parallel guesses cannot slip past the limit. Unknown emails take the same
// path as wrong keys and get the same answer.
func (s *Service) Login(ctx context.Context, email string, authKey []byte, clientAddr string) (Grant, error) {
	email, err := normalizeEmail(email)
	if err != nil {
		return Grant{}, err
	}
	accountKey := s.accountThrottleKey(email)
	if err := s.throttle(ctx, accountKey, s.addressThrottleKey(clientAddr)); err != nil {
		return Grant{}, err
	}
	a, err := s.store.AccountByEmail(ctx, email)
	if err != nil {
		return Grant{}, err
	}
	if !s.keyMatches(a, authKey) {
		return Grant{}, Unauthorized()
	}
	if err := s.store.ClearThrottle(ctx, accountKey); err != nil {
		return Grant{}, err
	}
	g, err := s.startSession(ctx, a.ID, a.Stamp, nil)
	if err != nil {
		return Grant{}, err
	}
	g.WrappedKey = a.WrappedKey
	return g, nil
}

// startSession creates a session under the account's stamp (or, with
// change, applies a password change that creates it) and returns its first
// tokens.
func (s *Service) startSession(ctx context.Context, accountID string, stamp int64, change *CredentialChange) (Grant, error) {
	now := s.cfg.Now()
	sess := Session{ID: newID(), AccountID: accountID, Stamp: stamp, CreatedAt: now, RefreshedAt: now}
	refresh, hash := newRefreshToken(sess.ID)
	tok := RefreshToken{Hash: hash, SessionID: sess.ID, IssuedAt: now, State: TokenLive}
	var err error
	if change == nil {
		err = s.store.CreateSession(ctx, sess, tok)
	} else {
		change.Session, change.Token, change.Now = sess, tok, now
		err = s.store.ChangeCredentials(ctx, *change)
	}
	if err != nil {
		return Grant{}, err
	}
	access, err := s.tokens.Issue(SessionRef{SessionID: sess.ID, AccountID: accountID, Stamp: stamp})
	if err != nil {
		return Grant{}, err
	}
	return Grant{AccessToken: access, RefreshToken: refresh, ExpiresIn: AccessTokenTTL}, nil
}

// Refresh exchanges a refresh token for a new pair.
func (s *Service) Refresh(ctx context.Context, refreshToken string) (Grant, error) {
	if refreshToken == "" || len(refreshToken) > maxRefreshToken {
		return Grant{}, Unauthorized()
	}
	var next string
	ref, err := s.store.Refresh(ctx, RefreshExchange{
		Presented: hashToken(refreshToken),
		Session:   tokenSession(refreshToken),
		Next: func(sessionID string) []byte {
			var hash []byte
			next, hash = newRefreshToken(sessionID)
			return hash
		},
		Now:   s.cfg.Now(),
		Grace: RefreshGrace,
		TTL:   s.cfg.RefreshTTL,
	})
	if err != nil {
		return Grant{}, err
	}
	access, err := s.tokens.Issue(ref)
	if err != nil {
		return Grant{}, err
	}
	return Grant{AccessToken: access, RefreshToken: next, ExpiresIn: AccessTokenTTL}, nil
}

// VerifyToken checks an access token's signature and claims only, and
// returns the session it names, not yet known to be live: for a caller
// whose store call checks the session itself (Records).
func (s *Service) VerifyToken(accessToken string) (SessionRef, error) {
	return s.tokens.Verify(accessToken)
}

// Authenticate checks an access token and that its session is live under the
// account's current security stamp.
func (s *Service) Authenticate(ctx context.Context, accessToken string) (SessionRef, error) {
	ref, err := s.tokens.Verify(accessToken)
	if err != nil {
		return SessionRef{}, err
	}
	stamp, err := s.store.SessionStamp(ctx, ref.SessionID, ref.AccountID)
	if err != nil {
		return SessionRef{}, err
	}
	if stamp != ref.Stamp {
		return SessionRef{}, Unauthorized()
	}
	return ref, nil
}

// Logout ends the caller's session; its tokens stop working at once.
func (s *Service) Logout(ctx context.Context, ref SessionRef) error {
	return s.store.DeleteSession(ctx, ref.SessionID, ref.AccountID)
}

// ChangePassword replaces the caller's credentials after checking the
// current authKey (counted against the sign-in limit, so a stolen access token
// cannot be used to guess it). Every session ends, and the caller gets a new
// one.
func (s *Service) ChangePassword(ctx context.Context, ref SessionRef, p PasswordChange) (Grant, error) {
	if err := checkCredentials(p.NewAuthKey, "newKdf", p.NewKDF, p.NewWrappedKey); err != nil {
		return Grant{}, err
	}
	a, err := s.reauthenticate(ctx, ref, p.AuthKey)
	if err != nil {
		return Grant{}, err
	}
	salt := randomBytes(16)
	return s.startSession(ctx, a.ID, ref.Stamp+1, &CredentialChange{
		AccountID:  a.ID,
		Stamp:      ref.Stamp,
		AuthSalt:   salt,
		AuthHash:   authHash(salt, p.NewAuthKey),
		KDF:        p.NewKDF,
		WrappedKey: p.NewWrappedKey,
	})
}

// DeleteAccount erases the caller's account, records and sessions after
// checking the current authKey.
func (s *Service) DeleteAccount(ctx context.Context, ref SessionRef, authKey []byte) error {
	a, err := s.reauthenticate(ctx, ref, authKey)
	if err != nil {
		return err
	}
	return s.store.DeleteAccount(ctx, a.ID)
}

func (s *Service) reauthenticate(ctx context.Context, ref SessionRef, authKey []byte) (*Account, error) {
	a, err := s.store.AccountByID(ctx, ref.AccountID)
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, Unauthorized()
	}
	key := s.accountThrottleKey(a.Email)
	if err := s.throttle(ctx, key); err != nil {
		return nil, err
	}
	if !s.keyMatches(a, authKey) {
		return nil, Unauthorized()
	}
	return a, s.store.ClearThrottle(ctx, key)
}

// Records returns the caller's changes after the cursor since. ref may be
// a session known only from its access token (VerifyToken): the store
// checks that it is live in the same statement that reads the page.
func (s *Service) Records(ctx context.Context, ref SessionRef, since int64, limit int) (RecordPage, error) {
	if since < 0 {
		return RecordPage{}, Errorf(CodeInvalid, "since must be a cursor from an earlier response")
	}
	switch {
	case limit == 0:
		limit = DefaultPageSize
	case limit < 0 || limit > MaxPageRecords:
		return RecordPage{}, Errorf(CodeInvalid, "limit must be between 1 and %d", MaxPageRecords)
	}
	// The store cuts the page at PageBytes of data, so a page of large
	// records costs memory for what is sent and no more.
	return s.store.Records(ctx, PageRequest{AccountID: ref.AccountID, Since: since, Limit: limit, MaxBytes: s.cfg.PageBytes, Session: &ref})
}

// WriteRecord applies one conditional write to the caller's record.
func (s *Service) WriteRecord(ctx context.Context, ref SessionRef, w RecordWrite) (Record, error) {
	if !validRecordID(w.ID) {
		return Record{}, Errorf(CodeInvalid, "record id must be 1 to 64 characters of A-Z a-z 0-9 _ -")
	}
	if w.Create == (w.IfMatch != 0) || (w.Create && w.Delete) || w.IfMatch < 0 {
		return Record{}, Errorf(CodeInvalid, "a write needs exactly one precondition")
	}
	if !w.Delete {
		if len(w.Data) == 0 {
			return Record{}, Errorf(CodeInvalid, "data is required")
		}
		if len(w.Data) > MaxRecordData {
			return Record{}, Errorf(CodeTooLarge, "data is %d bytes, the limit is %d", len(w.Data), MaxRecordData)
		}
	}
	w.AccountID = ref.AccountID
	w.Now = s.cfg.Now()
	w.Quota = s.cfg.Quota
	return s.store.WriteRecord(ctx, w)
}

// Usage returns what the caller's records take and the quota they are held
// to.
func (s *Service) Usage(ctx context.Context, ref SessionRef) (Usage, Quota, error) {
	a, err := s.store.AccountByID(ctx, ref.AccountID)
	if err != nil {
		return Usage{}, Quota{}, err
	}
	if a == nil {
		return Usage{}, Quota{}, Unauthorized()
	}
	return a.Usage, s.cfg.Quota, nil
}

// Ready reports whether the store is reachable. A failure is the same 503
// (and Retry-After) as any other unavailable store, carrying the store's
// error as its cause for the log: the adapters' errors name what failed
// (connection refused, store closed) and never a password.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return &Error{Code: CodeUnavailable, Message: "store unreachable", RetryAfter: UnavailableRetry, Err: err}
	}
	return nil
}

// Purge removes tombstones past retention, expired sessions and refresh
// tokens, and finished throttle windows.
func (s *Service) Purge(ctx context.Context) error {
	now := s.cfg.Now()
	return s.store.Purge(ctx, Purge{
		Now:             now,
		TombstonesUntil: now.Add(-s.cfg.TombstoneRetention),
		TokensUntil:     now.Add(-s.cfg.RefreshTTL),
	})
}

// throttle counts one attempt against each key and refuses when any is over
// its limit. It reads first: a client already over a limit is refused from
// that read and costs no write, so a flood of refused attempts cannot keep
// SQLite's one writer (or a replica's pool) busy. Otherwise all keys are
// counted in one statement, and the counts it returns decide, so parallel
// attempts cannot slip past the limit between the read and the write.
func (s *Service) throttle(ctx context.Context, keys ...string) error {
	now := s.cfg.Now()
	current, err := s.store.ThrottleStates(ctx, keys, now)
	if err != nil {
		return err
	}
	var wait time.Duration
	hits := make([]ThrottleHit, len(keys))
	for i, key := range keys {
		limit := s.limitFor(key)
		hits[i] = ThrottleHit{Key: key, Window: limit.Window}
		if st, ok := current[key]; ok && st.Hits >= limit.Attempts {
			wait = max(wait, st.WindowEnd.Sub(now))
		}
	}
	if wait <= 0 {
		counted, err := s.store.HitThrottle(ctx, now, hits...)
		if err != nil {
			return err
		}
		for i, st := range counted {
			if st.Hits > s.limitFor(keys[i]).Attempts {
				wait = max(wait, st.WindowEnd.Sub(now))
			}
		}
	}
	if wait > 0 {
		return &Error{Code: CodeThrottled, Message: "too many sign-in attempts; try again later", RetryAfter: wait}
	}
	return nil
}

func (s *Service) limitFor(key string) Limit {
	if strings.HasPrefix(key, "addr:") {
		return s.cfg.AddressLimit
	}
	return s.cfg.AccountLimit
}

// keyMatches compares in constant time, and with a missing account still
// hashes and compares, so the two cases take about as long.
func (s *Service) keyMatches(a *Account, authKey []byte) bool {
	salt, want := s.dummySalt, s.dummyHash
	if a != nil {
		salt, want = a.AuthSalt, a.AuthHash
	}
	ok := subtle.ConstantTimeCompare(authHash(salt, authKey), want) == 1
	return ok && a != nil
}

// accountThrottleKey does not store the email itself: the throttle table
// also holds keys for emails no one has registered.
func (s *Service) accountThrottleKey(email string) string {
	return "acct:" + base64.RawURLEncoding.EncodeToString(s.mac("throttle", email)[:18])
}

func (s *Service) mac(label, value string) []byte { return macUnder(s.cfg.Secret, label, value) }

func macUnder(key []byte, label, value string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)
}

// addressThrottleKey, like accountThrottleKey, stores no address: the
// throttle table would otherwise be a log of who signed in from where.
func (s *Service) addressThrottleKey(addr string) string {
	return "addr:" + base64.RawURLEncoding.EncodeToString(s.mac("throttle address", clientBlock(addr))[:18])
}

// clientBlock is what an address's attempts count against: the address, or
// for IPv6 its /64, the block one subscriber usually holds, so rotating
// addresses within it does not reset the count.
func clientBlock(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return "unknown"
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// authHash is what is stored for an authKey. The key is already the output
// of a memory-hard KDF over the password, so one SHA-256 with a per-account
// salt is enough to keep a stolen database from being a list of working
// credentials.
func authHash(salt, authKey []byte) []byte {
	h := sha256.New()
	h.Write([]byte(authHashLabel))
	h.Write(salt)
	h.Write(authKey)
	return h.Sum(nil)
}

// checkCredentials checks what a sign-up or password change sends; kdfField
// names the KDF field in the request, for the message.
func checkCredentials(authKey []byte, kdfField string, kdf KDF, wrappedKey []byte) error {
	if len(authKey) != AuthKeySize {
		return Errorf(CodeInvalid, "authKey must be %d bytes", AuthKeySize)
	}
	if err := checkKDF(kdfField, kdf); err != nil {
		return err
	}
	if len(wrappedKey) < MinWrappedKeySize || len(wrappedKey) > MaxWrappedKeySize {
		return Errorf(CodeInvalid, "wrappedKey must be %d to %d bytes", MinWrappedKeySize, MaxWrappedKeySize)
	}
	return nil
}

// checkKDF accepts exactly the published parameters, and says which field is
// off and what all of them must be.
func checkKDF(field string, k KDF) error {
	var bad string
	switch {
	case k.Alg != KDFAlg:
		bad = "alg"
	case k.MemoryKiB != KDFMemoryKiB:
		bad = "memoryKiB"
	case k.Iterations != KDFIterations:
		bad = "iterations"
	case k.Parallelism != KDFParallelism:
		bad = "parallelism"
	case len(k.Salt) != KDFSaltSize:
		bad = "salt"
	default:
		return nil
	}
	return Errorf(CodeInvalid, "%s.%s is not the server's: use alg %q, memoryKiB %d, iterations %d, parallelism %d and a %d-byte salt (GET /api/v1/kdf)",
		field, bad, KDFAlg, KDFMemoryKiB, KDFIterations, KDFParallelism, KDFSaltSize)
}

// normalizeEmail trims and lower-cases an email and checks its shape; it
// does not try to be RFC 5322, only to keep junk out.
func normalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	at := strings.LastIndexByte(s, '@')
	bad := len(s) > MaxEmailLength || at < 1 || at == len(s)-1 ||
		strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0
	if bad {
		return "", Errorf(CodeInvalid, "email is not a valid address")
	}
	return s, nil
}

var recordIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func validRecordID(id string) bool { return recordIDPattern.MatchString(id) }

// newRefreshToken returns a refresh token of a session and the hash that is
// stored: the session's ID, a dot, and 32 random bytes. Naming the session
// lets a used token be recognized after the purge dropped it (see
// RefreshExchange.Session); it tells the holder nothing new, since the
// access token names the session too.
func newRefreshToken(sessionID string) (token string, hash []byte) {
	token = sessionID + "." + base64.RawURLEncoding.EncodeToString(randomBytes(refreshTokenBytes))
	return token, hashToken(token)
}

// tokenSession returns the session ID a refresh token names, or "" for one
// that names none (issued before tokens named their session, or made up).
func tokenSession(token string) string {
	id, _, ok := strings.Cut(token, ".")
	if !ok || !sessionIDPattern.MatchString(id) {
		return ""
	}
	return id
}

// sessionIDPattern matches what newID makes: 16 bytes in base64url.
var sessionIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func newID() string { return base64.RawURLEncoding.EncodeToString(randomBytes(16)) }

// randomBytes panics only if the system's random source fails, which
// crypto/rand documents as unrecoverable.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

// retryAfterSeconds rounds a wait up to whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
