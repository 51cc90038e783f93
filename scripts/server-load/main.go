// Command server-load drives a running `heyan serve` from a second process
// and prints one Markdown table row per scenario and connection count:
// requests per second and p50/p99 latency. scripts/bench-server runs it.
//
// Scenarios:
//
//	ceiling  GET /api/v1/sessions/current: the JWT middleware and session
//	         check, nothing else
//	sync     GET /api/v1/records?since=C, C ten changes (10 KiB) before the
//	         end
//	poll     GET /api/v1/records?since=C, C at the end: nothing new, the
//	         commonest sync request
//	put      PUT /api/v1/records/{id} with If-Match, 1 KiB of random data,
//	         each connection a different user (its own account, session
//	         and record), as real traffic is
//
// Each row also gives its req/s as a share of the ceiling's at the same
// connection count, from the same run. With -server-pid it adds the CPU
// time per request of the server and of this load generator, and the
// ceiling's total CPU per request as a share of the row's: what the req/s
// share would be if nothing else ran on the machine.
//
// It can also measure the disk's fsync rate (-fsync DIR), the bound on
// SQLite commits with synchronous=FULL.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "server URL")
	conns := flag.String("conns", "1,16,64", "connection counts")
	scenarios := flag.String("scenarios", "ceiling,sync,poll,put", "scenarios to run")
	duration := flag.Duration("duration", 5*time.Second, "time per measurement")
	repeat := flag.Int("repeat", 1, "measurements per row, taken in rounds that measure every row once (so a disturbance falls on all scenarios alike); the row shows the one with the most req/s (on a shared machine the others are the ones disturbed)")
	label := flag.String("label", "", "first column of each row (e.g. the store)")
	fsyncDir := flag.String("fsync", "", "measure fsync rate in this folder and exit")
	serverPID := flag.Int("server-pid", 0, "the server's process ID: adds the CPU time it and this load generator spend per request")
	flag.Parse()

	if *fsyncDir != "" {
		rate, err := fsyncRate(*fsyncDir, 2*time.Second)
		if err != nil {
			fail(err)
		}
		fmt.Printf("%.0f\n", rate)
		return
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}, Timeout: 30 * time.Second}
	c := &client{http: hc, base: *base, serverPID: *serverPID}
	if err := c.signUp(); err != nil {
		fail(err)
	}
	if err := c.seed(); err != nil {
		fail(err)
	}
	type row struct {
		scenario string
		conns    int
	}
	var rows []row
	for _, sc := range strings.Split(*scenarios, ",") {
		for _, n := range strings.Split(*conns, ",") {
			conns, err := strconv.Atoi(n)
			if err != nil {
				fail(err)
			}
			rows = append(rows, row{sc, conns})
		}
	}
	best := map[row]result{}
	for range max(1, *repeat) {
		for _, r := range rows {
			try, err := c.run(r.scenario, r.conns, *duration)
			if err != nil {
				fail(fmt.Errorf("%s at %d: %w", r.scenario, r.conns, err))
			}
			if try.rps > best[r].rps {
				best[r] = try
			}
		}
	}
	for _, r := range rows {
		b := best[r]
		ratio, cpuRatio := "–", "–"
		if ceiling, ok := best[row{"ceiling", r.conns}]; ok && r.scenario != "ceiling" {
			ratio = fmt.Sprintf("%.2f", b.rps/ceiling.rps)
			if b.serverCPU > 0 {
				cpuRatio = fmt.Sprintf("%.2f", float64(ceiling.serverCPU+ceiling.loadCPU)/float64(b.serverCPU+b.loadCPU))
			}
		}
		if *serverPID == 0 {
			fmt.Printf("| %s | %s | %d | %.0f | %s | %.2f | %.2f |\n", *label, r.scenario, r.conns, b.rps, ratio, ms(b.p50), ms(b.p99))
			continue
		}
		fmt.Printf("| %s | %s | %d | %.0f | %s | %.2f | %.2f | %.0f | %.0f | %s |\n", *label, r.scenario, r.conns, b.rps, ratio, ms(b.p50), ms(b.p99),
			us(b.serverCPU), us(b.loadCPU), cpuRatio)
	}
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "server-load:", err)
	os.Exit(1)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type client struct {
	http      *http.Client
	base      string
	access    string
	serverPID int
}

// result is one measurement. serverCPU and loadCPU are the CPU time (user
// and system) the server and this process spent per request: on a shared
// machine they move far less than req/s, which depends on what else holds
// the CPUs.
type result struct {
	rps                float64
	p50, p99           time.Duration
	serverCPU, loadCPU time.Duration
}

func (c *client) do(method, path string, body any, headers map[string]string) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.access != "" {
		req.Header.Set("Authorization", "Bearer "+c.access)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// signUp signs up a fresh account with random keys and signs in.
func (c *client) signUp() error {
	email := "load-" + b64(random(6)) + "@example.test"
	key := random(32)
	status, b, err := c.do("POST", "/api/v1/accounts", map[string]any{
		"email": email, "authKey": b64(key), "wrappedKey": b64(random(72)),
		"kdf": map[string]any{"alg": "argon2id", "memoryKiB": 65536, "iterations": 3, "parallelism": 4, "salt": b64(random(16))},
	}, nil)
	if err != nil || status != http.StatusCreated {
		return fmt.Errorf("sign-up: %d %s %v", status, b, err)
	}
	status, b, err = c.do("POST", "/api/v1/sessions", map[string]any{"email": email, "authKey": b64(key)}, nil)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("sign-in: %d %s %v", status, b, err)
	}
	var g struct{ AccessToken string }
	if err := json.Unmarshal(b, &g); err != nil {
		return err
	}
	c.access = g.AccessToken
	return nil
}

// seed writes 500 records of 1 KiB to sync over.
func (c *client) seed() error {
	for i := range 500 {
		status, b, err := c.do("PUT", fmt.Sprintf("/api/v1/records/seed-%d", i), map[string]string{"data": b64(random(1024))}, map[string]string{"If-None-Match": "*"})
		if err != nil || status != http.StatusCreated {
			return fmt.Errorf("seed: %d %s %v", status, b, err)
		}
	}
	return nil
}

// cursor returns the sync cursor back changes before the end.
func (c *client) cursor(back int) (string, error) {
	status, b, err := c.do("GET", "/api/v1/records?limit=1000", nil, nil)
	if err != nil || status != http.StatusOK {
		return "", fmt.Errorf("full sync: %d %v", status, err)
	}
	var p struct{ Cursor string }
	if err := json.Unmarshal(b, &p); err != nil {
		return "", err
	}
	end, err := strconv.Atoi(p.Cursor)
	return strconv.Itoa(max(0, end-back)), err
}

func (c *client) run(scenario string, conns int, d time.Duration) (result, error) {
	var op func(worker int) func() error
	switch scenario {
	case "ceiling":
		op = func(int) func() error {
			return func() error { return c.expect("GET", "/api/v1/sessions/current", nil, nil, http.StatusOK) }
		}
	case "sync", "poll":
		back := 10
		if scenario == "poll" {
			back = 0
		}
		cur, err := c.cursor(back)
		if err != nil {
			return result{}, err
		}
		op = func(int) func() error {
			return func() error { return c.expect("GET", "/api/v1/records?since="+cur, nil, nil, http.StatusOK) }
		}
	case "put":
		users := make([]*client, conns)
		for w := range users {
			users[w] = &client{http: c.http, base: c.base}
			if err := users[w].signUp(); err != nil {
				return result{}, err
			}
		}
		op = func(w int) func() error {
			c := users[w]
			id := "put-" + b64(random(4))
			rev := 0
			return func() error {
				h := map[string]string{"If-None-Match": "*"}
				want := http.StatusCreated
				if rev > 0 {
					h = map[string]string{"If-Match": `"` + strconv.Itoa(rev) + `"`}
					want = http.StatusOK
				}
				if err := c.expect("PUT", "/api/v1/records/"+id, map[string]string{"data": b64(random(1024))}, h, want); err != nil {
					return err
				}
				rev++
				return nil
			}
		}
	default:
		return result{}, fmt.Errorf("unknown scenario %q", scenario)
	}

	// One operation per worker, kept from the warm-up to the measurement
	// (a PUT worker remembers its record's revision).
	ops := make([]func() error, conns)
	for w := range ops {
		ops[w] = op(w)
	}
	if _, err := drive(ops, time.Now().Add(d/5)); err != nil {
		return result{}, err
	}
	serverBefore, loadBefore := processCPU(c.serverPID), processCPU(os.Getpid())
	start := time.Now()
	lat, err := drive(ops, start.Add(d))
	if err != nil {
		return result{}, err
	}
	elapsed := time.Since(start)
	serverAfter, loadAfter := processCPU(c.serverPID), processCPU(os.Getpid())
	slices.Sort(lat)
	n := time.Duration(len(lat))
	return result{
		rps:       float64(len(lat)) / elapsed.Seconds(),
		p50:       lat[len(lat)*50/100],
		p99:       lat[len(lat)*99/100],
		serverCPU: (serverAfter - serverBefore) / n,
		loadCPU:   (loadAfter - loadBefore) / n,
	}, nil
}

// processCPU is the user and system CPU time process pid has used, from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux); 0
// when there is no such process or no /proc.
func processCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// drive runs each op on its own worker until deadline and returns every
// latency.
func drive(ops []func() error, deadline time.Time) ([]time.Duration, error) {
	var (
		mu   sync.Mutex
		all  []time.Duration
		errs []error
		wg   sync.WaitGroup
	)
	for _, f := range ops {
		wg.Go(func() {
			var lat []time.Duration
			for time.Now().Before(deadline) {
				t := time.Now()
				if err := f(); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(all) == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("no requests completed"))
	}
	return all, errors.Join(errs...)
}

// expect sends a request and checks its status. It reads the whole answer
// but keeps none of it unless the status is wrong: the load generator runs
// on the same CPUs as the server, and collecting bodies it never looks at
// (io.ReadAll growing a buffer for every 14 KB sync page) is CPU taken from
// the server, more so for big answers than for the ceiling's small one.
// A body cut short still fails (the client checks Content-Length).
func (c *client) expect(method, path string, body any, headers map[string]string, want int) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.access != "" {
		req.Header.Set("Authorization", "Bearer "+c.access)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != want {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		return fmt.Errorf("%s %s = %d %s", method, path, res.StatusCode, b)
	}
	_, err = io.Copy(io.Discard, res.Body)
	return err
}

// fsyncRate appends 4 KiB and fdatasyncs in a loop, as a WAL commit does.
func fsyncRate(dir string, d time.Duration) (float64, error) {
	f, err := os.CreateTemp(dir, "fsync-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	buf := random(4096)
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		if _, err := f.Write(buf); err != nil {
			return 0, err
		}
		if err := f.Sync(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}
