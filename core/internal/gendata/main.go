// Command gendata compiles core/data/*.txt into Go: core/data_gen.go holds
// the knowledge base, the verifier rules, the validators' problems and the
// phone prefixes as Go values, and core/detector_gen.go the message
// detector's automaton. Run it with `go generate ./core`.
//
// The core is built, not parsed, when it starts: the Go compiler lays these
// values out as static data, so the WebAssembly module the extension loads
// runs no code for them before its first call (docs/PERFORMANCE.md). The
// data files stay the source of truth: this command refuses a file it cannot
// read (naming file and line), the core's tests lint what it wrote, and a
// test fails when the generated files are stale.
//
// core does not use //go:embed either: the embed package links io/fs and
// time, which add about 230 KB to the WebAssembly build.
//
// Usage (from core/):
//
//	go run ./internal/gendata            write data_gen.go and detector_gen.go
//	go run ./internal/gendata -check     fail when they are stale
//	go run ./internal/gendata -empty DIR write both files with no data into DIR
//	                                     (the benchmark's floor: the core without
//	                                     its knowledge)
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	check := flag.Bool("check", false, "fail when the generated files are stale")
	empty := flag.String("empty", "", "write generated files with no data into this directory")
	flag.Parse()
	var d *Data
	if *empty == "" {
		var err error
		if d, err = Load("data"); err != nil {
			fmt.Fprintln(os.Stderr, "gendata:", err)
			os.Exit(1)
		}
	} else {
		d = &Data{}
	}
	files, err := Generate(d)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
	dir := "."
	if *empty != "" {
		dir = *empty
	}
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		if *check {
			cur, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(cur, f.Source) {
				fmt.Fprintln(os.Stderr, "gendata: core/"+f.Name+" is stale: run go generate ./core")
				os.Exit(1)
			}
			continue
		}
		if err := os.WriteFile(path, f.Source, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gendata:", err)
			os.Exit(1)
		}
	}
}

// Load reads and checks every data file in dir.
func Load(dir string) (*Data, error) {
	read := func(name string) (string, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		return string(b), err
	}
	d := &Data{}
	text, err := read("knowledge.txt")
	if err != nil {
		return nil, err
	}
	if d.Entries, err = parseKnowledge("knowledge.txt", text); err != nil {
		return nil, err
	}
	if text, err = read("verifiers.txt"); err != nil {
		return nil, err
	}
	if d.Rules, err = parseVerifiers("verifiers.txt", text); err != nil {
		return nil, err
	}
	if text, err = read("problems.txt"); err != nil {
		return nil, err
	}
	if d.Problems, d.Warnings, err = parseProblems("problems.txt", text); err != nil {
		return nil, err
	}
	if text, err = read("phone-prefixes.txt"); err != nil {
		return nil, err
	}
	if d.Prefixes, err = parsePrefixes("phone-prefixes.txt", text); err != nil {
		return nil, err
	}
	return d, nil
}

// Data is everything in core/data, read and checked.
type Data struct {
	Entries  []*Entry
	Rules    *Verifiers
	Problems []Notice
	Warnings []Notice
	Prefixes []string
}
