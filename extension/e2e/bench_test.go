package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"
)

// The extension's benchmark: run by scripts/bench-extension (HEYAN_BENCH=1),
// which writes the tables into docs/PERFORMANCE.md.

// jsReady is when the core was ready, when DOMContentLoaded fired and when
// the core was started (the SMS form showed), in ms from the navigation's
// start.
const jsReady = `(() => {
	const nav = performance.getEntriesByType("navigation")[0];
	const host = document.querySelector("heyan-result");
	return [parseFloat(host.getAttribute("data-ready-ms")), nav.domContentLoadedEventStart, parseFloat(host.getAttribute("data-started-ms"))];
})()`

type readyTimes struct{ ready, dcl, after, load []float64 }

func (r *readyTimes) add(v []float64) {
	r.ready = append(r.ready, v[0])
	r.dcl = append(r.dcl, v[1])
	r.after = append(r.after, v[0]-v[1])
	r.load = append(r.load, v[0]-v[2])
}

// The content scripts before they were bundled from modules: the 18 files
// the manifest listed (with the core's loader and Go's wasm_exec.js), and the
// core started with every page of the site, measured by this benchmark on
// 2026-12-01 (commit d8a7b5f; same machine, load average 3.15).
const (
	beforeScriptsRaw, beforeScriptsGzip = 104732, 31972
	beforeReadyCold, beforeReadyWarm    = 507.6, 150.7
)

// contentScriptSize is the size of the files the manifest loads into the
// MIIT page, raw and gzip -9.
func contentScriptSize(t *testing.T, ext string) (files, raw, gz int) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ext, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		ContentScripts []struct{ JS []string } `json:"content_scripts"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	for _, cs := range m.ContentScripts {
		for _, f := range cs.JS {
			src, err := os.ReadFile(filepath.Join(ext, f))
			if err != nil {
				t.Fatal(err)
			}
			all.Write(src)
			all.WriteByte('\n')
			files++
		}
	}
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write(all.Bytes())
	w.Close()
	return files, all.Len(), z.Len()
}

// jsBenchText is installed in the page's own world: it changes the banner's
// text through Vue on a "heyan-bench:text" event and notes, right after Vue's
// DOM patch (this nextTick callback runs before any MutationObserver
// callback), when the result was on the page.
const jsBenchText = `(document.addEventListener("heyan-bench:text", (ev) => {
	const [flag, text] = JSON.parse(ev.detail);
	const vm = document.querySelector(".sms-box").__vue__;
	vm.tipsShow = true; vm.tipsSus = flag; vm.tipsText = text;
	vm.$nextTick(() => { document.documentElement.dataset.benchT0 = String(performance.now()); });
}), true)`

// jsLatencies triggers n results and measures, in the content script's world
// (our card's shadow root is closed to the page), the time from the result to
// the overlay showing its title. via "network" fires the event the MAIN-world
// reader fires; via "text" has the page change the banner's text through Vue
// (jsBenchText), timed from Vue's DOM patch. Both worlds share the page's
// performance clock. Statuses alternate so every result changes the card.
func jsLatencies(via string, n int) string {
	return fmt.Sprintf(`(async () => {
	const root = chrome.dom.openOrClosedShadowRoot(document.querySelector("heyan-result"));
	const out = [];
	const steps = [[3, true, "您的短信核验已全部完成,该请求将提交管局审核。"], [31, true, "您的短信核验完成,请等待其他核验人进行短信核验。"]];
	for (let i = 0; i < %d + 2; i++) {
		const [status, flag, text] = steps[i %% 2];
		const before = root.querySelector("h2")?.textContent || "";
		const done = new Promise((resolve) => {
			const mo = new MutationObserver(() => {
				const h = root.querySelector(".card:not([hidden]) h2");
				if (h && h.textContent !== before) { mo.disconnect(); resolve(performance.now()); }
			});
			mo.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
		});
		let t0 = performance.now();
		if (%q === "network") {
			document.dispatchEvent(new CustomEvent("heyan:network-result", { detail: JSON.stringify({ api: "verify", validStatus: status, validFlag: flag }) }));
		} else {
			delete document.documentElement.dataset.benchT0;
			document.dispatchEvent(new CustomEvent("heyan-bench:text", { detail: JSON.stringify([flag, text]) }));
		}
		const t1 = await Promise.race([done, new Promise((r) => setTimeout(() => r(NaN), 3000))]);
		if (%q !== "network") t0 = parseFloat(document.documentElement.dataset.benchT0);
		if (i >= 2) out.push(t1 - t0); // the first two warm up (entry lookups)
		await new Promise((r) => setTimeout(r, 200)); // results come seconds apart; let the tracker settle
	}
	return out;
})()`, n, via, via)
}

func percentile(xs []float64, p float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	i := int(p*float64(len(s)-1) + 0.5)
	return s[i]
}

func TestBenchExtension(t *testing.T) {
	e := needE2E(t)
	if os.Getenv("HEYAN_BENCH") != "1" {
		t.Skip("run by scripts/bench-extension")
	}
	coldRuns, warmRuns, results := 5, 15, 40
	if os.Getenv("HEYAN_BENCH_QUICK") == "1" { // a smoke run of the benchmark itself
		coldRuns, warmRuns, results = 1, 2, 4
	}
	load := "unknown"
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = strings.Fields(string(b))[0]
	}
	var cold, warm readyTimes
	for i := 0; i < coldRuns; i++ {
		profile := t.TempDir()
		bctx, stop := e.browser(t, profile, "zh-CN", true)
		ctx := tab(t, bctx, 60*time.Second)
		openForm(t, ctx, e, "/Integrated/ComplaintA", "")
		cold.add(eval[[]float64](t, ctx, jsReady))
		if i == 0 {
			for j := 0; j < warmRuns; j++ {
				do(t, ctx, chromedp.Reload())
				waitJS(t, ctx, `document.querySelector("heyan-result")?.getAttribute("data-ready-ms")`, 15*time.Second)
				warm.add(eval[[]float64](t, ctx, jsReady))
			}
		}
		stop()
	}

	type row struct {
		path, via string
		ms        []float64
	}
	var rows []row
	bctx, stop := e.browser(t, t.TempDir(), "zh-CN", true)
	defer stop()
	for _, c := range []struct{ path, query string }{{"in-page", ""}, {"service-worker", "csp=header"}} {
		ctx := tab(t, bctx, 120*time.Second)
		openForm(t, ctx, e, "/Integrated/ComplaintA", c.query)
		if got := eval[string](t, ctx, jsCoreWay); got != c.path {
			t.Fatalf("core path %q, want %q", got, c.path)
		}
		eval[bool](t, ctx, jsBenchText)
		for _, via := range []string{"network", "text"} {
			ms, err := tryEvalExt[[]float64](ctx, jsLatencies(via, results), chromedp.EvalAwaitPromise)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row{c.path, via, ms})
		}
	}

	pages := benchPages(t, e, coldRuns, warmRuns)
	lookup := benchLookupPage(t, e, warmRuns)

	median := func(xs []float64) float64 { return percentile(xs, 0.5) }
	var b strings.Builder
	fmt.Fprintf(&b, "## Extension\n\n")
	fmt.Fprintf(&b, "Measured by `scripts/bench-extension` (extension/e2e/bench_test.go) in headless %s on this machine (%d CPUs, "+
		"load average %s at the start), against the local page replica; %s.\n\n", chromiumVersion(), runtime.NumCPU(), load, time.Now().UTC().Format("2006-01-02"))
	files, raw, gz := contentScriptSize(t, e.ext)
	fmt.Fprintf(&b, "Content scripts on the MIIT page: each site's bundle built from module sources (scripts/bundle, esbuild), "+
		"beside the hand-listed files they replaced.\n\n")
	fmt.Fprintf(&b, "| content scripts | files | raw | gzip -9 |\n|---|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| before: listed by hand (2026-12-01, d8a7b5f) | 18 | %d B | %d B |\n", beforeScriptsRaw, beforeScriptsGzip)
	fmt.Fprintf(&b, "| now: bundled | %d | %d B (%.2f×) | %d B (%.2f×) |\n\n", files, raw, float64(raw)/beforeScriptsRaw, gz, float64(gz)/beforeScriptsGzip)
	fmt.Fprintf(&b, "Core ready in the content script (in-page core), medians in ms from the navigation's start; "+
		"ready − DCL is the wait after DOMContentLoaded (negative: ready before it); the core starts at document_start on the SMS routes "+
		"(before: on every page of the site) and elsewhere only when the SMS form shows; start → ready is its load. "+
		"Aim: ready within 150 ms of DOMContentLoaded, cold.\n\n")
	fmt.Fprintf(&b, "| profile | loads | core ready | before | DOMContentLoaded | ready − DCL (median) | ready − DCL (max) | start → ready |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, p := range []struct {
		name   string
		r      readyTimes
		before float64
	}{{"cold (new profile, first load)", cold, beforeReadyCold}, {"warm (same profile, reloads)", warm, beforeReadyWarm}} {
		fmt.Fprintf(&b, "| %s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms |\n", p.name, len(p.r.after),
			median(p.r.ready), p.before, median(p.r.dcl), median(p.r.after), slices.Max(p.r.after), median(p.r.load))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "Result to overlay: from the result (the network reader's event, or Vue changing the banner's text) to the card "+
		"showing its title, measured in the page. Aim: p95 within one frame (16 ms) on both paths.\n\n")
	fmt.Fprintf(&b, "| core | detected from | results | p50 | p95 | max |\n|---|---|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %d | %.1f ms | %.1f ms | %.1f ms |\n", r.path, r.via, len(r.ms), median(r.ms), percentile(r.ms, 0.95), slices.Max(r.ms))
	}
	fmt.Fprintf(&b, "\nThe ICP lookup page (`#/Integrated/recordQuery`, where most visits to the site go): script time of the whole page "+
		"(Chromium's ScriptDuration: the page's scripts and ours), medians of %d loads each, interleaved, with and without the extension. "+
		"There the extension is only a small watcher: the core does not start. The two rows interleave on a shared machine; a ratio within about ±0.15 of 1 is its noise.\n\n", len(lookup.with))
	fmt.Fprintf(&b, "| ICP lookup page | script time | ratio |\n|---|---:|---:|\n")
	fmt.Fprintf(&b, "| without the extension | %.1f ms | 1.00 |\n", median(lookup.without))
	fmt.Fprintf(&b, "| with the extension | %.1f ms | %.2f |\n", median(lookup.with), median(lookup.with)/median(lookup.without))
	fmt.Fprintf(&b, "\nThe extension's pages, time to interactive (from the navigation's start to the tabs working with the core up), medians in ms; "+
		"cold: a new profile's first open; warm: reloads.\n\n")
	fmt.Fprintf(&b, "| page | cold | warm |\n|---|---:|---:|\n")
	for _, p := range pages.tti {
		fmt.Fprintf(&b, "| %s | %.1f ms (%d) | %.1f ms (%d) |\n", p.page, median(p.cold), len(p.cold), median(p.warm), len(p.warm))
	}
	fmt.Fprintf(&b, "\nThe options page with %d people and %d filings (medians of %d): render is from the navigation's start (people) or the tab's click (filings) to every card drawn; "+
		"filter is from one key typed in the filter to the list laid out with the matches. Aim: filtering within a frame (16 ms).\n\n",
		pages.people, pages.filings, len(pages.peopleRender))
	fmt.Fprintf(&b, "| tab | render | filter |\n|---|---:|---:|\n")
	fmt.Fprintf(&b, "| people | %.1f ms | %.1f ms |\n", median(pages.peopleRender), median(pages.peopleFilter))
	fmt.Fprintf(&b, "| filings | %.1f ms | %.1f ms |\n", median(pages.filingsRender), median(pages.filingsFilter))
	t.Log("\n" + b.String())
	if out := os.Getenv("HEYAN_BENCH_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func chromiumVersion() string {
	out, err := exec.Command(chromiumPath(), "--version").Output()
	if err != nil {
		return "Chromium"
	}
	return strings.TrimSpace(string(out))
}

// pageNumbers are the extension's pages' times.
type pageNumbers struct {
	tti []struct {
		page       string
		cold, warm []float64
	}
	people, filings              int
	peopleRender, peopleFilter   []float64
	filingsRender, filingsFilter []float64
}

// jsTTI is when a page of ours said it was interactive, in ms from its
// navigation's start.
const jsTTI = `(() => new Promise((resolve) => {
	const done = () => document.documentElement.dataset.ready === "1";
	const tick = () => done() ? resolve(performance.now()) : setTimeout(tick, 1);
	tick();
}))()`

// benchPages measures the popup and the options page, and the options page
// with hundreds of records.
func benchPages(t *testing.T, e *env, coldRuns, warmRuns int) pageNumbers {
	var out pageNumbers
	urls := map[string]string{
		"popup":   "chrome-extension://" + e.extensionID() + "/pages/popup/popup.html#who",
		"options": "chrome-extension://" + e.extensionID() + "/pages/options/options.html#people",
	}
	for _, page := range []string{"popup", "options"} {
		var cold, warm []float64
		for i := 0; i < coldRuns; i++ {
			bctx, stop := e.browser(t, t.TempDir(), "zh-CN", true)
			ctx := tab(t, bctx, 60*time.Second)
			serviceWorker(t, ctx) // the extension is loaded: its pages exist
			do(t, ctx, chromedp.Navigate(urls[page]))
			cold = append(cold, evalAwait[float64](t, ctx, jsTTI))
			if i == 0 {
				for j := 0; j < warmRuns; j++ {
					do(t, ctx, chromedp.Reload())
					warm = append(warm, evalAwait[float64](t, ctx, jsTTI))
				}
			}
			stop()
		}
		out.tti = append(out.tti, struct {
			page       string
			cold, warm []float64
		}{page, cold, warm})
	}

	// Hundreds of records, put through the worker as the page does.
	out.people, out.filings = 200, 100
	bctx, stop := e.browser(t, t.TempDir(), "zh-CN", true)
	defer stop()
	ctx := tab(t, bctx, 6*time.Minute)
	serviceWorker(t, ctx)
	do(t, ctx, chromedp.Navigate(strings.Replace(urls["options"], "#people", "#backup", 1))) // no list to redraw while seeding
	evalAwait[float64](t, ctx, jsTTI)
	evalAwait[bool](t, ctx, fmt.Sprintf(`(async () => {
		const send = async (m) => { const r = await chrome.runtime.sendMessage(m); if (!r.ok) throw new Error(r.message); return r.value; };
		const ids = [];
		for (let i = 0; i < %d; i++) {
			const p = await send({type: "save-person", id: "", lang: "zh-CN", person: {name: "人员" + i, role: ["principal", "app-owner", "service-owner"][i %% 3],
				phone: String(13800000000 + i * 7), docType: "resident-id", province: "", idLast6: String(150000 + i), filing: ""}});
			ids.push(p.saved.id);
		}
		for (let i = 0; i < %d; i++) {
			await send({type: "put-filing", id: "", lang: "zh-CN", filing: {name: "备案" + i, platform: "douyin-miniapp", scenario: "renamed",
				people: [{role: "principal", personId: ids[2 * i]}, {role: "app-owner", personId: ids[2 * i + 1]}], smsAt: new Date(Date.now() - 3600e3).toISOString()}});
		}
		return true;
	})()`, out.people, out.filings))
	jsFilter := func(panel string) string {
		return fmt.Sprintf(`(async () => {
			const input = document.querySelector("#%s-filter");
			const t0 = performance.now();
			input.value = input.value ? "" : "9";
			input.dispatchEvent(new Event("input"));
			void document.body.offsetHeight; // style and layout of the new list, as the next frame needs them
			return performance.now() - t0;
		})()`, panel)
	}
	// In the page: when the n-th card of a list is there and laid out
	// (checked every millisecond: a tab in the background gets no frames).
	jsDrawn := func(sel string, n int) string {
		return fmt.Sprintf(`new Promise((resolve) => { const tick = () => document.querySelectorAll(%q).length === %d ? (void document.body.offsetHeight, resolve(performance.now())) : setTimeout(tick, 1); tick(); })`, sel, n)
	}
	for i := 0; i < max(1, coldRuns); i++ {
		eval[bool](t, ctx, `(history.replaceState(null, "", "#people"), true)`) // the reload opens the people tab
		do(t, ctx, chromedp.Reload())
		out.peopleRender = append(out.peopleRender, evalAwait[float64](t, ctx, jsDrawn("#panel-people .person", out.people)))
		for j := 0; j < 4; j++ {
			out.peopleFilter = append(out.peopleFilter, evalAwait[float64](t, ctx, jsFilter("people")))
		}
		out.filingsRender = append(out.filingsRender, evalAwait[float64](t, ctx, `(async () => { const t0 = performance.now();
			document.querySelector("#tab-filings").click(); return (await `+jsDrawn("#panel-filings .filing", out.filings)+`) - t0; })()`))
		for j := 0; j < 4; j++ {
			out.filingsFilter = append(out.filingsFilter, evalAwait[float64](t, ctx, jsFilter("filings")))
		}
	}
	return out
}

// lookupNumbers are the ICP lookup page's script times, in ms.
type lookupNumbers struct{ with, without []float64 }

// benchLookupPage loads the ICP lookup page with and without the extension,
// interleaved, and reads the page's script time once it has settled.
func benchLookupPage(t *testing.T, e *env, runs int) lookupNumbers {
	var out lookupNumbers
	withCtx, stopWith := e.browser(t, t.TempDir(), "zh-CN", true)
	defer stopWith()
	withoutCtx, stopWithout := e.browser(t, t.TempDir(), "zh-CN", false)
	defer stopWithout()
	scriptMs := func(bctx context.Context) float64 {
		ctx := tab(t, bctx, 60*time.Second)
		if _, err := chromedp.Call(ctx, performance.Enable, performance.EnableParams{}); err != nil {
			t.Fatal(err)
		}
		do(t, ctx, chromedp.Navigate(e.url("/Integrated/recordQuery", "")))
		waitJS(t, ctx, `document.querySelector(".record-query")`, 15*time.Second)
		// Settled: the watcher has had its look at what the page drew.
		evalAwait[bool](t, ctx, `new Promise((r) => setTimeout(() => requestAnimationFrame(() => r(true)), 300))`)
		m, err := chromedp.Call(ctx, performance.GetMetrics, cdp.Empty{})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range m.Metrics {
			if x.Name == "ScriptDuration" {
				return x.Value * 1000
			}
		}
		t.Fatal("no ScriptDuration metric")
		return 0
	}
	for i := 0; i < max(2, runs); i++ {
		out.without = append(out.without, scriptMs(withoutCtx))
		out.with = append(out.with, scriptMs(withCtx))
	}
	return out
}
