package core

import "errors"

// Error codes. They are an interface: the command's exit status, the server's
// HTTP status and the WebAssembly glue's thrown errors are mapped from them.
const (
	ECodeUnknownPlatform = "unknown-platform"
	ECodeUnknownScenario = "unknown-scenario"
	ECodeUnknownEntry    = "unknown-entry"
	ECodeUnknownDocType  = "unknown-doc-type"
	ECodeUnknownLang     = "unknown-lang"
	ECodeBadEvent        = "bad-event"
	ECodeBadTime         = "bad-time"
	ECodeBadData         = "bad-data"
)

// Error is the one error type of core. Code is stable; ZH and EN say what was
// wrong and what to do, in the user's words.
type Error struct {
	Code string
	ZH   string
	EN   string
}

// Error returns the English message, which names the code's subject and the
// valid values; Message gives the localized one.
func (e *Error) Error() string { return e.EN }

// Message returns the message in lang.
func (e *Error) Message(lang Lang) string {
	if lang == LangEN {
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
