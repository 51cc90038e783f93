package core

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func codes(r CheckResult) []string {
	out := []string{}
	for _, p := range r.Problems {
		out = append(out, p.Code)
	}
	return out
}

func TestCheckPhone(t *testing.T) {
	for _, c := range []struct {
		in, norm         string
		valid, supported bool
		problems         []string
	}{
		{"13800138000", "13800138000", true, true, nil},
		{"138 0013 8000", "13800138000", true, true, nil},
		{"138-0013-8000", "13800138000", true, true, nil},
		{"+86 138 0013 8000", "13800138000", true, true, nil},
		{"+8613800138000", "13800138000", true, true, nil},
		{"0086-13800138000", "13800138000", true, true, nil},
		{"8613800138000", "13800138000", true, true, nil},
		{"１３８００１３８０００", "13800138000", true, true, nil},
		{"＋86　138\u00a00013 8000", "13800138000", true, true, nil},
		{"(+86) 199 0000 0000", "19900000000", true, true, nil},
		{"\u202d+86 138 0013 8000\u202c", "13800138000", true, true, nil},
		{"13800138000\u200e", "13800138000", true, true, nil},
		{"14500138000", "14500138000", true, false, []string{"phone-prefix-unsupported"}},
		{"17400138000", "17400138000", true, false, []string{"phone-prefix-unsupported"}},
		{"16000138000", "16000138000", true, false, []string{"phone-prefix-unsupported"}},
		{"", "", false, false, []string{"phone-empty"}},
		{"   ", "", false, false, []string{"phone-empty"}},
		{"1380013800", "1380013800", false, false, []string{"phone-length"}},
		{"138001380001", "138001380001", false, false, []string{"phone-length"}},
		{"12800138000", "12800138000", false, false, []string{"phone-prefix-invalid"}},
		{"23800138000", "23800138000", false, false, []string{"phone-prefix-invalid"}},
		{"1380013800a", "1380013800a", false, false, []string{"phone-not-digits"}},
		{"138/0013/8000", "138/0013/8000", false, false, []string{"phone-not-digits"}},
	} {
		got := CheckPhone(c.in, LangZH)
		if got.Valid != c.valid || got.Normalized != c.norm || got.Supported == nil || *got.Supported != c.supported || !slices.Equal(codes(got), orEmpty(c.problems)) {
			t.Errorf("CheckPhone(%q) = %+v (supported %v), want valid %v norm %q supported %v problems %v", c.in, got, deref(got.Supported), c.valid, c.norm, c.supported, c.problems)
		}
	}
}

func TestCheckCode(t *testing.T) {
	for _, c := range []struct {
		in, norm string
		problems []string
	}{
		{"123456", "123456", nil},
		{" 123 456 ", "123456", nil},
		{"１２３４５６", "123456", nil},
		{"\u2066123456\u2069", "123456", nil},
		{"12345", "12345", []string{"code-length"}},
		{"1234567", "1234567", []string{"code-length"}},
		{"12345a", "12345a", []string{"code-not-digits"}},
		{"", "", []string{"code-empty"}},
	} {
		got := CheckCode(c.in, LangEN)
		if got.Valid != (len(c.problems) == 0) || got.Normalized != c.norm || !slices.Equal(codes(got), orEmpty(c.problems)) || got.Supported != nil {
			t.Errorf("CheckCode(%q) = %+v, want norm %q problems %v", c.in, got, c.norm, c.problems)
		}
	}
}

func TestCheckID(t *testing.T) {
	for _, c := range []struct {
		in, doc, province, norm string
		problems                []string
	}{
		// Resident ID: the last 6, or a whole 18-character number reduced.
		{"31002X", "", "", "31002X", nil},
		{"31002x", "resident-id", "", "31002X", []string{"id-x-upper"}},
		{"31002ｘ", "", "", "31002X", []string{"id-x-upper"}},
		{"310021", "", "", "310021", nil},
		{" 31 00 2X ", "", "", "31002X", nil},
		{"３１００２Ｘ", "", "", "31002X", nil},
		{"11010519491231002X", "", "", "31002X", nil},
		{"11010519491231002x", "", "", "31002X", []string{"id-x-upper"}},
		{"1101051949123100x2", "", "", "3100X2", []string{"id-bad-char", "id-x-upper"}},
		{"x1010519491231002X", "", "", "31002X", []string{"id-bad-char"}},
		{"110105 19491231 002X", "", "", "31002X", nil},
		{"110105-19491231-002X", "", "", "31002X", nil},
		{"\u202d31002X\u202c\u200e", "", "", "31002X", nil},
		{"110105194912310021", "", "", "310021", []string{"id-checksum"}},
		{"11010519491231002A", "", "", "31002A", []string{"id-bad-char"}},
		{"1101051949123100X2", "", "", "3100X2", []string{"id-bad-char"}},
		{"32002X", "", "", "32002X", []string{"id-bad-day"}},
		{"00002X", "", "", "00002X", []string{"id-bad-day"}},
		{"3100X2", "", "", "3100X2", []string{"id-bad-char"}},
		{"31002", "", "", "31002", []string{"id-length"}},
		{"1234567", "", "", "234567", []string{"id-length"}},
		{"", "", "", "", []string{"id-empty"}},
		// Hong Kong/Macau permit: the last 6 printable characters.
		{"H12345678", "hk-macau-permit", "", "345678", nil},
		{"h 1234 5678", "hk-macau-permit", "guangdong", "345678", nil},
		{"H123", "hk-macau-permit", "", "H123", []string{"id-too-short"}},
		// Zhejiang: the HK/Macau identity card number, full-width brackets.
		{"567（8）", "hk-macau-permit", "zhejiang", "567（8）", nil},
		{"567(8)", "hk-macau-permit", "浙江", "567（8）", nil},
		{"A123456(7)", "hk-macau-permit", "浙江省", "456（7）", nil},
		{"A123456(a)", "hk-macau-permit", "ZJ", "456（A）", nil},
		{"1234567(8)", "hk-macau-permit", "zhejiang", "567（8）", nil},
		{"H12345678", "hk-macau-permit", "zhejiang", "345678", []string{"id-zhejiang-format"}},
		{"M1234567890", "hk-macau-permit", "Zhejiang Province", "567890", []string{"id-zhejiang-format"}},
		{"567(8)", "hk-macau-permit", " zhejiang province ", "567（8）", nil},
		{"H1234567X", "hk-macau-permit", "zhejiang", "567（X）", []string{"id-zhejiang-format"}},
		{"56（8）", "hk-macau-permit", "zhejiang", "56（8）", []string{"id-too-short"}},
		// Passport and other documents.
		{"E12345678", "passport", "", "345678", nil},
		{"e12345678", "passport", "", "345678", nil},
		{"ab-cdefg", "other", "", "-cdefg", nil},
		{"abc", "other", "", "abc", []string{"id-too-short"}},
	} {
		got, err := CheckID(c.in, c.doc, c.province, LangZH)
		if err != nil {
			t.Errorf("CheckID(%q, %q, %q): %v", c.in, c.doc, c.province, err)
			continue
		}
		valid := len(c.problems) == 0 || slices.Equal(c.problems, []string{"id-x-upper"}) // a notice alone keeps it valid
		if got.Valid != valid || got.Normalized != c.norm || !slices.Equal(codes(got), orEmpty(c.problems)) {
			t.Errorf("CheckID(%q, %q, %q) = %+v, want norm %q problems %v", c.in, c.doc, c.province, got, c.norm, c.problems)
		}
	}
}

// TestCheckIDNeverReturnsTheWholeNumber: a pasted resident ID comes back as
// its last 6, valid or not, and so does every message.
func TestCheckIDNeverReturnsTheWholeNumber(t *testing.T) {
	for _, in := range []string{"11010519491231002X", "110105194912310021", "11010519491231002A"} {
		got, _ := CheckID(in, "", "", LangEN)
		if strings.Contains(got.Normalized, "1101051949") || utf8.RuneCountInString(got.Normalized) != 6 {
			t.Errorf("CheckID(%q).Normalized = %q", in, got.Normalized)
		}
		for _, p := range got.Problems {
			if strings.Contains(p.Message, "110105") {
				t.Errorf("problem message repeats the number: %q", p.Message)
			}
		}
	}
}

func TestCheckIDUnknownDocType(t *testing.T) {
	_, err := CheckID("31002X", "driving-licence", "", LangEN)
	if ErrorCode(err) != ECodeUnknownDocType || !strings.Contains(err.Error(), "resident-id, hk-macau-permit, passport, other") {
		t.Errorf("error = %v, want %s listing the valid types", err, ECodeUnknownDocType)
	}
}

func TestProblemMessagesExist(t *testing.T) {
	all := []string{"phone-empty", "phone-not-digits", "phone-length", "phone-prefix-invalid", "phone-prefix-unsupported",
		"id-empty", "id-length", "id-bad-char", "id-bad-day", "id-checksum", "id-too-short", "id-x-upper", "id-zhejiang-format",
		"code-empty", "code-not-digits", "code-length"}
	warnings := []string{"next-try-returns-filing", "one-try-left", "deadline-soon", "no-resends-left"}
	for _, c := range []struct {
		what  string
		list  []notice
		codes []string
	}{{"problems", problemTexts, all}, {"warnings", trackWarnings, warnings}} {
		var got []string
		for _, n := range c.list {
			got = append(got, n.code)
			if n.text.zh == "" || n.text.en == "" {
				t.Errorf("%s %s lacks a zh or en message", c.what, n.code)
			}
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.codes))
		if !slices.Equal(got, want) {
			t.Errorf("problems.txt %s %v, the code uses %v", c.what, got, want)
		}
	}
}

func TestSupportedPrefixes(t *testing.T) {
	// The guide's table: 10 + 2 + 9 + 4 + 8 + 10 + 9 prefixes.
	if len(supportedPrefixes) != 52 {
		t.Errorf("%d supported prefixes, want 52", len(supportedPrefixes))
	}
	for _, p := range []string{"140", "141", "142", "143", "144", "145", "148", "149", "154", "160", "161", "163", "164", "168", "169", "174", "179", "194"} {
		if supportedPrefix(p) {
			t.Errorf("prefix %s is not in the guide's table", p)
		}
	}
	for _, p := range []string{"130", "139", "147", "166", "199"} {
		if !supportedPrefix(p) {
			t.Errorf("prefix %s is in the guide's table", p)
		}
	}
}

// TestProvinceAndLanguageReadAsBefore: the ASCII-only case folding and the
// listed white space decide as strings.ToLower and strings.TrimSpace do.
func TestProvinceAndLanguageReadAsBefore(t *testing.T) {
	for _, s := range []string{"ZHEJİANG", "Zhejiang Province", "\u3000浙江省\u00a0", " zj ", "ZJ\u2009", "EN-us", "\u2028zh_CN", "K", "\u212a", "\xffzh"} {
		checkReadsAsBefore(t, s)
	}
}

func FuzzProvinceAndLanguage(f *testing.F) {
	for _, s := range []string{"zhejiang", "ZHEJİANG", "浙江省", "en-US", "\u3000zh\u0085"} {
		f.Add(s)
	}
	f.Fuzz(checkReadsAsBefore)
}

func checkReadsAsBefore(t *testing.T, s string) {
	if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
		t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
	}
	p := strings.ToLower(strings.TrimSpace(s))
	p = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(p, "province"), "省"))
	if got, want := isZhejiang(s), p == "zhejiang" || p == "zj" || p == "浙江" || p == "33"; got != want {
		t.Errorf("isZhejiang(%q) = %v, want %v", s, got, want)
	}
	l := strings.ToLower(strings.TrimSpace(s))
	wantLang := LangZH
	switch {
	case l == "" || l == "zh" || strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "zh_"):
	case l == "en" || strings.HasPrefix(l, "en-") || strings.HasPrefix(l, "en_"):
		wantLang = LangEN
	default:
		wantLang = ""
	}
	got, err := ParseLang(s)
	if (err != nil) != (wantLang == "") || (err == nil && got != wantLang) {
		t.Errorf("ParseLang(%q) = %q, %v; want %q", s, got, err, wantLang)
	}
}

func FuzzCheckPhone(f *testing.F) {
	for _, s := range []string{"13800138000", "+86 138-0013-8000", "１３８", "", "\xff", "\u202d+86 138\u200e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := CheckPhone(s, LangEN)
		if r.Valid && (len(r.Normalized) != 11 || !allDigits(r.Normalized)) {
			t.Fatalf("CheckPhone(%q) valid with %q", s, r.Normalized)
		}
		if r.Valid == (len(r.Problems) > 0 && r.Problems[0].Code != "phone-prefix-unsupported") {
			t.Fatalf("CheckPhone(%q): valid %v with problems %v", s, r.Valid, r.Problems)
		}
		if r.Valid && CheckPhone(r.Normalized, LangEN).Normalized != r.Normalized {
			t.Fatalf("CheckPhone not stable on %q", r.Normalized)
		}
	})
}

func FuzzCheckID(f *testing.F) {
	for _, s := range []string{"31002X", "11010519491231002X", "567（8）", "A123456(7)", "", "\xffX"} {
		f.Add(s, "resident-id", "")
		f.Add(s, "hk-macau-permit", "zhejiang")
	}
	f.Fuzz(func(t *testing.T, s, doc, province string) {
		r, err := CheckID(s, doc, province, LangZH)
		if err != nil {
			if ErrorCode(err) != ECodeUnknownDocType {
				t.Fatalf("CheckID(%q, %q): %v", s, doc, err)
			}
			return
		}
		if n := utf8.RuneCountInString(r.Normalized); n > 6 {
			t.Fatalf("CheckID(%q, %q) returned %d characters: %q", s, doc, n, r.Normalized)
		}
		notices := 0
		for _, p := range r.Problems {
			if p.Code == "id-x-upper" {
				notices++
				if !strings.Contains(r.Normalized, "X") || !strings.ContainsAny(s, "xｘ") {
					t.Fatalf("CheckID(%q, %q) = %+v: id-x-upper without a typed x read as X", s, doc, r)
				}
			}
		}
		if r.Valid != (len(r.Problems) == notices) || (r.Valid && utf8.RuneCountInString(r.Normalized) != 6) {
			t.Fatalf("CheckID(%q, %q) = %+v", s, doc, r)
		}
	})
}

func FuzzCheckCode(f *testing.F) {
	for _, s := range []string{"123456", "１２３４５６", " 12 34 56", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := CheckCode(s, LangZH)
		if r.Valid != (len(r.Normalized) == 6 && allDigits(r.Normalized)) {
			t.Fatalf("CheckCode(%q) = %+v", s, r)
		}
	})
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func deref(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}
