// Writes the "core" section of docs/PERFORMANCE.md from the results
// scripts/bench-core gathered (a JSON file): node report.js RESULTS.json

const fs = require("node:fs");
const r = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (b) => `${Math.round(b / 1024).toLocaleString("en")} KB`;
const bytes = (b) => `${b.toLocaleString("en")} B`;
const ms = (x, d = 1) => `${x.toFixed(d)} ms`;
const us = (x) => `${Math.round(x * 1000)} µs`;
const ratio = (a, b) => (a / b).toFixed(2);
const native = (s) => {
  const [ns, mbs, b, allocs] = s.split(" ").map(Number);
  return { ns, mbs, b, allocs };
};

const readyRows = r.ready
  .split(";")
  .filter(Boolean)
  .map((l) => l.trim().split(/\s+/).map(Number));
const ready = {
  bare: median(readyRows.map((x) => x[0])),
  nodata: median(readyRows.map((x) => x[1])),
  core: median(readyRows.map((x) => x[2])),
};
const spread = (i) =>
  `${Math.min(...readyRows.map((x) => x[i])).toFixed(1)}–${Math.max(...readyRows.map((x) => x[i])).toFixed(1)}`;
const chrome = {
  core: median(r.chromium.core),
  bare: median(r.chromium.bare),
  coreMin: Math.min(...r.chromium.core),
  bareMin: Math.min(...r.chromium.bare),
};
const readyMin = {
  bare: Math.min(...readyRows.map((x) => x[0])),
  nodata: Math.min(...readyRows.map((x) => x[1])),
  core: Math.min(...readyRows.map((x) => x[2])),
};
const n20 = native(r.native["20k"]),
  n200 = native(r.native["200k"]),
  n64 = native(r.native["64k"]);
const c = r.calls.calls,
  t = r.calls.texts;
const d20 = c["diagnose, 20 KB page, one banner"],
  p20 = c["peer, 20 KB page, one banner"];
const d200 = c["diagnose, 200 KiB of pages"],
  p200 = c["peer, 200 KiB of pages"];
const [coreRaw, coreGz] = r.sizes.core,
  [bareRaw, bareGz] = r.sizes.bare,
  [ndRaw, ndGz] = r.sizes.nodata;

// Parts of the build: the core's own packages and what they pull in.
const parts = (code) => {
  const sum = (f) =>
    Object.entries(code)
      .filter(([k]) => f(k))
      .reduce((a, [, v]) => a + v, 0);
  const runtime = (k) =>
    k === "runtime" ||
    k.startsWith("runtime_") ||
    (k.startsWith("internal/") && k !== "internal/strconv" && k !== "internal/reflectlite") ||
    ["sync", "sync/atomic", "errors", "iter", "(other)"].includes(k);
  return [
    ["Go runtime (runtime, internal/*, sync, errors)", sum(runtime)],
    ["syscall/js", sum((k) => k === "syscall/js")],
    ["strconv and internal/strconv", sum((k) => k === "strconv" || k === "internal/strconv")],
    ["strings", sum((k) => k === "strings")],
    ["unicode (strings.ToUpper's case table and its init)", sum((k) => k === "unicode")],
    ["unicode/utf8", sum((k) => k === "unicode/utf8")],
    ["internal/reflectlite (errors' package init; errors.As adds far more)", sum((k) => k === "internal/reflectlite")],
    ["compiler-made (type equality and hashing)", sum((k) => k === "(compiler)")],
    ["core (github.com/heyan-dev/heyan/core)", sum((k) => k === "github.com/heyan-dev/heyan/core")],
    ["the glue (wasm/: methods, argument checks, JSON)", sum((k) => k === "main")],
  ];
};
const pc = parts(r.partsCore.code),
  pb = parts(r.partsBare.code);
let partRows = "";
for (let i = 0; i < pc.length; i++) {
  if (pc[i][1] < 512 && pb[i][1] < 512) continue; // nothing to speak of
  partRows += `| ${pc[i][0]} | ${kb(pb[i][1])} | ${kb(pc[i][1])} | ${pc[i][1] - pb[i][1] >= 0 ? "+" : ""}${kb(pc[i][1] - pb[i][1])} |\n`;
}
partRows += `| data (strings, tables, type and function metadata) | ${kb(r.partsBare.data)} | ${kb(r.partsCore.data)} | +${kb(r.partsCore.data - r.partsBare.data)} |\n`;

const kept = {
  "encoding/json": "results cross as JSON written field by field (wasm/json.go, wasm/convert.go)",
  fmt: "strings are joined by hand",
  regexp: "detection is an Aho–Corasick automaton",
  "time (Parse/Format)": "core/instant.go reads and writes RFC 3339 itself",
  "time (only time.Now)": "the package's initialization alone costs this; time is a parameter",
  "embed (links io/fs, time)": "the data is generated Go (core/data_gen.go, core/detector_gen.go)",
  "errors.As (internal/reflectlite)": "core.AsError walks the error tree itself",
  "strconv.Atoi and its error": "no number is parsed at start: the data is generated",
  "slices.SortStableFunc (one instance)":
    "Find keeps its matches in order as it finds them; the tracker has its own merge sort",
  "strings.ToLower, Fields, TrimSpace (Unicode tables)":
    "lowerASCII and trimSpace decide the same for what they compare",
  "strings.ToUpper (Unicode case table)":
    "kept: a passport or permit number is upper-cased as before (used, so in the table above)",
};
let costRows = "";
for (const [dep, add] of Object.entries(r.costs)) costRows += `| ${dep} | ${kb(add)} | ${kept[dep] || ""} |\n`;

let callRows = "";
for (const [name, v] of Object.entries(c)) callRows += `| ${name} | ${v.p50.toFixed(3)} | ${v.p95.toFixed(3)} |\n`;

const aim = (ok) => (ok ? "met" : "**missed**");
const gzRatio = coreGz / bareGz,
  chromeRatio = chrome.core / chrome.bare;

console.log(`## Core: size, start and diagnose

Measured by \`scripts/bench-core\` on ${r.date}, ${r.cpus} CPUs (load average ${r.loadStart} at the start, ${r.loadEnd} at the end: the machine is shared, so tails are noisy), ${r.go}, Node ${r.node}, ${r.chromium.chromium}. Every floor and peer below was built and measured in the same run. Rerun it to refresh this section.

### Against the floor

| measure | the core | floor or peer | ratio | aim |
|---|---|---|---|---|
| wasm, gzip -9 | ${bytes(coreGz)} | bare Go runtime ${bytes(bareGz)} | ${ratio(coreGz, bareGz)} | ≤ 1.2: ${aim(gzRatio <= 1.2)} |
| Chromium cold, first script → ready (median of ${r.chromium.core.length}; fastest) | ${ms(chrome.core)}; ${ms(chrome.coreMin)} | bare Go runtime ${ms(chrome.bare)}; ${ms(chrome.bareMin)} | ${ratio(chrome.core, chrome.bare)}; ${ratio(chrome.coreMin, chrome.bareMin)} | ≤ 1.3: ${aim(chromeRatio <= 1.3)} |
| Node, .wasm bytes → ready (median of ${readyRows.length} fresh processes; fastest) | ${ms(ready.core)}; ${ms(readyMin.core)} | the core without its data ${ms(ready.nodata)}; ${ms(readyMin.nodata)} | ${ratio(ready.core, ready.nodata)}; ${ratio(readyMin.core, readyMin.nodata)} | |
| Node, .wasm bytes → ready | ${ms(ready.core)}; ${ms(readyMin.core)} | bare Go runtime ${ms(ready.bare)}; ${ms(readyMin.bare)} | ${ratio(ready.core, ready.bare)}; ${ratio(readyMin.core, readyMin.bare)} | |
| diagnose, 20 KB page, in wasm (p50) | ${us(d20.p50)} | plain-JS peer ${us(p20.p50)} | ${ratio(d20.p50, p20.p50)} | under 250 µs: ${aim(d20.p50 < 0.25)} |
| diagnose, 200 KiB with ${t.pages200k.matches} matches, in wasm (p50) | ${ms(d200.p50, 2)} | native Go ${ms(n200.ns / 1e6, 2)} | ${ratio(d200.p50, n200.ns / 1e6)} | under 5 ms: ${aim(d200.p50 < 5)} |

A busy machine slows some loads several-fold, so the start rows give the fastest load beside the median: it is the least disturbed measure of what each program costs. The plain-JS peer (wasm/bench/peer.js) normalizes the text as the core does and looks for each knowledge text with \`String.includes\`: it says which messages a text holds, not where or how often, and builds nothing to return; it is checked to find the same messages. On the 200 KiB text it takes ${ms(p200.p50, 2)}. "Native Go" is \`core.Diagnose\` alone; the wasm figure is the whole \`heyanCore.diagnose\` call (the text into Go, the JSON out, \`JSON.parse\`).

### Diagnose, native
BenchmarkDiagnose, a 64 KiB page-shaped text with 16 matches (median of ${r.quick ? 1 : 5} runs): **${n64.mbs} MB/s** (${n64.ns} ns/op), ${n64.b} B/op, ${n64.allocs} allocs/op. The 20 KB page: ${us(n20.ns / 1e6)} (${n20.mbs} MB/s); the 200 KiB text: ${ms(n200.ns / 1e6, 2)} (${n200.mbs} MB/s), ${n200.b} B/op in ${n200.allocs} allocations.

A page's text is folded and matched in one pass through tables generated with the knowledge base (core/detector_gen.go): a rune's symbol is one lookup, the automaton's next state another. Matches are kept in order as they are found (no sort), and each entry is explained once per call however often it matches.

### WebAssembly size
| build | raw | gzip -9 |
|---|---|---|
| bare Go runtime (syscall/js, a main that says it is ready) | ${kb(bareRaw)} | ${kb(bareGz)} |
| the core without its data (\`gendata -empty\`) | ${kb(ndRaw)} | ${kb(ndGz)} |
| heyan-core.wasm | ${kb(coreRaw)} | ${kb(coreGz)} |

What the core is made of (function code from the module's name section, scripts/wasm-size), beside the bare runtime:

| part | bare runtime | heyan-core.wasm | difference |
|---|---|---|---|
${partRows}
The knowledge data is ${kb(r.dataBytes)} of text in core/data; generated, it is Go strings and the detector's tables in the data section, and no code runs for it at start.

What a dependency the core does without would add to the bare runtime (raw, -s -w; each probe uses it once):

| dependency | adds | instead |
|---|---|---|
${costRows}
### Under Node
From the .wasm's bytes to ready (compile, instantiate, Go's runtime and main; fresh process each, interleaved): bare runtime ${ms(ready.bare)} (${spread(0)}), the core without its data ${ms(ready.nodata)} (${spread(1)}), the core ${ms(ready.core)} (${spread(2)}). heyan-core.js hands bytes straight to WebAssembly without naming \`Response\`, which in Node loads its whole fetch machinery.

| call | p50 ms | p95 ms |
|---|---|---|
${callRows}
The texts (wasm/bench/texts.js): the 20 KB page is ${t.page20k.bytes.toLocaleString("en")} bytes of the MIIT page's own text with one result banner (${t.page20k.matches} match); the worst case is ${t.quoted20k.bytes.toLocaleString("en")} bytes of quoted messages (${t.quoted20k.matches} matches); the 200 KiB text is every test page in turn (${t.pages200k.bytes.toLocaleString("en")} bytes, ${t.pages200k.matches} matches, ${t.pages200k.json.toLocaleString("en")} bytes of JSON).`);
