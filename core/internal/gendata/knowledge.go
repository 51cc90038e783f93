package main

import (
	"strconv"
	"strings"

	"github.com/heyan-dev/heyan/core/internal/datafile"
)

// Entry is one record of knowledge.txt, as core.Entry will hold it.
type Entry struct {
	ID, Kind, Severity string
	Status             int
	HasStatus          bool
	Form               string
	ConsumesTry        bool
	State, Resend      string
	ShownForUnknown    bool
	Texts              []string
	Source             string
	ZH, EN             Explanation
	Links              []Link
	Line               int
}

// Explanation is an entry's title, cause and steps in one language.
type Explanation struct {
	Title, Cause string
	Steps        []string
}

// Link is a page worth opening for an entry.
type Link struct{ URL, ZH, EN string }

// The values knowledge.txt allows, as the core names them.
var (
	kinds       = []string{"result", "form", "platform", "faq", "advice"}
	severities  = []string{"success", "info", "warning", "error"}
	forms       = []string{"verify", "resend"}
	stateMoves  = []string{"complete", "waiting-others", "returned"}
	resendMoves = []string{"sent", "limit"}
)

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// yesNo reads a yes/no field; absent is def when optional.
func yesNo(r *datafile.Record, key string, optional bool) (bool, bool) {
	switch r.Get(key) {
	case "yes":
		return true, true
	case "no":
		return false, true
	case "":
		return false, optional
	}
	return false, false
}

func parseKnowledge(name, text string) ([]*Entry, error) {
	recs, err := datafile.Parse(name, text)
	if err != nil {
		return nil, err
	}
	out := make([]*Entry, 0, len(recs))
	seen := map[string]int{}
	unknownShownBy := ""
	for i := range recs {
		r := &recs[i]
		fail := func(msg string) error { return datafile.Errorf(name, r.Line, msg) }
		if r.Kind != "entry" || len(r.Args) != 1 {
			return nil, fail("expected \"== entry <id>\"")
		}
		e := &Entry{ID: r.Args[0], Kind: r.Get("kind"), Severity: r.Get("severity"), Source: r.Get("source"), Texts: r.All("text"), Line: r.Line}
		if prev, dup := seen[e.ID]; dup {
			return nil, fail("duplicate id " + e.ID + " (first at line " + strconv.Itoa(prev) + ")")
		}
		seen[e.ID] = r.Line
		if !oneOf(e.Kind, kinds) {
			return nil, fail(e.ID + ": unknown kind " + strconv.Quote(e.Kind))
		}
		if !oneOf(e.Severity, severities) {
			return nil, fail(e.ID + ": unknown severity " + strconv.Quote(e.Severity))
		}
		result := e.Kind == "result"
		if s := r.Get("status"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return nil, fail(e.ID + ": status is not a number")
			}
			e.Status, e.HasStatus = n, true
		}
		if result != e.HasStatus {
			return nil, fail(e.ID + ": a result has a status:, and only a result")
		}
		var ok bool
		if e.ConsumesTry, ok = yesNo(r, "consumes-try", false); !ok {
			return nil, fail(e.ID + ": consumes-try must be yes or no")
		}
		e.Form, e.State, e.Resend = r.Get("form"), r.Get("state"), r.Get("resend")
		if e.ShownForUnknown, ok = yesNo(r, "shown-for-unknown", true); !ok {
			return nil, fail(e.ID + ": shown-for-unknown must be yes or no")
		}
		switch {
		case result && !oneOf(e.Form, forms):
			return nil, fail(e.ID + ": a result needs form: verify or form: resend")
		case !result && (e.Form != "" || e.State != "" || e.Resend != "" || e.ShownForUnknown || e.ConsumesTry):
			return nil, fail(e.ID + ": form, state, resend, shown-for-unknown and consumes-try: yes are for results only")
		case e.State != "" && (e.Form != "verify" || !oneOf(e.State, stateMoves)):
			return nil, fail(e.ID + ": state: is complete, waiting-others or returned, on a verify result")
		case e.Resend != "" && (e.Form != "resend" || !oneOf(e.Resend, resendMoves)):
			return nil, fail(e.ID + ": resend: is sent or limit, on a resend result")
		case e.ConsumesTry && e.Form != "verify":
			return nil, fail(e.ID + ": only a verify answer can use a try")
		case e.ConsumesTry && e.State != "":
			return nil, fail(e.ID + ": an answer that moves the round to " + e.State + " uses no try")
		}
		if e.ShownForUnknown {
			if unknownShownBy != "" {
				return nil, fail(e.ID + ": shown-for-unknown is already set on " + unknownShownBy)
			}
			if e.Form != "verify" {
				return nil, fail(e.ID + ": the page shows unknown codes with a verify result's text")
			}
			unknownShownBy = e.ID
		}
		e.ZH = Explanation{Title: r.Get("zh.title"), Cause: r.Get("zh.cause"), Steps: r.All("zh.step")}
		e.EN = Explanation{Title: r.Get("en.title"), Cause: r.Get("en.cause"), Steps: r.All("en.step")}
		for _, l := range r.All("link") {
			parts := strings.Split(l, "|")
			if len(parts) != 3 {
				return nil, fail(e.ID + ": a link is \"URL | 中文 | English\"")
			}
			e.Links = append(e.Links, Link{URL: strings.TrimSpace(parts[0]), ZH: strings.TrimSpace(parts[1]), EN: strings.TrimSpace(parts[2])})
		}
		out = append(out, e)
	}
	// The tracker and the page need both forms' statuses to be told apart.
	statusForm := map[int]string{}
	for _, e := range out {
		if !e.HasStatus {
			continue
		}
		if f, dup := statusForm[e.Status]; dup {
			return nil, datafile.Errorf(name, e.Line, e.ID+": validStatus "+strconv.Itoa(e.Status)+" is already a "+f+" result")
		}
		statusForm[e.Status] = e.Form
	}
	if len(out) > 0 && unknownShownBy == "" {
		return nil, datafile.Errorf(name, 1, "no result has shown-for-unknown: yes (the text the page shows for a code it does not know)")
	}
	return out, nil
}
