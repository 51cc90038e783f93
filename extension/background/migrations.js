// @ts-check
// Stored state of every older schema, brought to the current one on read
// and written back at the next change. Add a step for every change of
// shape; never edit an old one (a user may skip versions).

import { ERROR_CODES } from "../messages.js";
import { ExtensionError } from "../errors.js";
import { randomId } from "../ids.js";

/** The schema this version writes (background/store.js describes it). */
export const SCHEMA_VERSION = 4;

/**
 * @typedef {{now: string, newId: () => string}} MigrationContext
 * now: when the migration runs (the updated-at of the records it makes);
 * newId: makes a random record ID.
 */

/** @param {unknown} v */
const isObject = (v) => !!v && typeof v === "object" && !Array.isArray(v);
/** @param {unknown} v */
const str = (v) => (typeof v === "string" ? v : "");

/**
 * Migrations from each older schema to the next.
 * @type {Record<number, (old: any, ctx: MigrationContext) => any>}
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
    for (const [key, s] of Object.entries(isObject(old.series) ? old.series : {})) {
      const typedOnly =
        key.startsWith("phone:") &&
        s &&
        !s.smsAsked &&
        Array.isArray(s.events) &&
        s.events.every((/** @type {any} */ e) => e && e.type === "sms-received");
      if (!typedOnly) series[key] = s;
    }
    return { ...rest, schema: 3, series };
  },
  // 3 → 4: records with identities. People, filings and rounds get random
  // IDs, a revision and an updated-at time; a filing becomes a record of its
  // own (it was a name on each person), holding its people by role; a round
  // belongs to a filing or a person by ID. The round keys of schema 3 held
  // the filing's name ("filing:…") or the full phone ("phone:…"); they go.
  3: migrateToRecords,
};

/**
 * migrateToRecords is the 3 → 4 step.
 * @param {any} old
 * @param {MigrationContext} ctx
 */
function migrateToRecords(old, { now, newId }) {
  /** @type {Record<string, any>} */
  const people = {};
  /** @type {Record<string, any>} */
  const filings = {};
  /** @type {Record<string, any>} */
  const rounds = {};
  /** @type {Map<string, any>} filings by name */
  const byName = new Map();
  /** @param {string} name */
  const filingNamed = (name) => {
    let f = byName.get(name);
    if (!f) {
      f = {
        id: newId(),
        rev: 1,
        updatedAt: now,
        name,
        platform: "",
        scenario: "",
        people: [],
        smsAt: null,
        status: "",
      };
      byName.set(name, f);
      filings[f.id] = f;
    }
    return f;
  };

  /** @type {{id: string, phone: string, filing: string}[]} */
  const saved = [];
  for (const p of Array.isArray(old.people) ? old.people : []) {
    if (!isObject(p)) continue;
    // Schema 3 made person IDs with crypto.randomUUID: already random.
    const id = str(p.id) && !people[p.id] ? p.id : newId();
    people[id] = {
      id,
      rev: 1,
      updatedAt: now,
      name: str(p.name),
      role: str(p.role) || "principal",
      phone: str(p.phone),
      docType: str(p.docType) || "resident-id",
      province: p.province === "zhejiang" ? "zhejiang" : "",
      idLast6: str(p.idLast6),
    };
    const filing = str(p.filing).trim();
    if (filing) filingNamed(filing).people.push({ role: people[id].role, personId: id });
    saved.push({ id, phone: people[id].phone, filing });
  }

  for (const [key, s] of Object.entries(isObject(old.series) ? old.series : {})) {
    if (!isObject(s)) continue;
    const events = Array.isArray(s.events) ? s.events : [];
    const round = {
      id: newId(),
      rev: 1,
      updatedAt: now,
      filingId: "",
      personId: "",
      phone: "",
      events,
      smsAsked: !!s.smsAsked,
      ...(s.fromText ? { fromText: true } : {}),
      ...(Array.isArray(s.answerIds) ? { answerIds: s.answerIds } : {}),
    };
    if (key.startsWith("filing:")) {
      const f = filingNamed(key.slice("filing:".length));
      round.filingId = f.id;
      f.smsAt = smsTimeOf(events);
    } else if (key.startsWith("phone:")) {
      const phone = key.slice("phone:".length);
      // Schema 3 counted a saved person's answers in their filing's round;
      // a phone's round is that of someone saved without a filing (first
      // such), or of a phone nobody is saved with.
      const owner = saved.find((p) => p.phone === phone && !p.filing) || saved.find((p) => p.phone === phone);
      if (owner) round.personId = owner.id;
      else round.phone = phone;
    } else {
      continue; // no version wrote other keys
    }
    rounds[round.id] = round;
  }
  return { schema: 4, people, filings, rounds };
}

/**
 * smsTimeOf is when a round's current SMS arrived: its last sms-received event.
 * @param {any[]} events
 * @returns {string | null}
 */
function smsTimeOf(events) {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e && e.type === "sms-received" && typeof e.at === "string") return e.at;
  }
  return null;
}

/**
 * What a read of the stored state set aside because it did not have the
 * shape of its schema: the whole value (not an object, no usable schema, or
 * a migration that failed on it), or single areas and records. Nothing set
 * aside is written over: store.js keeps it under its own key.
 * @typedef {{whole?: unknown, areas?: Record<string, unknown>, records?: {area: string, key: string, value: unknown}[]}} SetAside
 */

/** The record areas of the current schema. */
const AREAS = /** @type {const} */ (["people", "filings", "rounds"]);

/**
 * recordFits tells whether a stored record has the shape the worker relies
 * on: an object under its own ID, with the lists each kind holds.
 * @param {string} area
 * @param {string} key
 * @param {any} r
 */
function recordFits(area, key, r) {
  if (!isObject(r) || r.id !== key) return false;
  if (area === "filings") {
    return (
      Array.isArray(r.people) &&
      r.people.every(
        (/** @type {any} */ m) => isObject(m) && typeof m.personId === "string" && typeof m.role === "string",
      )
    );
  }
  if (area === "rounds") return Array.isArray(r.events) && r.events.every(isObject);
  return true;
}

/**
 * ownMap copies an area into an object with no prototype, so that a lookup
 * by a record ID finds only a stored record: a crafted ID such as toString,
 * constructor or __proto__ finds nothing rather than Object.prototype's.
 * @template T
 * @param {Record<string, T>} from
 * @returns {Record<string, T>}
 */
export function ownMap(from) {
  /** @type {Record<string, T>} */
  const m = Object.create(null);
  for (const [k, v] of Object.entries(from))
    Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
  return m;
}

/**
 * readStored brings stored state of any known schema to the current one, and
 * sets aside what does not have its schema's shape instead of reading it as
 * empty: a damaged value is never written over by the next save. Nothing
 * stored (undefined, null, an empty object) is a fresh install. A newer
 * schema (the extension was downgraded) is refused: the error says so, and
 * nothing is written.
 * @param {any} raw what chrome.storage.local holds
 * @param {string} now RFC 3339
 * @param {() => string} [newId]
 * @returns {{state: import("./store.js").State, setAside: SetAside | null}}
 */
export function readStored(raw, now, newId = randomId) {
  const fresh = () => migrate({ schema: 0 }, now, newId);
  const nothing = raw === undefined || raw === null || (isObject(raw) && Object.keys(raw).length === 0);
  if (nothing) return { state: fresh(), setAside: null };
  if (!isObject(raw) || typeof raw.schema !== "number" || !Number.isInteger(raw.schema) || raw.schema < 0) {
    return { state: fresh(), setAside: { whole: raw } };
  }
  if (raw.schema > SCHEMA_VERSION) {
    throw new ExtensionError(
      ERROR_CODES.stateNewer,
      `heyan: the saved data has schema ${raw.schema}, newer than this version of the extension (${SCHEMA_VERSION}): update the extension; the data is left untouched`,
    );
  }
  let state;
  try {
    state = migrate(raw, now, newId);
  } catch {
    return { state: fresh(), setAside: { whole: raw } };
  }
  /** @type {Record<string, unknown>} */
  const areas = {};
  /** @type {{area: string, key: string, value: unknown}[]} */
  const records = [];
  for (const area of AREAS) {
    const value = state[area];
    if (!isObject(value)) {
      if (value !== undefined) areas[area] = value;
      state[area] = ownMap({});
      continue;
    }
    state[area] = ownMap(
      Object.fromEntries(
        Object.entries(value).filter(([key, r]) => {
          if (recordFits(area, key, r)) return true;
          records.push({ area, key, value: r });
          return false;
        }),
      ),
    );
  }
  /** @type {SetAside} */
  const aside = {};
  if (Object.keys(areas).length) aside.areas = areas;
  if (records.length) aside.records = records;
  return { state, setAside: aside.areas || aside.records ? aside : null };
}

/**
 * migrateState is readStored's state alone (what was set aside is dropped):
 * for a state that is made, not read from storage.
 * @param {any} raw
 * @param {string} now RFC 3339
 * @param {() => string} [newId]
 * @returns {import("./store.js").State}
 */
export function migrateState(raw, now, newId = randomId) {
  return readStored(raw, now, newId).state;
}

/**
 * migrate runs the steps from raw's schema to the current one.
 * @param {any} raw an object with a non-negative integer schema, not newer
 * @param {string} now
 * @param {() => string} newId
 */
function migrate(raw, now, newId) {
  let state = raw;
  while (state.schema < SCHEMA_VERSION) state = MIGRATIONS[state.schema](state, { now, newId });
  return state;
}
