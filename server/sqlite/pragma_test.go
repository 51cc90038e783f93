package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"maps"
	"path/filepath"
	"strings"
	"testing"
)

// TestPragmas reads the settings back on several connections of each pool at
// once (so not one reused connection): what durability and erasure rest on
// must hold on every connection. The values are spelt out here, not taken
// from the pragmas table, so a change to the table fails this test.
func TestPragmas(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "heyan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := map[string]string{
		"journal_mode":  "wal",  // readers beside the writer
		"synchronous":   "2",    // FULL: every commit fsynced; power-loss safety rests on it
		"foreign_keys":  "1",    // the account erasure cascades
		"busy_timeout":  "5000", // wait for another process's lock
		"secure_delete": "1",    // deleted rows are zeroed in the file
	}
	for name, pool := range map[string]*sql.DB{"write": db.write.DB, "read": db.read.DB} {
		n := 1
		want := maps.Clone(want) // the map's order is random: each pool gets its own
		if name == "read" {
			n = 3
			want["query_only"] = "1"
		}
		var conns []*sql.Conn
		for range n {
			c, err := pool.Conn(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			conns = append(conns, c)
		}
		for i, c := range conns {
			for p, w := range want {
				var got string
				if err := c.QueryRowContext(t.Context(), "PRAGMA "+p).Scan(&got); err != nil {
					t.Fatalf("%s connection %d: PRAGMA %s: %v", name, i, p, err)
				}
				if !strings.EqualFold(got, w) {
					t.Errorf("%s connection %d: %s = %q, want %q", name, i, p, got, w)
				}
			}
		}
	}
}

// TestPragmaCheckRefuses gives Open a DSN whose pragma does not take (set
// to another value, or misspelt so SQLite ignores it): Open must refuse to
// run rather than serve without it.
func TestPragmaCheckRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, set string
		rename    string
	}{
		{name: "synchronous", set: "NORMAL"},
		{name: "journal_mode", set: "DELETE"},
		{name: "foreign_keys", set: "0"},
		{name: "secure_delete", set: "0"},
		{name: "busy_timeout", set: "10"},
		{name: "synchronous", rename: "synchronus"},
	} {
		var mismatched []pragma
		for _, p := range pragmas {
			if p.name == tc.name {
				if tc.set != "" {
					p.set = tc.set
				}
				if tc.rename != "" {
					p.name = tc.rename
				}
			}
			mismatched = append(mismatched, p)
		}
		db, err := open(context.Background(), filepath.Join(t.TempDir(), "heyan.db"), mismatched)
		if err == nil {
			db.Close()
			t.Errorf("%s set to %q (name %q): Open succeeded", tc.name, tc.set, tc.rename)
			continue
		}
		if want := "pragma " + cmp.Or(tc.rename, tc.name); !strings.Contains(err.Error(), want) {
			t.Errorf("%s set to %q (name %q): error %q does not name %q", tc.name, tc.set, tc.rename, err, want)
		}
	}
}
