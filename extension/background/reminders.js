// @ts-check
// Reminders before a filing's 24-hour deadline: 4 hours and 1 hour before,
// unless the round is over (complete, returned, past its 24 hours); after a
// 31 (others must verify) a reminder names who still has to. The schedule
// is worked out from the stored records, so it is armed again whenever the
// worker starts (a browser restart, an extension update clears alarms) and
// whenever the records change; what has fired is kept in storage, so a
// reminder never fires twice for the same moment. Clicking one opens the
// MIIT SMS page.

import { MIIT_SMS_PAGE } from "../places.js";
import { errorMessage } from "../errors.js";
import { languageOf, readSettings } from "../settings.js";
import { roleTitle, stateRule } from "../rules.js";
import { findRound, trackOf } from "./rounds.js";
import { LOCAL_KEYS } from "../storage-keys.js";

/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Filing} Filing */
/** @typedef {import("../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../rules.js").Rules} Rules */

/** The alarms of reminders are named with this prefix (and nothing personal). */
export const REMINDER_PREFIX = "heyan-reminder:";
/** What has fired, by alarm name (in chrome.storage.local). */
export const FIRED_KEY = LOCAL_KEYS.remindersFired;

/** How long before the deadline each reminder comes. */
export const BEFORE = /** @type {const} */ ([
  { kind: "4h", ms: 4 * 3600e3 },
  { kind: "1h", ms: 3600e3 },
]);
/** A reminder whose moment passed while nothing ran comes at once, this soon. */
const LATE_DELAY_MS = 1000;

/**
 * @typedef {{name: string, filingId: string, kind: "4h" | "1h", at: number, deadline: number}} Reminder
 */

/**
 * reminderName names one reminder: the filing, which one, and the deadline
 * it is for (a new round has a new deadline, so new reminders).
 * @param {string} filingId
 * @param {string} kind
 * @param {number} deadline ms
 */
export function reminderName(filingId, kind, deadline) {
  return `${REMINDER_PREFIX + filingId}:${kind}:${deadline}`;
}

/**
 * parseReminderName reads a reminder's name back, or null.
 * @param {string} name
 * @returns {{filingId: string, kind: string, deadline: number} | null}
 */
export function parseReminderName(name) {
  if (!name.startsWith(REMINDER_PREFIX)) return null;
  const [filingId, kind, deadline] = name.slice(REMINDER_PREFIX.length).split(":");
  const d = Number(deadline);
  return filingId && kind && Number.isFinite(d) ? { filingId, kind, deadline: d } : null;
}

/**
 * dueReminders is the schedule the records ask for now: for every filing
 * whose round is open and has a deadline still ahead, its reminders not
 * fired yet. Of the moments already passed only the latest is kept (it
 * comes at once); the earlier ones count as fired.
 * @param {HeyanCore} core
 * @param {Rules} rules
 * @param {State} state
 * @param {Record<string, number>} fired
 * @param {number} nowMs
 * @returns {Reminder[]}
 */
export function dueReminders(core, rules, state, fired, nowMs) {
  /** @type {Reminder[]} */
  const out = [];
  const nowISO = new Date(nowMs).toISOString();
  for (const f of Object.values(state.filings)) {
    const r = findRound(state, { filingId: f.id, personId: "", phone: "" });
    const track = r ? trackOf(core, r.events, nowISO, "zh-CN") : null;
    if (!track?.deadline || stateRule(rules, track.state).closed) continue;
    const deadline = Date.parse(track.deadline);
    if (!(deadline > nowMs)) continue;
    const all = BEFORE.map((b) => ({
      name: reminderName(f.id, b.kind, deadline),
      filingId: f.id,
      kind: b.kind,
      at: deadline - b.ms,
      deadline,
    }));
    const passed = all.filter((x) => x.at <= nowMs);
    const latestPassed = passed.length ? passed[passed.length - 1] : null;
    for (const x of all) {
      if (fired[x.name]) continue;
      if (x.at <= nowMs && x !== latestPassed) continue; // superseded by a later moment that also passed
      out.push(x);
    }
  }
  return out;
}

/**
 * stillToVerify names who of a filing has not verified yet in its round:
 * after a 31, the others.
 * @param {Rules} rules
 * @param {State} state
 * @param {Filing} f
 */
function stillToVerify(rules, state, f) {
  const r = findRound(state, { filingId: f.id, personId: "", phone: "" });
  const done = new Set(r && Array.isArray(r.verified) ? r.verified : []);
  if (!done.size) return [];
  return f.people
    .filter((m) => !done.has(m.personId) && state.people[m.personId])
    .map((m) => `${state.people[m.personId].name}（${roleTitle(rules, m.role, f.platform)}）`);
}

/**
 * reminderText is a reminder's title and message, in the user's language.
 * @param {Rules} rules
 * @param {State} state
 * @param {Filing} f
 * @param {string} kind
 * @param {"zh-CN" | "en"} lang
 */
export function reminderText(rules, state, f, kind, lang) {
  const hours = kind === "4h" ? 4 : 1;
  const others = stillToVerify(rules, state, f);
  if (lang === "en") {
    return {
      title: `Heyan: ${hours} hour${hours > 1 ? "s" : ""} left to verify`,
      message:
        `The SMS verification of “${f.name}” closes in about ${hours} hour${hours > 1 ? "s" : ""}.` +
        (others.length ? ` Still to verify: ${others.join(", ")}.` : " Verify on the MIIT site before then.") +
        " Click to open the MIIT SMS page.",
    };
  }
  return {
    title: `核验助手：还剩约 ${hours} 小时`,
    message:
      `“${f.name}”的短信核验约 ${hours} 小时后截止。` +
      (others.length ? `还需要核验：${others.join("、")}。` : "请在截止前到工信部网站核验。") +
      "点这里打开工信部短信核验页面。",
  };
}

/**
 * readFired is what has fired, by alarm name.
 * @returns {Promise<Record<string, number>>}
 */
async function readFired() {
  const got = await chrome.storage.local.get(FIRED_KEY);
  const m = got[FIRED_KEY];
  return m && typeof m === "object" ? m : {};
}

/**
 * armReminders makes the alarms the schedule asks for and clears the rest
 * of ours (none while reminders are turned off).
 * @param {HeyanCore} core
 * @param {Rules} rules
 * @param {State} state
 * @param {number} nowMs
 */
export async function armReminders(core, rules, state, nowMs) {
  const settings = await readSettings();
  const due = settings.reminders ? dueReminders(core, rules, state, await readFired(), nowMs) : [];
  const wanted = new Map(due.map((d) => [d.name, d]));
  for (const a of await chrome.alarms.getAll()) {
    if (a.name.startsWith(REMINDER_PREFIX) && !wanted.has(a.name)) await chrome.alarms.clear(a.name);
  }
  const armed = new Set((await chrome.alarms.getAll()).map((a) => a.name));
  for (const d of due) {
    if (!armed.has(d.name)) await chrome.alarms.create(d.name, { when: Math.max(d.at, nowMs + LATE_DELAY_MS) });
  }
  return due;
}

/**
 * fireReminder shows the reminder an alarm is for, if the schedule still
 * asks for it (the round may have finished since), and marks it fired (with
 * the earlier ones for the same deadline).
 * @param {HeyanCore} core
 * @param {Rules} rules
 * @param {State} state
 * @param {string} name
 * @param {number} nowMs
 * @returns {Promise<boolean>} whether a notification was shown
 */
export async function fireReminder(core, rules, state, name, nowMs) {
  const r = parseReminderName(name);
  if (!r) return false;
  const fired = await readFired();
  if (fired[name]) return false;
  const settings = await readSettings();
  const due = settings.reminders ? dueReminders(core, rules, state, fired, nowMs) : [];
  const f = state.filings[r.filingId];
  if (!f || !due.some((d) => d.name === name)) return false;
  for (const b of BEFORE) {
    fired[reminderName(r.filingId, b.kind, r.deadline)] = nowMs;
    if (b.kind === r.kind) break;
  }
  // Forget what fired for deadlines long gone: the record stays small.
  for (const [k, at] of Object.entries(fired)) if (nowMs - at > 7 * 24 * 3600e3) delete fired[k];
  await chrome.storage.local.set({ [FIRED_KEY]: fired });
  const { title, message } = reminderText(rules, state, f, r.kind, languageOf(settings));
  await chrome.notifications.create(name, {
    type: "basic",
    iconUrl: chrome.runtime.getURL("icons/icon-128.png"),
    title,
    message,
    priority: 2,
  });
  return true;
}

/**
 * openFromReminder opens the MIIT SMS page for a clicked reminder (no
 * "tabs" permission needed to open one).
 * @param {string} notificationId
 */
export function openFromReminder(notificationId) {
  if (!notificationId.startsWith(REMINDER_PREFIX)) return;
  chrome.tabs
    .create({ url: MIIT_SMS_PAGE })
    .catch((err) => console.warn("heyan: the MIIT page did not open:", errorMessage(err)));
  chrome.notifications
    .clear(notificationId)
    .catch((err) => console.debug("heyan: the reminder stays listed:", errorMessage(err)));
}
