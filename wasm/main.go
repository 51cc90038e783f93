//go:build js && wasm

// Command wasm is the core compiled for the browser. It registers the raw
// methods on globalThis.__heyanCoreRaw and calls globalThis.__heyanCoreRawReady;
// heyan-core.js (beside this file) turns them into the heyanCore object of
// the contract in heyan-core.d.ts. The glue stays thin: argument checks,
// conversion between JS values and core types, nothing else.
//
// Go functions called from JS cannot throw, so a failing call returns a JS
// Error object and heyan-core.js throws it; a successful one returns its
// result as a JSON string (see json.go), which heyan-core.js parses. A panic is recovered into such an
// Error, and the runtime keeps serving later calls.
package main

import (
	"strconv"
	"syscall/js"

	"github.com/heyan-dev/heyan/core"
	"github.com/heyan-dev/heyan/wasm/internal/jsargs"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

// method is one heyanCore method: its parameters and its call, which writes
// its result as JSON.
type method struct {
	name   string
	params []jsargs.Param
	call   func(w *jsonWriter, args []js.Value, lang core.Lang) error
}

func str(name string) jsargs.Param { return jsargs.Param{Name: name, Kind: jsargs.String} }
func opt(name string) jsargs.Param {
	return jsargs.Param{Name: name, Kind: jsargs.String, Optional: true}
}
func list(name string) jsargs.Param { return jsargs.Param{Name: name, Kind: jsargs.Array} }

// check validates argument count and types, naming the method and what was
// expected.
func (m method) check(args []js.Value) string {
	if msg := jsargs.Check(m.params, args); msg != "" {
		return "heyanCore." + m.name + ": " + msg
	}
	return ""
}

// typeName says what a value is, for a message.
var typeName = jsargs.TypeName

var jsError = js.Global().Get("Error")

// newError makes the JS Error that heyan-core.js throws; code is a core
// error code, or "usage" for a wrong call, or "internal" for a panic.
func newError(code, msg string) js.Value {
	e := jsError.New(msg)
	e.Set("code", code)
	return e
}

func (m method) fn() js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = newError("internal", "heyanCore."+m.name+": internal error: "+panicText(r))
			}
		}()
		if msg := m.check(args); msg != "" {
			return newError("usage", msg)
		}
		var tag string
		if last := len(m.params) - 1; last >= 0 && m.params[last].Name == "lang" {
			tag = arg(args, last)
		}
		lang, err := core.ParseLang(tag)
		if err != nil {
			lang = core.LangEN // a caller who sent an unknown tag reads English best
		} else {
			out.b, out.comma = out.b[:0], false
			if err = m.call(&out, args, lang); err == nil {
				return string(out.b)
			}
		}
		if ce, ok := core.AsError(err); ok {
			return newError(ce.Code, "heyanCore."+m.name+": "+ce.Message(lang))
		}
		return newError("internal", "heyanCore."+m.name+": "+err.Error())
	})
}

// out is the JSON of the call being answered. Calls do not overlap (Go's
// runtime in the browser runs one JS callback at a time), so one buffer,
// grown once, serves them all.
var out jsonWriter

func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "panic"
}

// arg returns the i-th argument as a string, "" when it is absent.
func arg(args []js.Value, i int) string {
	if i >= len(args) || args[i].Type() != js.TypeString {
		return ""
	}
	return args[i].String()
}

var methods = []method{
	{"diagnose", []jsargs.Param{str("text"), opt("lang")}, func(w *jsonWriter, a []js.Value, l core.Lang) error {
		writeDiagnosis(w, core.Diagnose(a[0].String(), l))
		return nil
	}},
	{"who", []jsargs.Param{str("platform"), str("scenario"), opt("lang")}, func(w *jsonWriter, a []js.Value, l core.Lang) error {
		r, err := core.Verifiers(a[0].String(), a[1].String(), l)
		if err == nil {
			writeWho(w, r)
		}
		return err
	}},
	{"questions", []jsargs.Param{str("platform"), opt("lang")}, func(w *jsonWriter, a []js.Value, l core.Lang) error {
		r, err := core.Questions(a[0].String(), l)
		if err == nil {
			writeQuestions(w, r)
		}
		return err
	}},
	{"checkPhone", []jsargs.Param{str("value"), opt("lang")}, func(w *jsonWriter, a []js.Value, l core.Lang) error {
		writeCheck(w, core.CheckPhone(a[0].String(), l))
		return nil
	}},
	{"checkId", []jsargs.Param{str("value"), opt("docType"), opt("province"), opt("lang")}, func(w *jsonWriter, a []js.Value, l core.Lang) error {
		r, err := core.CheckID(a[0].String(), arg(a, 1), arg(a, 2), l)
		if err == nil {
			writeCheck(w, r)
		}
		return err
	}},
	{"checkCode", []jsargs.Param{str("value"), opt("lang")}, func(w *jsonWriter, a []js.Value, l core.Lang) error {
		writeCheck(w, core.CheckCode(a[0].String(), l))
		return nil
	}},
	{"track", []jsargs.Param{list("events"), str("nowISO"), opt("lang")}, func(w *jsonWriter, a []js.Value, l core.Lang) error {
		events, err := eventsFromJS(a[0])
		if err != nil {
			return err
		}
		now, err := core.ParseTime("nowISO", a[1].String())
		if err != nil {
			return err
		}
		r, err := core.Track(events, now, l)
		if err == nil {
			writeTrack(w, r)
		}
		return err
	}},
	{"kb", []jsargs.Param{str("id"), opt("lang")}, func(w *jsonWriter, a []js.Value, l core.Lang) error {
		e, err := core.Lookup(a[0].String())
		if err == nil {
			writeEntry(w, e.View(l))
		}
		return err
	}},
	{"rules", []jsargs.Param{opt("lang")}, func(w *jsonWriter, _ []js.Value, l core.Lang) error {
		// The same for every call in a language: written once.
		i := 0
		if l == core.LangEN {
			i = 1
		}
		if rulesJSON[i] == nil {
			var rw jsonWriter
			writeRules(&rw, core.Rules(l))
			rulesJSON[i] = rw.b
		}
		w.b = append(w.b, rulesJSON[i]...)
		return nil
	}},
}

// rulesJSON is rules() in zh-CN and in English, once asked for.
var rulesJSON [2][]byte

// eventsFromJS reads track events, naming the event and field that is wrong.
func eventsFromJS(v js.Value) ([]core.Event, error) {
	n := v.Length()
	events := make([]core.Event, 0, n)
	for i := 0; i < n; i++ {
		e := v.Index(i)
		where := "events[" + strconv.Itoa(i) + "]"
		if e.Type() != js.TypeObject {
			return nil, badEvent(where + " must be an object {type, status, at}, not " + typeName(e))
		}
		t, at, st := e.Get("type"), e.Get("at"), e.Get("status")
		if t.Type() != js.TypeString {
			return nil, badEvent(where + ".type must be a string, not " + typeName(t))
		}
		if at.Type() != js.TypeString {
			return nil, badEvent(where + ".at must be an RFC 3339 string, not " + typeName(at))
		}
		ev := core.Event{Type: t.String(), At: at.String()}
		switch st.Type() {
		case js.TypeUndefined, js.TypeNull:
		case js.TypeNumber:
			f := st.Float()
			if f != float64(int(f)) {
				return nil, badEvent(where + ".status must be a whole number")
			}
			s := int(f)
			ev.Status = &s
		default:
			return nil, badEvent(where + ".status must be a number, not " + typeName(st))
		}
		events = append(events, ev)
	}
	return events, nil
}

func badEvent(msg string) error {
	return &core.Error{Code: core.ECodeBadEvent, ZH: msg, EN: msg}
}

func main() {
	raw := js.Global().Get("Object").New()
	for _, m := range methods {
		raw.Set(m.name, m.fn())
	}
	raw.Set("version", Version)
	js.Global().Set("__heyanCoreRaw", raw)
	if ready := js.Global().Get("__heyanCoreRawReady"); ready.Type() == js.TypeFunction {
		ready.Invoke(raw)
	}
	select {} // keep serving calls
}
