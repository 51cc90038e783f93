package core

import (
	"strings"
	"testing"
)

// siteTexts is what the MIIT page and the Douyin console show, character for
// character (docs/SOURCES.md, The MIIT page). The knowledge base must keep
// these exact: they are data, never reworded.
var siteTexts = []struct {
	id     string
	status int // -1: no validStatus
	text   string
}{
	{"verify-complete", 3, "您的短信核验已全部完成,该请求将提交管局审核。"},
	{"verify-wait-others", 31, "您的短信核验完成,请等待其他核验人进行短信核验。"},
	{"verify-already-done", 20, "您的短信核验已完成，无需重复提交。"},
	{"verify-wrong-info", 2, "您的短信核验失败,请输入正确的信息。"},
	{"verify-returned", 21, "您的短信核验失败,请联系接入商查询核验结果。"},
	{"verify-no-record", 4, "该条验证库里找不到记录或已完成验证。"},
	{"verify-failed-retry", 0, "您的短信核验失败,请您重新验证。"},
	{"resend-no-pending", 100, "您暂无待短信核验的备案申请，无需重发短信。"},
	{"resend-ok", 101, "您的短信验证码已重发成功，请查看手机并尽快完成短信核验。"},
	{"resend-limit", 102, "重发次数已到上限，若不能及时完成短信核验，您的备案申请将会被退回。"},
	{"platform-sms-rejected", -1, "工信部短信核验失败:短信验证未通过"},
	{"form-code-empty", -1, "短信验证码不能为空"},
	{"form-phone-empty", -1, "手机号不能为空"},
	{"form-phone-not-number", -1, "手机号为数字值"},
	{"form-phone-not-number", -1, "手机号必须为数字值"},
	{"form-phone-invalid", -1, "请输入正确的手机号"},
	{"form-id-empty", -1, "证件号不能为空"},
}

var requiredTopics = []string{"faq-no-sms", "faq-sms-timing", "faq-attempt-limit", "faq-status-lag", "faq-who-verifies"}

func TestSiteTextsAreExact(t *testing.T) {
	for _, c := range siteTexts {
		e, err := Lookup(c.id)
		if err != nil {
			t.Errorf("Lookup(%q): %v", c.id, err)
			continue
		}
		found := false
		for _, text := range e.Texts {
			found = found || text == c.text
		}
		if !found {
			t.Errorf("%s: texts %q, want one to be exactly %q", c.id, e.Texts, c.text)
		}
		if c.status >= 0 && (!e.HasStatus || e.Status != c.status) {
			t.Errorf("%s: status %d (has %v), want %d", c.id, e.Status, e.HasStatus, c.status)
		}
		if c.status < 0 && e.HasStatus {
			t.Errorf("%s: has status %d, want none", c.id, e.Status)
		}
		if got := EntryForStatus(c.status); c.status >= 0 && got.ID != c.id {
			t.Errorf("EntryForStatus(%d) = %s, want %s", c.status, got.ID, c.id)
		}
	}
	for _, id := range requiredTopics {
		if _, err := Lookup(id); err != nil {
			t.Errorf("topic %s: %v", id, err)
		}
	}
}

// TestUnknownStatusReadsAsZero follows the page: unknown codes show the
// validStatus 0 text.
func TestUnknownStatusReadsAsZero(t *testing.T) {
	for _, s := range []int{-1, 1, 5, 99, 999} {
		if got := EntryForStatus(s); got == nil || got.ID != "verify-failed-retry" {
			t.Errorf("EntryForStatus(%d) = %v, want verify-failed-retry", s, got)
		}
	}
}

// TestResultAnswers holds the answers' data to docs/SOURCES.md (How the
// result is shown): the form, whether a try is used, the state the round
// moves to and what a resend answer says.
func TestResultAnswers(t *testing.T) {
	type answer struct {
		form        string
		consumesTry bool
		state       string
		resend      string
	}
	want := map[int]answer{
		3:   {FormVerify, false, StateComplete, ""},
		31:  {FormVerify, false, StateWaitingOthers, ""},
		20:  {FormVerify, false, StateComplete, ""},
		2:   {FormVerify, true, "", ""},
		21:  {FormVerify, false, StateReturned, ""},
		4:   {FormVerify, false, "", ""},
		0:   {FormVerify, true, "", ""},
		100: {FormResend, false, "", ""},
		101: {FormResend, false, "", ResendSent},
		102: {FormResend, false, "", ResendLimit},
	}
	seen := 0
	for _, e := range Entries() {
		if e.Kind != KindResult {
			if e.ConsumesTry || e.Form != "" || e.State != "" || e.Resend != "" || e.ShownForUnknown {
				t.Errorf("%s: a %s with the fields of a result", e.ID, e.Kind)
			}
			continue
		}
		seen++
		w, ok := want[e.Status]
		if !ok {
			t.Errorf("%s: validStatus %d is not in docs/SOURCES.md", e.ID, e.Status)
			continue
		}
		if got := (answer{e.Form, e.ConsumesTry, e.State, e.Resend}); got != w {
			t.Errorf("%s (validStatus %d): %+v, want %+v", e.ID, e.Status, got, w)
		}
		if e.ShownForUnknown != (e.Status == 0) {
			t.Errorf("%s: shown-for-unknown %v, want it on validStatus 0 alone", e.ID, e.ShownForUnknown)
		}
	}
	if seen != len(want) {
		t.Errorf("%d results, want %d", seen, len(want))
	}
}

// TestAnswerEntry: what the page shows for each answer, and whether the
// tracker records it, per form.
func TestAnswerEntry(t *testing.T) {
	for _, c := range []struct {
		form     string
		status   int
		id       string
		recorded bool
	}{
		{FormVerify, 2, "verify-wrong-info", true},
		{FormVerify, 0, "verify-failed-retry", true},
		{FormVerify, 7, "verify-failed-retry", true},
		{FormVerify, 101, "verify-failed-retry", false},
		{FormResend, 101, "resend-ok", true},
		{FormResend, 103, "verify-failed-retry", false},
		{FormResend, 2, "verify-failed-retry", false},
		{FormResend, 0, "verify-failed-retry", false},
		{"", 2, "verify-failed-retry", false},
		{"", 7, "verify-failed-retry", false},
	} {
		e, recorded := AnswerEntry(c.form, c.status)
		if e == nil || e.ID != c.id || recorded != c.recorded {
			t.Errorf("AnswerEntry(%q, %d) = %v, %v; want %s, %v", c.form, c.status, e, recorded, c.id, c.recorded)
		}
	}
}

// TestKnowledgeLint checks the data itself: every entry complete in both
// languages, and every message detected as itself and nothing else.
func TestKnowledgeLint(t *testing.T) {
	entries := Entries()
	if len(entries) < 20 {
		t.Fatalf("only %d entries", len(entries))
	}
	ids := map[string]bool{}
	for _, e := range entries {
		if ids[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		ids[e.ID] = true
		for _, x := range []struct {
			lang string
			ex   Explanation
		}{{"zh", e.ZH}, {"en", e.EN}} {
			if x.ex.Title == "" || x.ex.Cause == "" || len(x.ex.Steps) == 0 {
				t.Errorf("%s: %s explanation incomplete: %+v", e.ID, x.lang, x.ex)
			}
			for i, s := range x.ex.Steps {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %s step %d is empty", e.ID, x.lang, i+1)
				}
			}
		}
		if len(e.ZH.Steps) != len(e.EN.Steps) {
			t.Errorf("%s: %d zh steps but %d en steps", e.ID, len(e.ZH.Steps), len(e.EN.Steps))
		}
		if e.Source == "" {
			t.Errorf("%s: no source", e.ID)
		}
		if e.Kind == KindResult && !e.HasStatus {
			t.Errorf("%s: a result without a validStatus", e.ID)
		}
		hasText := e.Kind == KindResult || e.Kind == KindForm || e.Kind == KindPlatform
		if hasText != (len(e.Texts) > 0) {
			t.Errorf("%s: kind %s with %d texts", e.ID, e.Kind, len(e.Texts))
		}
		for _, l := range e.Links {
			if !strings.HasPrefix(l.URL, "https://") || l.ZH == "" || l.EN == "" {
				t.Errorf("%s: link %+v needs an https URL and both labels", e.ID, l)
			}
		}
		for _, text := range e.Texts {
			for _, variant := range []string{text, "尊敬的ICP用户：" + text, "页面顶部 " + text + " 页面底部"} {
				got := foundIDs(Find(variant))
				if len(got) != 1 || got[0] != e.ID {
					t.Errorf("Find(%q) = %v, want [%s]", variant, got, e.ID)
				}
			}
		}
	}
}

// TestFailureAdviceNamesTheUsualCause: the guide says a failed verification
// is usually a wrong last 6 of the ID number, and the fix is to look up the filed values.
func TestFailureAdviceNamesTheUsualCause(t *testing.T) {
	for _, id := range []string{"verify-failed-retry", "verify-wrong-info"} {
		e, _ := Lookup(id)
		zh := e.ZH.Cause + strings.Join(e.ZH.Steps, "")
		en := e.EN.Cause + strings.Join(e.EN.Steps, "")
		for _, want := range []string{"证件号码后 6 位", "基础设置 → 备案信息 → 查看填写信息"} {
			if !strings.Contains(zh, want) {
				t.Errorf("%s zh advice does not mention %q", id, want)
			}
		}
		for _, want := range []string{"last 6 of the ID number", "基础设置 → 备案信息 → 查看填写信息"} {
			if !strings.Contains(en, want) {
				t.Errorf("%s en advice does not mention %q", id, want)
			}
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	_, err := Lookup("no-such-entry")
	if ErrorCode(err) != ECodeUnknownEntry || !strings.Contains(err.Error(), "no-such-entry") {
		t.Errorf("Lookup(no-such-entry) error = %v, want %s naming the id", err, ECodeUnknownEntry)
	}
}

func foundIDs(fs []Found) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Entry.ID)
	}
	return out
}

// TestExplanationsAreNotMessages: Heyan's own words are drawn into the MIIT
// page by the extension, which scans the page again; an explanation that
// quoted a site message whole would be read as that message.
func TestExplanationsAreNotMessages(t *testing.T) {
	var texts []string
	for _, e := range Entries() {
		for _, x := range []Explanation{e.ZH, e.EN} {
			texts = append(texts, x.Title, x.Cause)
			texts = append(texts, x.Steps...)
		}
	}
	for _, list := range [][]notice{problemTexts, trackWarnings} {
		for _, n := range list {
			texts = append(texts, n.text.zh, n.text.en)
		}
	}
	for _, lang := range []Lang{LangZH, LangEN} {
		r := Rules(lang)
		for _, x := range r.Roles {
			texts = append(texts, x.Title)
		}
		for _, p := range r.Platforms {
			texts = append(texts, p.Name)
		}
	}
	texts = append(texts, wizardTexts(LangZH)...)
	texts = append(texts, wizardTexts(LangEN)...)
	if len(texts) < 300 {
		t.Fatalf("only %d texts collected", len(texts))
	}
	all := strings.Join(texts, "\n")
	if got := foundIDs(Find(all)); len(got) > 0 {
		for _, text := range texts {
			if ids := foundIDs(Find(text)); len(ids) > 0 {
				t.Errorf("our text %q reads as the site message %v", text, ids)
			}
		}
	}
}
