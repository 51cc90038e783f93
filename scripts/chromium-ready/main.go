// Command chromium-ready measures, in headless Chromium, how long a page
// takes from its first script to a ready Go WebAssembly program: the core
// (wasm_exec.js, heyan-core.js, loadHeyanCore) and a bare Go program
// (wasm_exec.js and a main that only says it is ready), loaded alternately,
// each in a new browser with a new profile (cold: no HTTP or code cache).
// scripts/bench-core runs it and writes the result into docs/PERFORMANCE.md.
//
// Usage: go run ./scripts/chromium-ready -dir DIR [-runs N]
//
// DIR holds heyan-core.wasm, wasm_exec.js and heyan-core.js (dist/wasm) and
// bare.wasm, a Go program that calls globalThis.__bareReady from main. It
// prints JSON: {"chromium": version, "core": [ms...], "bare": [ms...]}.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// The pages start their clock in their first script, before wasm_exec.js
// is fetched, and stop it when the program is ready.
const (
	corePage = `<!doctype html><meta charset="utf-8"><title>core</title>
<script>window.__t0 = performance.now();</script>
<script src="wasm_exec.js"></script>
<script src="heyan-core.js"></script>
<script>
loadHeyanCore("heyan-core.wasm").then(() => { window.__readyMs = performance.now() - window.__t0; },
  (err) => { window.__readyError = String(err); });
</script>`
	barePage = `<!doctype html><meta charset="utf-8"><title>bare</title>
<script>window.__t0 = performance.now();</script>
<script src="wasm_exec.js"></script>
<script>
const go = new Go();
globalThis.__bareReady = () => { window.__readyMs = performance.now() - window.__t0; };
WebAssembly.instantiateStreaming(fetch("bare.wasm"), go.importObject).then((r) => go.run(r.instance),
  (err) => { window.__readyError = String(err); });
</script>`
)

func main() {
	dir := flag.String("dir", "dist/wasm", "directory with the .wasm and .js files")
	runs := flag.Int("runs", 5, "cold loads of each page")
	flag.Parse()
	if err := run(*dir, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "chromium-ready:", err)
		os.Exit(1)
	}
}

func run(dir string, runs int) error {
	for _, f := range []string{"heyan-core.wasm", "bare.wasm", "wasm_exec.js", "heyan-core.js"} {
		if _, err := os.Stat(dir + "/" + f); err != nil {
			return err
		}
	}
	mux := http.NewServeMux()
	files := http.FileServer(http.Dir(dir))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/core.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(corePage))
		case "/bare.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(barePage))
		default:
			if strings.HasSuffix(r.URL.Path, ".wasm") {
				w.Header().Set("Content-Type", "application/wasm") // for instantiateStreaming
			}
			files.ServeHTTP(w, r)
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	out := struct {
		Chromium string    `json:"chromium"`
		Core     []float64 `json:"core"`
		Bare     []float64 `json:"bare"`
	}{Chromium: chromiumVersion()}
	for i := 0; i < runs; i++ {
		// Alternate which goes first, so that neither always meets a warmer
		// machine.
		order := []string{"core", "bare"}
		if i%2 == 1 {
			order = []string{"bare", "core"}
		}
		for _, page := range order {
			ms, err := coldLoad(base + "/" + page + ".html")
			if err != nil {
				return fmt.Errorf("%s: %w", page, err)
			}
			if page == "core" {
				out.Core = append(out.Core, ms)
			} else {
				out.Bare = append(out.Bare, ms)
			}
		}
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

func chromiumPath() string {
	for _, p := range []string{os.Getenv("HEYAN_CHROMIUM"), "chromium", "chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	return "chromium"
}

func chromiumVersion() string {
	b, err := exec.Command(chromiumPath(), "--version").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

// coldLoad opens url in a new headless Chromium with an empty profile and
// returns the page's script-start-to-ready time.
func coldLoad(url string) (float64, error) {
	profile, err := os.MkdirTemp("", "chromium-ready-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(profile)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath()),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return 0, err
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[readyResult](`new Promise((resolve) => {
		const tick = () => window.__readyMs !== undefined || window.__readyError !== undefined
			? resolve({ms: window.__readyMs || 0, error: window.__readyError || ""})
			: setTimeout(tick, 5);
		tick();
	})`, chromedp.EvalAwaitPromise))
	if err == nil && res.Error != "" {
		err = fmt.Errorf("the page failed: %s", res.Error)
	}
	return res.MS, err
}

type readyResult struct {
	MS    float64 `json:"ms"`
	Error string  `json:"error"`
}
