// @ts-check
// The extension's state in chrome.storage.local, under one key with a schema
// version. Only the service worker writes it. It never holds a full ID
// number: people keep the ID last 6 only.

/** @typedef {import("../../wasm/heyan-core").TrackEvent} CoreEvent */

/**
 * @typedef {{
 *   id: string, name: string, role: Role, phone: string,
 *   docType: string, province: Province, idLast6: string, filing: string
 * }} Person
 * A saved person. phone is normalized by the core; idLast6 too, by the rules
 * of docType and province (Zhejiang's HK/Macau permit holders type their
 * HK/Macau identity card, e.g. 567（8）).
 */

/**
 * @typedef {{events: CoreEvent[], smsAsked: boolean, fromText?: boolean, answerIds?: string[]}} Series
 * One filing's verification rounds: the tracker's input. It starts with an
 * sms-received event (the first answer or the user's SMS time); a new
 * sms-received after the filing was returned or expired starts a new round.
 * fromText: some answer was read from the page's text alone, which can miss
 * a repeated identical answer, so the counts are an upper bound of what is left.
 * answerIds: the IDs of the last answers recorded (random, per answer, from
 * the page's content script), stored with their events in the same write:
 * an answer sent again because the worker went away before replying is
 * counted once. Optional, absent in older state: no schema change.
 */

/**
 * @typedef {{schema: number, people: Person[], series: Record<string, Series>}} State
 * Which person is chosen is not here: it is per tab (chrome.storage.session,
 * background/selection.js).
 */

const STATE_KEY = "heyan";
const SCHEMA_VERSION = 3;

/**
 * Migrations from each older schema to the next. Stored state is migrated on
 * read and written back at the next change; add a step for every change of
 * shape, never edit an old one.
 * @type {Record<number, (old: any) => any>}
 */
const MIGRATIONS = {
  // 0: nothing stored yet (a fresh install).
  0: () => ({ schema: 1, people: [], selected: "", series: {} }),
  // 1 → 2: people gain the province whose ID rules apply ("" everywhere but
  // Zhejiang); everyone saved before was checked by the general rules.
  1: (old) => ({
    ...old,
    schema: 2,
    people: (Array.isArray(old.people) ? old.people : []).map((/** @type {any} */ p) => ({ ...p, province: "" })),
  }),
  // 2 → 3: the chosen person moves to each tab (it was one for all tabs), and
  // rounds are kept only for answers and SMS times: a phone's round that only
  // typing started (an sms-received event alone, never confirmed) is dropped,
  // with the full phone number in its key.
  2: (old) => {
    const { selected, ...rest } = old;
    /** @type {Record<string, any>} */
    const series = {};
    for (const [key, s] of Object.entries(old.series && typeof old.series === "object" ? old.series : {})) {
      const typedOnly = key.startsWith("phone:") && s && !s.smsAsked &&
        Array.isArray(s.events) && s.events.every((/** @type {any} */ e) => e && e.type === "sms-received");
      if (!typedOnly) series[key] = s;
    }
    return { ...rest, schema: 3, series };
  },
};

/**
 * migrateState brings stored state of any known schema to the current one. A
 * newer schema (the extension was downgraded) is refused rather than damaged.
 * @param {any} raw
 * @returns {State}
 */
function migrateState(raw) {
  let state = raw && typeof raw === "object" ? raw : { schema: 0 };
  if (typeof state.schema !== "number") state = { schema: 0 };
  if (state.schema > SCHEMA_VERSION) {
    throw new Error("heyan: stored state has schema " + state.schema + ", newer than this version (" + SCHEMA_VERSION + ")");
  }
  while (state.schema < SCHEMA_VERSION) state = MIGRATIONS[state.schema](state);
  return /** @type {State} */ (state);
}

/** @type {Promise<unknown>} */
let stateWrites = Promise.resolve();

/**
 * readState returns the current state.
 * @returns {Promise<State>}
 */
async function readState() {
  const got = await chrome.storage.local.get(STATE_KEY);
  return migrateState(got[STATE_KEY]);
}

/**
 * updateState applies change to the state and stores the result. Changes run
 * one at a time, so two tabs reporting at once cannot lose an event.
 * @template T
 * @param {(state: State) => T | Promise<T>} change
 * @returns {Promise<T>}
 */
function updateState(change) {
  const run = stateWrites.then(async () => {
    const state = await readState();
    const result = await change(state);
    await chrome.storage.local.set({ [STATE_KEY]: state });
    return result;
  });
  stateWrites = run.catch(() => {});
  return run;
}
