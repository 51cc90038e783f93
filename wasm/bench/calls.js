// Times heyanCore calls under Node; prints JSON {name: {p50, p95}} in ms.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const root = path.resolve(__dirname, "..", "..");
const dist = path.join(root, "dist", "wasm");
require(path.join(dist, "wasm_exec.js"));
const { loadHeyanCore } = require(path.join(dist, "heyan-core.js"));

// A page-shaped text of 20 KB: the MIIT page's own text repeated (menus,
// notices, form labels) with one result banner, as the extension sees it.
const page = fs.readFileSync(path.join(root, "core", "testdata", "pages", "miit-menus-only.txt"), "utf8");
const banner = "尊敬的ICP用户： 您的短信核验失败,请输入正确的信息。\n";
let text20k = "";
while (Buffer.byteLength(text20k + banner) < 20 * 1024) text20k += page;
text20k = text20k.slice(0, text20k.length / 2) + banner + text20k.slice(text20k.length / 2);
// The worst case: every line a message.
let worst20k = "";
const blog = fs.readFileSync(path.join(root, "core", "testdata", "pages", "blog-quotes.txt"), "utf8");
while (Buffer.byteLength(worst20k) < 20 * 1024) worst20k += blog;

loadHeyanCore(fs.readFileSync(path.join(dist, "heyan-core.wasm"))).then((core) => {
  const events = [{ type: "sms-received", at: "2026-05-01T09:00:00+08:00" }, { type: "verify-result", status: 2, at: "2026-05-01T09:05:00+08:00" }];
  const cases = {
    "diagnose, 20 KB page, one banner": () => core.diagnose(text20k),
    "diagnose, 20 KB of quoted messages (worst case)": () => core.diagnose(worst20k),
    "diagnose, one banner text": () => core.diagnose(banner),
    "checkPhone": () => core.checkPhone("+86 138 0013 8000"),
    "checkId (18 characters)": () => core.checkId("11010519491231002X"),
    "track (2 events)": () => core.track(events, "2026-05-01T10:00:00+08:00"),
    "who": () => core.who("douyin-miniapp", "renamed"),
    "kb": () => core.kb("verify-wrong-info"),
  };
  const out = { bytes20k: Buffer.byteLength(text20k), matchesWorst: core.diagnose(worst20k).matches.length };
  for (const [name, f] of Object.entries(cases)) {
    for (let i = 0; i < 300; i++) f();
    const times = [];
    for (let i = 0; i < 2000; i++) {
      const s = performance.now();
      f();
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    out[name] = { p50: times[Math.floor(times.length * 0.5)], p95: times[Math.floor(times.length * 0.95)] };
  }
  console.log(JSON.stringify(out));
});
