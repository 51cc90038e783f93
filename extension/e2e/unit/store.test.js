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
    assert.deepStrictEqual(JSON.parse(JSON.stringify(s)), { schema: 1, people: [], selected: "", series: {} }, raw);
  }
});

test("current state is kept as it is", () => {
  const s = run(`migrateState({schema: 1, people: [{id: "a"}], selected: "a", series: {"phone:1": {events: [], smsAsked: true}}})`);
  assert.strictEqual(s.people[0].id, "a");
  assert.strictEqual(s.series["phone:1"].smsAsked, true);
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
