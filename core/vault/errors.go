package vault

import "errors"

// Error codes. They are an interface: the WebAssembly module throws them as
// the `code` of its errors, the heyan command maps them to its messages, and
// the sync engine acts on them.
const (
	// ECodeKDFTooWeak: KDF parameters below the client's built-in floor. A
	// server that asks for them is refused: it must not weaken the keys.
	ECodeKDFTooWeak = "kdf-too-weak"
	// ECodeKDFUnsupported: an algorithm other than argon2id, or parameters
	// above the ceiling, or a salt of the wrong size.
	ECodeKDFUnsupported = "kdf-unsupported"
	// ECodePasswordInvalid: an empty password, one with a control character,
	// one that is not valid UTF-8, or one too long.
	ECodePasswordInvalid = "password-invalid"
	// ECodeWrongPassword: the wrapped vault key does not open with the keys
	// derived from this password.
	ECodeWrongPassword = "wrong-password"
	// ECodeWrongKey: a record was sealed under another vault key.
	ECodeWrongKey = "wrong-key"
	// ECodeRecordMoved: a record does not open under its account and record
	// ID: it was sealed for another place (or altered).
	ECodeRecordMoved = "record-moved"
	// ECodeRolledBack: a record's sealed version is older than the one the
	// caller already applied.
	ECodeRolledBack = "record-rolled-back"
	// ECodeBadFormat: bytes that are not a record or wrapped key of a known
	// layout (too short, a size that is not a bucket, bad padding).
	ECodeBadFormat = "bad-format"
	// ECodeUnsupportedVersion: a format version this build does not read.
	ECodeUnsupportedVersion = "unsupported-version"
	// ECodeBadInput: a caller's mistake: a key of the wrong size, an invalid
	// account or record ID, a missing last-seen version.
	ECodeBadInput = "bad-input"
	// ECodeTooLarge: content larger than the largest bucket.
	ECodeTooLarge = "too-large"
	// ECodeRandomFailed: the random source given to the vault failed.
	ECodeRandomFailed = "random-failed"
	// ECodeInternal: a fault in the vault itself or its AEAD (for example an
	// AEAD refused in FIPS 140-only mode).
	ECodeInternal = "internal"
)

// Error is the one error type of the vault. Code is stable; ZH and EN say
// what was wrong and what to do, in the user's words. Messages never contain
// a password, a key or record content.
type Error struct {
	Code string
	ZH   string
	EN   string
}

// Error returns the English message; Message gives the localized one.
func (e *Error) Error() string { return e.EN }

// Message returns the message in lang: "en" (or any en-* tag) is English,
// anything else Chinese, as the core reads language tags.
func (e *Error) Message(lang string) string {
	if lang == "en" || len(lang) > 3 && (lang[:3] == "en-" || lang[:3] == "en_") {
		return e.EN
	}
	return e.ZH
}

// ErrorCode returns the code of err if it is a *Error, and "" otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func newError(code, zh, en string) *Error { return &Error{Code: code, ZH: zh, EN: en} }
