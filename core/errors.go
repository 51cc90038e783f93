package core

// Error codes. They are an interface: the command's exit status, the server's
// HTTP status and the WebAssembly glue's thrown errors are mapped from them,
// and the extension passes them on. ErrorCodes lists them all.
const (
	ECodeUnknownPlatform = "unknown-platform"
	ECodeUnknownScenario = "unknown-scenario"
	ECodeUnknownEntry    = "unknown-entry"
	ECodeUnknownDocType  = "unknown-doc-type"
	ECodeUnknownLang     = "unknown-lang"
	ECodeBadEvent        = "bad-event"
	ECodeBadTime         = "bad-time"
)

// ErrorCodes is every code an *Error of the core carries, in one place: the
// contract (wasm/heyan-core.d.ts, CoreErrorCode) lists the same, and a test
// holds the two together.
var ErrorCodes = []string{
	ECodeUnknownPlatform, ECodeUnknownScenario, ECodeUnknownEntry, ECodeUnknownDocType,
	ECodeUnknownLang, ECodeBadEvent, ECodeBadTime,
}

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

// AsError finds the first *Error in err's tree, as errors.As(err, &e) would
// for e of type *Error: err itself, an As method, then what Unwrap returns.
// It is written out because errors.As links package internal/reflectlite
// into the WebAssembly build (about 30 KB).
func AsError(err error) (*Error, bool) {
	for err != nil {
		if e, ok := err.(*Error); ok {
			return e, true
		}
		if x, ok := err.(interface{ As(any) bool }); ok {
			var e *Error
			if x.As(&e) {
				return e, true
			}
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				if e, ok := AsError(inner); ok {
					return e, true
				}
			}
			return nil, false
		default:
			return nil, false
		}
	}
	return nil, false
}

// ErrorCode returns the code of err if it is a *Error, and "" otherwise.
func ErrorCode(err error) string {
	if e, ok := AsError(err); ok {
		return e.Code
	}
	return ""
}
