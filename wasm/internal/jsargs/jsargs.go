//go:build js && wasm

// Package jsargs checks the arguments a JavaScript caller passes to a Go
// function of the WebAssembly glue (heyanCore's and heyanVault's): their
// count and types, with a message that names what was expected as the .d.ts
// contracts write it ("expected (value: string, lang?: string), got 0
// arguments").
package jsargs

import (
	"strconv"
	"syscall/js"
)

// Kind is the JS type a parameter must have.
type Kind int

// The kinds of parameter.
const (
	String Kind = iota
	Array
	Number
	Object
	Function
)

func (k Kind) String() string {
	return [...]string{"string", "array", "number", "object", "function"}[k]
}

// Param is one parameter: its name in the contract, its kind, and whether it
// may be left out (undefined or null).
type Param struct {
	Name     string
	Kind     Kind
	Optional bool
}

var isArray = js.Global().Get("Array").Get("isArray")

// TypeName says what a value is, for a message: "a number", "an array", "null".
func TypeName(v js.Value) string {
	switch v.Type() {
	case js.TypeUndefined:
		return "undefined"
	case js.TypeNull:
		return "null"
	case js.TypeObject:
		if isArray.Invoke(v).Bool() {
			return "an array"
		}
		return "an object"
	}
	return "a " + v.Type().String()
}

// Has tells whether v is of kind k (an Object is not an array).
func Has(v js.Value, k Kind) bool {
	switch k {
	case String:
		return v.Type() == js.TypeString
	case Number:
		return v.Type() == js.TypeNumber
	case Function:
		return v.Type() == js.TypeFunction
	case Array:
		return v.Type() == js.TypeObject && isArray.Invoke(v).Bool()
	}
	return v.Type() == js.TypeObject && !isArray.Invoke(v).Bool()
}

// Absent tells whether an optional argument was left out.
func Absent(v js.Value) bool { return v.Type() == js.TypeUndefined || v.Type() == js.TypeNull }

// Signature renders the parameters as the contracts write them.
func Signature(ps []Param) string {
	s := "("
	for i, p := range ps {
		if i > 0 {
			s += ", "
		}
		s += p.Name
		if p.Optional {
			s += "?"
		}
		s += ": " + p.Kind.String()
	}
	return s + ")"
}

// Check validates the count and types of args against ps: "" when they
// fit, else what was expected and what came.
func Check(ps []Param, args []js.Value) string {
	required := 0
	for _, p := range ps {
		if !p.Optional {
			required++
		}
	}
	prefix := "expected " + Signature(ps)
	if len(args) < required || len(args) > len(ps) {
		s := "s"
		if len(args) == 1 {
			s = ""
		}
		return prefix + ", got " + strconv.Itoa(len(args)) + " argument" + s
	}
	for i, a := range args {
		p := ps[i]
		if p.Optional && Absent(a) {
			continue
		}
		if !Has(a, p.Kind) {
			return prefix + ", but " + p.Name + " is " + TypeName(a)
		}
	}
	return ""
}
