package core

import (
	"strings"
)

// Roles of responsible people (负责人) who can receive the SMS.
const (
	RolePrincipal    = "principal"     // 主办单位负责人 / 主体负责人
	RoleAppOwner     = "app-owner"     // 小程序负责人
	RoleServiceOwner = "service-owner" // 网站负责人 / APP负责人
)

// Verifier says, for one responsible person, which phone and ID last 6 to
// type and where the filed values are. Its JSON form is part of `heyan who
// --json` and the WebAssembly contract.
type Verifier struct {
	Role        string `json:"role"`
	Title       string `json:"title"`
	Phone       string `json:"phone"`
	IDSuffix    string `json:"idSuffix"`
	WhereToFind string `json:"whereToFind"`
}

// WhoResult is who receives the SMS in one filing scenario.
type WhoResult struct {
	Platform     string     `json:"platform"`
	Scenario     string     `json:"scenario"`
	ScenarioName string     `json:"scenarioName"`
	Verifiers    []Verifier `json:"verifiers"`
	Notes        []string   `json:"notes"`
	Source       string     `json:"source"`
}

// Answer is where a yes or a no leads: the next question, or a scenario.
type Answer struct {
	Next     string `json:"next,omitempty"`
	Scenario string `json:"scenario,omitempty"`
}

// Question is one yes/no step of the scenario wizard.
type Question struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Yes  Answer `json:"yes"`
	No   Answer `json:"no"`
}

// QuestionsResult is a platform's scenario wizard; it starts at Questions[0].
type QuestionsResult struct {
	Platform  string     `json:"platform"`
	Questions []Question `json:"questions"`
}

type bilingual struct{ zh, en string }

func (b bilingual) in(lang Lang) string { return pick(lang, b.zh, b.en) }

type roleRule struct {
	id                            string
	title, phone, idSuffix, where bilingual
}

// roleTitle is what a role is called where no platform is known.
type roleTitle struct {
	id    string
	title bilingual
}

type scenarioRule struct {
	id        string
	name      bilingual
	verifiers []string
	notes     []bilingual
	source    string
}

type questionRule struct {
	id      string
	text    bilingual
	yes, no Answer
}

type platformRule struct {
	id        string
	name      bilingual
	source    string
	roles     []roleRule
	scenarios []scenarioRule
	questions []questionRule
}

// The rules are core/data/verifiers.txt compiled into data_gen.go
// (platforms, commonNotes, roleTitles) by internal/gendata, which checks
// that every scenario names roles its platform declares.

func (p *platformRule) role(id string) *roleRule {
	for i := range p.roles {
		if p.roles[i].id == id {
			return &p.roles[i]
		}
	}
	return nil
}

func platformByID(id string) (*platformRule, error) {
	for i := range platforms {
		if platforms[i].id == id {
			return &platforms[i], nil
		}
	}
	return nil, &Error{
		Code: ECodeUnknownPlatform,
		ZH:   "未知的平台 " + quote(id) + "，可用：" + strings.Join(Platforms(), "、"),
		EN:   "unknown platform " + quote(id) + "; valid platforms: " + strings.Join(Platforms(), ", "),
	}
}

// Platforms returns the IDs of the platforms Heyan has rules for.
func Platforms() []string {
	out := make([]string, 0, len(platforms))
	for _, p := range platforms {
		out = append(out, p.id)
	}
	return out
}

// Scenarios returns the scenario IDs of a platform.
func Scenarios(platform string) ([]string, error) {
	p, err := platformByID(platform)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(p.scenarios))
	for _, s := range p.scenarios {
		out = append(out, s.id)
	}
	return out, nil
}

// Verifiers returns who receives the SMS on platform in scenario, what each
// must type and where the filed values are. An empty list means nobody
// verifies in that scenario.
func Verifiers(platform, scenario string, lang Lang) (WhoResult, error) {
	p, err := platformByID(platform)
	if err != nil {
		return WhoResult{}, err
	}
	for _, s := range p.scenarios {
		if s.id != scenario {
			continue
		}
		res := WhoResult{Platform: p.id, Scenario: s.id, ScenarioName: s.name.in(lang), Verifiers: []Verifier{}, Source: s.source}
		for _, role := range s.verifiers {
			r := p.role(role)
			res.Verifiers = append(res.Verifiers, Verifier{
				Role: role, Title: r.title.in(lang), Phone: r.phone.in(lang),
				IDSuffix: r.idSuffix.in(lang), WhereToFind: r.where.in(lang),
			})
		}
		for _, n := range s.notes {
			res.Notes = append(res.Notes, n.in(lang))
		}
		if len(s.verifiers) > 0 {
			for _, n := range commonNotes {
				res.Notes = append(res.Notes, n.in(lang))
			}
		}
		if res.Notes == nil {
			res.Notes = []string{}
		}
		return res, nil
	}
	ids, _ := Scenarios(platform)
	return WhoResult{}, &Error{
		Code: ECodeUnknownScenario,
		ZH:   "平台 " + platform + " 没有场景 " + quote(scenario) + "，可用：" + strings.Join(ids, "、"),
		EN:   "unknown scenario " + quote(scenario) + " for " + platform + "; valid scenarios: " + strings.Join(ids, ", "),
	}
}

// Questions returns the yes/no wizard that picks a scenario on platform.
func Questions(platform string, lang Lang) (QuestionsResult, error) {
	p, err := platformByID(platform)
	if err != nil {
		return QuestionsResult{}, err
	}
	res := QuestionsResult{Platform: p.id, Questions: make([]Question, 0, len(p.questions))}
	for _, q := range p.questions {
		res.Questions = append(res.Questions, Question{ID: q.id, Text: q.text.in(lang), Yes: q.yes, No: q.no})
	}
	return res, nil
}
