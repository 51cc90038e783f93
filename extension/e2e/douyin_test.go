package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The Douyin console hints, against the console stand-in (douyin-console/)
// served for developer.open-douyin.com.
//
// Chromium 156 headless keeps chrome.permissions.request's prompt open: it
// is neither accepted nor refused, and no command-line switch answers it
// (the browser's auto-confirm for extension dialogs is a test-only global
// of its own test binaries), and chrome://extensions' own site-access calls
// cannot grant a host the manifest lists only as optional. So the switch is
// tested as far as the browser goes: a real click (Input.dispatchMouseEvent)
// opens the prompt, a script's click is refused for want of a user gesture,
// and nothing is registered or run on the console meanwhile. The rest runs
// on a copy of the Chrome package whose manifest lists the host under
// host_permissions (granted at load, as if the user had allowed it): the
// worker registering the script at its start because the grant is there,
// the card on the console, and the grant taken away through
// chrome://extensions' site access, which fires permissions.onRemoved as
// the user's own does. The Firefox test grants and removes it through the
// switch itself (Firefox answers the prompt when told to).

// consoleURL is the stand-in console's overview, with its switches.
func consoleURL(query url.Values) string {
	return "https://developer.open-douyin.com/console/app?" + query.Encode() + "#/overview"
}

// walkToFilingDetails goes 基础设置 → 备案信息 → 查看填写信息 with real clicks,
// as the guide says, and waits for the status to show.
func walkToFilingDetails(t testing.TB, ctx context.Context) {
	t.Helper()
	do(t, ctx,
		chromedp.Click(`nav a[href="#/settings"]`),
		chromedp.WaitVisible(`#tab-filing`),
		chromedp.Click(`#tab-filing`),
		chromedp.WaitVisible(`#details`),
		chromedp.Click(`#details`),
		chromedp.WaitVisible(`#status`))
}

// grantedPackage is a copy of the unpacked Chrome package whose manifest
// has the console's host under host_permissions instead of
// optional_host_permissions: granted at load.
var grantedPackage struct {
	once sync.Once
	dir  string
	err  error
}

func (e *env) grantedExtension(t testing.TB) string {
	t.Helper()
	grantedPackage.once.Do(func() {
		dir, err := os.MkdirTemp("", "heyan-e2e-granted-")
		if err == nil {
			err = os.CopyFS(dir, os.DirFS(e.ext))
		}
		if err == nil {
			err = grantHostInManifest(filepath.Join(dir, "manifest.json"))
		}
		grantedPackage.dir, grantedPackage.err = dir, err
	})
	if grantedPackage.err != nil {
		t.Fatal(grantedPackage.err)
	}
	return grantedPackage.dir
}

// grantHostInManifest moves optional_host_permissions to host_permissions.
func grantHostInManifest(p string) error {
	raw, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	hosts, ok := m["optional_host_permissions"]
	if !ok {
		return fmt.Errorf("%s has no optional_host_permissions", p)
	}
	m["host_permissions"] = hosts
	delete(m, "optional_host_permissions")
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	// CopyFS writes files read-only when the source is.
	os.Chmod(p, 0o644)
	return os.WriteFile(p, out, 0o644)
}

// grantedBrowser starts a browser (zh-CN, a profile of its own) with the
// granted copy of the package.
func (e *env) grantedBrowser(t *testing.T) (context.Context, string) {
	t.Helper()
	ext := e.grantedExtension(t)
	profile := t.TempDir()
	ctx, stop := e.browserWith(t, profile, "zh-CN", ext)
	t.Cleanup(stop)
	// The worker registers the script as it starts, because the grant is
	// there; a console page that loaded before would get it injected, but
	// the tests start from pages loaded after.
	first := tab(t, ctx, 30*time.Second)
	worker, _ := serviceWorker(t, first)
	deadline := time.Now().Add(10 * time.Second)
	for {
		// Right after the browser starts, the worker's target can be there before its script runs.
		n, err := chromedp.Run(worker, chromedp.Evaluate[int](`chrome.scripting.getRegisteredContentScripts().then((s) => s.length)`, chromedp.EvalAwaitPromise))
		if err == nil && n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the worker did not register the console's script at its start, with the permission granted")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return ctx, extensionIDOf(ext)
}

// waitHint waits until the console hints have read the page and show (or,
// for "", do not show) the card of entry id.
func waitHint(t testing.TB, ctx context.Context, id string) {
	t.Helper()
	waitExt(t, ctx, fmt.Sprintf(`heyanStats.consoleReads > 0 && heyanStats.consoleHint === %q`, id), 15*time.Second)
	if id == "" {
		waitExt(t, ctx, `!`+jsCard, 5*time.Second)
		return
	}
	want := title(t, id, "zh-CN")
	waitExt(t, ctx, fmt.Sprintf(`%s?.querySelector("h2")?.textContent === %q`, jsCard, want), 15*time.Second)
}

// TestDouyinSwitchAsksDuringTheClick: the switch asks for the console's
// permission during the user's click (the prompt opens and stays open in
// headless Chromium), a script's click is refused, and until the user
// allows it, nothing runs on the console.
func TestDouyinSwitchAsksDuringTheClick(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx, stop := e.browser(t, t.TempDir(), "zh-CN", true)
	defer stop()
	page := tab(t, ctx, 90*time.Second)
	openOptions(t, page, "settings")
	const box = `#setting-douyin-console`
	const note = `document.querySelector("#douyin-console-note").textContent`
	if eval[bool](t, page, `document.querySelector("`+box+`").checked`) {
		t.Fatal("the Douyin console switch is on before anything was granted")
	}
	if label := eval[string](t, page, `document.querySelector('label[for="setting-douyin-console"]')?.textContent || ""`); !strings.Contains(label, "抖音开放平台") {
		t.Fatalf("the switch's label is %q", label)
	}

	// A script's click carries no user gesture: the browser refuses to ask.
	eval[bool](t, page, `(document.querySelector("`+box+`").click(), true)`)
	waitJS(t, page, note+` === "没有开启：浏览器没有授予访问 developer.open-douyin.com 的权限。"`, 10*time.Second)
	if eval[bool](t, page, `document.querySelector("`+box+`").checked`) {
		t.Fatal("the switch stayed on after the browser refused to ask")
	}

	// The user's click: the prompt opens (and, headless, stays open).
	type pt struct{ X, Y float64 }
	p := eval[pt](t, page, `(() => { const r = document.querySelector("`+box+`").getBoundingClientRect(); return {X: r.left + r.width / 2, Y: r.top + r.height / 2}; })()`)
	do(t, page, chromedp.MouseClickXY(p.X, p.Y))
	waitJS(t, page, note+` === "请在浏览器弹出的提示中选择“允许”。"`, 5*time.Second)
	time.Sleep(1500 * time.Millisecond) // a refusal comes at once; the prompt does not
	if got := eval[string](t, page, note); got != "请在浏览器弹出的提示中选择“允许”。" {
		t.Fatalf("after the user's click the switch says %q, want it waiting for the prompt", got)
	}
	if evalAwait[bool](t, page, `chrome.permissions.contains({origins: ["https://developer.open-douyin.com/*"]})`) {
		t.Fatal("granted without the user allowing it")
	}

	// Nothing is registered, and the console gets no script.
	worker, _ := serviceWorker(t, page)
	if n := evalAwait[int](t, worker, `chrome.scripting.getRegisteredContentScripts().then((s) => s.length)`); n != 0 {
		t.Fatalf("%d content scripts registered without the permission", n)
	}
	console := tab(t, ctx, 60*time.Second)
	do(t, console, chromedp.Navigate(consoleURL(url.Values{"status": {"审核未通过"}, "reason": {"工信部短信核验失败:短信验证未通过"}})))
	walkToFilingDetails(t, console)
	if waitFor(console, `typeof heyanStats === "object"`, 3*time.Second) {
		t.Fatal("the console hints run on the console without the permission")
	}
}

// TestDouyinConsoleCards: with the permission granted, the worker registers
// the script at its start, and the console's statuses get their cards as
// the user walks to them; the card changes with the status and goes with it.
func TestDouyinConsoleCards(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx, _ := e.grantedBrowser(t)

	t.Run("审核未通过 with the rejection: resend on the platform", func(t *testing.T) {
		page := tab(t, ctx, 60*time.Second)
		do(t, page, chromedp.Navigate(consoleURL(url.Values{"status": {"审核未通过"}, "reason": {"工信部短信核验失败:短信验证未通过"}})))
		// The overview has no status: no card (the progress line is not shown yet either).
		waitHint(t, page, "")
		walkToFilingDetails(t, page)
		waitHint(t, page, "platform-sms-rejected")
		text := cardText(t, page)
		for _, want := range []string{"重新发送短信", "工信部短信核验失败:短信验证未通过"} {
			if !strings.Contains(text, want) {
				t.Errorf("the card lacks %q: %s", want, text)
			}
		}
		screenshot(t, page, e, "douyin-console-rejected")
	})

	t.Run("full-width colon, label and status in one text", func(t *testing.T) {
		page := tab(t, ctx, 60*time.Second)
		do(t, page, chromedp.Navigate(consoleURL(url.Values{"status": {"审核未通过"}, "reason": {"工信部短信核验失败：短信验证未通过"}, "layout": {"inline"}})))
		walkToFilingDetails(t, page)
		waitHint(t, page, "platform-sms-rejected")
	})

	t.Run("管局审核中 past 24 hours: look again in 6 hours", func(t *testing.T) {
		page := tab(t, ctx, 60*time.Second)
		do(t, page, chromedp.Navigate(consoleURL(url.Values{"status": {"管局审核中"}, "submitted": {"30"}})))
		walkToFilingDetails(t, page)
		waitHint(t, page, "douyin-review-late")
		if text := cardText(t, page); !strings.Contains(text, "6 小时") {
			t.Errorf("the card does not say to look again in 6 hours: %s", text)
		}
	})

	t.Run("管局审核中 within 24 hours: a wait message, not the delay", func(t *testing.T) {
		page := tab(t, ctx, 60*time.Second)
		do(t, page, chromedp.Navigate(consoleURL(url.Values{"status": {"管局审核中"}, "submitted": {"3"}})))
		walkToFilingDetails(t, page)
		waitHint(t, page, "douyin-status-review")
	})

	t.Run("the status changes, then goes", func(t *testing.T) {
		page := tab(t, ctx, 60*time.Second)
		do(t, page, chromedp.Navigate(consoleURL(url.Values{"status": {"审核未通过"}, "next": {"管局审核中"}, "submitted": {"30"}})))
		walkToFilingDetails(t, page)
		waitHint(t, page, "douyin-status-returned")
		if text := cardText(t, page); !strings.Contains(text, "重新发送短信") {
			t.Errorf("the 审核未通过 card does not say to press 重新发送短信: %s", text)
		}
		do(t, page, chromedp.Click(`#refresh`), chromedp.WaitVisible(`#status`))
		waitHint(t, page, "douyin-review-late")
		do(t, page, chromedp.Click(`#tab-basic`))
		waitHint(t, page, "")
	})
}

// TestDouyinPermissionRemoved: taking the permission away (chrome://extensions'
// site access) removes the open console's card, turns the options page's
// switch off and unregisters the script: a reload gets none.
func TestDouyinPermissionRemoved(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx, id := e.grantedBrowser(t)
	console := tab(t, ctx, 90*time.Second)
	do(t, console, chromedp.Navigate(consoleURL(url.Values{"status": {"审核未通过"}, "reason": {"工信部短信核验失败:短信验证未通过"}})))
	walkToFilingDetails(t, console)
	waitHint(t, console, "platform-sms-rejected")

	options := tab(t, ctx, 60*time.Second)
	do(t, options, chromedp.EmulateViewport(1100, 900),
		chromedp.Navigate(fmt.Sprintf("chrome-extension://%s/pages/options/options.html#settings", id)))
	waitJS(t, options, `document.documentElement.dataset.ready === "1"`, 15*time.Second)
	waitJS(t, options, `document.querySelector("#setting-douyin-console").checked`, 5*time.Second)

	ext := tab(t, ctx, 30*time.Second)
	do(t, ext, chromedp.Navigate("chrome://extensions/?id="+id))
	waitJS(t, ext, `typeof chrome.developerPrivate === "object"`, 10*time.Second)
	evalAwait[bool](t, ext, fmt.Sprintf(`chrome.developerPrivate.updateExtensionConfiguration({extensionId: %q, hostAccess: "ON_CLICK"}).then(() => true)`, id))

	// The open console's card goes at once; the switch turns off.
	deadline := time.Now().Add(10 * time.Second)
	for {
		gone := eval[bool](t, console, `!document.querySelector("heyan-result")`)
		if gone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the console's card is still there after the permission was taken away")
		}
		time.Sleep(50 * time.Millisecond)
	}
	waitJS(t, options, `!document.querySelector("#setting-douyin-console").checked`, 10*time.Second)

	worker, _ := serviceWorker(t, options)
	if n := evalAwait[int](t, worker, `chrome.scripting.getRegisteredContentScripts().then((s) => s.length)`); n != 0 {
		t.Fatalf("%d content scripts still registered", n)
	}
	do(t, console, chromedp.Reload(), chromedp.WaitVisible(`nav`))
	walkToFilingDetails(t, console)
	if waitFor(console, `typeof heyanStats === "object"`, 3*time.Second) {
		t.Fatal("the console hints still run after a reload without the permission")
	}
	if eval[bool](t, console, `!!document.querySelector("heyan-result")`) {
		t.Fatal("a card on the console after a reload without the permission")
	}
}
