package core

// RuleSet is what the core knows that a page drawing counts, labels and
// results needs without asking for each: the limits, the tracker states, the
// answers of each form, the role titles and the platforms, all from the
// knowledge base and the verifier rules. Its JSON form is `heyan rules
// --json` and the WebAssembly rules() result.
type RuleSet struct {
	Limits    Limits         `json:"limits"`
	States    []StateRule    `json:"states"`
	Forms     Forms          `json:"forms"`
	Roles     []RoleInfo     `json:"roles"`
	Platforms []PlatformInfo `json:"platforms"`
}

// Limits are the limits of one round of verification, and the hours after
// which the Douyin console's 管局审核中 counts as a delayed update
// (StatusLag) and when to look again (StatusRecheck).
type Limits struct {
	Tries              int `json:"tries"`
	Resends            int `json:"resends"`
	WindowHours        int `json:"windowHours"`
	DeadlineSoonHours  int `json:"deadlineSoonHours"`
	StatusLagHours     int `json:"statusLagHours"`
	StatusRecheckHours int `json:"statusRecheckHours"`
}

// Forms are the answers of the MIIT page's two forms.
type Forms struct {
	Verify FormRule `json:"verify"`
	Resend FormRule `json:"resend"`
}

// FormRule is how the page and the tracker read one form's answers.
type FormRule struct {
	// Event is the tracker event type this form's answers are recorded as.
	Event string `json:"event"`
	// Answers are the form's own answers, in knowledge-base order.
	Answers []AnswerRule `json:"answers"`
	// OtherShownAs is the entry the page shows for any other validStatus:
	// another form's or an unknown one.
	OtherShownAs string `json:"otherShownAs"`
	// UnknownRecorded: an unknown validStatus (no form's) is still recorded
	// for this form, as OtherShownAs's answer. Another form's is never.
	UnknownRecorded bool `json:"unknownRecorded"`
}

// AnswerRule is one answer of a form.
type AnswerRule struct {
	ID          string  `json:"id"`
	Status      int     `json:"status"`
	ConsumesTry bool    `json:"consumesTry"`
	State       *string `json:"state"`  // the state the round moves to, or nil
	Resend      *string `json:"resend"` // ResendSent, ResendLimit, or nil
}

// RoleInfo is a role and what it is called.
type RoleInfo struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// ScenarioInfo is a scenario and its name.
type ScenarioInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PlatformInfo is a platform with its name, what it calls each of its roles
// and its scenarios.
type PlatformInfo struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Roles     []RoleInfo     `json:"roles"`
	Scenarios []ScenarioInfo `json:"scenarios"`
}

// Rules returns the rule set in lang.
func Rules(lang Lang) RuleSet {
	rs := RuleSet{
		Limits: Limits{
			Tries: MaxWrongTries, Resends: MaxResends,
			WindowHours: int(Window / Hour), DeadlineSoonHours: int(DeadlineSoon / Hour),
			StatusLagHours: int(StatusLag / Hour), StatusRecheckHours: int(StatusRecheck / Hour),
		},
		States: append([]StateRule(nil), trackStates...),
		Forms: Forms{
			Verify: formRule(FormVerify, EventVerifyResult),
			Resend: formRule(FormResend, EventResendResult),
		},
		Roles:     make([]RoleInfo, 0, len(roleTitles)),
		Platforms: make([]PlatformInfo, 0, len(platforms)),
	}
	for _, t := range roleTitles {
		rs.Roles = append(rs.Roles, RoleInfo{ID: t.id, Title: t.title.in(lang)})
	}
	for i := range platforms {
		p := &platforms[i]
		info := PlatformInfo{ID: p.id, Name: p.name.in(lang), Roles: make([]RoleInfo, 0, len(p.roles)), Scenarios: make([]ScenarioInfo, 0, len(p.scenarios))}
		for _, r := range p.roles {
			info.Roles = append(info.Roles, RoleInfo{ID: r.id, Title: r.title.in(lang)})
		}
		for _, s := range p.scenarios {
			info.Scenarios = append(info.Scenarios, ScenarioInfo{ID: s.id, Name: s.name.in(lang)})
		}
		rs.Platforms = append(rs.Platforms, info)
	}
	return rs
}

func formRule(form, event string) FormRule {
	f := FormRule{Event: event, Answers: []AnswerRule{}}
	if e := shownForUnknown(); e != nil {
		f.OtherShownAs = e.ID
	}
	_, f.UnknownRecorded = AnswerEntry(form, unknownStatus())
	for _, e := range entries {
		if e.Kind != KindResult || e.Form != form {
			continue
		}
		a := AnswerRule{ID: e.ID, Status: e.Status, ConsumesTry: e.ConsumesTry}
		if e.State != "" {
			s := e.State
			a.State = &s
		}
		if e.Resend != "" {
			s := e.Resend
			a.Resend = &s
		}
		f.Answers = append(f.Answers, a)
	}
	return f
}

// unknownStatus returns a validStatus no form answers.
func unknownStatus() int {
	s := -1
	for formOfStatus(s) != "" {
		s--
	}
	return s
}
