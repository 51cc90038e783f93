//go:build !js

package vault

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Why a package may be in the vault's browser build. Each one the build
// links must be listed, with the reason; the test fails on one not listed,
// and on a listed one the build no longer links, so the list stays true.
const (
	whyRuntime = "the Go runtime and standard-library internals: every Go program links them"
	whyFIPS    = "the standard library's FIPS 140 module, beneath crypto/sha256, crypto/hkdf and crypto/cipher: every standard SHA-256 and the AEAD interface go through it"
	whyFIPSOS  = "linked by the FIPS module (crypto/internal/sysrand beneath its DRBG; GODEBUG reads); the vault never calls it — randomness and the clock are parameters (TestNoHiddenIO); what it costs is in docs/PERFORMANCE.md (Vault)"
	whyBase    = "small standard packages beneath the ones the vault imports"
	whyNorm    = "imported by golang.org/x/text/unicode/norm"
)

// allowedDeps is every package the vault may link under GOOS=js GOARCH=wasm.
var allowedDeps = map[string]string{
	// Imported by the vault itself.
	"crypto/cipher":                        "the cipher.AEAD interface of XChaCha20-Poly1305",
	"crypto/hkdf":                          "HKDF (RFC 5869): the authKey, the wrapKey, the record key and the key ID",
	"crypto/sha256":                        "HKDF's hash: HKDF-SHA256 is what WebCrypto and every library offer, so a second implementation needs nothing unusual",
	"crypto/subtle":                        "constant-time comparison of key IDs",
	"encoding/binary":                      "big-endian version and length fields",
	"errors":                               "errors.As in ErrorCode",
	"golang.org/x/crypto/argon2":           "argon2id, the password KDF the server publishes",
	"golang.org/x/crypto/chacha20poly1305": "XChaCha20-Poly1305: random 24-byte nonces are safe for as many records as a vault will ever hold, and it is constant-time in WebAssembly, which has no AES instructions (Go's portable AES uses tables)",
	"golang.org/x/text/unicode/norm":       "NFC, so that a password gives the same bytes whatever system typed it; the standard library has no Unicode normalization",
	"io":                                   "io.Reader for the caller's random source",
	"strconv":                              "numbers and quoted IDs in error messages, without fmt",
	"strings":                              "strings.Builder for the normalized password",
	"time":                                 "the time.Time parameter of Seal (the caller's clock); the package is linked by the FIPS module anyway",
	"unicode":                              "the Zs and Cc categories of password normalization",
	"unicode/utf8":                         "UTF-8 validation of passwords",

	// Beneath x/crypto and x/text.
	"golang.org/x/crypto/blake2b":           "argon2's hash",
	"golang.org/x/crypto/chacha20":          "the ChaCha20 stream cipher of XChaCha20-Poly1305",
	"golang.org/x/crypto/internal/alias":    "buffer-overlap checks of chacha20 and chacha20poly1305",
	"golang.org/x/crypto/internal/poly1305": "the Poly1305 MAC of XChaCha20-Poly1305",
	"golang.org/x/text/transform":           "imported by golang.org/x/text/unicode/norm",
	"fmt":                                   whyNorm + ": linked whole, though only the errors of norm.Iter.Seek use it",
	"internal/fmtsort":                      whyNorm + ", through fmt",
	"reflect":                               "imported by encoding/binary and fmt",
	"hash":                                  "the hash.Hash interface of blake2b, SHA-256 and HKDF",
	"crypto":                                "imported by blake2b and crypto/sha256 (crypto.RegisterHash)",

	// The FIPS module.
	"crypto/fips140":                        whyFIPS,
	"crypto/internal/boring":                whyFIPS,
	"crypto/internal/boring/sig":            whyFIPS,
	"crypto/internal/constanttime":          whyFIPS,
	"crypto/internal/fips140":               whyFIPS,
	"crypto/internal/fips140/aes":           whyFIPS,
	"crypto/internal/fips140/aes/gcm":       whyFIPS,
	"crypto/internal/fips140/alias":         whyFIPS,
	"crypto/internal/fips140/check":         whyFIPS,
	"crypto/internal/fips140/drbg":          whyFIPS,
	"crypto/internal/fips140/hkdf":          whyFIPS,
	"crypto/internal/fips140/hmac":          whyFIPS,
	"crypto/internal/fips140/sha256":        whyFIPS,
	"crypto/internal/fips140/sha3":          whyFIPS,
	"crypto/internal/fips140/sha512":        whyFIPS,
	"crypto/internal/fips140/subtle":        whyFIPS,
	"crypto/internal/fips140deps/byteorder": whyFIPS,
	"crypto/internal/fips140deps/cpu":       whyFIPS,
	"crypto/internal/fips140deps/godebug":   whyFIPS,
	"crypto/internal/fips140hash":           whyFIPS,
	"crypto/internal/fips140only":           whyFIPS,
	"crypto/internal/sysrand":               whyFIPS,
	"crypto/sha3":                           whyFIPS,
	"os":                                    whyFIPSOS,
	"io/fs":                                 whyFIPSOS,
	"syscall":                               whyFIPSOS,
	"syscall/js":                            whyFIPSOS + "; syscall's GOOS=js implementation",
	"internal/poll":                         whyFIPSOS,
	"internal/filepathlite":                 whyFIPSOS,
	"internal/oserror":                      whyFIPSOS,
	"internal/syscall/execenv":              whyFIPSOS,
	"internal/syscall/unix":                 whyFIPSOS,
	"internal/testlog":                      whyFIPSOS,
	"path":                                  whyFIPSOS + ", through io/fs",
	"internal/godebug":                      whyFIPS,
	"internal/bisect":                       whyFIPS + ", through internal/godebug",
	"internal/godebugs":                     whyFIPS + ", through internal/godebug",

	// The base of everything.
	"bytes":        whyBase,
	"cmp":          whyBase,
	"iter":         whyBase,
	"math":         whyBase,
	"math/bits":    whyBase,
	"slices":       whyBase,
	"sync":         whyBase,
	"sync/atomic":  whyBase,
	"unsafe":       whyRuntime,
	"runtime":      whyRuntime,
	"internal/abi": whyRuntime, "internal/asan": whyRuntime, "internal/bytealg": whyRuntime,
	"internal/byteorder": whyRuntime, "internal/chacha8rand": whyRuntime, "internal/coverage/rtcov": whyRuntime,
	"internal/cpu": whyRuntime, "internal/goarch": whyRuntime, "internal/goexperiment": whyRuntime,
	"internal/goos": whyRuntime, "internal/msan": whyRuntime, "internal/profilerecord": whyRuntime,
	"internal/race": whyRuntime, "internal/reflectlite": whyRuntime, "internal/runtime/atomic": whyRuntime,
	"internal/runtime/exithook": whyRuntime, "internal/runtime/gc": whyRuntime, "internal/runtime/gc/scan": whyRuntime,
	"internal/runtime/maps": whyRuntime, "internal/runtime/math": whyRuntime, "internal/runtime/pprof/label": whyRuntime,
	"internal/runtime/sys": whyRuntime, "internal/strconv": whyRuntime, "internal/stringslite": whyRuntime,
	"internal/sync": whyRuntime, "internal/synctest": whyRuntime, "internal/trace/tracev2": whyRuntime,
	"internal/unsafeheader": whyRuntime,
}

// bannedImports may never be imported by the vault's own files, whatever the
// build links: they would make it impure (I/O, the network, the process's
// clock or randomness) or tie it to the browser.
var bannedImports = map[string]string{
	"os":           "files and the environment: the vault touches neither",
	"net":          "the network belongs to the sync client in cmd/heyan and the extension",
	"net/http":     "the network belongs to the sync client in cmd/heyan and the extension",
	"crypto/rand":  "randomness is the caller's io.Reader, so tests and vectors are reproducible",
	"math/rand":    "randomness is the caller's io.Reader",
	"math/rand/v2": "randomness is the caller's io.Reader",
	"syscall/js":   "the browser glue lives in wasm/vault",
	"syscall":      "no system calls",
	"unsafe":       "no memory tricks in cryptographic code",
	"fmt":          "messages are built with strconv, which keeps them exact and the dependency at one place (norm)",
	"log":          "the vault logs nothing: it handles passwords and keys",
	"log/slog":     "the vault logs nothing: it handles passwords and keys",
}

// TestAllowedDeps lists the vault's dependencies as the browser build sees
// them (GOOS=js GOARCH=wasm) and holds them to allowedDeps, both ways.
func TestAllowedDeps(t *testing.T) {
	deps := goList(t, "-deps", ".")
	if !slices.Contains(deps, "github.com/heyan-dev/heyan/core/vault") {
		t.Fatalf("go list did not list the vault itself: %v", deps)
	}
	linked := map[string]bool{}
	for _, d := range deps {
		linked[d] = true
		if d == "github.com/heyan-dev/heyan/core/vault" {
			continue
		}
		if _, ok := allowedDeps[d]; !ok {
			t.Errorf("the vault links %s, which allowedDeps does not list: add it with the reason (what imports it, what it costs), or drop the import that brings it", d)
		}
	}
	for d := range allowedDeps {
		if !linked[d] {
			t.Errorf("allowedDeps lists %s, which the vault no longer links: remove the entry", d)
		}
	}
}

func TestBannedImports(t *testing.T) {
	for _, env := range [][]string{{"GOOS=js", "GOARCH=wasm"}, nil} {
		for _, imp := range goListEnv(t, env, "-f", "{{join .Imports \"\\n\"}}", ".") {
			if why, ok := bannedImports[imp]; ok {
				t.Errorf("the vault imports %s (%v): %s", imp, env, why)
			}
		}
	}
}

// TestNoHiddenIO: the vault reads no clock, randomness, file or environment
// of its own; each is a parameter.
func TestNoHiddenIO(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"time.Now(", "time.Since(", "time.Until(", "time.Sleep(", "time.After", "rand.", "os.", "println("} {
			if strings.Contains(string(data), bad) {
				t.Errorf("%s calls %s", f, bad)
			}
		}
	}
}

// goList runs go list for the browser build and returns the packages it names.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	return goListEnv(t, []string{"GOOS=js", "GOARCH=wasm"}, args...)
}

// goListEnv runs go list with env added to the environment.
func goListEnv(t *testing.T, env []string, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Env = append(append(os.Environ(), "CGO_ENABLED=0"), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	return strings.Fields(string(out))
}
