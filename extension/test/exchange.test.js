// Export and import: one versioned file; an import checked record by record
// with the real core, planned (add, change, skip and why), then written all
// or nothing; a file that is not ours, or has one bad record, is refused
// with the reason and changes nothing.
import "./fake-chrome.js";
import test from "node:test";
import assert from "node:assert/strict";
import { migrateState } from "../background/migrations.js";
import { putPerson, validatePerson } from "../background/people.js";
import { putFiling, validateFiling } from "../background/filings.js";
import { applyImport, checkImport, exportFile, MAX_IMPORT_BYTES } from "../background/exchange.js";
import { core, rules } from "./core.js";

const NOW = "2026-05-01T08:00:00.000Z";
const fresh = () => migrateState(undefined, NOW);
const later = (min) => new Date(Date.parse(NOW) + min * 60e3).toISOString();

/** A state with two people of a renamed Douyin mini-program and their filing. */
function sample() {
  const st = fresh();
  const add = (name, role, phone, idLast6, docType = "resident-id", province = "") => {
    const v = validatePerson(core, { name, role, phone, docType, province, idLast6, filing: "" }, "zh-CN");
    return putPerson(st, "", /** @type {any} */ (v.person), NOW, "zh-CN").saved;
  };
  const a = add("测试甲", "principal", "13800138000", "15001X");
  const b = add("测试乙", "app-owner", "13800138001", "567（8）", "hk-macau-permit", "zhejiang");
  const v = validateFiling(
    rules,
    st,
    "",
    {
      name: "测试小程序",
      platform: "douyin-miniapp",
      scenario: "renamed",
      people: [
        { role: "principal", personId: a.id },
        { role: "app-owner", personId: b.id },
      ],
      smsAt: NOW,
    },
    NOW,
    "zh-CN",
  );
  assert.deepEqual(v.problems, []);
  putFiling(st, "", /** @type {any} */ (v.filing), NOW);
  return st;
}

test("export then import into an empty profile round-trips exactly", () => {
  const st = sample();
  const { text, name } = exportFile(st, NOW);
  assert.equal(name, "heyan-export-2026-05-01.json");
  const other = fresh();
  const checked = checkImport(core, rules, other, text, later(1), "zh-CN");
  assert.deepEqual(
    checked.plan.steps.map((s) => [s.kind, s.action]),
    [
      ["person", "add"],
      ["person", "add"],
      ["filing", "add"],
    ],
  );
  applyImport(other, checked, later(1));
  const again = JSON.parse(exportFile(other, NOW).text);
  assert.deepEqual(again, JSON.parse(text));
  // The filing's SMS time starts its round here.
  assert.equal(Object.values(other.rounds)[0].events[0].at, NOW);
});

test("importing the same file again changes nothing: every record is skipped as the same", () => {
  const st = sample();
  const { text } = exportFile(st, NOW);
  const checked = checkImport(core, rules, st, text, later(1), "en");
  assert.deepEqual(
    new Set(checked.plan.steps.map((s) => `${s.action}: ${s.why}`)),
    new Set(["skip: already here, the same"]),
  );
  const before = JSON.stringify(st);
  applyImport(st, checked, later(1));
  assert.equal(JSON.stringify(st), before);
});

test("a newer copy in the file changes the record; an older one is skipped", () => {
  const st = sample();
  const file = JSON.parse(exportFile(st, NOW).text);
  const [p0, p1] = file.people;
  p0.name = "测试甲（改）";
  p0.rev += 1;
  p0.updatedAt = later(5);
  p1.name = "旧名字"; // same revision, older time: the one kept here is newer
  p1.updatedAt = later(-5);
  const checked = checkImport(core, rules, st, JSON.stringify(file), later(10), "zh-CN");
  const byId = Object.fromEntries(checked.plan.steps.map((s) => [s.id, s]));
  assert.equal(byId[p0.id].action, "change");
  assert.deepEqual([byId[p1.id].action, byId[p1.id].why], ["skip", "这里保存的更新"]);
  applyImport(st, checked, later(10));
  assert.equal(st.people[p0.id].name, "测试甲（改）");
  assert.notEqual(st.people[p1.id].name, "旧名字");
});

test("a person with the phone and role of one kept here under another ID is skipped, and the filing names the one kept here", () => {
  const st = sample();
  const file = JSON.parse(exportFile(st, NOW).text);
  const here = fresh();
  const v = validatePerson(
    core,
    {
      name: "本机的甲",
      role: "principal",
      phone: "13800138000",
      docType: "resident-id",
      province: "",
      idLast6: "15001X",
      filing: "",
    },
    "zh-CN",
  );
  const mine = putPerson(here, "", /** @type {any} */ (v.person), NOW, "zh-CN").saved;
  const checked = checkImport(core, rules, here, JSON.stringify(file), later(1), "zh-CN");
  const step = checked.plan.steps.find((s) => s.id === file.people.find((p) => p.phone === "13800138000").id);
  assert.equal(step.action, "skip");
  assert.match(step.why, /本机的甲/);
  applyImport(here, checked, later(1));
  const [f] = Object.values(here.filings);
  assert.ok(f.people.some((m) => m.personId === mine.id && m.role === "principal"));
});

test("a malformed or foreign file is refused with its reason, and changes nothing", () => {
  const st = sample();
  const good = JSON.parse(exportFile(st, NOW).text);
  const before = JSON.stringify(st);
  const cases = [
    ["not JSON (cut off)", exportFile(st, NOW).text.slice(0, 200), "bad-import", /complete JSON|cut off/],
    ["wrong version", JSON.stringify({ ...good, version: 2 }), "bad-import", /version is 2/],
    [
      "foreign",
      JSON.stringify({ format: "something-else", version: 1, people: [], filings: [] }),
      "bad-import",
      /not a Heyan export/,
    ],
    ["an array", "[]", "bad-import", /not a Heyan export/],
    ["unknown top field", JSON.stringify({ ...good, extra: 1 }), "bad-import", /extra/],
    [
      "a bad phone in one person",
      JSON.stringify({ ...good, people: good.people.map((p, i) => (i === 1 ? { ...p, phone: "12345" } : p)) }),
      "bad-import",
      /person 2 \(/,
    ],
    [
      "a bad ID last 6",
      JSON.stringify({
        ...good,
        people: good.people.map((p, i) =>
          i === 0 ? { ...p, docType: "resident-id", province: "", idLast6: "99999A" } : p,
        ),
      }),
      "bad-import",
      /person 1 \(/,
    ],
    [
      "an unknown field in a record",
      JSON.stringify({ ...good, people: [{ ...good.people[0], birthday: "x" }, good.people[1]] }),
      "bad-import",
      /birthday/,
    ],
    ["an id twice", JSON.stringify({ ...good, people: [good.people[0], good.people[0]] }), "bad-import", /twice/],
    [
      "an unknown scenario",
      JSON.stringify({ ...good, filings: [{ ...good.filings[0], scenario: "teleported" }] }),
      "bad-import",
      /scenario/,
    ],
    ["a 10 MB file", JSON.stringify({ ...good, pad: "x".repeat(10 * 1024 * 1024) }), "too-large", /too big/],
    ["empty", "  ", "bad-import", /empty/],
  ];
  for (const [what, text, code, why] of cases) {
    assert.throws(
      () => checkImport(core, rules, st, text, later(1), "en"),
      (err) => err.code === code && why.test(err.message),
      what,
    );
  }
  assert.equal(JSON.stringify(st), before);
  assert.ok(MAX_IMPORT_BYTES < 10 * 1024 * 1024);
  // A filing naming people neither in the file nor kept here.
  assert.throws(
    () => checkImport(core, rules, fresh(), JSON.stringify({ ...good, people: [] }), later(1), "en"),
    (err) => err.code === "bad-import" && /filing 1 \(测试小程序\)/.test(err.message),
  );
});

test("refusals are in the user's language and name the record", () => {
  const st = sample();
  const good = JSON.parse(exportFile(st, NOW).text);
  const i = good.people.findIndex((p) => p.name === "测试乙");
  const bad = JSON.stringify({ ...good, people: good.people.map((p, j) => (j === i ? { ...p, phone: "12345" } : p)) });
  assert.throws(
    () => checkImport(core, rules, st, bad, later(1), "zh-CN"),
    (err) => /没有导入，什么都没有改/.test(err.message) && err.message.includes(`第 ${i + 1} 个人（测试乙）`),
  );
});
