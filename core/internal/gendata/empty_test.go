//go:build !js

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmptyData: with no data the generator still writes a core that
// builds for the browser (the benchmark's floor).
func TestEmptyData(t *testing.T) {
	files, err := Generate(&Data{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	replace := map[string]string{}
	for _, f := range files {
		if !strings.Contains(string(f.Source), "package core") {
			t.Fatalf("%s is not of package core", f.Name)
		}
		path := filepath.Join(dir, f.Name)
		if err := os.WriteFile(path, f.Source, 0o644); err != nil {
			t.Fatal(err)
		}
		abs, err := filepath.Abs(filepath.Join("..", "..", f.Name))
		if err != nil {
			t.Fatal(err)
		}
		replace[abs] = path
	}
	overlay, _ := json.Marshal(map[string]any{"Replace": replace})
	ov := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ov, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-overlay", ov, "-o", os.DevNull, "../..")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the core with no data does not build: %v\n%s", err, out)
	}
}
