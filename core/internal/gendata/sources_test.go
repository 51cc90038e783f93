package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// sourceRef is a knowledge entry's pointer into docs/SOURCES.md: its file
// name and, in brackets, the heading of the section that holds the fact.
var sourceRef = regexp.MustCompile(`docs/SOURCES\.md \(([^)]+)\)`)

// TestSourcesNameSections: every "docs/SOURCES.md (section)" a knowledge
// entry gives as its source is a heading of docs/SOURCES.md, so a renamed
// section cannot leave the advice pointing at nothing.
func TestSourcesNameSections(t *testing.T) {
	d, err := Load("../../data")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../../docs/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	headings := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		if h, ok := strings.CutPrefix(line, "#"); ok {
			h = strings.TrimSpace(strings.TrimLeft(h, "#"))
			h = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(h, "[H]"), "[M]"), "[L]"))
			headings[h] = true
		}
	}
	refs := 0
	for _, e := range d.Entries {
		for _, m := range sourceRef.FindAllStringSubmatch(e.Source, -1) {
			refs++
			if !headings[m[1]] {
				t.Errorf("%s: source %q names no heading of docs/SOURCES.md", e.ID, m[0])
			}
		}
	}
	if refs == 0 {
		t.Error("no entry names a section of docs/SOURCES.md: the pattern no longer reads them")
	}
}
