package e2e

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// repoRoot is the repository's root, from this file's place.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// projectVersion is the version's one place, the VERSION file.
func projectVersion(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(), "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// zippedManifest reads manifest.json out of a store package.
func zippedManifest(t testing.TB, zipPath string) map[string]any {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open("manifest.json")
	if err != nil {
		t.Fatalf("%s: %v", zipPath, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s manifest.json: %v", zipPath, err)
	}
	return m
}

// loadedVersion is the version of the extension under test as Chromium
// loaded it, from chrome://extensions (developerPrivate, the API that page
// draws its cards from).
func loadedVersion(t *testing.T, e *env) string {
	t.Helper()
	ctx := e.sharedTab(t, 30*time.Second)
	do(t, ctx, chromedp.Navigate("chrome://extensions/"))
	waitJS(t, ctx, `typeof chrome.developerPrivate?.getExtensionsInfo === "function"`, 10*time.Second)
	v := evalAwait[string](t, ctx, `chrome.developerPrivate.getExtensionsInfo().then((all) => {
		const x = all.find((x) => x.id === `+"`"+e.extensionID()+"`"+`);
		return x ? x.version : "";
	})`)
	if v == "" {
		t.Fatalf("chrome://extensions does not list the extension %s", e.extensionID())
	}
	return v
}

// TestOneVersionEverywhere: the version in VERSION is the one Chromium
// loaded from the Chrome package, the Firefox package's, the core's inside
// the package (heyanCore.version) and what `heyan version` prints.
func TestOneVersionEverywhere(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	want := projectVersion(t)
	root := repoRoot()
	got := map[string]string{}
	got["chrome://extensions"] = loadedVersion(t, e)
	for _, store := range []string{"chrome", "firefox"} {
		p := filepath.Join(root, "dist", "heyan-"+store+"-"+want+".zip")
		v, _ := zippedManifest(t, p)["version"].(string)
		got[filepath.Base(p)] = v
	}
	ctx := e.sharedTab(t, 30*time.Second)
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	got["heyanCore.version (in the MIIT page)"] = evalExt[string](t, ctx, `heyanCore.version`)
	out, err := exec.Command(filepath.Join(root, "bin", "heyan"), "version", "--json").Output()
	if err != nil {
		t.Fatalf("bin/heyan version (scripts/build-cli writes it): %v", err)
	}
	var v struct{ Version string }
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("bin/heyan version --json: %v: %s", err, out)
	}
	got["bin/heyan version"] = v.Version
	for where, v := range got {
		if v != want {
			t.Errorf("%s has version %q, VERSION says %q", where, v, want)
		}
	}
}
