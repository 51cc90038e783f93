package main

import (
	"strings"

	"github.com/heyan-dev/heyan/core/internal/datafile"
)

// Bi is a text in both languages.
type Bi struct{ ZH, EN string }

func bi(r *datafile.Record, key string) Bi {
	return Bi{ZH: r.Get("zh." + key), EN: r.Get("en." + key)}
}

// Verifiers is verifiers.txt.
type Verifiers struct {
	Notes      []Bi
	RoleTitles []RoleTitle
	Platforms  []*Platform
}

// RoleTitle is what a role is called where no platform is known.
type RoleTitle struct {
	Role  string
	Title Bi
}

// Platform is a filing platform with its people, scenarios and questions.
type Platform struct {
	ID        string
	Name      Bi
	Source    string
	Roles     []Role
	Scenarios []Scenario
	Questions []Question
}

// Role is one responsible person on a platform.
type Role struct {
	ID                            string
	Title, Phone, IDSuffix, Where Bi
}

// Scenario says who verifies in one filing scenario.
type Scenario struct {
	ID        string
	Name      Bi
	Verifiers []string
	Notes     []Bi
	Source    string
}

// Question is one yes/no step of the scenario wizard.
type Question struct {
	ID      string
	Text    Bi
	Yes, No Answer
}

// Answer is where a yes or a no leads.
type Answer struct{ Next, Scenario string }

func (p *Platform) role(id string) bool {
	for _, r := range p.Roles {
		if r.ID == id {
			return true
		}
	}
	return false
}

func parseVerifiers(name, text string) (*Verifiers, error) {
	recs, err := datafile.Parse(name, text)
	if err != nil {
		return nil, err
	}
	v := &Verifiers{}
	find := func(id string) *Platform {
		for _, p := range v.Platforms {
			if p.ID == id {
				return p
			}
		}
		return nil
	}
	titled := map[string]int{}
	for i := range recs {
		r := &recs[i]
		fail := func(msg string) error { return datafile.Errorf(name, r.Line, msg) }
		want := map[string]int{"note": 1, "role-title": 1, "platform": 1, "role": 2, "scenario": 2, "question": 2}
		n, ok := want[r.Kind]
		if !ok || len(r.Args) != n {
			return nil, fail("unknown or malformed record header")
		}
		switch r.Kind {
		case "note":
			v.Notes = append(v.Notes, bi(r, "text"))
			continue
		case "role-title":
			if _, dup := titled[r.Args[0]]; dup {
				return nil, fail("duplicate role-title " + r.Args[0])
			}
			titled[r.Args[0]] = r.Line
			v.RoleTitles = append(v.RoleTitles, RoleTitle{Role: r.Args[0], Title: bi(r, "title")})
			continue
		case "platform":
			if find(r.Args[0]) != nil {
				return nil, fail("duplicate platform " + r.Args[0])
			}
			v.Platforms = append(v.Platforms, &Platform{ID: r.Args[0], Name: bi(r, "name"), Source: r.Get("source")})
			continue
		}
		p := find(r.Args[0])
		if p == nil {
			return nil, fail("platform " + r.Args[0] + " is not declared above")
		}
		id := r.Args[1]
		switch r.Kind {
		case "role":
			if p.role(id) {
				return nil, fail("duplicate role " + id + " on " + p.ID)
			}
			if _, ok := titled[id]; !ok {
				return nil, fail("role " + id + " has no role-title record above")
			}
			p.Roles = append(p.Roles, Role{ID: id, Title: bi(r, "title"), Phone: bi(r, "phone"), IDSuffix: bi(r, "id-suffix"), Where: bi(r, "where")})
		case "scenario":
			s := Scenario{ID: id, Name: bi(r, "name"), Source: r.Get("source")}
			if r.Get("verifiers") == "" {
				return nil, fail("scenario " + id + ": verifiers: is required (\"none\" when nobody verifies)")
			}
			for _, role := range strings.Fields(r.Get("verifiers")) {
				if role == "none" {
					continue
				}
				if !p.role(role) {
					return nil, fail("scenario " + id + ": role " + role + " is not declared above")
				}
				s.Verifiers = append(s.Verifiers, role)
			}
			zhNotes, enNotes := r.All("zh.note"), r.All("en.note")
			if len(zhNotes) != len(enNotes) {
				return nil, fail("scenario " + id + ": zh.note and en.note must pair up")
			}
			for j := range zhNotes {
				s.Notes = append(s.Notes, Bi{zhNotes[j], enNotes[j]})
			}
			p.Scenarios = append(p.Scenarios, s)
		case "question":
			q := Question{ID: id, Text: bi(r, "text")}
			for _, a := range []struct {
				key string
				dst *Answer
			}{{"yes", &q.Yes}, {"no", &q.No}} {
				f := strings.Fields(r.Get(a.key))
				if len(f) != 2 || (f[0] != "next" && f[0] != "scenario") {
					return nil, fail("question " + id + ": " + a.key + ": must be \"next <question>\" or \"scenario <id>\"")
				}
				if f[0] == "next" {
					a.dst.Next = f[1]
				} else {
					a.dst.Scenario = f[1]
				}
			}
			p.Questions = append(p.Questions, q)
		}
	}
	// Every generic title names a role some platform has.
	for _, t := range v.RoleTitles {
		used := false
		for _, p := range v.Platforms {
			used = used || p.role(t.Role)
		}
		if !used {
			return nil, datafile.Errorf(name, titled[t.Role], "role-title "+t.Role+": no platform has this role")
		}
	}
	return v, nil
}

// Notice is a problem or warning text with its code.
type Notice struct {
	Code string
	Text Bi
}

func parseProblems(name, text string) (problems, warnings []Notice, err error) {
	recs, err := datafile.Parse(name, text)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for i := range recs {
		r := &recs[i]
		if (r.Kind != "problem" && r.Kind != "warning") || len(r.Args) != 1 {
			return nil, nil, datafile.Errorf(name, r.Line, "expected \"== problem <code>\" or \"== warning <code>\"")
		}
		if seen[r.Args[0]] {
			return nil, nil, datafile.Errorf(name, r.Line, "duplicate code "+r.Args[0])
		}
		seen[r.Args[0]] = true
		n := Notice{Code: r.Args[0], Text: bi(r, "text")}
		if r.Kind == "problem" {
			problems = append(problems, n)
		} else {
			warnings = append(warnings, n)
		}
	}
	return problems, warnings, nil
}

func parsePrefixes(name, text string) ([]string, error) {
	recs, err := datafile.Parse(name, text)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for i := range recs {
		r := &recs[i]
		if r.Kind != "prefixes" {
			return nil, datafile.Errorf(name, r.Line, "expected \"== prefixes <name>\"")
		}
		for _, f := range r.Fields {
			if f.Key != "list" {
				continue
			}
			for _, p := range strings.Fields(f.Value) {
				if len(p) != 3 || p[0] != '1' || p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9' {
					return nil, datafile.Errorf(name, f.Line, "a prefix is 1 and two digits, not "+p)
				}
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
	}
	return out, nil
}
