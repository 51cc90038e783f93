// @ts-check
// Filings: a name, the platform and scenario that decide who verifies, the
// people by role, when the SMS arrived and the tracker's state at the last
// answer. A person can be in several filings (one phone can verify several).

import { randomId } from "../messages.js";
import { touch } from "./store.js";
import { stateRule } from "../rules.js";

/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Filing} Filing */
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
    .sort((a, b) => closed(a) - closed(b) ||
      Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || a.id.localeCompare(b.id));
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
  const f = { id: randomId(), rev: 0, updatedAt: now, name, platform: "", scenario: "", people, smsAt: null, status: "" };
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
