// Package storetest is the one test suite every server.Store must pass.
// Each adapter's tests call Run with a function that opens a fresh, empty
// store.
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
)

// Open returns a new, empty store that lives until the test ends.
type Open func(t *testing.T) server.Store

// Run runs the whole suite against the stores open makes.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, server.Store)
	}{
		{"Accounts", testAccounts},
		{"DeleteAccountErasesEverything", testDeleteAccount},
		{"ChangeCredentials", testChangeCredentials},
		{"Sessions", testSessions},
		{"SessionForDeletedAccount", testSessionForDeletedAccount},
		{"RefreshRotation", testRefreshRotation},
		{"RefreshGrace", testRefreshGrace},
		{"RefreshConcurrent", testRefreshConcurrent},
		{"RefreshAfterStampChange", testRefreshAfterStampChange},
		{"RefreshPurgedTokenNamingSession", testRefreshPurgedTokenNamingSession},
		{"Throttle", testThrottle},
		{"ThrottleKeys", testThrottleKeys},
		{"ThrottleConcurrent", testThrottleConcurrent},
		{"RecordWrites", testRecordWrites},
		{"RecordSync", testRecordSync},
		{"RecordPageBytes", testRecordPageBytes},
		{"RecordsForSession", testRecordsForSession},
		{"RecordsIsolated", testRecordsIsolated},
		{"RecordCASConcurrent", testRecordCASConcurrent},
		{"Quota", testQuota},
		{"QuotaConcurrent", testQuotaConcurrent},
		{"SyncNeverSkips", testSyncNeverSkips},
		{"Purge", testPurge},
		{"PreloginKey", testPreloginKey},
		{"Closed", testClosed},
	}
	// Tests that measure this process's allocations run first and alone;
	// the rest run in parallel after them.
	t.Run("RecordsReadWhatTheyReturn", func(t *testing.T) { testRecordsReadWhatTheyReturn(t, open(t)) })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// t0 is a fixed start time with millisecond precision, as the stores keep.
var t0 = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

const (
	ttl   = 30 * 24 * time.Hour
	grace = server.RefreshGrace
)

func ctx(t *testing.T) context.Context { return t.Context() }

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func randID() string { return hex.EncodeToString(randBytes(8)) }

func newAccount(t *testing.T, s server.Store) *server.Account {
	t.Helper()
	a := &server.Account{
		ID:         randID(),
		Email:      randID() + "@example.test",
		AuthSalt:   randBytes(16),
		AuthHash:   randBytes(32),
		KDF:        server.KDF{Alg: "argon2id", MemoryKiB: 65536, Iterations: 3, Parallelism: 4, Salt: randBytes(16)},
		WrappedKey: randBytes(60),
		Stamp:      1,
		CreatedAt:  t0,
	}
	if err := s.CreateAccount(ctx(t), a); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	return a
}

// newSession starts a session for a and returns it with its token's hash.
func newSession(t *testing.T, s server.Store, a *server.Account, at time.Time) (server.Session, []byte) {
	t.Helper()
	sess := server.Session{ID: randID(), AccountID: a.ID, Stamp: a.Stamp, CreatedAt: at, RefreshedAt: at}
	hash := randBytes(32)
	if err := s.CreateSession(ctx(t), sess, server.RefreshToken{Hash: hash, SessionID: sess.ID, IssuedAt: at, State: server.TokenLive}); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return sess, hash
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := server.ErrorCode(err); got != code {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}

func testAccounts(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	got, err := s.AccountByEmail(ctx(t), a.Email)
	if err != nil || got == nil {
		t.Fatalf("AccountByEmail(%q) = %v, %v", a.Email, got, err)
	}
	if got.ID != a.ID || !bytes.Equal(got.AuthHash, a.AuthHash) || !bytes.Equal(got.AuthSalt, a.AuthSalt) ||
		!bytes.Equal(got.WrappedKey, a.WrappedKey) || got.Stamp != 1 || !got.CreatedAt.Equal(t0) ||
		got.KDF.Alg != a.KDF.Alg || got.KDF.MemoryKiB != a.KDF.MemoryKiB || got.KDF.Iterations != a.KDF.Iterations ||
		got.KDF.Parallelism != a.KDF.Parallelism || !bytes.Equal(got.KDF.Salt, a.KDF.Salt) {
		t.Errorf("AccountByEmail = %+v, want %+v", got, a)
	}
	byID, err := s.AccountByID(ctx(t), a.ID)
	if err != nil || byID == nil || byID.Email != a.Email {
		t.Errorf("AccountByID(%q) = %+v, %v", a.ID, byID, err)
	}

	dup := *a
	dup.ID = randID()
	wantCode(t, "CreateAccount with a taken email", s.CreateAccount(ctx(t), &dup), server.CodeEmailTaken)

	for _, lookup := range []func() (*server.Account, error){
		func() (*server.Account, error) { return s.AccountByEmail(ctx(t), "nobody@example.test") },
		func() (*server.Account, error) { return s.AccountByID(ctx(t), "missing") },
	} {
		if got, err := lookup(); got != nil || err != nil {
			t.Errorf("lookup of a missing account = %v, %v; want nil, nil", got, err)
		}
	}
	if err := s.DeleteAccount(ctx(t), "missing"); err != nil {
		t.Errorf("DeleteAccount(missing) = %v", err)
	}
}

func testDeleteAccount(t *testing.T, s server.Store) {
	a, b := newAccount(t, s), newAccount(t, s)
	sessA, tokA := newSession(t, s, a, t0)
	sessB, _ := newSession(t, s, b, t0)
	for _, acct := range []*server.Account{a, b} {
		if _, err := s.WriteRecord(ctx(t), server.RecordWrite{AccountID: acct.ID, ID: "r1", Create: true, Data: []byte("x"), Now: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteAccount(ctx(t), a.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.AccountByEmail(ctx(t), a.Email); got != nil {
		t.Error("account still there after DeleteAccount")
	}
	_, err := s.SessionStamp(ctx(t), sessA.ID, a.ID)
	wantCode(t, "SessionStamp after DeleteAccount", err, server.CodeUnauthorized)
	_, err = s.Refresh(ctx(t), server.RefreshExchange{Presented: tokA, Next: anyNext, Now: t0, Grace: grace, TTL: ttl})
	wantCode(t, "Refresh after DeleteAccount", err, server.CodeUnauthorized)
	_, err = s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Limit: 10, MaxBytes: 1 << 30})
	wantCode(t, "Records after DeleteAccount", err, server.CodeUnauthorized)
	_, err = s.WriteRecord(ctx(t), server.RecordWrite{AccountID: a.ID, ID: "r2", Create: true, Data: []byte("x"), Now: t0})
	wantCode(t, "WriteRecord after DeleteAccount", err, server.CodeUnauthorized)

	// The other account is untouched, and the email is free again.
	if _, err := s.SessionStamp(ctx(t), sessB.ID, b.ID); err != nil {
		t.Errorf("other account's session: %v", err)
	}
	if page, err := s.Records(ctx(t), server.PageRequest{AccountID: b.ID, Limit: 10, MaxBytes: 1 << 30}); err != nil || len(page.Records) != 1 {
		t.Errorf("other account's records = %+v, %v", page, err)
	}
	again := *a
	again.ID = randID()
	if err := s.CreateAccount(ctx(t), &again); err != nil {
		t.Errorf("re-registering a deleted email: %v", err)
	}
}

func testChangeCredentials(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	old1, oldTok := newSession(t, s, a, t0)
	old2, _ := newSession(t, s, a, t0)
	now := t0.Add(time.Minute)
	next := server.Session{ID: randID(), AccountID: a.ID, Stamp: 2, CreatedAt: now, RefreshedAt: now}
	nextTok := server.RefreshToken{Hash: randBytes(32), SessionID: next.ID, IssuedAt: now, State: server.TokenLive}
	c := server.CredentialChange{
		AccountID: a.ID, Stamp: 1, AuthSalt: randBytes(16), AuthHash: randBytes(32),
		KDF:        server.KDF{Alg: "argon2id", MemoryKiB: 19456, Iterations: 2, Parallelism: 1, Salt: randBytes(16)},
		WrappedKey: randBytes(70), Session: next, Token: nextTok, Now: now,
	}
	if err := s.ChangeCredentials(ctx(t), c); err != nil {
		t.Fatalf("ChangeCredentials: %v", err)
	}
	got, _ := s.AccountByID(ctx(t), a.ID)
	if got.Stamp != 2 || !bytes.Equal(got.AuthHash, c.AuthHash) || !bytes.Equal(got.WrappedKey, c.WrappedKey) || got.KDF.MemoryKiB != 19456 {
		t.Errorf("after ChangeCredentials the account is %+v", got)
	}
	for _, old := range []server.Session{old1, old2} {
		_, err := s.SessionStamp(ctx(t), old.ID, a.ID)
		wantCode(t, "SessionStamp of a session from before the change", err, server.CodeUnauthorized)
	}
	_, err := s.Refresh(ctx(t), server.RefreshExchange{Presented: oldTok, Next: anyNext, Now: now, Grace: grace, TTL: ttl})
	wantCode(t, "Refresh of a token from before the change", err, server.CodeUnauthorized)
	if stamp, err := s.SessionStamp(ctx(t), next.ID, a.ID); err != nil || stamp != 2 {
		t.Errorf("SessionStamp of the new session = %d, %v; want 2", stamp, err)
	}
	// A second change authorized under the old stamp loses.
	c.Session.ID, c.Token.Hash, c.Token.SessionID = randID(), randBytes(32), c.Session.ID
	wantCode(t, "ChangeCredentials with a stale stamp", s.ChangeCredentials(ctx(t), c), server.CodeUnauthorized)

	// A sign-in that checked the old credentials and lands after the change
	// starts a session that is dead on arrival.
	late := server.Session{ID: randID(), AccountID: a.ID, Stamp: 1, CreatedAt: now, RefreshedAt: now}
	lateTok := randBytes(32)
	if err := s.CreateSession(ctx(t), late, server.RefreshToken{Hash: lateTok, SessionID: late.ID, IssuedAt: now, State: server.TokenLive}); err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionStamp(ctx(t), late.ID, a.ID)
	wantCode(t, "SessionStamp of a session started under the old stamp", err, server.CodeUnauthorized)
	_, err = s.Refresh(ctx(t), server.RefreshExchange{Presented: lateTok, Next: anyNext, Now: now, Grace: grace, TTL: ttl})
	wantCode(t, "Refresh of a session started under the old stamp", err, server.CodeUnauthorized)
}

func testSessions(t *testing.T, s server.Store) {
	a, b := newAccount(t, s), newAccount(t, s)
	sess, _ := newSession(t, s, a, t0)
	if stamp, err := s.SessionStamp(ctx(t), sess.ID, a.ID); err != nil || stamp != 1 {
		t.Fatalf("SessionStamp = %d, %v; want 1", stamp, err)
	}
	_, err := s.SessionStamp(ctx(t), sess.ID, b.ID)
	wantCode(t, "SessionStamp naming another account", err, server.CodeUnauthorized)
	_, err = s.SessionStamp(ctx(t), "missing", a.ID)
	wantCode(t, "SessionStamp of a missing session", err, server.CodeUnauthorized)

	// Another account cannot end the session.
	if err := s.DeleteSession(ctx(t), sess.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionStamp(ctx(t), sess.ID, a.ID); err != nil {
		t.Fatalf("session ended by another account's DeleteSession: %v", err)
	}
	if err := s.DeleteSession(ctx(t), sess.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionStamp(ctx(t), sess.ID, a.ID)
	wantCode(t, "SessionStamp after DeleteSession", err, server.CodeUnauthorized)
}

// testSessionForDeletedAccount: a sign-in that checked the key just before
// the account was deleted must fail like a wrong key, not as a fault (the
// session's foreign key refuses it).
func testSessionForDeletedAccount(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	if err := s.DeleteAccount(ctx(t), a.ID); err != nil {
		t.Fatal(err)
	}
	sess := server.Session{ID: randID(), AccountID: a.ID, Stamp: a.Stamp, CreatedAt: t0, RefreshedAt: t0}
	err := s.CreateSession(ctx(t), sess, server.RefreshToken{Hash: randBytes(32), SessionID: sess.ID, IssuedAt: t0, State: server.TokenLive})
	wantCode(t, "CreateSession for a deleted account", err, server.CodeUnauthorized)
	_, err = s.SessionStamp(ctx(t), sess.ID, a.ID)
	wantCode(t, "SessionStamp of the refused session", err, server.CodeUnauthorized)
}

// refresher presents tokens of one session and remembers the hashes.
type refresher struct {
	t *testing.T
	s server.Store
}

func (r refresher) present(tok []byte, at time.Time) ([]byte, error) {
	next := randBytes(32)
	_, err := r.s.Refresh(ctx(r.t), server.RefreshExchange{Presented: tok, Next: func(string) []byte { return next }, Now: at, Grace: grace, TTL: ttl})
	return next, err
}

// anyNext is a RefreshExchange.Next for a successor the test never presents.
func anyNext(string) []byte { return randBytes(32) }

func (r refresher) mustPresent(tok []byte, at time.Time) []byte {
	r.t.Helper()
	next, err := r.present(tok, at)
	if err != nil {
		r.t.Fatalf("Refresh: %v", err)
	}
	return next
}

// testRefreshPurgedTokenNamingSession: a token the store does not hold but
// that names a live session revokes it (a used token, purged, replayed);
// one naming no live session is a plain refusal that changes nothing. And
// Next is called with the session's ID.
func testRefreshPurgedTokenNamingSession(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	sess, tok := newSession(t, s, a, t0)
	var asked string
	next := randBytes(32)
	if _, err := s.Refresh(ctx(t), server.RefreshExchange{Presented: tok, Session: sess.ID, Next: func(id string) []byte { asked = id; return next },
		Now: t0, Grace: grace, TTL: ttl}); err != nil {
		t.Fatal(err)
	}
	if asked != sess.ID {
		t.Errorf("Next was asked for session %q, want %q", asked, sess.ID)
	}
	other, _ := newSession(t, s, a, t0)
	_, err := s.Refresh(ctx(t), server.RefreshExchange{Presented: randBytes(32), Session: "no-such-session", Next: anyNext, Now: t0, Grace: grace, TTL: ttl})
	wantCode(t, "an unknown token naming no session", err, server.CodeUnauthorized)
	_, err = s.Refresh(ctx(t), server.RefreshExchange{Presented: randBytes(32), Session: sess.ID, Next: anyNext, Now: t0, Grace: grace, TTL: ttl})
	wantCode(t, "an unknown token naming a live session", err, server.CodeUnauthorized)
	_, err = s.SessionStamp(ctx(t), sess.ID, a.ID)
	wantCode(t, "the session after an unknown token named it", err, server.CodeUnauthorized)
	_, err = s.Refresh(ctx(t), server.RefreshExchange{Presented: next, Next: anyNext, Now: t0, Grace: grace, TTL: ttl})
	wantCode(t, "the session's live token after the replay", err, server.CodeUnauthorized)
	if _, err := s.SessionStamp(ctx(t), other.ID, a.ID); err != nil {
		t.Errorf("another session of the account ended too: %v", err)
	}
}

func testRefreshRotation(t *testing.T, s server.Store) {
	r := refresher{t, s}
	a := newAccount(t, s)
	sess, tok0 := newSession(t, s, a, t0)
	ref, err := s.Refresh(ctx(t), server.RefreshExchange{Presented: tok0, Next: anyNext, Now: t0, Grace: grace, TTL: ttl})
	if err != nil || ref.SessionID != sess.ID || ref.AccountID != a.ID || ref.Stamp != 1 {
		t.Fatalf("Refresh = %+v, %v", ref, err)
	}

	// A chain of rotations works; an old token presented after the grace
	// window revokes the session.
	_, tok1 := newSession(t, s, a, t0)
	tok2 := r.mustPresent(tok1, t0.Add(time.Minute))
	tok3 := r.mustPresent(tok2, t0.Add(2*time.Minute))
	_, err = r.present(tok1, t0.Add(3*time.Minute))
	wantCode(t, "reuse of a rotated token", err, server.CodeUnauthorized)
	_, err = r.present(tok3, t0.Add(3*time.Minute))
	wantCode(t, "the live token after reuse revoked the session", err, server.CodeUnauthorized)

	// Unknown token.
	_, err = r.present(randBytes(32), t0)
	wantCode(t, "unknown token", err, server.CodeUnauthorized)

	// An expired live token is refused but does not end the session.
	sessE, tokE := newSession(t, s, a, t0)
	_, err = r.present(tokE, t0.Add(ttl))
	wantCode(t, "expired token", err, server.CodeUnauthorized)
	if _, err := s.SessionStamp(ctx(t), sessE.ID, a.ID); err != nil {
		t.Errorf("an expired refresh token ended its session: %v", err)
	}
	r.mustPresent(tokE, t0.Add(ttl-time.Millisecond))
}

func testRefreshGrace(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	r := refresher{t, s}
	tests := []struct {
		name string
		// run presents tokens; it returns whether the session must still be
		// live at the end.
		run func(t *testing.T, tok []byte) bool
	}{
		{"retry within grace, successor unused: accepted, successor retired", func(t *testing.T, tok []byte) bool {
			lost := r.mustPresent(tok, t0)
			again := r.mustPresent(tok, t0.Add(grace))
			if _, err := r.present(lost, t0.Add(grace)); server.ErrorCode(err) != server.CodeUnauthorized {
				t.Fatalf("the retired successor was accepted: %v", err)
			}
			_, err := r.present(again, t0.Add(grace))
			wantCode(t, "the new token after the retired one came back", err, server.CodeUnauthorized)
			return false
		}},
		{"retry within grace then the new token works", func(t *testing.T, tok []byte) bool {
			r.mustPresent(tok, t0)
			again := r.mustPresent(tok, t0.Add(10*time.Second))
			r.mustPresent(again, t0.Add(20*time.Second))
			return true
		}},
		{"retry after grace: session revoked", func(t *testing.T, tok []byte) bool {
			next := r.mustPresent(tok, t0)
			_, err := r.present(tok, t0.Add(grace+time.Millisecond))
			wantCode(t, "retry after grace", err, server.CodeUnauthorized)
			_, err = r.present(next, t0.Add(grace+time.Millisecond))
			wantCode(t, "successor after the revoking retry", err, server.CodeUnauthorized)
			return false
		}},
		{"retry within grace but successor used: session revoked", func(t *testing.T, tok []byte) bool {
			next := r.mustPresent(tok, t0)
			r.mustPresent(next, t0.Add(time.Second))
			_, err := r.present(tok, t0.Add(2*time.Second))
			wantCode(t, "retry after the successor was used", err, server.CodeUnauthorized)
			return false
		}},
		{"grace is once: a third presentation revokes", func(t *testing.T, tok []byte) bool {
			r.mustPresent(tok, t0)
			r.mustPresent(tok, t0.Add(time.Second))
			_, err := r.present(tok, t0.Add(2*time.Second))
			wantCode(t, "third presentation", err, server.CodeUnauthorized)
			return false
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sess, tok := newSession(t, s, a, t0)
			wantLive := tt.run(t, tok)
			_, err := s.SessionStamp(ctx(t), sess.ID, a.ID)
			if live := err == nil; live != wantLive {
				t.Errorf("session live = %v (%v), want %v", live, err, wantLive)
			}
		})
	}
}

// testRefreshConcurrent presents one token from many goroutines at once: the
// store must judge them one at a time, so exactly two succeed (the exchange
// and its one grace retry) and the third revokes the session.
func testRefreshConcurrent(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	sess, tok := newSession(t, s, a, t0)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.Refresh(ctx(t), server.RefreshExchange{Presented: tok, Next: anyNext, Now: t0, Grace: grace, TTL: ttl})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch server.ErrorCode(err) {
		case "":
			ok++
		case server.CodeUnauthorized:
		default:
			t.Errorf("concurrent refresh: %v", err)
		}
	}
	if ok != 2 {
		t.Errorf("%d of %d concurrent presentations succeeded, want 2", ok, n)
	}
	_, err := s.SessionStamp(ctx(t), sess.ID, a.ID)
	wantCode(t, "session after concurrent reuse", err, server.CodeUnauthorized)
}

func testRefreshAfterStampChange(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	_, tok := newSession(t, s, a, t0)
	now := t0.Add(time.Minute)
	mine := server.Session{ID: randID(), AccountID: a.ID, Stamp: 2, CreatedAt: now, RefreshedAt: now}
	err := s.ChangeCredentials(ctx(t), server.CredentialChange{
		AccountID: a.ID, Stamp: 1, AuthSalt: randBytes(16), AuthHash: randBytes(32), KDF: a.KDF, WrappedKey: a.WrappedKey,
		Session: mine, Token: server.RefreshToken{Hash: randBytes(32), SessionID: mine.ID, IssuedAt: now, State: server.TokenLive}, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = refresher{t, s}.present(tok, now)
	wantCode(t, "refresh of another session after a password change", err, server.CodeUnauthorized)
}

// hit counts one attempt against key and returns the state.
func hit(t *testing.T, s server.Store, key string, now time.Time, window time.Duration) server.ThrottleState {
	t.Helper()
	st, err := s.HitThrottle(ctx(t), now, server.ThrottleHit{Key: key, Window: window})
	if err != nil || len(st) != 1 {
		t.Fatalf("HitThrottle(%s) = %v, %v", key, st, err)
	}
	return st[0]
}

func testThrottle(t *testing.T, s server.Store) {
	const window = 15 * time.Minute
	key := "acct:" + randID()
	for i := 1; i <= 3; i++ {
		st := hit(t, s, key, t0.Add(time.Duration(i)*time.Minute), window)
		if st.Hits != i || !st.WindowEnd.Equal(t0.Add(time.Minute+window)) {
			t.Errorf("hit %d = %+v, want %d hits, window ending %v", i, st, i, t0.Add(time.Minute+window))
		}
	}
	// Another key has its own count.
	if st := hit(t, s, "addr:"+randID(), t0, window); st.Hits != 1 {
		t.Errorf("other key: %d hits, want 1", st.Hits)
	}
	// A new window starts once the old one ends.
	later := t0.Add(time.Minute + window)
	if st := hit(t, s, key, later, window); st.Hits != 1 || !st.WindowEnd.Equal(later.Add(window)) {
		t.Errorf("hit after the window = %+v, want a fresh window", st)
	}
	if err := s.ClearThrottle(ctx(t), key); err != nil {
		t.Fatal(err)
	}
	if st := hit(t, s, key, later, window); st.Hits != 1 {
		t.Errorf("hit after ClearThrottle: %d hits, want 1", st.Hits)
	}
}

// testThrottleKeys: several keys are counted in one call, each in its own
// window, answered in the caller's order; reading the counts changes none.
func testThrottleKeys(t *testing.T, s server.Store) {
	acct, addr, fresh := "acct:"+randID(), "addr:"+randID(), "addr:"+randID()
	hits := []server.ThrottleHit{{Key: addr, Window: time.Hour}, {Key: acct, Window: 15 * time.Minute}}
	for i := 1; i <= 3; i++ {
		st, err := s.HitThrottle(ctx(t), t0, hits...)
		if err != nil || len(st) != 2 {
			t.Fatalf("HitThrottle = %v, %v", st, err)
		}
		if st[0].Hits != i || !st[0].WindowEnd.Equal(t0.Add(time.Hour)) || st[1].Hits != i || !st[1].WindowEnd.Equal(t0.Add(15*time.Minute)) {
			t.Errorf("hit %d = %+v, want %d hits each, windows of 1 h and 15 min in that order", i, st, i)
		}
	}
	for range 2 {
		got, err := s.ThrottleStates(ctx(t), []string{acct, addr, fresh}, t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[acct].Hits != 3 || got[addr].Hits != 3 || !got[acct].WindowEnd.Equal(t0.Add(15*time.Minute)) {
			t.Errorf("ThrottleStates = %+v, want 3 hits on each counted key and nothing for a fresh one", got)
		}
	}
	// A window that has ended is not reported.
	got, err := s.ThrottleStates(ctx(t), []string{acct, addr}, t0.Add(15*time.Minute))
	if err != nil || len(got) != 1 || got[addr].Hits != 3 {
		t.Errorf("ThrottleStates after the account window ended = %+v, %v; want only the address key", got, err)
	}
	if got, err := s.ThrottleStates(ctx(t), []string{fresh}, t0); err != nil || len(got) != 0 {
		t.Errorf("ThrottleStates of an uncounted key = %+v, %v", got, err)
	}
}

func testThrottleConcurrent(t *testing.T, s server.Store) {
	a, b := "acct:"+randID(), "addr:"+randID()
	const workers, each = 8, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			// Half the workers name the keys in the other order: a store
			// that locks them in the given order would deadlock.
			hits := []server.ThrottleHit{{Key: a, Window: time.Hour}, {Key: b, Window: time.Hour}}
			if w%2 == 1 {
				hits[0], hits[1] = hits[1], hits[0]
			}
			for range each {
				if _, err := s.HitThrottle(ctx(t), t0, hits...); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, key := range []string{a, b} {
		if st := hit(t, s, key, t0, time.Hour); st.Hits != workers*each+1 {
			t.Errorf("%s after %d concurrent hits and one more: %d hits, want %d", key, workers*each, st.Hits, workers*each+1)
		}
	}
}

func write(t *testing.T, s server.Store, w server.RecordWrite) (server.Record, error) {
	t.Helper()
	if w.Now.IsZero() {
		w.Now = t0
	}
	return s.WriteRecord(ctx(t), w)
}

func testRecordWrites(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	id := "rec-" + randID()
	d1, d2 := randBytes(100), randBytes(server.MaxRecordData)

	r, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: id, Create: true, Data: d1})
	if err != nil || r.Rev != 1 || r.ID != id || !bytes.Equal(r.Data, d1) {
		t.Fatalf("create = %+v, %v", r, err)
	}
	_, err = write(t, s, server.RecordWrite{AccountID: a.ID, ID: id, Create: true, Data: d2})
	var e *server.Error
	if !errors.As(err, &e) || e.Code != server.CodeRevMismatch || e.Current == nil || e.Current.Rev != 1 || !bytes.Equal(e.Current.Data, d1) {
		t.Fatalf("create over a live record = %v, want rev_mismatch with the current record", err)
	}
	r, err = write(t, s, server.RecordWrite{AccountID: a.ID, ID: id, IfMatch: 1, Data: d2})
	if err != nil || r.Rev != 2 || !bytes.Equal(r.Data, d2) {
		t.Fatalf("update = %+v, %v", r, err)
	}
	_, err = write(t, s, server.RecordWrite{AccountID: a.ID, ID: id, IfMatch: 1, Data: d1})
	if !errors.As(err, &e) || e.Code != server.CodeRevMismatch || e.Current == nil || e.Current.Rev != 2 || !bytes.Equal(e.Current.Data, d2) {
		t.Fatalf("stale update = %v, want rev_mismatch with rev 2", err)
	}
	_, err = write(t, s, server.RecordWrite{AccountID: a.ID, ID: "missing", IfMatch: 1, Data: d1})
	if !errors.As(err, &e) || e.Code != server.CodeRevMismatch || e.Current != nil {
		t.Fatalf("update of a missing record = %v, want rev_mismatch without a record", err)
	}
	r, err = write(t, s, server.RecordWrite{AccountID: a.ID, ID: id, IfMatch: 2, Delete: true})
	if err != nil || r.Rev != 3 || !r.Deleted || r.Data != nil {
		t.Fatalf("delete = %+v, %v", r, err)
	}
	_, err = write(t, s, server.RecordWrite{AccountID: a.ID, ID: id, IfMatch: 3, Delete: true})
	if !errors.As(err, &e) || e.Code != server.CodeRevMismatch || e.Current == nil || !e.Current.Deleted {
		t.Fatalf("delete of a tombstone = %v, want rev_mismatch with the tombstone", err)
	}
	_, err = write(t, s, server.RecordWrite{AccountID: a.ID, ID: id, IfMatch: 3, Data: d1})
	wantCode(t, "update of a tombstone", err, server.CodeRevMismatch)
	r, err = write(t, s, server.RecordWrite{AccountID: a.ID, ID: id, Create: true, Data: d1})
	if err != nil || r.Rev != 4 || r.Deleted {
		t.Fatalf("create over a tombstone = %+v, %v; want rev 4", r, err)
	}
}

func testRecordSync(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	page, err := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Limit: 10, MaxBytes: 1 << 30})
	if err != nil || len(page.Records) != 0 || page.Cursor != 0 || page.More {
		t.Fatalf("empty account: %+v, %v", page, err)
	}
	data := map[string][]byte{}
	for i := range 5 {
		id := fmt.Sprintf("r%d", i)
		data[id] = randBytes(10 + i)
		if _, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: id, Create: true, Data: data[id]}); err != nil {
			t.Fatal(err)
		}
	}
	page, err = s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Limit: 3, MaxBytes: 1 << 30})
	if err != nil || len(page.Records) != 3 || !page.More {
		t.Fatalf("first page = %+v, %v; want 3 records and more", page, err)
	}
	for _, r := range page.Records {
		if !bytes.Equal(r.Data, data[r.ID]) || r.Rev != 1 || r.Deleted {
			t.Errorf("record %s = %+v", r.ID, r)
		}
	}
	cursor := page.Cursor
	page, err = s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Since: cursor, Limit: 3, MaxBytes: 1 << 30})
	if err != nil || len(page.Records) != 2 || page.More || page.Records[0].ID != "r3" {
		t.Fatalf("second page = %+v, %v; want r3, r4 and no more", page, err)
	}
	cursor = page.Cursor
	if page, err := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Since: cursor, Limit: 3, MaxBytes: 1 << 30}); err != nil || len(page.Records) != 0 || page.Cursor != cursor {
		t.Fatalf("page at the end = %+v, %v; want empty with the same cursor", page, err)
	}
	// An update and a delete show up after the cursor, the tombstone too.
	if _, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: "r1", IfMatch: 1, Data: []byte("new")}); err != nil {
		t.Fatal(err)
	}
	if _, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: "r2", IfMatch: 1, Delete: true}); err != nil {
		t.Fatal(err)
	}
	page, err = s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Since: cursor, Limit: 10, MaxBytes: 1 << 30})
	if err != nil || len(page.Records) != 2 {
		t.Fatalf("changes after the cursor = %+v, %v", page, err)
	}
	if r := page.Records[0]; r.ID != "r1" || r.Rev != 2 || string(r.Data) != "new" {
		t.Errorf("first change = %+v, want r1 rev 2", r)
	}
	if r := page.Records[1]; r.ID != "r2" || r.Rev != 2 || !r.Deleted || r.Data != nil {
		t.Errorf("second change = %+v, want the r2 tombstone", r)
	}
	// A failed write does not use up a sequence number (it rolls back), and a
	// cursor past the end is refused.
	_, _ = write(t, s, server.RecordWrite{AccountID: a.ID, ID: "r1", IfMatch: 1, Data: []byte("stale")})
	_, err = s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Since: page.Cursor + 1, Limit: 10, MaxBytes: 1 << 30})
	wantCode(t, "cursor beyond the account's changes", err, server.CodeCursorExpired)
}

// testRecordPageBytes: a page stops before the record that would take its
// data over maxBytes, always holds the first record however large, counts
// a tombstone as no data, and says there is more whenever it stopped short.
func testRecordPageBytes(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	var seqs []int64
	for i, size := range []int{100, 200, 300, 400, 500} {
		r, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: fmt.Sprintf("r%d", i), Create: true, Data: randBytes(size)})
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, r.Seq)
	}
	ids := func(p server.RecordPage) string {
		var b bytes.Buffer
		for _, r := range p.Records {
			fmt.Fprintf(&b, "%s(%d) ", r.ID, len(r.Data))
		}
		return fmt.Sprintf("%scursor=%d more=%v", b.String(), p.Cursor, p.More)
	}
	for _, tc := range []struct {
		name            string
		since           int64
		limit, maxBytes int
		want            string
	}{
		{"fits three", 0, 10, 600, fmt.Sprintf("r0(100) r1(200) r2(300) cursor=%d more=true", seqs[2])},
		{"one byte short of three", 0, 10, 599, fmt.Sprintf("r0(100) r1(200) cursor=%d more=true", seqs[1])},
		{"the first always", 0, 10, 50, fmt.Sprintf("r0(100) cursor=%d more=true", seqs[0])},
		{"the first always, from a cursor", seqs[3], 10, 1, fmt.Sprintf("r4(500) cursor=%d more=false", seqs[4])},
		{"limit before bytes", 0, 2, 1 << 20, fmt.Sprintf("r0(100) r1(200) cursor=%d more=true", seqs[1])},
		{"all, exactly", 0, 5, 1500, fmt.Sprintf("r0(100) r1(200) r2(300) r3(400) r4(500) cursor=%d more=false", seqs[4])},
		{"from a cursor", seqs[2], 10, 400, fmt.Sprintf("r3(400) cursor=%d more=true", seqs[3])},
		{"at the end", seqs[4], 10, 1, fmt.Sprintf("cursor=%d more=false", seqs[4])},
	} {
		page, err := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Since: tc.since, Limit: tc.limit, MaxBytes: tc.maxBytes})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := ids(page); got != tc.want {
			t.Errorf("%s: Records(since %d, limit %d, %d bytes) = %s, want %s", tc.name, tc.since, tc.limit, tc.maxBytes, got, tc.want)
		}
	}
	// Tombstones are pages' free riders.
	if _, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: "r0", IfMatch: 1, Delete: true}); err != nil {
		t.Fatal(err)
	}
	page, err := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Since: seqs[3], Limit: 10, MaxBytes: 500})
	if err != nil || ids(page) != fmt.Sprintf("r4(500) r0(0) cursor=%d more=false", seqs[4]+1) {
		t.Errorf("a tombstone after a full page: %s, %v", ids(page), err)
	}
}

// testRecordsForSession: a page asked for with a session is read only
// while that session is live under its stamp, as SessionStamp judges it;
// otherwise CodeUnauthorized, before any cursor check.
func testRecordsForSession(t *testing.T, s server.Store) {
	a, b := newAccount(t, s), newAccount(t, s)
	if _, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: "r", Create: true, Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	sess, _ := newSession(t, s, a, t0)
	ended, _ := newSession(t, s, a, t0)
	if err := s.DeleteSession(ctx(t), ended.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	other, _ := newSession(t, s, b, t0)
	read := func(ref server.SessionRef, since int64) (server.RecordPage, error) {
		return s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Since: since, Limit: 10, MaxBytes: 1 << 20, Session: &ref})
	}
	live := server.SessionRef{SessionID: sess.ID, AccountID: a.ID, Stamp: 1}
	if page, err := read(live, 0); err != nil || len(page.Records) != 1 {
		t.Fatalf("page for a live session = %+v, %v", page, err)
	}
	_, err := read(live, 99)
	wantCode(t, "a live session's cursor beyond the account's changes", err, server.CodeCursorExpired)
	for name, ref := range map[string]server.SessionRef{
		"an ended session":              {SessionID: ended.ID, AccountID: a.ID, Stamp: 1},
		"another account's session":     {SessionID: other.ID, AccountID: a.ID, Stamp: 1},
		"a stamp the session never had": {SessionID: sess.ID, AccountID: a.ID, Stamp: 2},
		"no such session":               {SessionID: "missing", AccountID: a.ID, Stamp: 1},
	} {
		for _, since := range []int64{0, 99} {
			_, err := read(ref, since)
			wantCode(t, fmt.Sprintf("page for %s, since %d", name, since), err, server.CodeUnauthorized)
		}
	}
	// A password change leaves the session at the old stamp: dead.
	next := server.Session{ID: randID(), AccountID: a.ID, Stamp: 2, CreatedAt: t0, RefreshedAt: t0}
	if err := s.ChangeCredentials(ctx(t), server.CredentialChange{AccountID: a.ID, Stamp: 1, AuthSalt: randBytes(16), AuthHash: randBytes(32),
		KDF: a.KDF, WrappedKey: randBytes(60), Session: next, Token: server.RefreshToken{Hash: randBytes(32), SessionID: next.ID, IssuedAt: t0, State: server.TokenLive}, Now: t0}); err != nil {
		t.Fatal(err)
	}
	_, err = read(live, 0)
	wantCode(t, "page for a session from before a password change", err, server.CodeUnauthorized)
	if _, err := read(server.SessionRef{SessionID: next.ID, AccountID: a.ID, Stamp: 2}, 0); err != nil {
		t.Errorf("page for the session the change started: %v", err)
	}
}

// testRecordsReadWhatTheyReturn: a page of a few large records out of many
// costs memory for those few. It measures this process's allocations
// around one Records call, so it must not run beside other tests.
func testRecordsReadWhatTheyReturn(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	const n, size, budget = 40, server.MaxRecordData, 4 * server.MaxRecordData
	for i := range n {
		if _, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: fmt.Sprintf("big-%d", i), Create: true, Data: randBytes(size)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Limit: 1, MaxBytes: budget}); err != nil { // warm the statement and the connection
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	page, err := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Limit: server.MaxPageRecords, MaxBytes: budget})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != budget/size || !page.More {
		t.Fatalf("page of %d records (more %v), want %d and more", len(page.Records), page.More, budget/size)
	}
	t.Logf("a %d KiB page out of %d KiB allocated %d KiB", budget>>10, n*size>>10, (after.TotalAlloc-before.TotalAlloc)>>10)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 3*budget {
		t.Errorf("a page of %d KiB out of %d KiB of records allocated %d KiB, want under %d KiB: the store read what it did not return",
			budget>>10, n*size>>10, alloc>>10, 3*budget>>10)
	}
}

func testRecordsIsolated(t *testing.T, s server.Store) {
	a, b := newAccount(t, s), newAccount(t, s)
	if _, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: "shared", Create: true, Data: []byte("a's")}); err != nil {
		t.Fatal(err)
	}
	// The same record ID in another account is another record.
	_, err := write(t, s, server.RecordWrite{AccountID: b.ID, ID: "shared", IfMatch: 1, Data: []byte("b's")})
	wantCode(t, "b updating a's record", err, server.CodeRevMismatch)
	_, err = write(t, s, server.RecordWrite{AccountID: b.ID, ID: "shared", IfMatch: 1, Delete: true})
	wantCode(t, "b deleting a's record", err, server.CodeRevMismatch)
	if _, err := write(t, s, server.RecordWrite{AccountID: b.ID, ID: "shared", Create: true, Data: []byte("b's")}); err != nil {
		t.Fatalf("b creating its own record with the same ID: %v", err)
	}
	for _, tc := range []struct {
		acct *server.Account
		want string
	}{{a, "a's"}, {b, "b's"}} {
		page, err := s.Records(ctx(t), server.PageRequest{AccountID: tc.acct.ID, Limit: 10, MaxBytes: 1 << 30})
		if err != nil || len(page.Records) != 1 || string(page.Records[0].Data) != tc.want {
			t.Errorf("records of %s = %+v, %v; want only %q", tc.acct.ID, page.Records, err, tc.want)
		}
	}
}

// usage reads an account's usage back.
func usage(t *testing.T, s server.Store, id string) server.Usage {
	t.Helper()
	a, err := s.AccountByID(ctx(t), id)
	if err != nil || a == nil {
		t.Fatalf("AccountByID = %v, %v", a, err)
	}
	return a.Usage
}

// testQuota: writes keep the account's usage (records kept, tombstones
// included; bytes of data) exact, a write that would grow it past its
// quota is refused and changes nothing, one that does not grow it always
// passes, a zero quota bounds nothing, and a purge takes purged tombstones
// off the count.
func testQuota(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	q := server.Quota{Records: 2, Bytes: 100}
	steps := []struct {
		name string
		w    server.RecordWrite
		code string
		want server.Usage
	}{
		{"create", server.RecordWrite{ID: "a", Create: true, Data: randBytes(60)}, "", server.Usage{Records: 1, Bytes: 60}},
		{"create over the bytes", server.RecordWrite{ID: "b", Create: true, Data: randBytes(41)}, server.CodeQuotaExceeded, server.Usage{Records: 1, Bytes: 60}},
		{"create to the bytes", server.RecordWrite{ID: "b", Create: true, Data: randBytes(40)}, "", server.Usage{Records: 2, Bytes: 100}},
		{"a third record", server.RecordWrite{ID: "c", Create: true, Data: randBytes(1)}, server.CodeQuotaExceeded, server.Usage{Records: 2, Bytes: 100}},
		{"an update that grows", server.RecordWrite{ID: "a", IfMatch: 1, Data: randBytes(61)}, server.CodeQuotaExceeded, server.Usage{Records: 2, Bytes: 100}},
		{"an update that shrinks", server.RecordWrite{ID: "a", IfMatch: 1, Data: randBytes(10)}, "", server.Usage{Records: 2, Bytes: 50}},
		{"a stale update is a mismatch first", server.RecordWrite{ID: "a", IfMatch: 1, Data: randBytes(99)}, server.CodeRevMismatch, server.Usage{Records: 2, Bytes: 50}},
		{"a delete", server.RecordWrite{ID: "b", IfMatch: 1, Delete: true}, "", server.Usage{Records: 2, Bytes: 10}},
		{"the tombstone still counts", server.RecordWrite{ID: "c", Create: true, Data: randBytes(1)}, server.CodeQuotaExceeded, server.Usage{Records: 2, Bytes: 10}},
		{"a create over the tombstone", server.RecordWrite{ID: "b", Create: true, Data: randBytes(90)}, "", server.Usage{Records: 2, Bytes: 100}},
	}
	for _, st := range steps {
		st.w.AccountID, st.w.Quota = a.ID, q
		_, err := write(t, s, st.w)
		wantCode(t, st.name, err, st.code)
		if got := usage(t, s, a.ID); got != st.want {
			t.Fatalf("%s: usage %+v, want %+v", st.name, got, st.want)
		}
	}
	// Over a quota that was lowered, shrinking and deleting still work.
	low := server.Quota{Records: 1, Bytes: 5}
	if _, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: "b", IfMatch: 3, Data: randBytes(80), Quota: low}); err != nil {
		t.Errorf("shrinking while over a lowered quota: %v", err)
	}
	// No quota, no bound.
	if _, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: "big", Create: true, Data: randBytes(server.MaxRecordData)}); err != nil {
		t.Errorf("a write with no quota: %v", err)
	}
	if got, want := usage(t, s, a.ID), (server.Usage{Records: 3, Bytes: 10 + 80 + server.MaxRecordData}); got != want {
		t.Errorf("usage %+v, want %+v", got, want)
	}
	// A purge takes the tombstones it drops off the count.
	if _, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: "big", IfMatch: 1, Delete: true, Now: t0}); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(time.Hour)
	if err := s.Purge(ctx(t), server.Purge{Now: later, TombstonesUntil: later, TokensUntil: t0}); err != nil {
		t.Fatal(err)
	}
	if got, want := usage(t, s, a.ID), (server.Usage{Records: 2, Bytes: 90}); got != want {
		t.Errorf("after the purge: usage %+v, want %+v", got, want)
	}
}

// testQuotaConcurrent races creates for the last places in a quota: exactly
// as many win as there are places.
func testQuotaConcurrent(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	const places, writers = 3, 8
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			_, errs[i] = s.WriteRecord(ctx(t), server.RecordWrite{AccountID: a.ID, ID: fmt.Sprintf("w%d", i), Create: true,
				Data: []byte("x"), Now: t0, Quota: server.Quota{Records: places}})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch server.ErrorCode(err) {
		case "":
			wins++
		case server.CodeQuotaExceeded:
		default:
			t.Errorf("racing create: %v", err)
		}
	}
	if wins != places || usage(t, s, a.ID).Records != places {
		t.Errorf("%d of %d racing creates won (usage %+v), want %d", wins, writers, usage(t, s, a.ID), places)
	}
}

// testRecordCASConcurrent races writers on one revision: exactly one wins.
func testRecordCASConcurrent(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	for _, tc := range []struct {
		name string
		w    server.RecordWrite
	}{
		{"create", server.RecordWrite{ID: "new", Create: true}},
		{"update", server.RecordWrite{ID: "existing", IfMatch: 1}},
		{"delete", server.RecordWrite{ID: "existing2", IfMatch: 1, Delete: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.w.Create {
				if _, err := write(t, s, server.RecordWrite{AccountID: a.ID, ID: tc.w.ID, Create: true, Data: []byte("v1")}); err != nil {
					t.Fatal(err)
				}
			}
			const n = 8
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					w := tc.w
					w.AccountID, w.Now = a.ID, t0
					if !w.Delete {
						w.Data = fmt.Appendf(nil, "writer %d", i)
					}
					_, errs[i] = s.WriteRecord(ctx(t), w)
				})
			}
			wg.Wait()
			wins := 0
			for _, err := range errs {
				switch server.ErrorCode(err) {
				case "":
					wins++
				case server.CodeRevMismatch:
				default:
					t.Errorf("concurrent write: %v", err)
				}
			}
			if wins != 1 {
				t.Errorf("%d of %d writers on one revision won, want 1", wins, n)
			}
		})
	}
}

// testSyncNeverSkips runs writers beside a client that syncs with its cursor
// all along; once the writers stop and it syncs once more, it must hold
// exactly what a full sync shows. A store that hands out sequence numbers
// that commit out of order fails this.
func testSyncNeverSkips(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	const writers, each = 4, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i%5)
				var err error
				for attempt := 0; attempt < 100; attempt++ {
					page, rerr := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Limit: server.MaxPageRecords, MaxBytes: 1 << 30})
					if rerr != nil {
						err = rerr
						break
					}
					wr := server.RecordWrite{AccountID: a.ID, ID: id, Create: true, Data: fmt.Appendf(nil, "%d", i), Now: t0}
					for _, r := range page.Records {
						if r.ID == id {
							wr = server.RecordWrite{AccountID: a.ID, ID: id, IfMatch: r.Rev, Data: wr.Data, Now: t0}
						}
					}
					if _, err = s.WriteRecord(ctx(t), wr); server.ErrorCode(err) != server.CodeRevMismatch {
						break
					}
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	seen := map[string]server.Record{}
	var cursor int64
	sync := func() error {
		for {
			page, err := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Since: cursor, Limit: 7, MaxBytes: 1 << 30})
			if err != nil {
				return err
			}
			for _, r := range page.Records {
				seen[r.ID] = r
			}
			cursor = page.Cursor
			if !page.More {
				return nil
			}
		}
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		if err := sync(); err != nil {
			t.Fatal(err)
		}
	}
	if err := sync(); err != nil {
		t.Fatal(err)
	}
	full, err := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Limit: server.MaxPageRecords, MaxBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Records) != len(seen) {
		t.Errorf("incremental sync saw %d records, a full sync %d", len(seen), len(full.Records))
	}
	for _, r := range full.Records {
		if got := seen[r.ID]; got.Rev != r.Rev || !bytes.Equal(got.Data, r.Data) {
			t.Errorf("record %s: incremental sync has rev %d, the store rev %d", r.ID, got.Rev, r.Rev)
		}
	}
}

func testPurge(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	old, recent := t0, t0.Add(48*time.Hour)
	mustWrite := func(w server.RecordWrite) server.Record {
		t.Helper()
		w.AccountID = a.ID
		r, err := s.WriteRecord(ctx(t), w)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	mustWrite(server.RecordWrite{ID: "keep", Create: true, Data: []byte("k"), Now: old})
	mustWrite(server.RecordWrite{ID: "gone", Create: true, Data: []byte("g"), Now: old})
	early := mustWrite(server.RecordWrite{ID: "early", Create: true, Data: []byte("e"), Now: old})
	tomb := mustWrite(server.RecordWrite{ID: "gone", IfMatch: 1, Delete: true, Now: old})
	mustWrite(server.RecordWrite{ID: "late", Create: true, Data: []byte("l"), Now: recent})
	lateTomb := mustWrite(server.RecordWrite{ID: "late", IfMatch: 1, Delete: true, Now: recent})

	oldSess, _ := newSession(t, s, a, old)
	newSess, _ := newSession(t, s, a, recent)
	hit(t, s, "acct:purge", old, time.Hour)

	cutoff := t0.Add(24 * time.Hour)
	if err := s.Purge(ctx(t), server.Purge{Now: recent, TombstonesUntil: cutoff, TokensUntil: cutoff}); err != nil {
		t.Fatalf("Purge: %v", err)
	}
	full, err := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Limit: 100, MaxBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range full.Records {
		ids = append(ids, r.ID)
	}
	if fmt.Sprint(ids) != "[keep early late]" {
		t.Errorf("after purge a full sync has %v, want [keep early late] (the old tombstone gone, the recent one kept)", ids)
	}
	// A cursor from before the purged tombstone may have missed it.
	_, err = s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Since: early.Seq, Limit: 100, MaxBytes: 1 << 30})
	wantCode(t, "cursor older than a purged tombstone", err, server.CodeCursorExpired)
	if page, err := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Since: tomb.Seq, Limit: 100, MaxBytes: 1 << 30}); err != nil || len(page.Records) != 1 || page.Records[0].Seq != lateTomb.Seq {
		t.Errorf("cursor at the purged tombstone = %+v, %v; want only the later tombstone", page, err)
	}
	_, err = s.SessionStamp(ctx(t), oldSess.ID, a.ID)
	wantCode(t, "session idle past its TTL", err, server.CodeUnauthorized)
	if _, err := s.SessionStamp(ctx(t), newSess.ID, a.ID); err != nil {
		t.Errorf("recent session purged: %v", err)
	}
	if st := hit(t, s, "acct:purge", recent, time.Hour); st.Hits != 1 {
		t.Errorf("throttle window survived its end: %d hits", st.Hits)
	}
}

// testPreloginKey: the first candidate is kept, by every caller after it,
// and callers racing on an empty store all get the one that won.
func testPreloginKey(t *testing.T, s server.Store) {
	const n = 8
	keys := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { keys[i], errs[i] = s.PreloginKey(ctx(t), randBytes(32)) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("PreloginKey: %v", errs[i])
		}
		if len(keys[i]) != 32 || !bytes.Equal(keys[i], keys[0]) {
			t.Fatalf("racing PreloginKey calls got different keys: %x and %x", keys[0], keys[i])
		}
	}
	again, err := s.PreloginKey(ctx(t), randBytes(32))
	if err != nil || !bytes.Equal(again, keys[0]) {
		t.Errorf("PreloginKey with a new candidate = %x, %v; want the stored %x", again, err, keys[0])
	}
}

// testClosed: once closed, every method fails with CodeUnavailable (a 503
// the client may retry), not an internal error.
func testClosed(t *testing.T, s server.Store) {
	a := newAccount(t, s)
	sess, tok := newSession(t, s, a, t0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	calls := map[string]func() error{
		"Ping": func() error { return s.Ping(ctx(t)) },
		"CreateAccount": func() error {
			b := *a
			b.ID, b.Email = randID(), randID()+"@example.test"
			return s.CreateAccount(ctx(t), &b)
		},
		"AccountByEmail": func() error {
			_, err := s.AccountByEmail(ctx(t), a.Email)
			return err
		},
		"AccountByID":   func() error { _, err := s.AccountByID(ctx(t), a.ID); return err },
		"DeleteAccount": func() error { return s.DeleteAccount(ctx(t), a.ID) },
		"ChangeCredentials": func() error {
			return s.ChangeCredentials(ctx(t), server.CredentialChange{AccountID: a.ID, Stamp: 1, Now: t0})
		},
		"CreateSession": func() error {
			return s.CreateSession(ctx(t), server.Session{ID: randID(), AccountID: a.ID, Stamp: 1}, server.RefreshToken{Hash: randBytes(32), State: server.TokenLive})
		},
		"SessionStamp":  func() error { _, err := s.SessionStamp(ctx(t), sess.ID, a.ID); return err },
		"DeleteSession": func() error { return s.DeleteSession(ctx(t), sess.ID, a.ID) },
		"Refresh": func() error {
			_, err := s.Refresh(ctx(t), server.RefreshExchange{Presented: tok, Next: anyNext, Now: t0, Grace: grace, TTL: ttl})
			return err
		},
		"ThrottleStates": func() error { _, err := s.ThrottleStates(ctx(t), []string{"acct:x"}, t0); return err },
		"HitThrottle": func() error {
			_, err := s.HitThrottle(ctx(t), t0, server.ThrottleHit{Key: "acct:x", Window: time.Hour})
			return err
		},
		"ClearThrottle": func() error { return s.ClearThrottle(ctx(t), "acct:x") },
		"Records": func() error {
			_, err := s.Records(ctx(t), server.PageRequest{AccountID: a.ID, Limit: 10, MaxBytes: 1 << 30})
			return err
		},
		"WriteRecord": func() error {
			_, err := s.WriteRecord(ctx(t), server.RecordWrite{AccountID: a.ID, ID: "r", Create: true, Data: []byte("x"), Now: t0})
			return err
		},
		"Purge":       func() error { return s.Purge(ctx(t), server.Purge{Now: t0, TombstonesUntil: t0, TokensUntil: t0}) },
		"PreloginKey": func() error { _, err := s.PreloginKey(ctx(t), randBytes(32)); return err },
	}
	for name, call := range calls {
		wantCode(t, name+" on a closed store", call(), server.CodeUnavailable)
	}
}
