// Times heyanCore calls under Node, and the plain-JS peer of diagnose on the
// same texts (peer.js); prints JSON {texts: {name: {bytes, matches}},
// calls: {name: {p50, p95}}} in ms. Run by scripts/bench-core after
// scripts/build-wasm; BENCH_QUICK=1 times fewer calls.

const fs = require("node:fs");
const path = require("node:path");
const assert = require("node:assert/strict");
const { texts, banner } = require("./texts.js");
const { makePeer } = require("./peer.js");
const dist = path.resolve(__dirname, "..", "..", "dist", "wasm");
require(path.join(dist, "wasm_exec.js"));
const { loadHeyanCore } = require(path.join(dist, "heyan-core.js"));

const quick = process.env.BENCH_QUICK === "1";

/** time runs f after a warm-up and returns its p50 and p95 in ms. */
function time(f, n) {
  for (let i = 0; i < Math.max(10, n / 10); i++) f();
  const times = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    f();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)], p95: times[Math.floor(n * 0.95)] };
}

loadHeyanCore(fs.readFileSync(path.join(dist, "heyan-core.wasm"))).then((core) => {
  const t = texts();
  const peer = makePeer();
  const out = { texts: {}, calls: {} };
  for (const [name, text] of Object.entries(t)) {
    const d = core.diagnose(text);
    // The peer finds the same messages, or comparing with it means nothing.
    assert.deepEqual(peer(text).sort(), [...new Set(d.matches.map((m) => m.id))].sort(), name);
    out.texts[name] = { bytes: Buffer.byteLength(text), matches: d.matches.length, json: JSON.stringify(d).length };
  }
  const events = [
    { type: "sms-received", at: "2026-05-01T09:00:00+08:00" },
    { type: "verify-result", status: 2, at: "2026-05-01T09:05:00+08:00" },
  ];
  const n = quick ? 200 : 2000;
  const cases = {
    "diagnose, 20 KB page, one banner": [() => core.diagnose(t.page20k), n],
    "peer, 20 KB page, one banner": [() => peer(t.page20k), n],
    "diagnose, 20 KB of quoted messages (worst case)": [() => core.diagnose(t.quoted20k), n],
    "peer, 20 KB of quoted messages": [() => peer(t.quoted20k), n],
    "diagnose, 200 KiB of pages": [() => core.diagnose(t.pages200k), quick ? 20 : 200],
    "peer, 200 KiB of pages": [() => peer(t.pages200k), quick ? 20 : 200],
    "diagnose, one banner text": [() => core.diagnose(banner), n],
    checkPhone: [() => core.checkPhone("+86 138 0013 8000"), n],
    "checkId (18 characters)": [() => core.checkId("11010519491231002X"), n],
    "track (2 events)": [() => core.track(events, "2026-05-01T10:00:00+08:00"), n],
    who: [() => core.who("douyin-miniapp", "renamed"), n],
    kb: [() => core.kb("verify-wrong-info"), n],
    rules: [() => core.rules(), n],
  };
  for (const [name, [f, count]] of Object.entries(cases)) out.calls[name] = time(f, count);
  console.log(JSON.stringify(out));
});
