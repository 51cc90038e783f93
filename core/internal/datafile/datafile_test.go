package datafile

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	recs, err := Parse("x", "# a comment\n\n== entry a b\nkind: faq\nstep: one\n  step: two: with a colon \n== note n\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Kind != "entry" || strings.Join(recs[0].Args, ",") != "a,b" || recs[0].Line != 3 {
		t.Fatalf("records %+v", recs)
	}
	if got := recs[0].Get("kind"); got != "faq" {
		t.Errorf("Get(kind) = %q, want faq", got)
	}
	if got := strings.Join(recs[0].All("step"), "|"); got != "one|two: with a colon" {
		t.Errorf("All(step) = %q, want one|two: with a colon", got)
	}
	if got := recs[1].Get("missing"); got != "" {
		t.Errorf("Get(missing) = %q, want empty", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"key: before header", "x:1: a field before the first == header"},
		{"==\n", "x:1: a record header needs a kind"},
		{"== entry a\nno colon here", "x:2: expected \"key: value\""},
		{"== entry a\nbad key: v", "x:2: a key has no spaces"},
	} {
		_, err := Parse("x", c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) error = %v, want %q", c.text, err, c.want)
		}
	}
}

// FuzzParse: any text either parses into records whose fields all came from
// "key: value" lines, or fails with a file:line error; it never panics.
func FuzzParse(f *testing.F) {
	f.Add("== entry a\nkind: faq\n")
	f.Add("#\n==\n")
	f.Add("== x\n:\nk:v\r\n\xff: y")
	f.Fuzz(func(t *testing.T, text string) {
		recs, err := Parse("f", text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f:") {
				t.Fatalf("Parse(%q): error %q names no place", text, err)
			}
			return
		}
		for _, r := range recs {
			if r.Kind == "" || r.Line < 1 {
				t.Fatalf("Parse(%q): record %+v", text, r)
			}
			for _, fd := range r.Fields {
				if fd.Key == "" || strings.ContainsAny(fd.Key, " \t") || fd.Line < r.Line {
					t.Fatalf("Parse(%q): field %+v", text, fd)
				}
			}
		}
	})
}
