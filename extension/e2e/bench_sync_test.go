package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/heyan-dev/heyan/core/vault"
)

// The sync benchmark, run by scripts/bench-sync (HEYAN_BENCH_SYNC=1): a real
// `heyan serve` on SQLite on loopback, two Chromium profiles. Profile A
// imports 500 records (300 people, 200 filings) and pushes them; profile B
// signs in and pulls them all (a full sync), several times (signing out
// with a wipe in between). Unlock: the options page's own key Worker
// (kdf-worker.js, heyan-vault.wasm) at the server's published parameters,
// interleaved with vault.DeriveKeys natively in this process. Writes JSON to
// HEYAN_BENCH_OUT.

// benchExport is an export file of people and filings, synthetic.
func benchExport(people, filings int) string {
	now := time.Now().UTC().Format(time.RFC3339)
	var ps, fs []map[string]any
	for i := 0; i < people; i++ {
		ps = append(ps, map[string]any{"id": fmt.Sprintf("%032x", 0x1000+i), "rev": 1, "updatedAt": now, "name": fmt.Sprintf("测试人%03d", i),
			"role": "principal", "phone": fmt.Sprintf("138%08d", i), "docType": "resident-id", "province": "", "idLast6": fmt.Sprintf("%02d%03d%d", 1+i%28, i%1000, i%10)})
	}
	for i := 0; i < filings; i++ {
		fs = append(fs, map[string]any{"id": fmt.Sprintf("%032x", 0x9000+i), "rev": 1, "updatedAt": now, "name": fmt.Sprintf("测试备案%03d", i), "platform": "", "scenario": "",
			"people": []map[string]any{{"role": "principal", "personId": fmt.Sprintf("%032x", 0x1000+i%people)}}, "smsAt": nil, "status": ""})
	}
	b, _ := json.Marshal(map[string]any{"format": "heyan-export", "version": 1, "exportedAt": now, "people": ps, "filings": fs})
	return string(b)
}

func lastRun(t *testing.T, st map[string]any) map[string]any {
	t.Helper()
	r, _ := st["live"].(map[string]any)["lastRun"].(map[string]any)
	if r == nil {
		t.Fatalf("no last run in %v", st)
	}
	return r
}

func TestBenchSync(t *testing.T) {
	e := needE2E(t)
	if os.Getenv("HEYAN_BENCH_SYNC") != "1" {
		t.Skip("run by scripts/bench-sync")
	}
	rounds := 3
	if os.Getenv("HEYAN_BENCH_QUICK") == "1" {
		rounds = 1
	}
	srv := startSyncServer(t, e, "sqlite")
	a := e.syncBrowser(t)
	b := e.syncBrowser(t)
	signUp(t, a, srv.url(), "bench@example.com", true)
	waitSynced(t, a)
	plan := message(t, a, fmt.Sprintf(`{type: "import-apply", lang: "zh-CN", text: %q}`, benchExport(300, 200))).(map[string]any)
	if plan["people"] != float64(300) || plan["filings"] != float64(200) {
		t.Fatalf("import: %v", plan)
	}
	// The import's changes go out a moment later; wait for that push.
	deadline := time.Now().Add(2 * time.Minute)
	var push map[string]any
	for push == nil || push["pushed"].(float64) < 500 {
		if time.Now().After(deadline) {
			t.Fatalf("the 500 records did not go out: %v", syncStatus(t, a))
		}
		time.Sleep(100 * time.Millisecond)
		if st := syncStatus(t, a); st["pending"] == float64(0) && st["live"].(map[string]any)["running"] == false {
			push = lastRun(t, st)
		}
	}
	var pulls []float64
	for i := 0; i < rounds; i++ {
		openOptions(t, b, "sync")
		signUp(t, b, srv.url(), "bench@example.com", false)
		waitSynced(t, b)
		run := lastRun(t, syncStatus(t, b))
		if run["pulled"] != float64(500) || run["full"] != true {
			t.Fatalf("round %d: B's sync %v, want a full sync of 500", i, run)
		}
		pulls = append(pulls, run["ms"].(float64))
		message(t, b, `{type: "sync-sign-out", keep: false}`)
	}

	// Unlock: the extension's key Worker and native Go, interleaved.
	kdf := message(t, b, fmt.Sprintf(`{type: "sync-kdf", server: %q, email: ""}`, srv.url())).(map[string]any)
	params := vault.Params{Alg: "argon2id", MemoryKiB: uint32(kdf["memoryKiB"].(float64)), Iterations: uint32(kdf["iterations"].(float64)), Parallelism: uint32(kdf["parallelism"].(float64))}
	salt := make([]byte, int(kdf["saltBytes"].(float64)))
	var native, ext, derive []float64
	for i := 0; i < rounds+2; i++ {
		start := time.Now()
		if _, err := vault.DeriveKeys(syncPass, params, salt, nil); err != nil {
			t.Fatal(err)
		}
		native = append(native, float64(time.Since(start).Microseconds())/1000)
		ms := evalAwait[[]float64](t, b, fmt.Sprintf(`new Promise((resolve, reject) => {
			const w = new Worker(chrome.runtime.getURL("pages/options/kdf-worker.js"), {type: "module"});
			const start = performance.now();
			w.onmessage = (ev) => { if (ev.data.progress) return; w.terminate(); ev.data.keys ? resolve([performance.now() - start, ev.data.ms]) : reject(new Error(JSON.stringify(ev.data.error))); };
			w.postMessage({password: %q, kdf: %s, saltBytes: %d});
		})`, syncPass, mustJSON(kdf), len(salt)))
		ext = append(ext, ms[0])
		derive = append(derive, ms[1])
	}
	out := map[string]any{"push500Ms": push["ms"], "pull500Ms": pulls, "unlockNativeMs": native, "unlockExtensionMs": ext, "deriveExtensionMs": derive, "rounds": rounds}
	raw, _ := json.MarshalIndent(out, "", "  ")
	if path := os.Getenv("HEYAN_BENCH_OUT"); path != "" {
		os.WriteFile(path, raw, 0o644)
	}
	t.Logf("%s", raw)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
