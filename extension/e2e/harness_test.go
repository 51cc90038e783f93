package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// env is what every browser test shares: the replica server and the paths.
type env struct {
	replica *Replica
	port    string
	ext     string // the Chrome package (dist/heyan-chrome-<version>.zip), unpacked
	shots   string // screenshots/

	main    sharedBrowser // most tests
	people  sharedBrowser // the tests that save people from the bar
	options sharedBrowser // the options page's tests: they add, delete and import records
}

// sharedBrowser is one browser (zh-CN, its own profile) that several tests
// open tabs in, started by the first of them.
type sharedBrowser struct {
	once sync.Once
	ctx  context.Context
	stop context.CancelFunc
	err  error
}

func (e *env) tabIn(t *testing.T, b *sharedBrowser, limit time.Duration) context.Context {
	t.Helper()
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "heyan-e2e-profile-")
		if err != nil {
			b.err = err
			return
		}
		ctx, stop := e.browser(t, dir, "zh-CN", true)
		b.ctx, b.stop = ctx, func() { stop(); os.RemoveAll(dir) }
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return tab(t, b.ctx, limit)
}

// sharedTab opens a tab in the browser that most tests share.
func (e *env) sharedTab(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	return e.tabIn(t, &e.main, limit)
}

// peopleTab opens a tab in the browser of the tests that save people from
// the bar: their people and the rounds kept under their filings stay out of
// the other tests' way.
func (e *env) peopleTab(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	return e.tabIn(t, &e.people, limit)
}

var shared *env

func TestMain(m *testing.M) {
	if os.Getenv("HEYAN_E2E") != "1" {
		// The browser tests need Chromium, the npm tools and a built extension;
		// scripts/test-extension provides them and sets HEYAN_E2E=1.
		fmt.Println("e2e: browser tests skipped (run scripts/test-extension)")
		os.Exit(m.Run())
	}
	_, file, _, _ := runtime.Caller(0)
	here := filepath.Dir(file)
	root := filepath.Join(here, "..", "..")
	e := &env{shots: filepath.Join(root, "screenshots")}
	version, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	pkg := filepath.Join(root, "dist", "heyan-chrome-"+strings.TrimSpace(string(version))+".zip")
	for _, need := range []string{pkg, filepath.Join(here, "replica", "templates.gen.js")} {
		if _, err := os.Stat(need); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: %s missing: run scripts/test-extension\n", need)
			os.Exit(1)
		}
	}
	// The tests load what the Chrome Web Store gets: the package, unpacked
	// as "Load unpacked" wants it, by the project's own unzipper.
	if e.ext, err = unpackPackage(root, pkg); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	os.MkdirAll(e.shots, 0o755)
	e.replica = NewReplica(filepath.Join(here, "replica"), filepath.Join(here, "..", "tools", "node_modules"))
	srv := httptest.NewUnstartedServer(e.replica)
	srv.StartTLS()
	_, e.port, _ = net.SplitHostPort(srv.Listener.Addr().String())
	shared = e
	code := m.Run()
	for _, b := range []*sharedBrowser{&e.main, &e.people, &e.options} {
		if b.stop != nil {
			b.stop()
		}
	}
	srv.Close()
	os.RemoveAll(e.ext)
	os.Exit(code)
}

// unpackPackage extracts the store package zip into a new temporary folder.
func unpackPackage(root, zip string) (string, error) {
	dir, err := os.MkdirTemp("", "heyan-e2e-chrome-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "run", "./scripts/package", "-unpack", zip, "-to", dir)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("unpacking %s: %v\n%s", zip, err, out)
	}
	return dir, nil
}

func needE2E(t *testing.T) *env {
	t.Helper()
	if shared == nil {
		t.Skip("browser tests run from scripts/test-extension (HEYAN_E2E=1)")
	}
	return shared
}

func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	return "/usr/bin/chromium"
}

// browser starts Chromium with the extension on the profile dir; lang picks
// the UI language the extension sees. The returned context is the first tab.
func (e *env) browser(t testing.TB, profile, lang string, extension bool) (context.Context, context.CancelFunc) {
	t.Helper()
	dir := ""
	if extension {
		dir = e.ext
	}
	return e.browserWith(t, profile, lang, dir)
}

// browserWith starts Chromium with the unpacked extension in dir ("" for
// none) on the profile dir.
func (e *env) browserWith(t testing.TB, profile, lang, dir string) (context.Context, context.CancelFunc) {
	t.Helper()
	rules := fmt.Sprintf("MAP beian.miit.gov.cn 127.0.0.1:%s, MAP hlwicpfwc.miit.gov.cn 127.0.0.1:%s, MAP developer.open-douyin.com 127.0.0.1:%s", e.port, e.port, e.port)
	// Built by hand: chromedp's defaults include --disable-extensions.
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
		chromedp.Flag("ignore-certificate-errors", true),
		chromedp.Flag("host-resolver-rules", rules),
		chromedp.Flag("lang", lang),
		chromedp.Env("LANGUAGE="+strings.ReplaceAll(lang, "-", "_"), "LANG="+strings.ReplaceAll(lang, "-", "_")+".UTF-8"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(profile),
	}
	if dir != "" {
		opts = append(opts,
			chromedp.Flag("load-extension", dir),
			chromedp.Flag("disable-extensions-except", dir))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, func() { cancelCtx(); cancelAlloc() }
}

// extWorld follows the JavaScript world of the extension's content script in
// one tab (an "isolated" context whose origin is chrome-extension://…). Our
// shadow roots are closed, so the page's own world cannot reach them, and
// neither can a test evaluating there; in the content script's world,
// chrome.dom.openOrClosedShadowRoot can.
type extWorld struct {
	mu sync.Mutex
	id string // the context's uniqueId; "" while the page has none
}

type extWorldKey struct{}

func (w *extWorld) listen(ev any) {
	switch ev := ev.(type) {
	case *cdpruntime.EventExecutionContextCreated:
		var aux struct {
			Type string `json:"type"`
		}
		json.Unmarshal([]byte(ev.Context.AuxData), &aux)
		if aux.Type == "isolated" && strings.HasPrefix(ev.Context.Origin, "chrome-extension://") {
			w.mu.Lock()
			w.id = ev.Context.UniqueID
			w.mu.Unlock()
		}
	case *cdpruntime.EventExecutionContextDestroyed:
		w.mu.Lock()
		if w.id == ev.ExecutionContextUniqueID {
			w.id = ""
		}
		w.mu.Unlock()
	case *cdpruntime.EventExecutionContextsCleared:
		w.mu.Lock()
		w.id = ""
		w.mu.Unlock()
	}
}

func (w *extWorld) current() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.id
}

// tab opens a new tab in the browser of ctx, with a time limit.
func tab(t testing.TB, ctx context.Context, limit time.Duration) context.Context {
	t.Helper()
	w := &extWorld{}
	tctx, cancel := chromedp.NewContext(ctx, chromedp.WithListener(w.listen))
	t.Cleanup(cancel)
	tctx = context.WithValue(tctx, extWorldKey{}, w)
	tctx, cancel2 := context.WithTimeout(tctx, limit)
	t.Cleanup(cancel2)
	return tctx
}

func (e *env) url(route string, query string) string {
	u := "https://beian.miit.gov.cn/"
	if query != "" {
		u += "?" + query
	}
	return u + "#" + route
}

func do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// evalAwait evaluates js and waits for the promise it gives.
func evalAwait[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// waitJS polls a page expression until it is truthy.
func waitJS(t testing.TB, ctx context.Context, js string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+js+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (last error %v)", js, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// tryEvalExt evaluates js in the extension's content-script world of the
// tab of ctx.
func tryEvalExt[T any](ctx context.Context, js string, opts ...chromedp.EvaluateOption) (T, error) {
	var zero T
	w, _ := ctx.Value(extWorldKey{}).(*extWorld)
	if w == nil {
		return zero, errors.New("not a tab made by tab()")
	}
	id := w.current()
	if id == "" {
		return zero, errors.New("no content script in the page (yet)")
	}
	opts = append(opts, func(p *cdpruntime.EvaluateParams) { p.UniqueContextID = id })
	return chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
}

// evalExt evaluates js in the content script's world: the DOM is the page's,
// the JavaScript globals are the extension's (chrome.dom, heyanStats).
func evalExt[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := tryEvalExt[T](ctx, js)
	if err != nil {
		t.Fatalf("eval (extension world) %s: %v", js, err)
	}
	return v
}

// waitExt polls an expression in the content script's world until it is truthy.
func waitExt(t testing.TB, ctx context.Context, js string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ok, err := tryEvalExt[bool](ctx, "!!("+js+")")
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (last error %v)", js, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// waitFor polls an expression in the content script's world until it is
// truthy or limit passes, and says which.
func waitFor(ctx context.Context, js string, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for {
		if ok, err := tryEvalExt[bool](ctx, "!!("+js+")"); err == nil && ok {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// clickExt clicks the element that js (in the content script's world) names,
// with a real mouse event: our controls act only on trusted input.
func clickExt(t testing.TB, ctx context.Context, js string) {
	t.Helper()
	type pt struct{ X, Y float64 }
	var p pt
	deadline := time.Now().Add(5 * time.Second)
	for {
		raw, err := tryEvalExt[string](ctx, `(() => { const el = `+js+`; if (!el) return "";
			el.scrollIntoView({block: "center"}); const r = el.getBoundingClientRect();
			return r.width && r.height ? JSON.stringify({X: r.left + r.width / 2, Y: r.top + r.height / 2}) : ""; })()`)
		if err == nil && raw != "" {
			json.Unmarshal([]byte(raw), &p)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing to click at %s (last error %v)", js, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
	do(t, ctx, chromedp.MouseClickXY(p.X, p.Y))
}

// typeInto types text into the visible form's field with real key events, the
// way a user does.
func typeInto(t testing.TB, ctx context.Context, placeholder, text string) {
	t.Helper()
	sel := fmt.Sprintf(`.tab-card[style*="block"] input[placeholder=%q]`, placeholder)
	do(t, ctx, chromedp.Click(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// typeVerify types an SMS code, the phone and the ID last 6 into the visible
// verify form, as a user does.
func typeVerify(t testing.TB, ctx context.Context, phone, idLast6 string) {
	t.Helper()
	typeInto(t, ctx, "请输短信验证码", "123456")
	typeInto(t, ctx, "请输入手机号", phone)
	typeInto(t, ctx, "请输入证件号码后6位", idLast6)
}

// solveCaptcha drags the slider onto the gap, as a person does.
func solveCaptcha(t testing.TB, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, `document.querySelector(".verify-move-block")`, 5*time.Second)
	type geo struct{ X, Y, Gap float64 }
	g := eval[geo](t, ctx, `(() => { const b = document.querySelector(".verify-move-block").getBoundingClientRect();
		const gap = parseFloat(document.querySelector(".verify-gap").style.left);
		return {X: b.left + b.width/2, Y: b.top + b.height/2, Gap: gap}; })()`)
	steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, g.X, g.Y, chromedp.ButtonLeft)}
	for i := 1; i <= 5; i++ {
		steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, g.X+g.Gap*float64(i)/5, g.Y, chromedp.ButtonLeft))
	}
	steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, g.X+g.Gap, g.Y, chromedp.ButtonLeft))
	do(t, ctx, steps...)
	waitJS(t, ctx, `!document.querySelector(".verify-mask")`, 5*time.Second)
}

func screenshot(t testing.TB, ctx context.Context, e *env, name string) {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.WriteFile(filepath.Join(e.shots, name+".png"), b, 0o644)
}

// extensionID is the ID Chromium gives the unpacked extension: derived from
// its absolute path (SHA-256, the first 16 bytes in hex, digits 0-f written
// a-p), so the popup can be opened while the worker sleeps.
func (e *env) extensionID() string {
	return extensionIDOf(e.ext)
}

// extensionIDOf is the ID Chromium gives the unpacked extension in ext.
func extensionIDOf(ext string) string {
	dir, err := filepath.EvalSymlinks(ext)
	if err != nil {
		dir = ext
	}
	sum := sha256.Sum256([]byte(dir))
	id := []byte(hex.EncodeToString(sum[:16]))
	for i, c := range id {
		if c >= 'a' {
			id[i] = c - 'a' + 10 + 'a'
		} else {
			id[i] = c - '0' + 'a'
		}
	}
	return string(id)
}

// wakeWorker sends the worker a harmless message from the tab of ctx (the
// MIIT page's content script, or an extension page): an idle service worker
// is stopped, and a message starts it again.
func wakeWorker(ctx context.Context) {
	const js = `(chrome.runtime.sendMessage({type: "view", phone: "", idLast6: "", lang: "zh-CN"}).catch(() => 0), true)`
	if _, err := tryEvalExt[bool](ctx, js); err != nil {
		chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof chrome === "object" && chrome.runtime?.sendMessage ? `+js+` : false`))
	}
}

// serviceWorker attaches to the extension's service worker in the browser of
// ctx, for evaluating in it (waking it when it sleeps); it also gives the
// extension's ID. The test's end only detaches: chromedp's default is to
// close the target a context attached to, and closing the worker of a shared
// browser cuts off every other test's message in flight (a card without
// counts, a bar that never updates).
func serviceWorker(t testing.TB, ctx context.Context) (context.Context, string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for tries := 0; ; tries++ {
		if tries%20 == 10 {
			wakeWorker(ctx)
		}
		targets, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range targets {
			if ti.Type == "service_worker" && strings.HasSuffix(ti.URL, "/background/service-worker.js") {
				wctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(ti.TargetID), chromedp.WithDetachOnCancel())
				t.Cleanup(cancel)
				// A worker that just started may still be evaluating its
				// modules: wait for what it exposes.
				for ready := time.Now().Add(10 * time.Second); ; {
					if ok, err := chromedp.Run(wctx, chromedp.Evaluate[bool](`typeof heyanWorker === "object"`)); err == nil && ok {
						break
					}
					if time.Now().After(ready) {
						t.Fatal("the service worker did not finish starting (no heyanWorker)")
					}
					time.Sleep(25 * time.Millisecond)
				}
				id := strings.TrimPrefix(ti.URL, "chrome-extension://")
				return wctx, id[:strings.Index(id, "/")]
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no service worker of the extension")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
