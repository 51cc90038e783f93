package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// privateFile checks a file that holds a secret (a key, the server secret,
// the SQLite database with its emails and wrapped keys, a database URL with
// its password). One that other users can read or change, through folders
// they can enter, is refused, as ssh refuses such a private key: on a shared
// host anyone could then forge tokens or copy the accounts. One whose mode
// is open to others behind a closed folder, or open to its group, is
// allowed with a warning (0640 root:heyan is a common and sound setup). A
// missing file passes: whoever reads it next reports that.
func privateFile(path, what string, log *slog.Logger) error {
	if path == "" || runtime.GOOS == "windows" {
		return nil
	}
	real, err := filepath.EvalSymlinks(path) // a mounted secret is often a symlink
	if err != nil {
		return nil
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil
	}
	mode := fi.Mode().Perm()
	if others := mode & 0o006; others != 0 {
		access := map[os.FileMode]string{0o004: "read", 0o002: "changed", 0o006: "read and changed"}[others]
		if reachable(real) {
			return fmt.Errorf("%s %s can be %s by other users (mode %04o): run chmod 600 %s (or, for a mounted secret, give it mode 0400); "+
				"heyan serve refuses a secret other users can reach, as ssh does", what, path, access, mode, path)
		}
		log.Warn("a secret's mode lets other users "+strings.Fields(access)[0]+" it; only a closed folder above it keeps them out: run chmod 600",
			"what", what, "file", path, "mode", fmt.Sprintf("%04o", mode))
	}
	if mode&0o060 != 0 {
		log.Warn("a secret is open to its group: make sure the group is the server's alone, or run chmod 600",
			"what", what, "file", path, "mode", fmt.Sprintf("%04o", mode))
	}
	return nil
}

// reachable reports whether users other than the owner and group can enter
// every folder above path, so that the file's own mode is all that keeps
// them out.
func reachable(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return true
	}
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return err != nil
		}
		if dir == filepath.Dir(dir) {
			return true
		}
	}
}
