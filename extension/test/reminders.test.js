// Reminders: 4 hours and 1 hour before a filing's deadline, none once the
// round is over, armed from the records, fired once per moment, naming who
// still has to verify after a 31.
import "./fake-chrome.js";
import test from "node:test";
import assert from "node:assert/strict";
import { migrateState } from "../background/migrations.js";
import { savePerson } from "../background/people.js";
import { filingNamed } from "../background/filings.js";
import { noteVerified, recordResult, roundFor, setSmsTime } from "../background/rounds.js";
import { armReminders, dueReminders, fireReminder, parseReminderName, reminderName } from "../background/reminders.js";
import { core, rules } from "./core.js";

const H = 3600e3;
const NOW = Date.parse("2026-05-01T12:00:00.000Z");
const iso = (ms) => new Date(ms).toISOString();

/** A filing whose SMS came `hoursAgo` hours before NOW, with two people. */
function withFiling(hoursAgo) {
  const st = migrateState(undefined, iso(NOW));
  const a = savePerson(
    st,
    {
      name: "测试甲",
      role: "principal",
      phone: "13800138000",
      docType: "resident-id",
      province: "",
      idLast6: "150012",
    },
    "测试小程序",
    iso(NOW),
  );
  savePerson(
    st,
    {
      name: "测试乙",
      role: "app-owner",
      phone: "13800138001",
      docType: "resident-id",
      province: "",
      idLast6: "150013",
    },
    "测试小程序",
    iso(NOW),
  );
  const f = filingNamed(st, "测试小程序");
  const r = roundFor(st, { filingId: f.id, personId: "", phone: "" }, iso(NOW - hoursAgo * H), iso(NOW));
  setSmsTime(st, r, iso(NOW - hoursAgo * H), iso(NOW));
  return { st, f, r, a };
}

test("both reminders ahead are due at 4 h and 1 h before the deadline", () => {
  const { st, f } = withFiling(10); // deadline in 14 h
  const due = dueReminders(core, rules, st, {}, NOW);
  const deadline = NOW + 14 * H;
  assert.deepEqual(
    due.map((d) => [d.kind, d.at]),
    [
      ["4h", deadline - 4 * H],
      ["1h", deadline - H],
    ],
  );
  assert.deepEqual(parseReminderName(due[0].name), { filingId: f.id, kind: "4h", deadline });
  assert.ok(!due[0].name.includes("测试"), "no name in an alarm's name");
});

test("a moment that passed comes at once; of two passed only the later", () => {
  assert.deepEqual(
    dueReminders(core, rules, withFiling(21).st, {}, NOW).map((d) => d.kind),
    ["4h", "1h"],
    "3 h left: the 4 h one at once, the 1 h one later",
  );
  assert.deepEqual(
    dueReminders(core, rules, withFiling(23.5).st, {}, NOW).map((d) => d.kind),
    ["1h"],
    "30 min left: only the 1 h one",
  );
  assert.deepEqual(dueReminders(core, rules, withFiling(25).st, {}, NOW), [], "past the deadline: none");
});

test("none once the round is over: complete or returned", () => {
  for (const status of [3, 21]) {
    const { st, r } = withFiling(10);
    recordResult(rules, r, "verify", status, iso(NOW - H), false);
    assert.deepEqual(dueReminders(core, rules, st, {}, NOW), [], `status ${status}`);
  }
});

test("armed as alarms; fired once; after a 31 it names who still has to verify", async () => {
  const { st, f, r, a } = withFiling(21);
  recordResult(rules, r, "verify", 31, iso(NOW - 2 * H), false);
  noteVerified(r, a.id);
  const due = await armReminders(core, rules, st, NOW);
  const alarms = await chrome.alarms.getAll();
  assert.deepEqual(alarms.map((x) => x.name).sort(), due.map((d) => d.name).sort());
  assert.ok(
    alarms.find((x) => x.name.includes(":4h:")).scheduledTime >= NOW,
    "a passed moment is armed for now, not the past",
  );
  const name = reminderName(f.id, "4h", NOW + 3 * H);
  assert.equal(await fireReminder(core, rules, st, name, NOW + 1000), true);
  const shown = chrome.notifications.all.get(name);
  assert.match(shown.title, /还剩约 4 小时/);
  assert.match(shown.message, /测试小程序/);
  assert.match(shown.message, /还需要核验：测试乙（小程序负责人）/);
  assert.ok(!shown.message.includes("测试甲（"), "the one who verified is not named");
  assert.equal(await fireReminder(core, rules, st, name, NOW + 2000), false, "never twice for the same moment");
  // Armed again (a worker restart): the fired one is not.
  chrome.notifications.all.clear();
  const again = await armReminders(core, rules, st, NOW + 3000);
  assert.deepEqual(
    again.map((d) => d.kind),
    ["1h"],
  );
});

test("turned off in the settings: nothing armed, nothing shown", async () => {
  const { st, f } = withFiling(10);
  await chrome.storage.local.set({ "heyan-settings": { language: "auto", card: true, bar: true, reminders: false } });
  assert.deepEqual(await armReminders(core, rules, st, NOW), []);
  assert.deepEqual(
    (await chrome.alarms.getAll()).filter((x) => x.name.includes(f.id)),
    [],
  );
  assert.equal(await fireReminder(core, rules, st, reminderName(f.id, "4h", NOW + 14 * H), NOW + 10 * H), false);
  await chrome.storage.local.set({ "heyan-settings": { language: "auto", card: true, bar: true, reminders: true } });
});
