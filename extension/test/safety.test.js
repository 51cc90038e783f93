// Nothing lost, nothing left behind: a damaged stored state is set aside
// under its own key and never written over by the next save; a record under
// a crafted ID (toString, __proto__) finds nothing; one malformed record is
// set aside alone; a wipe at sign-out works while the data is locked and
// leaves no undo stash and no kept answers behind.
import "./fake-chrome.js";
import test from "node:test";
import assert from "node:assert/strict";
import { LOCAL_KEYS, SESSION_KEYS } from "../storage-keys.js";
import { damagedCopies, readState, updateState, STATE_KEY, SEALED_SCHEMA } from "../background/store.js";
import { stash } from "../background/undo.js";

const T = "2026-06-01T00:00:00.000Z";
const person = (id, name) => ({
  id,
  rev: 1,
  updatedAt: T,
  name,
  role: "principal",
  phone: "13800138000",
  docType: "resident-id",
  province: "",
  idLast6: "150012",
});
const intact = () => ({
  schema: 4,
  people: { p1: person("p1", "甲"), p2: person("p2", "乙") },
  filings: {},
  rounds: {},
});
const local = () => chrome.storage.local.data;

function reset(value) {
  for (const k of Object.keys(local())) delete local()[k];
  if (value !== undefined) local()[STATE_KEY] = value;
}

async function addPerson() {
  await updateState((st) => {
    st.people.p9 = person("p9", "丙");
  });
}

for (const [what, damaged] of [
  ["schema as a string", { ...intact(), schema: "4" }],
  ["no schema", { people: intact().people, filings: {}, rounds: {} }],
  ["schema 4.5", { ...intact(), schema: 4.5 }],
  ["schema -1", { ...intact(), schema: -1 }],
  ["a string of garbage", "{not json"],
  ["a number", 42],
]) {
  test(`a state with ${what} is kept aside, and the next save does not write over it`, async () => {
    reset(structuredClone(damaged));
    await addPerson();
    const kept = await damagedCopies();
    assert.equal(kept.length, 1);
    assert.deepEqual(kept[0].setAside.whole, damaged);
    assert.deepEqual(Object.keys((await readState()).people), ["p9"]);
    await addPerson(); // read again after a save: kept once, still there
    assert.equal((await damagedCopies()).length, 1);
  });
}

test("wrong-typed lists are kept aside; the intact areas keep working", async () => {
  const s = intact();
  s.filings = Object.values(s.people); // an array where an object belongs
  s.rounds = "x";
  reset(structuredClone(s));
  await addPerson();
  const [kept] = await damagedCopies();
  assert.deepEqual(kept.setAside.areas, { filings: s.filings, rounds: "x" });
  assert.deepEqual(Object.keys((await readState()).people).sort(), ["p1", "p2", "p9"]);
});

test("a single malformed record is set aside alone; the rest keeps working", async () => {
  const s = intact();
  s.people.bad = "a string";
  s.people.empty = {};
  s.filings.f1 = { id: "f1", rev: 1, updatedAt: T, name: "小程序", people: "x" };
  reset(structuredClone(s));
  const st = await readState();
  assert.deepEqual(Object.keys(st.people).sort(), ["p1", "p2"]);
  assert.deepEqual(Object.keys(st.filings), []);
  const [kept] = await damagedCopies();
  assert.deepEqual(kept.setAside.records.map((r) => `${r.area}/${r.key}`).sort(), [
    "filings/f1",
    "people/bad",
    "people/empty",
  ]);
});

test("a record ID such as toString or __proto__ finds only a stored record", async () => {
  reset(intact());
  const st = await readState();
  for (const id of ["toString", "constructor", "hasOwnProperty", "__proto__", "valueOf"]) {
    assert.equal(st.people[id], undefined, id);
    assert.equal(st.filings[id], undefined, id);
  }
  // A record stored under such an ID is an ordinary record.
  const s = intact();
  Object.defineProperty(s.people, "__proto__", { value: person("__proto__", "丁"), enumerable: true });
  reset(JSON.parse(JSON.stringify(s)));
  const again = await readState();
  assert.equal(Object.getOwnPropertyDescriptor(again.people, "__proto__").value.name, "丁");
  assert.equal(Object.keys(again.people).length, 3);
});

test("signing out with a wipe while locked removes the data, the undo stash and the kept answers", async () => {
  const { signOut } = await import("../background/sync.js");
  reset({ schema: SEALED_SCHEMA, sealed: "sealed bytes nobody can open here" });
  local()[LOCAL_KEYS.account] = { server: "https://sync.example.test", email: "a@example.test", accountId: "acc" };
  local()[LOCAL_KEYS.damaged] = [{ at: T, setAside: { whole: 1 } }];
  await stash({ people: [person("p3", "戊")], filings: [], rounds: [], memberships: [] }, Date.now());
  chrome.storage.session.data[SESSION_KEYS.lockedAnswers] = { a1: { at: T, msg: { answerId: "a1" } } };
  await assert.rejects(readState(), /unlock/); // locked: no key in this session
  await signOut(false);
  for (const k of [STATE_KEY, LOCAL_KEYS.account, LOCAL_KEYS.damaged]) assert.equal(local()[k], undefined, k);
  const session = chrome.storage.session.data;
  assert.deepEqual(session[SESSION_KEYS.undo] || {}, {});
  assert.deepEqual(session[SESSION_KEYS.lockedAnswers] || {}, {});
  assert.deepEqual(Object.keys((await readState()).people), []);
});
