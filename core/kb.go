package core

// Severity says how an entry should look to the user.
type Severity string

// The severities, from good to bad.
const (
	SeveritySuccess Severity = "success"
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityError   Severity = "error"
)

// Entry kinds.
const (
	KindResult   = "result"   // a validStatus answer on beian.miit.gov.cn
	KindForm     = "form"     // the MIIT page's own field alert, before any request
	KindPlatform = "platform" // a filing platform's console
	KindFAQ      = "faq"      // a topic for the popup
	KindAdvice   = "advice"   // what the tracker or the Douyin console hints show
)

// Entry is one knowledge-base record: a message the user can see, or a topic.
type Entry struct {
	ID          string
	Kind        string
	Severity    Severity
	Status      int  // the validStatus, when HasStatus
	HasStatus   bool // results carry a validStatus; other kinds do not
	ConsumesTry bool
	// Form is the MIIT form a result answers: FormVerify or FormResend.
	Form string
	// State is the tracker state a round moves to on this answer, or "".
	State string
	// Resend is what a resend answer does to the resends: ResendSent or
	// ResendLimit, or "".
	Resend string
	// ShownForUnknown marks the one result whose text the page shows for a
	// validStatus it does not know.
	ShownForUnknown bool
	// Texts are the exact texts the site shows; Texts[0] is the canonical one.
	// Topics have none.
	Texts  []string
	Source string
	ZH, EN Explanation
	Links  []Link

	index int // the entry's place in entries
}

// The MIIT forms whose answers are results.
const (
	FormVerify = "verify" // 短信核验
	FormResend = "resend" // 短信重发
)

// What a resend answer says about the resends.
const (
	ResendSent  = "sent"  // a resend was sent: one of the MaxResends used
	ResendLimit = "limit" // no resends are left
)

// Explanation is Heyan's own account of an entry in one language.
type Explanation struct {
	Title string
	Cause string
	Steps []string
}

// Link is a page worth opening for an entry.
type Link struct {
	URL    string
	ZH, EN string
}

// Explain returns the explanation in lang.
func (e *Entry) Explain(lang Lang) Explanation {
	if lang == LangEN {
		return e.EN
	}
	return e.ZH
}

// Text returns the canonical site text, or "" for a topic.
func (e *Entry) Text() string {
	if len(e.Texts) == 0 {
		return ""
	}
	return e.Texts[0]
}

// The knowledge base is core/data/knowledge.txt compiled into data_gen.go
// (entries) by internal/gendata, which refuses a file it cannot read: there
// is nothing to parse, and nothing to fail, when the core starts.

// Entries returns every knowledge-base entry in file order.
func Entries() []*Entry { return entries }

// Lookup returns the entry with the given ID.
func Lookup(id string) (*Entry, error) {
	for _, e := range entries {
		if e.ID == id {
			return e, nil
		}
	}
	return nil, &Error{
		Code: ECodeUnknownEntry,
		ZH:   "没有这个知识条目：" + quote(id),
		EN:   "no knowledge entry " + quote(id),
	}
}

// EntryForStatus returns the result entry for a validStatus. Like the MIIT
// page, any code it does not know reads as the entry ShownForUnknown (the
// text of validStatus 0).
func EntryForStatus(status int) *Entry {
	for _, e := range entries {
		if e.Kind == KindResult && e.Status == status {
			return e
		}
	}
	return shownForUnknown()
}

// shownForUnknown returns the result whose text the page shows for a code it
// does not know.
func shownForUnknown() *Entry {
	for _, e := range entries {
		if e.ShownForUnknown {
			return e
		}
	}
	return nil
}

// formOfStatus returns the form whose answer status is, or "" for a code no
// form answers.
func formOfStatus(status int) string {
	for _, e := range entries {
		if e.Kind == KindResult && e.Status == status {
			return e.Form
		}
	}
	return ""
}

// AnswerEntry returns the entry the MIIT page shows for a validStatus
// answered to form (FormVerify or FormResend), and whether the tracker
// records that answer as an event of that form. The page shows any code
// that is not one of the form's own with the text of the ShownForUnknown
// entry; a code of the other form is never recorded, an unknown code only
// on the verify form (where it uses a try, as 0 does).
func AnswerEntry(form string, status int) (e *Entry, recorded bool) {
	switch f := formOfStatus(status); {
	case f == "":
		return shownForUnknown(), form == FormVerify
	case f == form:
		return EntryForStatus(status), true
	}
	return shownForUnknown(), false
}

// EntryView is one entry explained in one language, for display. Its JSON
// form is `heyan kb --json` and the WebAssembly kb() result.
type EntryView struct {
	ID          string     `json:"id"`
	Kind        string     `json:"kind"`
	Severity    Severity   `json:"severity"`
	Status      *int       `json:"status"`
	ConsumesTry bool       `json:"consumesTry"`
	Text        string     `json:"text"`
	Title       string     `json:"title"`
	Cause       string     `json:"cause"`
	Steps       []string   `json:"steps"`
	Links       []LinkView `json:"links"`
	Source      string     `json:"source"`
}

// LinkView is a Link labelled in one language.
type LinkView struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// View explains e in lang.
func (e *Entry) View(lang Lang) EntryView {
	x := e.Explain(lang)
	v := EntryView{
		ID: e.ID, Kind: e.Kind, Severity: e.Severity, ConsumesTry: e.ConsumesTry,
		Text: e.Text(), Title: x.Title, Cause: x.Cause, Steps: x.Steps,
		Links: make([]LinkView, 0, len(e.Links)), Source: e.Source,
	}
	if e.HasStatus {
		s := e.Status
		v.Status = &s
	}
	for _, l := range e.Links {
		v.Links = append(v.Links, LinkView{Label: pick(lang, l.ZH, l.EN), URL: l.URL})
	}
	return v
}
