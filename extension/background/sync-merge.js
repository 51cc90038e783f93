// @ts-check
// What a person or a filing is as a sync record, and the three-way merge of
// two copies that both changed since the copy they share (the base). Pure:
// no storage, no network, no clock.

/** @typedef {import("./store.js").Person} Person */
/** @typedef {import("./store.js").Filing} Filing */
/** @typedef {"person" | "filing"} Kind */

/**
 * The fields of each kind that the user edits, the unit of a merge. id, rev
 * and updatedAt are the record's bookkeeping: the ID is the sync record's,
 * rev counts this device's changes, updatedAt follows the newer copy.
 * @type {Record<Kind, readonly string[]>}
 */
export const FIELDS = {
  person: ["name", "role", "phone", "docType", "province", "idLast6"],
  filing: ["name", "platform", "scenario", "people", "smsAt", "status"],
};

/** @param {unknown} a @param {unknown} b */
export function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * content is a record's fields as a sync record carries them (the export
 * file's shape: the fields with id, rev and updatedAt), with nothing else.
 * @param {Kind} kind
 * @param {Record<string, any>} record
 * @returns {Record<string, any>}
 */
export function content(kind, record) {
  /** @type {Record<string, any>} */
  const out = { id: record.id, rev: record.rev, updatedAt: record.updatedAt };
  for (const f of FIELDS[kind]) out[f] = record[f] === undefined ? null : record[f];
  if (kind === "filing")
    out.people = (Array.isArray(record.people) ? record.people : []).map((/** @type {any} */ m) => ({
      role: m.role,
      personId: m.personId,
    }));
  return out;
}

/**
 * changed tells whether a local record differs from the base in a field the
 * user edits (a new revision alone with the same fields is no change).
 * @param {Kind} kind
 * @param {Record<string, any> | null} base
 * @param {Record<string, any>} record
 */
export function changedFrom(kind, base, record) {
  if (!base) return true;
  return FIELDS[kind].some((f) => !same(base[f] ?? null, record[f] ?? null));
}

/** @typedef {import("../messages.js").FieldConflict} FieldConflict */

/**
 * merge3 merges a local copy and a remote one against the base both started
 * from, field by field: a field only one side changed takes that side's
 * value; a field both changed to the same value takes it; a field both
 * changed differently takes the remote value (so that every device ends on
 * the same record) and is reported with both values, so that the local one
 * is not lost. With no base (the same ID created on both sides), every field
 * that differs is such a conflict.
 * @param {Kind} kind
 * @param {Record<string, any> | null} base
 * @param {Record<string, any>} mine
 * @param {Record<string, any>} theirs
 * @returns {{merged: Record<string, any>, conflicts: FieldConflict[]}}
 */
export function merge3(kind, base, mine, theirs) {
  /** @type {Record<string, any>} */
  const merged = { ...theirs };
  /** @type {FieldConflict[]} */
  const conflicts = [];
  for (const f of FIELDS[kind]) {
    const b = base ? (base[f] ?? null) : undefined;
    const m = mine[f] ?? null;
    const t = theirs[f] ?? null;
    if (same(m, t)) {
      merged[f] = t;
      continue;
    }
    const mineChanged = b === undefined || !same(m, b);
    const theirsChanged = b === undefined || !same(t, b);
    if (mineChanged && !theirsChanged) merged[f] = m;
    else if (!mineChanged && theirsChanged) merged[f] = t;
    else {
      merged[f] = t;
      conflicts.push({ field: f, mine: m, theirs: t });
    }
  }
  merged.updatedAt = later(mine.updatedAt, theirs.updatedAt);
  return { merged, conflicts };
}

/**
 * later is the later of two RFC 3339 times (a missing one loses).
 * @param {unknown} a @param {unknown} b
 * @returns {string}
 */
function later(a, b) {
  const ta = typeof a === "string" ? Date.parse(a) : NaN;
  const tb = typeof b === "string" ? Date.parse(b) : NaN;
  if (Number.isNaN(ta)) return typeof b === "string" ? b : new Date(0).toISOString();
  if (Number.isNaN(tb)) return /** @type {string} */ (a);
  return ta >= tb ? /** @type {string} */ (a) : /** @type {string} */ (b);
}
