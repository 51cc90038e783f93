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
