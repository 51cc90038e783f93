// Unit tests of the service worker's pure parts (schema migration, masking,
// people), run with node's test runner by scripts/test-extension. The files
// are classic scripts, so they are evaluated in one shared context, as
// importScripts does in the worker.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const ext = path.join(__dirname, "..", "..");
const ctx = vm.createContext({ crypto: globalThis.crypto });
for (const f of ["background/store.js", "background/people.js", "background/tracking.js"]) {
  vm.runInContext(fs.readFileSync(path.join(ext, f), "utf8"), ctx, { filename: f });
}
const run = (code) => vm.runInContext(code, ctx);

test("a fresh install migrates to the current schema", () => {
  for (const raw of ["undefined", "null", "({})", "({schema: 0})", "'junk'"]) {
    const s = run(`migrateState(${raw})`);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(s)), { schema: 2, people: [], selected: "", series: {} }, raw);
  }
});

test("current state is kept as it is", () => {
  const s = run(`migrateState({schema: 2, people: [{id: "a", province: "zhejiang"}], selected: "a", series: {"phone:1": {events: [], smsAsked: true}}})`);
  assert.strictEqual(s.people[0].id, "a");
  assert.strictEqual(s.people[0].province, "zhejiang");
  assert.strictEqual(s.series["phone:1"].smsAsked, true);
});

test("schema 1 people gain an empty province, everything else kept", () => {
  const v1 = {
    schema: 1,
    people: [{ id: "a", name: "A", role: "principal", phone: "13800138000", docType: "hk-macau-permit", idLast6: "345678", filing: "x" }],
    selected: "a",
    series: { "filing:x": { events: [{ type: "sms-received", at: "2026-05-01T08:00:00Z" }], smsAsked: true } },
  };
  const s = JSON.parse(JSON.stringify(run(`migrateState(${JSON.stringify(v1)})`)));
  assert.deepStrictEqual(s, { ...v1, schema: 2, people: [{ ...v1.people[0], province: "" }] });
});

test("the province is kept only for an HK/Macau permit in Zhejiang", () => {
  assert.strictEqual(run(`provinceFor("hk-macau-permit", "zhejiang")`), "zhejiang");
  for (const [doc, prov] of [["resident-id", "zhejiang"], ["hk-macau-permit", ""], ["hk-macau-permit", "guangdong"], ["passport", "zhejiang"]]) {
    assert.strictEqual(run(`provinceFor(${JSON.stringify(doc)}, ${JSON.stringify(prov)})`), "", doc + " " + prov);
  }
});

test("deleting a person forgets them and the selection; the popup sees the ID last 6, the page does not", () => {
  const s = run(`(() => {
    const st = migrateState(undefined);
    const a = savePerson(st, {name: "A", role: "principal", phone: "13800138000", docType: "resident-id", province: "", idLast6: "150012", filing: ""});
    savePerson(st, {name: "B", role: "app-owner", phone: "13800138001", docType: "resident-id", province: "", idLast6: "150013", filing: ""});
    st.selected = a.id;
    deletePerson(st, a.id);
    return st;
  })()`);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(s.people.map((p) => p.name))), ["B"]);
  assert.strictEqual(s.selected, "");
  const rec = JSON.parse(JSON.stringify(run(`personRecord(${JSON.stringify(s.people[0])})`)));
  assert.strictEqual(rec.idLast6, "150013");
  assert.strictEqual(rec.phoneMasked, "138****8001");
  assert.ok(!JSON.stringify(rec).includes("13800138001"));
  assert.ok(!("idLast6" in JSON.parse(JSON.stringify(run(`personView(${JSON.stringify(s.people[0])})`)))));
});

test("rounds are listed newest first, by filing name or masked phone, and can be cleared", () => {
  const views = JSON.parse(JSON.stringify(run(`(() => {
    const st = migrateState(undefined);
    savePerson(st, {name: "A", role: "principal", phone: "13800138000", docType: "resident-id", province: "", idLast6: "150012", filing: "小程序"});
    seriesFor(st, "filing:小程序", "2026-05-01T08:00:00Z");
    const r = seriesFor(st, "phone:13900139000", "2026-05-01T09:00:00Z");
    recordResult(r, "verify", 2, "2026-05-01T10:00:00Z");
    seriesFor(st, "phone:13700137000", "2026-05-01T07:00:00Z");
    clearRound(st, "phone:13700137000");
    const core = {track: (events) => ({attemptsLeft: 5 - events.filter((e) => e.type === "verify-result").length})};
    return roundViews(core, st, "2026-05-01T11:00:00Z", "zh-CN");
  })()`)));
  assert.deepStrictEqual(views.map((v) => [v.label, v.track.attemptsLeft, v.people.map((p) => p.name + " " + p.phoneMasked)]), [
    ["139****9000", 4, []],
    ["小程序", 5, ["A 138****8000"]],
  ]);
});

test("state from a newer version is refused, not damaged", () => {
  assert.throws(() => run(`migrateState({schema: 99, people: []})`), /schema 99/);
});

test("phones are masked, people are keyed by phone and role", () => {
  assert.strictEqual(run(`maskPhone("13800138000")`), "138****8000");
  const s = run(`(() => {
    const st = migrateState(undefined);
    savePerson(st, {name: "A", role: "principal", phone: "13800138000", docType: "resident-id", idLast6: "150012", filing: ""});
    savePerson(st, {name: "B", role: "principal", phone: "13800138000", docType: "resident-id", idLast6: "150013", filing: ""});
    savePerson(st, {name: "C", role: "app-owner", phone: "13800138000", docType: "resident-id", idLast6: "150014", filing: "x"});
    return st;
  })()`);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(s.people.map((p) => p.name))), ["B", "C"]);
  assert.strictEqual(s.selected, s.people[1].id);
  assert.ok(!JSON.stringify(run(`personView(${JSON.stringify(s.people[0])})`)).includes("13800138000"));
});

test("a round starts with the SMS at first sight; the user's answer replaces it once", () => {
  const s = run(`(() => {
    const st = migrateState(undefined);
    const r = seriesFor(st, "phone:13800138000", "2026-05-01T08:00:00Z");
    recordResult(r, "verify", 2, "2026-05-01T09:00:00Z");
    setSmsTime(r, "2026-05-01T07:30:00Z");
    return r;
  })()`);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(s)), {
    events: [
      { type: "sms-received", at: "2026-05-01T07:30:00Z" },
      { type: "verify-result", status: 2, at: "2026-05-01T09:00:00Z" },
    ],
    smsAsked: true,
  });
});

test("the manifest's fill command suggests the key the page listens for", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ext, "manifest.json"), "utf8"));
  const bar = fs.readFileSync(path.join(ext, "content/assistant-bar.js"), "utf8");
  const label = /const FILL_SHORTCUT = \{ code: "(\w+)", label: "([^"]+)" \}/.exec(bar);
  assert.ok(label, "FILL_SHORTCUT not found in content/assistant-bar.js");
  assert.strictEqual(manifest.commands["fill-person"].suggested_key.default, label[2]);
  assert.strictEqual("Key" + label[2].slice(-1), label[1]);
});
