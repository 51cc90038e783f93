package vault

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

var testPlace = Place{AccountID: "tV3nQ0Kx7LmP2sRa9wYcEg", RecordID: "p-7Hq2Xk9Lm3"}

func TestNormalizePassword(t *testing.T) {
	for _, c := range []struct {
		in      string
		wantHex string // when it is accepted
		code    string // when it is refused
		msg     string // a fragment of the English message
	}{
		{in: "abc", wantHex: "616263"},
		{in: "  spaces kept  ", wantHex: hex.EncodeToString([]byte("  spaces kept  "))},
		{in: "a\u00a0b", wantHex: "612062"},                           // no-break space → space
		{in: "a\u3000b", wantHex: "612062"},                           // ideographic space → space
		{in: "\u2003\u202f", wantHex: "2020"},                         // em space, narrow no-break space
		{in: "e\u0301", wantHex: "c3a9"},                              // NFD → NFC
		{in: "\uf900", wantHex: hex.EncodeToString([]byte("\u8c48"))}, // a CJK compatibility ideograph → its unified form
		{in: "Ａ", wantHex: hex.EncodeToString([]byte("Ａ"))},           // NFC does not fold width
		{in: "密码", wantHex: hex.EncodeToString([]byte("密码"))},         // already NFC
		{in: strings.Repeat("x", MaxPasswordBytes), wantHex: strings.Repeat("78", MaxPasswordBytes)},
		{in: strings.Repeat("e\u0301", 512), wantHex: strings.Repeat("c3a9", 512)}, // 1536 bytes typed, 1024 normalized
		{in: "", code: ECodePasswordInvalid, msg: "empty"},
		{in: "secret\n", code: ECodePasswordInvalid, msg: "U+000A"},
		{in: "a\tb", code: ECodePasswordInvalid, msg: "U+0009"},
		{in: "a\x7fb", code: ECodePasswordInvalid, msg: "U+007F"},
		{in: "a\u0085b", code: ECodePasswordInvalid, msg: "U+0085"},
		{in: "a\xffb", code: ECodePasswordInvalid, msg: "UTF-8"},
		{in: strings.Repeat("x", MaxPasswordBytes+1), code: ECodePasswordInvalid, msg: "too long"},
	} {
		got, err := NormalizePassword(c.in)
		if c.code != "" {
			if ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("NormalizePassword(%q) = %x, %v; want code %s, a message with %q", c.in, got, err, c.code, c.msg)
			}
			if err != nil && c.in != "" && strings.Contains(err.Error()+err.(*Error).ZH, c.in) {
				t.Errorf("NormalizePassword(%q): the message quotes the password: %v", c.in, err)
			}
			continue
		}
		if err != nil || hex.EncodeToString(got) != c.wantHex {
			t.Errorf("NormalizePassword(%q) = %x, %v; want %s", c.in, got, err, c.wantHex)
		}
	}
}

func TestParamsCheck(t *testing.T) {
	for _, c := range []struct {
		p    Params
		code string
	}{
		{Params{AlgArgon2id, 65536, 3, 4}, ""}, // the published parameters
		{Params{AlgArgon2id, 65536, 3, 1}, ""},
		{Params{AlgArgon2id, MaxMemoryKiB, MaxIterations, MaxParallelism}, ""},
		{Params{AlgArgon2id, 65535, 3, 4}, ECodeKDFTooWeak},
		{Params{AlgArgon2id, 65536, 2, 4}, ECodeKDFTooWeak},
		{Params{AlgArgon2id, 19456, 2, 1}, ECodeKDFTooWeak}, // OWASP's floor is not ours
		{Params{AlgArgon2id, 0, 0, 0}, ECodeKDFTooWeak},
		{Params{AlgArgon2id, MaxMemoryKiB + 1, 3, 4}, ECodeKDFUnsupported},
		{Params{AlgArgon2id, 65536, MaxIterations + 1, 4}, ECodeKDFUnsupported},
		{Params{AlgArgon2id, 65536, 3, 0}, ECodeKDFUnsupported},
		{Params{AlgArgon2id, 65536, 3, MaxParallelism + 1}, ECodeKDFUnsupported},
		{Params{"argon2i", 65536, 3, 4}, ECodeKDFUnsupported},
		{Params{"Argon2id", 65536, 3, 4}, ECodeKDFUnsupported},
		{Params{"", 65536, 3, 4}, ECodeKDFUnsupported},
	} {
		if got := ErrorCode(c.p.Check()); got != c.code {
			t.Errorf("%+v.Check() = code %q (%v), want %q", c.p, got, c.p.Check(), c.code)
		}
	}
	for _, c := range []struct {
		n    int
		code string
	}{{15, ECodeKDFUnsupported}, {16, ""}, {64, ""}, {65, ECodeKDFUnsupported}, {0, ECodeKDFUnsupported}} {
		if got := ErrorCode(CheckSaltBytes(c.n)); got != c.code {
			t.Errorf("CheckSaltBytes(%d) = code %q, want %q", c.n, got, c.code)
		}
	}
}

func TestDeriveKeysProgress(t *testing.T) {
	var phases []Phase
	salt := seq(0, 16)
	small := Params{AlgArgon2id, 64, 1, 1}
	if _, err := deriveKeys("pw", small, salt, vectorLimits, func(p Phase) { phases = append(phases, p) }); err != nil {
		t.Fatal(err)
	}
	if want := []Phase{PhaseArgon2id, PhaseHKDF, PhaseDone}; !slices.Equal(phases, want) {
		t.Errorf("phases = %v, want %v", phases, want)
	}
	// A refusal comes before any work.
	phases = nil
	if _, err := DeriveKeys("pw", small, salt, func(p Phase) { phases = append(phases, p) }); ErrorCode(err) != ECodeKDFTooWeak || len(phases) != 0 {
		t.Errorf("DeriveKeys below the floor = %v after phases %v; want %s and no phase", err, phases, ECodeKDFTooWeak)
	}
	if _, err := deriveKeys("pw", small, salt[:8], vectorLimits, nil); ErrorCode(err) != ECodeKDFUnsupported {
		t.Errorf("an 8-byte salt = %v, want %s", err, ECodeKDFUnsupported)
	}
	a, _ := deriveKeys("pw", small, salt, vectorLimits, nil)
	b, _ := deriveKeys("pw", small, seq(1, 16), vectorLimits, nil)
	if a.Auth == b.Auth || a.Wrap == b.Wrap || a.Auth == AuthKey(a.Wrap) {
		t.Errorf("keys do not depend on the salt, or authKey equals wrapKey")
	}
}

// TestPasswordChange: a new password re-wraps the same vault key; records
// sealed before open as they did, and the old password no longer unwraps
// the new wrapped key.
func TestPasswordChange(t *testing.T) {
	small := Params{AlgArgon2id, 64, 1, 1}
	old, _ := deriveKeys("old password", small, seq(0, 16), vectorLimits, nil)
	next, _ := deriveKeys("new password", small, seq(0x40, 16), vectorLimits, nil)
	vk, err := NewVaultKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := Seal(rand.Reader, vk, testPlace, NeverSeen(), time.UnixMilli(1767225600000), []byte(`{"v":1}`))
	if err != nil {
		t.Fatal(err)
	}
	w1, _ := WrapVaultKey(rand.Reader, old.Wrap, vk)
	got, err := UnwrapVaultKey(old.Wrap, w1)
	if err != nil || got != vk {
		t.Fatalf("unwrap with the old password: %v", err)
	}
	w2, _ := WrapVaultKey(rand.Reader, next.Wrap, got)
	again, err := UnwrapVaultKey(next.Wrap, w2)
	if err != nil || again != vk {
		t.Fatalf("unwrap with the new password: %v", err)
	}
	if _, err := UnwrapVaultKey(old.Wrap, w2); ErrorCode(err) != ECodeWrongPassword {
		t.Errorf("the old password on the new wrapped key = %v, want %s", err, ECodeWrongPassword)
	}
	if o, err := Open(again, testPlace, sealed.Data, NeverSeen()); err != nil || string(o.Content) != `{"v":1}` {
		t.Errorf("a record sealed before the change = %q, %v", o.Content, err)
	}
}

func TestBuckets(t *testing.T) {
	vk, _ := NewVaultKey(rand.Reader)
	max1K := MinBucket - recordOverhead - innerHeaderSize
	for _, c := range []struct {
		n, size int
	}{
		{0, 1024}, {1, 1024}, {max1K, 1024}, {max1K + 1, 2048},
		{2048 - 61, 2048}, {2048 - 60, 4096}, {30000, 32768}, {MaxContent, MaxBucket},
	} {
		content := bytes.Repeat([]byte{'x'}, c.n)
		s, err := Seal(rand.Reader, vk, testPlace, NeverSeen(), time.UnixMilli(1), content)
		if err != nil || len(s.Data) != c.size {
			t.Errorf("Seal(%d bytes) = %d bytes, %v; want %d", c.n, len(s.Data), err, c.size)
			continue
		}
		o, err := Open(vk, testPlace, s.Data, NeverSeen())
		if err != nil || !bytes.Equal(o.Content, content) {
			t.Errorf("Open(Seal(%d bytes)) = %d bytes, %v", c.n, len(o.Content), err)
		}
	}
	if _, err := Seal(rand.Reader, vk, testPlace, NeverSeen(), time.UnixMilli(1), make([]byte, MaxContent+1)); ErrorCode(err) != ECodeTooLarge {
		t.Errorf("Seal(MaxContent+1) = %v, want %s", err, ECodeTooLarge)
	}
}

func TestSealVersion(t *testing.T) {
	vk, _ := NewVaultKey(rand.Reader)
	for _, c := range []struct {
		name string
		last Seen
		now  time.Time
		want uint64
		code string
	}{
		{"new record: the clock", NeverSeen(), time.UnixMilli(1767225600000), 1767225600000, ""},
		{"clock behind the last version", LastSeen(1767225600000), time.UnixMilli(1000), 1767225600001, ""},
		{"clock ahead", LastSeen(5), time.UnixMilli(1767225600000), 1767225600000, ""},
		{"same millisecond twice", LastSeen(1767225600000), time.UnixMilli(1767225600000), 1767225600001, ""},
		{"no clock (zero time)", NeverSeen(), time.Time{}, 1, ""},
		{"clock before 1970", LastSeen(7), time.UnixMilli(-5), 8, ""},
		{"at the limit", LastSeen(MaxVersion - 1), time.UnixMilli(1), MaxVersion, ""},
		{"past the limit", LastSeen(MaxVersion), time.UnixMilli(1), 0, ECodeBadInput},
		{"last above the limit", LastSeen(MaxVersion + 1), time.UnixMilli(1), 0, ECodeBadInput},
		{"Seen left out", Seen{}, time.UnixMilli(1), 0, ECodeBadInput},
	} {
		s, err := Seal(rand.Reader, vk, testPlace, c.last, c.now, []byte("x"))
		if ErrorCode(err) != c.code || s.Version != c.want {
			t.Errorf("%s: Seal = version %d, %v; want %d, code %q", c.name, s.Version, err, c.want, c.code)
		}
		if err != nil {
			continue
		}
		if o, err := Open(vk, testPlace, s.Data, c.last); err != nil || o.Version != c.want {
			t.Errorf("%s: Open = version %d, %v", c.name, o.Version, err)
		}
	}
}

// TestRollback: the sync engine's rule, step by step.
func TestRollback(t *testing.T) {
	vk, _ := NewVaultKey(rand.Reader)
	now := time.UnixMilli(1767225600000)
	v1, _ := Seal(rand.Reader, vk, testPlace, NeverSeen(), now, []byte("first"))
	v2, _ := Seal(rand.Reader, vk, testPlace, LastSeen(v1.Version), now, []byte("second"))
	for _, c := range []struct {
		name string
		data []byte
		last Seen
		code string
	}{
		{"first sight of the old one", v1.Data, NeverSeen(), ""},
		{"the newer one after the old", v2.Data, LastSeen(v1.Version), ""},
		{"the same one again", v2.Data, LastSeen(v2.Version), ""},
		{"the old one after the newer", v1.Data, LastSeen(v2.Version), ECodeRolledBack},
		{"Seen left out", v2.Data, Seen{}, ECodeBadInput},
	} {
		o, err := Open(vk, testPlace, c.data, c.last)
		if ErrorCode(err) != c.code {
			t.Errorf("%s: Open = %v, want code %q", c.name, err, c.code)
		}
		if err != nil && o.Content != nil {
			t.Errorf("%s: a refused record returned its content", c.name)
		}
	}
	_, err := Open(vk, testPlace, v1.Data, LastSeen(v2.Version))
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.EN, "rollback") || !strings.Contains(e.ZH, "回滚") || !strings.Contains(e.EN, testPlace.RecordID) {
		t.Errorf("rollback message = %v; want both languages naming the record", err)
	}
}

func TestPlaceIsChecked(t *testing.T) {
	vk, _ := NewVaultKey(rand.Reader)
	good, _ := Seal(rand.Reader, vk, testPlace, NeverSeen(), time.UnixMilli(1), []byte("x"))
	for _, at := range []Place{
		{"", "r"}, {"a", ""}, {"a", strings.Repeat("r", 65)}, {strings.Repeat("a", 65), "r"},
		{"a", "r/1"}, {"a b", "r"}, {"a", "é"}, {"a", "r\x00"},
	} {
		if _, err := Seal(rand.Reader, vk, at, NeverSeen(), time.UnixMilli(1), []byte("x")); ErrorCode(err) != ECodeBadInput {
			t.Errorf("Seal at %q = %v, want %s", at, err, ECodeBadInput)
		}
		if _, err := Open(vk, at, good.Data, NeverSeen()); ErrorCode(err) != ECodeBadInput {
			t.Errorf("Open at %q = %v, want %s", at, err, ECodeBadInput)
		}
	}
	long := Place{strings.Repeat("a", 64), strings.Repeat("r", 64)}
	s, err := Seal(rand.Reader, vk, long, NeverSeen(), time.UnixMilli(1), []byte("x"))
	if err == nil {
		_, err = Open(vk, long, s.Data, NeverSeen())
	}
	if err != nil {
		t.Errorf("64-character IDs: %v", err)
	}
}

// TestAssociatedDataIsUnambiguous: the length prefixes keep the boundary
// between the account and record IDs in the associated data, so "ab"+"c"
// and "a"+"bc" are different places.
func TestAssociatedDataIsUnambiguous(t *testing.T) {
	vk, _ := NewVaultKey(rand.Reader)
	s, _ := Seal(rand.Reader, vk, Place{"ab", "c"}, NeverSeen(), time.UnixMilli(1), []byte("x"))
	if _, err := Open(vk, Place{"a", "bc"}, s.Data, NeverSeen()); ErrorCode(err) != ECodeRecordMoved {
		t.Errorf("ab+c opened as a+bc: %v", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy gone") }

func TestRandomSource(t *testing.T) {
	vk, _ := NewVaultKey(rand.Reader)
	short := bytes.NewReader(make([]byte, 10))
	for _, c := range []struct {
		name string
		call func(r *bytes.Reader, fail bool) error
	}{
		{"NewVaultKey", func(r *bytes.Reader, fail bool) error { _, err := NewVaultKey(pick(r, fail)); return err }},
		{"NewSalt", func(r *bytes.Reader, fail bool) error { _, err := NewSalt(pick(r, fail), 16); return err }},
		{"WrapVaultKey", func(r *bytes.Reader, fail bool) error {
			_, err := WrapVaultKey(pick(r, fail), WrapKey{}, vk)
			return err
		}},
		{"Seal", func(r *bytes.Reader, fail bool) error {
			_, err := Seal(pick(r, fail), vk, testPlace, NeverSeen(), time.UnixMilli(1), nil)
			return err
		}},
	} {
		if err := c.call(nil, true); ErrorCode(err) != ECodeRandomFailed || !strings.Contains(err.Error(), "entropy gone") {
			t.Errorf("%s with a failing source = %v, want %s", c.name, err, ECodeRandomFailed)
		}
		short.Seek(0, 0)
		if err := c.call(short, false); ErrorCode(err) != ECodeRandomFailed {
			t.Errorf("%s with a short source = %v, want %s", c.name, err, ECodeRandomFailed)
		}
	}
	if _, err := NewVaultKey(nil); ErrorCode(err) != ECodeBadInput {
		t.Errorf("NewVaultKey(nil) = %v, want %s", err, ECodeBadInput)
	}
	a, _ := Seal(rand.Reader, vk, testPlace, NeverSeen(), time.UnixMilli(1), []byte("same"))
	b, _ := Seal(rand.Reader, vk, testPlace, NeverSeen(), time.UnixMilli(1), []byte("same"))
	if bytes.Equal(a.Data, b.Data) {
		t.Error("two seals of the same content are equal: the nonce is not fresh")
	}
}

func pick(r *bytes.Reader, fail bool) interface{ Read([]byte) (int, error) } {
	if fail {
		return failingReader{}
	}
	return r
}

func TestErrorMessages(t *testing.T) {
	vk, _ := NewVaultKey(rand.Reader)
	_, err := Open(vk, testPlace, []byte{1, 2, 3}, NeverSeen())
	var e *Error
	if !errors.As(err, &e) || e.Code != ECodeBadFormat {
		t.Fatalf("Open(3 bytes) = %v, want %s", err, ECodeBadFormat)
	}
	for _, c := range []struct{ lang, want string }{{"en", e.EN}, {"en-US", e.EN}, {"zh-CN", e.ZH}, {"", e.ZH}, {"fr", e.ZH}} {
		if got := e.Message(c.lang); got != c.want || got == "" {
			t.Errorf("Message(%q) = %q, want %q", c.lang, got, c.want)
		}
	}
	if e.Error() != e.EN {
		t.Errorf("Error() = %q, want the English message", e.Error())
	}
	if ErrorCode(errors.New("other")) != "" || ErrorCode(nil) != "" {
		t.Error("ErrorCode of a foreign error is not empty")
	}
}
