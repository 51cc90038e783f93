package server

import (
	"fmt"
	"path"
	"strconv"
	"strings"
)

// MigrationVersion reads the number an embedded migration file's name starts
// with (0001_init.sql → 1). Both store adapters number their migrations this
// way; embedded paths always use forward slashes.
func MigrationVersion(name string) (int, error) {
	base := path.Base(name)
	num, _, ok := strings.Cut(base, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v < 1 {
		return 0, fmt.Errorf("migration %s is not named NNNN_name.sql", base)
	}
	return v, nil
}

// CheckSchema refuses a database whose newest applied migration (applied) is
// beyond the newest this binary embeds (known): a newer release migrated it,
// and this one does not know its tables or what they now mean. Serving it
// could lose or misread what the newer release wrote.
func CheckSchema(applied, known int) error {
	if applied > known {
		return fmt.Errorf("the database schema is at version %d, newer than this release of heyan knows (%d): "+
			"a newer release migrated it; run that release or a later one, or restore a backup taken before the upgrade", applied, known)
	}
	return nil
}
