package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const okEntry = "kind: faq\nseverity: info\nconsumes-try: no\n"

// TestKnowledgeErrors: a knowledge file the core could not use is refused,
// naming the file, the line and what is wrong.
func TestKnowledgeErrors(t *testing.T) {
	result := func(extra string) string {
		return "== entry a\nkind: result\nstatus: 0\nform: verify\nseverity: error\nconsumes-try: yes\nshown-for-unknown: yes\n" +
			"== entry b\nkind: result\nseverity: info\n" + extra
	}
	for _, c := range []struct{ text, want string }{
		{"== entry a\n" + okEntry + "== entry a\n" + okEntry, "k:5: duplicate id a (first at line 1)"},
		{"== entry\n" + okEntry, "k:1: expected \"== entry <id>\""},
		{"== entry a\nkind: toast\nseverity: info\nconsumes-try: no\n", "k:1: a: unknown kind \"toast\""},
		{"== entry a\nkind: faq\nseverity: loud\nconsumes-try: no\n", "unknown severity \"loud\""},
		{"== entry a\nkind: faq\nseverity: info\n", "a: consumes-try must be yes or no"},
		{"== entry a\n" + okEntry + "status: 3\n", "a: a result has a status:, and only a result"},
		{result("status: x\nform: verify\nconsumes-try: no\n"), "b: status is not a number"},
		{result("status: 3\nconsumes-try: no\n"), "k:8: b: a result needs form: verify or form: resend"},
		{result("status: 3\nform: verify\nconsumes-try: no\nstate: done\n"), "b: state: is complete, waiting-others or returned, on a verify result"},
		{result("status: 101\nform: resend\nconsumes-try: no\nstate: complete\n"), "b: state: is complete"},
		{result("status: 101\nform: resend\nconsumes-try: no\nresend: twice\n"), "b: resend: is sent or limit, on a resend result"},
		{result("status: 101\nform: verify\nconsumes-try: no\nresend: sent\n"), "b: resend: is sent or limit"},
		{result("status: 101\nform: resend\nconsumes-try: yes\n"), "b: only a verify answer can use a try"},
		{result("status: 21\nform: verify\nconsumes-try: yes\nstate: returned\n"), "b: an answer that moves the round to returned uses no try"},
		{result("status: 2\nform: verify\nconsumes-try: yes\nshown-for-unknown: yes\n"), "b: shown-for-unknown is already set on a"},
		{result("status: 0\nform: resend\nconsumes-try: no\n"), "k:8: b: validStatus 0 is already a verify result"},
		{"== entry a\nkind: result\nstatus: 0\nform: verify\nseverity: error\nconsumes-try: yes\n", "no result has shown-for-unknown: yes"},
		{"== entry a\n" + okEntry + "form: verify\n", "a: form, state, resend, shown-for-unknown and consumes-try: yes are for results only"},
		{"== entry a\n" + okEntry + "link: https://example.com | 例子\n", "a: a link is \"URL | 中文 | English\""},
		{"no header: here\n", "k:1: a field before the first == header"},
	} {
		_, err := parseKnowledge("k", c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseKnowledge(%q) error = %v, want %q", c.text, err, c.want)
		}
	}
}

func TestVerifierErrors(t *testing.T) {
	const titles = "== role-title principal\nzh.title: 负责人\nen.title: Principal\n"
	const platform = "== platform p\nzh.name: 平台\nen.name: Platform\n"
	for _, c := range []struct{ text, want string }{
		{titles + platform + "== role p owner\n", "v:7: role owner has no role-title record above"},
		{titles + "== role-title principal\n", "v:4: duplicate role-title principal"},
		{titles + "== role-title app-owner\n" + platform + "== role p principal\n", "v:4: role-title app-owner: no platform has this role"},
		{titles + platform + "== role q principal\n", "platform q is not declared above"},
		{titles + platform + "== role p principal\n== role p principal\n", "duplicate role principal on p"},
		{titles + platform + platform, "duplicate platform p"},
		{titles + platform + "== scenario p s\nverifiers: owner\n", "scenario s: role owner is not declared above"},
		{titles + platform + "== scenario p s\n", "scenario s: verifiers: is required"},
		{titles + platform + "== role p principal\n== scenario p s\nverifiers: principal\nzh.note: 一\n", "scenario s: zh.note and en.note must pair up"},
		{titles + platform + "== question p q\nyes: maybe x\nno: scenario s\n", "question q: yes: must be"},
		{"== role p\n", "v:1: unknown or malformed record header"},
	} {
		_, err := parseVerifiers("v", c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseVerifiers(%q) error = %v, want %q", c.text, err, c.want)
		}
	}
}

func TestProblemAndPrefixErrors(t *testing.T) {
	if _, _, err := parseProblems("p", "== problem a\n== warning a\n"); err == nil || !strings.Contains(err.Error(), "p:2: duplicate code a") {
		t.Errorf("duplicate code: %v", err)
	}
	if _, _, err := parseProblems("p", "== hint a\n"); err == nil || !strings.Contains(err.Error(), "p:1: expected") {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := parsePrefixes("x", "== prefixes s\nlist: 130 13a\n"); err == nil || !strings.Contains(err.Error(), "x:2: a prefix is 1 and two digits, not 13a") {
		t.Errorf("bad prefix: %v", err)
	}
}

// FuzzParseData: any text, read as any data file, either gives records the
// generator can write or an error naming the file and a line; it never
// panics. The seeds are the real files.
func FuzzParseData(f *testing.F) {
	for _, name := range []string{"knowledge.txt", "verifiers.txt", "problems.txt", "phone-prefixes.txt"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "data", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("== entry a\nkind: result\nstatus: 0\nform: verify\nseverity: error\nconsumes-try: yes\nshown-for-unknown: yes\ntext: 。\n")
	f.Fuzz(func(t *testing.T, text string) {
		named := func(err error) {
			if err != nil && !strings.HasPrefix(err.Error(), "f:") {
				t.Fatalf("error %q names no place", err)
			}
		}
		es, err := parseKnowledge("f", text)
		named(err)
		if err == nil {
			// Texts that normalize to nothing are the detector's to refuse.
			if _, err := Generate(&Data{Entries: es}); err != nil && !strings.Contains(err.Error(), "empty once normalized") && !strings.Contains(err.Error(), "Basic Multilingual Plane") && !strings.Contains(err.Error(), "distinct characters") {
				t.Fatalf("Generate: %v", err)
			}
		}
		_, err = parseVerifiers("f", text)
		named(err)
		_, _, err = parseProblems("f", text)
		named(err)
		_, err = parsePrefixes("f", text)
		named(err)
	})
}
