package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
	"github.com/heyan-dev/heyan/server/postgres"
	"github.com/heyan-dev/heyan/server/storetest"
	"github.com/jackc/pgx/v5"
)

const defaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// testURL returns the URL of the test database, skipping the test when it
// is unreachable, unless CI is set: there a missing database is a failure,
// not a reason to pass.
func testURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("HEYAN_TEST_POSTGRES_URL")
	if u == "" {
		u = defaultURL
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL unreachable at HEYAN_TEST_POSTGRES_URL (or the default) and CI is set: %v", err)
		}
		t.Skipf("PostgreSQL unreachable, skipping (set CI to make this fail): %v", err)
	}
	conn.Close(ctx)
	return u
}

// openSchema opens a store in a fresh schema of its own, dropped when the
// test ends, so parallel tests and repeated runs never share tables.
func openSchema(t *testing.T, base string) (*postgres.DB, string) {
	t.Helper()
	schema := "heyan_test_" + hex.EncodeToString(randBytes(6))
	ctx := t.Context()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	db, err := postgres.Open(ctx, schemaURL(t, base, schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, schema
}

// schemaURL is base with search_path set to schema.
func schemaURL(t *testing.T, base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func TestStore(t *testing.T) {
	base := testURL(t)
	storetest.Run(t, func(t *testing.T) server.Store {
		db, _ := openSchema(t, base)
		return db
	})
}

// TestMigrateTwice opens a second store on a migrated schema, as a second
// replica would: nothing is applied twice.
func TestMigrateTwice(t *testing.T) {
	base := testURL(t)
	_, schema := openSchema(t, base)
	u := schemaURL(t, base, schema)
	again, err := postgres.Open(t.Context(), u)
	if err != nil {
		t.Fatalf("second Open on a migrated schema: %v", err)
	}
	defer again.Close()
	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != 4 {
		t.Errorf("schema_migrations has %d rows (%v), want 4", n, err)
	}
}

// TestMigrateConcurrently starts several stores on one empty schema at once,
// as replicas starting together do: the advisory lock lets one migrate.
func TestMigrateConcurrently(t *testing.T) {
	base := testURL(t)
	schema := "heyan_test_" + hex.EncodeToString(randBytes(6))
	admin, err := pgx.Connect(t.Context(), base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	u := schemaURL(t, base, schema)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			db, err := postgres.Open(t.Context(), u)
			if err == nil {
				db.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent Open: %v", err)
		}
	}
}

func TestOpenHidesPassword(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://user:s3cret@[::1")
	if err == nil {
		t.Fatal("Open of a malformed URL succeeded")
	}
	if got := err.Error(); strings.Contains(got, "s3cret") {
		t.Errorf("error %q shows the password", got)
	}
}

// TestMigrationClearsThrottle: migration 2 drops the throttle rows written
// under the old scheme, whose address keys held the address in the clear.
func TestMigrationClearsThrottle(t *testing.T) {
	base := testURL(t)
	_, schema := openSchema(t, base)
	u := schemaURL(t, base, schema)
	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// Back to the schema before migration 2, with a row of the old kind.
	if _, err := conn.Exec(t.Context(), `DELETE FROM schema_migrations WHERE version = 2;
		INSERT INTO login_throttle (key, window_end, hits) VALUES ('addr:192.0.2.1', 9999999999999, 3)`); err != nil {
		t.Fatal(err)
	}
	again, err := postgres.Open(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	var n int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM login_throttle`).Scan(&n); err != nil || n != 0 {
		t.Errorf("after migration 2 the throttle table has %d rows (%v), want 0", n, err)
	}
}

// TestMigrationCountsUsage: migration 4 starts each account's usage from
// the records it already has, tombstones counted as records.
func TestMigrationCountsUsage(t *testing.T) {
	base := testURL(t)
	db, schema := openSchema(t, base)
	now := time.Now()
	a := &server.Account{ID: "a1", Email: "a@example.test", AuthSalt: []byte{1}, AuthHash: []byte{2},
		KDF: server.AccountKDF([]byte{3}), WrappedKey: []byte{4}, Stamp: 1, CreatedAt: now}
	if err := db.CreateAccount(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	for _, w := range []server.RecordWrite{
		{ID: "x", Create: true, Data: make([]byte, 100)}, {ID: "y", Create: true, Data: make([]byte, 30)}, {ID: "y", IfMatch: 1, Delete: true},
	} {
		w.AccountID, w.Now = a.ID, now
		if _, err := db.WriteRecord(t.Context(), w); err != nil {
			t.Fatal(err)
		}
	}
	u := schemaURL(t, base, schema)
	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// Back to the schema before migration 4.
	if _, err := conn.Exec(t.Context(), `ALTER TABLE accounts DROP COLUMN record_count, DROP COLUMN data_bytes;
		DELETE FROM schema_migrations WHERE version = 4`); err != nil {
		t.Fatal(err)
	}
	again, err := postgres.Open(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	got, err := again.AccountByID(t.Context(), a.ID)
	if err != nil || got.Usage != (server.Usage{Records: 2, Bytes: 100}) {
		t.Errorf("usage after migration 4 = %+v (%v), want 2 records (one a tombstone) and 100 bytes", got, err)
	}
}

// TestNewerSchemaRefused: a schema migrated by a newer release is refused at
// Open with a message that says so.
func TestNewerSchemaRefused(t *testing.T) {
	base := testURL(t)
	_, schema := openSchema(t, base)
	u := schemaURL(t, base, schema)
	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), `INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(t.Context(), u)
	if err == nil {
		db.Close()
		t.Fatal("Open accepted a schema at version 99")
	}
	for _, want := range []string{"99", "newer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open of a newer schema: %q does not mention %q", err, want)
		}
	}
}
