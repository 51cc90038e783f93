package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStampVersion: the built manifest gets VERSION's version after its
// name; a source manifest with a version of its own is refused.
func TestStampVersion(t *testing.T) {
	p := filepath.Join(t.TempDir(), "manifest.json")
	os.WriteFile(p, []byte(`{"manifest_version": 3, "name": "x", "description": "y"}`), 0o644)
	if err := stampVersion(p, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	want := "{\n  \"manifest_version\": 3,\n  \"name\": \"x\",\n  \"version\": \"1.2.3\",\n  \"description\": \"y\"\n}\n"
	if string(b) != want {
		t.Fatalf("stamped manifest:\n%s\nwant:\n%s", b, want)
	}
	if err := stampVersion(p, "1.2.4"); err == nil || !strings.Contains(err.Error(), "VERSION") {
		t.Fatalf("a manifest with a version of its own: err = %v, want one pointing at VERSION", err)
	}
}
