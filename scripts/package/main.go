// Command package writes the store packages of the built extension
// (scripts/package-extension runs it after scripts/build-extension):
//
//	dist/heyan-chrome-<version>.zip   Chrome Web Store, Edge Add-ons, other Chromium browsers
//	dist/heyan-firefox-<version>.zip  addons.mozilla.org
//
// Both hold the same files as dist/extension; only manifest.json differs,
// each derived from the one built manifest by dropping what the other
// browser alone reads (see stores). The zips are reproducible: files in
// path order, one fixed time, the same mode, so the same build gives the
// same bytes.
//
//	go run ./scripts/package -src dist/extension -version-file VERSION -out dist
//	go run ./scripts/package -unpack dist/heyan-chrome-0.1.0.zip -to DIR
package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/heyan-dev/heyan/scripts/internal/manifest"
)

// zipTime is the time of every file in a package: a fixed one, so that a
// package depends on its contents only.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// A store is one package: its name in the file name and how its manifest
// differs from the built one.
type store struct {
	name   string
	derive func(*manifest.Object) (*manifest.Object, error)
}

// stores are the packages written. Each drops the keys only the other
// browser reads.
var stores = []store{
	{"chrome", chromeManifest},
	{"firefox", firefoxManifest},
}

func main() {
	src := flag.String("src", "dist/extension", "the built extension (scripts/build-extension)")
	versionFile := flag.String("version-file", "VERSION", "the project's version, its one place")
	out := flag.String("out", "dist", "where to write the packages")
	unpack := flag.String("unpack", "", "instead: extract this package…")
	to := flag.String("to", "", "…into this folder (emptied first)")
	flag.Parse()
	var err error
	if *unpack != "" {
		err = unpackZip(*unpack, *to)
	} else {
		var written []string
		written, err = writePackages(*src, *versionFile, *out)
		for _, w := range written {
			fmt.Println(w)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "package:", err)
		os.Exit(1)
	}
}

// writePackages writes one zip per store from the built extension at src and
// returns their paths. The built manifest's version must be the project's.
func writePackages(src, versionFile, out string) ([]string, error) {
	want, err := manifest.ReadVersion(versionFile)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(filepath.Join(src, "manifest.json"))
	if err != nil {
		return nil, err
	}
	built, err := manifest.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s/manifest.json: %w", src, err)
	}
	var version string
	if _, err := built.Get("version", &version); err != nil || version != want {
		return nil, fmt.Errorf("%s/manifest.json has version %q, %s says %s: run scripts/build-extension", src, version, versionFile, want)
	}
	files, err := listFiles(src)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, s := range stores {
		m, err := s.derive(copyOf(built))
		if err != nil {
			return nil, fmt.Errorf("%s manifest: %w", s.name, err)
		}
		mb, err := m.Indented()
		if err != nil {
			return nil, err
		}
		zb, err := zipFiles(src, files, mb)
		if err != nil {
			return nil, err
		}
		p := filepath.Join(out, fmt.Sprintf("heyan-%s-%s.zip", s.name, version))
		if err := os.WriteFile(p, zb, 0o644); err != nil {
			return nil, err
		}
		written = append(written, p)
	}
	return written, nil
}

func copyOf(o *manifest.Object) *manifest.Object {
	b, _ := o.MarshalJSON()
	c, _ := manifest.Parse(b)
	return c
}

// chromeManifest is the manifest for Chromium browsers: the worker runs as
// background.service_worker, so background.scripts (Firefox's way to run
// it) goes, and browser_specific_settings (Firefox's add-on ID, minimum
// version and data collection declaration), which Chromium does not read.
func chromeManifest(m *manifest.Object) (*manifest.Object, error) {
	bg, err := m.Object("background")
	if err != nil || bg == nil {
		return nil, errors.New("no background")
	}
	if !bg.Has("service_worker") {
		return nil, errors.New("background has no service_worker")
	}
	bg.Delete("scripts")
	if err := m.Set("background", bg, ""); err != nil {
		return nil, err
	}
	m.Delete("browser_specific_settings")
	return m, nil
}

// firefoxManifest is the manifest for addons.mozilla.org: Firefox runs the
// worker's module as background.scripts (an event page), so
// background.service_worker goes (web-ext lint: BACKGROUND_SERVICE_WORKER_IGNORED);
// and web_accessible_resources' use_dynamic_url, which Firefox does not know
// and warns about when it loads the add-on. It needs none: Firefox gives
// each installation its own random moz-extension:// origin, so a page cannot
// probe for the add-on by a fixed URL, which is what the key prevents in
// Chromium. The add-on's ID, minimum Firefox version and data collection
// declaration are the source's browser_specific_settings.gecko, which must
// be there: AMO needs the ID to sign updates of the same add-on, and the
// declaration of every new add-on.
func firefoxManifest(m *manifest.Object) (*manifest.Object, error) {
	bg, err := m.Object("background")
	if err != nil || bg == nil {
		return nil, errors.New("no background")
	}
	var scripts []string
	if _, err := bg.Get("scripts", &scripts); err != nil || len(scripts) == 0 {
		return nil, errors.New("background has no scripts")
	}
	bg.Delete("service_worker")
	if err := m.Set("background", bg, ""); err != nil {
		return nil, err
	}
	var wars []*manifest.Object
	if _, err := m.Get("web_accessible_resources", &wars); err != nil {
		return nil, fmt.Errorf("web_accessible_resources: %w", err)
	}
	if wars != nil {
		for _, w := range wars {
			w.Delete("use_dynamic_url")
		}
		if err := m.Set("web_accessible_resources", wars, ""); err != nil {
			return nil, err
		}
	}
	var bss struct {
		Gecko struct {
			ID                        string          `json:"id"`
			StrictMinVersion          string          `json:"strict_min_version"`
			DataCollectionPermissions json.RawMessage `json:"data_collection_permissions"`
		} `json:"gecko"`
	}
	if _, err := m.Get("browser_specific_settings", &bss); err != nil || bss.Gecko.ID == "" || bss.Gecko.StrictMinVersion == "" || bss.Gecko.DataCollectionPermissions == nil {
		return nil, errors.New("browser_specific_settings.gecko needs id, strict_min_version and data_collection_permissions")
	}
	return m, nil
}

// listFiles lists the regular files under dir as slash paths, in order.
func listFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	return files, err // WalkDir goes in lexical order
}

// zipFiles zips the files under dir, manifest.json replaced by manifestJSON.
func zipFiles(dir string, files []string, manifestJSON []byte) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		h := &zip.FileHeader{Name: f, Method: zip.Deflate, Modified: zipTime}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if f == "manifest.json" {
			_, err = w.Write(manifestJSON)
		} else {
			err = copyInto(w, filepath.Join(dir, filepath.FromSlash(f)))
		}
		if err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func copyInto(w io.Writer, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// unpackZip extracts a package into dir, as a browser's "load unpacked"
// wants it.
func unpackZip(zipPath, dir string) error {
	if dir == "" {
		return errors.New("-unpack needs -to")
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return err
	}
	defer zr.Close()
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for _, f := range zr.File {
		name := path.Clean(f.Name)
		if !fs.ValidPath(name) || strings.HasSuffix(f.Name, "/") {
			if strings.HasSuffix(f.Name, "/") {
				continue // a folder entry; ours have none
			}
			return fmt.Errorf("%s: entry %q leaves the folder", zipPath, f.Name)
		}
		to := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		r, err := f.Open()
		if err != nil {
			return err
		}
		w, err := os.Create(to)
		if err == nil {
			_, err = io.Copy(w, r)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
		}
		r.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
