package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/heyan-dev/heyan/core"
)

// rootOf is the closed shadow root of the first element matching sel, for
// evaluation in the content script's world (evalExt, waitExt): the page's
// own world cannot reach it.
func rootOf(sel string) string {
	return fmt.Sprintf(`((h) => h ? chrome.dom.openOrClosedShadowRoot(h) : null)(document.querySelector(%q))`, sel)
}

// The JS that reads our UI, in the content script's world: the overlay card
// and the visible tab's bar.
var (
	jsCard = `(` + rootOf("heyan-result") + `?.querySelector(".card:not([hidden])"))`
	jsBar  = `(` + rootOf(`.tab-card[style*="block"] heyan-bar`) + `)`
	// jsMismatch is the visible tab's mismatch warning, where 提交 is, while
	// it is shown.
	jsMismatch = `((h) => h && !h.hidden ? chrome.dom.openOrClosedShadowRoot(h).querySelector('[data-code="id-mismatch"]') : null)(document.querySelector('.tab-card[style*="block"] heyan-ask'))`
)

// jsCoreWay is which way the core runs, from our host element's attribute.
const jsCoreWay = `(document.querySelector("heyan-result")?.getAttribute("data-core") || "")`

// title is the core's title for a knowledge entry.
func title(t testing.TB, id, lang string) string {
	t.Helper()
	e, err := core.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	return e.View(core.Lang(lang)).Title
}

// openForm loads the page and waits for the extension's bar (the core is up).
func openForm(t testing.TB, ctx context.Context, e *env, route, query string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(e.url(route, query)))
	waitExt(t, ctx, jsBar+`?.querySelector(".bar")`, 15*time.Second)
	waitJS(t, ctx, jsCoreWay, 15*time.Second)
}

// switchTab clicks the 短信核验 or 短信重发 header.
func switchTab(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	eval[bool](t, ctx, fmt.Sprintf(`(() => { for (const h of document.querySelectorAll(".tit h5")) if (h.textContent.trim() === %q) { h.click(); return true } return false })()`, name))
	waitExt(t, ctx, fmt.Sprintf(`document.querySelector(".tit h5.Selection")?.textContent.trim() === %q && %s`, name, jsBar), 5*time.Second)
}

// clearAndType replaces a field's content by typing, as a user does.
func clearAndType(t testing.TB, ctx context.Context, placeholder, text string) {
	t.Helper()
	sel := fmt.Sprintf(`.tab-card[style*="block"] input[placeholder=%q]`, placeholder)
	eval[bool](t, ctx, fmt.Sprintf(`(() => { const i = document.querySelector(%q); i.focus(); i.select(); return true })()`, sel))
	do(t, ctx, chromedp.KeyEvent("\b"), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// submitAndSolve presses 提交 once the lock is off, then solves the captcha.
func submitAndSolve(t testing.TB, ctx context.Context) {
	t.Helper()
	btn := `.tab-card[style*="block"] .Submission`
	waitJS(t, ctx, fmt.Sprintf(`!document.querySelector(%q).disabled`, btn), 10*time.Second)
	do(t, ctx, chromedp.Click(chromedp.CSS(btn)))
	solveCaptcha(t, ctx)
}

// waitCard waits until the overlay shows the title.
func waitCard(t testing.TB, ctx context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := tryEvalExt[string](ctx, jsCard+`?.querySelector("h2")?.textContent || ""`)
		if err == nil && got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("overlay title = %q (error %v), want %q", got, err, want)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

type rect struct{ L, T, R, B float64 }

// checkNotCovering fails when the overlay card overlaps a form field, the 提交
// button, the tab headers, our own bar or the captcha, or when the card is
// what the pointer would hit at the centre of one of them. A hidden card
// covers nothing.
func checkNotCovering(t testing.TB, ctx context.Context) {
	t.Helper()
	var r struct {
		Card      *rect
		Protected []struct {
			Box  rect
			What string
			Hit  bool // the centre's topmost element is our card's host
		}
	}
	raw := evalExt[string](t, ctx, `JSON.stringify((() => {
		const box = (el) => { const r = el.getBoundingClientRect(); return {L: r.left, T: r.top, R: r.right, B: r.bottom} };
		const shown = (el) => el.getClientRects().length > 0;
		const card = `+jsCard+`;
		const host = document.querySelector("heyan-result");
		const visible = card && host && getComputedStyle(host).display !== "none" && getComputedStyle(host).visibility !== "hidden";
		const prot = [...document.querySelectorAll("input.el-input__inner, .Submission, .tit h5, heyan-bar, .verify-box")].filter(shown).map((el) => {
			const b = box(el);
			const hit = document.elementFromPoint((b.L + b.R) / 2, (b.T + b.B) / 2);
			return {Box: b, What: el.tagName.toLowerCase() + "." + (el.className || ""), Hit: hit === host};
		});
		return {Card: visible ? box(card) : null, Protected: prot};
	})())`)
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Protected {
		if p.Hit {
			t.Fatalf("the overlay is on top of %s at its centre", p.What)
		}
		if c := r.Card; c != nil && c.L < p.Box.R && c.R > p.Box.L && c.T < p.Box.B && c.B > p.Box.T {
			t.Fatalf("overlay %+v covers %s %+v", *c, p.What, p.Box)
		}
	}
}

func cardText(t testing.TB, ctx context.Context) string {
	return evalExt[string](t, ctx, jsCard+`?.textContent || ""`)
}

func barText(t testing.TB, ctx context.Context) string {
	return evalExt[string](t, ctx, jsBar+`?.textContent || ""`)
}

var results = []struct {
	id     string
	status int
	flag   bool
	tab    string
}{
	{"verify-complete", 3, true, "短信核验"},
	{"verify-wait-others", 31, true, "短信核验"},
	{"verify-already-done", 20, true, "短信核验"},
	{"verify-wrong-info", 2, false, "短信核验"},
	{"verify-no-record", 4, false, "短信核验"},
	{"verify-failed-retry", 0, false, "短信核验"},
	{"verify-returned", 21, false, "短信核验"},
	{"resend-no-pending", 100, false, "短信重发"},
	{"resend-ok", 101, true, "短信重发"},
	{"resend-limit", 102, false, "短信重发"},
}

// TestEachResultGivesItsOverlay submits each of the 10 answers and checks the
// overlay's title, that it covers none of the form, and Esc. Once with the
// network reader and once on an API path it does not know (text alone).
func TestEachResultGivesItsOverlay(t *testing.T) {
	e := needE2E(t)
	for _, mode := range []struct{ name, query, phone string }{
		{"network", "lockms=300", "13800138001"},
		{"text-only", "lockms=300&api=alt", "13800138002"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			ctx := e.sharedTab(t, 120*time.Second)
			openForm(t, ctx, e, "/Integrated/ComplaintA", mode.query)
			typed := map[string]bool{}
			for _, r := range results {
				switchTab(t, ctx, r.tab)
				if !typed[r.tab] {
					if r.tab == "短信核验" {
						typeInto(t, ctx, "请输短信验证码", "123456")
						typeInto(t, ctx, "请输入手机号", mode.phone)
					} else {
						typeInto(t, ctx, "请输入手机号码", mode.phone)
					}
					typeInto(t, ctx, "请输入证件号码后6位", "150012")
					typed[r.tab] = true
				}
				e.replica.Script(mode.phone, Answer{Status: r.status, Flag: r.flag})
				submitAndSolve(t, ctx)
				waitCard(t, ctx, title(t, r.id, "zh-CN"))
				checkNotCovering(t, ctx)
				if r.status == 2 {
					screenshot(t, ctx, e, "overlay-complaint-"+mode.name)
				}
			}
			do(t, ctx, chromedp.KeyEvent("\x1b"))
			waitExt(t, ctx, `!`+jsCard, 3*time.Second)
		})
	}
}

// TestWorkerOutlivesTheTestsLookingAtIt: a test that attaches to the shared
// browser's service worker leaves it running when it ends (it detaches), so
// the other tests' messages in flight are answered.
func TestWorkerOutlivesTheTestsLookingAtIt(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 30*time.Second)
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	var id target.ID
	t.Run("attach", func(t *testing.T) {
		sw, _ := serviceWorker(t, ctx)
		if !eval[bool](t, sw, `typeof heyanWorker?.handleMessage === "function"`) {
			t.Fatal("not the extension's worker")
		}
		id = chromedp.FromContext(sw).Target.TargetID
	})
	// The subtest's cleanup has run.
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ti := range targets {
		found = found || (ti.TargetID == id && ti.Type == "service_worker")
	}
	if !found {
		t.Fatal("the worker was closed when the test looking at it ended")
	}
}
