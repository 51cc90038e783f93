package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/debugger"
	"github.com/chromedp/chromedp"
)

// storedState is the worker's chrome.storage.local state, as the worker
// reads it: records under random IDs.
type storedState struct {
	People  map[string]struct{ ID, Name, Phone string }
	Filings map[string]struct {
		ID, Name string
		People   []struct{ Role, PersonID string }
	}
	Rounds map[string]storedRound
}

// storedRound is one round: its owner (a filing, a person, or a phone) and
// the tracker's events.
type storedRound struct {
	ID, FilingID, PersonID, Phone string
	Events                        []struct {
		Type   string
		Status *int
		At     string
	}
	SmsAsked bool
	FromText bool
}

// phoneRound is the round of answers counted for a phone outside any
// filing: the phone's own, or that of the saved person with that phone.
func (s storedState) phoneRound(phone string) (storedRound, bool) {
	for _, r := range s.Rounds {
		if r.FilingID != "" {
			continue
		}
		if r.Phone == phone || (r.PersonID != "" && s.People[r.PersonID].Phone == phone) {
			return r, true
		}
	}
	return storedRound{}, false
}

// roundOfPhone is phoneRound's round, the zero round when there is none.
func (s storedState) roundOfPhone(phone string) storedRound {
	r, _ := s.phoneRound(phone)
	return r
}

// roundOfFiling is filingRound's round, the zero round when there is none.
func (s storedState) roundOfFiling(name string) storedRound {
	r, _ := s.filingRound(name)
	return r
}

// filingRound is the round of the filing with this name.
func (s storedState) filingRound(name string) (storedRound, bool) {
	for _, r := range s.Rounds {
		if r.FilingID != "" && s.Filings[r.FilingID].Name == name {
			return r, true
		}
	}
	return storedRound{}, false
}

func workerState(t testing.TB, ctx context.Context) storedState {
	t.Helper()
	sw, _ := serviceWorker(t, ctx)
	raw := evalAwait[string](t, sw, `heyanWorker.readState().then((s) => JSON.stringify(s))`)
	var s storedState
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// waitBar waits until the visible tab's bar says want.
func waitBar(t testing.TB, ctx context.Context, want string) {
	t.Helper()
	waitSays(t, ctx, jsBar, want)
}

// waitCardSays waits until the overlay card says want.
func waitCardSays(t testing.TB, ctx context.Context, want string) {
	t.Helper()
	waitSays(t, ctx, jsCard, want)
}

// waitSays waits until the element of root (our UI, in the content script's
// world) has want in its text, and says what it had when it never does.
func waitSays(t testing.TB, ctx context.Context, root, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got, err := tryEvalExt[string](ctx, root+`?.textContent || ""`)
		if err == nil && strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("our UI says %q (error %v), want %q", got, err, want)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TestTypingStoresNothing types a phone and an ID: the bar shows a fresh
// round's counts, but nothing is stored under that phone until an answer
// comes. The core runs in the page, loaded through the wasm's dynamic URL.
func TestTypingStoresNothing(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138170"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	if got := eval[string](t, ctx, jsCoreWay); got != "in-page" {
		t.Fatalf("core path = %q, want in-page (the wasm is web-accessible through its dynamic URL)", got)
	}
	typeVerify(t, ctx, phone, "150012")
	waitBar(t, ctx, "剩余核验机会：5/5")
	if _, ok := workerState(t, ctx).phoneRound(phone); ok {
		t.Fatal("typing a phone stored a round under it")
	}
	sw, _ := serviceWorker(t, ctx)
	if !eval[bool](t, sw, `chrome.runtime.getManifest().web_accessible_resources.every((r) => r.use_dynamic_url === true)`) {
		t.Error("the wasm is web-accessible without use_dynamic_url")
	}
	e.replica.Script(phone, Answer{Status: 2})
	submitAndSolve(t, ctx)
	waitRecorded(t, ctx, 1)
	if s, ok := workerState(t, ctx).phoneRound(phone); !ok || len(s.Events) != 2 {
		t.Fatalf("after one answer the round is %+v (stored: %v), want the SMS and the answer", s, ok)
	}
	waitBar(t, ctx, "剩余核验机会：4/5")
}

// waitRecorded waits until the tab's content script has had n answers
// counted by the worker (the reply with their counts came back), and fails
// when it had more: each answer counts once.
func waitRecorded(t testing.TB, ctx context.Context, n int) {
	t.Helper()
	waitExt(t, ctx, fmt.Sprintf(`heyanStats.recorded >= %d`, n), 15*time.Second)
	if got := evalExt[int](t, ctx, `heyanStats.recorded`); got != n {
		t.Fatalf("%d answers recorded, want %d", got, n)
	}
}

// TestNewRoundAfterReturn answers 21 (the filing was returned): the bar asks
// whether a new SMS came, and the answer starts a new round with 5 tries
// and 2 resends; the next wrong try counts in it.
func TestNewRoundAfterReturn(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138160"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	typeVerify(t, ctx, phone, "150012")
	e.replica.Script(phone, Answer{Status: 2}, Answer{Status: 21})
	submitAndSolve(t, ctx)
	waitBar(t, ctx, "剩余核验机会：4/5")
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "verify-returned", "zh-CN"))
	waitExt(t, ctx, jsBar+`.querySelector('.ask:not([hidden])')?.textContent.includes("收到新的核验短信了吗")`, 10*time.Second)
	screenshot(t, ctx, e, "bar-new-sms-question")
	clickExt(t, ctx, jsBar+`.querySelector(".ask .primary")`)
	waitExt(t, ctx, jsBar+`.querySelector(".ask[hidden]")`, 5*time.Second)
	waitBar(t, ctx, "剩余核验机会：5/5")
	waitBar(t, ctx, "重发剩余：2/2")
	s := workerState(t, ctx).roundOfPhone(phone)
	if n := len(s.Events); n != 4 || s.Events[3].Type != "sms-received" {
		t.Fatalf("round events = %+v, want a new sms-received appended after the return", s.Events)
	}
	e.replica.Script(phone, Answer{Status: 2})
	submitAndSolve(t, ctx)
	waitBar(t, ctx, "剩余核验机会：4/5")
}

// TestTextOnlyRepeatedAnswerCounts answers five wrong tries with the same
// status 2 on an API path the network reader does not know: the banner's
// text never changes after the first, yet each answer counts (the banner is
// read again when the request comes back), and the counts say "at most"
// because they come from the text alone. Each step waits for the worker's
// reply to that answer (heyanStats.recorded), then for its counts on the
// card; the next 提交 follows at once, often before the previous answer's
// read again would have run.
func TestTextOnlyRepeatedAnswerCounts(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 120*time.Second)
	phone := "13800138180"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300&api=alt")
	typeVerify(t, ctx, phone, "150012")
	for i := 1; i <= 5; i++ {
		e.replica.Script(phone, Answer{Status: 2})
		submitAndSolve(t, ctx)
		waitJS(t, ctx, fmt.Sprintf(`window.replicaAnswers.length === %d`, i), 10*time.Second)
		waitRecorded(t, ctx, i)
		want := fmt.Sprintf("剩余核验机会：最多 %d/5", 5-i)
		waitCardSays(t, ctx, want)
		waitBar(t, ctx, want)
	}
	if !evalExt[bool](t, ctx, jsBar+`.textContent.includes("再提交一次，工信部就会退回这次备案")`) {
		t.Errorf("no next-try-returns-filing warning: %q", barText(t, ctx))
	}
	s := workerState(t, ctx).roundOfPhone(phone)
	if n := len(s.Events); n != 6 || !s.FromText {
		t.Fatalf("round = %+v, want the SMS and five answers, marked as read from the text", s)
	}
	screenshot(t, ctx, e, "bar-text-only-at-most")
}

// TestReadAgainBelongsToItsSubmit checks the text reader's read again in
// the content script's world, in order and without waiting on the page: a
// watcher over the banner still showing an answer is told that a request
// came back for a 提交, then of another 提交 before the read again is due.
// That read must not take the old banner for the new 提交's answer (a try
// counted that the site never answered); the answer that then comes back for
// the new 提交 is read again, once.
func TestReadAgainBelongsToItsSubmit(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138181"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300&api=alt")
	typeVerify(t, ctx, phone, "150012")
	e.replica.Script(phone, Answer{Status: 2})
	submitAndSolve(t, ctx)
	waitRecorded(t, ctx, 1)
	// A second watcher with a stand-in core: the page's own is left alone.
	// Timers run in the order they are due, so waiting past REPEAT_CHECK_MS
	// inside the page is an order, not a guess about speed.
	raw, err := tryEvalExt[string](ctx, `(async () => {
		const stop = new AbortController();
		let reads = 0;
		const core = { call: () => Promise.resolve({ matches: [{ id: "verify-wrong-info", status: 2 }] }) };
		const w = heyanTextReader.watchPageText(core, () => { reads++; }, stop.signal);
		const past = () => new Promise((r) => setTimeout(r, heyanTextReader.REPEAT_CHECK_MS + 100));
		await new Promise((r) => setTimeout(r, 0));
		const atStart = reads;
		w.submitted(); w.answered(); w.submitted();
		await past();
		const stale = reads - atStart;
		w.answered();
		await past();
		const again = reads - atStart - stale;
		stop.abort();
		return JSON.stringify({ atStart, stale, again });
	})()`, chromedp.EvalAwaitPromise)
	if err != nil {
		t.Fatal(err)
	}
	if raw != `{"atStart":1,"stale":0,"again":1}` {
		t.Fatalf("reads of the banner = %s; want the shown answer once at the start, none for the 提交 that came before its answer, one for the answer to it", raw)
	}
	if n := len(workerState(t, ctx).roundOfPhone(phone).Events); n != 2 {
		t.Errorf("round has %d events, want the SMS and the one answer (the stand-in reads count nothing)", n)
	}
}

// TestAnswerCountedWhenWorkerGoesAway closes the service worker while it
// handles an answer (paused in the debugger in its message listener, so the
// answer is surely in flight): the content script sends the answer again to
// the worker the browser starts anew, and it is counted, once, with its
// counts on the card. Its own browser: the closing would cut off the other
// tests' messages.
func TestAnswerCountedWhenWorkerGoesAway(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	bctx, stop := e.browser(t, t.TempDir(), "zh-CN", true)
	defer stop()
	ctx := tab(t, bctx, 60*time.Second)
	phone := "13800138182"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	typeVerify(t, ctx, phone, "150012")
	waitBar(t, ctx, "剩余核验机会：5/5")
	sw, _ := serviceWorker(t, ctx)
	eval[bool](t, sw, `true`)
	// A second session on the worker that closes it when cancelled
	// (chromedp's default for a target it attached to).
	wctx, closeWorker := chromedp.NewContext(sw, chromedp.WithTargetID(chromedp.FromContext(sw).Target.TargetID))
	defer closeWorker()
	do(t, wctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, debugger.Enable, debugger.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, debugger.Pause, cdp.Empty{})
		return err
	}))
	e.replica.Script(phone, Answer{Status: 2})
	submitAndSolve(t, ctx)
	// The card is drawn after the answer was sent to the (paused) worker.
	waitCard(t, ctx, title(t, "verify-wrong-info", "zh-CN"))
	if n := evalExt[int](t, ctx, `heyanStats.recorded`); n != 0 {
		t.Fatalf("%d answers recorded by a paused worker", n)
	}
	closeWorker()
	waitRecorded(t, ctx, 1)
	waitCardSays(t, ctx, "剩余核验机会：4/5")
	if n := len(workerState(t, ctx).roundOfPhone(phone).Events); n != 2 {
		t.Fatalf("round has %d events, want the SMS and the one answer", n)
	}
}

// TestNetworkReaderAlone hides the result banner (tips=0), so only the
// MAIN-world reader can produce the card and the counts: with axios (XHR)
// and with fetch, a verify and a resend answer each give exactly one network
// event with just {api, validStatus, validFlag}, their card, and their count.
// The answers the page's own code received are the same as without the
// extension.
func TestNetworkReaderAlone(t *testing.T) {
	e := needE2E(t)
	answers := []Answer{{Status: 2}, {Status: 101, Flag: true}}
	flows := map[string][]string{}
	for _, c := range []struct{ name, query, phone string }{
		{"xhr", "lockms=300&tips=0", "13800138190"},
		{"fetch", "lockms=300&tips=0&fetch=1", "13800138191"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := e.sharedTab(t, 60*time.Second)
			openForm(t, ctx, e, "/Integrated/ComplaintA", c.query)
			flows[c.name] = runTwoAnswers(t, ctx, e, c.phone, answers, func() {
				waitCard(t, ctx, title(t, "verify-wrong-info", "zh-CN"))
				waitBar(t, ctx, "剩余核验机会：4/5")
			}, func() {
				waitCard(t, ctx, title(t, "resend-ok", "zh-CN"))
				waitExt(t, ctx, fmt.Sprintf(`(%s?.textContent || "").includes("重发剩余：1/2")`, jsCard), 10*time.Second)
			})
			got := eval[[]string](t, ctx, `window.heyanNetEvents`)
			want := []string{`{"api":"verify","validStatus":2,"validFlag":false}`, `{"api":"resend","validStatus":101,"validFlag":true}`}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("network events in the page = %q, want %q", got, want)
			}
			if n := len(workerState(t, ctx).roundOfPhone(c.phone).Events); n != 3 {
				t.Errorf("round has %d events, want the SMS and two answers", n)
			}
		})
	}
	// The same answers without the extension: the page's code gets the same bodies.
	bctx, stop := e.browser(t, t.TempDir(), "zh-CN", false)
	defer stop()
	for _, c := range []struct{ name, query, phone string }{
		{"xhr", "lockms=300&tips=0", "13800138192"},
		{"fetch", "lockms=300&tips=0&fetch=1", "13800138193"},
	} {
		ctx := tab(t, bctx, 60*time.Second)
		do(t, ctx, chromedp.Navigate(e.url("/Integrated/ComplaintA", c.query)))
		waitJS(t, ctx, `document.querySelector(".Submission")`, 10*time.Second)
		plain := runTwoAnswers(t, ctx, e, c.phone, answers, func() {}, func() {})
		if strings.Join(plain, "\n") != strings.Join(flows[c.name], "\n") {
			t.Errorf("%s: the page received %q with the extension, %q without", c.name, flows[c.name], plain)
		}
	}
}

// runTwoAnswers submits a verify and then a resend with the given answers,
// calling after each, and returns the answers the page's code received.
// heyanNetEvents collects the network reader's events in the page's world.
func runTwoAnswers(t *testing.T, ctx context.Context, e *env, phone string, answers []Answer, afterVerify, afterResend func()) []string {
	t.Helper()
	eval[bool](t, ctx, `(window.heyanNetEvents = [], document.addEventListener("heyan:network-result", (ev) => heyanNetEvents.push(ev.detail)), true)`)
	typeVerify(t, ctx, phone, "150012")
	e.replica.Script(phone, answers[0])
	submitAndSolve(t, ctx)
	waitJS(t, ctx, `window.replicaAnswers.length === 1`, 10*time.Second)
	afterVerify()
	eval[bool](t, ctx, `(() => { for (const h of document.querySelectorAll(".tit h5")) if (h.textContent.trim() === "短信重发") h.click(); return true })()`)
	waitJS(t, ctx, `document.querySelector(".tit h5.Selection")?.textContent.trim() === "短信重发"`, 5*time.Second)
	typeInto(t, ctx, "请输入手机号码", phone)
	typeInto(t, ctx, "请输入证件号码后6位", "150012")
	e.replica.Script(phone, answers[1])
	submitAndSolve(t, ctx)
	waitJS(t, ctx, `window.replicaAnswers.length === 2`, 10*time.Second)
	afterResend()
	return eval[[]string](t, ctx, `window.replicaAnswers`)
}

// TestOddAnswersExplainedNotCounted: a resend answered with a code the site
// does not have (the page shows the text of 0) gets that card but counts as
// neither a try nor a resend; a toast whose text matches a result explains it
// without counting.
func TestOddAnswersExplainedNotCounted(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138200"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	switchTab(t, ctx, "短信重发")
	typeInto(t, ctx, "请输入手机号码", phone)
	typeInto(t, ctx, "请输入证件号码后6位", "150012")
	before := evalExt[int](t, ctx, `heyanStats.handled`)
	e.replica.Script(phone, Answer{Status: 7})
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "verify-failed-retry", "zh-CN"))
	// The network answer and the banner: both handled, one result.
	waitExt(t, ctx, fmt.Sprintf(`heyanStats.handled >= %d`, before+2), 10*time.Second)
	if s, ok := workerState(t, ctx).phoneRound(phone); ok {
		t.Fatalf("an unknown resend code was counted: %+v", s)
	}
	before = evalExt[int](t, ctx, `heyanStats.handled`)
	e.replica.Script(phone, Answer{Code: 500, Msg: "您的短信核验失败,请输入正确的信息。"})
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "verify-wrong-info", "zh-CN"))
	waitExt(t, ctx, fmt.Sprintf(`heyanStats.handled >= %d`, before+1), 10*time.Second)
	if s, ok := workerState(t, ctx).phoneRound(phone); ok {
		t.Fatalf("a toast was counted: %+v", s)
	}
	waitBar(t, ctx, "剩余核验机会：5/5")
}

// TestCardStepsAsideForCaptcha submits again while the card is up: while the
// captcha is shown the card covers none of it (it steps aside), and the next
// answer brings it back beside the banner, covering nothing.
func TestCardStepsAsideForCaptcha(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138210"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	typeVerify(t, ctx, phone, "150012")
	e.replica.Script(phone, Answer{Status: 2}, Answer{Status: 0})
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "verify-wrong-info", "zh-CN"))
	checkNotCovering(t, ctx)
	btn := `.tab-card[style*="block"] .Submission`
	waitJS(t, ctx, fmt.Sprintf(`!document.querySelector(%q).disabled`, btn), 10*time.Second)
	do(t, ctx, chromedp.Click(chromedp.CSS(btn)))
	waitJS(t, ctx, `document.querySelector(".verify-box")`, 5*time.Second)
	waitExt(t, ctx, `getComputedStyle(document.querySelector("heyan-result")).display === "none"`, 5*time.Second)
	checkNotCovering(t, ctx)
	screenshot(t, ctx, e, "captcha-over-card")
	solveCaptcha(t, ctx)
	waitCard(t, ctx, title(t, "verify-failed-retry", "zh-CN"))
	waitExt(t, ctx, `getComputedStyle(document.querySelector("heyan-result")).display === "block"`, 5*time.Second)
	checkNotCovering(t, ctx)
}

// TestExtensionReloadLeavesNote reloads the extension under an open MIIT tab
// (as an update does): the orphaned content script removes its bar and card
// and leaves a note asking to reload the page. Its own browser: the reload
// would pull the extension from under the other tests.
func TestExtensionReloadLeavesNote(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	bctx, stop := e.browser(t, t.TempDir(), "zh-CN", true)
	defer stop()
	ctx := tab(t, bctx, 60*time.Second)
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	sw, _ := serviceWorker(t, ctx)
	// The worker goes away with the reload, so the call may not answer.
	chromedp.Run(sw, chromedp.Evaluate[chromedp.Void](`setTimeout(() => chrome.runtime.reload(), 50)`))
	waitJS(t, ctx, `document.querySelector('heyan-note[data-heyan="updated"]')`, 15*time.Second)
	if n := eval[int](t, ctx, `document.querySelectorAll("heyan-bar, heyan-result").length`); n != 0 {
		t.Fatalf("%d of the old bars and cards are still on the page", n)
	}
	screenshot(t, ctx, e, "updated-note")
}
