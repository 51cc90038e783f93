// Command bundle builds the loadable extension from extension/ into an output
// folder (scripts/build-extension runs it with dist/extension): the service
// worker, the pages, the shared UI and messages.js as the ES modules they are;
// each site's content script bundled from its module sources into one classic
// script with esbuild (content scripts cannot be modules), and the MAIN-world
// reader into a bundle of its own; the core (heyan-core.wasm, its loader and
// Go's wasm_exec.js) copied from the wasm build; the manifest gets the
// project's version from the VERSION file (its one place: the source
// manifest has none). It then checks that every file the manifest names is
// there.
//
//	go run ./scripts/bundle -src extension -core dist/wasm -out dist/extension -version-file VERSION
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/heyan-dev/heyan/scripts/internal/manifest"
)

// bundles are the content scripts built from module sources: entry point
// under extension/ → output file under the output folder, as the manifest
// names it, or as the worker registers it (content/douyin.js, the Douyin
// console's, while its optional host permission is granted:
// extension/douyin-console.js).
var bundles = []struct{ entry, out string }{
	{"content/miit/index.js", "content/miit.js"},
	{"content/miit/main-world.js", "content/miit-main-world.js"},
	{"content/douyin/index.js", "content/douyin.js"},
}

// copied are the folders and files of extension/ that the browser loads as
// they are (ES modules, pages, locales, icons), beside every .js module at
// the root of extension/ (messages.js, send.js, storage-keys.js...: shared by
// the worker, the pages and the bundles). The rest of extension/ is sources
// of the bundles (content/), tests (test/, e2e/) and tools (tools/).
var copied = []string{"manifest.json", "_locales", "icons", "background", "pages", "ui"}

// coreFiles are what the wasm build writes and the extension loads from core/.
var coreFiles = []string{"heyan-core.wasm", "heyan-core.js", "wasm_exec.js", "heyan-vault.wasm", "heyan-vault.js"}

func main() {
	src := flag.String("src", "extension", "the extension's sources")
	core := flag.String("core", "dist/wasm", "the core's build (scripts/build-wasm)")
	out := flag.String("out", "dist/extension", "where to write the extension")
	versionFile := flag.String("version-file", "VERSION", "the project's version, its one place")
	flag.Parse()
	version, err := manifest.ReadVersion(*versionFile)
	if err == nil {
		err = build(*src, *core, *out, version)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

func build(src, core, out, version string) error {
	for _, f := range coreFiles {
		if _, err := os.Stat(filepath.Join(core, f)); err != nil {
			return fmt.Errorf("%s is missing: run scripts/build-wasm first", filepath.Join(core, f))
		}
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	roots, err := filepath.Glob(filepath.Join(src, "*.js"))
	if err != nil {
		return err
	}
	for _, r := range roots {
		if err := copyFile(r, filepath.Join(out, filepath.Base(r))); err != nil {
			return err
		}
	}
	for _, c := range copied {
		if err := copyTree(filepath.Join(src, c), filepath.Join(out, c)); err != nil {
			return err
		}
	}
	if err := stampVersion(filepath.Join(out, "manifest.json"), version); err != nil {
		return err
	}
	for _, f := range coreFiles {
		if err := copyFile(filepath.Join(core, f), filepath.Join(out, "core", f)); err != nil {
			return err
		}
	}
	absSrc, err := filepath.Abs(src)
	if err != nil {
		return err
	}
	absCore, err := filepath.Abs(core)
	if err != nil {
		return err
	}
	for _, b := range bundles {
		if err := bundle(filepath.Join(absSrc, b.entry), filepath.Join(out, b.out), absSrc, absCore); err != nil {
			return err
		}
	}
	return checkManifest(out)
}

// bundle writes one classic script (an IIFE) from a module entry point. The
// sources import the core's loader where the build puts it (core/ beside
// the extension's root, as the worker and the pages do); here it comes from
// the wasm build.
func bundle(entry, outFile, srcRoot, coreDir string) error {
	coreAtBuild := api.Plugin{
		Name: "core-from-wasm-build",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `/core/(heyan-core|wasm_exec)\.js$`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
				p := filepath.Join(a.ResolveDir, a.Path)
				rel, err := filepath.Rel(srcRoot, p)
				if err != nil || filepath.Dir(rel) != "core" {
					return api.OnResolveResult{}, nil // not the extension's core/: resolve as usual
				}
				return api.OnResolveResult{Path: filepath.Join(coreDir, filepath.Base(rel))}, nil
			})
		},
	}
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{entry},
		Outfile:     outFile,
		Bundle:      true,
		Write:       true,
		Format:      api.FormatIIFE,
		// The oldest browsers the manifest admits (minimum_chrome_version,
		// gecko strict_min_version).
		Engines: []api.Engine{{Name: api.EngineChrome, Version: "121"}, {Name: api.EngineFirefox, Version: "142"}},
		// The site's texts stay readable in the bundle (a store reviewer
		// reads it; content scripts are UTF-8).
		Charset:       api.CharsetUTF8,
		LegalComments: api.LegalCommentsNone,
		Plugins:       []api.Plugin{coreAtBuild},
		LogLevel:      api.LogLevelWarning,
	})
	if len(res.Errors) > 0 {
		msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return fmt.Errorf("bundling %s:\n%s", entry, strings.Join(msgs, ""))
	}
	return nil
}

// stampVersion writes the project's version into the built manifest, after
// its name. A version in the source manifest is a second place that could
// disagree: refused.
func stampVersion(p, version string) error {
	raw, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	m, err := manifest.Parse(raw)
	if err != nil {
		return fmt.Errorf("manifest.json: %w", err)
	}
	if m.Has("version") {
		return errors.New(`extension/manifest.json has a "version": the version's one place is the VERSION file`)
	}
	if err := m.Set("version", version, "name"); err != nil {
		return err
	}
	b, err := m.Indented()
	if err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}

// checkManifest fails when the manifest names a file the build did not write.
func checkManifest(out string) error {
	raw, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		return err
	}
	var m struct {
		Background struct {
			ServiceWorker string   `json:"service_worker"`
			Scripts       []string `json:"scripts"`
		} `json:"background"`
		Action struct {
			DefaultPopup string            `json:"default_popup"`
			DefaultIcon  map[string]string `json:"default_icon"`
		} `json:"action"`
		Icons          map[string]string `json:"icons"`
		ContentScripts []struct {
			JS []string `json:"js"`
		} `json:"content_scripts"`
		WebAccessibleResources []struct {
			Resources []string `json:"resources"`
		} `json:"web_accessible_resources"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("manifest.json: %w", err)
	}
	named := append([]string{m.Background.ServiceWorker, m.Action.DefaultPopup}, m.Background.Scripts...)
	for _, cs := range m.ContentScripts {
		named = append(named, cs.JS...)
	}
	for _, w := range m.WebAccessibleResources {
		named = append(named, w.Resources...)
	}
	for _, icons := range []map[string]string{m.Icons, m.Action.DefaultIcon} {
		for _, p := range icons {
			named = append(named, p)
		}
	}
	var missing []string
	for _, p := range named {
		if p == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(out, p)); errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("manifest.json names files the build did not write: %s", strings.Join(missing, ", "))
	}
	return nil
}

func copyTree(from, to string) error {
	info, err := os.Stat(from)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return copyFile(from, to)
	}
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() || strings.HasSuffix(p, ".md") {
			return nil
		}
		return copyFile(p, filepath.Join(to, rel))
	})
}

func copyFile(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	outF, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(outF, in); err != nil {
		outF.Close()
		return err
	}
	return outF.Close()
}
