package core

import (
	"strings"
	"testing"
)

// t0 is when the SMS arrives in these tests (Beijing time).
var t0, _ = parseRFC3339("2026-05-01T09:00:00+08:00")

func at(d Instant) string { return (t0 + d).String() }

func sms(d Instant) Event { return Event{Type: EventSMSReceived, At: at(d)} }

func verify(status int, d Instant) Event {
	return Event{Type: EventVerifyResult, Status: &status, At: at(d)}
}

func resend(status int, d Instant) Event {
	return Event{Type: EventResendResult, Status: &status, At: at(d)}
}

func warningCodes(r TrackResult) string {
	var out []string
	for _, w := range r.Warnings {
		out = append(out, w.Code)
	}
	return strings.Join(out, ",")
}

func TestTrack(t *testing.T) {
	m := Minute
	h := Hour
	for _, c := range []struct {
		name           string
		events         []Event
		now            Instant
		state          string
		used, resends  int
		advice         string
		warnings       string
		deadlineAfter0 Instant // -1: no deadline
	}{
		{"nothing yet", nil, 0, StateAwaitingSMS, 0, 0, "faq-sms-timing", "", -1},
		{"SMS arrived", []Event{sms(0)}, h, StatePending, 0, 0, "faq-who-verifies", "", 24 * h},
		{"one wrong", []Event{sms(0), verify(2, m)}, h, StatePending, 1, 0, "verify-wrong-info", "", 24 * h},
		{"status 0 uses a try", []Event{sms(0), verify(0, m)}, h, StatePending, 1, 0, "verify-failed-retry", "", 24 * h},
		{"unknown status reads as 0", []Event{sms(0), verify(7, m)}, h, StatePending, 1, 0, "verify-failed-retry", "", 24 * h},
		{"four wrong: one left", []Event{sms(0), verify(2, m), verify(0, 2*m), verify(2, 3*m), verify(2, 4*m)}, h, StatePending, 4, 0, "verify-wrong-info", "one-try-left", 24 * h},
		{"five wrong: the next returns the filing", []Event{sms(0), verify(2, m), verify(2, 2*m), verify(2, 3*m), verify(2, 4*m), verify(0, 5*m)}, h, StatePending, 5, 0, "attempts-exhausted", "next-try-returns-filing", 24 * h},
		{"sixth try: returned", []Event{sms(0), verify(2, m), verify(2, 2*m), verify(2, 3*m), verify(2, 4*m), verify(2, 5*m), verify(21, 6*m)}, h, StateReturned, 5, 0, "verify-returned", "", 24 * h},
		{"21 alone means returned", []Event{sms(0), verify(21, m)}, h, StateReturned, 5, 0, "verify-returned", "", 24 * h},
		{"complete", []Event{sms(0), verify(2, m), verify(3, 2*m)}, h, StateComplete, 1, 0, "verify-complete", "", 24 * h},
		{"already done", []Event{sms(0), verify(20, m)}, h, StateComplete, 0, 0, "verify-already-done", "", 24 * h},
		{"waiting for others", []Event{sms(0), verify(31, m)}, h, StateWaitingOthers, 0, 0, "verify-wait-others", "", 24 * h},
		{"others then complete", []Event{sms(0), verify(31, m), verify(3, 2*h)}, 3 * h, StateComplete, 0, 0, "verify-complete", "", 24 * h},
		{"no record uses no try", []Event{sms(0), verify(4, m)}, h, StatePending, 0, 0, "verify-no-record", "", 24 * h},
		{"expired", []Event{sms(0), verify(2, m)}, 24 * h, StateExpired, 1, 0, "deadline-expired", "", 24 * h},
		{"waiting for others expires too", []Event{sms(0), verify(31, m)}, 25 * h, StateExpired, 0, 0, "deadline-expired", "", 24 * h},
		{"complete never expires", []Event{sms(0), verify(3, m)}, 48 * h, StateComplete, 0, 0, "verify-complete", "", 24 * h},
		{"deadline soon", []Event{sms(0)}, 22*h + 30*m, StatePending, 0, 0, "faq-who-verifies", "deadline-soon", 24 * h},
		{"one resend", []Event{sms(0), resend(101, m)}, h, StatePending, 0, 1, "resend-ok", "", 24 * h},
		{"two resends", []Event{sms(0), resend(101, m), resend(101, 2*m)}, h, StatePending, 0, 2, "resend-ok", "no-resends-left", 24 * h},
		{"resend limit", []Event{sms(0), resend(101, m), resend(102, 2*m)}, h, StatePending, 0, 2, "resend-limit", "no-resends-left", 24 * h},
		{"resend: nothing pending", []Event{sms(0), resend(100, m)}, h, StatePending, 0, 0, "resend-no-pending", "", 24 * h},
		{"a resend SMS keeps the round", []Event{sms(0), verify(2, m), resend(101, 2*m), sms(3 * m)}, h, StatePending, 1, 1, "resend-ok", "", 24 * h},
		{"a new SMS after the return starts a new round", []Event{sms(0), verify(21, m), sms(30 * h)}, 31 * h, StatePending, 0, 0, "faq-who-verifies", "", 54 * h},
		{"a new SMS after expiry starts a new round", []Event{sms(0), sms(26 * h), verify(2, 27*h)}, 28 * h, StatePending, 1, 0, "verify-wrong-info", "", 50 * h},
		{"a result after the deadline finds it expired", []Event{sms(0), verify(2, 25*h)}, 26 * h, StateExpired, 1, 0, "deadline-expired", "", 24 * h},
		{"events out of order", []Event{verify(2, 2*m), sms(0), verify(2, m)}, h, StatePending, 2, 0, "verify-wrong-info", "", 24 * h},
		{"results without an SMS event", []Event{verify(2, m)}, h, StatePending, 1, 0, "verify-wrong-info", "", -1},
		{"a resend before the first SMS counts", []Event{resend(101, 0), sms(2 * m)}, h, StatePending, 0, 1, "resend-ok", "", 24*h + 2*m},
		{"wrong tries before the first SMS event count", []Event{verify(2, 0), verify(2, m), verify(2, 2*m), sms(3 * m)}, h, StatePending, 3, 0, "verify-wrong-info", "", 24*h + 3*m},
	} {
		r, err := Track(c.events, t0+c.now, LangZH)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if r.State != c.state || r.AttemptsUsed != c.used || r.AttemptsLeft != MaxWrongTries-c.used ||
			r.ResendsUsed != c.resends || r.ResendsLeft != MaxResends-c.resends || r.Advice != c.advice || warningCodes(r) != c.warnings {
			t.Errorf("%s: got %s used %d left %d resends %d/%d advice %s warnings %q; want %s used %d resends %d advice %s warnings %q",
				c.name, r.State, r.AttemptsUsed, r.AttemptsLeft, r.ResendsUsed, r.ResendsLeft, r.Advice, warningCodes(r),
				c.state, c.used, c.resends, c.advice, c.warnings)
		}
		switch {
		case c.deadlineAfter0 < 0 && r.Deadline != nil:
			t.Errorf("%s: deadline %s, want none", c.name, *r.Deadline)
		case c.deadlineAfter0 >= 0 && (r.Deadline == nil || *r.Deadline != (t0+c.deadlineAfter0).String()):
			t.Errorf("%s: deadline %v, want %s", c.name, r.Deadline, (t0 + c.deadlineAfter0).String())
		}
		if _, err := Lookup(r.Advice); err != nil {
			t.Errorf("%s: advice %s is not a knowledge entry", c.name, r.Advice)
		}
	}
}

// TestTrackCountdown walks five failures one by one, as the extension does.
func TestTrackCountdown(t *testing.T) {
	events := []Event{sms(0)}
	for i := 1; i <= 5; i++ {
		events = append(events, verify(2, Instant(i)*Minute))
		r, _ := Track(events, t0+Hour, LangEN)
		if r.AttemptsLeft != 5-i {
			t.Fatalf("after %d failures: %d left", i, r.AttemptsLeft)
		}
	}
	r, _ := Track(events, t0+Hour, LangEN)
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0].Message, "returns the filing") {
		t.Errorf("after 5 failures: warnings %+v, want a plain warning that the next try returns the filing", r.Warnings)
	}
}

func TestTrackBadEvents(t *testing.T) {
	two := 2
	for _, c := range []struct {
		events []Event
		want   string
	}{
		{[]Event{{Type: "sms", At: at(0)}}, "event 0: unknown type \"sms\"; valid types: sms-received, verify-result, resend-result"},
		{[]Event{sms(0), {Type: EventVerifyResult, At: at(0)}}, "event 1: verify-result needs a status"},
		{[]Event{{Type: EventVerifyResult, Status: &two, At: "yesterday"}}, "event 0: at is not an RFC 3339 time: \"yesterday\""},
		{[]Event{sms(0), resend(3, Minute)}, "event 1: a resend-result status is 100, 101 or 102, not 3"},
		{[]Event{sms(0), verify(101, Minute)}, "event 1: status 101 answers a resend: use resend-result"},
		{[]Event{{Type: EventSMSReceived, At: "9999-12-31T00:00:00Z"}}, "event 0: at is not an RFC 3339 time"},
	} {
		_, err := Track(c.events, t0, LangEN)
		if ErrorCode(err) != ECodeBadEvent || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Track(%+v) error = %v, want %q", c.events, err, c.want)
		}
	}
}

// FuzzTrack drives the tracker with arbitrary event sequences: it never
// panics, and what it derives stays within the rules.
func FuzzTrack(f *testing.F) {
	f.Add([]byte{0, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 21}, int64(3600))
	f.Add([]byte{2, 101, 0, 2, 102, 1, 31, 1, 3}, int64(90000))
	f.Add([]byte{0, 1, 21, 0, 1, 2}, int64(200000))
	f.Fuzz(func(t *testing.T, script []byte, nowSec int64) {
		var events []Event
		for i := 0; i+1 < len(script) && len(events) < 64; i += 2 {
			status := int(script[i+1])
			when := (t0 + Instant(i)*Minute*7).String()
			switch script[i] % 4 {
			case 0:
				events = append(events, Event{Type: EventSMSReceived, At: when})
			case 1:
				events = append(events, Event{Type: EventVerifyResult, Status: &status, At: when})
			case 2:
				events = append(events, Event{Type: EventResendResult, Status: &status, At: when})
			case 3:
				events = append(events, Event{Type: "junk", At: when})
			}
		}
		r, err := Track(events, t0+Instant(nowSec%(1<<40))*Second, LangEN)
		if err != nil {
			if ErrorCode(err) != ECodeBadEvent {
				t.Fatalf("Track: %v", err)
			}
			return
		}
		if r.AttemptsLeft < 0 || r.AttemptsLeft > MaxWrongTries || r.ResendsLeft < 0 || r.ResendsLeft > MaxResends ||
			r.AttemptsLeft != max(0, MaxWrongTries-r.AttemptsUsed) || r.ResendsUsed+r.ResendsLeft != MaxResends {
			t.Fatalf("Track(%+v) = %+v", events, r)
		}
		if _, err := Lookup(r.Advice); err != nil {
			t.Fatalf("advice %q is not an entry", r.Advice)
		}
		if r.Deadline != nil {
			if _, ok := parseRFC3339(*r.Deadline); !ok {
				t.Fatalf("deadline %q does not parse", *r.Deadline)
			}
		}
	})
}
