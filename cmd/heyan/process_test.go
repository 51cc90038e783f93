package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/server"
	"github.com/heyan-dev/heyan/server/sqlite"
)

// child is `heyan serve` running as a separate process (this test binary,
// re-executed; see TestMain).
type child struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string // http://addr
	mu     sync.Mutex
	stderr bytes.Buffer
	exited chan struct{}
	err    error // the process's exit, once exited is closed
}

// startChild starts the server in dir with args and waits until it listens.
func startChild(t *testing.T, dir string, args ...string) *child {
	t.Helper()
	c, listening := launch(t, dir, args...)
	select {
	case addr := <-listening:
		c.base = "http://" + addr
	case <-c.exited:
		t.Fatalf("server exited before listening: %v\n%s", c.err, c.logs())
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not listen within 30 s:\n%s", c.logs())
	}
	return c
}

// refusedStart starts the server in dir with args, expecting it to refuse
// to start: it returns the exit status and the log. A server that listens
// instead fails the test (and is killed).
func refusedStart(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	c, listening := launch(t, dir, args...)
	select {
	case <-listening:
		c.kill()
		t.Fatalf("the server started and listened:\n%s", c.logs())
	case <-c.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("the server neither listened nor exited within 30 s:\n%s", c.logs())
	}
	return c.cmd.ProcessState.ExitCode(), c.logs()
}

// launch starts the server in dir with args; the channel gets the address
// it listens on.
func launch(t *testing.T, dir string, args ...string) (*child, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--addr", "127.0.0.1:0", "--log-format", "json"}, args...)...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HEYAN_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "HEYAN_TEST_CHILD_SERVE=1")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{t: t, cmd: cmd, exited: make(chan struct{})}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Bytes()
			c.mu.Lock()
			c.stderr.Write(line)
			c.stderr.WriteByte('\n')
			c.mu.Unlock()
			var rec struct{ Msg, Addr string }
			if json.Unmarshal(line, &rec) == nil && rec.Msg == "listening" {
				select {
				case listening <- rec.Addr:
				default:
				}
			}
		}
		c.err = cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() { c.kill() })
	return c, listening
}

func (c *child) logs() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stderr.String()
}

func (c *child) kill() {
	select {
	case <-c.exited:
		return
	default:
	}
	c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.exited
}

// stop sends SIGTERM and returns the exit status.
func (c *child) stop() int {
	c.t.Helper()
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		c.t.Fatalf("server did not stop on SIGTERM:\n%s", c.logs())
	}
	return c.cmd.ProcessState.ExitCode()
}

// client talks to a child as the extension would, with random bytes for
// every key and record.
type client struct {
	t      *testing.T
	http   *http.Client
	base   string
	email  string
	key    []byte
	access string
}

func newClient(t *testing.T, base string) *client {
	return &client{t: t, http: &http.Client{Timeout: 10 * time.Second}, base: base,
		email: "durable-" + b64(random(6)) + "@example.test", key: random(32)}
}

func (c *client) call(method, path string, body any, headers map[string]string) (int, []byte, http.Header, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.access != "" {
		req.Header.Set("Authorization", "Bearer "+c.access)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header, err
}

func (c *client) mustCall(method, path string, body any, want int) []byte {
	c.t.Helper()
	status, b, _, err := c.call(method, path, body, nil)
	if err != nil || status != want {
		c.t.Fatalf("%s %s = %d %s (%v), want %d", method, path, status, b, err, want)
	}
	return b
}

// signUp creates the account and signs in; it returns the account ID.
func (c *client) signUp() string {
	c.t.Helper()
	b := c.mustCall("POST", "/api/v1/accounts", map[string]any{
		"email": c.email, "authKey": b64(c.key), "wrappedKey": b64(random(72)),
		"kdf": map[string]any{"alg": server.KDFAlg, "memoryKiB": server.KDFMemoryKiB, "iterations": server.KDFIterations, "parallelism": server.KDFParallelism, "salt": b64(random(server.KDFSaltSize))},
	}, http.StatusCreated)
	var acct struct{ AccountID string }
	json.Unmarshal(b, &acct)
	c.signIn()
	return acct.AccountID
}

func (c *client) signIn() {
	c.t.Helper()
	c.access = ""
	b := c.mustCall("POST", "/api/v1/sessions", map[string]any{"email": c.email, "authKey": b64(c.key)}, http.StatusOK)
	var g struct{ AccessToken string }
	json.Unmarshal(b, &g)
	c.access = g.AccessToken
}

// TestZeroSetup runs `heyan serve` with no configuration in an empty folder:
// it creates ./data with its database, key and secret (owner-only), stops
// cleanly on SIGTERM, and after a restart the same key and secret are in
// use: old tokens still verify and fake prelogin answers do not change.
func TestZeroSetup(t *testing.T) {
	dir := t.TempDir()
	srv := startChild(t, dir)
	c := newClient(t, srv.base)
	c.signUp()
	c.mustCall("GET", "/api/v1/records", nil, http.StatusOK)
	fake := c.mustCall("POST", "/api/v1/prelogin", map[string]string{"email": "nobody@example.test"}, http.StatusOK)
	if code := srv.stop(); code != 0 {
		t.Fatalf("SIGTERM exit status %d:\n%s", code, srv.logs())
	}
	if !strings.Contains(srv.logs(), `"msg":"stopped"`) {
		t.Errorf("no clean stop in the log:\n%s", srv.logs())
	}
	for _, name := range []string{"heyan.db", "signing.key", "secret.key"} {
		fi, err := os.Stat(filepath.Join(dir, "data", name))
		if err != nil {
			t.Fatalf("data/%s: %v", name, err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("data/%s has mode %v, want owner-only", name, fi.Mode().Perm())
		}
	}

	srv = startChild(t, dir)
	c.base = srv.base
	c.mustCall("GET", "/api/v1/records", nil, http.StatusOK) // the token from before the restart
	if again := c.mustCall("POST", "/api/v1/prelogin", map[string]string{"email": "nobody@example.test"}, http.StatusOK); !bytes.Equal(again, fake) {
		t.Errorf("fake prelogin changed across a restart: %s then %s", fake, again)
	}
	srv.stop()
}

// TestSecondServerRefused: a second `heyan serve` on the SQLite file a
// running one holds exits 1 at start, saying which process holds it; the
// first goes on serving.
func TestSecondServerRefused(t *testing.T) {
	dir := t.TempDir()
	first := startChild(t, dir)
	code, logs := refusedStart(t, dir)
	if code != 1 || !strings.Contains(logs, "in use") || !strings.Contains(logs, fmt.Sprintf("pid %d", first.cmd.Process.Pid)) {
		t.Errorf("second server on one file: exit %d, log:\n%s\nwant exit 1 naming pid %d", code, logs, first.cmd.Process.Pid)
	}
	newClient(t, first.base).mustCall("GET", "/healthz", nil, http.StatusOK)
	if code := first.stop(); code != 0 {
		t.Errorf("first server's exit status %d", code)
	}
}

// TestShutdownTimeoutExitsClean: SIGTERM while a request outlasts
// --shutdown-timeout (its body never finishes arriving) still exits 0, with
// the request logged as cut short and its connection closed.
func TestShutdownTimeoutExitsClean(t *testing.T) {
	srv := startChild(t, t.TempDir(), "--shutdown-timeout", "300ms")
	c := newClient(t, srv.base)
	c.signUp()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT /api/v1/records/slow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nIf-None-Match: *\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"data\":", c.access)
	time.Sleep(100 * time.Millisecond)
	if code := srv.stop(); code != 0 {
		t.Errorf("SIGTERM with a request past the shutdown timeout: exit status %d, want 0:\n%s", code, srv.logs())
	}
	for _, want := range []string{`"msg":"cut short by shutdown"`, `"route":"/api/v1/records/:id"`, `"msg":"stopped"`} {
		if !strings.Contains(srv.logs(), want) {
			t.Errorf("the log lacks %s:\n%s", want, srv.logs())
		}
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(conn); err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("the cut request's connection was not closed: %v", err)
	}
}

// openFolder makes dir and its parent (t.TempDir's two levels, both 0700)
// reachable by every user, as /var/lib/heyan under /var/lib would be.
func openFolder(t *testing.T, dir string) {
	t.Helper()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReadableSecretsRefused: a signing key, server secret or SQLite file
// that other users can read (0644 in 0755 folders) stops the server at
// start with exit status 1 and a message naming the file and the fix, as
// ssh refuses such a key. The same files owner-only start fine.
func TestReadableSecretsRefused(t *testing.T) {
	pemKey, err := server.GenerateKeyFile()
	if err != nil {
		t.Fatal(err)
	}
	secretB64 := []byte(b64(random(32)) + "\n")
	for _, tc := range []struct {
		name  string
		file  string // the file made readable
		setup func(t *testing.T, dir string) []string
	}{
		{"signing key", "signing.key", func(t *testing.T, dir string) []string {
			os.WriteFile(filepath.Join(dir, "signing.key"), pemKey, 0o644)
			return []string{"--signing-key-file", filepath.Join(dir, "signing.key")}
		}},
		{"server secret", "secret.key", func(t *testing.T, dir string) []string {
			os.WriteFile(filepath.Join(dir, "secret.key"), secretB64, 0o644)
			return []string{"--secret-file", filepath.Join(dir, "secret.key")}
		}},
		{"SQLite file", "heyan.db", func(t *testing.T, dir string) []string {
			db, err := sqlite.Open(t.Context(), filepath.Join(dir, "heyan.db"))
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			os.Chmod(filepath.Join(dir, "heyan.db"), 0o644)
			return []string{"--db", "sqlite:" + filepath.Join(dir, "heyan.db")}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			openFolder(t, dir)
			args := append(tc.setup(t, dir), "--data-dir", filepath.Join(dir, "data"))
			code, logs := refusedStart(t, dir, args...)
			path := filepath.Join(dir, tc.file)
			if code != 1 || !strings.Contains(logs, path) || !strings.Contains(logs, "chmod 600") {
				t.Errorf("%s at 0644: exit %d, log:\n%s\nwant exit 1 naming %s and chmod 600", tc.name, code, logs, path)
			}
			if err := os.Chmod(path, 0o600); err != nil {
				t.Fatal(err)
			}
			startChild(t, dir, args...).stop()
		})
	}
}

// write is one acknowledged (or in-flight) record state.
type write struct {
	rev  int64
	hash [32]byte
}

// TestDurability streams acknowledged writes at the server, SIGKILLs it
// mid-stream, and checks after each kill that the database is intact and
// holds every acknowledged write: the write in flight at the kill may or may
// not be there, nothing else may be missing or different.
//
// This covers process crashes only. A killed process's writes are still in
// the OS page cache, so the test cannot see a missing fsync; power-loss
// safety rests on synchronous=FULL, which server/sqlite checks at every Open
// and its TestPragmas checks on every connection.
func TestDurability(t *testing.T) {
	const rounds, writers, idsPerWriter = 20, 4, 3
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "heyan.db")
	args := []string{"--db", "sqlite:" + dbPath, "--account-limit", "1000/1m", "--address-limit", "1000/1m"}

	srv := startChild(t, dir, args...)
	c := newClient(t, srv.base)
	accountID := c.signUp()

	acked := map[string]write{} // id → last acknowledged state
	total := 0
	for round := range rounds {
		if round > 0 {
			srv = startChild(t, dir, args...)
			c.base = srv.base
		}
		var mu sync.Mutex
		inflight := map[string]write{}
		ackedThisRound := 0
		enough := make(chan struct{})
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := 0; ; i++ {
					id := fmt.Sprintf("w%d-%d", w, i%idsPerWriter)
					data := random(64 + int(randN(2048)))
					mu.Lock()
					prev, exists := acked[id]
					next := write{rev: prev.rev + 1, hash: sha256.Sum256(data)}
					inflight[id] = next
					mu.Unlock()
					h := map[string]string{"If-None-Match": "*"}
					if exists {
						h = map[string]string{"If-Match": fmt.Sprintf(`"%d"`, prev.rev)}
					}
					status, body, _, err := c.call("PUT", "/api/v1/records/"+id, map[string]string{"data": b64(data)}, h)
					if err != nil {
						return // the server is gone
					}
					if status != http.StatusOK && status != http.StatusCreated {
						t.Errorf("round %d: PUT %s = %d %s", round, id, status, body)
						return
					}
					var res struct{ Rev int64 }
					json.Unmarshal(body, &res)
					mu.Lock()
					if res.Rev != next.rev {
						t.Errorf("round %d: PUT %s acknowledged rev %d, want %d", round, id, res.Rev, next.rev)
					}
					acked[id] = next
					delete(inflight, id)
					ackedThisRound++
					if ackedThisRound == 10 {
						close(enough)
					}
					mu.Unlock()
				}
			})
		}
		select {
		case <-enough:
		case <-time.After(20 * time.Second):
			t.Fatalf("round %d: too few acknowledged writes:\n%s", round, srv.logs())
		}
		time.Sleep(time.Duration(randN(40)) * time.Millisecond)
		srv.kill()
		wg.Wait()
		if t.Failed() {
			return
		}
		total += ackedThisRound

		// Check the file itself, with the server down.
		db, err := sqlite.Open(t.Context(), dbPath)
		if err != nil {
			t.Fatalf("round %d: reopening after SIGKILL: %v", round, err)
		}
		report, err := db.IntegrityCheck(t.Context())
		if err != nil || report != "ok" {
			t.Fatalf("round %d: integrity_check = %q, %v", round, report, err)
		}
		page, err := db.Records(t.Context(), server.PageRequest{AccountID: accountID, Limit: 1000, MaxBytes: 1 << 30})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		stored := map[string]write{}
		for _, r := range page.Records {
			stored[r.ID] = write{rev: r.Rev, hash: sha256.Sum256(r.Data)}
		}
		for id, want := range acked {
			got := stored[id]
			if got == want {
				continue
			}
			if fl, ok := inflight[id]; ok && got == fl {
				acked[id] = fl // the write in flight at the kill made it; it is the base now
				continue
			}
			t.Fatalf("round %d: record %s is rev %d (%x…), acknowledged rev %d (%x…)", round, id, got.rev, got.hash[:4], want.rev, want.hash[:4])
		}
		for id, got := range stored {
			if _, ok := acked[id]; !ok {
				if fl, ok := inflight[id]; ok && got == fl {
					acked[id] = fl
					continue
				}
				t.Fatalf("round %d: record %s was never written", round, id)
			}
		}
	}
	t.Logf("%d rounds, %d acknowledged writes, all present", rounds, total)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func randN(n int64) int64 {
	v, _ := rand.Int(rand.Reader, big.NewInt(n))
	return v.Int64()
}
