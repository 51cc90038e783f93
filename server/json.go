package server

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// decodeJSON reads the request body into v, which must be a pointer to a
// struct. It insists on application/json, refuses unknown fields and
// trailing data, and names the problem in its error: the byte offset of a
// syntax error, or the field with the wrong type.
func decodeJSON(c echo.Context, v any) error {
	req := c.Request()
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEApplicationJSON {
		return Errorf(CodeUnsupportedMedia, "Content-Type must be application/json")
	}
	dec := json.NewDecoder(req.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return jsonError(err)
		}
		return Errorf(CodeInvalid, "malformed JSON: unexpected data after the object at byte %d", dec.InputOffset())
	}
	return nil
}

func jsonError(err error) error {
	var (
		mbe  *http.MaxBytesError
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		null *json.InvalidUnmarshalError
	)
	switch {
	case errors.As(err, &mbe):
		return Errorf(CodeTooLarge, "body is over %d bytes", mbe.Limit)
	case errors.Is(err, io.EOF):
		return Errorf(CodeInvalid, "malformed JSON: the body is empty, want an object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(CodeInvalid, "malformed JSON: the body ends in the middle of the object")
	case errors.As(err, &syn):
		return Errorf(CodeInvalid, "malformed JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return Errorf(CodeInvalid, "malformed JSON: the body must be an object, not %s", typ.Value)
		}
		return Errorf(CodeInvalid, "malformed JSON: field %q must be %s, not %s", typ.Field, jsonKind(typ.Type), typ.Value)
	case errors.As(err, &null):
		return Errorf(CodeInternal, "internal error")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return Errorf(CodeInvalid, "malformed JSON: unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return Errorf(CodeInvalid, "malformed JSON")
}

// jsonKind names a Go type the way a JSON client thinks of it.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// decodeBytes decodes a required base64url field (no padding).
func decodeBytes(field, s string) ([]byte, error) {
	if s == "" {
		return nil, Errorf(CodeInvalid, "field %q is required", field)
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, Errorf(CodeInvalid, "field %q must be base64url without padding", field)
	}
	return b, nil
}

func encodeBytes(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// kdfJSON is the wire form of KDF.
type kdfJSON struct {
	Alg         string `json:"alg"`
	MemoryKiB   int    `json:"memoryKiB"`
	Iterations  int    `json:"iterations"`
	Parallelism int    `json:"parallelism"`
	Salt        string `json:"salt"`
}

func (k *kdfJSON) toKDF(field string) (KDF, error) {
	if k == nil {
		return KDF{}, Errorf(CodeInvalid, "field %q is required", field)
	}
	salt, err := decodeBytes(field+".salt", k.Salt)
	if err != nil {
		return KDF{}, err
	}
	return KDF{Alg: k.Alg, MemoryKiB: k.MemoryKiB, Iterations: k.Iterations, Parallelism: k.Parallelism, Salt: salt}, nil
}

func toKDFJSON(k KDF) kdfJSON {
	return kdfJSON{Alg: k.Alg, MemoryKiB: k.MemoryKiB, Iterations: k.Iterations, Parallelism: k.Parallelism, Salt: encodeBytes(k.Salt)}
}

// recordJSON is the wire form of Record; data is null for a tombstone.
type recordJSON struct {
	ID      string  `json:"id"`
	Rev     int64   `json:"rev"`
	Deleted bool    `json:"deleted"`
	Data    *string `json:"data"`
}

func toRecordJSON(r Record) recordJSON {
	j := recordJSON{ID: r.ID, Rev: r.Rev, Deleted: r.Deleted}
	if !r.Deleted {
		d := encodeBytes(r.Data)
		j.Data = &d
	}
	return j
}

// etag is the strong entity tag of a revision.
func etag(rev int64) string { return `"` + strconv.FormatInt(rev, 10) + `"` }

// Headers echo has no constants for.
const (
	headerETag        = "ETag"
	headerIfMatch     = "If-Match"
	headerIfNoneMatch = "If-None-Match"
)
