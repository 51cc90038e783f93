// @ts-check
// Saved people: validated by the core, shown to pages only masked.

import { randomId } from "../ids.js";
import { touch } from "./store.js";
import { stateRule } from "../rules.js";
import { addMember, filingNamed, filingsOf, newFiling, removeMember, MAX_FILING_NAME } from "./filings.js";

/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Person} Person */
/** @typedef {import("../messages.js").PersonView} PersonView */
/** @typedef {import("../messages.js").PersonRecord} PersonRecord */
/** @typedef {import("../messages.js").PersonInput} PersonInput */
/** @typedef {import("../messages.js").Problem} Problem */
/** @typedef {import("../messages.js").FieldProblem} FieldProblem */
/** @typedef {import("../messages.js").Province} Province */
/** @typedef {import("../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../messages.js").Lang} Lang */
/** @typedef {import("../rules.js").Rules} Rules */

/** The fields of a person the user gives. */
/** @typedef {Omit<Person, keyof import("./store.js").RecordMeta>} PersonFields */

/**
 * maskPhone keeps the first 3 and last 4 digits: 138****8000.
 * @param {string} phone
 */
export function maskPhone(phone) {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : "****";
}

/**
 * personView is what a content script may see of a person.
 * @param {State} state
 * @param {Person} p
 * @param {Rules | null} rules to list open filings first
 * @returns {PersonView}
 */
export function personView(state, p, rules) {
  return {
    id: p.id,
    name: p.name,
    role: p.role,
    phoneMasked: maskPhone(p.phone),
    docType: p.docType,
    province: p.province || "",
    filings: filingsOf(state, p.id, rules).map((f) => f.name),
  };
}

/**
 * personRecord is what the extension's pages list of a person: the view and
 * the ID last 6.
 * @param {State} state
 * @param {Person} p
 * @param {Rules | null} rules
 * @returns {PersonRecord}
 */
export function personRecord(state, p, rules) {
  return { ...personView(state, p, rules), idLast6: p.idLast6 };
}

/**
 * provinceFor keeps the province only where it changes the rules: Zhejiang,
 * for an HK/Macau permit.
 * @param {string} docType
 * @param {unknown} province
 * @returns {Province}
 */
export function provinceFor(docType, province) {
  return docType === "hk-macau-permit" && province === "zhejiang" ? "zhejiang" : "";
}

export const ROLES = /** @type {const} */ (["principal", "app-owner", "service-owner"]);

/** How long a person's name may be. */
export const MAX_NAME = 40;

/**
 * validatePerson checks a person with the core and returns the normalized
 * person, or the problems, each with the field it belongs beside.
 * @param {HeyanCore} core
 * @param {PersonInput} input
 * @param {Lang} lang
 * @returns {{person: PersonFields | null, filing: string, problems: FieldProblem[]}}
 */
export function validatePerson(core, input, lang) {
  /** @type {FieldProblem[]} */
  const problems = [];
  const name = String(input.name || "")
    .trim()
    .slice(0, MAX_NAME);
  if (!name) {
    problems.push({
      code: "name-empty",
      field: "name",
      message: lang === "en" ? "Enter the person's name." : "请填写姓名。",
    });
  }
  const role = ROLES.includes(input.role) ? input.role : "principal";
  const phone = core.checkPhone(String(input.phone || ""), lang);
  problems.push(...phone.problems.map((p) => ({ ...p, field: "phone" })));
  const docType = String(input.docType || "resident-id");
  const province = provinceFor(docType, input.province);
  /** @type {import("../../wasm/heyan-core").CheckResult} */
  let id;
  try {
    id = core.checkId(String(input.idLast6 || ""), docType, province, lang);
  } catch (err) {
    // An unknown document type: the core says which ones there are.
    problems.push({
      code: "doc-type-unknown",
      field: "docType",
      message: err instanceof Error ? err.message : String(err),
    });
    return { person: null, filing: "", problems };
  }
  // A notice that keeps the value valid (a lower-case x read as X) does not
  // stop the save: the normalized value is what is stored.
  if (!id.valid) problems.push(...id.problems.map((p) => ({ ...p, field: "idLast6" })));
  const filing = String(input.filing || "")
    .trim()
    .slice(0, MAX_FILING_NAME);
  if (problems.length || !phone.valid || !id.valid) return { person: null, filing, problems };
  return {
    person: { name, role, phone: phone.normalized, docType, province, idLast6: id.normalized },
    filing,
    problems: [],
  };
}

/**
 * savePerson adds the person, or changes the saved one with the same phone
 * and role, and puts them in the filing named (found by name, or made).
 * @param {State} state
 * @param {PersonFields} fields
 * @param {string} filingName "" for none
 * @param {string} now
 * @returns {Person}
 */
export function savePerson(state, fields, filingName, now) {
  const same = Object.values(state.people).find((p) => p.phone === fields.phone && p.role === fields.role);
  /** @type {Person} */
  const saved = same ? Object.assign(same, fields) : { id: randomId(), rev: 0, updatedAt: now, ...fields };
  touch(saved, now);
  state.people[saved.id] = saved;
  if (filingName) {
    const filing = filingNamed(state, filingName);
    if (filing) addMember(filing, saved.role, saved.id, now);
    else newFiling(state, filingName, now, [{ role: saved.role, personId: saved.id }]);
  }
  return saved;
}

/**
 * putPerson adds a person (id "") or changes the saved one with this id,
 * refusing one that would have the phone and role of another saved person:
 * the same person twice, whose counts would split.
 * @param {State} state
 * @param {string} id
 * @param {PersonFields} fields validated
 * @param {string} now
 * @param {Lang} lang
 * @returns {{saved: Person | null, problems: FieldProblem[]}}
 */
export function putPerson(state, id, fields, now, lang) {
  const existing = id ? state.people[id] : null;
  if (id && !existing) {
    return {
      saved: null,
      problems: [
        {
          code: "not-found",
          field: "",
          message:
            lang === "en"
              ? "This person is no longer saved (deleted elsewhere?)."
              : "这个人已经不在保存的名单里了（可能在别处删除了）。",
        },
      ],
    };
  }
  const twin = Object.values(state.people).find(
    (p) => p.id !== id && p.phone === fields.phone && p.role === fields.role,
  );
  if (twin) {
    const message =
      lang === "en"
        ? `This phone is already saved for “${twin.name}” in the same role: edit that person instead.`
        : `这个手机号已经以同一角色保存为“${twin.name}”：请改那一位，不要重复保存。`;
    return { saved: null, problems: [{ code: "duplicate", field: "phone", message }] };
  }
  /** @type {Person} */
  const saved = existing ? Object.assign(existing, fields) : { id: randomId(), rev: 0, updatedAt: now, ...fields };
  touch(saved, now);
  state.people[saved.id] = saved;
  return { saved, problems: [] };
}

/**
 * deletePerson forgets a saved person: their record and their place in each
 * filing.
 * @param {State} state
 * @param {string} id
 * @param {string} now
 * @returns {boolean} whether there was such a person
 */
export function deletePerson(state, id, now) {
  if (!state.people[id]) return false;
  delete state.people[id];
  removeMember(state, id, now);
  return true;
}

/**
 * peopleByPhone lists the saved people with this normalized phone (one phone
 * can verify several filings, or several roles of one).
 * @param {State} state
 * @param {string} phone
 * @returns {Person[]}
 */
export function peopleByPhone(state, phone) {
  return Object.values(state.people).filter((p) => p.phone === phone);
}

/**
 * ownerOf is the saved person an answer for this phone belongs to: the one
 * chosen in the tab when that is their phone, else the first in an open
 * filing, else the first in any filing, else the first with the phone.
 * @param {State} state
 * @param {string} phone normalized
 * @param {string} selectedId the person chosen in the tab, or ""
 * @param {Rules} rules
 * @returns {Person | null}
 */
export function ownerOf(state, phone, selectedId, rules) {
  const all = peopleByPhone(state, phone);
  const chosen = all.find((p) => p.id === selectedId);
  if (chosen) return chosen;
  const ranked = all.map((p) => ({ p, filings: filingsOf(state, p.id, rules) }));
  const open =
    ranked.find((r) => r.filings.length && !(r.filings[0].status && stateRule(rules, r.filings[0].status).closed)) ||
    ranked.find((r) => r.filings.length);
  return open?.p || all[0] || null;
}
