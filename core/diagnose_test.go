package core

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/heyan-dev/heyan/core/internal/textfold"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestDiagnoseVariants(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       []string
	}{
		{"exact", "您的短信核验失败,请输入正确的信息。", []string{"verify-wrong-info"}},
		{"full-width comma", "您的短信核验失败，请输入正确的信息。", []string{"verify-wrong-info"}},
		{"ascii period", "您的短信核验失败,请输入正确的信息.", []string{"verify-wrong-info"}},
		{"no final stop", "您的短信核验失败,请联系接入商查询核验结果", []string{"verify-returned"}},
		{"two final stops", "您的短信核验失败,请联系接入商查询核验结果。。", []string{"verify-returned"}},
		{"full-width colon in platform text", "工信部短信核验失败：短信验证未通过", []string{"platform-sms-rejected"}},
		{"spaces everywhere", " 您 的 短 信 核 验 已 全 部 完 成 , 该 请 求 将 提 交 管 局 审 核 。 ", []string{"verify-complete"}},
		{"ideographic space and NBSP", "您的短信核验完成,\u3000请等待其他核验人\u00a0进行短信核验。", []string{"verify-wait-others"}},
		{"newlines", "您的短信核验已完成，\n无需重复\r\n提交。", []string{"verify-already-done"}},
		{"zero-width characters", "该条验证库\u200b里找不到\u200c记录或\u200d已完成\ufeff验证。", []string{"verify-no-record"}},
		{"banner prefix", "尊敬的ICP用户： 您的短信核验失败,请您重新验证。", []string{"verify-failed-retry"}},
		{"banner prefix without space", "尊敬的ICP用户：您暂无待短信核验的备案申请，无需重发短信。", []string{"resend-no-pending"}},
		{"surrounding text", "关闭×尊敬的ICP用户：您的短信验证码已重发成功，请查看手机并尽快完成短信核验。短信核验 短信重发", []string{"resend-ok"}},
		{"full-width digits and letters do not matter", "尊敬的ＩＣＰ用户：重发次数已到上限，若不能及时完成短信核验，您的备案申请将会被退回", []string{"resend-limit"}},
		{"alert modal", "提示 手机号不能为空 确定", []string{"form-phone-empty"}},
		{"both phone alerts", "手机号为数字值 … 手机号必须为数字值", []string{"form-phone-not-number", "form-phone-not-number"}},
		{"order of appearance", "证件号不能为空。短信验证码不能为空。请输入正确的手机号", []string{"form-id-empty", "form-code-empty", "form-phone-invalid"}},
		{"heading alone", "短信核验", nil},
		{"heading: failed", "短信核验失败", nil},
		{"menu", "首页 短信核验 短信重发 备案查询 违法违规举报 电子化核验", nil},
		{"placeholders", "请输短信验证码 请输入手机号 请输入证件号码后6位", nil},
		{"truncated message", "您的短信核验失败,请输入正确的", nil},
		{"two halves with a word between", "您的短信核验失败 不是 请输入正确的信息", nil},
		{"empty", "", nil},
	} {
		got := foundIDs(Find(c.text))
		if len(c.want) == 0 && len(got) == 0 {
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: Find(%q) = %v, want %v", c.name, c.text, got, c.want)
		}
	}
}

// TestFindOffsets: a match spans the message in the original text.
func TestFindOffsets(t *testing.T) {
	text := "尊敬的ICP用户： 您的短信核验失败，请输入正确的信息。 关闭"
	fs := Find(text)
	if len(fs) != 1 {
		t.Fatalf("Find(%q) = %v", text, fs)
	}
	if got, want := text[fs[0].Start:fs[0].End], "您的短信核验失败，请输入正确的信息"; got != want {
		t.Errorf("span = %q, want %q", got, want)
	}
}

func TestDiagnoseLanguages(t *testing.T) {
	zh := Diagnose("您的短信核验失败,请您重新验证。", LangZH)
	en := Diagnose("您的短信核验失败,请您重新验证。", LangEN)
	if len(zh.Explanations) != 1 || len(en.Explanations) != 1 || zh.Explanations[0].Title == en.Explanations[0].Title ||
		zh.Explanations[0].Status == nil || *zh.Explanations[0].Status != 0 {
		t.Fatalf("zh %+v en %+v", zh, en)
	}
	if !strings.Contains(en.Explanations[0].Cause, "last 6 of the ID number") {
		t.Errorf("en cause %q is not English advice", en.Explanations[0].Cause)
	}
}

// TestDiagnoseExplainsOnce: the matches refer to their entries in order of
// appearance, and each entry's explanation comes once, in order of first
// appearance.
func TestDiagnoseExplainsOnce(t *testing.T) {
	text := "手机号不能为空 您的短信核验失败,请您重新验证。 手机号不能为空 证件号不能为空 您的短信核验失败,请您重新验证。"
	d := Diagnose(text, LangEN)
	var ids []string
	for _, m := range d.Matches {
		status := "-"
		if m.Status != nil {
			status = strconv.Itoa(*m.Status)
		}
		ids = append(ids, m.ID+":"+status)
	}
	if got, want := strings.Join(ids, " "), "form-phone-empty:- verify-failed-retry:0 form-phone-empty:- form-id-empty:- verify-failed-retry:0"; got != want {
		t.Errorf("Diagnose(%q) matches %s, want %s", text, got, want)
	}
	var explained []string
	for _, x := range d.Explanations {
		e, _ := Lookup(x.ID)
		if x.Title != e.EN.Title || x.Cause != e.EN.Cause || !slices.Equal(x.Steps, e.EN.Steps) || x.Severity != e.Severity {
			t.Errorf("explanation of %s = %+v, want the entry's English explanation", x.ID, x)
		}
		explained = append(explained, x.ID)
	}
	if got, want := strings.Join(explained, " "), "form-phone-empty verify-failed-retry form-id-empty"; got != want {
		t.Errorf("Diagnose(%q) explains %s, want %s", text, got, want)
	}
	if d := Diagnose("短信核验", LangZH); len(d.Matches) != 0 || d.Explanations == nil || len(d.Explanations) != 0 {
		t.Errorf("Diagnose of a heading = %+v, want no matches and an empty list of explanations", d)
	}
}

// TestGoldenPages runs the page-shaped corpus in testdata/pages; each .txt
// has a .golden listing what Diagnose finds. Regenerate with -update and
// review the diff.
func TestGoldenPages(t *testing.T) {
	files, _ := filepath.Glob("testdata/pages/*.txt")
	if len(files) == 0 {
		t.Fatal("no corpus in testdata/pages")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, fd := range Find(string(data)) {
			status := "-"
			if fd.Entry.HasStatus {
				status = strconv.Itoa(fd.Entry.Status)
			}
			b.WriteString(fd.Entry.ID + " " + status + " " + strconv.Quote(string(data[fd.Start:fd.End])) + "\n")
		}
		golden := strings.TrimSuffix(f, ".txt") + ".golden"
		if *update {
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./core -update to create it)", err)
		}
		if got := b.String(); got != string(want) {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", f, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"您的短信核验失败，请输入正确的信息。", "您的短信核验失败请输入正确的信息"},
		{"ＩＣＰ用户：１２３ abc", "ICP用户123ABC"},
		{"a\u200bb\ufeffc\u3000d\u00a0e", "ABCDE"},
		{"", ""},
	} {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, c := range siteTexts {
		f.Add(c.text)
	}
	f.Add("ＩＣＰ\u200b\ufeff\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Errorf("Normalize is not idempotent on %q: %q then %q", s, n, Normalize(n))
		}
		for _, r := range n {
			if textfold.Fold(r) != r {
				t.Errorf("Normalize(%q) = %q keeps %q, which folds to %q", s, n, r, textfold.Fold(r))
			}
		}
	})
}

func FuzzDiagnose(f *testing.F) {
	for _, c := range siteTexts {
		f.Add("尊敬的ICP用户： " + c.text)
	}
	files, _ := filepath.Glob("testdata/pages/*.txt")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(string(data))
		}
	}
	f.Add("\xff您的短信核验失败\x00,请输入正确的信息。")
	f.Fuzz(func(t *testing.T, s string) {
		fs := Find(s)
		last := -1
		for _, fd := range fs {
			if fd.Start < 0 || fd.End > len(s) || fd.Start >= fd.End || fd.Start <= last {
				t.Fatalf("Find(%q): bad span %d..%d after %d", s, fd.Start, fd.End, last)
			}
			last = fd.Start
			// The span, read alone, is the same message.
			if got := foundIDs(Find(s[fd.Start:fd.End])); len(got) != 1 || got[0] != fd.Entry.ID {
				t.Fatalf("Find(%q): span %q reads as %v, not %s", s, s[fd.Start:fd.End], got, fd.Entry.ID)
			}
		}
		// Matching ignores what Normalize removes.
		if a, b := foundIDs(fs), foundIDs(Find(Normalize(s))); !slices.Equal(a, b) {
			t.Fatalf("Find(%q) = %v but Find(Normalize) = %v", s, a, b)
		}
		if got, want := fs, referenceFind(s); !slices.Equal(got, want) {
			t.Fatalf("Find(%q) = %v, want %v (every text searched on its own)", s, got, want)
		}
		d := Diagnose(s, LangEN)
		if len(d.Matches) != len(fs) {
			t.Fatalf("Diagnose(%q): %d matches, Find %d", s, len(d.Matches), len(fs))
		}
	})
}

// referenceFind is Find done the slow, obvious way: every text of every
// entry searched for in the normalized text, then the matches that lie
// inside another dropped (of two over the same span, the first found).
func referenceFind(text string) []Found {
	var runes []rune
	var starts, ends []int
	for i, r := range text {
		n := len(string(r))
		if r == utf8.RuneError {
			_, n = utf8.DecodeRuneInString(text[i:])
		}
		if f := textfold.Fold(r); f != textfold.Skip {
			runes = append(runes, f)
			starts = append(starts, i)
			ends = append(ends, i+n)
		}
	}
	var found []Found
	for end := range runes {
		for _, e := range Entries() {
			for _, t := range e.Texts {
				p := []rune(Normalize(t))
				if start := end - len(p) + 1; start >= 0 && slices.Equal(runes[start:end+1], p) {
					found = append(found, Found{Entry: e, Start: starts[start], End: ends[end]})
				}
			}
		}
	}
	slices.SortStableFunc(found, func(a, b Found) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	var out []Found
	lastEnd := -1
	for _, f := range found {
		if f.End > lastEnd {
			out = append(out, f)
			lastEnd = f.End
		}
	}
	return out
}

// TestFindAgreesWithTheReference runs the reference over the corpus and
// over texts where messages overlap and nest.
func TestFindAgreesWithTheReference(t *testing.T) {
	texts := []string{
		"手机号必须为数字值手机号为数字值",
		"工信部短信核验失败:短信验证未通过您的短信核验失败,请您重新验证。您的短信核验失败,请输入正确的信息。",
		"您的短信核验失败,请您重新验证您的短信核验失败,请您重新验证。",
		strings.Repeat("手机号不能为空", 40),
	}
	files, _ := filepath.Glob("testdata/pages/*.txt")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	for _, text := range texts {
		if got, want := Find(text), referenceFind(text); !slices.Equal(got, want) {
			t.Errorf("Find(%q) = %v, want %v", text, got, want)
		}
	}
}

// pageText64K is a page-shaped text of 64 KiB with a result banner near the end.
func pageText64K() string {
	data, err := os.ReadFile("testdata/pages/miit-home-wrong-info.txt")
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	for b.Len() < 64<<10 {
		b.Write(data)
	}
	return b.String()[:64<<10-len("您的短信核验失败,请输入正确的信息。")] + "您的短信核验失败,请输入正确的信息。"
}

func BenchmarkDiagnose(b *testing.B) {
	text := pageText64K()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Diagnose(text, LangZH)
	}
}

// BenchmarkDiagnoseFile diagnoses the text of the file named by
// HEYAN_BENCH_TEXT: scripts/bench-core's native measure of the same text the
// WebAssembly build is timed on.
func BenchmarkDiagnoseFile(b *testing.B) {
	name := os.Getenv("HEYAN_BENCH_TEXT")
	if name == "" {
		b.Skip("HEYAN_BENCH_TEXT names no file")
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	text := string(data)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Diagnose(text, LangZH)
	}
}
