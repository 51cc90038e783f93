// Package datafile reads the line format of core/data/*.txt: a list of
// records, each headed by a line "== kind arg...", followed by "key: value"
// lines. Keys may repeat (steps, texts, links). Lines starting with # and
// blank lines are ignored. The format is small on purpose: reviewable as a
// diff, and read without encoding/json.
//
// Only the generator (core/internal/gendata) and tests read data files: the
// core itself carries the data as generated Go values, so nothing is parsed
// when it starts.
package datafile

import (
	"strconv"
	"strings"
)

// Record is one section of a data file.
type Record struct {
	Kind   string
	Args   []string
	Line   int
	Fields []Field
}

// Field is one "key: value" line of a Record.
type Field struct {
	Key   string
	Value string
	Line  int
}

// Get returns the value of the first field named key, or "".
func (r *Record) Get(key string) string {
	for _, f := range r.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

// All returns the values of every field named key, in file order.
func (r *Record) All(key string) []string {
	var out []string
	for _, f := range r.Fields {
		if f.Key == key {
			out = append(out, f.Value)
		}
	}
	return out
}

// Error is a mistake in a data file, with where it is.
type Error struct {
	File string
	Line int
	Msg  string
}

// Error returns "file:line: message".
func (e *Error) Error() string { return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg }

// Errorf returns an *Error for file at line.
func Errorf(file string, line int, msg string) *Error {
	return &Error{File: file, Line: line, Msg: msg}
}

// Parse parses the text of a data file named name (used in errors).
func Parse(name, text string) ([]Record, error) {
	var recs []Record
	lineNo := 0
	for len(text) > 0 {
		var line string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			line, text = text, ""
		}
		lineNo++
		line = strings.TrimRight(line, " \t\r")
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		if strings.HasPrefix(trimmed, "==") {
			words := strings.Fields(trimmed[2:])
			if len(words) == 0 {
				return nil, Errorf(name, lineNo, "a record header needs a kind after ==")
			}
			recs = append(recs, Record{Kind: words[0], Args: words[1:], Line: lineNo})
			continue
		}
		if len(recs) == 0 {
			return nil, Errorf(name, lineNo, "a field before the first == header")
		}
		colon := strings.IndexByte(trimmed, ':')
		if colon <= 0 {
			return nil, Errorf(name, lineNo, "expected \"key: value\"")
		}
		key := strings.TrimSpace(trimmed[:colon])
		if strings.ContainsAny(key, " \t") {
			return nil, Errorf(name, lineNo, "a key has no spaces: "+strconv.Quote(key))
		}
		value := strings.TrimSpace(trimmed[colon+1:])
		r := &recs[len(recs)-1]
		r.Fields = append(r.Fields, Field{Key: key, Value: value, Line: lineNo})
	}
	return recs, nil
}
