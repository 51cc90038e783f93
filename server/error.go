package server

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. Each names one kind of failure a client can act on; the HTTP
// status for each lives in one table, codeStatus in http.go.
const (
	// CodeInvalid means the request is malformed or a field is out of range.
	CodeInvalid = "invalid"
	// CodeUnauthorized means the credential is missing, wrong or dead.
	CodeUnauthorized = "unauthorized"
	// CodeNotFound means there is no such route.
	CodeNotFound = "not_found"
	// CodeMethodNotAllowed means the route exists, the method does not.
	CodeMethodNotAllowed = "method_not_allowed"
	// CodeQuotaExceeded means the write would take the account over its
	// quota of records or of record data; deleting records makes room.
	CodeQuotaExceeded = "quota_exceeded"
	// CodeEmailTaken means an account with this email exists.
	CodeEmailTaken = "email_taken"
	// CodeCursorExpired means the sync cursor predates tombstone retention (or
	// was never issued): the client syncs from scratch.
	CodeCursorExpired = "cursor_expired"
	// CodeRevMismatch means the If-Match/If-None-Match precondition failed.
	CodeRevMismatch = "rev_mismatch"
	// CodeTooLarge means the body or the record data is over its limit.
	CodeTooLarge = "too_large"
	// CodeUnsupportedMedia means the body is not application/json.
	CodeUnsupportedMedia = "unsupported_media"
	// CodePreconditionRequired means a write came without If-Match or If-None-Match.
	CodePreconditionRequired = "precondition_required"
	// CodeThrottled means there were too many sign-in attempts; see Retry-After.
	CodeThrottled = "throttled"
	// CodeInternal means a fault on our side; details are only logged.
	CodeInternal = "internal"
	// CodeUnavailable means the store is unreachable or the request timed
	// out; see Retry-After.
	CodeUnavailable = "unavailable"
)

// UnavailableRetry is the Retry-After given with CodeUnavailable.
const UnavailableRetry = 5 * time.Second

// Error is the one error type the service returns to its callers. Anything
// else that reaches the HTTP boundary is reported as CodeInternal with a
// generic message, so internal details never leak to a client.
type Error struct {
	// Code is one of the Code constants.
	Code string
	// Message is a human-readable explanation that is safe to show a client.
	Message string
	// Current is the record as stored when a precondition failed
	// (CodeRevMismatch); nil when there is none.
	Current *Record
	// RetryAfter tells a throttled client how long to wait (CodeThrottled).
	RetryAfter time.Duration
	// Err is the cause, for the log only; never shown to a client.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("heyan: %s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("heyan: %s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, "" for nil,
// and CodeInternal for anything else.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the client-safe message of err: the message of an
// *Error, or a generic text for anything else.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	}
	return "internal error"
}

// Unauthorized is the one answer to every failed credential check, in this
// package and in every store, so a client cannot tell an unknown email from a
// wrong key, or a revoked session from an expired one. Nothing else may make
// a CodeUnauthorized error (a test checks the sources).
func Unauthorized() *Error {
	return &Error{Code: CodeUnauthorized, Message: "invalid credentials"}
}

// Unavailable is what a store returns when it cannot be used right now
// (connection refused or lost, store closed, database locked), as opposed to
// a fault: the client gets 503 and Retry-After, the cause goes to the log.
func Unavailable(cause error) *Error {
	return &Error{Code: CodeUnavailable, Message: "the store is unavailable; try again later", RetryAfter: UnavailableRetry, Err: cause}
}
