//go:build js && wasm

package main

import (
	"os"
	"slices"
	"strings"
	"syscall/js"
	"testing"

	"github.com/heyan-dev/heyan/core"
	"github.com/heyan-dev/heyan/wasm/internal/jsargs"
)

// These run under Node (GOOS=js GOARCH=wasm go test) against the real glue.

func call(name string, args ...any) js.Value {
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
	boom := method{name: "boom", params: []jsargs.Param{str("x")}, call: func(w *jsonWriter, _ []js.Value, _ core.Lang) error {
		w.obj()
		w.fStr("half", "written")
		var m map[string]int
		m["x"] = 1 // nil map write: a real runtime panic
		return nil
	}}
	f := boom.fn()
	defer f.Release()
	for i := 0; i < 3; i++ {
		v := f.Invoke("x")
		if !isError(v) || v.Get("code").String() != "internal" || !strings.Contains(v.Get("message").String(), "heyanCore.boom: internal error") {
			t.Fatalf("panic returned %v", v)
		}
	}
	if v := call("checkCode", "123456"); isError(v) || v.String() != `{"valid":true,"normalized":"123456","problems":[]}` {
		t.Fatalf("a normal call after panics: %v", v)
	}
}

func TestArgumentChecks(t *testing.T) {
	for _, c := range []struct {
		name string
		args []any
		want string
	}{
		{"diagnose", nil, "heyanCore.diagnose: expected (text: string, lang?: string), got 0 arguments"},
		{"diagnose", []any{1}, "heyanCore.diagnose: expected (text: string, lang?: string), but text is a number"},
		{"checkId", []any{"31002X", 5}, "but docType is a number"},
		{"track", []any{"[]", "2026-05-01T09:00:00Z"}, "but events is a string"},
		{"track", []any{[]any{map[string]any{"type": "sms-received"}}, "2026-05-01T09:00:00Z"}, "events[0].at must be an RFC 3339 string, not undefined"},
		{"track", []any{[]any{}, "now", "en"}, "nowISO is not an RFC 3339 time"},
		{"track", []any{[]any{}, "now"}, "nowISO 不是 RFC 3339 时间"},
		{"who", []any{"douyin-miniapp", "x", "en"}, "valid scenarios: first-filing"},
		{"kb", []any{"verify-complete", "fr"}, "unknown language"},
		{"kb", []any{"nope"}, "heyanCore.kb: 没有这个知识条目：\"nope\""},
		{"kb", []any{"nope", "en"}, "heyanCore.kb: no knowledge entry \"nope\""},
	} {
		v := call(c.name, c.args...)
		if !isError(v) || !strings.Contains(v.Get("message").String(), c.want) {
			t.Errorf("%s(%v) = %v, want an Error containing %q", c.name, c.args, v, c.want)
		}
	}
}

func TestJSONWriter(t *testing.T) {
	var w jsonWriter
	w.obj()
	w.key("a")
	w.str("x\"\\\n\x01é\xff")
	w.key("b")
	w.arr()
	w.int(1)
	w.bool(true)
	w.null()
	w.obj()
	w.end()
	w.arr()
	w.endArr()
	w.endArr()
	w.key("c\"")
	w.intOrNull(nil)
	w.end()
	if got, want := string(w.b), `{"a":"x\"\\\u000a\u0001é\ufffd","b":[1,true,null,{},[]],"c\"":null}`; got != want {
		t.Errorf("jsonWriter wrote %s, want %s", got, want)
	}
}

// TestErrorCodesInTheContract: heyan-core.d.ts lists as CoreErrorCode
// exactly the core's error codes, and as HeyanCoreErrorCode those and the
// glue's own.
func TestErrorCodesInTheContract(t *testing.T) {
	dts, err := os.ReadFile("heyan-core.d.ts")
	if err != nil {
		t.Fatal(err)
	}
	union := func(name string) []string {
		_, rest, ok := strings.Cut(string(dts), "export type "+name+" =")
		if !ok {
			t.Fatalf("heyan-core.d.ts has no type %s", name)
		}
		decl, _, _ := strings.Cut(rest, ";")
		var out []string
		for _, part := range strings.Split(decl, "|") {
			out = append(out, strings.Trim(strings.TrimSpace(part), `"`))
		}
		return out
	}
	codes := union("CoreErrorCode")
	if !slices.Equal(slices.Sorted(slices.Values(codes)), slices.Sorted(slices.Values(coreCodes()))) {
		t.Errorf("heyan-core.d.ts CoreErrorCode = %v, the core's codes are %v", codes, coreCodes())
	}
	if got, want := union("HeyanCoreErrorCode"), []string{"CoreErrorCode", "usage", "internal"}; !slices.Equal(got, want) {
		t.Errorf("heyan-core.d.ts HeyanCoreErrorCode = %v, want %v", got, want)
	}
}

func coreCodes() []string { return core.ErrorCodes }

func TestRulesAnswerOnce(t *testing.T) {
	first := call("rules", "en").String()
	again := call("rules", "en-US").String()
	zh := call("rules").String()
	if first != again || first == zh || !strings.Contains(first, `"tries":5`) || !strings.Contains(zh, "主办单位负责人") {
		t.Errorf("rules en %s\nagain %s\nzh %s", first, again, zh)
	}
	if v := call("rules", "fr"); !isError(v) || v.Get("code").String() != "unknown-lang" {
		t.Errorf("rules(fr) = %v, want an unknown-lang Error", v)
	}
}
