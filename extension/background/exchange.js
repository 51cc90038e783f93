// @ts-check
// Export and import: the people and filings as one versioned JSON file. An
// import is checked record by record with the core before anything is
// written; what it would add, change and skip (and why) is shown first; then
// all of it is written, or nothing. A file that is not one of ours, or has a
// record that does not hold up, is refused with the reason and changes
// nothing. Rounds (the tries counted on this computer) are not exported.

import { ERROR_CODES } from "../messages.js";
import { ExtensionError } from "../errors.js";
import { validatePerson } from "./people.js";
import { validateFiling } from "./filings.js";
import { filingRoundTime, findRound } from "./rounds.js";

/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Person} Person */
/** @typedef {import("./store.js").Filing} Filing */
/** @typedef {import("../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../messages.js").Lang} Lang */
/** @typedef {import("../messages.js").ImportPlan} ImportPlan */
/** @typedef {import("../messages.js").ImportStep} ImportStep */
/** @typedef {import("../rules.js").Rules} Rules */

/** What the file says it is. */
export const EXPORT_FORMAT = "heyan-export";
/** The one version this extension writes and reads. */
export const EXPORT_VERSION = 1;
/** An export of hundreds of people is tens of KB; anything this big is not one. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** A person record's fields, in the order the file writes them. */
const PERSON_KEYS = ["id", "rev", "updatedAt", "name", "role", "phone", "docType", "province", "idLast6"];
/** A filing record's fields, in the order the file writes them. */
const FILING_KEYS = ["id", "rev", "updatedAt", "name", "platform", "scenario", "people", "smsAt", "status"];
const FILE_KEYS = ["format", "version", "exportedAt", "people", "filings"];

/**
 * pick copies the keys of a record in their order.
 * @param {any} record
 * @param {string[]} keys
 */
function pick(record, keys) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const k of keys) out[k] = record[k];
  return out;
}

/**
 * exportFile is the export of the people and filings, in the order of their
 * IDs.
 * @param {State} state
 * @param {string} now RFC 3339
 * @returns {{text: string, name: string}}
 */
export function exportFile(state, now) {
  const byId = (/** @type {{id: string}} */ a, /** @type {{id: string}} */ b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  const file = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now,
    people: Object.values(state.people)
      .sort(byId)
      .map((p) => pick(p, PERSON_KEYS)),
    filings: Object.values(state.filings)
      .sort(byId)
      .map((f) => ({ ...pick(f, FILING_KEYS), people: f.people.map((m) => ({ role: m.role, personId: m.personId })) })),
  };
  return { text: `${JSON.stringify(file, null, 2)}\n`, name: `heyan-export-${now.slice(0, 10)}.json` };
}

/**
 * The checked records of a file and what importing them does.
 * @typedef {{plan: ImportPlan, people: Person[], filings: Filing[], actions: Map<string, ImportStep>}} CheckedImport
 */

/**
 * checkImport reads an export file and works out what importing it would do.
 * It throws bad-import (or too-large) with every problem it found, naming
 * the record and the field, in the user's language.
 * @param {HeyanCore} core
 * @param {Rules} rules
 * @param {State} state
 * @param {string} text
 * @param {string} now
 * @param {Lang} lang
 * @returns {CheckedImport}
 */
export function checkImport(core, rules, state, text, now, lang) {
  const en = lang === "en";
  /** @type {(zh: string, enText: string, code?: string) => never} */
  const refuse = (zh, enText, code = ERROR_CODES.badImport) => {
    throw new ExtensionError(code, en ? enText : zh);
  };
  if (typeof text !== "string" || !text.trim()) refuse("文件是空的。", "The file is empty.");
  if (new TextEncoder().encode(text).length > MAX_IMPORT_BYTES) {
    refuse(
      `文件太大（超过 ${MAX_IMPORT_BYTES / 1048576} MB），不是核验助手导出的文件。`,
      `The file is too big (over ${MAX_IMPORT_BYTES / 1048576} MB) to be a Heyan export.`,
      ERROR_CODES.tooLarge,
    );
  }
  /** @type {any} */
  let file;
  try {
    file = JSON.parse(text);
  } catch (err) {
    refuse(
      `文件不是完整的 JSON（可能只下载或复制了一部分）：${String(err instanceof Error ? err.message : err)}`,
      `The file is not complete JSON (it may have been cut off): ${String(err instanceof Error ? err.message : err)}`,
    );
  }
  if (!file || typeof file !== "object" || Array.isArray(file) || file.format !== EXPORT_FORMAT) {
    refuse(
      '这不是核验助手导出的文件（没有 "format": "heyan-export"）。',
      'This is not a Heyan export (it has no "format": "heyan-export").',
    );
  }
  if (file.version !== EXPORT_VERSION) {
    refuse(
      `文件的版本是 ${JSON.stringify(file.version)}，这个版本的核验助手只读版本 ${EXPORT_VERSION}：请先更新扩展。`,
      `The file's version is ${JSON.stringify(file.version)}; this version of Heyan reads version ${EXPORT_VERSION} only: update the extension first.`,
    );
  }
  const unknown = Object.keys(file).filter((k) => !FILE_KEYS.includes(k));
  if (unknown.length)
    refuse(
      `文件里有不认识的字段：${unknown.join(", ")}`,
      `The file has fields Heyan does not know: ${unknown.join(", ")}`,
    );
  if (!Array.isArray(file.people) || !Array.isArray(file.filings)) {
    refuse("文件里缺少 people 或 filings 列表。", "The file lacks its people or filings list.");
  }

  /** @type {string[]} */
  const problems = [];
  const colon = en ? ": " : "：";
  const where = (/** @type {string} */ kind, /** @type {number} */ i, /** @type {any} */ r) =>
    (en
      ? `${kind === "person" ? "person" : "filing"} ${i + 1}`
      : `第 ${i + 1} 个${kind === "person" ? "人" : "备案"}`) +
    (r && typeof r.name === "string" && r.name ? (en ? ` (${r.name})` : `（${r.name}）`) : "");
  const meta = (/** @type {any} */ r) => {
    const bad = [];
    if (typeof r.id !== "string" || !/^[A-Za-z0-9_-]{8,64}$/.test(r.id)) bad.push("id");
    if (!Number.isInteger(r.rev) || r.rev < 1) bad.push("rev");
    if (typeof r.updatedAt !== "string" || Number.isNaN(Date.parse(r.updatedAt))) bad.push("updatedAt");
    return bad;
  };
  const fieldsOf = (/** @type {any} */ r, /** @type {string[]} */ keys) => {
    const have = Object.keys(r);
    return { missing: keys.filter((k) => !(k in r)), extra: have.filter((k) => !keys.includes(k)) };
  };

  /** @type {Person[]} */
  const people = [];
  const seen = new Set();
  const checkPerson = (/** @type {any} */ r, /** @type {number} */ i) => {
    if (!r || typeof r !== "object" || Array.isArray(r))
      return problems.push(where("person", i, null) + (en ? ": not a record" : "：不是一条记录"));
    const { missing, extra } = fieldsOf(r, PERSON_KEYS);
    const badMeta = meta(r);
    if (missing.length || extra.length || badMeta.length) {
      return problems.push(
        where("person", i, r) +
          (en ? ": fields " : "：字段 ") +
          [...missing, ...extra, ...badMeta].join(", ") +
          (en ? " missing, unknown or wrong" : " 缺少、多余或不对"),
      );
    }
    if (seen.has(r.id)) return problems.push(where("person", i, r) + (en ? ": its id appears twice" : "：id 重复出现"));
    seen.add(r.id);
    const { person, problems: wrong } = validatePerson(core, { ...r, filing: "" }, lang);
    if (!person) return problems.push(where("person", i, r) + colon + wrong.map((p) => p.message).join(" "));
    if (person.role !== r.role)
      return problems.push(
        where("person", i, r) + (en ? ": unknown role " : "：不认识的角色 ") + JSON.stringify(r.role),
      );
    const twin = people.find((p) => p.phone === person.phone && p.role === person.role);
    if (twin)
      return problems.push(
        where("person", i, r) +
          (en ? `: the same phone and role as “${twin.name}”` : `：与“${twin.name}”的手机号和角色相同`),
      );
    people.push({ id: r.id, rev: r.rev, updatedAt: r.updatedAt, ...person });
  };
  for (const [i, r] of file.people.entries()) checkPerson(r, i);

  // The filings are checked against the people they may name: the file's
  // and those kept here.
  /** @type {State} */
  const scope = { schema: state.schema, people: { ...state.people }, filings: {}, rounds: {} };
  for (const p of people) scope.people[p.id] = p;
  /** @type {Filing[]} */
  const filings = [];
  const seenFilings = new Set();
  const states = new Set(rules.states.map((s) => s.id));
  const checkFiling = (/** @type {any} */ r, /** @type {number} */ i) => {
    if (!r || typeof r !== "object" || Array.isArray(r))
      return problems.push(where("filing", i, null) + (en ? ": not a record" : "：不是一条记录"));
    const { missing, extra } = fieldsOf(r, FILING_KEYS);
    const badMeta = meta(r);
    if (!Array.isArray(r.people)) badMeta.push("people");
    if (r.status !== "" && !states.has(r.status)) badMeta.push("status");
    if (missing.length || extra.length || badMeta.length) {
      return problems.push(
        where("filing", i, r) +
          (en ? ": fields " : "：字段 ") +
          [...missing, ...extra, ...badMeta].join(", ") +
          (en ? " missing, unknown or wrong" : " 缺少、多余或不对"),
      );
    }
    if (seenFilings.has(r.id))
      return problems.push(where("filing", i, r) + (en ? ": its id appears twice" : "：id 重复出现"));
    seenFilings.add(r.id);
    const v = validateFiling(rules, scope, r.id, r, now, lang);
    if (!v.filing) return problems.push(where("filing", i, r) + colon + v.problems.map((p) => p.message).join(" "));
    if (v.filing.people.length !== r.people.length)
      return problems.push(where("filing", i, r) + (en ? ": a person appears twice" : "：有人重复出现"));
    const f = { id: r.id, rev: r.rev, updatedAt: r.updatedAt, ...v.filing, status: r.status };
    scope.filings[f.id] = f;
    filings.push(f);
  };
  for (const [i, r] of file.filings.entries()) checkFiling(r, i);
  if (problems.length) {
    throw new ExtensionError(
      ERROR_CODES.badImport,
      (en ? "The file was not imported; nothing changed:\n" : "没有导入，什么都没有改：\n") + problems.join("\n"),
    );
  }
  return plan(state, people, filings, en);
}

/**
 * plan says what importing checked records does against the state kept here.
 * @param {State} state
 * @param {Person[]} people
 * @param {Filing[]} filings
 * @param {boolean} en
 * @returns {CheckedImport}
 */
function plan(state, people, filings, en) {
  /** @type {ImportStep[]} */
  const steps = [];
  /** @type {Map<string, ImportStep>} */
  const actions = new Map();
  const same = (/** @type {any} */ a, /** @type {any} */ b, /** @type {string[]} */ keys) =>
    keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
  /**
   * @param {"person" | "filing"} kind
   * @param {Person | Filing} r
   * @param {Person | Filing | undefined} local
   * @param {string[]} fields
   * @param {string} twinWhy a reason to skip a new record, or ""
   */
  const decide = (kind, r, local, fields, twinWhy) => {
    /** @type {ImportStep} */
    let step;
    if (!local) {
      step = twinWhy
        ? { kind, id: r.id, name: r.name, action: "skip", why: twinWhy }
        : { kind, id: r.id, name: r.name, action: "add", why: "" };
    } else if (same(r, local, fields)) {
      step = {
        kind,
        id: r.id,
        name: r.name,
        action: "skip",
        why: en ? "already here, the same" : "这里已有，内容相同",
      };
    } else if (r.rev > local.rev || (r.rev === local.rev && Date.parse(r.updatedAt) > Date.parse(local.updatedAt))) {
      step = { kind, id: r.id, name: r.name, action: "change", why: en ? "the file's copy is newer" : "文件里的更新" };
    } else {
      step = {
        kind,
        id: r.id,
        name: r.name,
        action: "skip",
        why: en ? "the copy kept here is newer" : "这里保存的更新",
      };
    }
    steps.push(step);
    actions.set(`${kind}:${r.id}`, step);
  };
  const personFields = PERSON_KEYS.slice(3);
  for (const p of people) {
    const twin = Object.values(state.people).find((x) => x.id !== p.id && x.phone === p.phone && x.role === p.role);
    decide(
      "person",
      p,
      state.people[p.id],
      personFields,
      twin
        ? en
          ? `the same phone and role is saved here as “${twin.name}”`
          : `这个手机号已以同一角色保存为“${twin.name}”`
        : "",
    );
  }
  const filingFields = FILING_KEYS.slice(3);
  for (const f of filings) {
    const twin = Object.values(state.filings).find((x) => x.id !== f.id && x.name === f.name);
    decide(
      "filing",
      f,
      state.filings[f.id],
      filingFields,
      twin ? (en ? "a filing of that name is kept here" : "这里已有同名的备案") : "",
    );
  }
  return { plan: { people: people.length, filings: filings.length, steps }, people, filings, actions };
}

/**
 * applyImport writes what the plan adds and changes, as the file has it.
 * A person the file's filings name but the plan skipped for a twin kept
 * here is named by that twin instead.
 * @param {State} state
 * @param {CheckedImport} checked
 * @param {string} now
 */
export function applyImport(state, checked, now) {
  /** @type {Map<string, string>} */
  const personIds = new Map();
  for (const p of checked.people) {
    const step = /** @type {ImportStep} */ (checked.actions.get(`person:${p.id}`));
    if (step.action === "skip" && !state.people[p.id]) {
      const twin = Object.values(state.people).find((x) => x.phone === p.phone && x.role === p.role);
      if (twin) personIds.set(p.id, twin.id);
      continue;
    }
    if (step.action === "skip") continue;
    const local = state.people[p.id];
    state.people[p.id] = { ...p, rev: local ? Math.max(p.rev, local.rev + 1) : p.rev };
  }
  for (const f of checked.filings) {
    const step = /** @type {ImportStep} */ (checked.actions.get(`filing:${f.id}`));
    if (step.action === "skip") continue;
    const local = state.filings[f.id];
    const people = f.people
      .map((m) => ({ role: m.role, personId: personIds.get(m.personId) || m.personId }))
      .filter((m) => state.people[m.personId]);
    state.filings[f.id] = { ...f, people, rev: local ? Math.max(f.rev, local.rev + 1) : f.rev };
    // The filing's SMS time is where its deadline counts from: its round
    // here starts there, when it has none yet.
    if (f.smsAt && !findRound(state, { filingId: f.id, personId: "", phone: "" }))
      filingRoundTime(state, f.id, f.smsAt, now);
  }
}
