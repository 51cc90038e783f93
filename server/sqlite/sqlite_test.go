package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/heyan-dev/heyan/server"
	"github.com/heyan-dev/heyan/server/sqlite"
	"github.com/heyan-dev/heyan/server/storetest"
)

func open(t *testing.T) server.Store {
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "heyan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) { storetest.Run(t, open) }
