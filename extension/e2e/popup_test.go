package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heyan-dev/heyan/core"
)

// The popup is tested as a page of its own (chrome-extension://<id>/popup/
// popup.html), at the width browsers give extension popups.
const popupWidth = 380

// openPopup opens the popup page on one tab (#who, #faq, #status)
// in the browser of ctx and waits until the panel has content.
func openPopup(t testing.TB, ctx context.Context, tab string) {
	t.Helper()
	id := shared.extensionID()
	do(t, ctx,
		chromedp.EmulateViewport(popupWidth, 600),
		chromedp.Navigate(fmt.Sprintf("chrome-extension://%s/pages/popup/popup.html#%s", id, tab)))
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#panel-%s:not([hidden]) > div')?.children.length`, tab), 10*time.Second)
}

// clickPopup clicks the first element matching sel (optionally the one whose
// text is text) in the popup.
func clickPopup(t testing.TB, ctx context.Context, sel, text string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const b = [...document.querySelectorAll(%q)].find((x) => !%q || x.textContent.trim() === %q); if (!b) return false; b.click(); return true })()`, sel, text, text)
	deadline := time.Now().Add(5 * time.Second)
	for !eval[bool](t, ctx, js) {
		if time.Now().After(deadline) {
			t.Fatalf("nothing to click at %s %q", sel, text)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func popupText(t testing.TB, ctx context.Context, sel string) string {
	return eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q)?.textContent || ""`, sel))
}

// walkWho picks a platform and answers the wizard until it names a
// scenario; it fails when that takes more than 3 answers.
func walkWho(t testing.TB, ctx context.Context, platform string, answers ...bool) string {
	t.Helper()
	eval[bool](t, ctx, `document.querySelector("#panel-who .restart")?.click() || true`)
	clickPopup(t, ctx, fmt.Sprintf(`#panel-who [data-platform=%q]`, platform), "")
	for i, yes := range answers {
		if i == 3 {
			t.Fatalf("%s: more than 3 questions", platform)
		}
		waitJS(t, ctx, `document.querySelector("#panel-who .question")`, 5*time.Second)
		n := eval[int](t, ctx, `document.querySelectorAll("#panel-who .answers li").length`)
		if yes {
			clickPopup(t, ctx, "#panel-who .answer-yes", "")
		} else {
			clickPopup(t, ctx, "#panel-who .answer-no", "")
		}
		waitJS(t, ctx, fmt.Sprintf(`document.querySelectorAll("#panel-who .answers li").length === %d`, n+1), 5*time.Second)
		if eval[bool](t, ctx, `!!document.querySelector("#panel-who .scenario")`) {
			return eval[string](t, ctx, `document.querySelector("#panel-who .scenario").dataset.scenario`)
		}
	}
	t.Fatalf("%s: no scenario after %v", platform, answers)
	return ""
}

// TestPopupWhoVerifies walks the wizard: a renamed Douyin mini-program in one
// answer (both responsible people, with where to find their filed values); a
// website leaving its provider in three (nobody verifies); Back returns to
// the last question.
func TestPopupWhoVerifies(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 30*time.Second)
	openPopup(t, ctx, "who")
	screenshot(t, ctx, e, "popup-who-start")
	if got := walkWho(t, ctx, "douyin-miniapp", true); got != "renamed" {
		t.Fatalf("Douyin, yes: scenario %q, want renamed", got)
	}
	for _, role := range []struct{ id, title string }{{"principal", "主办单位负责人"}, {"app-owner", "小程序负责人"}} {
		sec := fmt.Sprintf(`#panel-who .verifier[data-role=%q]`, role.id)
		if got := popupText(t, ctx, sec+" h3"); got != role.title {
			t.Errorf("verifier %s titled %q, want %q", role.id, got, role.title)
		}
		if got := popupText(t, ctx, sec+" .where"); !strings.Contains(got, "抖音开放平台") || !strings.Contains(got, role.title) {
			t.Errorf("verifier %s: where to find = %q", role.id, got)
		}
	}
	screenshot(t, ctx, e, "popup-who-douyin")

	if got := walkWho(t, ctx, "website", false, false, false); got != "leave-provider" {
		t.Fatalf("website, no×3: scenario %q, want leave-provider", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#panel-who .verifier").length`); n != 0 {
		t.Errorf("leave-provider lists %d verifiers", n)
	}
	if got := popupText(t, ctx, "#panel-who .nobody"); !strings.Contains(got, "不需要短信核验") {
		t.Errorf("leave-provider says %q, want that nobody verifies", got)
	}
	screenshot(t, ctx, e, "popup-who-website")
	clickPopup(t, ctx, "#panel-who .back", "")
	waitJS(t, ctx, `document.querySelector('#panel-who .question[data-question="moving-in"]')`, 5*time.Second)
}

// TestPopupFAQ opens an FAQ entry: its title, cause and numbered steps are the
// core's, as text.
func TestPopupFAQ(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 30*time.Second)
	openPopup(t, ctx, "faq")
	waitJS(t, ctx, `document.querySelector("#panel-faq details")`, 5*time.Second)
	if n := eval[int](t, ctx, `document.querySelectorAll("#panel-faq details").length`); n != 6 {
		t.Fatalf("%d FAQ entries, want 6", n)
	}
	entry, err := core.Lookup("faq-id-suffix")
	if err != nil {
		t.Fatal(err)
	}
	want := entry.View(core.Lang("zh-CN"))
	clickPopup(t, ctx, `#panel-faq details[data-entry="faq-id-suffix"] summary`, "")
	waitJS(t, ctx, `document.querySelector('#panel-faq details[data-entry="faq-id-suffix"]').open`, 3*time.Second)
	sel := `#panel-faq details[data-entry="faq-id-suffix"]`
	if got := popupText(t, ctx, sel+" summary"); got != want.Title {
		t.Errorf("summary %q, want %q", got, want.Title)
	}
	steps := eval[[]string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll('%s ol > li')].map((li) => li.textContent)`, sel))
	if len(steps) < 2 || strings.Join(steps, "\n") != strings.Join(want.Steps, "\n") {
		t.Errorf("steps %q, want %q as an ordered list", steps, want.Steps)
	}
	screenshot(t, ctx, e, "popup-faq")
}

// TestPopupStatus records two wrong tries on the MIIT page, then finds them
// in the popup's status (3 of 5 tries left, the phone masked), and clears
// the record after confirming.
func TestPopupStatus(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13900139101"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	typeVerify(t, ctx, phone, "150012")
	for i := 1; i <= 2; i++ {
		e.replica.Script(phone, Answer{Status: 2})
		submitAndSolve(t, ctx)
		waitExt(t, ctx, fmt.Sprintf(`(%s?.textContent || "").includes("剩余核验机会：%d/5")`, jsCard, 5-i), 10*time.Second)
	}
	openPopup(t, ctx, "status")
	card := `#panel-status .round[data-id="` + workerState(t, ctx).roundOfPhone(phone).ID + `"]`
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector(%q)`, card), 5*time.Second)
	got := popupText(t, ctx, card)
	for _, want := range []string{"139****9101", "剩余核验机会：3/5", "重发剩余：2/2", "距 24 小时期限", "待核验", "下一步："} {
		if !strings.Contains(got, want) {
			t.Errorf("status card %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, phone) {
		t.Errorf("status card shows the whole phone: %q", got)
	}
	screenshot(t, ctx, e, "popup-status")
	clickPopup(t, ctx, card+" .clear", "")
	clickPopup(t, ctx, card+" .confirm .danger", "")
	waitJS(t, ctx, fmt.Sprintf(`!document.querySelector(%q)`, card), 5*time.Second)
}

// TestPeopleZhejiang saves a Zhejiang HK/Macau permit holder on the options
// page, where people are kept (the popup links to it): a permit number is
// refused, 567（8） kept; the card shows the masked phone, the document and
// the ID last 6; delete offers undo.
func TestPeopleZhejiang(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 30*time.Second)
	openOptions(t, ctx, "people")
	click(t, ctx, "#panel-people .add", "")
	p := personIn{Name: "周八", Role: "app-owner", Phone: "13900139102", Doc: "hk-macau-permit", Zhejiang: true, ID: "H12345678"}
	fillPersonForm(t, ctx, "document", false, p)
	waitJS(t, ctx, `document.querySelector('#panel-people .save [data-field="idLast6"] ~ .field-problem')?.textContent.includes("浙江省的港澳居民")`, 5*time.Second)
	screenshot(t, ctx, e, "people-zhejiang-refused")
	p.ID = "567（8）"
	fillPersonForm(t, ctx, "document", false, p)
	person := personCard("周八")
	waitJS(t, ctx, person, 5*time.Second)
	got := eval[string](t, ctx, person+`.textContent`)
	for _, want := range []string{"139****9102", "港澳居民来往内地通行证（浙江）", "567（8）", "小程序负责人", "证件号码后6位"} {
		if !strings.Contains(got, want) {
			t.Errorf("saved person %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, p.Phone) {
		t.Errorf("the card shows the whole phone: %q", got)
	}
	eval[bool](t, ctx, person+`.querySelector(".delete").click() || true`)
	waitJS(t, ctx, `!`+person+` && document.querySelector(".toast:not([hidden]) .undo")`, 5*time.Second)
}

// TestPopupLinksToPeople: the popup keeps what belongs beside the MIIT site
// (who verifies, FAQ, status) and sends people and filings to the options
// page.
func TestPopupLinksToPeople(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 30*time.Second)
	openPopup(t, ctx, "who")
	got := eval[string](t, ctx, `[...document.querySelectorAll("[role=tab]")].map((b) => b.dataset.tab).join(",") + "|" + document.querySelector(".manage")?.textContent`)
	if want := "who,faq,status|管理人员和备案"; got != want {
		t.Fatalf("popup tabs|link = %q, want %q", got, want)
	}
}

// TestWorkerRecordsForExtensionPagesOnly checks the worker's rule for the
// messages that read or delete whole records: the popup's address passes, the
// MIIT page's (a content script's sender) does not.
func TestWorkerRecordsForExtensionPagesOnly(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 30*time.Second)
	sw, id := serviceWorker(t, ctx)
	if want := e.extensionID(); id != want {
		t.Errorf("the extension's ID is %s; derived from its path: %s", id, want)
	}
	got := eval[string](t, sw, fmt.Sprintf(`JSON.stringify({
		only: [...heyanWorker.EXTENSION_PAGE_ONLY].sort(),
		popup: heyanWorker.isExtensionPage({id: chrome.runtime.id, url: "chrome-extension://%s/pages/popup/popup.html#status"}),
		page: heyanWorker.isExtensionPage({id: chrome.runtime.id, url: "https://beian.miit.gov.cn/#/Integrated/ComplaintA", tab: {id: 1}}),
		lookalike: heyanWorker.isExtensionPage({id: chrome.runtime.id, url: "https://beian.miit.gov.cn/chrome-extension://%s/"}),
	})`, id, id))
	want := `{"only":["clear-round","delete-filing","delete-person","export","filings","import-apply","import-plan","people","put-filing","put-settings","reveal-phone","rounds","sync-change-password","sync-delete-account","sync-kdf","sync-now","sync-register","sync-resolve","sync-sign-in","sync-sign-out","sync-status","undo-delete"],"popup":true,"page":false,"lookalike":false}`
	if got != want {
		t.Fatalf("worker's sender rule = %s, want %s", got, want)
	}
}
