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
	repeat := flag.Int("repeat", 1, "measurements per row; the row shows the one with the most req/s (on a shared machine the others are the ones disturbed)")
	label := flag.String("label", "", "first column of each row (e.g. the store)")
	fsyncDir := flag.String("fsync", "", "measure fsync rate in this folder and exit")
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
	c := &client{http: hc, base: *base}
	if err := c.signUp(); err != nil {
		fail(err)
	}
	if err := c.seed(); err != nil {
		fail(err)
	}
	for _, sc := range strings.Split(*scenarios, ",") {
		for _, n := range strings.Split(*conns, ",") {
			conns, err := strconv.Atoi(n)
			if err != nil {
				fail(err)
			}
			var r result
			for range max(1, *repeat) {
				try, err := c.run(sc, conns, *duration)
				if err != nil {
					fail(fmt.Errorf("%s at %d: %w", sc, conns, err))
				}
				if try.rps > r.rps {
					r = try
				}
			}
			fmt.Printf("| %s | %s | %d | %.0f | %.2f | %.2f |\n", *label, sc, conns, r.rps, ms(r.p50), ms(r.p99))
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "server-load:", err)
	os.Exit(1)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type client struct {
	http   *http.Client
	base   string
	access string
}

type result struct {
	rps      float64
	p50, p99 time.Duration
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
	start := time.Now()
	lat, err := drive(ops, start.Add(d))
	if err != nil {
		return result{}, err
	}
	elapsed := time.Since(start)
	slices.Sort(lat)
	return result{
		rps: float64(len(lat)) / elapsed.Seconds(),
		p50: lat[len(lat)*50/100],
		p99: lat[len(lat)*99/100],
	}, nil
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

func (c *client) expect(method, path string, body any, headers map[string]string, want int) error {
	status, b, err := c.do(method, path, body, headers)
	if err != nil {
		return err
	}
	if status != want {
		return fmt.Errorf("%s %s = %d %s", method, path, status, b)
	}
	return nil
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
