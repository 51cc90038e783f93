package server

import (
	"context"
	"time"
)

// Store is everything the service keeps. Implementations are in server/sqlite
// and server/postgres; server/storetest holds the suite both must pass.
//
// Every method that changes more than one row does so atomically. Times are
// passed in (never read from a clock inside the store) so tests control them.
// Failures a client can act on are returned as *Error; the rules that decide
// them (JudgeRefresh, CheckPrecondition) live in this package so both adapters
// apply the same ones.
type Store interface {
	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
	// Close releases the store's connections.
	Close() error

	// CreateAccount inserts a; CodeEmailTaken if a.Email is in use.
	CreateAccount(ctx context.Context, a *Account) error
	// AccountByEmail returns the account for a normalized email, or nil and
	// no error when there is none.
	AccountByEmail(ctx context.Context, email string) (*Account, error)
	// AccountByID returns an account, or nil and no error when there is none.
	AccountByID(ctx context.Context, id string) (*Account, error)
	// DeleteAccount erases an account with every record, session and refresh
	// token it owns. Deleting a missing account is not an error.
	DeleteAccount(ctx context.Context, id string) error
	// ChangeCredentials replaces an account's authKey hash, KDF and wrapped
	// key, bumps its security stamp from c.Stamp to c.Stamp+1 (the stamp
	// c.Session carries), ends every session it has and starts c.Session.
	// CodeUnauthorized if the stamp is no longer c.Stamp.
	ChangeCredentials(ctx context.Context, c CredentialChange) error

	// CreateSession stores a new session with its first refresh token.
	CreateSession(ctx context.Context, s Session, first RefreshToken) error
	// SessionStamp returns the security stamp of a live session, one whose
	// stamp is still its account's; CodeUnauthorized otherwise.
	SessionStamp(ctx context.Context, sessionID, accountID string) (int64, error)
	// DeleteSession ends a session and its refresh tokens.
	DeleteSession(ctx context.Context, sessionID, accountID string) error
	// Refresh exchanges a presented refresh token as JudgeRefresh rules, in
	// one transaction: on VerdictRevoke the session is deleted and committed
	// before CodeUnauthorized is returned.
	Refresh(ctx context.Context, x RefreshExchange) (SessionRef, error)

	// ThrottleStates reads, without writing, the counts against keys in
	// windows that have not ended by now. A key with no such window is
	// absent from the result.
	ThrottleStates(ctx context.Context, keys []string, now time.Time) (map[string]ThrottleState, error)
	// HitThrottle counts one attempt against each key of hits, in one
	// statement (one commit), each in a fixed window that starts at its
	// first attempt and lasts its Window, and returns the counts so far and
	// when the windows end, in the order of hits. The keys must differ.
	HitThrottle(ctx context.Context, now time.Time, hits ...ThrottleHit) ([]ThrottleState, error)
	// ClearThrottle forgets the attempts counted against key.
	ClearThrottle(ctx context.Context, key string) error

	// Records returns the changes of an account's records with a sequence
	// number above p.Since, oldest first, read from one snapshot: at most
	// p.Limit of them, and no more than p.MaxBytes of data in all, except
	// that the first change is always returned, however large. The store
	// reads (and holds) no more record data than it returns. With
	// p.Session, the session is checked in the same read, as SessionStamp
	// checks it: CodeUnauthorized unless it is live under its stamp.
	// CodeCursorExpired if p.Since > 0 and tombstones after it were purged,
	// or it is beyond anything the account has written.
	Records(ctx context.Context, p PageRequest) (RecordPage, error)
	// WriteRecord creates, updates or deletes one record after
	// CheckPrecondition and then CheckQuota pass, as one compare-and-set,
	// and keeps the account's Usage with it.
	WriteRecord(ctx context.Context, w RecordWrite) (Record, error)

	// Purge removes what has outlived its retention; purged tombstones
	// leave their accounts' Usage.
	Purge(ctx context.Context, p Purge) error

	// PreloginKey returns the key fake prelogin salts are derived from. On
	// a store that has none yet it stores candidate (at least 32 random
	// bytes) and returns it; from then on every call, on every replica,
	// returns the stored key, whatever candidate it is given.
	PreloginKey(ctx context.Context, candidate []byte) ([]byte, error)
}

// Account is one user. The server never sees the password: AuthHash is a
// hash of the authKey the client derives from it, and WrappedKey is the
// client's vault key encrypted under a key the server never sees either.
type Account struct {
	ID         string
	Email      string // normalized: trimmed, lower case
	AuthSalt   []byte
	AuthHash   []byte
	KDF        KDF
	WrappedKey []byte
	Stamp      int64 // security stamp; bumped when credentials change
	CreatedAt  time.Time
	Usage      Usage // what its records take, kept by every record write
}

// Usage is what an account's records take: the records kept (tombstones
// included, until purged) and the bytes of their data.
type Usage struct {
	Records int
	Bytes   int64
}

// Quota bounds an account's Usage. A zero field sets no bound.
type Quota struct {
	Records int
	Bytes   int64
}

// KDF are the argon2id parameters a client uses to derive its keys from the
// password.
type KDF struct {
	Alg         string
	MemoryKiB   int
	Iterations  int
	Parallelism int
	Salt        []byte
}

// CredentialChange is a password change as the store applies it.
type CredentialChange struct {
	AccountID  string
	Stamp      int64 // the stamp the change was authorized under
	AuthSalt   []byte
	AuthHash   []byte
	KDF        KDF
	WrappedKey []byte
	Session    Session      // the caller's new session
	Token      RefreshToken // its first refresh token
	Now        time.Time
}

// Session is one signed-in device. It lives until signed out, revoked, or its
// refresh tokens expire.
type Session struct {
	ID        string
	AccountID string
	// Stamp is the account's security stamp the session was started under.
	// A session whose stamp is no longer the account's is dead, which also
	// covers a sign-in that checked the old password while it was changed.
	Stamp       int64
	CreatedAt   time.Time
	RefreshedAt time.Time
}

// SessionRef names a live session and the account stamp read with it.
type SessionRef struct {
	SessionID string
	AccountID string
	Stamp     int64
}

// TokenState is where a refresh token is in its life.
type TokenState string

// Refresh token states.
const (
	// TokenLive is a token issued and never presented.
	TokenLive TokenState = "live"
	// TokenUsed is a token exchanged once; it may get one grace retry.
	TokenUsed TokenState = "used"
	// TokenRegraced is a token exchanged twice: its grace retry is spent.
	TokenRegraced TokenState = "regraced"
	// TokenRetired is a successor dropped by a grace retry, never delivered.
	TokenRetired TokenState = "retired"
)

// RefreshToken is a stored refresh token: only its SHA-256 is kept.
type RefreshToken struct {
	Hash      []byte
	SessionID string
	Parent    []byte // the token this one replaced; nil for a session's first
	IssuedAt  time.Time
	UsedAt    time.Time // zero until first exchanged
	State     TokenState
}

// RefreshExchange is one presentation of a refresh token.
type RefreshExchange struct {
	Presented []byte // hash of the presented token
	// Session is the session the presented token names ("" for a token
	// from before tokens named their session). A token that is not stored
	// but names a live session is one of its used tokens, purged after its
	// lifetime and now replayed: that revokes the session, as it did while
	// the token was stored.
	Session string
	// Next returns the hash of the token to issue for the session, if the
	// exchange succeeds; the store calls it once, with the session's ID.
	Next  func(sessionID string) []byte
	Now   time.Time
	Grace time.Duration
	TTL   time.Duration
}

// ThrottleHit is one attempt to count against a key, in windows of Window.
type ThrottleHit struct {
	Key    string
	Window time.Duration
}

// ThrottleState is the attempt count in the current window for one key.
type ThrottleState struct {
	Hits      int
	WindowEnd time.Time
}

// Record is one opaque, client-encrypted blob with its revision. Seq orders
// all changes of one account for sync; Rev counts changes of one record.
type Record struct {
	ID        string
	Rev       int64
	Deleted   bool
	Data      []byte // nil for a tombstone
	Seq       int64
	UpdatedAt time.Time
}

// PageRequest asks a store for a page of changes.
type PageRequest struct {
	AccountID string
	Since     int64 // the cursor: the Seq of the last change already held
	Limit     int   // changes in the page, at most
	MaxBytes  int   // record data in the page, at most (the first change is always returned)
	// Session, when set, must be live under its stamp for the page to be
	// read; the store checks it in the same statement that reads the page,
	// so a sync read makes one round trip to the database, not two.
	Session *SessionRef
}

// RecordPage is one page of changes for sync.
type RecordPage struct {
	Records []Record
	Cursor  int64 // Seq of the last record returned, or the since it was asked with
	More    bool  // there are more changes after Cursor
}

// RecordWrite is one conditional write. Exactly one of Create (If-None-Match:
// *) or IfMatch (If-Match: "<rev>") is set.
type RecordWrite struct {
	AccountID string
	ID        string
	Create    bool
	IfMatch   int64
	Delete    bool   // leave a tombstone instead of Data
	Data      []byte // the new data, unless Delete
	Now       time.Time
	Quota     Quota // the account's bound after the write (CheckQuota)
}

// Purge says what is old enough to go.
type Purge struct {
	Now             time.Time
	TombstonesUntil time.Time // tombstones last changed before this
	TokensUntil     time.Time // refresh tokens issued before this, and sessions not refreshed since
}
