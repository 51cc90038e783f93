//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package sqlite

import "os"

// tryLock takes no lock where flock is missing: there, keeping to one
// server per file is up to the operator (docs/SERVER.md).
func tryLock(*os.File) error { return nil }
