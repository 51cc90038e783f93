// @ts-check
// The extension's state in chrome.storage.local, under one key with a schema
// version. Only the service worker writes it. It never holds a full ID
// number (people keep the ID last 6 only), and no key or record ID holds a
// phone number or a name: records are kept under random IDs.

import { ERROR_CODES } from "../messages.js";
import { ExtensionError } from "../errors.js";
import { LOCAL_KEYS, STATE_KEY } from "../storage-keys.js";
import { migrateState, readStored } from "./migrations.js";
import { openState, sealState } from "./vault.js";
import { vaultKeyNow } from "./sync-session.js";

export { STATE_KEY };

/** @typedef {import("../../wasm/heyan-core").TrackEvent} CoreEvent */
/** @typedef {import("../messages.js").Role} Role */
/** @typedef {import("../messages.js").Province} Province */
/** @typedef {import("../messages.js").Platform} Platform */
/** @typedef {import("../messages.js").TrackState} TrackState */

/**
 * What every record carries, so that each can become one sync record: a
 * random ID, a revision that goes up by one with every change, and when it
 * last changed (RFC 3339).
 * @typedef {{id: string, rev: number, updatedAt: string}} RecordMeta
 */

/**
 * @typedef {RecordMeta & {
 *   name: string, role: Role, phone: string,
 *   docType: string, province: Province, idLast6: string
 * }} Person
 * A saved person. phone is normalized by the core; idLast6 too, by the rules
 * of docType and province (Zhejiang's HK/Macau permit holders type their
 * HK/Macau identity card, e.g. 567（8）). role is the person's usual role;
 * each filing says which role they have in it.
 */

/**
 * @typedef {{role: Role, personId: string}} Member
 * One of a filing's people, in the role they verify for.
 */

/**
 * @typedef {RecordMeta & {
 *   name: string, platform: Platform | "", scenario: string,
 *   people: Member[], smsAt: string | null, status: TrackState | ""
 * }} Filing
 * A filing: its name, the platform and scenario (which decide who verifies;
 * "" until the user says), its people by role, when its SMS arrived (null
 * until known) and the tracker's state at its last answer ("" before any).
 */

/**
 * @typedef {RecordMeta & {
 *   filingId: string, personId: string, phone: string,
 *   events: CoreEvent[], smsAsked: boolean, fromText?: boolean, answerIds?: string[], verified?: string[]
 * }} Round
 * One filing's verification rounds: the tracker's input. It belongs to a
 * filing (filingId), or until the person is in one to a saved person
 * (personId), or to a phone nobody is saved with (phone, the only place a
 * phone is kept outside a person; moved to the person once one is saved).
 * Exactly one of the three is set. The events start with an sms-received
 * event (the first answer or the user's SMS time); a new sms-received after
 * the filing was returned or expired starts a new round of counts.
 * fromText: some answer was read from the page's text alone, which can miss
 * a repeated identical answer, so the counts are an upper bound of what is
 * left. answerIds: the IDs of the last answers recorded (random, per answer,
 * from the page's content script), stored with their events in the same
 * write: an answer sent again because the worker went away before replying
 * is counted once. verified: the saved people whose own verification the
 * site confirmed in this round (a 31 or a 3): a reminder names the others.
 */

/**
 * @typedef {{
 *   schema: number,
 *   people: Record<string, Person>,
 *   filings: Record<string, Filing>,
 *   rounds: Record<string, Round>
 * }} State
 * Which person is chosen is not here: it is per tab (chrome.storage.session,
 * background/selection.js).
 */

/**
 * touch records a change of a record: one revision up, changed now.
 * @param {RecordMeta} record
 * @param {string} now RFC 3339
 */
export function touch(record, now) {
  record.rev = (Number.isInteger(record.rev) ? record.rev : 0) + 1;
  record.updatedAt = now;
}

/**
 * readState returns the current state, migrated to the current schema. A
 * state from a newer schema (the extension was downgraded) is refused, and
 * left as it is.
 * @param {() => string} [now] the clock, for records a migration makes
 * @returns {Promise<State>}
 */
export async function readState(now = () => new Date().toISOString()) {
  const got = await chrome.storage.local.get(STATE_KEY);
  let raw = got[STATE_KEY];
  if (raw && typeof raw === "object" && raw.schema === SEALED_SCHEMA) {
    const key = await vaultKeyNow();
    if (!key) {
      throw new ExtensionError(
        ERROR_CODES.vaultLocked,
        "heyan: the saved people and filings are encrypted for the sync account: sign in on the options page (同步) to unlock them",
      );
    }
    raw = await openState(key, raw.sealed);
  }
  const { state, setAside } = readStored(raw, now());
  if (setAside) await keepAside(setAside, now());
  return state;
}

/** How many damaged copies are kept at most (the oldest go first). */
const KEEP_DAMAGED = 10;

/**
 * keepAside stores what a read set aside under its own key, before anything
 * can write the state again, so that a damaged value is never written over.
 * The same damage read again (no save came between) is kept once.
 * @param {import("./migrations.js").SetAside} setAside
 * @param {string} at RFC 3339
 */
async function keepAside(setAside, at) {
  const got = await chrome.storage.local.get(LOCAL_KEYS.damaged);
  const kept = Array.isArray(got[LOCAL_KEYS.damaged]) ? got[LOCAL_KEYS.damaged] : [];
  const same = JSON.stringify(setAside);
  if (kept.some((/** @type {any} */ k) => JSON.stringify(k.setAside) === same)) return;
  kept.push({ at, setAside });
  await chrome.storage.local.set({ [LOCAL_KEYS.damaged]: kept.slice(-KEEP_DAMAGED) });
}

/**
 * damagedCopies is what reads of the state set aside, oldest first: each
 * with when it was found.
 * @returns {Promise<{at: string, setAside: import("./migrations.js").SetAside}[]>}
 */
export async function damagedCopies() {
  const got = await chrome.storage.local.get(LOCAL_KEYS.damaged);
  return Array.isArray(got[LOCAL_KEYS.damaged]) ? got[LOCAL_KEYS.damaged] : [];
}

/**
 * The schema number of the encrypted envelope of the state, while an
 * account is signed in: {schema: SEALED_SCHEMA, sealed}. Above any real
 * schema, so that a version of the extension that cannot open it refuses it
 * as newer and leaves it untouched (rather than taking it for a fresh
 * install and writing over it).
 */
export const SEALED_SCHEMA = 1000000;

/**
 * writeState stores the state: encrypted under the vault key while an
 * account is signed in and unlocked, else as it is.
 * @param {State} state
 */
export async function writeState(state) {
  const key = await vaultKeyNow();
  const value = key ? { schema: SEALED_SCHEMA, sealed: await sealState(key, state) } : state;
  await chrome.storage.local.set({ [STATE_KEY]: value });
}

/**
 * readStateOrLocked is the state, or while the encrypted copy is locked
 * (signed in to sync, the browser restarted) an empty one, for what the
 * MIIT page shows without saved records: the bar's live checks, a fresh
 * round's counts.
 * @param {() => string} [now]
 * @returns {Promise<{state: State, locked: boolean}>}
 */
export async function readStateOrLocked(now = () => new Date().toISOString()) {
  try {
    return { state: await readState(now), locked: false };
  } catch (err) {
    if (!(err instanceof ExtensionError) || err.code !== ERROR_CODES.vaultLocked) throw err;
    return { state: migrateState(undefined, now()), locked: true };
  }
}

/**
 * isLocked tells, without decrypting anything, whether the stored state is
 * the encrypted envelope with no vault key to open it (signed in to sync,
 * the browser restarted, the password not typed yet).
 */
export async function isLocked() {
  const got = await chrome.storage.local.get(STATE_KEY);
  const raw = got[STATE_KEY];
  return !!raw && typeof raw === "object" && raw.schema === SEALED_SCHEMA && !(await vaultKeyNow());
}

/** @type {Promise<unknown>} */
let stateWrites = Promise.resolve();

/** @type {((state: State) => void)[]} */
const afterWrite = [];

/**
 * onStateWritten calls f after every change stored through updateState
 * (sync watches its people and filings).
 * @param {(state: State) => void} f
 */
export function onStateWritten(f) {
  afterWrite.push(f);
}

/**
 * wipeState removes the records and everything kept of them in
 * chrome.storage.local (damaged copies set aside, which reminders fired),
 * in turn with the other changes and without reading the state: a locked
 * copy, whose password is lost, can be wiped. first runs before the removal
 * (the sync session goes, so nothing writes the state sealed again).
 * @param {() => Promise<void>} first
 */
export function wipeState(first) {
  const run = stateWrites.then(async () => {
    await first();
    await chrome.storage.local.remove([STATE_KEY, LOCAL_KEYS.damaged, LOCAL_KEYS.remindersFired]);
    const empty = migrateState(undefined, new Date().toISOString());
    for (const f of afterWrite) f(empty);
  });
  stateWrites = run.catch(() => {
    // the caller of this write sees its error; the queue only waits for it
  });
  return run;
}

/**
 * updateState applies change to the state and stores the result. Changes run
 * one at a time, so two tabs reporting at once cannot lose an event. A change
 * that throws stores nothing.
 * @template T
 * @param {(state: State) => T | Promise<T>} change
 * @returns {Promise<T>}
 */
export function updateState(change) {
  const run = stateWrites.then(async () => {
    const state = await readState();
    const result = await change(state);
    await writeState(state);
    for (const f of afterWrite) f(state);
    return result;
  });
  // The next change waits for this one, whatever its outcome; the caller
  // gets this one's own result or error.
  stateWrites = run.catch(() => {
    // the caller of this write sees its error; the queue only waits for it
  });
  return run;
}
