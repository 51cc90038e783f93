//go:build js && wasm

package main

import (
	"encoding/base64"
	"strings"
	"syscall/js"
	"testing"
)

// These run under Node (GOOS=js GOARCH=wasm go test) against the raw glue;
// wasm/vault/test runs the built module through heyan-vault.js.

func invoke(name string, args ...any) js.Value {
	for _, m := range methods {
		if m.name == name {
			f := m.fn()
			defer f.Release()
			return f.Invoke(args...)
		}
	}
	panic("no method " + name)
}

func isError(v js.Value) bool { return v.InstanceOf(jsError) }

func TestPanicIsRecovered(t *testing.T) {
	boom := method{name: "boom", call: func(*call) (any, error) {
		var m map[string]int
		m["x"] = 1 // nil map write: a real runtime panic
		return nil, nil
	}}
	f := boom.fn()
	defer f.Release()
	for range 3 {
		v := f.Invoke()
		if !isError(v) || v.Get("code").String() != "internal" || !strings.HasPrefix(v.Get("message").String(), "heyanVault.boom: internal error") {
			t.Fatalf("panic returned %v", v)
		}
	}
	if v := invoke("newVaultKey"); isError(v) || v.Type() != js.TypeString {
		t.Fatalf("a normal call after panics: %v", v)
	}
}

func TestCalls(t *testing.T) {
	key := base64.RawURLEncoding.EncodeToString(make([]byte, 32))
	sealed := invoke("seal", map[string]any{"vaultKey": key, "accountId": "a", "recordId": "r", "plaintext": "数据", "lastVersion": 0, "now": 1767225600000})
	if isError(sealed) || sealed.Get("version").Float() != 1767225600000 {
		t.Fatalf("seal = %v", sealed)
	}
	for _, c := range []struct {
		name string
		args []any
		code string
		want string // a fragment of the English message
	}{
		{"newSalt", nil, "usage", "heyanVault.newSalt: expected (saltBytes: number), got 0 arguments"},
		{"newSalt", []any{16.5}, "bad-input", "saltBytes must be a whole number from 0 to 65536"},
		{"newSalt", []any{15}, "kdf-unsupported", "15 bytes"},
		{"wrapVaultKey", []any{key, 7}, "usage", "but vaultKey is a number"},
		{"unwrapVaultKey", []any{key, "AQID"}, "bad-format", "is 3 bytes, not 73"},
		{"checkKdf", []any{map[string]any{"alg": "argon2id", "memoryKiB": 65536, "iterations": 2, "parallelism": 4, "saltBytes": 16}}, "kdf-too-weak", "below this client's floor"},
		{"checkKdf", []any{map[string]any{"alg": "argon2id", "memoryKiB": 65536, "iterations": 3, "parallelism": 4}}, "usage", "not neither"},
		{"deriveKeys", []any{"pw", map[string]any{"alg": "argon2id", "memoryKiB": 1024, "iterations": 1, "parallelism": 1, "salt": "AAAAAAAAAAAAAAAAAAAAAA"}}, "kdf-too-weak", "memory 1024 KiB"},
		{"open", []any{map[string]any{"vaultKey": key, "accountId": "a", "recordId": "r2", "data": sealed.Get("data").String(), "lastVersion": 0}}, "record-moved", `record "r2" does not open`},
		{"open", []any{map[string]any{"vaultKey": key, "accountId": "a", "recordId": "r", "data": sealed.Get("data").String(), "lastVersion": 1767225600001}}, "record-rolled-back", "older than version 1767225600001"},
		{"open", []any{map[string]any{"vaultKey": key, "accountId": "a", "recordId": "r", "data": sealed.Get("data").String()}}, "usage", "input.lastVersion must be a number, not undefined"},
	} {
		v := invoke(c.name, c.args...)
		if !isError(v) || v.Get("code").String() != c.code || !strings.Contains(v.Get("message").String(), c.want) {
			t.Errorf("%s(%v) = %v (code %v), want code %s and a message with %q", c.name, c.args, v, v.Get("code"), c.code, c.want)
			continue
		}
		if zh := v.Get("messages").Get("zh-CN"); zh.Type() != js.TypeString || zh.String() == "" {
			t.Errorf("%s: no zh-CN message", c.name)
		}
	}
	opened := invoke("open", map[string]any{"vaultKey": key, "accountId": "a", "recordId": "r", "data": sealed.Get("data").String(), "lastVersion": 1767225600000})
	if isError(opened) || opened.Get("plaintext").String() != "数据" {
		t.Errorf("open = %v", opened)
	}
}
