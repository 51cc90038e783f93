package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// The options page (chrome-extension://<id>/pages/options/options.html) in a
// browser of its own: its tests add, change, delete and import people and
// filings, which the other tests' bars and rounds must not see.

// optionsTab opens a tab in the options tests' browser.
func (e *env) optionsTab(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	return e.tabIn(t, &e.options, limit)
}

// openOptions opens the options page on one tab and waits until it is ready.
func openOptions(t testing.TB, ctx context.Context, tab string) {
	t.Helper()
	do(t, ctx,
		chromedp.EmulateViewport(1100, 900),
		chromedp.Navigate(fmt.Sprintf("chrome-extension://%s/pages/options/options.html#%s", shared.extensionID(), tab)))
	waitJS(t, ctx, `document.documentElement.dataset.ready === "1"`, 15*time.Second)
}

// setField sets a form control's value as typing or choosing does (input and
// change events), for the controls of our own page.
func setField(t testing.TB, ctx context.Context, sel, value string) {
	t.Helper()
	ok := eval[bool](t, ctx, fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false;
		if (el.type === "checkbox") el.checked = %q === "true"; else el.value = %q;
		el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, sel, value, value))
	if !ok {
		t.Fatalf("no field %s", sel)
	}
}

// click clicks the first element matching sel whose text is text ("" for any).
func click(t testing.TB, ctx context.Context, sel, text string) {
	t.Helper()
	clickPopup(t, ctx, sel, text)
}

// addPersonInOptions fills and saves the people panel's form.
func addPersonInOptions(t testing.TB, ctx context.Context, name, role, phone, doc, id string) {
	t.Helper()
	click(t, ctx, "#panel-people .add", "")
	waitJS(t, ctx, `document.activeElement === document.querySelector('#panel-people .save [data-field="name"]')`, 5*time.Second) // the form is open
	for field, v := range map[string]string{"name": name, "role": role, "phone": phone, "docType": doc, "idLast6": id} {
		setField(t, ctx, fmt.Sprintf(`#panel-people .save [data-field=%q]`, field), v)
	}
	click(t, ctx, "#panel-people .save .primary", "")
}

// personCard is the JS for the people panel's card of name.
func personCard(name string) string {
	return fmt.Sprintf(`[...document.querySelectorAll("#panel-people .person")].find((c) => c.querySelector("h3").textContent === %q)`, name)
}

// exported is the worker's export, as the page would download it.
func exported(t testing.TB, ctx context.Context) map[string]any {
	t.Helper()
	raw := evalAwait[string](t, ctx, `chrome.runtime.sendMessage({type: "export"}).then((r) => r.value.text)`)
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "exportedAt")
	return m
}

// TestOptionsFilingOfARenamedMiniProgram adds the two people of a renamed
// Douyin mini-program, then its filing, choosing the scenario with the
// who-verifies questions: the form asks for both roles, and the filing
// lists both people and its counts.
func TestOptionsFilingOfARenamedMiniProgram(t *testing.T) {
	e := needE2E(t)
	ctx := e.optionsTab(t, 60*time.Second)
	openOptions(t, ctx, "people")
	addPersonInOptions(t, ctx, "选项甲", "principal", "13800138401", "resident-id", "150401")
	waitJS(t, ctx, personCard("选项甲"), 5*time.Second)
	addPersonInOptions(t, ctx, "选项乙", "app-owner", "13800138402", "resident-id", "150402")
	waitJS(t, ctx, personCard("选项乙"), 5*time.Second)

	click(t, ctx, "#tab-filings", "")
	click(t, ctx, "#panel-filings .add", "")
	waitJS(t, ctx, `document.activeElement === document.querySelector('#panel-filings [data-field="name"]')`, 5*time.Second) // the form is open
	setField(t, ctx, `#panel-filings [data-field="name"]`, "选项小程序")
	setField(t, ctx, `#panel-filings [data-field="platform"]`, "douyin-miniapp")
	click(t, ctx, "#panel-filings .ask", "")
	waitJS(t, ctx, `document.querySelector("#panel-filings .wizard .question")`, 5*time.Second)
	click(t, ctx, "#panel-filings .wizard .answer-yes", "")
	waitJS(t, ctx, `document.querySelector("#panel-filings .wizard [data-scenario='renamed']")`, 5*time.Second)
	screenshot(t, ctx, e, "options-filing-wizard")
	click(t, ctx, "#panel-filings .use-scenario", "")
	roles := eval[string](t, ctx, `[...document.querySelectorAll("#panel-filings .members select")].map((s) => s.dataset.role + "=" + s.labels[0].textContent).join(",")`)
	if roles != "principal=主办单位负责人,app-owner=小程序负责人" {
		t.Fatalf("the form asks for %q, want both people of a renamed mini-program", roles)
	}
	for role, name := range map[string]string{"principal": "选项甲", "app-owner": "选项乙"} {
		eval[bool](t, ctx, fmt.Sprintf(`(() => { const s = document.querySelector('#panel-filings .members select[data-role=%q]');
			s.value = [...s.options].find((o) => o.textContent.startsWith(%q)).value; s.dispatchEvent(new Event("change")); return true })()`, role, name))
	}
	click(t, ctx, "#panel-filings .smsat-now, #panel-filings .now", "")
	click(t, ctx, "#panel-filings .filing-form .primary", "")
	card := `[...document.querySelectorAll("#panel-filings .filing")].find((c) => c.querySelector("h3").textContent === "选项小程序")`
	deadline := time.Now().Add(5 * time.Second)
	for !eval[bool](t, ctx, `!!(`+card+`)`) {
		if time.Now().After(deadline) {
			t.Fatalf("no filing card; the form says %q", eval[string](t, ctx, `[...document.querySelectorAll("#panel-filings .field-problem, #panel-filings .problems")].map((p) => p.textContent).join(" | ")`))
		}
		time.Sleep(25 * time.Millisecond)
	}
	got := eval[string](t, ctx, card+`.textContent`)
	for _, want := range []string{"抖音小程序", "主办单位负责人：选项甲", "小程序负责人：选项乙", "待核验", "剩余核验机会：5/5", "距 24 小时期限"} {
		if !strings.Contains(got, want) {
			t.Errorf("filing card %q lacks %q", got, want)
		}
	}
	screenshot(t, ctx, e, "options-filings-zh")
}

// TestOptionsRefusesABadIDAndSavesNothing types an ID last 6 the core
// refuses: its message shows beside the field, and nobody is saved.
func TestOptionsRefusesABadIDAndSavesNothing(t *testing.T) {
	e := needE2E(t)
	ctx := e.optionsTab(t, 60*time.Second)
	openOptions(t, ctx, "people")
	before := len(exported(t, ctx)["people"].([]any))
	addPersonInOptions(t, ctx, "选项丙", "principal", "13800138403", "resident-id", "99A")
	problem := `document.querySelector('#panel-people .save [data-field="idLast6"] ~ .field-problem')`
	waitJS(t, ctx, problem+`?.textContent`, 5*time.Second)
	if got := eval[string](t, ctx, problem+`.textContent`); !strings.Contains(got, "6") {
		t.Errorf("the ID's problem says %q", got)
	}
	if !eval[bool](t, ctx, `document.querySelector('#panel-people .save [data-field="idLast6"]').getAttribute("aria-invalid") === "true"`) {
		t.Error("the ID field is not marked invalid")
	}
	if after := len(exported(t, ctx)["people"].([]any)); after != before {
		t.Fatalf("%d people saved after a refused save, want %d", after, before)
	}
	screenshot(t, ctx, e, "options-person-refused")
	click(t, ctx, "#panel-people .save button:not(.primary)", "")
}

// TestOptionsDeleteAndUndo deletes a person and brings them back.
func TestOptionsDeleteAndUndo(t *testing.T) {
	e := needE2E(t)
	ctx := e.optionsTab(t, 60*time.Second)
	openOptions(t, ctx, "people")
	addPersonInOptions(t, ctx, "选项丁", "service-owner", "13800138404", "passport", "E40404")
	waitJS(t, ctx, personCard("选项丁"), 5*time.Second)
	eval[bool](t, ctx, personCard("选项丁")+`.querySelector(".delete").click() || true`)
	waitJS(t, ctx, `!`+personCard("选项丁"), 5*time.Second)
	waitJS(t, ctx, `!document.querySelector(".toast").hidden && document.activeElement === document.querySelector(".toast .undo")`, 5*time.Second)
	click(t, ctx, ".toast .undo", "")
	waitJS(t, ctx, personCard("选项丁"), 5*time.Second)
	if got := eval[string](t, ctx, personCard("选项丁")+`.querySelector(".id").textContent`); got != "E40404" {
		t.Errorf("brought back with ID last 6 %q", got)
	}
}

// TestOptionsExportThenImport exports through the page (a real download),
// deletes everything, imports the file through the page, and exports again:
// the same people and filings.
func TestOptionsExportThenImport(t *testing.T) {
	e := needE2E(t)
	ctx := e.optionsTab(t, 90*time.Second)
	openOptions(t, ctx, "people")
	addPersonInOptions(t, ctx, "选项戊", "principal", "13800138405", "hk-macau-permit", "H1234567")
	waitJS(t, ctx, personCard("选项戊"), 5*time.Second)
	want := exported(t, ctx)

	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, "#tab-backup", "")
	click(t, ctx, "#panel-backup .export", "")
	var file string
	deadline := time.Now().Add(10 * time.Second)
	for file == "" {
		if m, _ := filepath.Glob(filepath.Join(dir, "heyan-export-*.json")); len(m) == 1 {
			if b, err := os.ReadFile(m[0]); err == nil && json.Valid(b) {
				file = m[0]
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no export downloaded")
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Everything deleted: people and filings.
	evalAwait[bool](t, ctx, `(async () => {
		const send = (m) => chrome.runtime.sendMessage(m);
		for (const f of (await send({type: "filings", lang: "zh-CN"})).value) await send({type: "delete-filing", id: f.id});
		for (const p of (await send({type: "people"})).value) await send({type: "delete-person", id: p.id});
		return true })()`)
	if n := len(exported(t, ctx)["people"].([]any)); n != 0 {
		t.Fatalf("%d people left after deleting all", n)
	}
	do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{file}))
	waitJS(t, ctx, `document.querySelector("#panel-backup .plan")`, 10*time.Second)
	if got := eval[string](t, ctx, `document.querySelector("#panel-backup .plan-title").textContent`); !strings.Contains(got, "跳过 0 条") || strings.Contains(got, "添加 0 条") {
		t.Errorf("import plan %q", got)
	}
	screenshot(t, ctx, e, "options-import-plan")
	click(t, ctx, "#panel-backup .apply", "")
	waitJS(t, ctx, `document.querySelector("#panel-backup .done")`, 10*time.Second)
	got := exported(t, ctx)
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if string(gb) != string(wb) {
		t.Fatalf("after export and import:\n%s\nwant\n%s", gb, wb)
	}
}

// TestOptionsRefusesMalformedImports offers files that are not a good
// export: each is refused with its reason, and nothing changes.
func TestOptionsRefusesMalformedImports(t *testing.T) {
	e := needE2E(t)
	ctx := e.optionsTab(t, 90*time.Second)
	openOptions(t, ctx, "people")
	addPersonInOptions(t, ctx, "选项己", "principal", "13800138406", "resident-id", "150406")
	waitJS(t, ctx, personCard("选项己"), 5*time.Second)
	good := evalAwait[string](t, ctx, `chrome.runtime.sendMessage({type: "export"}).then((r) => r.value.text)`)
	var file map[string]any
	json.Unmarshal([]byte(good), &file)
	before := exported(t, ctx)
	badPhone := func() []byte {
		var f map[string]any
		json.Unmarshal([]byte(good), &f)
		people := f["people"].([]any)
		people[len(people)-1].(map[string]any)["phone"] = "12345"
		b, _ := json.Marshal(f)
		return b
	}
	wrongVersion := strings.Replace(good, `"version": 1`, `"version": 2`, 1)
	dir := t.TempDir()
	cases := []struct {
		name, why string
		data      []byte
	}{
		{"wrong-version.json", "版本", []byte(wrongVersion)},
		{"bad-phone.json", "手机号", badPhone()},
		{"truncated.json", "不是完整的 JSON", []byte(good[:len(good)/2])},
		{"huge.json", "文件太大", []byte(`{"format":"heyan-export","version":1,"pad":"` + strings.Repeat("x", 10<<20) + `"}`)},
	}
	click(t, ctx, "#tab-backup", "")
	for _, c := range cases {
		p := filepath.Join(dir, c.name)
		os.WriteFile(p, c.data, 0o600)
		do(t, ctx, chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{p}))
		refused := fmt.Sprintf(`document.querySelector('#panel-backup [data-code="refused"]')?.textContent.includes(%q)`, c.why)
		waitJS(t, ctx, refused, 10*time.Second)
		if eval[bool](t, ctx, `!!document.querySelector("#panel-backup .apply")`) {
			t.Errorf("%s: offered to import", c.name)
		}
	}
	screenshot(t, ctx, e, "options-import-refused")
	after := exported(t, ctx)
	ab, _ := json.Marshal(after)
	bb, _ := json.Marshal(before)
	if string(ab) != string(bb) {
		t.Fatalf("a refused import changed the records:\n%s\nwas\n%s", ab, bb)
	}
	_ = file
}

// TestOptionsScreenshotsInBothLanguages switches the language setting and
// takes the options page in English, then back in Chinese.
func TestOptionsScreenshotsInBothLanguages(t *testing.T) {
	e := needE2E(t)
	ctx := e.optionsTab(t, 60*time.Second)
	openOptions(t, ctx, "settings")
	setField(t, ctx, "#setting-language", "en")
	waitJS(t, ctx, `document.documentElement.dataset.ready === "1" && document.documentElement.lang === "en"`, 10*time.Second)
	if got := eval[string](t, ctx, `document.querySelector("#tab-people").textContent`); got != "People" {
		t.Errorf("people tab in English = %q", got)
	}
	for _, tab := range []string{"people", "filings", "backup", "settings"} {
		openOptions(t, ctx, tab)
		screenshot(t, ctx, e, "options-"+tab+"-en")
	}
	openOptions(t, ctx, "settings")
	setField(t, ctx, "#setting-language", "zh-CN")
	waitJS(t, ctx, `document.documentElement.dataset.ready === "1" && document.documentElement.lang === "zh-CN"`, 10*time.Second)
	for _, tab := range []string{"people", "backup", "settings"} {
		openOptions(t, ctx, tab)
		screenshot(t, ctx, e, "options-"+tab+"-zh")
	}
}

// TestSettingsTurnTheCardAndBarOff turns the bar and then the card off in
// the options page: the MIIT page, open meanwhile, drops the bar at once,
// and an answer then gets no card, though it is still counted.
func TestSettingsTurnTheCardAndBarOff(t *testing.T) {
	e := needE2E(t)
	page := e.optionsTab(t, 90*time.Second)
	miit := e.optionsTab(t, 90*time.Second)
	phone := "13800138407"
	openForm(t, miit, e, "/Integrated/ComplaintA", "lockms=300")
	openOptions(t, page, "settings")
	setField(t, page, "#setting-bar", "false")
	waitExt(t, miit, `!document.querySelector("heyan-bar")`, 10*time.Second)
	setField(t, page, "#setting-card", "false")
	waitJS(t, page, `document.querySelector(".settings-panel [role=status]").textContent !== ""`, 5*time.Second)
	do(t, miit, chromedp.Reload())
	waitJS(t, miit, `document.querySelector(".Submission")`, 10*time.Second)
	waitExt(t, miit, `typeof heyanStats === "object" && heyanStats.coreStarted === 1`, 10*time.Second)
	typeVerify(t, miit, phone, "150407")
	e.replica.Script(phone, Answer{Status: 2})
	submitAndSolve(t, miit)
	waitExt(t, miit, `heyanStats.recorded === 1`, 10*time.Second)
	if got := evalExt[string](t, miit, jsCard+`?.textContent || ""`); got != "" {
		t.Errorf("the card was turned off, yet it says %q", got)
	}
	if evalExt[bool](t, miit, `!!document.querySelector("heyan-bar")`) {
		t.Error("the bar was turned off, yet it is there")
	}
	// Back on, for the tests after this one.
	setField(t, page, "#setting-bar", "true")
	setField(t, page, "#setting-card", "true")
	waitExt(t, miit, `document.querySelector("heyan-bar")`, 10*time.Second)
}
