// @ts-check
// The person form, in the MIIT page's bar, the popup and the options page:
// name, role, phone, document type, the province where its rules differ
// (Zhejiang, for an HK/Macau permit), ID last 6 and (in the bar and the
// popup) an optional filing. The core checks the phone and the ID as they
// are typed; the service worker checks everything again when it saves, and
// what it refuses is shown beside the field it belongs to.

import { errorCode } from "../errors.js";
import { send } from "../send.js";
import { errorText } from "./errors.js";
import { el } from "./dom.js";
import { LANG, T } from "./i18n.js";

/** @typedef {import("../messages.js").Problem} Problem */
/** @typedef {import("../messages.js").FieldProblem} FieldProblem */
/** @typedef {import("../messages.js").Province} Province */
/** @typedef {import("../messages.js").PersonView} PersonView */
/** @typedef {import("../messages.js").PersonInput} PersonInput */
/** @typedef {import("../messages.js").Role} Role */

export const PERSON_FORM_CSS = `
.save { margin-top: 6px; display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 4px 6px; align-items: center; }
.save .wide { grid-column: 1 / -1; }
.save .province { display: flex; align-items: center; gap: 4px; }
.save .hint { color: #57606a; font-size: 12px; }
.save .actions { display: flex; gap: 6px; }
.save .problems { margin: 0; }
.save .field-problem { grid-column: 2; margin: 0; color: #9a6700; font-size: 12px; }
.save .field-problem:empty { display: none; }
.save [aria-invalid="true"] { border-color: #cf222e; }
`;

/**
 * How the form asks the core: in the extension's pages directly, on the
 * MIIT page through the content script's core client.
 * @typedef {{
 *   checkPhone: (value: string) => Promise<import("../../wasm/heyan-core").PhoneCheckResult>,
 *   checkId: (value: string, docType: string, province: Province) => Promise<import("../../wasm/heyan-core").CheckResult>
 * }} PersonChecks
 */

/**
 * What the form opens with: a phone typed on the page, or a saved person
 * to change.
 * @typedef {Partial<PersonInput> & {id?: string}} PersonStart
 */

/**
 * @typedef {{
 *   trustedOnly: boolean,
 *   roles: import("../rules.js").Rules["roles"],
 *   withFiling?: boolean
 * }} PersonFormOptions
 * trustedOnly: 保存 acts on the user's own click only (on the MIIT page,
 * whose scripts could dispatch clicks); roles: the core's, to offer;
 * withFiling: ask for an optional filing name (the bar). 保存 sends the one
 * save message, save-person, with the ID of the person being changed ("" for
 * a new one); the worker answers the bar and the pages each as they may see.
 */

/**
 * @typedef {{
 *   element: HTMLElement,
 *   open: (start?: PersonStart) => void,
 *   close: () => void,
 *   isOpen: () => boolean
 * }} PersonForm
 */

/** The fields a problem can belong beside. */
const FIELDS = ["name", "role", "phone", "docType", "idLast6", "filing"];

/**
 * createPersonForm builds the (closed) form. onClose runs when it closes,
 * with the saved person or null after Cancel.
 * @param {PersonChecks} checks
 * @param {PersonFormOptions} opts
 * @param {(saved: PersonView | null) => void} onClose
 * @returns {PersonForm}
 */
export function createPersonForm(checks, opts, onClose) {
  const withFiling = opts.withFiling !== false;
  /** @param {string} field @param {Record<string, string>} [attrs] */
  const input = (field, attrs = {}) => el("input", { attrs: { autocomplete: "off", "data-field": field, ...attrs } });
  /** @param {string} field @param {Record<string, string>} options */
  const select = (field, options) =>
    el(
      "select",
      { attrs: { "data-field": field } },
      Object.entries(options).map(([v, label]) => el("option", { text: label, attrs: { value: v } })),
    );

  const name = input("name", { maxlength: "40" });
  const role = select("role", Object.fromEntries(opts.roles.map((r) => [r.id, r.title])));
  const phone = input("phone", { inputmode: "tel", maxlength: "20" });
  const docType = select("docType", T.docTypes);
  const zhejiang = input("province", { type: "checkbox", value: "zhejiang" });
  const id = input("idLast6", { maxlength: "18" });
  const filing = input("filing", { maxlength: "60", placeholder: T.filingExample });
  const hint = el("div", { class: "hint wide" });
  const problems = el("ul", { class: "problems wide", attrs: { "aria-live": "polite" } });
  const save = el("button", { class: "primary", text: T.save, attrs: { type: "button" } });
  const cancel = el("button", { text: T.cancel, attrs: { type: "button" } });
  /** @type {Record<string, HTMLInputElement | HTMLSelectElement>} */
  const controls = { name, role, phone, docType, idLast6: id, filing };
  /** @type {Record<string, HTMLElement>} */
  const fieldProblems = {};

  const uid = () => `heyan-${Math.random().toString(36).slice(2)}`;
  /** @param {string} label @param {string} field */
  const labeled = (label, field) => {
    const control = controls[field];
    control.id = uid();
    const problem = el("p", { class: "field-problem", attrs: { id: uid(), "aria-live": "polite" } });
    fieldProblems[field] = problem;
    control.setAttribute("aria-describedby", problem.id);
    return [el("label", { text: label, attrs: { for: control.id } }), control, problem];
  };
  zhejiang.id = uid();
  const provinceRow = el("div", { class: "province wide" }, [
    zhejiang,
    el("label", { text: T.zhejiang, attrs: { for: zhejiang.id } }),
  ]);
  const element = el("div", { class: "save", attrs: { role: "group", "aria-label": T.addPerson } }, [
    ...labeled(T.name, "name"),
    ...labeled(T.role, "role"),
    ...labeled(T.phone, "phone"),
    ...labeled(T.docType, "docType"),
    provinceRow,
    ...labeled(T.idLast6, "idLast6"),
    hint,
    ...(withFiling ? labeled(T.filing, "filing") : []),
    el("div", { class: "actions wide" }, [save, cancel]),
    problems,
  ]);
  element.hidden = true;
  /** The saved person being changed, "" for a new one. */
  let editing = "";

  /** @returns {Province} */
  const province = () => (docType.value === "hk-macau-permit" && zhejiang.checked ? "zhejiang" : "");

  /** The province is asked only where it changes the rules. */
  function syncDocType() {
    provinceRow.hidden = docType.value !== "hk-macau-permit";
    hint.textContent = province() ? T.zhejiangHint : "";
    id.placeholder = province() ? "567（8）" : "";
  }

  /**
   * showProblems puts each problem beside its field (the rest under the
   * form) and marks the fields that have one.
   * @param {(Problem | FieldProblem)[]} list
   * @param {string[]} [only] the fields whose place is redrawn (all by default)
   */
  function showProblems(list, only = FIELDS) {
    for (const f of only) {
      if (!fieldProblems[f]) continue;
      const mine = list.filter((p) => "field" in p && p.field === f);
      fieldProblems[f].replaceChildren(
        ...mine.map((p) => el("span", { text: `${p.message} `, attrs: { "data-code": p.code } })),
      );
      controls[f].setAttribute(
        "aria-invalid",
        String(mine.some((p) => !p.code.startsWith("phone-prefix") && p.code !== "id-x-upper")),
      );
    }
    const rest = list.filter((p) => !("field" in p) || !p.field || !fieldProblems[p.field]);
    problems.replaceChildren(...rest.map((p) => el("li", { text: p.message, attrs: { "data-code": p.code } })));
  }

  /** @type {Set<string>} fields left once: their problems show even when short. */
  const touched = new Set();
  let checking = 0;
  /** Live checks from the core, for what is typed now. */
  async function check() {
    const run = ++checking;
    /** @type {FieldProblem[]} */
    const found = [];
    const p = phone.value.trim();
    const i = id.value.trim();
    if (p && (touched.has("phone") || p.replace(/\D/g, "").length >= 11))
      found.push(...(await checks.checkPhone(p)).problems.map((x) => ({ ...x, field: "phone" })));
    if (i && (touched.has("id") || i.length >= 6))
      found.push(
        ...(await checks.checkId(i, docType.value, province())).problems.map((x) => ({ ...x, field: "idLast6" })),
      );
    if (run === checking) showProblems(found, ["phone", "idLast6"]);
  }
  // A live check that fails (the worker restarting) shows nothing; saving
  // checks again and shows its own answer.
  const checkLater = () => {
    check().catch((err) => console.debug("heyan: live check skipped:", err instanceof Error ? err.message : err));
  };

  phone.addEventListener("input", checkLater);
  id.addEventListener("input", checkLater);
  phone.addEventListener("focusout", () => {
    touched.add("phone");
    checkLater();
  });
  id.addEventListener("focusout", () => {
    touched.add("id");
    checkLater();
  });
  for (const c of [docType, zhejiang])
    c.addEventListener("change", () => {
      syncDocType();
      checkLater();
    });

  function clear() {
    for (const i of [name, phone, id, filing]) i.value = "";
    role.value = opts.roles.length ? opts.roles[0].id : "";
    docType.value = "resident-id";
    zhejiang.checked = false;
    syncDocType();
    showProblems([]);
  }

  function close() {
    element.hidden = true;
    showProblems([]);
    touched.clear();
  }

  /**
   * @param {string} id
   * @param {PersonInput} person
   */
  const saveBySend = (id, person) => send({ type: "save-person", id, person, lang: LANG });

  save.addEventListener("click", async (ev) => {
    if (opts.trustedOnly && !ev.isTrusted) return;
    /** @type {PersonInput} */
    const person = {
      name: name.value,
      role: /** @type {Role} */ (role.value),
      phone: phone.value,
      docType: docType.value,
      province: province(),
      idLast6: id.value,
      filing: withFiling ? filing.value : "",
    };
    try {
      const r = await saveBySend(editing, person);
      checking++; // a live check still running must not replace the answer
      showProblems(r.problems);
      if (!r.saved) {
        const first = r.problems.find((p) => "field" in p && controls[p.field]);
        if (first && "field" in first) controls[first.field].focus();
        return;
      }
      clear();
      close();
      onClose(r.saved);
    } catch (err) {
      showProblems([{ code: errorCode(err), message: errorText(err) }]);
    }
  });
  cancel.addEventListener("click", () => {
    close();
    onClose(null);
  });
  syncDocType();

  return {
    element,
    open(start = {}) {
      const changing = !!start.id;
      if (changing || !element.hidden) clear();
      editing = start.id || "";
      if (start.name !== undefined) name.value = start.name;
      if (start.role) role.value = start.role;
      if (start.phone && !phone.value) phone.value = start.phone;
      if (start.docType) docType.value = start.docType;
      zhejiang.checked = start.province === "zhejiang";
      if (start.idLast6 !== undefined) id.value = start.idLast6;
      syncDocType();
      element.setAttribute("aria-label", changing ? T.editPerson : T.addPerson);
      element.hidden = false;
      name.focus();
    },
    close,
    isOpen: () => !element.hidden,
  };
}
