//go:build js && wasm

package main

import (
	"strconv"

	"github.com/heyan-dev/heyan/core"
)

// The converters write each result as JSON with the same field names as the
// heyan command's --json output (the contract test compares the two), field
// by field, so that a result costs its bytes and no map or interface value.

func writeProblems(w *jsonWriter, ps []core.Problem) {
	w.arr()
	for _, p := range ps {
		w.obj()
		w.fStr("code", p.Code)
		w.fStr("message", p.Message)
		w.end()
	}
	w.endArr()
}

func writeDiagnosis(w *jsonWriter, d core.Diagnosis) {
	w.obj()
	w.key("matches")
	w.arr()
	// A page can hold hundreds of matches: each is appended directly, not
	// through the writer's calls (a third of a 200 KiB page's time).
	for i, m := range d.Matches {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = append(w.b, `{"id":`...)
		w.b = appendString(w.b, m.ID)
		w.b = append(w.b, `,"status":`...)
		if m.Status == nil {
			w.b = append(w.b, "null"...)
		} else {
			w.b = strconv.AppendInt(w.b, int64(*m.Status), 10)
		}
		w.b = append(w.b, '}')
	}
	w.comma = len(d.Matches) > 0
	w.endArr()
	w.key("explanations")
	w.obj()
	for _, x := range d.Explanations {
		w.key(x.ID)
		w.obj()
		w.fStr("id", x.ID)
		w.key("status")
		w.intOrNull(x.Status)
		w.fStr("severity", string(x.Severity))
		w.fStr("title", x.Title)
		w.fStr("cause", x.Cause)
		w.key("steps")
		w.strs(x.Steps)
		w.end()
	}
	w.end()
	w.end()
}

func writeWho(w *jsonWriter, r core.WhoResult) {
	w.obj()
	w.fStr("platform", r.Platform)
	w.fStr("scenario", r.Scenario)
	w.fStr("scenarioName", r.ScenarioName)
	w.key("verifiers")
	w.arr()
	for _, v := range r.Verifiers {
		w.obj()
		w.fStr("role", v.Role)
		w.fStr("title", v.Title)
		w.fStr("phone", v.Phone)
		w.fStr("idSuffix", v.IDSuffix)
		w.fStr("whereToFind", v.WhereToFind)
		w.end()
	}
	w.endArr()
	w.key("notes")
	w.strs(r.Notes)
	w.fStr("source", r.Source)
	w.end()
}

func writeAnswer(w *jsonWriter, a core.Answer) {
	w.obj()
	if a.Scenario != "" {
		w.fStr("scenario", a.Scenario)
	} else {
		w.fStr("next", a.Next)
	}
	w.end()
}

func writeQuestions(w *jsonWriter, r core.QuestionsResult) {
	w.obj()
	w.fStr("platform", r.Platform)
	w.key("questions")
	w.arr()
	for _, q := range r.Questions {
		w.obj()
		w.fStr("id", q.ID)
		w.fStr("text", q.Text)
		w.key("yes")
		writeAnswer(w, q.Yes)
		w.key("no")
		writeAnswer(w, q.No)
		w.end()
	}
	w.endArr()
	w.end()
}

func writeCheck(w *jsonWriter, r core.CheckResult) {
	w.obj()
	w.fBool("valid", r.Valid)
	if r.Supported != nil {
		w.fBool("supported", *r.Supported)
	}
	w.fStr("normalized", r.Normalized)
	w.key("problems")
	writeProblems(w, r.Problems)
	w.end()
}

func writeTrack(w *jsonWriter, r core.TrackResult) {
	w.obj()
	w.fStr("state", r.State)
	w.fInt("attemptsUsed", r.AttemptsUsed)
	w.fInt("attemptsLeft", r.AttemptsLeft)
	w.fInt("resendsUsed", r.ResendsUsed)
	w.fInt("resendsLeft", r.ResendsLeft)
	w.key("deadline")
	w.strOrNull(r.Deadline)
	w.fStr("advice", r.Advice)
	w.key("warnings")
	writeProblems(w, r.Warnings)
	w.end()
}

func writeEntry(w *jsonWriter, v core.EntryView) {
	w.obj()
	w.fStr("id", v.ID)
	w.fStr("kind", v.Kind)
	w.fStr("severity", string(v.Severity))
	w.key("status")
	w.intOrNull(v.Status)
	w.fBool("consumesTry", v.ConsumesTry)
	w.fStr("text", v.Text)
	w.fStr("title", v.Title)
	w.fStr("cause", v.Cause)
	w.key("steps")
	w.strs(v.Steps)
	w.key("links")
	w.arr()
	for _, l := range v.Links {
		w.obj()
		w.fStr("label", l.Label)
		w.fStr("url", l.URL)
		w.end()
	}
	w.endArr()
	w.fStr("source", v.Source)
	w.end()
}

func writeRoles(w *jsonWriter, rs []core.RoleInfo) {
	w.arr()
	for _, r := range rs {
		w.obj()
		w.fStr("id", r.ID)
		w.fStr("title", r.Title)
		w.end()
	}
	w.endArr()
}

func writeForm(w *jsonWriter, f core.FormRule) {
	w.obj()
	w.fStr("event", f.Event)
	w.key("answers")
	w.arr()
	for _, a := range f.Answers {
		w.obj()
		w.fStr("id", a.ID)
		w.fInt("status", a.Status)
		w.fBool("consumesTry", a.ConsumesTry)
		w.key("state")
		w.strOrNull(a.State)
		w.key("resend")
		w.strOrNull(a.Resend)
		w.end()
	}
	w.endArr()
	w.fStr("otherShownAs", f.OtherShownAs)
	w.fBool("unknownRecorded", f.UnknownRecorded)
	w.end()
}

func writeRules(w *jsonWriter, r core.RuleSet) {
	w.obj()
	w.key("limits")
	w.obj()
	w.fInt("tries", r.Limits.Tries)
	w.fInt("resends", r.Limits.Resends)
	w.fInt("windowHours", r.Limits.WindowHours)
	w.fInt("deadlineSoonHours", r.Limits.DeadlineSoonHours)
	w.fInt("statusLagHours", r.Limits.StatusLagHours)
	w.fInt("statusRecheckHours", r.Limits.StatusRecheckHours)
	w.end()
	w.key("states")
	w.arr()
	for _, s := range r.States {
		w.obj()
		w.fStr("id", s.ID)
		w.fBool("closed", s.Closed)
		w.fBool("needsNewSms", s.NeedsNewSMS)
		w.end()
	}
	w.endArr()
	w.key("forms")
	w.obj()
	w.key("verify")
	writeForm(w, r.Forms.Verify)
	w.key("resend")
	writeForm(w, r.Forms.Resend)
	w.end()
	w.key("roles")
	writeRoles(w, r.Roles)
	w.key("platforms")
	w.arr()
	for _, p := range r.Platforms {
		w.obj()
		w.fStr("id", p.ID)
		w.fStr("name", p.Name)
		w.key("roles")
		writeRoles(w, p.Roles)
		w.key("scenarios")
		w.arr()
		for _, s := range p.Scenarios {
			w.obj()
			w.fStr("id", s.ID)
			w.fStr("name", s.Name)
			w.end()
		}
		w.endArr()
		w.end()
	}
	w.endArr()
	w.end()
}
