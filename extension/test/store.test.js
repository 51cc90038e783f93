// Unit tests of the service worker's parts (schema migration, masking,
// people, rounds, per-tab choice, serialized writes, answers counted once)
// and of messages.js's send (sent again when the worker went away), run with node's test
// runner by scripts/test-extension. The files are classic scripts, so they
// are evaluated in one shared context, as importScripts does in the worker,
// with an in-memory chrome.storage whose reads and writes take turns with
// other tasks (as the real one's do).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const ext = path.join(__dirname, "..", "..");
/** An async storage area: each get and set yields to other tasks first. */
function fakeArea() {
  const data = {};
  const later = (v) => new Promise((r) => setTimeout(() => r(v), Math.random() * 5));
  return {
    data,
    get: (key) => later({ [key]: data[key] === undefined ? undefined : JSON.parse(JSON.stringify(data[key])) }),
    set: (obj) => later(Object.assign(data, JSON.parse(JSON.stringify(obj)))),
  };
}
const chrome = { storage: { local: fakeArea(), session: fakeArea() } };
const ctx = vm.createContext({ crypto: globalThis.crypto, chrome, console, setTimeout, Date });
for (const f of ["background/store.js", "background/people.js", "background/tracking.js", "background/selection.js"]) {
  vm.runInContext(fs.readFileSync(path.join(ext, f), "utf8"), ctx, { filename: f });
}
const run = (code) => vm.runInContext(code, ctx);

test("a fresh install migrates to the current schema", () => {
  for (const raw of ["undefined", "null", "({})", "({schema: 0})", "'junk'"]) {
    const s = run(`migrateState(${raw})`);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(s)), { schema: 3, people: [], series: {} }, raw);
  }
});

test("current state is kept as it is", () => {
  const s = run(`migrateState({schema: 3, people: [{id: "a", province: "zhejiang"}], series: {"phone:1": {events: [], smsAsked: true}}})`);
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
  const { selected, ...rest } = v1;
  assert.deepStrictEqual(s, { ...rest, schema: 3, people: [{ ...v1.people[0], province: "" }] });
});

test("schema 2 → 3: the global choice goes, rounds only typing started are dropped", () => {
  const sms = { type: "sms-received", at: "2026-05-01T08:00:00Z" };
  const v2 = {
    schema: 2, people: [], selected: "a",
    series: {
      "phone:13800138000": { events: [sms], smsAsked: false }, // typed, nothing else
      "phone:13800138001": { events: [sms], smsAsked: true }, // the user gave the SMS time
      "phone:13800138002": { events: [sms, { type: "verify-result", status: 2, at: "2026-05-01T09:00:00Z" }], smsAsked: false },
      "filing:x": { events: [sms], smsAsked: false },
    },
  };
  const s = JSON.parse(JSON.stringify(run(`migrateState(${JSON.stringify(v2)})`)));
  assert.strictEqual(s.schema, 3);
  assert.ok(!("selected" in s));
  assert.deepStrictEqual(Object.keys(s.series).sort(), ["filing:x", "phone:13800138001", "phone:13800138002"]);
});

test("the province is kept only for an HK/Macau permit in Zhejiang", () => {
  assert.strictEqual(run(`provinceFor("hk-macau-permit", "zhejiang")`), "zhejiang");
  for (const [doc, prov] of [["resident-id", "zhejiang"], ["hk-macau-permit", ""], ["hk-macau-permit", "guangdong"], ["passport", "zhejiang"]]) {
    assert.strictEqual(run(`provinceFor(${JSON.stringify(doc)}, ${JSON.stringify(prov)})`), "", doc + " " + prov);
  }
});

test("deleting a person forgets them; the popup sees the ID last 6, the page does not", () => {
  const s = run(`(() => {
    const st = migrateState(undefined);
    const a = savePerson(st, {name: "A", role: "principal", phone: "13800138000", docType: "resident-id", province: "", idLast6: "150012", filing: ""});
    savePerson(st, {name: "B", role: "app-owner", phone: "13800138001", docType: "resident-id", province: "", idLast6: "150013", filing: ""});
    deletePerson(st, a.id);
    return st;
  })()`);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(s.people.map((p) => p.name))), ["B"]);
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
    recordResult(r, "verify", 2, "2026-05-01T10:00:00Z", false);
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
  assert.ok(!JSON.stringify(run(`personView(${JSON.stringify(s.people[0])})`)).includes("13800138000"));
});

test("a round starts with the SMS at first sight; the user's answer replaces it once", () => {
  const s = run(`(() => {
    const st = migrateState(undefined);
    const r = seriesFor(st, "phone:13800138000", "2026-05-01T08:00:00Z");
    recordResult(r, "verify", 2, "2026-05-01T09:00:00Z", false);
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

const person = (name, phone, idLast6, filing, role = "principal") =>
  `{name: ${JSON.stringify(name)}, role: ${JSON.stringify(role)}, phone: ${JSON.stringify(phone)}, docType: "resident-id", province: "", idLast6: ${JSON.stringify(idLast6)}, filing: ${JSON.stringify(filing)}}`;

test("an answer goes to the round of the person chosen in the tab when the phone is theirs", () => {
  const keys = JSON.parse(JSON.stringify(run(`(() => {
    const st = migrateState(undefined);
    const a = savePerson(st, ${person("A", "13800138000", "150012", "小程序甲")});
    const b = savePerson(st, ${person("B", "13800138000", "150012", "小程序乙", "app-owner")});
    const c = savePerson(st, ${person("C", "13800138009", "150019", "小程序丙")});
    return {
      none: seriesKey(st, "13800138000", ""),
      a: seriesKey(st, "13800138000", a.id),
      b: seriesKey(st, "13800138000", b.id),
      other: seriesKey(st, "13800138000", c.id), // chosen, but not this phone's
      unknown: seriesKey(st, "13900139000", a.id),
    };
  })()`)));
  assert.deepStrictEqual(keys, { none: "filing:小程序甲", a: "filing:小程序甲", b: "filing:小程序乙", other: "filing:小程序甲", unknown: "phone:13900139000" });
});

test("saving a phone with a filing moves the phone's round into the filing's (counts kept)", () => {
  const st = JSON.parse(JSON.stringify(run(`(() => {
    const st = migrateState(undefined);
    const r = seriesFor(st, "phone:13800138000", "2026-05-01T08:00:00Z");
    recordResult(r, "verify", 2, "2026-05-01T09:00:00Z", false);
    savePerson(st, ${person("A", "13800138000", "150012", "小程序")});
    return st;
  })()`)));
  assert.deepStrictEqual(Object.keys(st.series), ["filing:小程序"]);
  assert.deepStrictEqual(st.series["filing:小程序"].events.map((e) => e.type + (e.status ?? "")), ["sms-received", "verify-result2"]);
  // Into an existing filing round: both histories, in time order.
  const merged = JSON.parse(JSON.stringify(run(`(() => {
    const st = migrateState(undefined);
    const f = seriesFor(st, "filing:小程序", "2026-05-01T07:00:00Z");
    recordResult(f, "verify", 0, "2026-05-01T07:30:00Z", false);
    const r = seriesFor(st, "phone:13800138000", "2026-05-01T08:00:00Z");
    recordResult(r, "verify", 2, "2026-05-01T09:00:00Z", true);
    savePerson(st, ${person("A", "13800138000", "150012", "小程序")});
    return st;
  })()`)));
  assert.deepStrictEqual(Object.keys(merged.series), ["filing:小程序"]);
  assert.deepStrictEqual(merged.series["filing:小程序"].events.map((e) => e.at.slice(11, 16)), ["07:00", "07:30", "08:00", "09:00"]);
  assert.strictEqual(merged.series["filing:小程序"].fromText, true);
});

test("odd answers are refused, not recorded: a resend is 100–102, a verification anything else", () => {
  const got = JSON.parse(JSON.stringify(run(`(() => {
    const st = migrateState(undefined);
    const r = seriesFor(st, "phone:13800138000", "2026-05-01T08:00:00Z");
    const ok = [["resend", 101], ["resend", 7], ["verify", 101], ["verify", 99], ["resend", 0], ["verify", -1], ["verify", 2.5]]
      .map(([k, s]) => recordResult(r, k, s, "2026-05-01T09:00:00Z", false));
    return {ok, n: r.events.length};
  })()`)));
  assert.deepStrictEqual(got, { ok: [true, false, false, true, false, false, false], n: 3 });
});

test("an answer sent again (the worker went away before replying) is counted once", () => {
  const got = JSON.parse(JSON.stringify(run(`(() => {
    const st = migrateState(undefined);
    const r = seriesFor(st, "phone:13800138000", "2026-05-01T08:00:00Z");
    const at = "2026-05-01T09:00:00Z";
    const id = "0b9f6c1e-2d4a-4c3b-9e8f-7a6b5c4d3e2f";
    const ok = [
      recordResult(r, "verify", 2, at, true, id),
      recordResult(r, "verify", 2, at, true, id), // the same answer again
      recordResult(r, "verify", 2, at, true, "1c0a7d2f-3e5b-4d4c-8f9a-8b7c6d5e4f3a"), // the next one
      recordResult(r, "verify", 2, at, true), // no ID (an older page): counted
      recordResult(r, "verify", 2, at, true, "<not an id>"), // not an ID: counted, not kept
    ];
    for (let i = 0; i < 30; i++) recordResult(r, "verify", 4, at, false, "a-" + String(i).padStart(8, "0"));
    return {ok, n: r.events.length, kept: r.answerIds.length, last: r.answerIds[r.answerIds.length - 1]};
  })()`)));
  assert.deepStrictEqual(got.ok, [true, false, true, true, true]);
  assert.strictEqual(got.n, 1 + 4 + 30);
  assert.strictEqual(got.kept, 20);
  assert.strictEqual(got.last, "a-00000029");
  // Moved into a filing's round with their IDs: still counted once there.
  const merged = JSON.parse(JSON.stringify(run(`(() => {
    const st = migrateState(undefined);
    const a = seriesFor(st, "phone:13800138000", "2026-05-01T08:00:00Z");
    recordResult(a, "verify", 2, "2026-05-01T09:00:00Z", false, "2e1b8a3c-4f6d-4e5a-9b0c-1d2e3f4a5b6c");
    mergeSeries(st, "phone:13800138000", "filing:x");
    const again = recordResult(st.series["filing:x"], "verify", 2, "2026-05-01T09:00:01Z", false, "2e1b8a3c-4f6d-4e5a-9b0c-1d2e3f4a5b6c");
    return {again, n: st.series["filing:x"].events.length};
  })()`)));
  assert.deepStrictEqual(merged, { again: false, n: 2 });
});

test("a message the worker could not answer because it went away is sent again; other failures are not", async () => {
  const calls = [];
  let failures = [];
  const fake = {
    runtime: {
      id: "ext",
      sendMessage: async (m) => {
        calls.push(m.type);
        const f = failures.shift();
        if (f) throw new Error(f);
        return { ok: true, value: m.type + " answered" };
      },
    },
  };
  const mctx = vm.createContext({ chrome: fake, console, setTimeout, crypto: globalThis.crypto });
  vm.runInContext(fs.readFileSync(path.join(ext, "messages.js"), "utf8"), mctx, { filename: "messages.js" });
  const send = (m) => vm.runInContext(`send(${JSON.stringify(m)})`, mctx);
  failures = [
    "A listener indicated an asynchronous response by returning true, but the message channel closed before a response was received",
    "Could not establish connection. Receiving end does not exist.",
  ];
  assert.strictEqual(await send({ type: "view" }), "view answered");
  assert.deepStrictEqual(calls, ["view", "view", "view"]);
  // Not lost in passing: refused at once, and told to onSendError.
  calls.length = 0;
  failures = ["Extension context invalidated."];
  vm.runInContext(`var told = []; onSendError = (e) => told.push(String(e.message))`, mctx);
  await assert.rejects(send({ type: "view" }), /context invalidated/);
  assert.deepStrictEqual(calls, ["view"]);
  // The worker keeps going away: given up after three more tries.
  calls.length = 0;
  failures = Array(5).fill("Could not establish connection. Receiving end does not exist.");
  await assert.rejects(send({ type: "rounds" }), /Receiving end/);
  assert.deepStrictEqual(calls, ["rounds", "rounds", "rounds", "rounds"]);
  // The extension itself went away (this script is orphaned): not sent again.
  calls.length = 0;
  failures = ["Could not establish connection. Receiving end does not exist."];
  fake.runtime.id = undefined;
  await assert.rejects(send({ type: "view" }), /Receiving end/);
  assert.deepStrictEqual(calls, ["view"]);
  assert.strictEqual(vm.runInContext(`told.length`, mctx), 3); // each failure that reached the caller
  assert.match(vm.runInContext(`newAnswerId()`, mctx), /^[A-Za-z0-9-]{8,64}$/);
});

test("a new SMS after the round ended starts a new round after its last event; the SMS time edits the current round", () => {
  const s = JSON.parse(JSON.stringify(run(`(() => {
    const st = migrateState(undefined);
    const r = seriesFor(st, "filing:x", "2026-05-01T08:00:00Z");
    recordResult(r, "verify", 21, "2026-05-01T09:00:00Z", true);
    startNewRound(r, "2026-05-01T08:30:00Z"); // before the return: moved after it
    setSmsTime(r, "2026-05-01T10:00:00Z");
    return r;
  })()`)));
  assert.deepStrictEqual(s.events.map((e) => e.type + "@" + e.at), [
    "sms-received@2026-05-01T08:00:00Z", "verify-result@2026-05-01T09:00:00Z", "sms-received@2026-05-01T10:00:00Z",
  ]);
  assert.strictEqual(s.fromText, false);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(run(`smsTime(${JSON.stringify(s)})`))), "2026-05-01T10:00:00Z");
  assert.ok(run(`isClosedRound({state: "returned"}) && isClosedRound({state: "expired"}) && !isClosedRound({state: "pending"}) && !isClosedRound(null)`));
});

test("finished rounds are forgotten a week after they end; at most 50 are kept, the oldest finished first", () => {
  // A stand-in tracker: "done" in a key means complete; the deadline is 24 h after the first event.
  const fakeCore = `({track: (events) => {
    const first = Date.parse(events[0].at);
    const done = events.some((e) => e.status === 3);
    return {state: done ? "complete" : (Date.parse(NOW) >= first + 864e5 ? "expired" : "pending"), deadline: new Date(first + 864e5).toISOString()};
  }})`;
  const keys = JSON.parse(JSON.stringify(run(`(() => {
    const NOW = "2026-06-20T00:00:00Z";
    globalThis.NOW = NOW;
    const st = migrateState(undefined);
    const at = (d) => new Date(Date.parse(NOW) - d * 864e5).toISOString();
    recordResult(seriesFor(st, "phone:done-old", at(10)), "verify", 3, at(9), false);
    recordResult(seriesFor(st, "phone:done-new", at(3)), "verify", 3, at(2), false);
    seriesFor(st, "phone:expired-old", at(9)); // deadline 8 days ago
    seriesFor(st, "phone:expired-new", at(5));
    seriesFor(st, "phone:open", at(0.5));
    st.series["phone:broken-old"] = {events: [{type: "nonsense", at: at(30)}], smsAsked: true};
    const core = ${fakeCore};
    const orig = core.track;
    core.track = (events, now) => { if (events.some((e) => e.type === "nonsense")) throw new Error("bad-event"); return orig(events, now); };
    pruneSeries(core, st, NOW);
    return Object.keys(st.series).sort();
  })()`)));
  assert.deepStrictEqual(keys, ["phone:done-new", "phone:expired-new", "phone:open"]);
  const left = JSON.parse(JSON.stringify(run(`(() => {
    const NOW = "2026-06-20T00:00:00Z";
    globalThis.NOW = NOW;
    const st = migrateState(undefined);
    const at = (min) => new Date(Date.parse(NOW) - min * 60e3).toISOString();
    for (let i = 0; i < 45; i++) seriesFor(st, "phone:open" + i, at(100 - i));
    for (let i = 0; i < 10; i++) recordResult(seriesFor(st, "phone:done" + i, at(200 - i)), "verify", 3, at(200 - i), false);
    pruneSeries(${fakeCore}, st, NOW);
    return Object.keys(st.series);
  })()`)));
  assert.strictEqual(left.length, 50);
  assert.ok(left.filter((k) => k.startsWith("phone:open")).length === 45, "no open round is dropped while finished ones remain");
  assert.deepStrictEqual(left.filter((k) => k.startsWith("phone:done")).sort(), ["phone:done5", "phone:done6", "phone:done7", "phone:done8", "phone:done9"]);
});

test("changes from two tabs at once are applied one after the other: nothing is lost", async () => {
  chrome.storage.local.data.heyan = undefined;
  await run(`(async () => {
    const phones = ["13800138000", "13800138001"];
    await Promise.all(Array.from({length: 20}, (_, i) => updateState(async (st) => {
      const r = seriesFor(st, "phone:" + phones[i % 2], "2026-05-01T08:00:00Z");
      await new Promise((res) => setTimeout(res, Math.random() * 3)); // the change itself awaits
      recordResult(r, "verify", 2, new Date(Date.parse("2026-05-01T09:00:00Z") + i * 1000).toISOString(), false);
    })));
  })()`);
  const st = run(`readState()`);
  const state = JSON.parse(JSON.stringify(await st));
  for (const p of ["13800138000", "13800138001"]) {
    assert.strictEqual(state.series["phone:" + p].events.filter((e) => e.type === "verify-result").length, 10, p);
  }
  // A change that fails leaves the state as it was and does not stop the next.
  await assert.rejects(run(`updateState(() => { throw new Error("boom") })`), /boom/);
  await run(`updateState((st) => { st.people.push({id: "z"}) })`);
  assert.strictEqual((await run(`readState()`)).people.length, 1);
});

test("the chosen person is per tab, and forgotten with the tab or the person", async () => {
  await run(`Promise.all([selectIn(1, "a"), selectIn(2, "b"), selectIn(3, "a")])`);
  const plain = async (code) => JSON.parse(JSON.stringify(await run(code)));
  assert.deepStrictEqual(await plain(`Promise.all([selectedIn(1), selectedIn(2), selectedIn(3), selectedIn(4), selectedIn(undefined)])`), ["a", "b", "a", "", ""]);
  await run(`forgetSelections({tabId: 2})`);
  await run(`forgetSelections({personId: "a"})`);
  assert.deepStrictEqual(await plain(`Promise.all([selectedIn(1), selectedIn(2), selectedIn(3)])`), ["", "", ""]);
});

test("the manifest's icons exist, as PNGs of the sizes they are declared at", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ext, "manifest.json"), "utf8"));
  for (const set of [manifest.icons, manifest.action.default_icon]) {
    assert.deepStrictEqual(Object.keys(set).sort((a, b) => a - b), ["16", "32", "48", "128"]);
    for (const [size, file] of Object.entries(set)) {
      const png = fs.readFileSync(path.join(ext, file));
      assert.strictEqual(png.toString("latin1", 1, 4), "PNG", file);
      assert.strictEqual(png.readUInt32BE(16), Number(size), file + " width");
      assert.strictEqual(png.readUInt32BE(20), Number(size), file + " height");
    }
  }
});
