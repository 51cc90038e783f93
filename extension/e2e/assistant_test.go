package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// personIn is a person as typed into the save-a-person form (the bar's or
// the popup's: both mark their fields with data-field).
type personIn struct {
	Name, Role, Phone, Doc string
	Zhejiang               bool
	ID, Filing             string
}

// fillPersonForm types p into the save-a-person form under root (a JS
// expression for the form's document or shadow root) and presses 保存: in the
// popup's page, or (inBar) in the bar, where 保存 takes a real click only.
func fillPersonForm(t testing.TB, ctx context.Context, root string, inBar bool, p personIn) {
	t.Helper()
	in, _ := json.Marshal(p)
	run := eval[bool]
	if inBar {
		run = evalExt[bool]
	}
	run(t, ctx, fmt.Sprintf(`(() => {
		const r = %s, p = %s;
		const f = (name) => r.querySelector('.save [data-field="' + name + '"]');
		const set = (name, v, ev) => { const el = f(name); el.value = v; el.dispatchEvent(new Event(ev, {bubbles: true})); };
		set("name", p.Name, "input"); set("role", p.Role, "change"); set("phone", p.Phone, "input");
		set("docType", p.Doc, "change");
		const zj = f("province");
		if (zj.checked !== p.Zhejiang) { zj.checked = p.Zhejiang; zj.dispatchEvent(new Event("change", {bubbles: true})); }
		set("idLast6", p.ID, "input"); if (f("filing")) set("filing", p.Filing, "input"); // the options page asks for no filing
		if (!%t) r.querySelector(".save .primary").click();
		return true;
	})()`, root, in, inBar))
	if inBar {
		clickExt(t, ctx, root+`.querySelector(".save .primary")`)
	}
}

// savePersonInBar saves a person through the bar's own form, as a user does.
func savePersonInBar(t testing.TB, ctx context.Context, name, role, phone, doc, id, filing string) {
	t.Helper()
	openBarForm(t, ctx)
	fillPersonForm(t, ctx, jsBar, true, personIn{Name: name, Role: role, Phone: phone, Doc: doc, ID: id, Filing: filing})
	waitExt(t, ctx, jsBar+`.querySelector(".save").hidden`, 5*time.Second) // saved: the form closed
	waitBarPerson(t, ctx, name)
}

// openBarForm opens the bar's save-a-person form.
func openBarForm(t testing.TB, ctx context.Context) {
	t.Helper()
	// A click that lands while the page still settles may be lost: click
	// again until the form shows.
	deadline := time.Now().Add(5 * time.Second)
	for evalExt[bool](t, ctx, jsBar+`.querySelector(".save").hidden`) {
		if time.Now().After(deadline) {
			t.Fatal("the bar's save-a-person form does not open")
		}
		clickExt(t, ctx, jsBar+`.querySelector(".row button:not(.primary)")`)
		waitFor(ctx, jsBar+`!.querySelector(".save").hidden`, time.Second)
	}
}

// waitBarPerson waits until the bar's person list holds name.
func waitBarPerson(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	waitExt(t, ctx, fmt.Sprintf(`[...%s.querySelectorAll("select")[0].options].some(o => o.textContent.startsWith(%q))`, jsBar, name+" ·"), 5*time.Second)
}

// pressFillShortcut presses Alt+Shift+H in the page.
func pressFillShortcut(t testing.TB, ctx context.Context) {
	t.Helper()
	const altShift = 1 | 8 // Alt=1, Shift=8 in the protocol's bit field
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			p := input.DispatchKeyEventParams{Type: typ, Modifiers: altShift, Key: "H", Code: "KeyH", WindowsVirtualKeyCode: 72}
			if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	}))
}

// model reads the page's Vue form model: what the site would send.
func model(t testing.TB, ctx context.Context) map[string]any {
	t.Helper()
	raw := eval[string](t, ctx, `JSON.stringify(document.querySelector(".sms-box").__vue__.verifyForm)`)
	var m map[string]any
	json.Unmarshal([]byte(raw), &m)
	return m
}

// TestFillRegistersInPageModel saves a person from the bar and fills with the
// shortcut: Vue's model holds the phone (as the number v-model.number makes)
// and the ID last 6, the SMS code is untouched, and after the captcha the
// request carries them. A value set without events, by contrast, gives the
// page's own empty-field alert (the replica test shows that).
func TestFillRegistersInPageModel(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.peopleTab(t, 60*time.Second)
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	savePersonInBar(t, ctx, "张三", "principal", "138 0013 8010", "resident-id", "15001x", "")
	screenshot(t, ctx, e, "bar-saved-person")
	pressFillShortcut(t, ctx)
	waitJS(t, ctx, `document.querySelector(".sms-box").__vue__.verifyForm.certNum === "15001X"`, 5*time.Second)
	m := model(t, ctx)
	if m["mobileNum"] != float64(13800138010) || m["certNum"] != "15001X" || m["smsValidCode"] != "" {
		t.Fatalf("page model after fill = %v, want mobileNum 13800138010 (a number), certNum 15001X, smsValidCode empty", m)
	}
	// The code is the user's to type; the captcha the user's to solve.
	typeInto(t, ctx, "请输短信验证码", "654321")
	e.replica.Script("13800138010", Answer{Status: 3, Flag: true})
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "verify-complete", "zh-CN"))
	var found bool
	for _, r := range e.replica.Requests() {
		if fmt.Sprint(r.Body["mobileNum"]) == "13800138010" {
			found = r.Body["certNum"] == "15001X" && r.Body["smsValidCode"] == "654321"
		}
	}
	if !found {
		t.Fatalf("the API did not receive the filled values: %v", e.replica.Requests())
	}
}

// TestPageCannotFillOrReadPeople plays a hostile script in the page: our
// shadow roots are closed to it, its synthetic Alt+Shift+H does not fill (and
// so cannot read) a saved person's phone and ID, and neither does a
// synthetic click on the fill button. The user's own key press still fills.
func TestPageCannotFillOrReadPeople(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.peopleTab(t, 60*time.Second)
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	savePersonInBar(t, ctx, "孙九", "principal", "13800138130", "resident-id", "150019", "")
	if !eval[bool](t, ctx, `document.querySelector("heyan-bar").shadowRoot === null && document.querySelector("heyan-result").shadowRoot === null`) {
		t.Fatal("the page's own scripts can open our shadow roots")
	}
	before := evalExt[int](t, ctx, `heyanStats.untrusted`)
	eval[bool](t, ctx, `document.dispatchEvent(new KeyboardEvent("keydown", {altKey: true, shiftKey: true, code: "KeyH", key: "H", bubbles: true})) || true`)
	waitExt(t, ctx, fmt.Sprintf(`heyanStats.untrusted === %d`, before+1), 5*time.Second)
	// As if a script had reached the button anyway: a synthetic click.
	evalExt[bool](t, ctx, jsBar+`.querySelector(".row .primary").click() || true`)
	waitExt(t, ctx, fmt.Sprintf(`heyanStats.untrusted === %d`, before+2), 5*time.Second)
	if m := model(t, ctx); m["mobileNum"] != "" || m["certNum"] != "" {
		t.Fatalf("a synthetic event filled the form: %v", m)
	}
	pressFillShortcut(t, ctx)
	waitJS(t, ctx, `document.querySelector(".sms-box").__vue__.verifyForm.certNum === "150019"`, 5*time.Second)
}

// TestMismatchWarningBeforeSubmit types the phone of a saved person with a
// different ID last 6: the bar warns, with the tries left, as it is typed
// (nothing has been submitted: 提交 is never pressed here).
func TestMismatchWarningBeforeSubmit(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.peopleTab(t, 60*time.Second)
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	savePersonInBar(t, ctx, "李四", "app-owner", "13800138020", "resident-id", "280034", "")
	typeVerify(t, ctx, "13800138020", "280035")
	waitExt(t, ctx, jsMismatch, 5*time.Second)
	warn := evalExt[string](t, ctx, jsMismatch+`.textContent`)
	for _, want := range []string{"李四", "34", "还剩 5 次"} {
		if !strings.Contains(warn, want) {
			t.Errorf("mismatch warning %q lacks %q", warn, want)
		}
	}
	screenshot(t, ctx, e, "bar-mismatch-warning")
	// The right ID last 6 clears it.
	clearAndType(t, ctx, "请输入证件号码后6位", "280034")
	waitExt(t, ctx, `!`+jsMismatch, 5*time.Second)
}

// TestFiveFailuresCountDown answers five wrong tries: the overlay and the bar
// count down 4…0, and after the fifth both warn that the next try returns
// the filing.
func TestFiveFailuresCountDown(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 90*time.Second)
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	phone := "13800138030"
	typeVerify(t, ctx, phone, "150012")
	for i := 1; i <= 5; i++ {
		status := 2
		if i%2 == 0 {
			status = 0 // both wrong-try answers count
		}
		e.replica.Script(phone, Answer{Status: status})
		submitAndSolve(t, ctx)
		want := fmt.Sprintf("剩余核验机会：%d/5", 5-i)
		waitExt(t, ctx, fmt.Sprintf(`(%s?.textContent || "").includes(%q)`, jsCard, want), 10*time.Second)
		waitExt(t, ctx, fmt.Sprintf(`(%s?.textContent || "").includes(%q)`, jsBar, want), 10*time.Second)
	}
	for name, root := range map[string]string{"overlay": jsCard, "bar": jsBar} {
		if !evalExt[bool](t, ctx, root+`?.textContent.includes("再提交一次，工信部就会退回这次备案")`) {
			t.Errorf("%s lacks the next-try-returns-filing warning: %q", name, evalExt[string](t, ctx, root+`?.textContent || ""`))
		}
	}
	screenshot(t, ctx, e, "overlay-sixth-try-warning")
}

// TestStrictCSPUsesServiceWorker serves the page under a strict CSP (header,
// then meta): WebAssembly cannot compile in the content script, the core runs
// in the service worker, and results and live checks still work.
func TestStrictCSPUsesServiceWorker(t *testing.T) {
	e := needE2E(t)
	for _, c := range []struct{ mode, phone string }{{"header", "13800138040"}, {"meta", "13800138041"}} {
		t.Run(c.mode, func(t *testing.T) {
			t.Parallel()
			ctx := e.sharedTab(t, 60*time.Second)
			openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300&csp="+c.mode)
			if got := eval[string](t, ctx, jsCoreWay); got != "service-worker" {
				t.Fatalf("core path under a strict CSP = %q, want service-worker", got)
			}
			typeInto(t, ctx, "请输短信验证码", "123456")
			typeInto(t, ctx, "请输入手机号", "14000000000") // valid shape, unsupported prefix
			waitExt(t, ctx, jsBar+`.querySelector(".problems li")`, 5*time.Second)
			clearAndType(t, ctx, "请输入手机号", c.phone)
			typeInto(t, ctx, "请输入证件号码后6位", "150012")
			e.replica.Script(c.phone, Answer{Status: 31, Flag: true})
			submitAndSolve(t, ctx)
			waitCard(t, ctx, title(t, "verify-wait-others", "zh-CN"))
			checkNotCovering(t, ctx)
			if c.mode == "header" {
				screenshot(t, ctx, e, "overlay-strict-csp")
			}
		})
	}
}

// TestRouteChangeHomeToComplaintA starts on the home page (form in the
// right-hand card), gets a result there, then follows the top navigation to
// ComplaintA, where the bar and the overlay work again.
func TestRouteChangeHomeToComplaintA(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138050"
	openForm(t, ctx, e, "/Integrated/index", "lockms=300")
	typeVerify(t, ctx, phone, "150012")
	e.replica.Script(phone, Answer{Status: 4})
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "verify-no-record", "zh-CN"))
	checkNotCovering(t, ctx)
	screenshot(t, ctx, e, "overlay-home")
	do(t, ctx, chromedp.Click(chromedp.CSS(`.nav a[href="#/Integrated/ComplaintA"]`)))
	waitJS(t, ctx, `location.hash === "#/Integrated/ComplaintA" && document.querySelector(".complaint-box")`, 5*time.Second)
	waitExt(t, ctx, `!`+jsCard, 5*time.Second) // the old banner is gone, so is its card
	waitExt(t, ctx, jsBar+`?.querySelector(".bar")`, 5*time.Second)
	typeVerify(t, ctx, phone, "150012")
	e.replica.Script(phone, Answer{Status: 2})
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "verify-wrong-info", "zh-CN"))
	checkNotCovering(t, ctx)
}

// TestPageTextIsShownAsText has the API answer an error whose text carries
// markup: the toast and our overlay show it as text, nothing runs.
func TestPageTextIsShownAsText(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138060"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	typeVerify(t, ctx, phone, "150012")
	payload := `<img src=x onerror="window.__heyanPwned=1">您的短信核验失败,请您重新验证。`
	e.replica.Script(phone, Answer{Code: 500, Msg: payload})
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "verify-failed-retry", "zh-CN"))
	quote := evalExt[string](t, ctx, jsCard+`.querySelector(".quote").innerHTML`)
	if !strings.Contains(quote, `&lt;img src=x onerror=`) {
		t.Fatalf("quote's innerHTML = %q, want the markup escaped as text (&lt;img…)", quote)
	}
	if n := evalExt[int](t, ctx, rootOf("heyan-result")+`.querySelectorAll("img").length`); n != 0 {
		t.Fatalf("%d img elements in the overlay", n)
	}
	if eval[bool](t, ctx, `window.__heyanPwned === 1`) {
		t.Fatal("the page text ran as HTML")
	}
}

// TestStateSurvivesRestart saves a person and a wrong try, closes the
// browser, and opens the same profile again (in English this time): the
// person and the count are still there.
func TestStateSurvivesRestart(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	profile, err := os.MkdirTemp("", "heyan-e2e-restart-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(profile)
	phone := "13800138070"
	{
		bctx, stop := e.browser(t, profile, "zh-CN", true)
		ctx := tab(t, bctx, 60*time.Second)
		openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
		savePersonInBar(t, ctx, "王五", "service-owner", phone, "passport", "E12345", "测试小程序")
		typeVerify(t, ctx, phone, "E12345")
		e.replica.Script(phone, Answer{Status: 2})
		submitAndSolve(t, ctx)
		waitExt(t, ctx, fmt.Sprintf(`(%s?.textContent || "").includes("剩余核验机会：4/5")`, jsCard), 10*time.Second)
		stop()
	}
	bctx, stop := e.browser(t, profile, "en", true)
	defer stop()
	ctx := tab(t, bctx, 60*time.Second)
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	waitExt(t, ctx, fmt.Sprintf(`[...%s.querySelectorAll("select")[0].options].some(o => o.textContent.startsWith("王五 ·") && o.textContent.includes("138****8070"))`, jsBar), 10*time.Second)
	pressFillShortcut(t, ctx)
	waitExt(t, ctx, fmt.Sprintf(`(%s?.textContent || "").includes("Tries left: 4 of 5")`, jsBar), 10*time.Second)
	e.replica.Script(phone, Answer{Status: 2})
	typeInto(t, ctx, "请输短信验证码", "123456")
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "verify-wrong-info", "en"))
	waitExt(t, ctx, fmt.Sprintf(`(%s?.textContent || "").includes("Tries left: 3 of 5")`, jsCard), 10*time.Second)
	screenshot(t, ctx, e, "overlay-english-after-restart")
	// The popup speaks English too, and lists the filing's round.
	openPopup(t, ctx, "status")
	waitJS(t, ctx, `[...document.querySelectorAll('#panel-status .round')].find((c) => c.querySelector("h3").textContent === "测试小程序")?.textContent.includes("Tries left: 3 of 5")`, 5*time.Second)
	if got := popupText(t, ctx, "#tab-who"); got != "Who verifies" {
		t.Errorf("popup tab in English = %q", got)
	}
	screenshot(t, ctx, e, "popup-status-english")
}

// TestFieldAlertExplained submits an empty form: the page's own #alertFram
// says the code is empty, and the overlay explains it beside the alert.
func TestFieldAlertExplained(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 30*time.Second)
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	do(t, ctx, chromedp.Click(chromedp.CSS(`.tab-card[style*="block"] .Submission`)))
	waitJS(t, ctx, `document.querySelector("#alertFram")`, 5*time.Second)
	waitCard(t, ctx, title(t, "form-code-empty", "zh-CN"))
	checkNotCovering(t, ctx)
	// The live region announced it.
	if live := evalExt[string](t, ctx, rootOf("heyan-result")+`.querySelector('[aria-live]').textContent`); !strings.HasPrefix(live, title(t, "form-code-empty", "zh-CN")) {
		t.Errorf("live region = %q", live)
	}
	// The close button dismisses the card.
	evalExt[bool](t, ctx, jsCard+`.querySelector("button.close").click() || true`)
	waitExt(t, ctx, `!`+jsCard, 3*time.Second)
}

// TestUnknownStatusCountsOnce answers a validStatus the page does not know:
// the page shows the text of 0, the overlay explains it, and the try is
// counted once although both the network and the banner report it.
func TestUnknownStatusCountsOnce(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 30*time.Second)
	phone := "13800138080"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	typeVerify(t, ctx, phone, "150012")
	before := evalExt[int](t, ctx, `heyanStats.handled`)
	e.replica.Script(phone, Answer{Status: 99})
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "verify-failed-retry", "zh-CN"))
	// Both reports of the answer (network and banner) are fully handled...
	waitExt(t, ctx, fmt.Sprintf(`heyanStats.handled >= %d`, before+2), 10*time.Second)
	// ...and the round holds one answer.
	if s := workerState(t, ctx).roundOfPhone(phone); len(s.Events) != 2 {
		t.Fatalf("after one unknown answer the round is %+v, want the SMS and one answer", s.Events)
	}
	waitBar(t, ctx, "剩余核验机会：4/5")
}

// TestSMSTimeAskedOnce answers the bar's one question (when did the SMS
// arrive?) with 23 hours ago: the deadline follows, the question is gone, and
// it stays gone after a reload. A resend that worked uses one of the two.
func TestSMSTimeAskedOnce(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138090"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	typeInto(t, ctx, "请输入手机号", phone)
	waitExt(t, ctx, jsBar+`.querySelector(".ask:not([hidden])")`, 5*time.Second)
	evalExt[bool](t, ctx, jsBar+`.querySelector(".ask input").value = (() => {
		const d = new Date(Date.now() - 23 * 3600e3), p = (n) => String(n).padStart(2, "0");
		return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" + p(d.getHours()) + ":" + p(d.getMinutes());
	})(), true`)
	clickExt(t, ctx, jsBar+`.querySelector(".ask .primary")`)
	waitExt(t, ctx, jsBar+`.querySelector(".ask[hidden]")`, 5*time.Second)
	waitExt(t, ctx, fmt.Sprintf(`/距 24 小时期限：0 小时 (59|58) 分/.test(%s.textContent)`, jsBar), 5*time.Second)
	do(t, ctx, chromedp.Reload())
	waitExt(t, ctx, jsBar+`?.querySelector(".bar")`, 15*time.Second)
	typeInto(t, ctx, "请输入手机号", phone)
	waitExt(t, ctx, fmt.Sprintf(`/距 24 小时期限：0 小时/.test(%s.textContent)`, jsBar), 5*time.Second)
	if evalExt[bool](t, ctx, jsBar+`.querySelector(".ask:not([hidden])") !== null`) {
		t.Fatal("the SMS time was asked again")
	}
	switchTab(t, ctx, "短信重发")
	typeInto(t, ctx, "请输入手机号码", phone)
	typeInto(t, ctx, "请输入证件号码后6位", "150012")
	e.replica.Script(phone, Answer{Status: 101, Flag: true})
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "resend-ok", "zh-CN"))
	waitExt(t, ctx, fmt.Sprintf(`(%s?.textContent || "").includes("重发剩余：1/2")`, jsCard), 5*time.Second)
}

// TestZhejiangPermitInBar saves a Zhejiang HK/Macau permit holder from the
// bar: the province is offered only for that document, the permit number is
// refused (live and on save) while 567（8） is kept, and on the page the live
// check and the mismatch cross-check apply the Zhejiang rule (567(8) typed
// is the saved 567（8）; without the province it would differ).
func TestZhejiangPermitInBar(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.peopleTab(t, 60*time.Second)
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	openBarForm(t, ctx)
	provinceShown := jsBar + `.querySelector(".save .province:not([hidden])") !== null`
	if evalExt[bool](t, ctx, provinceShown) {
		t.Fatal("the province is offered for a resident ID")
	}
	zj := personIn{Name: "陈六", Role: "principal", Phone: "13800138110", Doc: "hk-macau-permit", Zhejiang: true, ID: "H12345678"}
	fillPersonForm(t, ctx, jsBar, true, zj)
	if !evalExt[bool](t, ctx, provinceShown) {
		t.Fatal("the province is not offered for an HK/Macau permit")
	}
	refused := jsBar + `.querySelector('.save [data-field="idLast6"] ~ .field-problem')?.textContent.includes("浙江省的港澳居民")`
	waitExt(t, ctx, refused, 5*time.Second)
	if evalExt[bool](t, ctx, `[...`+jsBar+`.querySelectorAll("select")[0].options].some(o => o.textContent.startsWith("陈六"))`) {
		t.Fatal("a permit number was saved for a Zhejiang person")
	}
	screenshot(t, ctx, e, "bar-zhejiang-refused")
	zj.ID = "567（8）"
	fillPersonForm(t, ctx, jsBar, true, zj)
	waitBarPerson(t, ctx, "陈六")
	// On the page: 567(8) is the saved 567（8） under the Zhejiang rule.
	typeVerify(t, ctx, zj.Phone, "567(8)")
	do(t, ctx, chromedp.KeyEvent("\t"))
	waitExt(t, ctx, jsBar+`.querySelector(".status")?.textContent.includes("剩余核验机会")`, 5*time.Second)
	waitBarSettled(t, ctx)
	if got := evalExt[string](t, ctx, `(`+jsMismatch+`)?.textContent || ""`); got != "" {
		t.Fatalf("567(8) typed for a saved 567（8） in Zhejiang: mismatch %q", got)
	}
	if got := evalExt[string](t, ctx, jsBar+`.querySelector(".problems")?.textContent || ""`); got != "" {
		t.Fatalf("live check of 567(8) in Zhejiang: %q", got)
	}
	clearAndType(t, ctx, "请输入证件号码后6位", "567(9)")
	waitExt(t, ctx, jsMismatch, 5*time.Second)
}

// TestShortcutCommand checks the manifest's command: the browser lists it
// with Alt+Shift+H (chrome://extensions/shortcuts shows and remaps it), and
// the service worker forwards it to the active tab, where the MIIT page's
// content script fills. Not parallel: "the active tab" must be this one.
func TestShortcutCommand(t *testing.T) {
	e := needE2E(t)
	ctx := e.peopleTab(t, 60*time.Second)
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	savePersonInBar(t, ctx, "赵七", "principal", "13800138120", "resident-id", "150017", "")
	sw, _ := serviceWorker(t, ctx)
	got := evalAwait[string](t, sw, `chrome.commands.getAll().then((cs) => JSON.stringify(cs.find((c) => c.name === "fill-person")))`)
	var cmd struct{ Shortcut, Description string }
	if err := json.Unmarshal([]byte(got), &cmd); err != nil || cmd.Shortcut != "Alt+Shift+H" || cmd.Description == "" {
		t.Fatalf("the fill-person command = %s (%v), want shortcut Alt+Shift+H with a description", got, err)
	}
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.BringToFront, cdp.Empty{})
		return err
	}))
	if !evalAwait[bool](t, sw, `heyanWorker.forwardCommand("fill-person")`) {
		t.Fatal("the worker found no content script in the active tab")
	}
	waitJS(t, ctx, `document.querySelector(".sms-box").__vue__.verifyForm.certNum === "150017"`, 5*time.Second)
	if m := model(t, ctx); m["mobileNum"] != float64(13800138120) {
		t.Fatalf("page model after the command = %v", m)
	}
}

// TestSelectionIsPerTab chooses different people in two tabs: each tab's
// fill uses its own choice (saving in one tab used to switch every tab).
func TestSelectionIsPerTab(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	a := e.peopleTab(t, 60*time.Second)
	b := e.peopleTab(t, 60*time.Second)
	openForm(t, a, e, "/Integrated/ComplaintA", "lockms=300")
	savePersonInBar(t, a, "甲", "principal", "13800138140", "resident-id", "150140", "")
	savePersonInBar(t, a, "乙", "principal", "13800138141", "resident-id", "150141", "")
	openForm(t, b, e, "/Integrated/ComplaintA", "lockms=300")
	savePersonInBar(t, b, "甲", "principal", "13800138140", "resident-id", "150140", "") // chosen in b
	pressFillShortcut(t, a)
	waitJS(t, a, `document.querySelector(".sms-box").__vue__.verifyForm.certNum === "150141"`, 5*time.Second)
	if got := model(t, a)["mobileNum"]; got != float64(13800138141) {
		t.Fatalf("tab a filled %v, want 乙's phone", got)
	}
	pressFillShortcut(t, b)
	waitJS(t, b, `document.querySelector(".sms-box").__vue__.verifyForm.certNum === "150140"`, 5*time.Second)
}

// TestSavingKeepsCountsAndFilings counts a wrong try for a phone, then saves
// the phone with a filing: the count moves into the filing's round (it used
// to reset to 5/5). A second filing for the same phone, chosen in the tab,
// gets the next answer; the ID typed is checked against both saved entries.
func TestSavingKeepsCountsAndFilings(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.peopleTab(t, 90*time.Second)
	phone := "13800138150"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	typeVerify(t, ctx, phone, "150150")
	e.replica.Script(phone, Answer{Status: 2})
	submitAndSolve(t, ctx)
	waitBar(t, ctx, "剩余核验机会：4/5")
	savePersonInBar(t, ctx, "钱一", "principal", phone, "resident-id", "150150", "计数小程序")
	waitBar(t, ctx, "剩余核验机会：4/5") // the same refresh that listed 钱一
	st := workerState(t, ctx)
	if _, ok := st.phoneRound(phone); ok {
		t.Error("the phone's round was left behind")
	}
	if s := st.roundOfFiling("计数小程序"); len(s.Events) != 2 {
		t.Fatalf("filing round = %+v, want the SMS and the wrong try", s)
	}
	// One phone, two filings: the second, saved (and so chosen) here, gets the answer.
	savePersonInBar(t, ctx, "钱一", "app-owner", phone, "resident-id", "250150", "计数小程序二")
	recorded := evalExt[int](t, ctx, `heyanStats.recorded`)
	e.replica.Script(phone, Answer{Status: 2})
	submitAndSolve(t, ctx)
	waitExt(t, ctx, fmt.Sprintf(`heyanStats.recorded > %d`, recorded), 10*time.Second)
	st = workerState(t, ctx)
	if n := len(st.roundOfFiling("计数小程序二").Events); n != 2 {
		t.Errorf("the chosen filing's round has %d events, want 2", n)
	}
	if n := len(st.roundOfFiling("计数小程序").Events); n != 2 {
		t.Errorf("the other filing's round has %d events, want 2 (unchanged)", n)
	}
	// 350150 is nobody's: a warning naming the phone's saved people; 250150
	// (the app-owner entry's) and 150150 (the principal's) each clear it.
	for _, id := range []string{"250150", "150150"} {
		clearAndType(t, ctx, "请输入证件号码后6位", "350150")
		waitExt(t, ctx, jsMismatch, 5*time.Second)
		warn := evalExt[string](t, ctx, jsMismatch+`.textContent`)
		if !strings.Contains(warn, "钱一") || !strings.Contains(warn, "50") {
			t.Errorf("mismatch warning %q", warn)
		}
		clearAndType(t, ctx, "请输入证件号码后6位", id)
		waitBarSettled(t, ctx)
		if got := evalExt[string](t, ctx, `(`+jsMismatch+`)?.textContent || ""`); got != "" {
			t.Errorf("%s is saved for the phone, yet the bar says %q", id, got)
		}
	}
}

// waitBarSettled waits until every bar shows what is typed now: none is
// still checking it or waiting for the worker's view (the input and focus
// events that start a check are handled before the key event returns).
func waitBarSettled(t testing.TB, ctx context.Context) {
	t.Helper()
	waitExt(t, ctx, `heyanStats.barsRefreshing === 0`, 10*time.Second)
}
