package core

import (
	"testing"
	"time"
)

func TestParseRFC3339(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" means rejected
	}{
		{"2026-05-01T09:00:00+08:00", "2026-05-01T01:00:00Z"},
		{"2026-05-01T09:00:00Z", "2026-05-01T09:00:00Z"},
		{"2026-05-01t09:00:00z", ""}, // Go and JavaScript write upper case; so must the input
		{"2026-05-01T09:00:00.5Z", "2026-05-01T09:00:00.500Z"},
		{"2026-05-01T09:00:00.123456789-05:30", "2026-05-01T14:30:00.123Z"},
		{"2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"},
		{"1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"},
		{"1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"},
		{"2026-02-29T00:00:00Z", ""},
		{"2026-13-01T00:00:00Z", ""},
		{"2026-05-01T24:00:00Z", ""},
		{"2026-05-01T09:00:00", ""},
		{"2026-05-01 09:00:00Z", ""},
		{"2026-05-01T09:00:00.Z", ""},
		{"2026-05-01T09:00:00+0800", ""},
		{"yesterday", ""},
		{"", ""},
	} {
		got, ok := parseRFC3339(c.in)
		if c.want == "" {
			if ok {
				t.Errorf("parseRFC3339(%q) = %s, want rejected", c.in, got)
			}
			continue
		}
		if !ok || got.String() != c.want {
			t.Errorf("parseRFC3339(%q) = %s %v, want %s", c.in, got, ok, c.want)
		}
	}
}

// FuzzParseRFC3339 holds the hand-written parser to Go's own: whatever both
// accept is the same instant, and whatever ours accepts, Go's does too.
func FuzzParseRFC3339(f *testing.F) {
	for _, s := range []string{"2026-05-01T09:00:00+08:00", "2026-05-01T09:00:00.123Z", "2000-02-29T00:00:00-23:59", "0001-01-01T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseRFC3339(s)
		want, err := time.Parse(time.RFC3339Nano, s)
		if ok && err != nil {
			t.Fatalf("parseRFC3339(%q) accepted what time.Parse rejects: %v", s, err)
		}
		if ok && Instant(want.UnixMilli()) != got {
			t.Fatalf("parseRFC3339(%q) = %d, time.Parse = %d", s, got, want.UnixMilli())
		}
		if ok {
			back, ok2 := parseRFC3339(got.String())
			if got.String() != "out-of-range" && (!ok2 || back != got) {
				t.Fatalf("%q → %s does not read back", s, got)
			}
		}
	})
}
