//go:build js && wasm

// Command vault is core/vault compiled for the browser: heyan-vault.wasm. It
// registers the raw methods on globalThis.__heyanVaultRaw and calls
// globalThis.__heyanVaultRawReady; heyan-vault.js (beside this file) turns
// them into the heyanVault object of the contract in heyan-vault.d.ts. It is
// a module of its own so that the core the MIIT page loads does not carry
// argon2id and the AEAD; the extension's pages and worker load it when sync
// is used.
//
// The glue stays thin: argument checks, base64url and number conversion,
// the random source (crypto.getRandomValues, through crypto/rand) and the
// clock the caller passes. Go functions called from JS cannot throw, so a
// failing call returns a JS Error object (with a code) that heyan-vault.js
// throws; a successful one returns a plain object or a string. A panic is
// recovered into such an Error, and the runtime keeps serving later calls.
package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"math"
	"runtime"
	"strconv"
	"syscall/js"
	"time"
	"unicode/utf8"

	"github.com/heyan-dev/heyan/core/vault"
	"github.com/heyan-dev/heyan/wasm/internal/jsargs"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

// kind is the JS type a parameter or field must have.
type kind = jsargs.Kind

const (
	kString   = jsargs.String
	kNumber   = jsargs.Number
	kObject   = jsargs.Object
	kFunction = jsargs.Function
)

type param = jsargs.Param

// method is one heyanVault method: its parameters and its call.
type method struct {
	name   string
	params []param
	call   func(c *call) (any, error)
}

var (
	typeName = jsargs.TypeName
	hasKind  = jsargs.Has
	absent   = jsargs.Absent
)

// usage is a wrong call: a missing argument or field, or one of the wrong
// type. Its message names the method and what it expected.
type usage string

func (u usage) Error() string { return string(u) }

// check validates the argument count and types.
func (m method) check(args []js.Value) error {
	if msg := jsargs.Check(m.params, args); msg != "" {
		return usage(msg)
	}
	return nil
}

// call reads one call's arguments; the first error sticks, so a method reads
// everything and then asks c.err.
type call struct {
	args []js.Value
	err  error
}

func (c *call) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// field reads obj.name as k, naming where.name when it is missing or wrong.
func (c *call) field(obj js.Value, where, name string, k kind) js.Value {
	v := obj.Get(name)
	if !hasKind(v, k) {
		c.fail(usage(where + "." + name + " must be a " + k.String() + ", not " + typeName(v)))
	}
	return v
}

func (c *call) str(obj js.Value, where, name string) string {
	if v := c.field(obj, where, name, kString); v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}

// whole reads a whole number from 0 to max, exactly representable in a JS
// number.
func (c *call) whole(v js.Value, what string, max uint64) uint64 {
	if v.Type() != js.TypeNumber {
		c.fail(usage(what + " must be a number, not " + typeName(v)))
		return 0
	}
	f := v.Float()
	if f != math.Trunc(f) || f < 0 || f > float64(max) {
		c.fail(badInput(what+" 必须是 0 到 "+strconv.FormatUint(max, 10)+" 的整数", what+" must be a whole number from 0 to "+strconv.FormatUint(max, 10)))
		return 0
	}
	return uint64(f)
}

func (c *call) num(obj js.Value, where, name string, max uint64) uint64 {
	return c.whole(obj.Get(name), where+"."+name, max)
}

var b64 = base64.RawURLEncoding.Strict()

// bytes decodes a base64url string (no padding) of n bytes, or of any length
// when n is 0.
func (c *call) bytes(s, what string, n int) []byte {
	b, err := b64.DecodeString(s)
	if err != nil {
		c.fail(badInput(what+" 不是无填充的 base64url", what+" is not base64url without padding"))
		return nil
	}
	if n > 0 && len(b) != n {
		c.fail(badInput(what+" 应为 "+strconv.Itoa(n)+" 字节，实为 "+strconv.Itoa(len(b))+" 字节", what+" must be "+strconv.Itoa(n)+" bytes, not "+strconv.Itoa(len(b))))
		return nil
	}
	return b
}

func (c *call) key(s, what string) (k [vault.KeySize]byte) {
	copy(k[:], c.bytes(s, what, vault.KeySize))
	return k
}

func badInput(zh, en string) error { return &vault.Error{Code: vault.ECodeBadInput, ZH: zh, EN: en} }

// kdfParams reads {alg, memoryKiB, iterations, parallelism} of a KDF object.
func (c *call) kdfParams(kdf js.Value) vault.Params {
	return vault.Params{
		Alg:         c.str(kdf, "kdf", "alg"),
		MemoryKiB:   uint32(c.num(kdf, "kdf", "memoryKiB", math.MaxUint32)),
		Iterations:  uint32(c.num(kdf, "kdf", "iterations", math.MaxUint32)),
		Parallelism: uint32(c.num(kdf, "kdf", "parallelism", math.MaxUint32)),
	}
}

// place reads accountId and recordId of an input object.
func (c *call) place(in js.Value, where string) vault.Place {
	return vault.Place{AccountID: c.str(in, where, "accountId"), RecordID: c.str(in, where, "recordId")}
}

func (c *call) lastSeen(in js.Value, where string) vault.Seen {
	return vault.LastSeen(c.num(in, where, "lastVersion", vault.MaxVersion))
}

var jsError = js.Global().Get("Error")

// newError makes the JS Error that heyan-vault.js throws: code is a vault
// error code, "usage" for a wrong call or "internal" for a panic; messages
// holds the message in both languages, without the method's prefix.
func newError(method, code, zh, en string) js.Value {
	e := jsError.New("heyanVault." + method + ": " + en)
	e.Set("code", code)
	e.Set("messages", map[string]any{"zh-CN": zh, "en": en})
	return e
}

func (m method) fn() js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				msg := "internal error: " + panicText(r)
				result = newError(m.name, "internal", "内部错误："+panicText(r), msg)
			}
		}()
		var res any
		err := m.check(args)
		if err == nil {
			res, err = m.call(&call{args: args})
		}
		var u usage
		var ve *vault.Error
		switch {
		case err == nil:
			return res
		case errors.As(err, &u):
			return newError(m.name, "usage", string(u), string(u))
		case errors.As(err, &ve):
			return newError(m.name, ve.Code, ve.ZH, ve.EN)
		}
		return newError(m.name, "internal", "内部错误："+err.Error(), "internal error: "+err.Error())
	})
}

func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "panic"
}

func str(name string) param   { return param{Name: name, Kind: kString} }
func num(name string) param   { return param{Name: name, Kind: kNumber} }
func obj(name string) param   { return param{Name: name, Kind: kObject} }
func optFn(name string) param { return param{Name: name, Kind: kFunction, Optional: true} }

var enc = base64.RawURLEncoding

// phaseSteps numbers the phases of deriveKeys for the progress callback.
var phaseSteps = map[vault.Phase]int{vault.PhaseArgon2id: 1, vault.PhaseHKDF: 2, vault.PhaseDone: 3}

var methods = []method{
	{"checkKdf", []param{obj("kdf")}, func(c *call) (any, error) {
		kdf := c.args[0]
		p := c.kdfParams(kdf)
		salt, saltBytes := kdf.Get("salt"), kdf.Get("saltBytes")
		var n uint64
		switch {
		case !absent(salt) && absent(saltBytes):
			if salt.Type() != js.TypeString {
				c.fail(usage("kdf.salt must be a string, not " + typeName(salt)))
			} else {
				n = uint64(len(c.bytes(salt.String(), "kdf.salt", 0)))
			}
		case absent(salt) && !absent(saltBytes):
			n = c.whole(saltBytes, "kdf.saltBytes", 1<<16)
		default:
			c.fail(usage("kdf must have salt (an account's, from prelogin) or saltBytes (the published parameters), not " + map[bool]string{true: "both", false: "neither"}[!absent(salt)]))
		}
		if c.err != nil {
			return nil, c.err
		}
		if err := p.Check(); err != nil {
			return nil, err
		}
		return js.Undefined(), vault.CheckSaltBytes(int(n))
	}},
	{"deriveKeys", []param{str("password"), obj("kdf"), optFn("onProgress")}, func(c *call) (any, error) {
		kdf := c.args[1]
		p := c.kdfParams(kdf)
		salt := c.bytes(c.str(kdf, "kdf", "salt"), "kdf.salt", 0)
		if c.err != nil {
			return nil, c.err
		}
		var progress func(vault.Phase)
		if len(c.args) > 2 && c.args[2].Type() == js.TypeFunction {
			cb := c.args[2]
			progress = func(ph vault.Phase) {
				cb.Invoke(map[string]any{"phase": string(ph), "step": phaseSteps[ph], "steps": len(phaseSteps)})
			}
		}
		k, err := vault.DeriveKeys(c.args[0].String(), p, salt, progress)
		// argon2id's 64 MiB are garbage now: collected at once, a second
		// derivation (a password change derives twice) reuses them instead
		// of growing WebAssembly memory, which never shrinks (67 MiB
		// instead of 131 after two; docs/PERFORMANCE.md).
		runtime.GC()
		if err != nil {
			return nil, err
		}
		return map[string]any{"authKey": enc.EncodeToString(k.Auth[:]), "wrapKey": enc.EncodeToString(k.Wrap[:])}, nil
	}},
	{"newSalt", []param{num("saltBytes")}, func(c *call) (any, error) {
		n := c.whole(c.args[0], "saltBytes", 1<<16)
		if c.err != nil {
			return nil, c.err
		}
		salt, err := vault.NewSalt(rand.Reader, int(n))
		if err != nil {
			return nil, err
		}
		return enc.EncodeToString(salt), nil
	}},
	{"newVaultKey", nil, func(c *call) (any, error) {
		k, err := vault.NewVaultKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return enc.EncodeToString(k[:]), nil
	}},
	{"wrapVaultKey", []param{str("wrapKey"), str("vaultKey")}, func(c *call) (any, error) {
		wk := c.key(c.args[0].String(), "wrapKey")
		vk := c.key(c.args[1].String(), "vaultKey")
		if c.err != nil {
			return nil, c.err
		}
		w, err := vault.WrapVaultKey(rand.Reader, wk, vk)
		if err != nil {
			return nil, err
		}
		return enc.EncodeToString(w), nil
	}},
	{"unwrapVaultKey", []param{str("wrapKey"), str("wrappedKey")}, func(c *call) (any, error) {
		wk := c.key(c.args[0].String(), "wrapKey")
		wrapped := c.bytes(c.args[1].String(), "wrappedKey", 0)
		if c.err != nil {
			return nil, c.err
		}
		vk, err := vault.UnwrapVaultKey(wk, wrapped)
		if err != nil {
			return nil, err
		}
		return enc.EncodeToString(vk[:]), nil
	}},
	{"seal", []param{obj("input")}, func(c *call) (any, error) {
		in := c.args[0]
		vk := c.key(c.str(in, "input", "vaultKey"), "input.vaultKey")
		at := c.place(in, "input")
		last := c.lastSeen(in, "input")
		now := c.num(in, "input", "now", vault.MaxVersion)
		// heyan-vault.js refuses strings with lone surrogates, which would
		// otherwise reach Go as U+FFFD.
		plaintext := []byte(c.str(in, "input", "plaintext"))
		if c.err != nil {
			return nil, c.err
		}
		s, err := vault.Seal(rand.Reader, vk, at, last, time.UnixMilli(int64(now)), plaintext)
		if err != nil {
			return nil, err
		}
		return map[string]any{"data": enc.EncodeToString(s.Data), "version": float64(s.Version)}, nil
	}},
	{"open", []param{obj("input")}, func(c *call) (any, error) {
		in := c.args[0]
		vk := c.key(c.str(in, "input", "vaultKey"), "input.vaultKey")
		at := c.place(in, "input")
		last := c.lastSeen(in, "input")
		data := c.bytes(c.str(in, "input", "data"), "input.data", 0)
		if c.err != nil {
			return nil, c.err
		}
		o, err := vault.Open(vk, at, data, last)
		if err != nil {
			return nil, err
		}
		if !utf8.Valid(o.Content) {
			return nil, &vault.Error{Code: vault.ECodeBadFormat,
				ZH: "记录 " + strconv.Quote(at.RecordID) + " 的内容不是 UTF-8 文本：它不是核验助手写入的。",
				EN: "record " + strconv.Quote(at.RecordID) + " holds content that is not UTF-8 text: Heyan did not write it"}
		}
		return map[string]any{"plaintext": string(o.Content), "version": float64(o.Version)}, nil
	}},
}

// limits are the client's bounds, for the user interface and for checks
// before a call.
func limits() map[string]any {
	return map[string]any{
		"alg":               vault.AlgArgon2id,
		"minMemoryKiB":      vault.MinMemoryKiB,
		"maxMemoryKiB":      vault.MaxMemoryKiB,
		"minIterations":     vault.MinIterations,
		"maxIterations":     vault.MaxIterations,
		"minParallelism":    vault.MinParallelism,
		"maxParallelism":    vault.MaxParallelism,
		"minSaltBytes":      vault.MinSaltBytes,
		"maxSaltBytes":      vault.MaxSaltBytes,
		"maxPasswordBytes":  vault.MaxPasswordBytes,
		"maxPlaintextBytes": vault.MaxContent,
		"maxVersion":        float64(vault.MaxVersion),
	}
}

func main() {
	raw := js.Global().Get("Object").New()
	for _, m := range methods {
		raw.Set(m.name, m.fn())
	}
	raw.Set("version", Version)
	raw.Set("limits", limits())
	js.Global().Set("__heyanVaultRaw", raw)
	if ready := js.Global().Get("__heyanVaultRawReady"); ready.Type() == js.TypeFunction {
		ready.Invoke(raw)
	}
	select {} // keep serving calls
}
