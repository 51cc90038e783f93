// @ts-check
// Undo for a delete: what a delete removed waits in chrome.storage.session
// (memory only, gone with the browser) for a few minutes under a random
// token, and undo puts it back as it was, where nothing has taken its place.

import { ERROR_CODES } from "../messages.js";
import { ExtensionError } from "../errors.js";
import { randomId } from "../ids.js";
import { touch } from "./store.js";
import { sessionMap } from "./session.js";
import { SESSION_KEYS } from "../storage-keys.js";

/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Person} Person */
/** @typedef {import("./store.js").Filing} Filing */
/** @typedef {import("./store.js").Round} Round */

/**
 * What one delete removed: the records, and the person's places in the
 * filings that stay.
 * @typedef {{at: number, people: Person[], filings: Filing[], rounds: Round[], memberships: {filingId: string, role: import("../messages.js").Role, personId: string}[]}} Removed
 */

/** How long a delete can be undone. */
const UNDO_MS = 10 * 60 * 1000;
/** How many deletes wait at most. */
const KEEP = 10;

/** Where the removed records wait (memory only). */
/** @type {import("./session.js").SessionMap<Removed>} */
const stashed = sessionMap(SESSION_KEYS.undo);

/**
 * stash keeps what a delete removed and gives the token that brings it back.
 * @param {Omit<Removed, "at">} removed
 * @param {number} nowMs
 * @returns {Promise<string>}
 */
export function stash(removed, nowMs) {
  return stashed.change((m) => {
    for (const [k, v] of Object.entries(m)) if (nowMs - v.at > UNDO_MS) delete m[k];
    const token = randomId();
    m[token] = { ...removed, at: nowMs };
    const keys = Object.keys(m).sort((a, b) => m[a].at - m[b].at);
    while (keys.length > KEEP) delete m[/** @type {string} */ (keys.shift())];
    return token;
  });
}

/**
 * forgetUndo drops every delete waiting for its undo (a wipe leaves none
 * behind): an undo offered before answers that nothing is left to undo.
 */
export function forgetUndo() {
  return stashed.clear();
}

/**
 * take removes and returns what a token brings back.
 * @param {string} token
 * @param {number} nowMs
 * @returns {Promise<Removed>}
 */
export function take(token, nowMs) {
  return stashed.change((m) => {
    const r = m[token];
    if (!r || nowMs - r.at > UNDO_MS) {
      throw new ExtensionError(
        ERROR_CODES.undoExpired,
        `heyan: nothing to undo (it waits ${UNDO_MS / 60000} minutes at most)`,
      );
    }
    delete m[token];
    return r;
  });
}

/**
 * restore puts removed records back into the state, as they were. A person
 * whose phone and role were saved again meanwhile is not brought back (the
 * error says so); places in filings that are gone are dropped.
 * @param {State} state
 * @param {Removed} r
 * @param {string} now
 */
export function restore(state, r, now) {
  for (const p of r.people) {
    const twin = Object.values(state.people).find((x) => x.id !== p.id && x.phone === p.phone && x.role === p.role);
    if (twin)
      throw new ExtensionError(
        ERROR_CODES.duplicate,
        "heyan: that person was saved again meanwhile; nothing was brought back",
      );
  }
  for (const p of r.people) state.people[p.id] = p;
  for (const f of r.filings) state.filings[f.id] = f;
  for (const x of r.rounds) state.rounds[x.id] = x;
  for (const m of r.memberships) {
    const f = state.filings[m.filingId];
    if (f && state.people[m.personId] && !f.people.some((x) => x.role === m.role && x.personId === m.personId)) {
      f.people.push({ role: m.role, personId: m.personId });
      touch(f, now);
    }
  }
}
