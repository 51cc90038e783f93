// @ts-check
// Filings: a name, the platform and scenario that decide who verifies, the
// people by role, when the SMS arrived and the tracker's state at the last
// answer. A person can be in several filings (one phone can verify several).

import { randomId } from "../ids.js";
import { touch } from "./store.js";
import { stateRule } from "../rules.js";

/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Filing} Filing */
/** @typedef {import("./store.js").Member} Member */
/** @typedef {import("../messages.js").Role} Role */
/** @typedef {import("../rules.js").Rules} Rules */

/** How long a filing's name may be. */
export const MAX_FILING_NAME = 60;

/**
 * filingsOf lists the filings a person is in: open ones first (a filing
 * being verified now; known from the core's rules, when they are given),
 * then the most recently changed.
 * @param {State} state
 * @param {string} personId
 * @param {Rules | null} rules
 * @returns {Filing[]}
 */
export function filingsOf(state, personId, rules) {
  const closed = (/** @type {Filing} */ f) => Number(!!rules && !!f.status && stateRule(rules, f.status).closed);
  return Object.values(state.filings)
    .filter((f) => f.people.some((m) => m.personId === personId))
    .sort(
      (a, b) => closed(a) - closed(b) || Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || a.id.localeCompare(b.id),
    );
}

/**
 * filingNamed finds a filing by its exact name.
 * @param {State} state
 * @param {string} name
 * @returns {Filing | null}
 */
export function filingNamed(state, name) {
  return Object.values(state.filings).find((f) => f.name === name) || null;
}

/**
 * newFiling adds a filing with this name and these people; the platform and
 * scenario stay "" until the user says.
 * @param {State} state
 * @param {string} name
 * @param {string} now
 * @param {import("./store.js").Member[]} [people]
 * @returns {Filing}
 */
export function newFiling(state, name, now, people = []) {
  /** @type {Filing} */
  const f = {
    id: randomId(),
    rev: 0,
    updatedAt: now,
    name,
    platform: "",
    scenario: "",
    people,
    smsAt: null,
    status: "",
  };
  touch(f, now);
  state.filings[f.id] = f;
  return f;
}

/**
 * addMember puts a person in a filing in a role (once).
 * @param {Filing} filing
 * @param {Role} role
 * @param {string} personId
 * @param {string} now
 */
export function addMember(filing, role, personId, now) {
  if (filing.people.some((m) => m.role === role && m.personId === personId)) return;
  filing.people.push({ role, personId });
  touch(filing, now);
}

/**
 * removeMember takes a person out of every filing.
 * @param {State} state
 * @param {string} personId
 * @param {string} now
 */
export function removeMember(state, personId, now) {
  for (const f of Object.values(state.filings)) {
    const kept = f.people.filter((m) => m.personId !== personId);
    if (kept.length === f.people.length) continue;
    f.people = kept;
    touch(f, now);
  }
}

/**
 * validateFiling checks a filing as typed: a name (not another filing's), a
 * platform and scenario the core knows (or none yet), people who are saved,
 * in roles that exist, and an SMS time that is not in the future. Each
 * problem names its field.
 * @param {Rules} rules
 * @param {State} state
 * @param {string} id the filing being changed, "" for a new one
 * @param {import("../messages.js").FilingInput} input
 * @param {string} now
 * @param {import("../messages.js").Lang} lang
 * @returns {{filing: Omit<Filing, keyof import("./store.js").RecordMeta | "status"> | null, problems: import("../messages.js").FieldProblem[]}}
 */
export function validateFiling(rules, state, id, input, now, lang) {
  const en = lang === "en";
  /** @type {import("../messages.js").FieldProblem[]} */
  const problems = [];
  const say = (
    /** @type {string} */ code,
    /** @type {string} */ field,
    /** @type {string} */ zh,
    /** @type {string} */ enText,
  ) => problems.push({ code, field, message: en ? enText : zh });
  const name = String(input.name || "")
    .trim()
    .slice(0, MAX_FILING_NAME);
  if (!name)
    say(
      "name-empty",
      "name",
      "请填写备案名称（如小程序或网站的名字）。",
      "Enter the filing's name (the mini-program's or website's).",
    );
  const twin = Object.values(state.filings).find((f) => f.id !== id && f.name === name);
  if (name && twin)
    say(
      "duplicate",
      "name",
      "已经有一个同名的备案了：请改那一个，或换个名字。",
      "There is a filing of that name already: edit it, or choose another name.",
    );
  const platform = String(input.platform || "");
  const p = rules.platforms.find((x) => x.id === platform);
  if (platform && !p) say("unknown-platform", "platform", "不认识这个备案平台。", "Unknown filing platform.");
  const scenario = String(input.scenario || "");
  if (scenario && !p?.scenarios.some((s) => s.id === scenario)) {
    say(
      "unknown-scenario",
      "scenario",
      "这个平台没有这种备案场景：请用“谁来核验”的问题重新选。",
      "That platform has no such scenario: choose it again with the who-verifies questions.",
    );
  }
  /** @type {Member[]} */
  const people = [];
  for (const m of Array.isArray(input.people) ? input.people : []) {
    const person = m && state.people[m.personId];
    if (!person) {
      say(
        "not-found",
        "people",
        "选的人里有一位已经不在保存的名单里了。",
        "One of the people chosen is no longer saved.",
      );
      continue;
    }
    if (!rules.roles.some((r) => r.id === m.role)) {
      say("unknown-role", "people", "不认识这个角色。", "Unknown role.");
      continue;
    }
    if (!people.some((x) => x.role === m.role && x.personId === m.personId))
      people.push({ role: m.role, personId: m.personId });
  }
  let smsAt = null;
  if (input.smsAt) {
    const t = Date.parse(input.smsAt);
    if (Number.isNaN(t)) say("bad-time", "smsAt", "短信收到的时间看不懂。", "The SMS time is not a time.");
    else if (t > Date.parse(now) + 60e3)
      say("future-time", "smsAt", "短信收到的时间不能在将来。", "The SMS time cannot be in the future.");
    else smsAt = new Date(t).toISOString();
  }
  if (problems.length) return { filing: null, problems };
  return {
    filing: { name, platform: /** @type {Filing["platform"]} */ (platform), scenario, people, smsAt },
    problems: [],
  };
}

/**
 * putFiling adds a filing (id "") or changes the one with this id.
 * @param {State} state
 * @param {string} id
 * @param {Omit<Filing, keyof import("./store.js").RecordMeta | "status">} fields validated
 * @param {string} now
 * @returns {Filing | null} null when there is no filing with that id (any more)
 */
export function putFiling(state, id, fields, now) {
  if (id && !state.filings[id]) return null;
  if (!id) {
    const f = newFiling(state, fields.name, now, fields.people);
    Object.assign(f, fields);
    return f;
  }
  const f = state.filings[id];
  Object.assign(f, fields);
  touch(f, now);
  return f;
}
