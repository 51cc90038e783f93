package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// What a new user met on a page unlike our replica: each test switches the
// replica to one such variant (show=…, layout=plain, lookuptoast=…).

// uncountedNote is what the card says of an answer it could not count.
const uncountedNote = "没有计入剩余次数"

// TestResultsInEveryElementPlace shows the answer in each place Element UI
// has for messages, with the network reader unable to read it (api=alt): the
// card explains it, says that it was not counted, and nothing is counted.
func TestResultsInEveryElementPlace(t *testing.T) {
	e := needE2E(t)
	for i, place := range []string{"alert", "notification", "messagebox", "toast"} {
		t.Run(place, func(t *testing.T) {
			t.Parallel()
			ctx := e.sharedTab(t, 60*time.Second)
			phone := fmt.Sprintf("1380013830%d", i)
			openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300&api=alt&show="+place)
			typeVerify(t, ctx, phone, "150012")
			e.replica.Script(phone, Answer{Status: 2})
			submitAndSolve(t, ctx)
			waitCard(t, ctx, title(t, "verify-wrong-info", "zh-CN"))
			waitCardSays(t, ctx, uncountedNote)
			if got := cardText(t, ctx); strings.Contains(got, "剩余核验机会") {
				t.Errorf("an answer that was not counted shows counts on its card: %q", got)
			}
			screenshot(t, ctx, e, "card-uncounted-"+place)
			if n := evalExt[int](t, ctx, `heyanStats.recorded`); n != 0 {
				t.Errorf("%d answers counted from a %s", n, place)
			}
			if _, ok := workerState(t, ctx).phoneRound(phone); ok {
				t.Errorf("a round was stored for an answer read from a %s", place)
			}
		})
	}
}

// TestAlertResultCountedFromTheNetwork shows the answer in an el-alert while
// the network reader can read it: counted once (from the network), and the
// card has the counts, not the not-counted note.
func TestAlertResultCountedFromTheNetwork(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138310"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300&show=alert")
	typeVerify(t, ctx, phone, "150012")
	e.replica.Script(phone, Answer{Status: 2})
	submitAndSolve(t, ctx)
	waitCardSays(t, ctx, "剩余核验机会：4/5")
	waitExt(t, ctx, `document.querySelector(".result-alert")`, 5*time.Second)
	waitExt(t, ctx, `heyanStats.handled >= 2`, 5*time.Second) // the network answer and the alert's text
	if got := cardText(t, ctx); strings.Contains(got, uncountedNote) {
		t.Errorf("a counted answer says it was not counted: %q", got)
	}
	if n := len(workerState(t, ctx).roundOfPhone(phone).Events); n != 2 {
		t.Errorf("round has %d events, want the SMS and the one answer", n)
	}
}

// TestOnlyOnTheSMSPages opens the ICP lookup page, which shows the text of a
// known answer in a toast: no card, and the core is not even started there.
// The SMS page reached from it by the site's navigation starts both.
func TestOnlyOnTheSMSPages(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	do(t, ctx, chromedp.Navigate(e.url("/Integrated/recordQuery", "lookuptoast="+"您的短信核验失败,请输入正确的信息。")))
	waitJS(t, ctx, `document.querySelector(".el-message")`, 10*time.Second)
	// The watcher has looked at the page since the toast came: a change of
	// the page (and the watcher's look at it) after the toast is there.
	waitExt(t, ctx, `typeof heyanStats === "object"`, 10*time.Second)
	before := evalExt[int](t, ctx, `heyanStats.pageChecks`)
	eval[bool](t, ctx, `(document.body.append(document.createElement("div")), true)`)
	waitExt(t, ctx, fmt.Sprintf(`heyanStats.pageChecks > %d`, before), 5*time.Second)
	got := evalExt[string](t, ctx, `JSON.stringify({core: heyanStats.coreStarted, text: heyanStats.text, card: !!document.querySelector("heyan-result"), bar: !!document.querySelector("heyan-bar")})`)
	if got != `{"core":0,"text":0,"card":false,"bar":false}` {
		t.Fatalf("on the lookup page: %s; want no core, nothing read, no card, no bar", got)
	}
	eval[bool](t, ctx, `(document.querySelector('a[href="#/Integrated/ComplaintA"]').click(), true)`)
	waitExt(t, ctx, jsBar+`?.querySelector(".bar")`, 15*time.Second)
	waitJS(t, ctx, jsCoreWay, 15*time.Second)
	if n := evalExt[int](t, ctx, `heyanStats.coreStarted`); n != 1 {
		t.Fatalf("the SMS page did not start the core (%d)", n)
	}
}

// TestCountsMatchTheState answers 21 (returned) and, for another person, 3
// (complete): the card and the bar then say what ended the round instead of
// tries, resends and a countdown that no longer apply.
func TestCountsMatchTheState(t *testing.T) {
	e := needE2E(t)
	for _, c := range []struct {
		status     int
		id, phone  string
		say        string
		notCounted []string
	}{
		{21, "verify-returned", "13800138320", "已退回：本轮核验已结束", []string{"重发剩余", "距 24 小时期限", "剩余核验机会"}},
		{3, "verify-complete", "13800138321", "核验已完成", []string{"距 24 小时期限", "剩余核验机会", "重发剩余"}},
	} {
		t.Run(c.id, func(t *testing.T) {
			t.Parallel()
			ctx := e.sharedTab(t, 60*time.Second)
			openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
			typeVerify(t, ctx, c.phone, "150012")
			e.replica.Script(c.phone, Answer{Status: c.status, Flag: c.status == 3})
			submitAndSolve(t, ctx)
			waitCard(t, ctx, title(t, c.id, "zh-CN"))
			waitCardSays(t, ctx, c.say)
			waitBar(t, ctx, c.say)
			waitBarSettled(t, ctx)
			for where, got := range map[string]string{"card": cardText(t, ctx), "bar": barText(t, ctx)} {
				for _, stale := range c.notCounted {
					if strings.Contains(got, stale) {
						t.Errorf("after %d the %s still says %q: %q", c.status, where, stale, got)
					}
				}
			}
			screenshot(t, ctx, e, "counts-after-"+c.id)
		})
	}
}

// TestMismatchAsksOnceAtSubmit types a saved person's phone with another ID
// last 6: the warning sits right above 提交; the first 提交 is held to ask
// (no captcha, no request), and pressing 提交 again goes on.
func TestMismatchAsksOnceAtSubmit(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.peopleTab(t, 60*time.Second)
	phone := "13800138330"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	savePersonInBar(t, ctx, "赵九", "principal", phone, "resident-id", "180034", "")
	// While nothing mismatches, nothing sits above 提交, not even an empty strip.
	askHeight := `((h) => h ? h.getBoundingClientRect().height : -1)(document.querySelector('.tab-card[style*="block"] heyan-ask'))`
	waitJS(t, ctx, askHeight+` >= 0`, 10*time.Second)
	if h := eval[float64](t, ctx, askHeight); h != 0 {
		t.Errorf("with nothing mismatched, the warning's place above 提交 is %v px high, want 0", h)
	}
	typeVerify(t, ctx, phone, "180035")
	waitExt(t, ctx, jsMismatch, 5*time.Second)
	var geo struct{ WarnB, WarnL, WarnR, BtnT, BtnL, BtnR float64 }
	raw := evalExt[string](t, ctx, `JSON.stringify((() => {
		const w = document.querySelector('.tab-card[style*="block"] heyan-ask').getBoundingClientRect();
		const b = document.querySelector('.tab-card[style*="block"] .Submission').getBoundingClientRect();
		return {WarnB: w.bottom, WarnL: w.left, WarnR: w.right, BtnT: b.top, BtnL: b.left, BtnR: b.right};
	})())`)
	json.Unmarshal([]byte(raw), &geo)
	if gap := geo.BtnT - geo.WarnB; gap < 0 || gap > 40 || geo.WarnR < geo.BtnL || geo.WarnL > geo.BtnR {
		t.Errorf("the warning %+v is not right above 提交", geo)
	}
	screenshot(t, ctx, e, "mismatch-at-submit")
	requests := requestsFor(e, phone)
	held := evalExt[int](t, ctx, `heyanStats.submitsHeld`)
	btn := `.tab-card[style*="block"] .Submission`
	waitJS(t, ctx, fmt.Sprintf(`!document.querySelector(%q).disabled`, btn), 10*time.Second)
	do(t, ctx, chromedp.Click(chromedp.CSS(btn)))
	waitExt(t, ctx, fmt.Sprintf(`heyanStats.submitsHeld === %d`, held+1), 5*time.Second)
	if eval[bool](t, ctx, `!!document.querySelector(".verify-mask")`) {
		t.Fatal("the held 提交 went on to the captcha")
	}
	question := `((h) => chrome.dom.openOrClosedShadowRoot(h).querySelector(".ask"))(document.querySelector('.tab-card[style*="block"] heyan-ask'))`
	if !evalExt[bool](t, ctx, `!`+question+`.hidden`) {
		t.Fatal("the held 提交 asks nothing")
	}
	screenshot(t, ctx, e, "mismatch-asks")
	// The user insists: 提交 again goes on, and is not held again.
	do(t, ctx, chromedp.Click(chromedp.CSS(btn)))
	solveCaptcha(t, ctx)
	waitCard(t, ctx, title(t, "verify-failed-retry", "zh-CN"))
	if n := evalExt[int](t, ctx, `heyanStats.submitsHeld`); n != held+1 {
		t.Errorf("提交 held %d times, want once", n-held)
	}
	if got := requestsFor(e, phone) - requests; got != 1 {
		t.Errorf("the API got %d requests, want the one the user insisted on", got)
	}
}

// requestsFor counts the API requests for phone: the tests running beside
// this one send theirs to the same replica.
func requestsFor(e *env, phone string) int {
	n := 0
	for _, r := range e.replica.Requests() {
		if fmt.Sprint(r.Body["mobileNum"]) == phone {
			n++
		}
	}
	return n
}

// TestLowerCaseXIsUpperCaseX types an ID last 6 ending in a lower-case x: the
// bar says the site wants X; a person saved with it is filled with X.
func TestLowerCaseXIsUpperCaseX(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.peopleTab(t, 60*time.Second)
	phone := "13800138340"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	typeInto(t, ctx, "请输入证件号码后6位", "15001x")
	do(t, ctx, chromedp.KeyEvent("\t"))
	waitExt(t, ctx, jsBar+`.querySelector('.problems [data-code="id-x-upper"]')`, 5*time.Second)
	savePersonInBar(t, ctx, "孙十", "principal", phone, "resident-id", "15001x", "")
	clearAndType(t, ctx, "请输入证件号码后6位", "1")
	clearAndType(t, ctx, "请输入手机号", phone)
	clickExt(t, ctx, jsBar+`.querySelector("button.primary")`)
	waitJS(t, ctx, `document.querySelector('.tab-card[style*="block"] input[placeholder="请输入证件号码后6位"]').value === "15001X"`, 5*time.Second)
}

// TestCardClearOfAPlainFormBox lays each form out in a padded, bordered box
// of its own (not .tab-card), with no banner (tips=0: the card goes beside
// the form): the card keeps clear of the whole box, not just of the form
// inside it.
func TestCardClearOfAPlainFormBox(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138350"
	do(t, ctx, chromedp.Navigate(e.url("/Integrated/ComplaintA", "lockms=300&layout=plain&tips=0")))
	box := `.form-box[style*="block"]`
	waitExt(t, ctx, rootOf(box+` heyan-bar`)+`?.querySelector(".bar")`, 15*time.Second)
	for ph, v := range map[string]string{"请输短信验证码": "123456", "请输入手机号": phone, "请输入证件号码后6位": "150012"} {
		sel := fmt.Sprintf(`%s input[placeholder=%q]`, box, ph)
		do(t, ctx, chromedp.Click(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), v))
	}
	e.replica.Script(phone, Answer{Status: 2})
	do(t, ctx, chromedp.Click(chromedp.CSS(box+` .Submission`)))
	solveCaptcha(t, ctx)
	waitCard(t, ctx, title(t, "verify-wrong-info", "zh-CN"))
	waitExt(t, ctx, jsCard+`?.textContent.includes("剩余核验机会")`, 10*time.Second)
	var r struct{ Card, Box rect }
	raw := evalExt[string](t, ctx, `JSON.stringify((() => {
		const b = (el) => { const r = el.getBoundingClientRect(); return {L: r.left, T: r.top, R: r.right, B: r.bottom} };
		return {Card: b(`+jsCard+`), Box: b(document.querySelector(`+fmt.Sprintf("%q", box)+`))};
	})())`)
	json.Unmarshal([]byte(raw), &r)
	c, f := r.Card, r.Box
	if c.L < f.R && c.R > f.L && c.T < f.B && c.B > f.T {
		t.Fatalf("the card %+v overlaps the form's box %+v", c, f)
	}
	screenshot(t, ctx, e, "card-plain-layout")
}

// TestPopupNoSidewaysScroll opens the popup at its 380 px with more than a
// screen of content (every FAQ answer open), in Chinese and English: a
// vertical scrollbar must not make it scroll sideways.
func TestPopupNoSidewaysScroll(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	check := func(t *testing.T, ctx context.Context) {
		openPopup(t, ctx, "faq")
		waitJS(t, ctx, `document.querySelectorAll("#panel-faq details").length >= 6`, 10*time.Second)
		eval[bool](t, ctx, `(document.querySelectorAll("#panel-faq details").forEach((d) => { d.open = true }), true)`)
		var m struct{ ScrollW, ClientW, ScrollH, ClientH float64 }
		raw := eval[string](t, ctx, `JSON.stringify({ScrollW: document.scrollingElement.scrollWidth, ClientW: document.scrollingElement.clientWidth, ScrollH: document.scrollingElement.scrollHeight, ClientH: document.scrollingElement.clientHeight})`)
		json.Unmarshal([]byte(raw), &m)
		if m.ScrollH <= m.ClientH {
			t.Fatalf("the popup does not scroll at all (%+v): the check needs more content", m)
		}
		if m.ScrollW > m.ClientW {
			t.Errorf("the popup scrolls sideways: %+v", m)
		}
	}
	t.Run("zh-CN", func(t *testing.T) { check(t, e.sharedTab(t, 30*time.Second)) })
	t.Run("en", func(t *testing.T) {
		dir := t.TempDir()
		bctx, stop := e.browser(t, dir, "en", true)
		defer stop()
		defer os.RemoveAll(dir)
		check(t, tab(t, bctx, 30*time.Second))
	})
}
