package sqlite_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
	"github.com/heyan-dev/heyan/server/sqlite"
	"github.com/heyan-dev/heyan/server/storetest"
)

func open(t *testing.T) *sqlite.DB {
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "heyan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) server.Store { return open(t) })
}

// TestWriteAfterCancel: a write whose caller gave up before its turn is not
// applied, and the group committer goes on serving others.
func TestWriteAfterCancel(t *testing.T) {
	s := open(t)
	a := &server.Account{ID: "a1", Email: "a@example.test", AuthSalt: []byte{1}, AuthHash: []byte{2},
		KDF: server.KDF{Alg: "argon2id", MemoryKiB: 19456, Iterations: 2, Parallelism: 1, Salt: []byte{3}}, WrappedKey: []byte{4}, Stamp: 1, CreatedAt: time.Now()}
	if err := s.CreateAccount(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.WriteRecord(ctx, server.RecordWrite{AccountID: "a1", ID: "r", Create: true, Data: []byte("x"), Now: time.Now()}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled write = %v, want context.Canceled", err)
	}
	r, err := s.WriteRecord(t.Context(), server.RecordWrite{AccountID: "a1", ID: "r", Create: true, Data: []byte("y"), Now: time.Now()})
	if err != nil || r.Rev != 1 {
		t.Fatalf("next write = %+v, %v; want rev 1 (the cancelled one never applied)", r, err)
	}
}

// TestClosedStore: writes after Close fail instead of hanging.
func TestClosedStore(t *testing.T) {
	s := open(t)
	s.Close()
	done := make(chan error, 1)
	go func() {
		_, err := s.WriteRecord(t.Context(), server.RecordWrite{AccountID: "a", ID: "r", Create: true, Data: []byte("x"), Now: time.Now()})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("write to a closed store succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("write to a closed store hangs")
	}
}

// TestMigrationClearsThrottle: migration 2 drops the throttle rows written
// under the old scheme, whose address keys held the address in the clear.
func TestMigrationClearsThrottle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heyan.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// Back to the schema before migration 2, with a row of the old kind.
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version = 2;
		INSERT INTO login_throttle (key, window_end, hits) VALUES ('addr:192.0.2.1', 9999999999999, 3)`); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM login_throttle`).Scan(&n); err != nil || n != 0 {
		t.Errorf("after migration 2 the throttle table has %d rows (%v), want 0", n, err)
	}
}

// TestMigrationCountsUsage: migration 4 starts each account's usage from
// the records it already has, tombstones counted as records.
func TestMigrationCountsUsage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heyan.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	a := &server.Account{ID: "a1", Email: "a@example.test", AuthSalt: []byte{1}, AuthHash: []byte{2},
		KDF: server.AccountKDF([]byte{3}), WrappedKey: []byte{4}, Stamp: 1, CreatedAt: now}
	if err := s.CreateAccount(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	for _, w := range []server.RecordWrite{
		{ID: "x", Create: true, Data: make([]byte, 100)}, {ID: "y", Create: true, Data: make([]byte, 30)}, {ID: "y", IfMatch: 1, Delete: true},
	} {
		w.AccountID, w.Now = a.ID, now
		if _, err := s.WriteRecord(t.Context(), w); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// Back to the schema before migration 4.
	if _, err := raw.Exec(`ALTER TABLE accounts DROP COLUMN record_count; ALTER TABLE accounts DROP COLUMN data_bytes;
		DELETE FROM schema_migrations WHERE version = 4`); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.AccountByID(t.Context(), a.ID)
	if err != nil || got.Usage != (server.Usage{Records: 2, Bytes: 100}) {
		t.Errorf("usage after migration 4 = %+v (%v), want 2 records (one a tombstone) and 100 bytes", got, err)
	}
}

// TestNewerSchemaRefused: a file migrated by a newer release is refused at
// Open with a message that says so, instead of being served by code that
// does not know its tables.
func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heyan.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(t.Context(), path)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a database at schema version 99")
	}
	for _, want := range []string{"99", "newer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open of a newer schema: %q does not mention %q", err, want)
		}
	}
}

// TestOneServerPerFile: while a store has the file open, a second Open of
// it (another server started by mistake) is refused with a message naming
// the process that holds it; once the first closes, the file opens again.
func TestOneServerPerFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heyan.db")
	first, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	second, err := sqlite.Open(t.Context(), path)
	if err == nil {
		second.Close()
		first.Close()
		t.Fatal("a second Open of a file in use succeeded")
	}
	for _, want := range []string{"in use", "pid " + strconv.Itoa(os.Getpid())} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("second Open: %q does not mention %q", err, want)
		}
	}
	first.Close()
	again, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open after the first store closed: %v", err)
	}
	again.Close()
}

// TestLockedIsUnavailable: when another process holds the write lock past
// busy_timeout, a write fails as CodeUnavailable (503, retry), not as an
// internal error. It waits out the 5 s busy_timeout.
func TestLockedIsUnavailable(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "heyan.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(t.Context(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	err = s.ClearThrottle(t.Context(), "acct:x")
	if got := server.ErrorCode(err); got != server.CodeUnavailable {
		t.Errorf("write while another process holds the lock: %v (code %q), want %q", err, got, server.CodeUnavailable)
	}
}

// fileHolds reports which of the needles appear in the database file or its
// WAL, read while the store is open (closing would checkpoint and hide what
// a running server leaves behind).
func fileHolds(t *testing.T, path string, needles map[string][]byte) []string {
	t.Helper()
	var found []string
	for _, file := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for name, n := range needles {
			if bytes.Contains(b, n) {
				found = append(found, name+" in "+filepath.Base(file))
			}
		}
	}
	sort.Strings(found)
	return found
}

// TestErasure: after an account is deleted, nothing of it is left in the
// database file or the WAL, not its email, keys or records (a small one
// and one on overflow pages); after a password change, nothing of the old
// credentials is.
func TestErasure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heyan.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rnd := func(n int) []byte {
		b := make([]byte, n)
		rand.Read(b)
		return b
	}
	now := time.Now()
	newAccount := func(email string) *server.Account {
		a := &server.Account{ID: hex.EncodeToString(rnd(8)), Email: email, AuthSalt: rnd(16), AuthHash: rnd(32),
			KDF: server.AccountKDF(rnd(16)), WrappedKey: rnd(72), Stamp: 1, CreatedAt: now}
		if err := s.CreateAccount(t.Context(), a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	gone := newAccount("erase-me-" + hex.EncodeToString(rnd(4)) + "@example.test")
	kept := newAccount("keep-me-" + hex.EncodeToString(rnd(4)) + "@example.test")
	small, large := rnd(200), rnd(server.MaxRecordData)
	for _, w := range []server.RecordWrite{
		{AccountID: gone.ID, ID: "small", Create: true, Data: small, Now: now},
		{AccountID: gone.ID, ID: "large", Create: true, Data: large, Now: now},
		{AccountID: kept.ID, ID: "kept", Create: true, Data: rnd(200), Now: now},
	} {
		if _, err := s.WriteRecord(t.Context(), w); err != nil {
			t.Fatal(err)
		}
	}
	sess := server.Session{ID: hex.EncodeToString(rnd(8)), AccountID: gone.ID, Stamp: 1, CreatedAt: now, RefreshedAt: now}
	if err := s.CreateSession(t.Context(), sess, server.RefreshToken{Hash: rnd(32), SessionID: sess.ID, IssuedAt: now, State: server.TokenLive}); err != nil {
		t.Fatal(err)
	}
	needles := map[string][]byte{
		"email": []byte(gone.Email), "wrapped key": gone.WrappedKey, "authKey hash": gone.AuthHash, "KDF salt": gone.KDF.Salt,
		"small record": small[50:82], "large record (start)": large[:32], "large record (end)": large[len(large)-32:],
	}
	if found := fileHolds(t, path, needles); len(found) < len(needles) {
		t.Fatalf("before deletion only %v are in the files: the search cannot see them", found)
	}
	if err := s.DeleteAccount(t.Context(), gone.ID); err != nil {
		t.Fatal(err)
	}
	if found := fileHolds(t, path, needles); len(found) > 0 {
		t.Errorf("after deleting the account the files still hold: %v", found)
	}
	if found := fileHolds(t, path, map[string][]byte{"the other account's email": []byte(kept.Email)}); len(found) == 0 {
		t.Error("the other account is gone from the files too")
	}

	// A password change: the old wrapped key (which opens the vault with the
	// old password) and the old authKey hash go the same way.
	old := map[string][]byte{"old wrapped key": kept.WrappedKey, "old authKey hash": kept.AuthHash, "old KDF salt": kept.KDF.Salt}
	next := server.Session{ID: hex.EncodeToString(rnd(8)), AccountID: kept.ID, Stamp: 2, CreatedAt: now, RefreshedAt: now}
	err = s.ChangeCredentials(t.Context(), server.CredentialChange{AccountID: kept.ID, Stamp: 1, AuthSalt: rnd(16), AuthHash: rnd(32),
		KDF: server.AccountKDF(rnd(16)), WrappedKey: rnd(72), Session: next,
		Token: server.RefreshToken{Hash: rnd(32), SessionID: next.ID, IssuedAt: now, State: server.TokenLive}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if found := fileHolds(t, path, old); len(found) > 0 {
		t.Errorf("after the password change the files still hold: %v", found)
	}
}

// TestErasureOwed: when a reader holds the WAL past busy_timeout, the erase
// after a deletion cannot finish; the next Purge finishes it. It waits out
// the 5 s busy_timeout.
func TestErasureOwed(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "heyan.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	email := "owed-erase@example.test"
	now := time.Now()
	a := &server.Account{ID: "owed", Email: email, AuthSalt: []byte{1}, AuthHash: []byte{2}, KDF: server.AccountKDF([]byte{3}), WrappedKey: []byte{4}, Stamp: 1, CreatedAt: now}
	if err := s.CreateAccount(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	// Another process reading: its transaction keeps the WAL in use.
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	reader, err := other.BeginTx(t.Context(), &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRow(`SELECT count(*) FROM accounts`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAccount(t.Context(), a.ID); err != nil {
		t.Fatalf("DeleteAccount while a reader holds the WAL: %v", err)
	}
	if found := fileHolds(t, path, map[string][]byte{"email": []byte(email)}); len(found) == 0 {
		t.Fatal("the erase finished despite the reader holding the WAL; the test no longer tests the owed erase")
	}
	reader.Rollback()
	if err := s.Purge(t.Context(), server.Purge{Now: now, TombstonesUntil: now.Add(-time.Hour), TokensUntil: now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if found := fileHolds(t, path, map[string][]byte{"email": []byte(email)}); len(found) > 0 {
		t.Errorf("after the reader left and a purge ran, the files still hold: %v", found)
	}
}
