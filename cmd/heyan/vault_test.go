package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/core/vault"
	"github.com/heyan-dev/heyan/server"
)

// vaultAccount is a test account's secrets, derived once (argon2id at the
// published parameters takes a few hundred milliseconds).
type vaultAccount struct {
	email, password string
	params          vault.Params
	salt            []byte
	keys            vault.Keys
	vk              vault.VaultKey
	wrapped         []byte
}

const testPassword = "correct horse battery staple 测试"

var testAccount = sync.OnceValues(func() (*vaultAccount, error) {
	a := &vaultAccount{email: "vault-export@example.test", password: testPassword,
		params: vault.Params{Alg: server.KDFAlg, MemoryKiB: server.KDFMemoryKiB, Iterations: server.KDFIterations, Parallelism: server.KDFParallelism}}
	var err error
	if a.salt, err = vault.NewSalt(rand.Reader, server.KDFSaltSize); err != nil {
		return nil, err
	}
	if a.keys, err = vault.DeriveKeys(a.password, a.params, a.salt, nil); err != nil {
		return nil, err
	}
	if a.vk, err = vault.NewVaultKey(rand.Reader); err != nil {
		return nil, err
	}
	a.wrapped, err = vault.WrapVaultKey(rand.Reader, a.keys.Wrap, a.vk)
	return a, err
})

func account(t *testing.T) *vaultAccount {
	t.Helper()
	a, err := testAccount()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// sealed seals a record plaintext for account at version (the clock, with
// nothing seen before).
func (a *vaultAccount) sealed(t *testing.T, accountID, id string, version int64, plaintext string) []byte {
	t.Helper()
	s, err := vault.Seal(rand.Reader, a.vk, vault.Place{AccountID: accountID, RecordID: id}, vault.NeverSeen(), time.UnixMilli(version), []byte(plaintext))
	if err != nil {
		t.Fatal(err)
	}
	return s.Data
}

func envelope(kind, record string) string {
	return `{"v":1,"kind":"` + kind + `","record":` + record + `}`
}

func passwordFile(t *testing.T, password string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(p, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// export runs heyan vault export in this process.
func export(t *testing.T, base, email, passwordPath string, extra ...string) (code int, stdout, stderr string) {
	t.Helper()
	args := append([]string{"vault", "export", "--server", base, "--email", email, "--password-file", passwordPath}, extra...)
	return runCLI("", args...)
}

// exportFile is the export file's shape, read back for comparison.
type exportFile struct {
	Format     string            `json:"format"`
	Version    int               `json:"version"`
	ExportedAt string            `json:"exportedAt"`
	People     []json.RawMessage `json:"people"`
	Filings    []json.RawMessage `json:"filings"`
}

func rawStrings(rs []json.RawMessage) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, string(r))
	}
	return out
}

// TestVaultExportAgainstServe: an account signed up and filled as the
// extension does, against a real `heyan serve` on loopback, exports to the
// agreed file: the latest version of each live record, by kind, in ID order,
// each record byte for byte; deleted records left out.
func TestVaultExportAgainstServe(t *testing.T) {
	a := account(t)
	dir := t.TempDir()
	srv := startChild(t, dir, "--db", "sqlite:"+filepath.Join(dir, "heyan.db"))
	c := &client{t: t, http: &http.Client{Timeout: 10 * time.Second}, base: srv.base, email: "serve-" + a.email, key: a.keys.Auth[:]}
	var created struct{ AccountID string }
	json.Unmarshal(c.mustCall("POST", "/api/v1/accounts", map[string]any{
		"email": c.email, "authKey": b64(a.keys.Auth[:]), "wrappedKey": b64(a.wrapped),
		"kdf": map[string]any{"alg": a.params.Alg, "memoryKiB": a.params.MemoryKiB, "iterations": a.params.Iterations, "parallelism": a.params.Parallelism, "salt": b64(a.salt)},
	}, http.StatusCreated), &created)
	c.signIn()
	put := func(id string, header map[string]string, data []byte) int64 {
		t.Helper()
		status, body, _, err := c.call("PUT", "/api/v1/records/"+id, map[string]string{"data": b64(data)}, header)
		if err != nil || (status != http.StatusCreated && status != http.StatusOK) {
			t.Fatalf("PUT %s = %d %s, %v", id, status, body, err)
		}
		var r struct{ Rev int64 }
		json.Unmarshal(body, &r)
		return r.Rev
	}
	create := map[string]string{"If-None-Match": "*"}
	acct := created.AccountID
	personB := `{"id":"p-Bq2", "name":"测试员乙",  "phone":"13800138000","idLast6":"31002X"}` // spacing kept as stored
	personA1 := `{"id":"p-Aa1","name":"测试员甲","phone":"13800138001"}`
	personA2 := `{"id":"p-Aa1","name":"测试员甲","phone":"13800138002","role":"principal"}`
	filing := `{"id":"f-9x","name":"示例小程序 <测试> & \"引号\"","platform":"douyin-miniapp"}`
	put("p-Bq2", create, a.sealed(t, acct, "p-Bq2", 1767225600000, envelope("person", personB)))
	rev := put("p-Aa1", create, a.sealed(t, acct, "p-Aa1", 1767225600000, envelope("person", personA1)))
	s, _ := vault.Seal(rand.Reader, a.vk, vault.Place{AccountID: acct, RecordID: "p-Aa1"}, vault.LastSeen(1767225600000), time.UnixMilli(1767225600500), []byte(envelope("person", personA2)))
	put("p-Aa1", map[string]string{"If-Match": `"` + strconv.FormatInt(rev, 10) + `"`}, s.Data)
	put("f-9x", create, a.sealed(t, acct, "f-9x", 1767225600000, envelope("filing", filing)))
	gone := put("p-gone", create, a.sealed(t, acct, "p-gone", 1767225600000, envelope("person", `{"id":"p-gone"}`)))
	if status, body, _, err := c.call("DELETE", "/api/v1/records/p-gone", nil, map[string]string{"If-Match": `"` + strconv.FormatInt(gone, 10) + `"`}); err != nil || status != http.StatusNoContent {
		t.Fatalf("DELETE = %d %s, %v", status, body, err)
	}

	before := time.Now().UTC().Truncate(time.Second)
	code, out, errs := export(t, srv.base, c.email, passwordFile(t, a.password))
	if code != 0 {
		t.Fatalf("export exited %d: %s\n%s", code, errs, srv.logs())
	}
	var f exportFile
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatalf("the export is not JSON: %v\n%s", err, out)
	}
	at, err := time.Parse(time.RFC3339, f.ExportedAt)
	if f.Format != "heyan-export" || f.Version != 1 || err != nil || at.Before(before) || !strings.HasSuffix(f.ExportedAt, "Z") {
		t.Errorf("header = %q %d %q (%v)", f.Format, f.Version, f.ExportedAt, err)
	}
	if got, want := rawStrings(f.People), []string{personA2, personB}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("people =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := rawStrings(f.Filings); len(got) != 1 || got[0] != filing {
		t.Errorf("filings = %q, want [%s]", got, filing)
	}
	if !strings.Contains(out, personB) || !strings.Contains(out, filing) {
		t.Errorf("records are not byte for byte in the file:\n%s", out)
	}
	// The session the export opened is closed again (the log is read from
	// the child's stderr as it comes).
	signedOut := `"method":"DELETE","route":"/api/v1/sessions/current","status":204`
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(srv.logs(), signedOut) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(srv.logs(), signedOut) {
		t.Errorf("the export did not sign out:\n%s", srv.logs())
	}
	// The same password typed differently (a full-width space, as a Chinese
	// input method types it) opens the same account.
	if code, _, errs := export(t, srv.base, c.email, passwordFile(t, strings.Replace(a.password, " ", "\u3000", 1))); code != 0 {
		t.Errorf("export with a full-width space in the password exited %d: %s", code, errs)
	}
}

// hostile is a test double of the sync server that misbehaves as told.
type hostile struct {
	a         *vaultAccount
	accountID string
	kdf       map[string]any // prelogin's kdf, the account's unless changed
	wrapped   []byte
	pages     [][]change
	goneAt    int  // the page index answered 410 once, -1 for none
	expire    bool // the first record page says the access token expired
	// failPrelogin, when set, is the message of a 500 answer to prelogin.
	failPrelogin string
	signIns      atomic.Int32
	signOuts     atomic.Int32
	refreshes    atomic.Int32
	gone         atomic.Bool
	expired      atomic.Bool
}

func newHostile(a *vaultAccount) *hostile {
	return &hostile{a: a, accountID: "tV3nQ0Kx7LmP2sRa9wYcEg", wrapped: a.wrapped, goneAt: -1,
		kdf: map[string]any{"alg": a.params.Alg, "memoryKiB": a.params.MemoryKiB, "iterations": a.params.Iterations, "parallelism": a.params.Parallelism, "salt": b64(a.salt)}}
}

func live(id string, rev int64, data []byte) change {
	s := b64(data)
	return change{ID: id, Rev: rev, Data: &s}
}

func (h *hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	answer := func(status int, v any) {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	auth := r.Header.Get("Authorization")
	authorized := auth == "Bearer access-1" || auth == "Bearer access-2"
	switch r.Method + " " + r.URL.Path {
	case "POST /api/v1/prelogin":
		if h.failPrelogin != "" {
			answer(500, map[string]any{"error": map[string]string{"code": "internal", "message": h.failPrelogin}})
			return
		}
		answer(200, map[string]any{"kdf": h.kdf})
	case "POST /api/v1/sessions":
		h.signIns.Add(1)
		var req struct{ Email, AuthKey string }
		json.NewDecoder(r.Body).Decode(&req)
		if req.AuthKey != b64(h.a.keys.Auth[:]) {
			answer(401, map[string]any{"error": map[string]string{"code": "unauthorized", "message": "wrong email or key"}})
			return
		}
		answer(200, map[string]any{"accessToken": "access-1", "refreshToken": "refresh-1", "expiresIn": 600, "wrappedKey": b64(h.wrapped)})
	case "GET /api/v1/sessions/current":
		if !authorized {
			answer(401, map[string]any{"error": map[string]string{"code": "unauthorized"}})
			return
		}
		answer(200, map[string]string{"accountId": h.accountID})
	case "POST /api/v1/sessions/refresh":
		h.refreshes.Add(1)
		var req struct{ RefreshToken string }
		json.NewDecoder(r.Body).Decode(&req)
		if req.RefreshToken != "refresh-1" {
			answer(401, map[string]any{"error": map[string]string{"code": "unauthorized"}})
			return
		}
		answer(200, map[string]any{"accessToken": "access-2", "refreshToken": "refresh-2", "expiresIn": 600})
	case "DELETE /api/v1/sessions/current":
		h.signOuts.Add(1)
		w.WriteHeader(204)
	case "GET /api/v1/records":
		if !authorized {
			answer(401, map[string]any{"error": map[string]string{"code": "unauthorized"}})
			return
		}
		if h.expire && !h.expired.Swap(true) {
			answer(401, map[string]any{"error": map[string]string{"code": "unauthorized", "message": "token expired"}})
			return
		}
		i, _ := strconv.Atoi(r.URL.Query().Get("since"))
		if i == h.goneAt && h.gone.CompareAndSwap(false, true) {
			answer(410, map[string]any{"error": map[string]string{"code": "cursor_expired"}})
			return
		}
		if i >= len(h.pages) {
			answer(200, recordPage{Records: []change{}, Cursor: strconv.Itoa(i), More: false})
			return
		}
		answer(200, recordPage{Records: h.pages[i], Cursor: strconv.Itoa(i + 1), More: i+1 < len(h.pages)})
	default:
		answer(404, map[string]any{"error": map[string]string{"code": "not_found"}})
	}
}

// TestVaultExportHostileServer: what a server that lies cannot get past.
func TestVaultExportHostileServer(t *testing.T) {
	a := account(t)
	const acct = "tV3nQ0Kx7LmP2sRa9wYcEg"
	p1 := a.sealed(t, acct, "p-1", 1767225600000, envelope("person", `{"id":"p-1"}`))
	p2 := a.sealed(t, acct, "p-2", 1767225600000, envelope("person", `{"id":"p-2"}`))
	f1 := a.sealed(t, acct, "f-1", 1767225600000, envelope("filing", `{"id":"f-1"}`))
	p1v2, err := vault.Seal(rand.Reader, a.vk, vault.Place{AccountID: acct, RecordID: "p-1"}, vault.LastSeen(1767225600000), time.UnixMilli(1), []byte(envelope("person", `{"id":"p-1","v":2}`)))
	if err != nil {
		t.Fatal(err)
	}
	p9 := a.sealed(t, acct, "p-9", 1767225600000, envelope("person", `{"id":"p-9"}`))
	elsewhere := a.sealed(t, "zZ9yY8xX7wW6vV5uU4tT3s", "p-3", 1767225600000, envelope("person", `{"id":"p-3"}`))
	altered := bytes.Clone(a.wrapped)
	altered[40] ^= 1

	for _, c := range []struct {
		name      string
		setup     func(h *hostile)
		password  string
		code      int
		stderr    []string // fragments, in English
		signIns   int32
		refreshes int32
		want      string // the people and filings, when it succeeds
	}{
		{
			name: "lowered KDF parameters are refused before the password is used",
			setup: func(h *hostile) {
				h.kdf["memoryKiB"], h.kdf["iterations"] = 19456, 2
			},
			code: 1, stderr: []string{"(memory 19456 KiB, 2 iterations) below this client's floor (memory 65536 KiB, 3 iterations): refused"},
		},
		{
			name: "another algorithm is refused",
			setup: func(h *hostile) {
				h.kdf["alg"] = "pbkdf2"
			},
			code: 1, stderr: []string{`algorithm "pbkdf2": only argon2id is supported`},
		},
		{
			name: "two records' data swapped, and one from another account, do not open",
			setup: func(h *hostile) {
				h.pages = [][]change{{live("p-1", 1, p2), live("p-2", 1, p1), live("f-1", 1, f1), live("p-3", 1, elsewhere)}}
			},
			code: 1, signIns: 1,
			stderr: []string{
				`record "p-1" does not open under this account and ID: it was moved`,
				`record "p-2" does not open under this account and ID`,
				`record "p-3" does not open under this account and ID`,
				"3 records could not be exported, so nothing was written",
			},
		},
		{
			name: "an older sealed version after a newer one is flagged",
			setup: func(h *hostile) {
				h.pages = [][]change{{live("p-1", 2, p1v2.Data), live("f-1", 1, f1)}, {live("p-1", 3, p1)}}
			},
			code: 1, signIns: 1,
			stderr: []string{`record "p-1" is version 1767225600000, older than version 1767225600001 already applied: the server sent an old version back (a rollback); not applied`},
		},
		{
			name: "pages, a tombstone and a 410 restart",
			setup: func(h *hostile) {
				h.pages = [][]change{{live("p-2", 1, p2), live("p-1", 1, p1)}, {live("f-1", 1, f1), live("p-9", 1, p9), {ID: "p-9", Rev: 2, Deleted: true}}}
				h.goneAt = 1
			},
			code: 0, signIns: 1,
			want: `"people":[` + "\n" + `{"id":"p-1"},` + "\n" + `{"id":"p-2"}` + "\n" + `],"filings":[` + "\n" + `{"id":"f-1"}` + "\n" + `]}`,
		},
		{
			name: "an access token that expires on the way is refreshed once",
			setup: func(h *hostile) {
				h.pages = [][]change{{live("p-1", 1, p1)}}
				h.expire = true
			},
			code: 0, signIns: 1, refreshes: 1,
			want: `"people":[` + "\n" + `{"id":"p-1"}` + "\n" + `],"filings":[]}`,
		},
		{
			name: "an account ID no server issues",
			setup: func(h *hostile) {
				h.accountID = "../admin"
			},
			code: 1, signIns: 1, stderr: []string{`the account ID "../admin" is invalid`},
		},
		{
			name: "a prelogin answer without kdf",
			setup: func(h *hostile) {
				h.kdf = nil // {"kdf":null}
			},
			code: 1, stderr: []string{"the server's prelogin answer has no kdf"},
		},
		{
			name: "the server's words are printed without control characters",
			setup: func(h *hostile) {
				h.failPrelogin = "the database\x1b[2J is \x07gone"
			},
			code: 1, stderr: []string{"the server failed at prelogin: the server answered 500 internal: the database\ufffd[2J is \ufffdgone"},
		},
		{
			name: "an unknown kind and a newer envelope are refused, naming the records",
			setup: func(h *hostile) {
				h.pages = [][]change{{
					live("n-1", 1, a.sealed(t, acct, "n-1", 1, `{"v":1,"kind":"note","record":{}}`)),
					live("n-2", 1, a.sealed(t, acct, "n-2", 1, `{"v":2,"kind":"person","record":{}}`)),
					live("n-3", 1, a.sealed(t, acct, "n-3", 1, `{"v":1,"kind":"person","record":{},"extra":1}`)),
					live("n-4", 1, a.sealed(t, acct, "n-4", 1, `{"v":1,"kind":"person","record":[]}`)),
					{ID: "n-5", Rev: 1},
				}}
			},
			code: 1, signIns: 1,
			stderr: []string{
				`record "n-1" is of unknown kind "note" (not person or filing)`,
				`record "n-2" has envelope version 2`,
				`record "n-3" does not hold a Heyan record (json: unknown field "extra")`,
				`record "n-4": record is not a JSON object`,
				`record "n-5" is not deleted but has no data`,
			},
		},
		{
			name: "a wrong password", password: "correct horse battery stable 测试",
			code: 1, signIns: 1, stderr: []string{"the server refused the sign-in: the password is wrong, or there is no account for this email"},
		},
		{
			name: "an altered wrapped key",
			setup: func(h *hostile) {
				h.wrapped = altered
			},
			code: 1, signIns: 1, stderr: []string{"the server accepted the password, but the wrapped vault key it keeps does not open"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHostile(a)
			if c.setup != nil {
				c.setup(h)
			}
			ts := httptest.NewServer(h)
			defer ts.Close()
			password := a.password
			if c.password != "" {
				password = c.password
			}
			code, out, errs := export(t, ts.URL, a.email, passwordFile(t, password), "--lang", "en")
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, c.code, errs)
			}
			for _, want := range c.stderr {
				if !strings.Contains(errs, want) {
					t.Errorf("stderr does not say %q:\n%s", want, errs)
				}
			}
			if code != 0 && out != "" {
				t.Errorf("a failed export printed:\n%s", out)
			}
			if code == 0 && !strings.HasSuffix(strings.TrimSpace(out), c.want) {
				t.Errorf("export =\n%s\nwant it to end with\n%s", out, c.want)
			}
			if got := h.refreshes.Load(); got != c.refreshes {
				t.Errorf("%d refreshes, want %d", got, c.refreshes)
			}
			if got := h.signIns.Load(); got != c.signIns {
				t.Errorf("%d sign-ins, want %d (a refused KDF must not send the authKey)", got, c.signIns)
			}
			if h.signIns.Load() > 0 && c.password == "" && h.signOuts.Load() != 1 {
				t.Errorf("%d sign-outs, want 1", h.signOuts.Load())
			}
			if strings.ContainsAny(errs, "\x1b\x07") {
				t.Errorf("stderr carries control characters from the server: %q", errs)
			}
			for _, secret := range []string{password, b64(a.keys.Wrap[:]), b64(a.vk[:])} {
				if strings.Contains(out+errs, secret) {
					t.Errorf("the output holds a secret")
				}
			}
		})
	}
}

func TestVaultUsage(t *testing.T) {
	pw := passwordFile(t, "pw")
	for _, c := range []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
		stdout string
	}{
		{"help", "", []string{"vault", "--help"}, 0, "", "heyan vault export --server URL"},
		{"export help", "", []string{"vault", "export", "--help"}, 0, "", "--password-file"},
		{"no subcommand", "", []string{"vault"}, 2, "Usage: heyan vault export", ""},
		{"unknown subcommand", "", []string{"vault", "import"}, 2, `unknown subcommand "import"`, ""},
		{"missing email", "", []string{"vault", "export", "--server", "https://sync.example.com", "--lang", "en"}, 2, "needs --server and --email", ""},
		{"stray argument", "", []string{"vault", "export", "--server", "https://s.example", "--email", "a@b.c", "now", "--lang", "en"}, 2, `unexpected argument "now"`, ""},
		{"bad flag", "", []string{"vault", "export", "--sever", "x"}, 2, "flag provided but not defined: -sever", ""},
		{"plain http elsewhere", "", []string{"vault", "export", "--server", "http://sync.example.com", "--email", "a@b.c", "--password-file", pw, "--lang", "en"}, 2, "plain http, which is allowed for loopback addresses only", ""},
		{"not a URL", "", []string{"vault", "export", "--server", "sync.example.com", "--email", "a@b.c", "--lang", "en"}, 2, "is not a server address", ""},
		{"ftp", "", []string{"vault", "export", "--server", "ftp://sync.example.com", "--email", "a@b.c", "--lang", "en"}, 2, `must use https (or http to loopback), not "ftp"`, ""},
		{"no password on a pipe", "pw", []string{"vault", "export", "--server", "https://sync.example.com", "--email", "a@b.c", "--lang", "en"}, 2, "no password: give --password-file FILE (or - for stdin)", ""},
		{"missing password file", "", []string{"vault", "export", "--server", "https://sync.example.com", "--email", "a@b.c", "--password-file", "/nonexistent/pw", "--lang", "en"}, 2, "cannot read the password file", ""},
		{"server down", "", []string{"vault", "export", "--server", "http://127.0.0.1:1", "--email", "a@b.c", "--password-file", pw, "--lang", "en"}, 1, "cannot reach the server http://127.0.0.1:1", ""},
		{"server down, in Chinese", "", []string{"vault", "export", "--server", "http://127.0.0.1:1", "--email", "a@b.c", "--password-file", pw}, 1, "连不上服务器", ""},
	} {
		code, out, errs := runCLI(c.stdin, c.args...)
		if code != c.code || !strings.Contains(errs, c.stderr) || !strings.Contains(out, c.stdout) {
			t.Errorf("%s: heyan %q exit %d\nstdout: %s\nstderr: %s\nwant exit %d, stderr with %q, stdout with %q", c.name, c.args, code, out, errs, c.code, c.stderr, c.stdout)
		}
	}
	if code, out, _ := runCLI("", "--help"); code != 0 || !strings.Contains(out, "vault") {
		t.Errorf("heyan --help does not list vault:\n%s", out)
	}
}

func TestReadPassword(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, file, want, err string
	}{
		{"newline", "secret\n", "secret", ""},
		{"CRLF", "secret\r\n", "secret", ""},
		{"no line end", "secret", "secret", ""},
		{"only one line end dropped", "secret\n\n", "secret\n", ""},
		{"spaces kept", " secret ", " secret ", ""},
		{"too large", strings.Repeat("x", maxPasswordFile+1), "", "over 64 KiB"},
	} {
		p := filepath.Join(dir, strconv.Itoa(len(c.name))+c.name)
		os.WriteFile(p, []byte(c.file), 0o600)
		got, err := readPassword(p, "a@b.c", strings.NewReader(""), &bytes.Buffer{})
		if got != c.want || (c.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: readPassword = %q, %v; want %q, error with %q", c.name, got, err, c.want, c.err)
		}
	}
	if got, err := readPassword("-", "a@b.c", strings.NewReader("from stdin\n"), &bytes.Buffer{}); got != "from stdin" || err != nil {
		t.Errorf("readPassword(-) = %q, %v", got, err)
	}
}

func TestParseEnvelope(t *testing.T) {
	for _, c := range []struct {
		in, kind, record, err string
	}{
		{`{"v":1,"kind":"person","record":{"a": 1}}`, "person", `{"a": 1}`, ""},
		{`{"record":{},"kind":"filing","v":1}`, "filing", `{}`, ""},
		{` {"v":1,"kind":"filing","record":  {"x":"<&>"} } `, "filing", `{"x":"<&>"}`, ""},
		{`{"v":1,"kind":"person"}`, "", "", "lacks v, kind or record"},
		{`{"v":1,"kind":"person","record":null}`, "", "", "not a JSON object"},
		{`{"v":1.5,"kind":"person","record":{}}`, "", "", "does not hold a Heyan record"},
		{`{"v":1,"kind":"people","record":{}}`, "", "", `unknown kind "people"`},
		{`{"v":1,"kind":"person","record":{}}{}`, "", "", "trailing data"},
		{`not json`, "", "", "does not hold a Heyan record"},
		{``, "", "", "does not hold a Heyan record"},
	} {
		kind, record, err := parseEnvelope("r-1", []byte(c.in))
		if kind != c.kind || string(record) != c.record || (c.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("parseEnvelope(%q) = %q, %q, %v; want %q, %q, error with %q", c.in, kind, record, err, c.kind, c.record, c.err)
		}
		if err != nil && !strings.Contains(err.Error(), `"r-1"`) {
			t.Errorf("parseEnvelope(%q): the error does not name the record: %v", c.in, err)
		}
	}
}

// FuzzParseEnvelope: no plaintext makes the envelope reader panic, and what
// it accepts is a known kind with an object.
func FuzzParseEnvelope(f *testing.F) {
	f.Add([]byte(`{"v":1,"kind":"person","record":{}}`))
	f.Add([]byte(`{"v":1,"kind":"filing","record":{"a":[1,2,{"b":null}]}}`))
	f.Add([]byte(`{"v":1,"kind":"person","record":"x"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		kind, record, err := parseEnvelope("r", in)
		if err == nil && (kind != kindPerson && kind != kindFiling || len(record) == 0 || record[0] != '{' || !json.Valid(record)) {
			t.Fatalf("parseEnvelope(%q) accepted kind %q, record %q", in, kind, record)
		}
	})
}

func TestEncodeExport(t *testing.T) {
	at := time.Date(2026, 1, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	got := string(encodeExport(nil, at))
	if want := `{"format":"heyan-export","version":1,"exportedAt":"2026-01-01T00:00:00Z","people":[],"filings":[]}` + "\n"; got != want {
		t.Errorf("empty export = %q, want %q", got, want)
	}
	live := map[string]liveRecord{
		"b": {id: "b", kind: kindPerson, record: json.RawMessage(`{"n":"b"}`)},
		"a": {id: "a", kind: kindPerson, record: json.RawMessage(`{"n":"a"}`)},
		"c": {id: "c", kind: kindFiling, record: json.RawMessage(`{"n":"c"}`)},
	}
	got = string(encodeExport(live, at))
	want := `{"format":"heyan-export","version":1,"exportedAt":"2026-01-01T00:00:00Z","people":[` + "\n" + `{"n":"a"},` + "\n" + `{"n":"b"}` + "\n" + `],"filings":[` + "\n" + `{"n":"c"}` + "\n" + `]}` + "\n"
	if got != want || !json.Valid([]byte(got)) {
		t.Errorf("export =\n%s\nwant\n%s", got, want)
	}
}
