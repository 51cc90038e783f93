package core

import (
	"slices"
	"strings"
	"testing"
)

func TestVerifiers(t *testing.T) {
	for _, c := range []struct {
		platform, scenario string
		roles              []string
	}{
		{"douyin-miniapp", "first-filing", []string{RolePrincipal}},
		{"douyin-miniapp", "has-history", []string{RolePrincipal}},
		{"douyin-miniapp", "filed-elsewhere", []string{RolePrincipal, RoleAppOwner}},
		{"douyin-miniapp", "renamed", []string{RolePrincipal, RoleAppOwner}},
		{"website", "first-filing", []string{RolePrincipal, RoleServiceOwner}},
		{"website", "new-service", []string{RoleServiceOwner}},
		{"website", "transfer", []string{RoleServiceOwner}},
		{"website", "change-subject", []string{RolePrincipal}},
		{"website", "change-service", []string{RoleServiceOwner}},
		{"website", "cancel-subject", []string{RolePrincipal}},
		{"website", "cancel-service", []string{RoleServiceOwner}},
		{"website", "leave-provider", []string{}},
		{"app", "first-filing", []string{RolePrincipal, RoleServiceOwner}},
		{"app", "new-service", []string{RoleServiceOwner}},
		{"app", "transfer", []string{RoleServiceOwner}},
		{"app", "change-subject", []string{RolePrincipal}},
		{"app", "change-service", []string{RoleServiceOwner}},
		{"app", "cancel-subject", []string{RolePrincipal}},
		{"app", "cancel-service", []string{RoleServiceOwner}},
		{"app", "leave-provider", []string{}},
	} {
		for _, lang := range []Lang{LangZH, LangEN} {
			r, err := Verifiers(c.platform, c.scenario, lang)
			if err != nil {
				t.Errorf("Verifiers(%s, %s): %v", c.platform, c.scenario, err)
				continue
			}
			roles := []string{}
			for _, v := range r.Verifiers {
				roles = append(roles, v.Role)
				if v.Title == "" || v.Phone == "" || v.IDSuffix == "" || v.WhereToFind == "" {
					t.Errorf("%s/%s %s: incomplete verifier %+v", c.platform, c.scenario, lang, v)
				}
			}
			if !slices.Equal(roles, c.roles) {
				t.Errorf("Verifiers(%s, %s) roles = %v, want %v", c.platform, c.scenario, roles, c.roles)
			}
			if r.Source == "" || r.ScenarioName == "" {
				t.Errorf("%s/%s: no source or name", c.platform, c.scenario)
			}
			notes := strings.Join(r.Notes, "\n")
			if len(c.roles) > 0 {
				want := "应急联系电话"
				if lang == LangEN {
					want = "emergency contact number"
				}
				if !strings.Contains(notes, want) {
					t.Errorf("%s/%s %s: notes lack the never-the-emergency-number rule: %q", c.platform, c.scenario, lang, notes)
				}
			}
		}
	}
	for _, p := range Platforms() {
		all, _ := Scenarios(p)
		want := 4
		if p != "douyin-miniapp" {
			want = 8
		}
		if len(all) != want {
			t.Errorf("%s has %d scenarios, want %d", p, len(all), want)
		}
	}
}

func TestVerifiersErrors(t *testing.T) {
	_, err := Verifiers("wechat", "first-filing", LangEN)
	if ErrorCode(err) != ECodeUnknownPlatform || !strings.Contains(err.Error(), "douyin-miniapp, website, app") {
		t.Errorf("unknown platform: %v", err)
	}
	_, err = Verifiers("douyin-miniapp", "transfer", LangEN)
	if ErrorCode(err) != ECodeUnknownScenario || !strings.Contains(err.Error(), "first-filing, has-history, filed-elsewhere, renamed") {
		t.Errorf("unknown scenario: %v", err)
	}
	_, err = Questions("", LangZH)
	if ErrorCode(err) != ECodeUnknownPlatform {
		t.Errorf("Questions(\"\"): %v", err)
	}
}

// TestQuestionFlows walks every path of every platform's wizard: at most 3
// questions on any path, every scenario reached exactly once, no dangling
// or unused question.
func TestQuestionFlows(t *testing.T) {
	for _, p := range Platforms() {
		q, err := Questions(p, LangZH)
		if err != nil || len(q.Questions) == 0 {
			t.Fatalf("Questions(%s): %v %v", p, q, err)
		}
		byID := map[string]Question{}
		for _, x := range q.Questions {
			if x.Text == "" {
				t.Errorf("%s/%s: no text", p, x.ID)
			}
			byID[x.ID] = x
		}
		reached := map[string]int{}
		asked := map[string]bool{}
		var walk func(id string, depth int)
		walk = func(id string, depth int) {
			x, ok := byID[id]
			if !ok {
				t.Errorf("%s: question %s does not exist", p, id)
				return
			}
			if depth > 3 {
				t.Errorf("%s: a path asks more than 3 questions (at %s)", p, id)
				return
			}
			asked[id] = true
			for _, a := range []Answer{x.Yes, x.No} {
				if a.Scenario != "" {
					reached[a.Scenario]++
				} else {
					walk(a.Next, depth+1)
				}
			}
		}
		walk(q.Questions[0].ID, 1)
		all, _ := Scenarios(p)
		for _, s := range all {
			if reached[s] != 1 {
				t.Errorf("%s: scenario %s reached %d times, want 1", p, s, reached[s])
			}
		}
		if len(reached) != len(all) {
			t.Errorf("%s: wizard reaches %v, scenarios are %v", p, reached, all)
		}
		if len(asked) != len(q.Questions) {
			t.Errorf("%s: %d questions, %d reachable", p, len(q.Questions), len(asked))
		}
	}
}

// TestRoleTitles lints verifiers.txt's role-title records: one for each role
// the platforms use and no other, in both languages, and the roles are the
// ones the core names.
func TestRoleTitles(t *testing.T) {
	known := []string{RolePrincipal, RoleAppOwner, RoleServiceOwner}
	var titled []string
	for _, r := range roleTitles {
		titled = append(titled, r.id)
		if r.title.zh == "" || r.title.en == "" {
			t.Errorf("role-title %s lacks a zh or en title", r.id)
		}
	}
	if !slices.Equal(titled, known) {
		t.Errorf("role-titles %v, want %v", titled, known)
	}
	used := map[string]bool{}
	for _, p := range platforms {
		for _, r := range p.roles {
			used[r.id] = true
			if !slices.Contains(known, r.id) {
				t.Errorf("%s: role %s is not one the core names", p.id, r.id)
			}
		}
	}
	for _, id := range known {
		if !used[id] {
			t.Errorf("no platform has the role %s", id)
		}
	}
}
