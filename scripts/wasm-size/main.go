// Command wasm-size says what a Go WebAssembly build is made of: the bytes
// of each package's functions (from the module's name section, so build it
// without -s -w) and of its data. scripts/bench-core runs it on the core and
// on a bare Go program to say what each dependency costs in the core itself,
// not in a probe program that uses one function of it.
//
// Usage: go run ./scripts/wasm-size -pkg ./wasm FILE.wasm
//
// -pkg is the package the file was built from; its dependencies (go list
// -deps under GOOS=js GOARCH=wasm) name the packages. It prints JSON:
// {"data": bytes, "code": {"package": bytes, ...}}, where compiler-made
// functions (type equality and hashing) count as "(compiler)".
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
)

func main() {
	pkg := flag.String("pkg", "", "the package the file was built from")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: wasm-size [-pkg PATTERN] FILE.wasm")
		os.Exit(2)
	}
	if err := run(*pkg, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "wasm-size:", err)
		os.Exit(1)
	}
}

func run(pkg, file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	m, err := parse(b)
	if err != nil {
		return err
	}
	if len(m.names) == 0 {
		return errors.New(file + " has no name section: build it without -ldflags=-s -w")
	}
	var pkgs []string
	if pkg != "" {
		cmd := exec.Command("go", "list", "-deps", pkg)
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("go list: %v", err)
		}
		pkgs = strings.Fields(string(out))
	}
	// The name section writes a package path with _ for / and -.
	mangled := map[string]string{}
	for _, p := range pkgs {
		mangled[strings.NewReplacer("/", "_", "-", "_").Replace(p)] = p
	}
	code := map[string]int{}
	for i, size := range m.bodies {
		code[owner(m.names[m.imports+i], mangled)] += size
	}
	return json.NewEncoder(os.Stdout).Encode(struct {
		Data int            `json:"data"`
		Code map[string]int `json:"code"`
	}{m.data, code})
}

// owner returns the package a function belongs to: the longest package
// whose mangled path and a dot begin the name.
func owner(name string, mangled map[string]string) string {
	if strings.HasPrefix(name, "type_.") || strings.HasPrefix(name, "type:") {
		return "(compiler)"
	}
	keys := make([]string, 0, len(mangled))
	for k := range mangled {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		if strings.HasPrefix(name, k+".") {
			return mangled[k]
		}
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		return name[:i]
	}
	return "(other)"
}

type module struct {
	imports int
	bodies  []int
	data    int
	names   map[int]string
}

func uleb(b []byte, i int) (uint64, int, error) {
	var x uint64
	for s := uint(0); i < len(b); s += 7 {
		c := b[i]
		i++
		x |= uint64(c&0x7f) << s
		if c&0x80 == 0 {
			return x, i, nil
		}
	}
	return 0, i, errors.New("truncated LEB128 number")
}

// parse reads the sections that say what is where: imports (function
// indexes start after them), code (a body per function), data, and the
// custom "name" section.
func parse(b []byte) (*module, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New("not a WebAssembly module")
	}
	m := &module{names: map[int]string{}}
	for i := 8; i < len(b); {
		id := b[i]
		n, j, err := uleb(b, i+1)
		if err != nil || j+int(n) > len(b) {
			return nil, errors.New("a section runs past the end")
		}
		sec := b[j : j+int(n)]
		i = j + int(n)
		switch id {
		case 2:
			if m.imports, err = countFuncImports(sec); err != nil {
				return nil, err
			}
		case 10:
			cnt, k, err := uleb(sec, 0)
			if err != nil {
				return nil, err
			}
			for c := 0; c < int(cnt); c++ {
				l, k2, err := uleb(sec, k)
				if err != nil {
					return nil, err
				}
				m.bodies = append(m.bodies, int(l)+k2-k)
				k = k2 + int(l)
			}
		case 11:
			m.data += len(sec)
		case 0:
			nl, k, err := uleb(sec, 0)
			if err != nil || k+int(nl) > len(sec) || string(sec[k:k+int(nl)]) != "name" {
				continue
			}
			readNames(sec[k+int(nl):], m.names)
		}
	}
	return m, nil
}

func countFuncImports(sec []byte) (int, error) {
	cnt, k, err := uleb(sec, 0)
	if err != nil {
		return 0, err
	}
	funcs := 0
	skip := func() error { // a name: length and bytes
		l, k2, err := uleb(sec, k)
		k = k2 + int(l)
		return err
	}
	for c := 0; c < int(cnt); c++ {
		if err := skip(); err != nil {
			return 0, err
		}
		if err := skip(); err != nil {
			return 0, err
		}
		kind := sec[k]
		k++
		switch kind {
		case 0: // function: a type index
			funcs++
			_, k, err = uleb(sec, k)
		case 1: // table: element type, limits
			k++
			var flags uint64
			flags, k, err = uleb(sec, k)
			if _, k, err = uleb(sec, k); err == nil && flags&1 != 0 {
				_, k, err = uleb(sec, k)
			}
		case 2: // memory: limits
			var flags uint64
			flags, k, err = uleb(sec, k)
			if _, k, err = uleb(sec, k); err == nil && flags&1 != 0 {
				_, k, err = uleb(sec, k)
			}
		case 3: // global: value type, mutability
			k += 2
		}
		if err != nil {
			return 0, err
		}
	}
	return funcs, nil
}

func readNames(b []byte, names map[int]string) {
	for k := 0; k < len(b); {
		sub := b[k]
		l, k2, err := uleb(b, k+1)
		if err != nil || k2+int(l) > len(b) {
			return
		}
		ss := b[k2 : k2+int(l)]
		k = k2 + int(l)
		if sub != 1 { // function names
			continue
		}
		cnt, q, err := uleb(ss, 0)
		for c := 0; c < int(cnt) && err == nil; c++ {
			var idx, nl uint64
			if idx, q, err = uleb(ss, q); err != nil {
				return
			}
			if nl, q, err = uleb(ss, q); err != nil || q+int(nl) > len(ss) {
				return
			}
			names[int(idx)] = string(ss[q : q+int(nl)])
			q += int(nl)
		}
	}
}
