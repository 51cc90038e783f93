package server

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneUnauthorized lints the server and its stores: a CodeUnauthorized
// error is made only by Unauthorized, so every failed credential check
// answers with the same body and no store can drift from it.
func TestOneUnauthorized(t *testing.T) {
	isUnauthorized := func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name == "CodeUnauthorized"
		case *ast.SelectorExpr:
			return x.Sel.Name == "CodeUnauthorized"
		}
		return false
	}
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files++
		ast.Inspect(f, func(n ast.Node) bool {
			if fn, ok := n.(*ast.FuncDecl); ok && fn.Name.Name == "Unauthorized" && fn.Recv == nil && path == "error.go" {
				return false // the one constructor
			}
			var bad bool
			switch x := n.(type) {
			case *ast.CallExpr:
				bad = len(x.Args) > 0 && isUnauthorized(x.Args[0])
			case *ast.KeyValueExpr:
				k, ok := x.Key.(*ast.Ident)
				bad = ok && k.Name == "Code" && isUnauthorized(x.Value)
			}
			if bad {
				t.Errorf("%s: makes a CodeUnauthorized error; use Unauthorized()", fset.Position(n.Pos()))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("linted only %d files; is the walk rooted at server/?", files)
	}
}
