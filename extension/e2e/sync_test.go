package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chromedp/chromedp"

	"github.com/jackc/pgx/v5"
)

// The synthetic people of the sync tests: what must never reach the server
// in a form it could read.
const (
	syncName   = "测试同步人甲"
	syncPhone  = "13800138000"
	syncPhoneA = "13900139000"
	syncPhoneB = "13700137000"
	syncID     = "12345X"
	syncIDB    = "15432X"
	syncFiling = "同步测试小程序"
	syncPass   = "correct horse battery staple"
)

// syncServer is a real `heyan serve` (bin/heyan, built by scripts/build-cli)
// on loopback, on SQLite or on a fresh PostgreSQL schema; stopped and
// started again on the same address and data to play a server that went
// away.
type syncServer struct {
	t      *testing.T
	addr   string
	args   []string
	cmd    *exec.Cmd
	dir    string
	pgURL  string
	schema string
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startSyncServer starts the server for store ("sqlite" or "postgres"),
// allowing the extension's origin by CORS (the extension's host permission
// for it cannot be granted in headless Chromium: see signUp).
func startSyncServer(t *testing.T, e *env, store string) *syncServer {
	t.Helper()
	s := &syncServer{t: t, addr: freeAddr(t), dir: t.TempDir()}
	os.Chmod(s.dir, 0o700)
	db := "sqlite:" + filepath.Join(s.dir, "heyan.db")
	if store == "postgres" {
		base := os.Getenv("HEYAN_TEST_POSTGRES_URL")
		if base == "" {
			base = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
		}
		s.schema = fmt.Sprintf("heyan_e2e_%d", time.Now().UnixNano())
		conn, err := pgx.Connect(t.Context(), base)
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("postgres: %v", err)
			}
			t.Skipf("postgres unreachable: %v", err)
		}
		if _, err := conn.Exec(t.Context(), "CREATE SCHEMA "+s.schema); err != nil {
			t.Fatal(err)
		}
		conn.Close(t.Context())
		t.Cleanup(func() {
			c, err := pgx.Connect(context.Background(), base)
			if err == nil {
				c.Exec(context.Background(), "DROP SCHEMA "+s.schema+" CASCADE")
				c.Close(context.Background())
			}
		})
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		s.pgURL = base + sep + "search_path=" + s.schema
		db = s.pgURL
	}
	s.args = []string{"serve", "--addr", s.addr, "--db", db, "--data-dir", s.dir,
		"--allowed-origin", "chrome-extension://" + e.extensionID(), "--log-level", "warn"}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *syncServer) url() string { return "http://" + s.addr }

func (s *syncServer) start() {
	s.t.Helper()
	s.cmd = exec.Command(filepath.Join(repoRoot(), "bin", "heyan"), s.args...)
	s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start heyan serve: %v", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, err := net.Dial("tcp", s.addr); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatal("heyan serve did not start listening")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *syncServer) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(os.Interrupt)
		s.cmd.Wait()
		s.cmd = nil
	}
}

// stored is every byte the store holds: the SQLite file and its WAL, or
// every row of every table of the schema as text (bytea as hex).
func (s *syncServer) stored(t *testing.T) []byte {
	t.Helper()
	var all []byte
	if s.pgURL == "" {
		for _, f := range []string{"heyan.db", "heyan.db-wal"} {
			b, _ := os.ReadFile(filepath.Join(s.dir, f))
			all = append(all, b...)
		}
		return all
	}
	conn, err := pgx.Connect(t.Context(), s.pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	rows, err := conn.Query(t.Context(), "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", s.schema)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 3 {
		t.Fatalf("schema %s has tables %v", s.schema, tables)
	}
	for _, table := range tables {
		rows, err := conn.Query(t.Context(), "SELECT row_to_json(x)::text FROM "+pgx.Identifier{s.schema, table}.Sanitize()+" x")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			rows.Scan(&line)
			all = append(all, line...)
			all = append(all, '\n')
		}
		rows.Close()
	}
	return all
}

// encodings are the forms of a value the test can produce: UTF-8, UTF-16
// (both byte orders), base64 and base64url (with and without padding), hex
// (both cases).
func encodings(v string) map[string][]byte {
	u16 := utf16.Encode([]rune(v))
	le, be := make([]byte, 0, 2*len(u16)), make([]byte, 0, 2*len(u16))
	for _, c := range u16 {
		le = append(le, byte(c), byte(c>>8))
		be = append(be, byte(c>>8), byte(c))
	}
	out := map[string][]byte{"utf-8": []byte(v), "utf-16le": le, "utf-16be": be}
	for name, form := range map[string][]byte{"": []byte(v), "(utf-16le)": le} {
		out["base64"+name] = []byte(base64.StdEncoding.EncodeToString(form))
		out["base64url"+name] = []byte(base64.RawURLEncoding.EncodeToString(form))
		out["hex"+name] = []byte(hex.EncodeToString(form))
		out["HEX"+name] = []byte(strings.ToUpper(hex.EncodeToString(form)))
	}
	return out
}

// assertNothingReadable fails when the store holds a test value in any encoding.
func assertNothingReadable(t *testing.T, s *syncServer, values ...string) {
	t.Helper()
	data := s.stored(t)
	if len(data) < 1000 {
		t.Fatalf("the store holds only %d bytes: nothing was synced?", len(data))
	}
	for _, v := range values {
		for name, form := range encodings(v) {
			if bytes.Contains(data, form) {
				t.Errorf("the store holds %q as %s", v, name)
			}
		}
	}
}

// syncBrowser is one browser profile with the options page open on its Sync tab.
func (e *env) syncBrowser(t *testing.T) context.Context {
	t.Helper()
	dir, err := os.MkdirTemp("", "heyan-e2e-sync-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return e.syncBrowserIn(t, dir)
}

// syncBrowserIn starts a browser on the profile dir (again, after a
// restart) with the options page open on its Sync tab.
func (e *env) syncBrowserIn(t *testing.T, dir string) context.Context {
	t.Helper()
	ctx, stop := e.browser(t, dir, "zh-CN", true)
	t.Cleanup(stop)
	ctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(cancel)
	openOptions(t, ctx, "sync")
	return ctx
}

// grantOrigins stands in for the browser's permission prompt, which headless
// Chromium shows and nobody can answer: the request is granted (and the
// server is reached through its CORS allowance for the extension's origin).
func grantOrigins(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[bool](t, ctx, `(chrome.permissions.request = async () => true, true)`)
}

// syncStatus is the worker's sync status, as the options page asks it.
func syncStatus(t *testing.T, ctx context.Context) map[string]any {
	t.Helper()
	r := evalAwait[map[string]any](t, ctx, `chrome.runtime.sendMessage({type: "sync-status"})`)
	if r["ok"] != true {
		t.Fatalf("sync-status: %v", r)
	}
	return r["value"].(map[string]any)
}

// message sends the worker one message from the options page and gives its value.
func message(t *testing.T, ctx context.Context, js string) any {
	t.Helper()
	r := evalAwait[map[string]any](t, ctx, `chrome.runtime.sendMessage(`+js+`)`)
	if r["ok"] != true {
		t.Fatalf("%s: %v", js, r)
	}
	return r["value"]
}

// signUp types the server, email and password into the Sync tab and
// presses 注册新账号 (register) or 登录 (sign in); it waits for the signed-in state.
func signUp(t *testing.T, ctx context.Context, server, email string, register bool) {
	t.Helper()
	grantOrigins(t, ctx)
	setField(t, ctx, "#sync-server", server)
	setField(t, ctx, "#sync-email", email)
	setField(t, ctx, "#sync-password", syncPass)
	if register {
		setField(t, ctx, "#sync-password2", syncPass)
		click(t, ctx, "#panel-sync .register", "")
	} else {
		click(t, ctx, "#panel-sync .sign-in", "")
	}
	waitJS(t, ctx, `document.querySelector("#panel-sync .sync-panel").dataset.state === "ready"`, 60*time.Second)
}

// syncedNow presses 立即同步 (sync now) and waits until nothing is pending
// and no sync runs.
func syncedNow(t *testing.T, ctx context.Context) {
	t.Helper()
	click(t, ctx, "#panel-sync .sync-now", "")
	waitSynced(t, ctx)
}

func waitSynced(t *testing.T, ctx context.Context) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := syncStatus(t, ctx)
		live := st["live"].(map[string]any)
		if st["pending"] == float64(0) && live["running"] == false && st["lastSyncAt"] != nil && live["lastError"] == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not synced: %v", st)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// peopleNamed is the worker's saved people of that name.
func peopleNamed(t *testing.T, ctx context.Context, name string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, p := range message(t, ctx, `{type: "people"}`).([]any) {
		if m := p.(map[string]any); m["name"] == name {
			out = append(out, m)
		}
	}
	return out
}

func TestSyncBetweenTwoBrowsersSQLite(t *testing.T)   { testSyncBetweenTwoBrowsers(t, "sqlite") }
func TestSyncBetweenTwoBrowsersPostgres(t *testing.T) { testSyncBetweenTwoBrowsers(t, "postgres") }

func testSyncBetweenTwoBrowsers(t *testing.T, store string) {
	e := needE2E(t)
	srv := startSyncServer(t, e, store)
	a := e.syncBrowser(t)
	b := e.syncBrowser(t)
	email := "sync-" + store + "@example.com"

	// A creates the account, then adds a person and a filing with them.
	signUp(t, a, srv.url(), email, true)
	person := message(t, a, fmt.Sprintf(`{type: "save-person", id: "", lang: "zh-CN", person: {name: %q, role: "principal", phone: %q, docType: "resident-id", province: "", idLast6: %q, filing: ""}}`, syncName, syncPhone, syncID)).(map[string]any)
	saved, _ := person["saved"].(map[string]any)
	if saved == nil {
		t.Fatalf("save-person: %v", person)
	}
	personID := saved["id"].(string)
	message(t, a, fmt.Sprintf(`{type: "put-filing", id: "", lang: "zh-CN", filing: {name: %q, platform: "", scenario: "", people: [{role: "principal", personId: %q}], smsAt: null}}`, syncFiling, personID))
	waitSynced(t, a)

	// The local copy is encrypted while signed in.
	sealed := evalAwait[string](t, a, `chrome.storage.local.get("heyan").then((x) => JSON.stringify(x))`)
	if !strings.Contains(sealed, `"sealed"`) || strings.Contains(sealed, syncPhone) || strings.Contains(sealed, syncName) {
		t.Fatalf("the local copy is not sealed: %.200s", sealed)
	}

	// B signs in to the same account: both records come.
	signUp(t, b, srv.url(), email, false)
	waitSynced(t, b)
	if got := peopleNamed(t, b, syncName); len(got) != 1 || got[0]["id"] != personID {
		t.Fatalf("B's people named %s: %v", syncName, got)
	}
	filings := message(t, b, `{type: "filings", lang: "zh-CN"}`).([]any)
	if len(filings) != 1 || filings[0].(map[string]any)["name"] != syncFiling {
		t.Fatalf("B's filings: %v", filings)
	}

	// The server goes away; both edit the same person: A the phone, B the
	// phone too (differently) and the ID last 6.
	srv.stop()
	edit := func(ctx context.Context, phone, id string) {
		r := message(t, ctx, fmt.Sprintf(`{type: "save-person", id: %q, lang: "zh-CN", person: {name: %q, role: "principal", phone: %q, docType: "resident-id", province: "", idLast6: %q, filing: ""}}`, personID, syncName, phone, id)).(map[string]any)
		if r["saved"] == nil {
			t.Fatalf("edit: %v", r)
		}
	}
	edit(a, syncPhoneA, syncID)
	edit(b, syncPhoneB, syncIDB)
	click(t, a, "#panel-sync .sync-now", "")
	waitJS(t, a, `document.querySelector("#panel-sync .offline") && document.querySelector("#panel-sync .pending").textContent === "1"`, 30*time.Second)

	// Back: A's change goes first; B's meets it, merges, and asks.
	srv.start()
	syncedNow(t, a)
	syncedNow(t, b)
	waitJS(t, b, `document.querySelector('#panel-sync .conflict[data-field="phone"]')`, 10*time.Second)
	if mine, theirs := eval[string](t, b, `document.querySelector('#panel-sync .conflict .mine').textContent`), eval[string](t, b, `document.querySelector('#panel-sync .conflict .theirs').textContent`); mine != syncPhoneB || theirs != syncPhoneA {
		t.Fatalf("the conflict shows mine %q theirs %q", mine, theirs)
	}
	if n := eval[int](t, b, `document.querySelectorAll('#panel-sync .conflict').length`); n != 1 {
		t.Fatalf("%d conflicts shown, want the phone only (the ID last 6 changed on one side)", n)
	}
	click(t, b, "#panel-sync .conflict .keep-mine", "")
	waitJS(t, b, `!document.querySelector('#panel-sync .conflict')`, 10*time.Second)
	waitSynced(t, b)
	syncedNow(t, a)
	revealed := message(t, a, fmt.Sprintf(`{type: "reveal-phone", id: %q}`, personID)).(map[string]any)
	onA := peopleNamed(t, a, syncName)
	if revealed["phone"] != syncPhoneB || len(onA) != 1 || onA[0]["idLast6"] != syncIDB {
		t.Fatalf("A after the merge: phone %v, people %v; want B's phone (chosen) and B's ID last 6 (changed on B only)", revealed["phone"], onA)
	}

	// A delete in B reaches A.
	fid := filings[0].(map[string]any)["id"].(string)
	message(t, b, fmt.Sprintf(`{type: "delete-filing", id: %q}`, fid))
	waitSynced(t, b)
	syncedNow(t, a)
	if got := message(t, a, `{type: "filings", lang: "zh-CN"}`).([]any); len(got) != 0 {
		t.Fatalf("A's filings after B deleted: %v", got)
	}

	srv.stop()
	assertNothingReadable(t, srv, syncName, syncPhone, syncPhoneA, syncPhoneB, syncID, syncIDB, syncFiling)
}

// password types a password into a field and presses a button of the Sync tab.
func typePassword(t *testing.T, ctx context.Context, fields map[string]string, button string) {
	t.Helper()
	for sel, v := range fields {
		eval[bool](t, ctx, fmt.Sprintf(`(() => { const d = document.querySelector(%q)?.closest("details"); if (d) d.open = true; return true })()`, sel))
		setField(t, ctx, sel, v)
	}
	click(t, ctx, button, "")
}

func TestSyncAccountLifecycle(t *testing.T) {
	e := needE2E(t)
	srv := startSyncServer(t, e, "sqlite")
	dirA := t.TempDir()
	a := e.syncBrowserIn(t, dirA)
	b := e.syncBrowser(t)
	const email = "lifecycle@example.com"
	signUp(t, a, srv.url(), email, true)
	message(t, a, fmt.Sprintf(`{type: "save-person", id: "", lang: "zh-CN", person: {name: %q, role: "principal", phone: %q, docType: "resident-id", province: "", idLast6: %q, filing: ""}}`, syncName, syncPhone, syncID))
	waitSynced(t, a)
	signUp(t, b, srv.url(), email, false)
	waitSynced(t, b)

	// A browser restart locks the data: the people cannot be read until the
	// password unlocks them, and then they are all there.
	chromedpClose(t, a)
	a = e.syncBrowserIn(t, dirA)
	waitJS(t, a, `document.querySelector("#panel-sync .sync-panel").dataset.state === "locked"`, 10*time.Second)
	r := evalAwait[map[string]any](t, a, `chrome.runtime.sendMessage({type: "people"})`)
	if r["ok"] != false || r["code"] != "vault-locked" {
		t.Fatalf("people while locked: %v", r)
	}
	// Meanwhile the MIIT page still checks what is typed and says why it shows
	// no counts; a wrong try is kept and counted once unlocked.
	miit := tab(t, a, 60*time.Second)
	openForm(t, miit, e, "/Integrated/ComplaintA", "lockms=300")
	typeVerify(t, miit, syncPhone, syncID)
	waitBar(t, miit, "解锁后显示次数")
	e.replica.Script(syncPhone, Answer{Status: 2})
	submitAndSolve(t, miit)
	waitCardSays(t, miit, "这次结果已记下")

	typePassword(t, a, map[string]string{"#sync-unlock-password": syncPass}, "#panel-sync .unlock")
	waitJS(t, a, `document.querySelector("#panel-sync .sync-panel").dataset.state === "ready"`, 60*time.Second)
	if got := peopleNamed(t, a, syncName); len(got) != 1 {
		t.Fatalf("after unlocking: %v", got)
	}
	do(t, miit, chromedp.Navigate("about:blank"))
	openForm(t, miit, e, "/Integrated/ComplaintA", "lockms=300")
	typeVerify(t, miit, syncPhone, syncID)
	waitBar(t, miit, "剩余核验机会：4/5")

	// A changes the password: B's session ends, and B signs in again with the new one.
	const newPass = "a new and longer passphrase"
	typePassword(t, a, map[string]string{"#sync-current": syncPass, "#sync-new": newPass, "#sync-new2": newPass}, "#panel-sync .change-password")
	waitPage(t, a, `document.querySelector("#panel-sync .sync-panel > p.muted")?.textContent.includes("密码已修改")`, 60*time.Second)
	waitSynced(t, a)
	evalAwait[any](t, b, `chrome.runtime.sendMessage({type: "sync-now"})`)
	openOptions(t, b, "sync")
	waitJS(t, b, `document.querySelector("#panel-sync .sync-panel").dataset.state === "session-ended"`, 10*time.Second)
	typePassword(t, b, map[string]string{"#sync-unlock-password": newPass}, "#panel-sync .unlock")
	waitJS(t, b, `document.querySelector("#panel-sync .sync-panel").dataset.state === "ready"`, 60*time.Second)
	waitSynced(t, b)

	// B signs out and wipes its copy; A signs out and keeps a plain one.
	click(t, b, "#sync-wipe", "")
	click(t, b, "#panel-sync .sign-out", "")
	waitJS(t, b, `document.querySelector("#panel-sync .sync-panel").dataset.state === "signed-out"`, 10*time.Second)
	if got := peopleNamed(t, b, syncName); len(got) != 0 {
		t.Fatalf("B wiped, yet has %v", got)
	}
	// Signing out asks which: nothing happens until a choice is made.
	click(t, a, "#panel-sync .sign-out", "")
	waitJS(t, a, `document.querySelector("#panel-sync .sync-panel").dataset.state === "ready"`, 5*time.Second)
	click(t, a, "#sync-keep", "")
	click(t, a, "#panel-sync .sign-out", "")
	waitJS(t, a, `document.querySelector("#panel-sync .sync-panel").dataset.state === "signed-out"`, 10*time.Second)
	plain := evalAwait[string](t, a, `chrome.storage.local.get(null).then((x) => JSON.stringify(x))`)
	if strings.Contains(plain, `"sealed"`) || !strings.Contains(plain, syncName) || strings.Contains(plain, "heyan-account") {
		t.Fatalf("A kept no plain copy: %.300s", plain)
	}

	// A signs in again and deletes the account: the data stays here, the
	// account is gone from the server.
	openOptions(t, a, "sync")
	grantOrigins(t, a)
	setField(t, a, "#sync-server", srv.url())
	setField(t, a, "#sync-email", email)
	setField(t, a, "#sync-password", newPass)
	click(t, a, "#panel-sync .sign-in", "")
	waitJS(t, a, `document.querySelector("#panel-sync .sync-panel").dataset.state === "ready"`, 60*time.Second)
	waitSynced(t, a)
	typePassword(t, a, map[string]string{"#sync-delete-password": newPass}, "#panel-sync .delete-account")
	waitJS(t, a, `document.querySelector("#panel-sync .sync-panel").dataset.state === "signed-out"`, 60*time.Second)
	if got := peopleNamed(t, a, syncName); len(got) != 1 {
		t.Fatalf("after deleting the account A has %v", got)
	}
	openOptions(t, b, "sync")
	grantOrigins(t, b)
	setField(t, b, "#sync-server", srv.url())
	setField(t, b, "#sync-email", email)
	setField(t, b, "#sync-password", newPass)
	click(t, b, "#panel-sync .sign-in", "")
	waitJS(t, b, `document.querySelector(".page-alert:not([hidden])")?.textContent.includes("邮箱或密码不对")`, 30*time.Second)
}

// chromedpClose ends the browser of ctx, as quitting it does.
func chromedpClose(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Cancel(ctx); err != nil {
		t.Logf("closing the browser: %v", err)
	}
}

// waitPage waits for js on the options page; a timeout names the alert the
// page shows, if any.
func waitPage(t *testing.T, ctx context.Context, js string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	said := ""
	for !eval[bool](t, ctx, "!!("+js+")") {
		if now := eval[string](t, ctx, `[...document.querySelectorAll(".page-alert:not([hidden]), #panel-sync .alert")].map((x) => x.textContent).join(" | ")`); now != "" {
			said = now
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; the page said %q", js, said)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
