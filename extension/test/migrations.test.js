// Stored state of every older schema, migrated to schema 4: on fixtures of
// real schema-3 state (test/fixtures/state-v3.json, written by the
// schema-3 extension's own code), and on the shapes of schemas 0–2.
import "./fake-chrome.js";
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { SCHEMA_VERSION, migrateState } from "../background/migrations.js";
import { readState, STATE_KEY } from "../background/store.js";

const NOW = "2026-06-01T00:00:00.000Z";
const v3 = JSON.parse(fs.readFileSync(new URL("./fixtures/state-v3.json", import.meta.url), "utf8"));
const plain = (v) => JSON.parse(JSON.stringify(v));
const migrated = () => plain(migrateState(structuredClone(v3), NOW));

test("a fresh install (or unreadable state) migrates to an empty current state", () => {
  for (const raw of [undefined, null, {}, { schema: 0 }, "junk", { schema: -1 }, { schema: 1.5 }]) {
    assert.deepEqual(
      plain(migrateState(raw, NOW)),
      { schema: SCHEMA_VERSION, people: {}, filings: {}, rounds: {} },
      JSON.stringify(raw),
    );
  }
});

test("current state is kept as it is; a damaged area reads as empty", () => {
  const s = { schema: 4, people: { a: { id: "a", name: "A" } }, filings: {}, rounds: {} };
  assert.deepEqual(plain(migrateState(structuredClone(s), NOW)), s);
  assert.deepEqual(plain(migrateState({ schema: 4, people: [], filings: "x" }, NOW)), {
    schema: 4,
    people: {},
    filings: {},
    rounds: {},
  });
});

test("schema 3 → 4: every person is kept, with the same fields, a revision and an updated-at time", () => {
  const s = migrated();
  const people = Object.values(s.people);
  assert.equal(people.length, v3.people.length);
  for (const old of v3.people) {
    const p = people.find((x) => x.name === old.name);
    assert.ok(p, old.name);
    for (const f of ["role", "phone", "docType", "province", "idLast6"]) assert.equal(p[f], old[f], `${old.name} ${f}`);
    assert.equal(p.rev, 1);
    assert.equal(p.updatedAt, NOW);
    assert.equal(s.people[p.id], p);
    assert.ok(!("filing" in p), "the filing moved to a record of its own");
  }
  // The Zhejiang permit holder keeps the province and the full-width brackets.
  const zj = people.find((p) => p.docType === "hk-macau-permit");
  assert.deepEqual([zj.province, zj.idLast6], ["zhejiang", "567（8）"]);
});

test("schema 3 → 4: filings become records, with their people by role and their SMS time", () => {
  const s = migrated();
  const byName = Object.fromEntries(Object.values(s.filings).map((f) => [f.name, f]));
  assert.deepEqual(Object.keys(byName).sort(), ["已删人的小程序", "测试小程序", "浙江测试网站"]);
  const name = (id) => s.people[id].name;
  assert.deepEqual(
    byName.测试小程序.people.map((m) => [m.role, name(m.personId)]),
    [
      ["principal", "测试乙"],
      ["app-owner", "测试丙"],
    ],
  );
  assert.deepEqual(
    byName.浙江测试网站.people.map((m) => [m.role, name(m.personId)]),
    [["principal", "测试丁"]],
  );
  // A filing whose people were all deleted keeps its round, and so its record.
  assert.deepEqual(byName.已删人的小程序.people, []);
  assert.equal(byName.测试小程序.smsAt, "2026-05-02T08:00:00.000Z");
  assert.equal(
    byName.浙江测试网站.smsAt,
    "2026-05-04T08:00:00.000Z",
    "the current round's SMS: the new one after the return",
  );
  for (const f of Object.values(s.filings)) {
    assert.deepEqual([f.rev, f.updatedAt, f.platform, f.scenario, f.status], [1, NOW, "", "", ""], f.name);
  }
});

test("schema 3 → 4: every round is kept with all its events, owned by a filing, a person or a phone", () => {
  const s = migrated();
  const rounds = Object.values(s.rounds);
  assert.equal(rounds.length, Object.keys(v3.series).length);
  const owner = (r) =>
    r.filingId
      ? `filing ${s.filings[r.filingId].name}`
      : r.personId
        ? `person ${s.people[r.personId].name}`
        : `phone ${r.phone}`;
  const byOwner = Object.fromEntries(rounds.map((r) => [owner(r), r]));
  assert.deepEqual(Object.keys(byOwner).sort(), [
    "filing 已删人的小程序",
    "filing 测试小程序",
    "filing 浙江测试网站",
    "person 测试甲",
    "phone 13900139000",
  ]);
  const keyOf = { "person 测试甲": "phone:13800138000", "phone 13900139000": "phone:13900139000" };
  for (const [o, r] of Object.entries(byOwner)) {
    const old = v3.series[keyOf[o] || `filing:${o.slice("filing ".length)}`];
    assert.deepEqual(r.events, old.events, o);
    assert.equal(r.smsAsked, old.smsAsked, o);
    assert.equal(!!r.fromText, !!old.fromText, o);
    assert.deepEqual(r.answerIds, old.answerIds, o);
    assert.deepEqual([r.rev, r.updatedAt], [1, NOW], o);
    // Exactly one owner.
    assert.equal([r.filingId, r.personId, r.phone].filter(Boolean).length, 1, o);
  }
});

test("schema 3 → 4: no key or record ID holds a phone number or a name", () => {
  const s = migrated();
  const secrets = [...v3.people.flatMap((p) => [p.phone, p.name, p.filing]), "13900139000"].filter(Boolean);
  const ids = [];
  const walk = (v) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        ids.push(k);
        if (/(^id$|Id$)/.test(k) && typeof x === "string") ids.push(x);
        walk(x);
      }
    }
  };
  walk(s);
  for (const id of ids) for (const secret of secrets) assert.ok(!id.includes(secret), `"${id}" holds "${secret}"`);
  for (const id of [...Object.keys(s.people), ...Object.keys(s.filings), ...Object.keys(s.rounds)]) {
    assert.match(id, /^[A-Za-z0-9-]{16,64}$/);
  }
});

test("schema 1 → 4: people gain an empty province and their filing becomes a record", () => {
  const v1 = {
    schema: 1,
    people: [
      {
        id: "a1b2c3d4e5f6a7b8",
        name: "A",
        role: "principal",
        phone: "13800138000",
        docType: "hk-macau-permit",
        idLast6: "345678",
        filing: "x",
      },
    ],
    selected: "a1b2c3d4e5f6a7b8",
    series: { "filing:x": { events: [{ type: "sms-received", at: "2026-05-01T08:00:00Z" }], smsAsked: true } },
  };
  const s = plain(migrateState(v1, NOW));
  assert.equal(s.schema, 4);
  assert.ok(!("selected" in s));
  const [p] = Object.values(s.people);
  assert.deepEqual([p.id, p.name, p.province, p.docType], ["a1b2c3d4e5f6a7b8", "A", "", "hk-macau-permit"]);
  const [f] = Object.values(s.filings);
  assert.deepEqual([f.name, f.people], ["x", [{ role: "principal", personId: p.id }]]);
  const [r] = Object.values(s.rounds);
  assert.equal(r.filingId, f.id);
});

test("schema 2 → 4: rounds only typing started are dropped; the others are kept", () => {
  const sms = { type: "sms-received", at: "2026-05-01T08:00:00Z" };
  const v2 = {
    schema: 2,
    people: [],
    selected: "a",
    series: {
      "phone:13800138000": { events: [sms], smsAsked: false }, // typed, nothing else
      "phone:13800138001": { events: [sms], smsAsked: true }, // the user gave the SMS time
      "phone:13800138002": {
        events: [sms, { type: "verify-result", status: 2, at: "2026-05-01T09:00:00Z" }],
        smsAsked: false,
      },
      "filing:x": { events: [sms], smsAsked: false },
    },
  };
  const s = plain(migrateState(v2, NOW));
  const owners = Object.values(s.rounds)
    .map((r) => r.phone || s.filings[r.filingId].name)
    .sort();
  assert.deepEqual(owners, ["13800138001", "13800138002", "x"]);
});

test("state from a newer schema is refused with its code, and left untouched in storage", async () => {
  assert.throws(
    () => migrateState({ schema: 99, people: [] }, NOW),
    (err) => err.code === "state-newer" && /schema 99/.test(err.message),
  );
  const newer = { schema: 99, people: { keep: "me" } };
  chrome.storage.local.data[STATE_KEY] = newer;
  await assert.rejects(readState(), (err) => err.code === "state-newer");
  assert.deepEqual(chrome.storage.local.data[STATE_KEY], newer);
  delete chrome.storage.local.data[STATE_KEY];
});
