package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// sourceManifest is extension/manifest.json as scripts/bundle builds it (the
// version stamped in).
func sourceManifest(t *testing.T, version string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../extension/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["version"] = version
	out, _ := json.Marshal(m)
	return out
}

// fakeBuild writes a built extension with the source manifest and a few files.
func fakeBuild(t *testing.T, version string) (src, versionFile string) {
	t.Helper()
	dir := t.TempDir()
	src = filepath.Join(dir, "extension")
	files := map[string]string{
		"manifest.json":                 string(sourceManifest(t, version)),
		"background/service-worker.js":  "// worker",
		"content/miit.js":               "// content",
		"core/heyan-core.wasm":          "\x00asm",
		"_locales/zh_CN/messages.json":  "{}",
		"pages/popup/popup.html":        "<!doctype html>",
		"pages/popup/popup.js":          "// popup",
		"ui/i18n.js":                    "// i18n",
		"icons/icon-16.png":             "png",
		"content/miit-main-world.js":    "// main world",
		"background/deeper/a/module.js": "// nested",
	}
	for name, body := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	versionFile = filepath.Join(dir, "VERSION")
	os.WriteFile(versionFile, []byte(version+"\n"), 0o644)
	return src, versionFile
}

// readZip returns a package's file names in order and its manifest.
func readZip(t *testing.T, p string) ([]string, map[string]any) {
	t.Helper()
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	var m map[string]any
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(zipTime) {
			t.Errorf("%s: %s dated %v, want the fixed %v", p, f.Name, f.Modified, zipTime)
		}
		if f.Name == "manifest.json" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			r.Close()
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s manifest.json: %v", p, err)
			}
		}
	}
	return names, m
}

// TestStoreManifests: each package has every file of the build and the built
// manifest less exactly the keys its browser does not read.
func TestStoreManifests(t *testing.T) {
	src, vf := fakeBuild(t, "1.2.3")
	out := t.TempDir()
	written, err := writePackages(src, vf, out)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(out, "heyan-chrome-1.2.3.zip"), filepath.Join(out, "heyan-firefox-1.2.3.zip")}; !slices.Equal(written, want) {
		t.Fatalf("wrote %v, want %v", written, want)
	}
	var built map[string]any
	json.Unmarshal(sourceManifest(t, "1.2.3"), &built)
	wantFiles, _ := listFiles(src)
	for _, c := range []struct {
		zip string
		// drop removes from a copy of the built manifest what the store's lacks.
		drop func(m map[string]any)
	}{
		{"heyan-chrome-1.2.3.zip", func(m map[string]any) {
			delete(m["background"].(map[string]any), "scripts")
			delete(m, "browser_specific_settings")
		}},
		{"heyan-firefox-1.2.3.zip", func(m map[string]any) {
			delete(m["background"].(map[string]any), "service_worker")
			for _, w := range m["web_accessible_resources"].([]any) {
				delete(w.(map[string]any), "use_dynamic_url")
			}
		}},
	} {
		names, got := readZip(t, filepath.Join(out, c.zip))
		if !slices.Equal(names, wantFiles) || !slices.IsSorted(names) {
			t.Errorf("%s holds %v, want the build's files in order %v", c.zip, names, wantFiles)
		}
		var want map[string]any
		b, _ := json.Marshal(built)
		json.Unmarshal(b, &want)
		c.drop(want)
		if !reflect.DeepEqual(got, want) {
			g, _ := json.MarshalIndent(got, "", " ")
			w, _ := json.MarshalIndent(want, "", " ")
			t.Errorf("%s manifest:\n%s\nwant:\n%s", c.zip, g, w)
		}
		if got["version"] != "1.2.3" {
			t.Errorf("%s: version %v, want 1.2.3", c.zip, got["version"])
		}
	}
	// What each store's browser is told to run.
	_, chrome := readZip(t, filepath.Join(out, "heyan-chrome-1.2.3.zip"))
	_, firefox := readZip(t, filepath.Join(out, "heyan-firefox-1.2.3.zip"))
	if bg := chrome["background"].(map[string]any); bg["service_worker"] != "background/service-worker.js" || bg["scripts"] != nil {
		t.Errorf("Chrome's background = %v, want the service worker alone", bg)
	}
	if bg := firefox["background"].(map[string]any); !reflect.DeepEqual(bg["scripts"], []any{"background/service-worker.js"}) || bg["service_worker"] != nil {
		t.Errorf("Firefox's background = %v, want the module as background.scripts alone", bg)
	}
	gecko := firefox["browser_specific_settings"].(map[string]any)["gecko"].(map[string]any)
	if gecko["id"] == "" || gecko["strict_min_version"] == nil || gecko["data_collection_permissions"] == nil {
		t.Errorf("Firefox's gecko settings = %v, want id, strict_min_version and data_collection_permissions", gecko)
	}
}

// TestPackagesAreReproducible: the same build gives the same bytes.
func TestPackagesAreReproducible(t *testing.T) {
	src, vf := fakeBuild(t, "0.1.0")
	a, b := t.TempDir(), t.TempDir()
	if _, err := writePackages(src, vf, a); err != nil {
		t.Fatal(err)
	}
	// Touch every file: times must not matter.
	filepath.Walk(src, func(p string, _ os.FileInfo, _ error) error {
		os.Chtimes(p, zipTime.AddDate(20, 0, 0), zipTime.AddDate(20, 0, 0))
		return nil
	})
	if _, err := writePackages(src, vf, b); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"heyan-chrome-0.1.0.zip", "heyan-firefox-0.1.0.zip"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two packagings of the same build", name)
		}
	}
}

// TestVersionMustAgree: a build whose manifest does not carry VERSION's
// version is not packaged (it would go to a store under the wrong number).
func TestVersionMustAgree(t *testing.T) {
	src, vf := fakeBuild(t, "0.1.0")
	os.WriteFile(vf, []byte("0.2.0\n"), 0o644)
	_, err := writePackages(src, vf, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), `"0.1.0"`) || !strings.Contains(err.Error(), "0.2.0") {
		t.Fatalf("err = %v, want one naming both versions", err)
	}
}

// TestUnpackRoundTrip: unpacking a package gives the build's files.
func TestUnpackRoundTrip(t *testing.T) {
	src, vf := fakeBuild(t, "0.1.0")
	out := t.TempDir()
	if _, err := writePackages(src, vf, out); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "unpacked")
	if err := unpackZip(filepath.Join(out, "heyan-chrome-0.1.0.zip"), dir); err != nil {
		t.Fatal(err)
	}
	got, _ := listFiles(dir)
	want, _ := listFiles(src)
	if !slices.Equal(got, want) {
		t.Fatalf("unpacked %v, want %v", got, want)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "core", "heyan-core.wasm"))
	if string(b) != "\x00asm" {
		t.Fatalf("core/heyan-core.wasm = %q", b)
	}
}

// TestUnpackRefusesEscapes: an entry that would land outside the folder.
func TestUnpackRefusesEscapes(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("../evil.js")
	w.Write([]byte("x"))
	zw.Close()
	p := filepath.Join(t.TempDir(), "evil.zip")
	os.WriteFile(p, b.Bytes(), 0o644)
	dir := filepath.Join(t.TempDir(), "out")
	if err := unpackZip(p, dir); err == nil {
		t.Fatal("unpacked an entry that leaves the folder")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "evil.js")); err == nil {
		t.Fatal("wrote outside the folder")
	}
}
