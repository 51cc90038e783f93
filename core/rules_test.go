package core

import (
	"slices"
	"testing"
)

func TestRules(t *testing.T) {
	for _, lang := range []Lang{LangZH, LangEN} {
		r := Rules(lang)
		if got, want := r.Limits, (Limits{Tries: 5, Resends: 2, WindowHours: 24, DeadlineSoonHours: 2, StatusLagHours: 24, StatusRecheckHours: 6}); got != want {
			t.Errorf("Rules(%s).Limits = %+v, want %+v", lang, got, want)
		}
		var closed, needsSMS, open []string
		for _, s := range r.States {
			switch {
			case s.NeedsNewSMS:
				needsSMS = append(needsSMS, s.ID)
				closed = append(closed, s.ID)
			case s.Closed:
				closed = append(closed, s.ID)
			default:
				open = append(open, s.ID)
			}
		}
		if want := []string{StateComplete, StateReturned, StateExpired}; !slices.Equal(closed, want) {
			t.Errorf("closed states %v, want %v", closed, want)
		}
		if want := []string{StateReturned, StateExpired}; !slices.Equal(needsSMS, want) {
			t.Errorf("states that need a new SMS %v, want %v", needsSMS, want)
		}
		if want := []string{StateAwaitingSMS, StatePending, StateWaitingOthers}; !slices.Equal(open, want) {
			t.Errorf("open states %v, want %v", open, want)
		}
		if r.Forms.Verify.Event != EventVerifyResult || r.Forms.Resend.Event != EventResendResult {
			t.Errorf("form events %q, %q", r.Forms.Verify.Event, r.Forms.Resend.Event)
		}
		if !r.Forms.Verify.UnknownRecorded || r.Forms.Resend.UnknownRecorded {
			t.Errorf("unknown codes recorded: verify %v, resend %v; want true, false", r.Forms.Verify.UnknownRecorded, r.Forms.Resend.UnknownRecorded)
		}
		if len(r.Roles) != 3 || len(r.Platforms) != len(Platforms()) {
			t.Errorf("roles %+v, platforms %+v", r.Roles, r.Platforms)
		}
		for _, p := range r.Platforms {
			ids, _ := Scenarios(p.ID)
			if p.Name == "" || len(p.Roles) == 0 || len(p.Scenarios) != len(ids) {
				t.Errorf("%s: %+v", p.ID, p)
			}
			for _, role := range p.Roles {
				w, _ := Verifiers(p.ID, scenarioWith(p.ID, role.ID), lang)
				for _, v := range w.Verifiers {
					if v.Role == role.ID && v.Title != role.Title {
						t.Errorf("%s %s: rules say %q, who says %q", p.ID, role.ID, role.Title, v.Title)
					}
				}
			}
		}
	}
	if zh, en := Rules(LangZH), Rules(LangEN); zh.Roles[0].Title == en.Roles[0].Title || zh.Platforms[0].Name == en.Platforms[0].Name {
		t.Errorf("the titles are not localized: %+v / %+v", zh.Roles[0], en.Roles[0])
	}
}

func scenarioWith(platform, role string) string {
	for _, p := range platforms {
		if p.id != platform {
			continue
		}
		for _, s := range p.scenarios {
			if slices.Contains(s.verifiers, role) {
				return s.id
			}
		}
	}
	return ""
}

// readAnswer is how a page reads an answer with nothing but the rule set, as
// heyan-core.d.ts documents it: the entry it shows, and whether the tracker
// records it.
func readAnswer(r RuleSet, form string, status int) (id string, recorded bool) {
	own, other := r.Forms.Verify, r.Forms.Resend
	if form == FormResend {
		own, other = other, own
	}
	for _, a := range own.Answers {
		if a.Status == status {
			return a.ID, true
		}
	}
	for _, a := range other.Answers {
		if a.Status == status {
			return own.OtherShownAs, false
		}
	}
	return own.OtherShownAs, own.UnknownRecorded
}

// TestRulesReadAnswersAsTheTracker: a page that reads answers from the rule
// set shows what AnswerEntry shows and records exactly what Track accepts,
// with the same effect on the counts.
func TestRulesReadAnswersAsTheTracker(t *testing.T) {
	r := Rules(LangEN)
	for _, form := range []string{FormVerify, FormResend} {
		for status := -2; status <= 1100; status++ {
			id, recorded := readAnswer(r, form, status)
			e, wantRecorded := AnswerEntry(form, status)
			if id != e.ID || recorded != wantRecorded {
				t.Fatalf("%s %d: rules read %s, %v; AnswerEntry %s, %v", form, status, id, recorded, e.ID, wantRecorded)
			}
			typ := EventVerifyResult
			if form == FormResend {
				typ = EventResendResult
			}
			st := status
			res, err := Track([]Event{sms(0), {Type: typ, Status: &st, At: at(Minute)}}, t0+Hour, LangEN)
			if (err == nil) != recorded {
				t.Fatalf("%s %d: recorded %v, but Track says %v", form, status, recorded, err)
			}
			if err != nil {
				continue
			}
			if res.Advice != id && res.State == StatePending {
				t.Errorf("%s %d: Track advises %s, the page shows %s", form, status, res.Advice, id)
			}
			var a *AnswerRule
			for i := range r.Forms.Verify.Answers {
				if r.Forms.Verify.Answers[i].ID == id {
					a = &r.Forms.Verify.Answers[i]
				}
			}
			for i := range r.Forms.Resend.Answers {
				if r.Forms.Resend.Answers[i].ID == id {
					a = &r.Forms.Resend.Answers[i]
				}
			}
			if a == nil {
				t.Fatalf("%s %d: %s is no form's answer", form, status, id)
			}
			wantUsed := 0
			if a.ConsumesTry {
				wantUsed = 1
			}
			if a.State != nil && *a.State == StateReturned {
				wantUsed = MaxWrongTries
			}
			if res.AttemptsUsed != wantUsed || (a.State != nil && res.State != *a.State) || (a.State == nil && res.State != StatePending) {
				t.Errorf("%s %d (%s): Track = %+v; the rules say uses a try %v, state %v", form, status, id, res, a.ConsumesTry, a.State)
			}
			if a.Resend != nil && *a.Resend == ResendSent && res.ResendsUsed != 1 || a.Resend != nil && *a.Resend == ResendLimit && res.ResendsLeft != 0 {
				t.Errorf("%s %d (%s): Track = %+v; the rules say resend %s", form, status, id, res, *a.Resend)
			}
		}
	}
}
