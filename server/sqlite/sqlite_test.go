package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
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
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version >= 2;
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
