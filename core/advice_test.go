package core

import (
	"regexp"
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
