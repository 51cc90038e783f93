package core

import "strconv"

// The limits of one round of verification (one SMS from the filing platform).
const (
	// MaxWrongTries is how many wrong entries MIIT allows; the next try
	// returns the filing.
	MaxWrongTries = 5
	// MaxResends is how many times the MIIT site resends the code.
	MaxResends = 2
	// Window is how long after the SMS arrives verification stays open.
	Window = 24 * Hour
	// DeadlineSoon is when the tracker starts warning that time is short.
	DeadlineSoon = 2 * Hour
)

// The Douyin console's status after verification (Douyin guide §6.6).
const (
	// StatusLag is how long 管局审核中 may stand before the guide calls it a
	// delay in the platform's update rather than part of the review.
	StatusLag = 24 * Hour
	// StatusRecheck is how long after such a delay the guide says to look again.
	StatusRecheck = 6 * Hour
)

// Event types.
const (
	EventSMSReceived  = "sms-received"
	EventVerifyResult = "verify-result"
	EventResendResult = "resend-result"
)

// Tracker states.
const (
	StateAwaitingSMS   = "awaiting-sms"
	StatePending       = "pending"
	StateWaitingOthers = "waiting-others"
	StateComplete      = "complete"
	StateReturned      = "returned"
	StateExpired       = "expired"
)

// Event is one thing that happened to a filing's verification. Status is
// the validStatus the site answered, for results. At is RFC 3339.
type Event struct {
	Type   string `json:"type"`
	Status *int   `json:"status,omitempty"`
	At     string `json:"at"`
}

// TrackResult is what the tracker derives from a filing's events at a time.
// Deadline is RFC 3339 UTC, or nil before the SMS arrived. Advice is the ID
// of the knowledge entry to show next.
type TrackResult struct {
	State        string    `json:"state"`
	AttemptsUsed int       `json:"attemptsUsed"`
	AttemptsLeft int       `json:"attemptsLeft"`
	ResendsUsed  int       `json:"resendsUsed"`
	ResendsLeft  int       `json:"resendsLeft"`
	Deadline     *string   `json:"deadline"`
	Advice       string    `json:"advice"`
	Warnings     []Problem `json:"warnings"`
}

type timedEvent struct {
	Event
	t Instant
}

func trackWarning(code string, lang Lang) Problem {
	return Problem{Code: code, Message: noticeText(trackWarnings, code, lang)}
}

// StateRule says what a tracker state means for a round.
type StateRule struct {
	ID string `json:"id"`
	// Closed: the round is over (complete, returned, expired); answers no
	// longer count and the deadline no longer runs.
	Closed bool `json:"closed"`
	// NeedsNewSMS: only a new SMS from the filing platform starts the next
	// round (returned, expired).
	NeedsNewSMS bool `json:"needsNewSms"`
}

// trackStates are the tracker's states in the order a round goes through
// them; Track and Rules both read them here.
var trackStates = []StateRule{
	{ID: StateAwaitingSMS},
	{ID: StatePending},
	{ID: StateWaitingOthers},
	{ID: StateComplete, Closed: true},
	{ID: StateReturned, Closed: true, NeedsNewSMS: true},
	{ID: StateExpired, Closed: true, NeedsNewSMS: true},
}

func stateRule(state string) StateRule {
	for _, s := range trackStates {
		if s.ID == state {
			return s
		}
	}
	return StateRule{ID: state}
}

// formStatuses lists the validStatus codes of form's answers, as the
// tracker's error messages name them: "100, 101 or 102" ("100、101 或 102").
func formStatuses(form string, lang Lang) string {
	var codes []string
	for _, e := range entries {
		if e.Kind == KindResult && e.Form == form {
			codes = append(codes, strconv.Itoa(e.Status))
		}
	}
	sep, or := ", ", " or "
	if lang == LangZH {
		sep, or = "、", " 或 "
	}
	out := ""
	for i, c := range codes {
		switch {
		case i == 0:
		case i == len(codes)-1:
			out += or
		default:
			out += sep
		}
		out += c
	}
	return out
}

func badEvent(i int, zh, en string) *Error {
	n := strconv.Itoa(i)
	return &Error{Code: ECodeBadEvent, ZH: "第 " + n + " 个事件：" + zh, EN: "event " + n + ": " + en}
}

// Track derives one filing's verification state from its events at now. It
// is pure: the same events and now always give the same answer.
//
// Rules (docs/SOURCES.md, Limits and times): 5 wrong tries are allowed. What
// each answer does is data (core/data/knowledge.txt): whether it uses a try
// (validStatus 0 and 2, and any unknown code, which the page shows as 0), the
// state it moves the round to (3 and 20 complete, 31 waiting for others, 21
// returned: no tries left) and what it says about the 2 resends (101 used
// one, 102 none are left). The deadline is 24 hours after
// the SMS arrived. A new SMS after the filing was returned or expired starts
// a new round (the platform's 重新发送短信); an SMS while a round is open (a
// resend) keeps the round's counts and deadline, which is the safer reading.
func Track(events []Event, now Instant, lang Lang) (TrackResult, error) {
	evs := make([]timedEvent, 0, len(events))
	for i, e := range events {
		t, ok := parseRFC3339(e.At)
		if !ok {
			return TrackResult{}, badEvent(i, "at 不是 RFC 3339 时间："+quote(e.At), "at is not an RFC 3339 time: "+quote(e.At))
		}
		switch e.Type {
		case EventSMSReceived:
		case EventVerifyResult, EventResendResult:
			if e.Status == nil {
				return TrackResult{}, badEvent(i, e.Type+" 缺少 status（validStatus）", e.Type+" needs a status (the validStatus)")
			}
			resendCode := formOfStatus(*e.Status) == FormResend
			if e.Type == EventResendResult && !resendCode {
				return TrackResult{}, badEvent(i, "resend-result 的 status 只能是 "+formStatuses(FormResend, LangZH)+"，而不是 "+strconv.Itoa(*e.Status),
					"a resend-result status is "+formStatuses(FormResend, LangEN)+", not "+strconv.Itoa(*e.Status))
			}
			if e.Type == EventVerifyResult && resendCode {
				return TrackResult{}, badEvent(i, "status "+strconv.Itoa(*e.Status)+" 是短信重发的结果，请用 resend-result",
					"status "+strconv.Itoa(*e.Status)+" answers a resend: use resend-result")
			}
		default:
			return TrackResult{}, badEvent(i, "未知的事件类型 "+quote(e.Type)+"，可用：sms-received、verify-result、resend-result",
				"unknown type "+quote(e.Type)+"; valid types: sms-received, verify-result, resend-result")
		}
		evs = append(evs, timedEvent{Event: e, t: t})
	}
	evs = sortByTime(evs)

	var (
		state       = StateAwaitingSMS
		sms         Instant
		haveSMS     bool
		used, sent  int
		last        *Entry
		resendLimit bool
	)
	closed := func() bool { return stateRule(state).Closed }
	for _, e := range evs {
		// A round left open past its deadline expired at the deadline.
		if haveSMS && !closed() && e.t >= sms+Window {
			state = StateExpired
		}
		switch e.Type {
		case EventSMSReceived:
			switch {
			case stateRule(state).NeedsNewSMS:
				// The platform's 重新发送短信: a new round with fresh counts.
				sms, haveSMS = e.t, true
				used, sent, last, resendLimit = 0, 0, nil, false
				state = StatePending
			case !haveSMS:
				// The first SMS of the round, perhaps after a resend or
				// results recorded before it: keep their counts.
				sms, haveSMS = e.t, true
				if state == StateAwaitingSMS {
					state = StatePending
				}
			}
		case EventVerifyResult, EventResendResult:
			// What the answer does is the knowledge base's: its entry's
			// state, consumes-try and resend (an unknown code reads as 0).
			entry := EntryForStatus(*e.Status)
			last = entry
			if state == StateAwaitingSMS {
				state = StatePending // results prove an SMS came, though not when
			}
			if entry.State != "" {
				state = entry.State
			}
			if entry.State == StateReturned {
				used = max(used, MaxWrongTries) // a returned filing has no tries left
			}
			if entry.ConsumesTry {
				used++
			}
			switch entry.Resend {
			case ResendSent:
				sent++
			case ResendLimit:
				resendLimit = true
			}
		}
	}
	if haveSMS && !closed() && now >= sms+Window {
		state = StateExpired
	}
	if resendLimit {
		sent = max(sent, MaxResends)
	}
	res := TrackResult{
		State:        state,
		AttemptsUsed: used,
		AttemptsLeft: max(0, MaxWrongTries-used),
		ResendsUsed:  min(sent, MaxResends),
		ResendsLeft:  max(0, MaxResends-sent),
		Warnings:     []Problem{},
	}
	if haveSMS {
		d := (sms + Window).String()
		res.Deadline = &d
	}
	switch state {
	case StateAwaitingSMS:
		res.Advice = "faq-sms-timing"
	case StateReturned:
		res.Advice = "verify-returned"
	case StateExpired:
		res.Advice = "deadline-expired"
	case StateComplete, StateWaitingOthers:
		res.Advice = last.ID
	case StatePending:
		switch {
		case res.AttemptsLeft == 0:
			res.Advice = "attempts-exhausted"
		case last != nil:
			res.Advice = last.ID
		default:
			res.Advice = "faq-who-verifies"
		}
	}
	if state == StatePending || state == StateWaitingOthers {
		switch res.AttemptsLeft {
		case 0:
			res.Warnings = append(res.Warnings, trackWarning("next-try-returns-filing", lang))
		case 1:
			res.Warnings = append(res.Warnings, trackWarning("one-try-left", lang))
		}
		if haveSMS && sms+Window-now <= DeadlineSoon {
			res.Warnings = append(res.Warnings, trackWarning("deadline-soon", lang))
		}
		if res.ResendsLeft == 0 {
			res.Warnings = append(res.Warnings, trackWarning("no-resends-left", lang))
		}
	}
	return res, nil
}

// sortByTime sorts events by time, keeping the given order of events at the
// same time: a merge sort written for this one type, because the generic
// sorts of package slices add 20 KB to the WebAssembly build.
func sortByTime(evs []timedEvent) []timedEvent {
	buf := make([]timedEvent, len(evs))
	for width := 1; width < len(evs); width *= 2 {
		for lo := 0; lo < len(evs); lo += 2 * width {
			mid, hi := min(lo+width, len(evs)), min(lo+2*width, len(evs))
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				if evs[j].t < evs[i].t {
					buf[k] = evs[j]
					j++
				} else {
					buf[k] = evs[i]
					i++
				}
				k++
			}
			k += copy(buf[k:], evs[i:mid])
			copy(buf[k:], evs[j:hi])
		}
		evs, buf = buf, evs
	}
	return evs
}
