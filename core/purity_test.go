//go:build !js

package core

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// banned are the packages core must not depend on, even indirectly: I/O
// and the network are impure; encoding/json, fmt, regexp, time and embed
// (through io/fs) are too large for the WebAssembly build the extension
// loads on every page (see docs/PERFORMANCE.md).
var banned = []string{"net", "os", "database/sql", "log", "log/slog", "encoding/json", "fmt", "regexp", "time", "embed", "io/fs", "reflect"}

// bannedDirect may not be imported by core itself.
var bannedDirect = []string{"syscall/js", "syscall", "unsafe"}

// TestCorePurity lists core's dependencies as the browser build sees them
// (GOOS=js GOARCH=wasm) and fails on any banned one.
func TestCorePurity(t *testing.T) {
	direct := goList(t, "-f", "{{join .Imports \"\\n\"}}", ".")
	for _, b := range bannedDirect {
		if direct[b] {
			t.Errorf("core imports %s", b)
		}
	}
	deps := goList(t, "-deps", ".")
	if !deps["github.com/heyan-dev/heyan/core"] {
		t.Fatalf("go list did not list core itself: %v", deps)
	}
	for _, b := range banned {
		if deps[b] {
			t.Errorf("core depends on %s", b)
		}
	}
	for d := range deps {
		if strings.HasPrefix(d, "net/") || strings.HasPrefix(d, "database/") {
			t.Errorf("core depends on %s", d)
		}
	}
}

// goList runs go list for the browser build and returns the packages it names.
func goList(t *testing.T, args ...string) map[string]bool {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	set := map[string]bool{}
	for _, d := range strings.Fields(string(out)) {
		set[d] = true
	}
	return set
}

// TestNoHiddenClock: core takes time as a parameter; nothing in it reads
// the clock.
func TestNoHiddenClock(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"time.Now(", "time.Since(", "time.Until(", "time.Sleep(", "rand."} {
			if strings.Contains(string(data), bad) {
				t.Errorf("%s calls %s", f, bad)
			}
		}
	}
}

// TestGeneratedDataIsCurrent fails when data_gen.go no longer matches the
// data files: run go generate ./core.
func TestGeneratedDataIsCurrent(t *testing.T) {
	cmd := exec.Command("go", "run", "./internal/gendata", "-check")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
