//go:build !js

package core

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// banned are the packages core must not depend on, even indirectly, and why.
var banned = map[string]string{
	"net":           "the core does no I/O",
	"os":            "the core does no I/O",
	"database/sql":  "the core does no I/O",
	"log":           "the core does not log (and must never log personal data)",
	"log/slog":      "the core does not log (and must never log personal data)",
	"encoding/json": "about 1 MB in the WebAssembly build: the glue writes JSON itself",
	"fmt":           "about 650 KB in the WebAssembly build",
	"regexp":        "about 600 KB in the WebAssembly build: detection is an Aho–Corasick automaton",
	"time":          "its initialization alone adds about 220 KB to the WebAssembly build; core/instant.go keeps time",
	"embed":         "links io/fs and time; the data is generated Go",
	"io/fs":         "links time",
	"reflect":       "large, and the core needs no reflection",
}

// bannedDirect may not be imported by core itself, and why.
var bannedDirect = map[string]string{
	"syscall/js": "the core is not the glue: wasm/ is",
	"syscall":    "the core does no I/O",
	"unsafe":     "nothing in the core needs it",
	"errors":     "errors.As and errors.Is link internal/reflectlite (about 30 KB): AsError walks the tree itself",
	"slices":     "each generic sort adds about 10 KB: the tracker sorts its one slice itself",
	"sort":       "links reflectlite for sort.Slice: the tracker sorts its one slice itself",
	"unicode":    "its tables: the core reads the few runes it needs by hand (lowerASCII, isSpace)",
}

// bannedCalls are functions of packages the core does import that would
// link what the lists above keep out, and why.
var bannedCalls = map[string]string{
	"strings.ToLower":   "Unicode's case tables: lowerASCII decides the same for the ASCII words it compares",
	"strings.Fields":    "Unicode's White_Space table",
	"strings.TrimSpace": "Unicode's White_Space table: trimSpace lists the runes",
	"strings.EqualFold": "Unicode's case tables",
	"strings.Map":       "what ToUpper and ToLower run for non-ASCII text",
	"strconv.Atoi":      "its error path (a *NumError that quotes the input) adds about 25 KB: the core reads its few numbers by hand",
	"strconv.ParseInt":  "the same error path",
	"strconv.Quote":     "Unicode's printable-rune tables: quote() is enough for messages",
}

// TestCorePurity lists core's dependencies as the browser build sees them
// (GOOS=js GOARCH=wasm) and fails on any banned one, or on a banned entry
// that no longer names a package of this Go (the list would guard nothing).
func TestCorePurity(t *testing.T) {
	std := goList(t, "std")
	for _, list := range []map[string]string{banned, bannedDirect} {
		for pkg, why := range list {
			if !std[pkg] {
				t.Errorf("banned package %s (%s) does not exist: remove it from the list", pkg, why)
			}
		}
	}
	direct := goList(t, "-f", "{{join .Imports \"\\n\"}}", ".")
	for b, why := range bannedDirect {
		if direct[b] {
			t.Errorf("core imports %s: %s", b, why)
		}
	}
	deps := goList(t, "-deps", ".")
	if !deps["github.com/heyan-dev/heyan/core"] {
		t.Fatalf("go list did not list core itself: %v", deps)
	}
	for b, why := range banned {
		if deps[b] {
			t.Errorf("core depends on %s: %s", b, why)
		}
	}
	for d := range deps {
		if strings.HasPrefix(d, "net/") || strings.HasPrefix(d, "database/") {
			t.Errorf("core depends on %s", d)
		}
	}
}

// TestNoBannedCalls reads core's source for the calls of bannedCalls, and
// checks that each still names a function of its package.
func TestNoBannedCalls(t *testing.T) {
	for call, why := range bannedCalls {
		pkg, name, _ := strings.Cut(call, ".")
		out, err := exec.Command("go", "doc", "-short", pkg, name).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "func "+name+"(") {
			t.Errorf("banned call %s (%s) is no function of this Go: remove it from the list (%v: %s)", call, why, err, out)
		}
	}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for call, why := range bannedCalls {
			if strings.Contains(string(data), call+"(") {
				t.Errorf("%s calls %s: %s", f, call, why)
			}
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
