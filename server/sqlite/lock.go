package sqlite

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// fileLock is an exclusive lock on PATH.lock, held for as long as a store
// has the database open. SQLite itself lets a second process use the file,
// and two servers would both serve: each with its own single writer and
// group committer fighting the other for the write lock (writes wait out
// busy_timeout, then fail as 503), and each one's readers keeping the
// other's erase after a deletion from emptying the WAL. One server per file
// is the rule; the lock enforces it.
//
// The lock file holds who took it (pid, host, time), so the refusal can say
// what holds it. It stays on disk after the store closes: removing it would
// let a process that opened the old file and one that created a new one
// both hold "the" lock. The operating system drops the lock when its holder
// dies, so a crash leaves nothing stale.
type fileLock struct{ f *os.File }

// errLocked is what tryLock returns when another open file holds the lock.
var errLocked = errors.New("locked")

// lockFile takes the lock of the database at path, or says who holds it.
func lockFile(path string) (*fileLock, error) {
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: lock: %w", err)
	}
	if err := tryLock(f); err != nil {
		holder, _ := os.ReadFile(name)
		f.Close()
		if errors.Is(err, errLocked) {
			who := strings.TrimSpace(string(holder))
			if who == "" {
				who = "another process"
			}
			return nil, fmt.Errorf("sqlite: %s is in use by %s (lock %s): stop it first; two servers must not share one SQLite file", path, who, name)
		}
		return nil, fmt.Errorf("sqlite: lock %s: %w", name, err)
	}
	host, _ := os.Hostname()
	holder := fmt.Sprintf("pid %d on %s since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(holder), 0) // only for the message above; the lock is what counts
	}
	return &fileLock{f: f}, nil
}

// release drops the lock.
func (l *fileLock) release() error {
	if l == nil {
		return nil
	}
	return l.f.Close() // closing the file drops its lock
}
