//go:build js && wasm

package main

import (
	"strconv"
	"unicode/utf8"
)

// Results cross into JavaScript as one JSON string that heyan-core.js parses:
// building the object property by property through syscall/js costs a
// boundary crossing per value (about 30 µs each under Node, 0.6 ms for one
// knowledge entry), where one string and JSON.parse cost a few µs.
// encoding/json would add 1 MB, and a generic encoder of maps and
// interfaces allocates for every value: the converters (convert.go) write
// each result's fields in order through this writer instead.

// The writer's methods are not inlined: each result writes dozens of
// fields, and inlined writes made the glue's code 40 KB larger for no time
// that shows next to the rest of a call.

// jsonWriter appends JSON to b. Each value written after another in the same
// object or array is preceded by a comma; keys are written as given (the
// converters' keys are plain ASCII names).
type jsonWriter struct {
	b     []byte
	comma bool // the next value or key follows another
}

func (w *jsonWriter) sep() {
	if w.comma {
		w.b = append(w.b, ',')
	}
}

//go:noinline
func (w *jsonWriter) open(c byte) {
	w.sep()
	w.b = append(w.b, c)
	w.comma = false
}

//go:noinline
func (w *jsonWriter) close(c byte) {
	w.b = append(w.b, c)
	w.comma = true
}

// obj and end open and close an object; arr and endArr an array.
//
//go:noinline
func (w *jsonWriter) obj() { w.open('{') }

//go:noinline
func (w *jsonWriter) end() { w.close('}') }

//go:noinline
func (w *jsonWriter) arr() { w.open('[') }

//go:noinline
func (w *jsonWriter) endArr() { w.close(']') }

// key writes an object key; the value follows.
//
//go:noinline
func (w *jsonWriter) key(k string) {
	w.sep()
	w.b = appendString(w.b, k)
	w.b = append(w.b, ':')
	w.comma = false
}

//go:noinline
func (w *jsonWriter) str(s string) {
	w.sep()
	w.b = appendString(w.b, s)
	w.comma = true
}

//go:noinline
func (w *jsonWriter) int(n int) {
	w.sep()
	w.b = strconv.AppendInt(w.b, int64(n), 10)
	w.comma = true
}

//go:noinline
func (w *jsonWriter) bool(v bool) {
	w.sep()
	w.b = strconv.AppendBool(w.b, v)
	w.comma = true
}

//go:noinline
func (w *jsonWriter) null() {
	w.sep()
	w.b = append(w.b, "null"...)
	w.comma = true
}

//go:noinline
func (w *jsonWriter) intOrNull(p *int) {
	if p == nil {
		w.null()
	} else {
		w.int(*p)
	}
}

//go:noinline
func (w *jsonWriter) strOrNull(p *string) {
	if p == nil {
		w.null()
	} else {
		w.str(*p)
	}
}

//go:noinline
func (w *jsonWriter) strs(ss []string) {
	w.arr()
	for _, s := range ss {
		w.str(s)
	}
	w.endArr()
}

// Field helpers: a key and its value.
//
//go:noinline
func (w *jsonWriter) fStr(k, v string) {
	w.key(k)
	w.str(v)
}

//go:noinline
func (w *jsonWriter) fInt(k string, v int) {
	w.key(k)
	w.int(v)
}

//go:noinline
func (w *jsonWriter) fBool(k string, v bool) {
	w.key(k)
	w.bool(v)
}

const hexDigits = "0123456789abcdef"

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		default:
			b = append(b, c)
		}
		i++
	}
	return append(b, '"')
}
