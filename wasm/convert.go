//go:build js && wasm

package main

import "github.com/heyan-dev/heyan/core"

// The converters build plain values that js.ValueOf turns into JS objects,
// with the same field names as the heyan command's --json output (the
// contract test compares the two). encoding/json would cost 1.3 MB here.

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func intOrNull(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func strOrNull(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func problems(ps []core.Problem) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = map[string]any{"code": p.Code, "message": p.Message}
	}
	return out
}

func matchJS(m core.Match) map[string]any {
	return map[string]any{
		"id": m.ID, "status": intOrNull(m.Status), "severity": string(m.Severity),
		"title": m.Title, "cause": m.Cause, "steps": strs(m.Steps),
	}
}

func whoJS(r core.WhoResult) map[string]any {
	vs := make([]any, len(r.Verifiers))
	for i, v := range r.Verifiers {
		vs[i] = map[string]any{"role": v.Role, "title": v.Title, "phone": v.Phone, "idSuffix": v.IDSuffix, "whereToFind": v.WhereToFind}
	}
	return map[string]any{
		"platform": r.Platform, "scenario": r.Scenario, "scenarioName": r.ScenarioName,
		"verifiers": vs, "notes": strs(r.Notes), "source": r.Source,
	}
}

func answerJS(a core.Answer) map[string]any {
	if a.Scenario != "" {
		return map[string]any{"scenario": a.Scenario}
	}
	return map[string]any{"next": a.Next}
}

func questionsJS(r core.QuestionsResult) map[string]any {
	qs := make([]any, len(r.Questions))
	for i, q := range r.Questions {
		qs[i] = map[string]any{"id": q.ID, "text": q.Text, "yes": answerJS(q.Yes), "no": answerJS(q.No)}
	}
	return map[string]any{"platform": r.Platform, "questions": qs}
}

func checkJS(r core.CheckResult) map[string]any {
	m := map[string]any{"valid": r.Valid, "normalized": r.Normalized, "problems": problems(r.Problems)}
	if r.Supported != nil {
		m["supported"] = *r.Supported
	}
	return m
}

func trackJS(r core.TrackResult) map[string]any {
	return map[string]any{
		"state": r.State, "attemptsUsed": r.AttemptsUsed, "attemptsLeft": r.AttemptsLeft,
		"resendsUsed": r.ResendsUsed, "resendsLeft": r.ResendsLeft, "deadline": strOrNull(r.Deadline),
		"advice": r.Advice, "warnings": problems(r.Warnings),
	}
}

func entryJS(v core.EntryView) map[string]any {
	links := make([]any, len(v.Links))
	for i, l := range v.Links {
		links[i] = map[string]any{"label": l.Label, "url": l.URL}
	}
	return map[string]any{
		"id": v.ID, "kind": v.Kind, "severity": string(v.Severity), "status": intOrNull(v.Status),
		"consumesTry": v.ConsumesTry, "text": v.Text, "title": v.Title, "cause": v.Cause,
		"steps": strs(v.Steps), "links": links, "source": v.Source,
	}
}
