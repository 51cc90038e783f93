// The worker's records: people, filings and rounds, how answers find their
// round, and how saving and deleting move or keep the counts.
import "./fake-chrome.js";
import test from "node:test";
import assert from "node:assert/strict";
import { migrateState } from "../background/migrations.js";
import {
  deletePerson,
  maskPhone,
  ownerOf,
  personRecord,
  personView,
  provinceFor,
  savePerson,
  validatePerson,
} from "../background/people.js";
import {
  adoptRounds,
  clearRound,
  findRound,
  forgetRoundsOf,
  noteStatus,
  pruneRounds,
  recordResult,
  roundFor,
  roundOwnerFor,
  roundViews,
  setSmsTime,
  smsTime,
  startNewRound,
  trackOf,
} from "../background/rounds.js";
import { answerTo, needsNewSms } from "../rules.js";
import { filingNamed, filingsOf } from "../background/filings.js";
import { barView } from "../background/bar-view.js";
import { core, rules } from "./core.js";

const T0 = "2026-05-01T08:00:00.000Z";
const at = (min) => new Date(Date.parse(T0) + min * 60e3).toISOString();
const fresh = () => migrateState(undefined, T0);
const plain = (v) => JSON.parse(JSON.stringify(v));
/** @returns {any} */
const person = (name, phone, idLast6, role = "principal") => ({
  name,
  role,
  phone,
  docType: "resident-id",
  province: "",
  idLast6,
});
const phoneOwner = (phone) => ({ filingId: "", personId: "", phone });

test("phones are masked; pages see neither the phone nor, in a content script, the ID last 6", () => {
  assert.equal(maskPhone("13800138000"), "138****8000");
  assert.equal(maskPhone("123"), "****");
  const st = fresh();
  const a = savePerson(st, person("A", "13800138000", "150012"), "小程序", T0);
  const view = plain(personView(st, a, rules));
  assert.deepEqual(view, {
    id: a.id,
    name: "A",
    role: "principal",
    phoneMasked: "138****8000",
    docType: "resident-id",
    province: "",
    filings: ["小程序"],
  });
  assert.equal(plain(personRecord(st, a, rules)).idLast6, "150012");
  assert.ok(!JSON.stringify(personRecord(st, a, rules)).includes("13800138000"));
});

test("the province is kept only for an HK/Macau permit in Zhejiang", () => {
  assert.equal(provinceFor("hk-macau-permit", "zhejiang"), "zhejiang");
  for (const [doc, prov] of [
    ["resident-id", "zhejiang"],
    ["hk-macau-permit", ""],
    ["hk-macau-permit", "guangdong"],
    ["passport", "zhejiang"],
  ]) {
    assert.equal(provinceFor(doc, prov), "", `${doc} ${prov}`);
  }
});

test("validatePerson: a name is required, values come back normalized, the filing name trimmed", () => {
  const bad = validatePerson(
    core,
    {
      name: " ",
      role: "principal",
      phone: "13800138000",
      docType: "resident-id",
      province: "",
      idLast6: "150012",
      filing: "",
    },
    "en",
  );
  assert.deepEqual(
    bad.problems.map((p) => p.code),
    ["name-empty"],
  );
  assert.equal(bad.person, null);
  const ok = validatePerson(
    core,
    {
      name: " A ",
      role: /** @type {any} */ ("nonsense"),
      phone: "13800138000",
      docType: "resident-id",
      province: "",
      idLast6: "15001x",
      filing: "  小程序 ",
    },
    "zh-CN",
  );
  assert.deepEqual(plain(ok), {
    person: {
      name: "A",
      role: "principal",
      phone: "13800138000",
      docType: "resident-id",
      province: "",
      idLast6: "15001X",
    },
    filing: "小程序",
    problems: [],
  });
});

test("people are one record per phone and role; saving again changes it and counts a revision", () => {
  const st = fresh();
  const a = savePerson(st, person("A", "13800138000", "150012"), "", T0);
  const b = savePerson(st, person("B", "13800138000", "150013"), "", at(1));
  savePerson(st, person("C", "13800138000", "150014", "app-owner"), "x", at(2));
  assert.equal(a.id, b.id);
  assert.deepEqual(
    Object.values(st.people).map((p) => [p.name, p.rev]),
    [
      ["B", 2],
      ["C", 1],
    ],
  );
  assert.equal(st.people[a.id].updatedAt, at(1));
});

test("saving with a filing name puts the person in that filing (made once, found by name)", () => {
  const st = fresh();
  const a = savePerson(st, person("A", "13800138000", "150012"), "小程序", T0);
  const b = savePerson(st, person("B", "13800138001", "150013", "app-owner"), "小程序", at(1));
  const f = filingNamed(st, "小程序");
  assert.ok(f);
  assert.equal(Object.keys(st.filings).length, 1);
  assert.deepEqual(f.people, [
    { role: "principal", personId: a.id },
    { role: "app-owner", personId: b.id },
  ]);
  assert.equal(f.rev, 2, "made, then one member more");
  assert.deepEqual(
    filingsOf(st, b.id, rules).map((x) => x.name),
    ["小程序"],
  );
});

test("deleting a person removes them from their filings; the filing and its round stay", () => {
  const st = fresh();
  const a = savePerson(st, person("A", "13800138000", "150012"), "小程序", T0);
  const r = roundFor(st, roundOwnerFor(st, "13800138000", "", rules), T0, T0);
  const own = roundFor(st, { filingId: "", personId: a.id, phone: "" }, T0, T0);
  forgetRoundsOf(st, a.id);
  assert.equal(deletePerson(st, a.id, at(1)), true);
  assert.equal(deletePerson(st, a.id, at(1)), false);
  assert.deepEqual(Object.keys(st.people), []);
  assert.deepEqual(filingNamed(st, "小程序").people, []);
  assert.ok(st.rounds[r.id], "the filing's round is the filing's");
  assert.ok(!st.rounds[own.id], "the person's own round goes with them");
});

test("an answer goes to the round of the person chosen in the tab when the phone is theirs", () => {
  const st = fresh();
  const a = savePerson(st, person("A", "13800138000", "150012"), "小程序甲", T0);
  const b = savePerson(st, person("B", "13800138000", "150012", "app-owner"), "小程序乙", T0);
  const c = savePerson(st, person("C", "13800138009", "150019"), "小程序丙", T0);
  const solo = savePerson(st, person("D", "13800138008", "150018"), "", T0);
  const name = (o) =>
    o.filingId
      ? `filing ${st.filings[o.filingId].name}`
      : o.personId
        ? `person ${st.people[o.personId].name}`
        : `phone ${o.phone}`;
  assert.equal(name(roundOwnerFor(st, "13800138000", "", rules)), "filing 小程序甲");
  assert.equal(name(roundOwnerFor(st, "13800138000", a.id, rules)), "filing 小程序甲");
  assert.equal(name(roundOwnerFor(st, "13800138000", b.id, rules)), "filing 小程序乙");
  assert.equal(name(roundOwnerFor(st, "13800138000", c.id, rules)), "filing 小程序甲", "chosen, but not this phone's");
  assert.equal(name(roundOwnerFor(st, "13800138008", "", rules)), "person D");
  assert.equal(name(roundOwnerFor(st, "13900139000", a.id, rules)), "phone 13900139000");
  assert.equal(ownerOf(st, "13800138008", "", rules).id, solo.id);
});

test("an open filing is preferred over one that ended", () => {
  const st = fresh();
  const a = savePerson(st, person("A", "13800138000", "150012"), "旧小程序", T0);
  savePerson(st, person("A", "13800138000", "150012"), "新小程序", at(1));
  const old = filingNamed(st, "旧小程序");
  const r = roundFor(st, { filingId: old.id, personId: "", phone: "" }, T0, T0);
  recordResult(rules, r, "verify", 3, at(2), false);
  noteStatus(st, r, core.track(r.events, at(3)), at(3));
  assert.equal(old.status, "complete");
  assert.deepEqual(
    filingsOf(st, a.id, rules).map((f) => f.name),
    ["新小程序", "旧小程序"],
  );
  assert.equal(st.filings[roundOwnerFor(st, "13800138000", "", rules).filingId].name, "新小程序");
});

test("saving a phone with a filing moves the phone's round into the filing's, counts kept, in time order", () => {
  const st = fresh();
  const r = roundFor(st, phoneOwner("13800138000"), T0, T0);
  recordResult(rules, r, "verify", 2, at(60), false);
  const a = savePerson(st, person("A", "13800138000", "150012"), "小程序", at(61));
  adoptRounds(st, a, at(61, rules));
  const [only] = Object.values(st.rounds);
  assert.equal(Object.keys(st.rounds).length, 1);
  assert.equal(st.filings[only.filingId].name, "小程序");
  assert.deepEqual([only.phone, only.personId], ["", ""], "no phone kept outside the person once they are saved");
  assert.deepEqual(
    only.events.map((e) => e.type + (e.status ?? "")),
    ["sms-received", "verify-result2"],
  );
  assert.equal(st.filings[only.filingId].smsAt, T0);

  // Into an existing filing round: both histories, in time order.
  const m = fresh();
  const b = savePerson(m, person("B", "13800138001", "150013"), "小程序", T0);
  const f = roundFor(m, roundOwnerFor(m, "13800138001", "", rules), at(-60), T0);
  recordResult(rules, f, "verify", 0, at(-30), false);
  const p = roundFor(m, phoneOwner("13800138000"), T0, T0);
  recordResult(rules, p, "verify", 2, at(60), true);
  const c = savePerson(m, person("C", "13800138000", "150012", "app-owner"), "小程序", at(61));
  adoptRounds(m, c, at(61, rules));
  assert.equal(Object.keys(m.rounds).length, 1);
  assert.deepEqual(
    f.events.map((e) => e.at.slice(11, 16)),
    ["07:00", "07:30", "08:00", "09:00"],
  );
  assert.equal(f.fromText, true);
  void b;
});

test("a person's own round joins their filing's when they are put in one", () => {
  const st = fresh();
  const a = savePerson(st, person("A", "13800138000", "150012"), "", T0);
  const own = roundFor(st, roundOwnerFor(st, "13800138000", "", rules), T0, T0);
  assert.equal(own.personId, a.id);
  recordResult(rules, own, "verify", 2, at(5), false, "0b9f6c1e2d4a4c3b9e8f7a6b5c4d3e2f");
  savePerson(st, person("A", "13800138000", "150012"), "小程序", at(10));
  adoptRounds(st, a, at(10, rules));
  const [r] = Object.values(st.rounds);
  assert.equal(st.filings[r.filingId].name, "小程序");
  assert.equal(r.events.length, 2);
  // Its answer IDs came along: the same answer sent again is still counted once.
  assert.equal(recordResult(rules, r, "verify", 2, at(11), false, "0b9f6c1e2d4a4c3b9e8f7a6b5c4d3e2f"), false);
});

test("odd answers are refused, not recorded: a resend is 100–102, a verification anything else", () => {
  const r = roundFor(fresh(), phoneOwner("13800138000"), T0, T0);
  const ok = [
    ["resend", 101],
    ["resend", 7],
    ["verify", 101],
    ["verify", 99],
    ["resend", 0],
    ["verify", -1],
    ["verify", 2.5],
  ].map(([k, s]) => recordResult(rules, r, /** @type {any} */ (k), /** @type {number} */ (s), at(60), false));
  assert.deepEqual(ok, [true, false, false, true, false, false, false]);
  assert.equal(r.events.length, 3);
  assert.equal(answerTo(rules, "resend", 102).counts, true);
  assert.equal(answerTo(rules, "verify", 1e7).counts, false);
  assert.deepEqual(
    answerTo(rules, "verify", 99),
    { id: "verify-failed-retry", counts: true },
    "an unknown code shows and counts as 0",
  );
  assert.deepEqual(
    answerTo(rules, "verify", 101),
    { id: "verify-failed-retry", counts: false },
    "a resend code to a verification: shown as 0, not counted",
  );
});

test("an answer sent again (the worker went away before replying) is counted once; a round remembers 20 IDs", () => {
  const r = roundFor(fresh(), phoneOwner("13800138000"), T0, T0);
  const id = "0b9f6c1e-2d4a-4c3b-9e8f-7a6b5c4d3e2f";
  const ok = [
    recordResult(rules, r, "verify", 2, at(60), true, id),
    recordResult(rules, r, "verify", 2, at(60), true, id), // the same answer again
    recordResult(rules, r, "verify", 2, at(60), true, "1c0a7d2f3e5b4d4c8f9a8b7c6d5e4f3a"), // the next one
    recordResult(rules, r, "verify", 2, at(60), true), // no ID (an older page): counted
    recordResult(rules, r, "verify", 2, at(60), true, "<not an id>"), // not an ID: counted, not kept
  ];
  for (let i = 0; i < 30; i++) recordResult(rules, r, "verify", 4, at(61), false, `a-${String(i).padStart(8, "0")}`);
  assert.deepEqual(ok, [true, false, true, true, true]);
  assert.equal(r.events.length, 1 + 4 + 30);
  assert.equal(r.answerIds.length, 20);
  assert.equal(r.answerIds.at(-1), "a-00000029");
  assert.equal(r.rev, 1 + 4 + 30, "each answer counted is one revision");
});

test("a new SMS after the round ended starts a new round after its last event; the SMS time edits the current one", () => {
  const st = fresh();
  const a = savePerson(st, person("A", "13800138000", "150012"), "x", T0);
  const r = roundFor(st, roundOwnerFor(st, a.phone, "", rules), T0, T0);
  recordResult(rules, r, "verify", 21, at(60), true);
  assert.ok(needsNewSms(rules, core.track(r.events, at(61))));
  startNewRound(st, r, at(30), at(61)); // before the return: moved after it
  setSmsTime(st, r, at(120), at(121));
  assert.deepEqual(
    r.events.map((e) => `${e.type}@${e.at.slice(11, 16)}`),
    ["sms-received@08:00", "verify-result@09:00", "sms-received@10:00"],
  );
  assert.equal(r.fromText, false);
  assert.equal(smsTime(r), at(120));
  assert.equal(filingNamed(st, "x").smsAt, at(120), "the filing keeps its SMS time too");
  assert.ok(!needsNewSms(rules, null) && !needsNewSms(rules, core.track(r.events, at(122))));
});

test("finished rounds are forgotten a week after they end; at most 50 are kept, the oldest finished first", () => {
  const NOW = "2026-06-20T00:00:00.000Z";
  const day = (d) => new Date(Date.parse(NOW) - d * 864e5).toISOString();
  const st = fresh();
  const mk = (phone, sms) => roundFor(st, phoneOwner(phone), sms, sms);
  recordResult(rules, mk("13000000001", day(10)), "verify", 3, day(9), false); // done 9 days ago
  recordResult(rules, mk("13000000002", day(3)), "verify", 3, day(2), false); // done 2 days ago
  mk("13000000003", day(9)); // its 24 hours ended 8 days ago
  mk("13000000004", day(5)); // ended 4 days ago
  mk("13000000005", day(0.5)); // open
  const broken = mk("13000000006", day(30));
  broken.events = [{ type: "nonsense", at: day(30) }];
  pruneRounds(core, st, NOW, rules);
  assert.deepEqual(
    Object.values(st.rounds)
      .map((r) => r.phone)
      .sort(),
    ["13000000002", "13000000004", "13000000005"],
  );

  const many = fresh();
  const min = (m) => new Date(Date.parse(NOW) - m * 60e3).toISOString();
  for (let i = 0; i < 45; i++) roundFor(many, phoneOwner(`open${i}`), min(100 - i), min(100 - i));
  for (let i = 0; i < 10; i++)
    recordResult(
      rules,
      roundFor(many, phoneOwner(`done${i}`), min(200 - i), min(200 - i)),
      "verify",
      3,
      min(200 - i),
      false,
    );
  pruneRounds(core, many, NOW, rules);
  const left = Object.values(many.rounds).map((r) => r.phone);
  assert.equal(left.length, 50);
  assert.equal(
    left.filter((k) => k.startsWith("open")).length,
    45,
    "no open round is dropped while finished ones remain",
  );
  assert.deepEqual(left.filter((k) => k.startsWith("done")).sort(), ["done5", "done6", "done7", "done8", "done9"]);
});

test("rounds are listed newest first, by filing, person or masked phone, and can be cleared", () => {
  const st = fresh();
  savePerson(st, person("A", "13800138000", "150012"), "小程序", T0);
  savePerson(st, person("B", "13800138005", "150015"), "", T0);
  roundFor(st, roundOwnerFor(st, "13800138000", "", rules), at(0), at(0));
  roundFor(st, roundOwnerFor(st, "13800138005", "", rules), at(10), at(10));
  const phone = roundFor(st, phoneOwner("13900139000"), at(60), at(60));
  recordResult(rules, phone, "verify", 2, at(120), false);
  const gone = roundFor(st, phoneOwner("13700137000"), at(-60), at(-60));
  assert.equal(clearRound(st, gone.id), true);
  assert.equal(clearRound(st, gone.id), false);
  const views = plain(roundViews(core, st, at(180), "zh-CN"));
  assert.deepEqual(
    views.map((v) => [v.label, v.track.attemptsLeft, v.people.map((p) => `${p.name} ${p.phoneMasked}`)]),
    [
      ["139****9000", 4, []],
      ["B", 5, ["B 138****8005"]],
      ["小程序", 5, ["A 138****8000"]],
    ],
  );
  assert.ok(!JSON.stringify(views).includes("13900139000"));
});

test("the tracker refusing a round is reported as no counts, not as a failure", () => {
  assert.equal(trackOf(core, [{ type: "nonsense", at: T0 }], T0, "en"), null);
});

test("the bar's view: people in filings first, the round's counts, the SMS question, and a mismatch", () => {
  const st = fresh();
  savePerson(st, person("独", "13800138009", "150019"), "", T0);
  const a = savePerson(st, person("甲", "13800138000", "15001X"), "小程序", T0);
  savePerson(st, person("乙", "13800138000", "150022", "app-owner"), "小程序", T0);
  let v = barView(core, st, "13800138000", "", "zh-CN", "", at(1), rules);
  assert.deepEqual(
    v.people.map((p) => p.name),
    ["甲", "乙", "独"],
  );
  assert.deepEqual([v.selected, v.round, v.ask, v.track.attemptsLeft, v.mismatch], [a.id, "", "sms-time", 5, null]);
  // Typing stores nothing.
  assert.deepEqual(Object.keys(st.rounds), []);
  // A typed ID last 6 that is neither saved person's: their names and final two characters.
  v = barView(core, st, "13800138000", "150011", "zh-CN", "", at(1), rules);
  assert.deepEqual(v.mismatch, { who: "甲、乙", tail: "1X、22" });
  // A lower-case x is the saved X: no mismatch.
  assert.equal(barView(core, st, "13800138000", "15001x", "zh-CN", "", at(1), rules).mismatch, null);
  // Half typed is not a mismatch yet.
  assert.equal(barView(core, st, "13800138000", "1500", "zh-CN", "", at(1), rules).mismatch, null);
  // After a return, the question is whether a new SMS came.
  const r = roundFor(st, roundOwnerFor(st, "13800138000", "", rules), T0, T0);
  setSmsTime(st, r, null, T0);
  recordResult(rules, r, "verify", 21, at(2), false);
  v = barView(core, st, "13800138000", "", "en", "", at(3), rules);
  assert.deepEqual([v.round, v.ask, v.track.state], [r.id, "new-sms", "returned"]);
  // Not a phone: nothing to count.
  v = barView(core, st, "1380013", "", "en", "", at(3), rules);
  assert.deepEqual([v.track, v.ask, v.owner], [null, null, null]);
  assert.ok(
    !JSON.stringify(barView(core, st, "13800138000", "150011", "zh-CN", "", at(1), rules)).includes("15001X"),
    "the page never sees a saved ID last 6",
  );
  assert.equal(findRound(st, phoneOwner("13800138000")), null);
});
