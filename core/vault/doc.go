// Package vault is the sync format: the key schedule that turns a password
// into the authKey sent to the server and the wrapKey that never leaves the
// device, the wrapped vault key, and sealed records. docs/VAULT.md specifies
// every byte; its known-answer vectors are testdata/vectors.json.
//
// The package is pure in behaviour: randomness (an io.Reader) and the clock
// (a time.Time) are parameters, and it touches no file, network or
// environment. It compiles to WebAssembly as its own module (wasm/vault), so
// the core the MIIT page loads does not carry its cryptography. Its
// dependencies are listed, each with the reason, in deps_test.go.
//
// Rollback: the server assigns its own revision numbers, so they cannot be
// trusted to order a record's contents. Every sealed record carries a version
// inside its ciphertext; the caller keeps the newest version it applied per
// record ID (a Seen) and passes it to Open, which refuses an older one.
package vault
