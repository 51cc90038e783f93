package core

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestErrorCodesListsEveryCode: ErrorCodes holds every ECode constant of
// errors.go, so that the contract's list (checked against ErrorCodes by
// the wasm tests) cannot miss a new one.
func TestErrorCodesListsEveryCode(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var consts []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			for i, n := range v.Names {
				if strings.HasPrefix(n.Name, "ECode") {
					code, _ := strconv.Unquote(v.Values[i].(*ast.BasicLit).Value)
					consts = append(consts, code)
				}
			}
		}
	}
	if len(consts) == 0 {
		t.Fatal("no ECode constants found in errors.go")
	}
	if got, want := slices.Sorted(slices.Values(ErrorCodes)), slices.Sorted(slices.Values(consts)); !slices.Equal(got, want) {
		t.Errorf("ErrorCodes = %v, the ECode constants are %v", got, want)
	}
}

type asAnError struct{ inner *Error }

func (a asAnError) Error() string { return "as" }
func (a asAnError) As(target any) bool {
	if p, ok := target.(**Error); ok {
		*p = a.inner
		return true
	}
	return false
}

// TestAsErrorIsErrorsAs: AsError finds what errors.As finds, in every shape
// of error tree.
func TestAsErrorIsErrorsAs(t *testing.T) {
	e := &Error{Code: ECodeBadTime, EN: "bad time"}
	for _, err := range []error{
		nil,
		e,
		fmt.Errorf("wrapped: %w", e),
		fmt.Errorf("twice: %w", fmt.Errorf("once: %w", e)),
		errors.Join(errors.New("first"), fmt.Errorf("second: %w", e)),
		fmt.Errorf("%w and %w", errors.New("a"), e),
		asAnError{e},
		fmt.Errorf("wrapped: %w", asAnError{e}),
		errors.New("plain"),
		errors.Join(errors.New("a"), errors.New("b")),
	} {
		var want *Error
		wantOK := errors.As(err, &want)
		got, ok := AsError(err)
		if got != want || ok != wantOK {
			t.Errorf("AsError(%v) = %v, %v; errors.As gives %v, %v", err, got, ok, want, wantOK)
		}
	}
}
