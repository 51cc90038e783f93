package main

import (
	"strings"
	"testing"
)

const okEntry = "kind: faq\nseverity: info\nconsumes-try: no\n"

// TestKnowledgeErrors: a knowledge file the core could not use is refused,
// naming the file, the line and what is wrong.
func TestKnowledgeErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"== entry a\n" + okEntry + "== entry a\n" + okEntry, "k:5: duplicate id a (first at line 1)"},
		{"== entry\n" + okEntry, "k:1: expected \"== entry <id>\""},
		{"== entry a\nkind: toast\nseverity: info\nconsumes-try: no\n", "k:1: a: unknown kind \"toast\""},
		{"== entry a\nkind: faq\nseverity: loud\nconsumes-try: no\n", "unknown severity \"loud\""},
		{"== entry a\nkind: faq\nseverity: info\n", "a: consumes-try must be yes or no"},
		{"== entry a\n" + okEntry + "status: 3\n", "a: a result has a status:, and only a result"},
		{"== entry a\nkind: result\nstatus: x\nseverity: info\nconsumes-try: no\n", "a: status is not a number"},
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
	const platform = "== platform p\nzh.name: 平台\nen.name: Platform\n"
	for _, c := range []struct{ text, want string }{
		{platform + "== role q principal\n", "platform q is not declared above"},
		{platform + "== role p principal\n== role p principal\n", "duplicate role principal on p"},
		{platform + platform, "duplicate platform p"},
		{platform + "== scenario p s\nverifiers: owner\n", "scenario s: role owner is not declared above"},
		{platform + "== scenario p s\n", "scenario s: verifiers: is required"},
		{platform + "== role p principal\n== scenario p s\nverifiers: principal\nzh.note: 一\n", "scenario s: zh.note and en.note must pair up"},
		{platform + "== question p q\nyes: maybe x\nno: scenario s\n", "question q: yes: must be"},
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
