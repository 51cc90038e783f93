package manifest

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// The extension's source manifest reads back as the same JSON, keys in their order.
func TestParseKeepsTheSourceManifest(t *testing.T) {
	src, err := os.ReadFile("../../../extension/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Indented()
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	json.Unmarshal(src, &a)
	json.Unmarshal(out, &b)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("round trip changed the manifest:\n%s", out)
	}
	if got := m.Keys(); got[0] != "manifest_version" || got[1] != "name" {
		t.Errorf("keys = %v, want the source's order (manifest_version, name, …)", got)
	}
}

func TestSetDeleteKeepOrder(t *testing.T) {
	m, err := Parse([]byte(`{"a": 1, "b": {"x": [1, 2], "y": "z"}, "c": true}`))
	if err != nil {
		t.Fatal(err)
	}
	m.Set("version", "1.2.3", "a") // new: after a
	m.Set("c", false, "")          // existing: in its place
	m.Delete("nope")
	b, _ := m.Object("b")
	b.Delete("x")
	m.Set("b", b, "")
	got, _ := m.MarshalJSON()
	if want := `{"a":1,"version":"1.2.3","b":{"y":"z"},"c":false}`; string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{`[]`, `{"a": 1, "a": 2}`, `{"a": 1} {}`, `{"a": }`} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%s): no error", in)
		}
	}
}

func TestCheckVersion(t *testing.T) {
	for _, c := range []struct {
		v    string
		want string // "" when valid, else part of the error
	}{
		{"0.1.0", ""},
		{"1", ""},
		{"1.2.3.4", ""},
		{"65535.0", ""},
		{"1.2.3.4.5", "1 to 4"},
		{"1.02", "leading zeros"},
		{"1.2-beta", "1 to 4"},
		{"v1.2", "1 to 4"},
		{"", "1 to 4"},
		{"65536", "65535"},
		{"100000", "65535"},
	} {
		err := CheckVersion(c.v)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckVersion(%q) = %v, want error containing %q", c.v, err, c.want)
		}
	}
}

// The project's VERSION is one both stores accept.
func TestProjectVersion(t *testing.T) {
	if _, err := ReadVersion("../../../VERSION"); err != nil {
		t.Fatal(err)
	}
}
