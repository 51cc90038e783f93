package core

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The advice must say what the Douyin guide says (docs/SOURCES.md). These
// tests pin meanings, not wordings: each meaning is a pair of patterns, one
// per language, that any phrasing of it matches, and each test names the
// entries a meaning must (or must never) appear in.

// meaning is one thing the advice can say, recognised in either language.
type meaning struct {
	name   string
	zh, en *regexp.Regexp
}

func (m meaning) in(lang Lang, text string) bool {
	if lang == LangEN {
		return m.en.MatchString(text)
	}
	return m.zh.MatchString(text)
}

var (
	// offersSixthTry: another submit after 5 wrong tries is allowed on some
	// condition (checking every character, being sure, having to).
	offersSixthTry = meaning{"a 6th try is allowed",
		regexp.MustCompile(`确实要再试|如果.{0,8}要再(试|提交)|除非|可以再(试|提交)一次`),
		regexp.MustCompile(`(?i)\bunless\b|if you (really |still )?(must|need to|want to) (try|submit)|you (may|can) (try|submit) (once )?(again|a 6th)`)}
	// sixthTryReturns: the 6th try after 5 wrong ones returns the filing.
	sixthTryReturns = meaning{"the 6th try returns the filing",
		regexp.MustCompile(`第 ?6 ?次[^。]*退回`),
		regexp.MustCompile(`(?i)6th[^.]*return`)}
	// neverSubmitAgain: after 5 wrong tries, no further submit at all.
	neverSubmitAgain = meaning{"never submit after 5 wrong tries",
		regexp.MustCompile(`(无论|不论)[^。]*都(会|将)?[^。]*退回|一定不要再|绝不要再|不要再[^。]*提交`),
		regexp.MustCompile(`(?i)\bnever\b[^.]*(submit|try)|whatever (is|you) type`)}
	// sixHourHint: still 管局审核中 more than 24 hours on is a system delay;
	// look again 6 hours later (Douyin guide §6.6).
	sixHourHint = meaning{"still 管局审核中 after 24 hours: look again in 6 hours",
		regexp.MustCompile(`24 ?小时[^。]*管局审核中[^。]*6 ?小时`),
		regexp.MustCompile(`(?i)管局审核中[^.]*24 hours[^.]*6 hours|24 hours[^.]*管局审核中[^.]*6 hours`)}
	// reviewDays: the authority's review takes 1–20 working days.
	reviewDays = meaning{"the review takes 1–20 working days",
		regexp.MustCompile(`1[–-]20 ?个工作日`),
		regexp.MustCompile(`1[–-]20 working days`)}
)

// advice is everything an entry says in lang: title, cause and steps, one
// per line.
func advice(e *Entry, lang Lang) string {
	x := e.Explain(lang)
	return strings.Join(append([]string{x.Title, x.Cause}, x.Steps...), "\n")
}

var bothLangs = []Lang{LangZH, LangEN}

// TestNoAdviceOffersASixthTry: the Douyin guide (§3, §6.5) says the 6th try
// after 5 wrong ones returns the filing whatever is typed, so no advice may
// offer it, however carefully the values were checked.
func TestNoAdviceOffersASixthTry(t *testing.T) {
	for _, e := range Entries() {
		for _, lang := range bothLangs {
			if offersSixthTry.in(lang, advice(e, lang)) {
				t.Errorf("%s (%s) says %q: %s", e.ID, lang, offersSixthTry.name, advice(e, lang))
			}
		}
	}
	for _, list := range [][]notice{problemTexts, trackWarnings} {
		for _, n := range list {
			if offersSixthTry.in(LangZH, n.text.zh) || offersSixthTry.in(LangEN, n.text.en) {
				t.Errorf("%s says %q", n.code, offersSixthTry.name)
			}
		}
	}
	for _, id := range []string{"faq-attempt-limit", "attempts-exhausted", "verify-returned", "verify-wrong-info"} {
		e, err := Lookup(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range bothLangs {
			if !sixthTryReturns.in(lang, advice(e, lang)) {
				t.Errorf("%s (%s) does not say %q", id, lang, sixthTryReturns.name)
			}
		}
	}
	for _, id := range []string{"faq-attempt-limit", "attempts-exhausted"} {
		e, _ := Lookup(id)
		for _, lang := range bothLangs {
			if !neverSubmitAgain.in(lang, advice(e, lang)) {
				t.Errorf("%s (%s) does not say %q", id, lang, neverSubmitAgain.name)
			}
		}
	}
}

// stuckOnReview are the entries of a filing that was returned, or will be,
// while the platform may still show 管局审核中: the guide's 6-hour hint
// belongs in each.
var stuckOnReview = []string{"faq-status-lag", "verify-returned", "attempts-exhausted", "deadline-expired", "faq-attempt-limit"}

// TestSixHourHintWhereTheStatusIsStuck: the guide (§6.6) says a status still
// 管局审核中 more than 24 hours on is a system delay, to look at again 6
// hours later. Every entry of a returned, expired or exhausted filing (and
// every result that returns one) says so, and no entry gives both that and
// the authority's 1–20 working days as the reading of the same status.
func TestSixHourHintWhereTheStatusIsStuck(t *testing.T) {
	want := map[string]bool{}
	for _, e := range Entries() {
		want[e.ID] = e.State == StateReturned
	}
	for _, id := range stuckOnReview {
		if _, err := Lookup(id); err != nil {
			t.Fatal(err)
		}
		want[id] = true
	}
	for _, e := range Entries() {
		for _, lang := range bothLangs {
			text := advice(e, lang)
			if want[e.ID] {
				if !sixHourHint.in(lang, text) {
					t.Errorf("%s (%s) does not say %q", e.ID, lang, sixHourHint.name)
				}
			}
			if sixHourHint.in(lang, text) && reviewDays.in(lang, text) {
				t.Errorf("%s (%s) says both %q and %q", e.ID, lang, sixHourHint.name, reviewDays.name)
			}
		}
	}
}

// TestReturnedStatusHasBothNames: the guide names the status to wait for
// after a return 审核未通过 (§3, §6.1) and 管局审核失败 (§6.5); an entry that
// names it names both, so the user recognises whichever the platform shows.
func TestReturnedStatusHasBothNames(t *testing.T) {
	seen := 0
	for _, e := range Entries() {
		for _, lang := range bothLangs {
			text := advice(e, lang)
			a, b := strings.Contains(text, "审核未通过"), strings.Contains(text, "管局审核失败")
			if a || b {
				seen++
			}
			if a != b {
				t.Errorf("%s (%s) names only one of 审核未通过 and 管局审核失败", e.ID, lang)
			}
		}
	}
	if seen < 8 {
		t.Errorf("only %d explanations name the returned status", seen)
	}
}

// TestNoSMSFollowsTheGuide: faq-no-sms takes the guide's §6.1 in its order —
// first when the filing was submitted (before or after 5 February), then who
// receives the SMS, then the number's prefix, then the phone — starts from
// the guide's trigger (more than 24 hours after the platform's 初审通过 SMS)
// and warns that the emergency number never receives it.
func TestNoSMSFollowsTheGuide(t *testing.T) {
	e, err := Lookup("faq-no-sms")
	if err != nil {
		t.Fatal(err)
	}
	order := []meaning{
		{"the 5 February check", regexp.MustCompile(`2 ?月 ?5 ?日`), regexp.MustCompile(`5 February`)},
		{"who receives the SMS", regexp.MustCompile(`谁来核验`), regexp.MustCompile(`Who verifies`)},
		{"the number's prefix", regexp.MustCompile(`号段`), regexp.MustCompile(`(?i)prefix`)},
		{"the phone's blocking and spam folder", regexp.MustCompile(`拦截`), regexp.MustCompile(`(?i)blocking`)},
		{"another phone and 短信重发", regexp.MustCompile(`另一部手机.*短信重发`), regexp.MustCompile(`another phone.*短信重发`)},
	}
	trigger := meaning{"more than 24 hours after the 初审通过 SMS",
		regexp.MustCompile(`初审通过[^。]*(超过|已过) ?24 ?小时|(超过|已过) ?24 ?小时[^。]*初审通过|初审通过[^。]*24 ?小时[^。]*(仍|还)`),
		regexp.MustCompile(`(?i)(more than|over) 24 hours[^.]*(初审通过|first-review-passed)|(初审通过|first-review-passed)[^.]*(more than|over) 24 hours`)}
	emergency := meaning{"never to the emergency number",
		regexp.MustCompile(`(不会|不)[^。，；]*应急`),
		regexp.MustCompile(`(?i)never[^.;]*emergency`)}
	for _, lang := range bothLangs {
		x := e.Explain(lang)
		last := -1
		for _, m := range order {
			at := -1
			for i, s := range x.Steps {
				if m.in(lang, s) {
					at = i
					break
				}
			}
			if at < 0 {
				t.Errorf("faq-no-sms (%s) has no step for %s", lang, m.name)
				continue
			}
			if at < last {
				t.Errorf("faq-no-sms (%s): %s is step %d, before the guide's earlier check (step %d)", lang, m.name, at+1, last+1)
			}
			last = at
		}
		if len(x.Steps) == 0 || !order[0].in(lang, x.Steps[0]) {
			t.Errorf("faq-no-sms (%s): the first step is not %s", lang, order[0].name)
		}
		if !trigger.in(lang, x.Cause) {
			t.Errorf("faq-no-sms (%s): the cause does not say %q: %s", lang, trigger.name, x.Cause)
		}
		if !emergency.in(lang, advice(e, lang)) {
			t.Errorf("faq-no-sms (%s) does not say %q", lang, emergency.name)
		}
	}
}

// prefixExample is a phone prefix given as an example in our own words:
// three digits, or two and an x for all ten (13x).
var prefixExample = regexp.MustCompile(`\b1[3-9]([0-9]|x)\b`)

// TestPrefixExamplesAreSupported: every prefix our texts hold up as an
// example is in the guide's table (phone-prefixes.txt), all ten of an
// "x" example: 15x is not one, since 154 is missing from the table.
func TestPrefixExamplesAreSupported(t *testing.T) {
	var texts []string
	for _, n := range problemTexts {
		texts = append(texts, n.text.zh, n.text.en)
	}
	for _, e := range Entries() {
		texts = append(texts, advice(e, LangZH), advice(e, LangEN))
	}
	examples := 0
	for _, text := range texts {
		for _, ex := range prefixExample.FindAllString(text, -1) {
			examples++
			prefixes := []string{ex}
			if ex[2] == 'x' {
				prefixes = nil
				for d := '0'; d <= '9'; d++ {
					prefixes = append(prefixes, ex[:2]+string(d))
				}
			}
			for _, p := range prefixes {
				if !supportedPrefix(p) {
					t.Errorf("the example %s includes %s, which is not a supported prefix: %q", ex, p, text)
				}
			}
		}
	}
	if examples == 0 {
		t.Error("no prefix examples found: the pattern no longer reads them")
	}
}

// TestWhoVerifiesMeetsTheLegalRepresentative: users ask whether the legal
// representative (法人) must verify (Douyin guide §6.3). Each platform's
// wizard says so where it starts, and so does the who-verifies topic.
func TestWhoVerifiesMeetsTheLegalRepresentative(t *testing.T) {
	words := map[Lang]string{LangZH: "法人", LangEN: "legal representative"}
	for _, lang := range bothLangs {
		for _, p := range Platforms() {
			q, err := Questions(p, lang)
			if err != nil || len(q.Questions) == 0 {
				t.Fatalf("Questions(%s): %v", p, err)
			}
			if !strings.Contains(q.Questions[0].Text, words[lang]) {
				t.Errorf("%s (%s): the first question does not mention %s: %q", p, lang, words[lang], q.Questions[0].Text)
			}
		}
		e, _ := Lookup("faq-who-verifies")
		if !strings.Contains(advice(e, lang), words[lang]) {
			t.Errorf("faq-who-verifies (%s) does not mention %s", lang, words[lang])
		}
	}
}

// roleNamesEN are the English names of the roles, from their one source: the
// role-title records of verifiers.txt, without the Chinese in brackets. A
// name written "Website/app owner" stands for "website owner" and "app
// owner" too, as 网站/APP负责人 stands for 网站负责人 and APP负责人.
func roleNamesEN() map[string][]string {
	out := map[string][]string{}
	for _, r := range roleTitles {
		name := strings.ToLower(englishName(r.title.en))
		names := []string{name}
		if head, rest, ok := strings.Cut(name, " "); ok && strings.Contains(head, "/") {
			for _, part := range strings.Split(head, "/") {
				names = append(names, part+" "+rest)
			}
		}
		out[r.id] = names
	}
	return out
}

// englishName is a title without its Chinese in brackets: "Principal
// (主办单位负责人)" → "Principal".
func englishName(title string) string {
	name, _, _ := strings.Cut(title, " (")
	return strings.TrimSpace(name)
}

// rolePhrase is a mention of a role in English: the word before the role's
// head noun, the head noun, and what follows it ("of the sponsor").
var rolePhrase = regexp.MustCompile(`(?i)([\w/-]+\s+)?\b(principal|owner)s?\b('s)?(\s+of\s+the\s+\w+)?`)

// notAName are the words that may stand before a role's head noun without
// being part of its name.
var notAName = map[string]bool{"the": true, "a": true, "an": true, "each": true, "every": true, "their": true, "its": true, "this": true, "that": true, "same": true, "and": true, "or": true, "to": true, "for": true, "of": true, "by": true, "as": true, "both": true}

// roleMentionProblems returns the role mentions in text that are not one of
// the canonical names.
func roleMentionProblems(text string, names map[string][]string) []string {
	known := map[string]bool{}
	for _, ns := range names {
		for _, n := range ns {
			known[n] = true
		}
	}
	var bad []string
	for _, m := range rolePhrase.FindAllStringSubmatch(text, -1) {
		prev, head, suffix := strings.ToLower(strings.TrimSpace(m[1])), strings.ToLower(m[2]), m[4]
		switch {
		case suffix != "":
			bad = append(bad, m[0])
		case prev != "" && known[prev+" "+head]:
		case known[head] && (prev == "" || notAName[prev]):
		default:
			bad = append(bad, m[0])
		}
	}
	return bad
}

// englishTexts are the English texts the core gives: the knowledge base,
// the validators' problems, the tracker's warnings and the wizard.
func englishTexts() []string {
	var texts []string
	for _, e := range Entries() {
		texts = append(texts, advice(e, LangEN))
	}
	for _, list := range [][]notice{problemTexts, trackWarnings} {
		for _, n := range list {
			texts = append(texts, n.text.en)
		}
	}
	return append(texts, wizardTexts(LangEN)...)
}

// wizardTexts are the texts of the who-verifies wizard in lang: the
// questions, the scenarios, their notes and each verifier's title, phone,
// ID and where to find them.
func wizardTexts(lang Lang) []string {
	var texts []string
	for _, p := range Platforms() {
		q, _ := Questions(p, lang)
		for _, x := range q.Questions {
			texts = append(texts, x.Text)
		}
		scenarios, _ := Scenarios(p)
		for _, s := range scenarios {
			w, _ := Verifiers(p, s, lang)
			texts = append(texts, w.ScenarioName)
			texts = append(texts, w.Notes...)
			for _, v := range w.Verifiers {
				texts = append(texts, v.Title, v.Phone, v.IDSuffix, v.WhereToFind)
			}
		}
	}
	return texts
}

// TestOneEnglishNamePerRole: each role has one English name in every text
// the core gives (the knowledge base, the wizard, the verifiers, the
// validators' problems and the tracker's warnings), the name its role-title
// gives it; the extension's own string tables are held to the same names
// in extension/test/strings.test.js.
func TestOneEnglishNamePerRole(t *testing.T) {
	names := roleNamesEN()
	for _, p := range platforms {
		for _, r := range p.roles {
			if got := strings.ToLower(englishName(r.title.en)); !slices.Contains(names[r.id], got) {
				t.Errorf("%s: role %s is called %q in English, want one of %q", p.id, r.id, got, names[r.id])
			}
		}
	}
	texts := englishTexts()
	mentions := 0
	for _, text := range texts {
		mentions += len(rolePhrase.FindAllString(text, -1))
		for _, bad := range roleMentionProblems(text, names) {
			t.Errorf("%q is not a role's English name (want one of %q): %q", bad, names, text)
		}
	}
	if mentions < 10 {
		t.Errorf("only %d role mentions found: the pattern no longer reads them", mentions)
	}
}

// TestNoIDLastSixNoun: "ID last 6" as a noun reads badly in English; the
// texts the core gives call it the last 6 of the ID number.
func TestNoIDLastSixNoun(t *testing.T) {
	texts := englishTexts()
	for _, r := range Rules(LangEN).Roles {
		texts = append(texts, r.Title)
	}
	for _, text := range texts {
		if strings.Contains(text, "ID last 6") {
			t.Errorf("%q says \"ID last 6\"", text)
		}
	}
}

// TestResendNamesTheTab: the resend on the MIIT site is its 短信重发 tab
// (docs/SOURCES.md, The form); English advice to resend there names it
// rather than a "resend" button the page does not have.
func TestResendNamesTheTab(t *testing.T) {
	bare := regexp.MustCompile(`(?i)\b(press|click|tap|use|hit)\s+(the\s+)?resend\b`)
	for _, e := range Entries() {
		text := advice(e, LangEN)
		if m := bare.FindString(text); m != "" {
			t.Errorf("%s says %q without naming 短信重发", e.ID, m)
		}
		zhTab := strings.Contains(advice(e, LangZH), "短信重发")
		if zhTab != strings.Contains(text, "短信重发") {
			t.Errorf("%s: names 短信重发 in one language only", e.ID)
		}
	}
}

// TestTimesKeepTheirBounds: a time given as an upper bound in Chinese
// (…内, within) is one in English too: "约 5 分钟内" is "within about 5
// minutes", never "about 5 minutes after".
func TestTimesKeepTheirBounds(t *testing.T) {
	zhWithin := regexp.MustCompile(`(\d+(?:[–-]\d+)?) ?(分钟|小时)内`)
	unit := map[string]string{"分钟": "minutes", "小时": "hours"}
	seen := 0
	for _, e := range Entries() {
		en := advice(e, LangEN)
		for _, m := range zhWithin.FindAllStringSubmatch(advice(e, LangZH), -1) {
			seen++
			want := regexp.MustCompile(`(?i)within (the |about )?` + regexp.QuoteMeta(m[1]) + ` ` + unit[m[2]])
			if !want.MatchString(en) {
				t.Errorf("%s: zh says %q, en never says within %s %s: %s", e.ID, m[0], m[1], unit[m[2]], en)
			}
		}
	}
	if seen == 0 {
		t.Error("no upper-bound times found: the pattern no longer reads them")
	}
}
