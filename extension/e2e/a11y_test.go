package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Accessibility, checked by a real engine: axe-core (npm, extension/tools)
// run inside Chromium on the popup, the options page, and the card and bar
// on the MIIT replica, in zh-CN and English. No serious or critical
// violation may remain. And a keyboard-only walk: the wizard, then adding a
// person, with no pointer at all.

// axeSource is axe-core's script, evaluated in the world that runs it.
func axeSource(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "tools", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core missing (scripts/install-extension-tools installs it): %v", err)
	}
	return string(b)
}

// axeViolation is one rule axe-core found broken, with where.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// jsAxe runs axe-core on context (a JS expression: document, or elements)
// and gives its serious and critical violations as JSON.
func jsAxe(context string) string {
	return `(async () => {
		const r = await axe.run(` + context + `, {resultTypes: ["violations"]});
		return JSON.stringify(r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
			.map((v) => ({ID: v.id, Impact: v.impact, Help: v.help, Nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary)})));
	})()`
}

func checkAxe(t testing.TB, where, raw string) {
	t.Helper()
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("%s: %v (%s)", where, err, raw)
	}
	for _, v := range vs {
		t.Errorf("%s: %s (%s): %s\n\t%s", where, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
}

// axePage runs axe-core in the page's own world (our extension pages).
func axePage(t testing.TB, ctx context.Context, where string) {
	t.Helper()
	eval[bool](t, ctx, axeSource(t)+";true")
	checkAxe(t, where, evalAwait[string](t, ctx, jsAxe("document")))
}

// TestAccessibilityOfThePages runs axe-core on every popup tab and options
// tab, in both languages.
func TestAccessibilityOfThePages(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			bctx, stop := e.browser(t, t.TempDir(), lang, true)
			defer stop()
			ctx := tab(t, bctx, 90*time.Second)
			openPopup(t, ctx, "who")
			for _, name := range []string{"who", "faq", "status"} {
				click(t, ctx, "#tab-"+name, "")
				waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#panel-%s:not([hidden]) > div')?.children.length`, name), 10*time.Second)
				if name == "faq" {
					waitJS(t, ctx, `document.querySelectorAll("#panel-faq details").length >= 6`, 10*time.Second)
				}
				if name == "faq" {
					eval[bool](t, ctx, `(document.querySelectorAll("details").forEach((d) => { d.open = true }), true)`)
				}
				axePage(t, ctx, "popup #"+name)
			}
			openOptions(t, ctx, "people")
			addPersonInOptions(t, ctx, "无障碍甲", "principal", "13800138501", "hk-macau-permit", "H1234567")
			waitJS(t, ctx, personCard("无障碍甲"), 5*time.Second)
			click(t, ctx, "#panel-people .add", "") // the form open too
			for _, name := range []string{"people", "filings", "backup", "settings"} {
				if name != "people" {
					click(t, ctx, "#tab-"+name, "")
				}
				if name == "filings" {
					click(t, ctx, "#panel-filings .add", "")
					waitJS(t, ctx, `!document.querySelector("#panel-filings .form").hidden`, 5*time.Second)
				}
				axePage(t, ctx, "options #"+name)
			}
			// The checker sees what it must: an unlabelled field and grey on
			// grey, planted here, are found.
			eval[bool](t, ctx, `(document.body.append(Object.assign(document.createElement("input"), {className: "planted"}),
				Object.assign(document.createElement("p"), {textContent: "planted", style: "color:#bbb;background:#ccc"})), true)`)
			var planted []axeViolation
			json.Unmarshal([]byte(evalAwait[string](t, ctx, jsAxe("document"))), &planted)
			found := map[string]bool{}
			for _, v := range planted {
				found[v.ID] = true
			}
			if !found["label"] || !found["color-contrast"] {
				t.Errorf("axe-core missed what was planted: %+v", planted)
			}
		})
	}
}

// TestAccessibilityOfTheCardAndBar runs axe-core in the content script's own
// world on the card and the bar, after an answer (the card with its counts)
// and with a mismatch (the warning above 提交), in both languages. Our
// shadow roots are closed; in that world, chrome.dom.openOrClosedShadowRoot
// opens them to axe (as the shadowRoot it reads), for this check only.
func TestAccessibilityOfTheCardAndBar(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	for i, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			bctx, stop := e.browser(t, t.TempDir(), lang, true)
			defer stop()
			ctx := tab(t, bctx, 90*time.Second)
			phone := fmt.Sprintf("1380013851%d", i)
			openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
			savePersonInBar(t, ctx, "无障碍乙", "principal", phone, "resident-id", "150510", "")
			typeVerify(t, ctx, phone, "150511")
			e.replica.Script(phone, Answer{Status: 2})
			waitExt(t, ctx, jsMismatch, 5*time.Second)
			openBarForm(t, ctx) // the bar's own form open too
			btn := `.tab-card[style*="block"] .Submission`
			do(t, ctx, chromedp.Click(chromedp.CSS(btn))) // held once: the question shows
			waitExt(t, ctx, `heyanStats.submitsHeld === 1`, 5*time.Second)
			do(t, ctx, chromedp.Click(chromedp.CSS(btn))) // the user insists
			solveCaptcha(t, ctx)
			waitCardSays(t, ctx, map[string]string{"zh-CN": "剩余核验机会：4/5", "en": "Tries left: 4 of 5"}[lang])
			if _, err := tryEvalExt[bool](ctx, axeSource(t)+";true"); err != nil {
				t.Fatal(err)
			}
			raw, err := tryEvalExt[string](ctx, `(() => {
				const hosts = [...document.querySelectorAll("heyan-result, heyan-bar, heyan-ask")];
				for (const h of hosts) Object.defineProperty(h, "shadowRoot", {get: () => chrome.dom.openOrClosedShadowRoot(h)});
				return `+jsAxe("{include: hosts}")+`;
			})()`, chromedp.EvalAwaitPromise)
			if err != nil {
				t.Fatal(err)
			}
			checkAxe(t, "MIIT page card and bar ("+lang+")", raw)
			// The checker reaches into our closed roots: an unlabelled field
			// planted in the bar's is found.
			planted, err := tryEvalExt[string](ctx, `(() => {
				const bar = document.querySelector('.tab-card[style*="block"] heyan-bar');
				chrome.dom.openOrClosedShadowRoot(bar).append(document.createElement("input"));
				return `+jsAxe("{include: [bar]}")+`;
			})()`, chromedp.EvalAwaitPromise)
			if err != nil || !strings.Contains(planted, `"label"`) {
				t.Errorf("axe-core did not see into the bar's shadow root: %s %v", planted, err)
			}
			screenshot(t, ctx, e, "a11y-card-bar-"+lang)
		})
	}
}

// TestKeyboardOnly walks the popup's wizard, then adds a person on the
// options page, with the keyboard alone: Tab, arrows, Enter and typing;
// nothing is clicked.
func TestKeyboardOnly(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	bctx, stop := e.browser(t, t.TempDir(), "zh-CN", true)
	defer stop()
	ctx := tab(t, bctx, 60*time.Second)
	openPopup(t, ctx, "who")
	focused := `(document.activeElement?.dataset.platform || document.activeElement?.className || document.activeElement?.tagName || "")`
	press := func(keys ...string) {
		t.Helper()
		for _, k := range keys {
			do(t, ctx, chromedp.KeyEvent(k))
		}
	}
	// Tab to the first platform (抖音小程序), Enter; the question; Enter on 是.
	for i := 0; i < 20 && eval[string](t, ctx, focused) != "douyin-miniapp"; i++ {
		press(kb.Tab)
	}
	if got := eval[string](t, ctx, focused); got != "douyin-miniapp" {
		t.Fatalf("Tab never reached the platforms (focus on %q)", got)
	}
	press(kb.Enter)
	waitJS(t, ctx, `document.querySelector("#panel-who .question")`, 5*time.Second)
	for i := 0; i < 10 && !eval[bool](t, ctx, `document.activeElement?.classList.contains("answer-yes")`); i++ {
		press(kb.Tab)
	}
	press(kb.Enter)
	waitJS(t, ctx, `document.querySelector("#panel-who [data-scenario='renamed']")`, 5*time.Second)
	if !eval[bool](t, ctx, `getComputedStyle(document.activeElement).outlineStyle !== "none" || document.activeElement.matches("h2, h3")`) {
		t.Error("no visible focus after the answer")
	}

	// The options page's tabs by arrow keys: from 备案 to 人员.
	openOptions(t, ctx, "filings")
	for i := 0; i < 30 && eval[string](t, ctx, `document.activeElement?.getAttribute("role") || ""`) != "tab"; i++ {
		press(kb.Tab)
	}
	for i := 0; i < 4 && eval[string](t, ctx, `document.activeElement?.dataset.tab || ""`) != "people"; i++ {
		press(kb.ArrowRight)
	}
	waitJS(t, ctx, `!document.querySelector("#panel-people").hidden && document.querySelector("#panel-people .add:not(:disabled)")`, 5*time.Second)
	for i := 0; i < 30 && !eval[bool](t, ctx, `document.activeElement?.classList.contains("add")`); i++ {
		press(kb.Tab)
	}
	if !eval[bool](t, ctx, `document.activeElement?.classList.contains("add")`) {
		t.Fatal("Tab never reached 保存一个人")
	}
	if eval[string](t, ctx, `getComputedStyle(document.activeElement).outlineStyle`) == "none" {
		t.Error("the focused button shows no focus")
	}
	press(kb.Enter)
	waitJS(t, ctx, `document.activeElement?.dataset.field === "name"`, 5*time.Second)
	typeHere := func(s string) { do(t, ctx, chromedp.KeyEvent(s)) }
	typeHere("键盘丙")
	press(kb.Tab)       // role
	press(kb.ArrowDown) // 小程序负责人
	press(kb.Tab)       // phone
	typeHere("13800138520")
	press(kb.Tab) // document: 居民身份证
	press(kb.Tab) // ID last 6 (the province box is hidden)
	typeHere("150520")
	for i := 0; i < 5 && eval[string](t, ctx, `document.activeElement?.textContent || ""`) != "保存"; i++ {
		press(kb.Tab)
	}
	press(kb.Enter)
	person := `[...document.querySelectorAll("#panel-people .person")].find((s) => s.querySelector("h3").textContent === "键盘丙")`
	waitJS(t, ctx, person, 5*time.Second)
	if got := eval[string](t, ctx, person+`.textContent`); !strings.Contains(got, "小程序负责人") || !strings.Contains(got, "150520") {
		t.Errorf("saved by keyboard: %q", got)
	}
}
