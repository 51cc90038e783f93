// Package manifest edits extension manifests as JSON objects that keep their
// keys in the order they were written: the built manifest and each store's
// read like the source one (a store reviewer reads them), and the same
// source always gives the same bytes.
package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// Object is a JSON object whose members keep their order.
type Object struct {
	keys []string
	vals map[string]json.RawMessage
}

// Parse reads a JSON object, keeping the order of its members.
func Parse(data []byte) (*Object, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a JSON object")
	}
	o := &Object{vals: map[string]json.RawMessage{}}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // inside an object, a token before a value is its key
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		if _, dup := o.vals[key]; dup {
			return nil, fmt.Errorf("key %q appears twice", key)
		}
		o.keys = append(o.keys, key)
		o.vals[key] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("text after the object")
	}
	return o, nil
}

// Keys lists the members' names in order.
func (o *Object) Keys() []string { return append([]string(nil), o.keys...) }

// Has tells whether the object has the member key.
func (o *Object) Has(key string) bool {
	_, ok := o.vals[key]
	return ok
}

// Get decodes the member key into v; it reports whether the member exists.
func (o *Object) Get(key string, v any) (bool, error) {
	raw, ok := o.vals[key]
	if !ok {
		return false, nil
	}
	return true, json.Unmarshal(raw, v)
}

// Object returns the member key as an Object (nil when there is none).
func (o *Object) Object(key string) (*Object, error) {
	raw, ok := o.vals[key]
	if !ok {
		return nil, nil
	}
	sub, err := Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return sub, nil
}

// Set gives the member key the value v: in its place when it exists, else
// right after the member after (at the end when after is "" or absent).
func (o *Object) Set(key string, v any, after string) error {
	raw, err := json.Marshal(v) // an *Object, or a slice of them, marshals itself in order
	if err != nil {
		return err
	}
	if _, ok := o.vals[key]; !ok {
		at := len(o.keys)
		for i, k := range o.keys {
			if k == after {
				at = i + 1
			}
		}
		o.keys = append(o.keys[:at], append([]string{key}, o.keys[at:]...)...)
	}
	o.vals[key] = raw
	return nil
}

// Delete removes the member key, if there is one.
func (o *Object) Delete(key string) {
	if _, ok := o.vals[key]; !ok {
		return
	}
	delete(o.vals, key)
	for i, k := range o.keys {
		if k == key {
			o.keys = append(o.keys[:i], o.keys[i+1:]...)
			break
		}
	}
}

// UnmarshalJSON reads a JSON object into o, keeping its order.
func (o *Object) UnmarshalJSON(data []byte) error {
	p, err := Parse(data)
	if err != nil {
		return err
	}
	*o = *p
	return nil
}

// MarshalJSON writes the object compactly, members in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		if err := json.Compact(&b, o.vals[k]); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Indented writes the object as a manifest file: two-space indents and a
// final newline.
func (o *Object) Indented() ([]byte, error) {
	compact, err := o.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, compact, "", "  "); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// versionFormat is what both Chrome and Firefox accept as a manifest's
// version: one to four dot-separated integers of at most 9 digits, without
// leading zeros (Chrome also caps each at 65535, checked below).
var versionFormat = regexp.MustCompile(`^(0|[1-9][0-9]{0,8})(\.(0|[1-9][0-9]{0,8})){0,3}$`)

// CheckVersion fails when v is not a version both stores accept.
func CheckVersion(v string) error {
	if !versionFormat.MatchString(v) {
		return fmt.Errorf("version %q: want 1 to 4 dot-separated integers without leading zeros, like 1.2.3", v)
	}
	for _, part := range strings.Split(v, ".") {
		if len(part) > 5 || (len(part) == 5 && part > "65535") {
			return fmt.Errorf("version %q: each part is at most 65535 (Chrome)", v)
		}
	}
	return nil
}

// ReadVersion reads the project's version from its one place, the VERSION
// file (one line), and checks it.
func ReadVersion(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	v := strings.TrimSpace(string(b))
	if err := CheckVersion(v); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
