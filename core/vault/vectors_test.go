package vault

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

// The known-answer vectors are testdata/vectors.json, which docs/VAULT.md
// quotes whole. They run here natively and under GOOS=js GOARCH=wasm (Node),
// and through the JavaScript API in wasm/vault/test. -update rewrites the
// file and the doc's copy from the inputs below; review the diff: a change to
// an output is a format change.
var update = flag.Bool("update", false, "rewrite testdata/vectors.json and its copy in docs/VAULT.md")

const vectorsFile = "testdata/vectors.json"

// vectorLimits let the vectors use small argon2id parameters, so that a
// second implementation can check them in milliseconds. Real accounts use the
// published ones, and one vector does too.
var vectorLimits = limits{minMemoryKiB: 8, maxMemoryKiB: MaxMemoryKiB, minIterations: 1, maxIterations: MaxIterations}

type kdfJSON struct {
	Alg         string `json:"alg"`
	MemoryKiB   uint32 `json:"memoryKiB"`
	Iterations  uint32 `json:"iterations"`
	Parallelism uint32 `json:"parallelism"`
	Salt        string `json:"salt"` // base64url
}

func (k kdfJSON) params() Params {
	return Params{Alg: k.Alg, MemoryKiB: k.MemoryKiB, Iterations: k.Iterations, Parallelism: k.Parallelism}
}

type keyVector struct {
	Name         string  `json:"name"`
	Password     string  `json:"password"`
	PasswordIn   string  `json:"passwordInputUtf8Hex"` // the password as typed, in UTF-8
	PasswordUTF8 string  `json:"passwordUtf8Hex"`      // the normalized bytes argon2id hashes
	KDF          kdfJSON `json:"kdf"`
	Published    bool    `json:"published"` // the server's published parameters
	Argon2id     string  `json:"argon2idHex"`
	AuthKey      string  `json:"authKey"`
	WrapKey      string  `json:"wrapKey"`
}

type wrapVector struct {
	Name       string `json:"name"`
	WrapKey    string `json:"wrapKey"`
	VaultKey   string `json:"vaultKey"`
	Nonce      string `json:"nonceHex"`
	WrappedKey string `json:"wrappedKey"`
}

type vaultKeyVector struct {
	Name      string `json:"name"`
	VaultKey  string `json:"vaultKey"`
	KeyID     string `json:"keyIdHex"`
	RecordKey string `json:"recordKeyHex"`
}

type recordVector struct {
	Name      string `json:"name"`
	VaultKey  string `json:"vaultKey"`
	AccountID string `json:"accountId"`
	RecordID  string `json:"recordId"`
	Version   uint64 `json:"version"` // sealed with lastVersion 0 at this time in Unix ms
	Content   string `json:"content"`
	Nonce     string `json:"nonceHex"`
	Data      string `json:"data"`
}

// refusal is an input that must fail with Code. Open and unwrap refusals
// start from a named vector and change what they name.
type refusal struct {
	Name string `json:"name"`
	Op   string `json:"op"` // derive, unwrap, open
	Code string `json:"code"`
	// derive
	Password *string  `json:"password,omitempty"`
	KDF      *kdfJSON `json:"kdf,omitempty"`
	// unwrap: the wrapped key of a wrappedKeys vector
	WrappedKey string `json:"wrappedKey,omitempty"`
	// open: the data of a records vector
	Record      string `json:"record,omitempty"`
	LastVersion uint64 `json:"lastVersion,omitempty"`
	AccountID   string `json:"accountId,omitempty"`
	RecordID    string `json:"recordId,omitempty"`
	// unwrap and open: another key, and changes to the bytes
	WrapKey    string   `json:"wrapKey,omitempty"`
	VaultKey   string   `json:"vaultKey,omitempty"`
	TruncateTo *int     `json:"truncateTo,omitempty"`
	XorByte    *xorByte `json:"xorByte,omitempty"`
}

type xorByte struct {
	At    int  `json:"at"`
	Value byte `json:"value"`
}

type vectorFile struct {
	About       []string         `json:"about"`
	KeySchedule []keyVector      `json:"keySchedule"`
	WrappedKeys []wrapVector     `json:"wrappedKeys"`
	VaultKeys   []vaultKeyVector `json:"vaultKeys"`
	Records     []recordVector   `json:"records"`
	Refusals    []refusal        `json:"refusals"`
}

var b64 = base64.RawURLEncoding

func seq(start byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}

func ptr[T any](v T) *T { return &v }

// vectorInputs are the inputs of every vector; generate fills in outputs.
func vectorInputs() vectorFile {
	saltA := b64.EncodeToString(seq(0x00, 16))
	saltB := b64.EncodeToString(seq(0x10, 16))
	saltC := b64.EncodeToString(seq(0xa0, 16))
	vk1 := b64.EncodeToString(seq(0x20, 32))
	vk2 := b64.EncodeToString(seq(0x40, 32))
	const account = "tV3nQ0Kx7LmP2sRa9wYcEg"
	person := `{"v":1,"kind":"person","record":{"id":"p-7Hq2Xk9Lm3","name":"测试员甲","role":"principal","phone":"13800138000","docType":"resident-id","idLast6":"31002X"}}`
	filing := `{"v":1,"kind":"filing","record":{"id":"f-4Rt8Wn2Qv6","name":"示例小程序","platform":"douyin-miniapp","notes":"` + strings.Repeat("备注文本。", 70) + `"}}`
	return vectorFile{
		About: []string{
			"Known-answer vectors of the Heyan vault format, version 1 (docs/VAULT.md).",
			"Byte strings: base64url without padding, or hex where the name ends in Hex.",
			"keySchedule vectors with published false use small argon2id parameters that clients refuse; they exist so a second implementation can check itself quickly. Real accounts use the published parameters (the vector with published true).",
			"records were sealed with lastVersion 0 at the time version (Unix ms), so their version is that time.",
		},
		KeySchedule: []keyVector{
			{Name: "ascii", Password: "correct horse battery staple", KDF: kdfJSON{AlgArgon2id, 256, 2, 2, saltA}},
			{Name: "chinese-nfd-fullwidth-space", Password: "密码\u3000cafe\u0301 测试", KDF: kdfJSON{AlgArgon2id, 64, 1, 1, saltB}},
			{Name: "published-parameters", Password: "correct horse battery staple", KDF: kdfJSON{AlgArgon2id, 65536, 3, 4, saltC}, Published: true},
		},
		WrappedKeys: []wrapVector{
			{Name: "ascii", VaultKey: vk1, Nonce: hex.EncodeToString(seq(0x60, 24))},
		},
		VaultKeys: []vaultKeyVector{{Name: "vault-key-1", VaultKey: vk1}, {Name: "vault-key-2", VaultKey: vk2}},
		Records: []recordVector{
			{Name: "person", VaultKey: vk1, AccountID: account, RecordID: "p-7Hq2Xk9Lm3", Version: 1767225600000, Content: person, Nonce: hex.EncodeToString(seq(0x80, 24))},
			{Name: "filing-2KiB", VaultKey: vk1, AccountID: account, RecordID: "f-4Rt8Wn2Qv6", Version: 1773563400000, Content: filing, Nonce: hex.EncodeToString(seq(0x98, 24))},
			{Name: "empty-content", VaultKey: vk2, AccountID: "a", RecordID: "r", Version: 1, Content: "", Nonce: hex.EncodeToString(seq(0xb0, 24))},
		},
		Refusals: []refusal{
			{Name: "parameters below the floor", Op: "derive", Code: ECodeKDFTooWeak, Password: ptr("correct horse battery staple"), KDF: &kdfJSON{AlgArgon2id, 19456, 2, 1, saltC}},
			{Name: "small test parameters", Op: "derive", Code: ECodeKDFTooWeak, Password: ptr("correct horse battery staple"), KDF: &kdfJSON{AlgArgon2id, 256, 2, 2, saltA}},
			{Name: "fewer iterations", Op: "derive", Code: ECodeKDFTooWeak, Password: ptr("correct horse battery staple"), KDF: &kdfJSON{AlgArgon2id, 1 << 20, 1, 4, saltC}},
			{Name: "memory above the ceiling", Op: "derive", Code: ECodeKDFUnsupported, Password: ptr("correct horse battery staple"), KDF: &kdfJSON{AlgArgon2id, 4 << 20, 3, 4, saltC}},
			{Name: "argon2i", Op: "derive", Code: ECodeKDFUnsupported, Password: ptr("correct horse battery staple"), KDF: &kdfJSON{"argon2i", 65536, 3, 4, saltC}},
			{Name: "8-byte salt", Op: "derive", Code: ECodeKDFUnsupported, Password: ptr("correct horse battery staple"), KDF: &kdfJSON{AlgArgon2id, 65536, 3, 4, b64.EncodeToString(seq(0, 8))}},
			{Name: "trailing newline", Op: "derive", Code: ECodePasswordInvalid, Password: ptr("correct horse battery staple\n"), KDF: &kdfJSON{AlgArgon2id, 65536, 3, 4, saltC}},
			{Name: "empty password", Op: "derive", Code: ECodePasswordInvalid, Password: ptr(""), KDF: &kdfJSON{AlgArgon2id, 65536, 3, 4, saltC}},
			{Name: "another password's wrapKey", Op: "unwrap", Code: ECodeWrongPassword, WrappedKey: "ascii", WrapKey: "@chinese-nfd-fullwidth-space"},
			{Name: "wrapped key altered", Op: "unwrap", Code: ECodeWrongPassword, WrappedKey: "ascii", XorByte: &xorByte{40, 0x01}},
			{Name: "wrapped key truncated", Op: "unwrap", Code: ECodeBadFormat, WrappedKey: "ascii", TruncateTo: ptr(72)},
			{Name: "wrapped key format 2", Op: "unwrap", Code: ECodeUnsupportedVersion, WrappedKey: "ascii", XorByte: &xorByte{0, 0x03}},
			{Name: "moved to another record ID", Op: "open", Code: ECodeRecordMoved, Record: "person", RecordID: "f-4Rt8Wn2Qv6"},
			{Name: "moved to another account", Op: "open", Code: ECodeRecordMoved, Record: "person", AccountID: "zZ9yY8xX7wW6vV5uU4tT3s"},
			{Name: "ciphertext altered", Op: "open", Code: ECodeRecordMoved, Record: "person", XorByte: &xorByte{500, 0x80}},
			{Name: "nonce altered", Op: "open", Code: ECodeRecordMoved, Record: "person", XorByte: &xorByte{20, 0x01}},
			{Name: "older than the version seen", Op: "open", Code: ECodeRolledBack, Record: "person", LastVersion: 1767225600001},
			{Name: "another vault key", Op: "open", Code: ECodeWrongKey, Record: "person", VaultKey: vk2},
			{Name: "key ID altered", Op: "open", Code: ECodeWrongKey, Record: "person", XorByte: &xorByte{3, 0x01}},
			{Name: "not a bucket size", Op: "open", Code: ECodeBadFormat, Record: "person", TruncateTo: ptr(1023)},
			{Name: "format 2", Op: "open", Code: ECodeUnsupportedVersion, Record: "person", XorByte: &xorByte{0, 0x03}},
		},
	}
}

func mustB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := b64.DecodeString(s)
	if err != nil {
		t.Fatalf("base64url %q: %v", s, err)
	}
	return b
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("hex %q: %v", s, err)
	}
	return b
}

func key32[K ~[KeySize]byte](t testing.TB, s string) K {
	t.Helper()
	var k K
	if b := mustB64(t, s); len(b) != KeySize || copy(k[:], b) != KeySize {
		t.Fatalf("key %q is %d bytes, want %d", s, len(b), KeySize)
	}
	return k
}

// deriveVector runs the key schedule of v in its two steps, so that the
// vector's argon2id output is checked too: with the published bounds when v
// says it uses the published parameters, the small vector bounds if not.
func deriveVector(t testing.TB, v keyVector) (master []byte, k Keys, err error) {
	l := vectorLimits
	if v.Published {
		l = clientLimits
	}
	salt := mustB64(t, v.KDF.Salt)
	if err := v.KDF.params().check(l); err != nil {
		return nil, Keys{}, err
	}
	pw, err := NormalizePassword(v.Password)
	if err != nil {
		return nil, Keys{}, err
	}
	master = argon2IDKey(pw, salt, v.KDF.params())
	k, err = keysFromMaster(master)
	return master, k, err
}

// generate computes every output of in.
func generate(t *testing.T, in vectorFile) vectorFile {
	out := in
	wrapKeys := map[string]WrapKey{}
	for i, v := range out.KeySchedule {
		master, k, err := deriveVector(t, v)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		pw, _ := NormalizePassword(v.Password)
		v.PasswordIn = hex.EncodeToString([]byte(v.Password))
		v.PasswordUTF8 = hex.EncodeToString(pw)
		v.Argon2id = hex.EncodeToString(master)
		v.AuthKey = b64.EncodeToString(k.Auth[:])
		v.WrapKey = b64.EncodeToString(k.Wrap[:])
		wrapKeys[v.Name] = k.Wrap
		out.KeySchedule[i] = v
	}
	for i, v := range out.WrappedKeys {
		wk := wrapKeys[v.Name]
		v.WrapKey = b64.EncodeToString(wk[:])
		w, err := WrapVaultKey(bytes.NewReader(mustHex(t, v.Nonce)), wk, key32[VaultKey](t, v.VaultKey))
		if err != nil {
			t.Fatal(err)
		}
		v.WrappedKey = b64.EncodeToString(w)
		out.WrappedKeys[i] = v
	}
	for i, v := range out.VaultKeys {
		rk, id := recordKeyAndID(t, key32[VaultKey](t, v.VaultKey))
		v.RecordKey, v.KeyID = hex.EncodeToString(rk), hex.EncodeToString(id)
		out.VaultKeys[i] = v
	}
	for i, v := range out.Records {
		s, err := Seal(bytes.NewReader(mustHex(t, v.Nonce)), key32[VaultKey](t, v.VaultKey), Place{v.AccountID, v.RecordID}, NeverSeen(), time.UnixMilli(int64(v.Version)), []byte(v.Content))
		if err != nil || s.Version != v.Version {
			t.Fatalf("%s: sealed version %d, %v; want %d", v.Name, s.Version, err, v.Version)
		}
		v.Data = b64.EncodeToString(s.Data)
		out.Records[i] = v
	}
	for i, r := range out.Refusals {
		if strings.HasPrefix(r.WrapKey, "@") {
			wk := wrapKeys[r.WrapKey[1:]]
			r.WrapKey = b64.EncodeToString(wk[:])
		}
		out.Refusals[i] = r
	}
	return out
}

// recordKeyAndID exposes the derived record key for the vectors: the AEAD
// itself does not give its key back, so it is derived again here the same way.
func recordKeyAndID(t testing.TB, vk VaultKey) (key, id []byte) {
	rk, err := deriveRecordKeys(vk)
	if err != nil {
		t.Fatal(err)
	}
	key, err = hkdfKey(vk[:], infoRecordKy, KeySize)
	if err != nil {
		t.Fatal(err)
	}
	return key, rk.keyID[:]
}

func readVectors(t testing.TB) vectorFile {
	t.Helper()
	data, err := os.ReadFile(vectorsFile)
	if err != nil {
		t.Fatalf("%v (run go test ./core/vault -update to create it)", err)
	}
	var f vectorFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", vectorsFile, err)
	}
	return f
}

func encodeVectors(t *testing.T, f vectorFile) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The doc quotes the vectors between these lines.
const (
	docFile        = "../../docs/VAULT.md"
	docVectorBegin = "<!-- BEGIN vectors: core/vault/testdata/vectors.json, checked by TestDocQuotesVectors -->\n```json\n"
	docVectorEnd   = "```\n<!-- END vectors -->"
)

func TestVectorsAreCurrent(t *testing.T) {
	want := encodeVectors(t, generate(t, vectorInputs()))
	if *update {
		if err := os.WriteFile(vectorsFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		doc, err := os.ReadFile(docFile)
		if err != nil {
			t.Fatal(err)
		}
		i, j := bytes.Index(doc, []byte(docVectorBegin)), bytes.Index(doc, []byte(docVectorEnd))
		if i < 0 || j < i {
			t.Fatalf("%s has no vectors block", docFile)
		}
		doc = append(doc[:i+len(docVectorBegin):i+len(docVectorBegin)], append(want, doc[j:]...)...)
		if err := os.WriteFile(docFile, doc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(vectorsFile)
	if err != nil {
		t.Fatalf("%v (run go test ./core/vault -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what the implementation computes from its inputs: the format changed, or the file was edited; run go test ./core/vault -update and review the diff", vectorsFile)
	}
}

func TestDocQuotesVectors(t *testing.T) {
	doc, err := os.ReadFile(docFile)
	if err != nil {
		t.Skipf("%v: the doc is not beside this package", err)
	}
	want, err := os.ReadFile(vectorsFile)
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(doc, []byte(docVectorBegin)), bytes.Index(doc, []byte(docVectorEnd))
	if i < 0 || j < i {
		t.Fatalf("%s has no block between %q and %q", docFile, docVectorBegin, docVectorEnd)
	}
	if got := doc[i+len(docVectorBegin) : j]; !bytes.Equal(got, want) {
		t.Errorf("%s quotes vectors that differ from %s: run go test ./core/vault -update", filepath.Base(docFile), vectorsFile)
	}
}

// TestKeySchedule checks every key-schedule vector: the normalized password,
// argon2id's output and both keys. The small-parameter ones must also be
// refused by the public DeriveKeys.
func TestKeySchedule(t *testing.T) {
	for _, v := range readVectors(t).KeySchedule {
		if got := hex.EncodeToString([]byte(v.Password)); got != v.PasswordIn {
			t.Errorf("%s: the password's UTF-8 is %s, but passwordInputUtf8Hex says %s", v.Name, got, v.PasswordIn)
		}
		pw, err := NormalizePassword(v.Password)
		if err != nil || hex.EncodeToString(pw) != v.PasswordUTF8 {
			t.Errorf("%s: NormalizePassword(%q) = %x, %v; want %s", v.Name, v.Password, pw, err, v.PasswordUTF8)
		}
		master, k, err := deriveVector(t, v)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		if got := hex.EncodeToString(master); got != v.Argon2id {
			t.Errorf("%s: argon2id = %s, want %s", v.Name, got, v.Argon2id)
		}
		if got := b64.EncodeToString(k.Auth[:]); got != v.AuthKey {
			t.Errorf("%s: authKey = %s, want %s", v.Name, got, v.AuthKey)
		}
		if got := b64.EncodeToString(k.Wrap[:]); got != v.WrapKey {
			t.Errorf("%s: wrapKey = %s, want %s", v.Name, got, v.WrapKey)
		}
		// The whole of DeriveKeys, once for the published parameters; the
		// small ones it must refuse.
		full, err := DeriveKeys(v.Password, v.KDF.params(), mustB64(t, v.KDF.Salt), nil)
		if v.Published && (err != nil || full != k) {
			t.Errorf("%s: DeriveKeys = %v, want the vector's keys", v.Name, err)
		}
		if !v.Published && ErrorCode(err) != ECodeKDFTooWeak {
			t.Errorf("%s: DeriveKeys with memory %d KiB, %d iterations: %v, want %s", v.Name, v.KDF.MemoryKiB, v.KDF.Iterations, err, ECodeKDFTooWeak)
		}
	}
}

func TestWrappedKeyVectors(t *testing.T) {
	for _, v := range readVectors(t).WrappedKeys {
		wk, vk := key32[WrapKey](t, v.WrapKey), key32[VaultKey](t, v.VaultKey)
		w, err := WrapVaultKey(bytes.NewReader(mustHex(t, v.Nonce)), wk, vk)
		if err != nil || b64.EncodeToString(w) != v.WrappedKey {
			t.Errorf("%s: WrapVaultKey = %s, %v; want %s", v.Name, b64.EncodeToString(w), err, v.WrappedKey)
		}
		got, err := UnwrapVaultKey(wk, mustB64(t, v.WrappedKey))
		if err != nil || got != vk {
			t.Errorf("%s: UnwrapVaultKey = %x, %v; want %x", v.Name, got, err, vk)
		}
	}
}

func TestVaultKeyVectors(t *testing.T) {
	for _, v := range readVectors(t).VaultKeys {
		key, id := recordKeyAndID(t, key32[VaultKey](t, v.VaultKey))
		if hex.EncodeToString(key) != v.RecordKey || hex.EncodeToString(id) != v.KeyID {
			t.Errorf("%s: record key %x, key ID %x; want %s, %s", v.Name, key, id, v.RecordKey, v.KeyID)
		}
	}
}

func TestRecordVectors(t *testing.T) {
	for _, v := range readVectors(t).Records {
		vk, at := key32[VaultKey](t, v.VaultKey), Place{v.AccountID, v.RecordID}
		s, err := Seal(bytes.NewReader(mustHex(t, v.Nonce)), vk, at, NeverSeen(), time.UnixMilli(int64(v.Version)), []byte(v.Content))
		if err != nil || b64.EncodeToString(s.Data) != v.Data || s.Version != v.Version {
			t.Errorf("%s: Seal = version %d, %v; data matches: %v", v.Name, s.Version, err, b64.EncodeToString(s.Data) == v.Data)
		}
		for _, last := range []Seen{NeverSeen(), LastSeen(v.Version - 1), LastSeen(v.Version)} {
			o, err := Open(vk, at, mustB64(t, v.Data), last)
			if err != nil || string(o.Content) != v.Content || o.Version != v.Version {
				t.Errorf("%s: Open(last %d) = version %d, %q, %v; want version %d, the content", v.Name, last.version, o.Version, o.Content, err, v.Version)
			}
		}
	}
}

// runRefusal performs r and returns its error.
func runRefusal(t *testing.T, f vectorFile, r refusal) error {
	mutate := func(b []byte) []byte {
		b = bytes.Clone(b)
		if r.XorByte != nil {
			b[r.XorByte.At] ^= r.XorByte.Value
		}
		if r.TruncateTo != nil {
			b = b[:*r.TruncateTo]
		}
		return b
	}
	switch r.Op {
	case "derive":
		_, err := DeriveKeys(*r.Password, r.KDF.params(), mustB64(t, r.KDF.Salt), nil)
		return err
	case "unwrap":
		for _, w := range f.WrappedKeys {
			if w.Name == r.WrappedKey {
				wk := w.WrapKey
				if r.WrapKey != "" {
					wk = r.WrapKey
				}
				_, err := UnwrapVaultKey(key32[WrapKey](t, wk), mutate(mustB64(t, w.WrappedKey)))
				return err
			}
		}
	case "open":
		for _, v := range f.Records {
			if v.Name == r.Record {
				at, vk := Place{v.AccountID, v.RecordID}, v.VaultKey
				if r.AccountID != "" {
					at.AccountID = r.AccountID
				}
				if r.RecordID != "" {
					at.RecordID = r.RecordID
				}
				if r.VaultKey != "" {
					vk = r.VaultKey
				}
				_, err := Open(key32[VaultKey](t, vk), at, mutate(mustB64(t, v.Data)), LastSeen(r.LastVersion))
				return err
			}
		}
	}
	t.Fatalf("refusal %q: unknown op %q or vector", r.Name, r.Op)
	return nil
}

func TestRefusalVectors(t *testing.T) {
	f := readVectors(t)
	for _, r := range f.Refusals {
		err := runRefusal(t, f, r)
		if got := ErrorCode(err); got != r.Code {
			t.Errorf("%s: %s = %v (code %q), want code %q", r.Name, r.Op, err, got, r.Code)
		}
	}
}

func argon2IDKey(pw, salt []byte, p Params) []byte {
	return argon2.IDKey(pw, salt, p.Iterations, p.MemoryKiB, uint8(p.Parallelism), KeySize)
}
