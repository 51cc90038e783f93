// @ts-check
// The save-a-person form, in the MIIT page's bar and in the popup: name, role,
// phone, document type, the province where its rules differ (Zhejiang, for an
// HK/Macau permit), ID last 6 and an optional filing. The core checks the
// phone and the ID as they are typed; the service worker checks them again
// when it saves.

import { errorCode, send } from "../messages.js";
import { errorText } from "./errors.js";
import { el } from "./dom.js";
import { LANG, T } from "./i18n.js";

/** @typedef {import("../messages.js").Problem} Problem */
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
`;

/**
 * How the form asks the core: in the popup directly, on the MIIT page
 * through the content script's core client.
 * @typedef {{
 *   checkPhone: (value: string) => Promise<import("../../wasm/heyan-core").PhoneCheckResult>,
 *   checkId: (value: string, docType: string, province: Province) => Promise<import("../../wasm/heyan-core").CheckResult>
 * }} PersonChecks
 */

/**
 * @typedef {{
 *   element: HTMLElement,
 *   open: (phone?: string) => void,
 *   close: () => void,
 *   isOpen: () => boolean
 * }} PersonForm
 */

/**
 * createPersonForm builds the (closed) form. onClose runs when it closes,
 * with the saved person or null after Cancel. With trustedOnly (on the MIIT
 * page, whose scripts could dispatch clicks) 保存 acts on the user's own
 * click only.
 * @param {PersonChecks} checks
 * @param {{trustedOnly: boolean, roles: import("../rules.js").Rules["roles"]}} opts the roles to offer: the core's
 * @param {(saved: PersonView | null) => void} onClose
 * @returns {PersonForm}
 */
export function createPersonForm(checks, opts, onClose) {
  /** @param {string} field @param {Record<string, string>} [attrs] */
  const input = (field, attrs = {}) => el("input", { attrs: { autocomplete: "off", "data-field": field, ...attrs } });
  /** @param {string} field @param {Record<string, string>} options */
  const select = (field, options) => el("select", { attrs: { "data-field": field } },
    Object.entries(options).map(([v, label]) => el("option", { text: label, attrs: { value: v } })));

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

  /** @param {string} label @param {HTMLElement} control */
  const labeled = (label, control) => {
    control.id = "heyan-" + Math.random().toString(36).slice(2);
    return [el("label", { text: label, attrs: { for: control.id } }), control];
  };
  zhejiang.id = "heyan-" + Math.random().toString(36).slice(2);
  const provinceRow = el("div", { class: "province wide" }, [zhejiang, el("label", { text: T.zhejiang, attrs: { for: zhejiang.id } })]);
  const element = el("div", { class: "save", attrs: { role: "group", "aria-label": T.addPerson } }, [
    ...labeled(T.name, name), ...labeled(T.role, role),
    ...labeled(T.phone, phone), ...labeled(T.docType, docType),
    provinceRow,
    ...labeled(T.idLast6, id), hint, ...labeled(T.filing, filing),
    el("div", { class: "actions wide" }, [save, cancel]), problems,
  ]);
  element.hidden = true;

  /** @returns {Province} */
  const province = () => (docType.value === "hk-macau-permit" && zhejiang.checked ? "zhejiang" : "");

  /** The province is asked only where it changes the rules. */
  function syncDocType() {
    provinceRow.hidden = docType.value !== "hk-macau-permit";
    hint.textContent = province() ? T.zhejiangHint : "";
    id.placeholder = province() ? "567（8）" : "";
  }

  /** @type {Set<string>} fields left once: their problems show even when short. */
  const touched = new Set();
  let checking = 0;
  /** Live checks from the core, for what is typed now. */
  async function check() {
    const run = ++checking;
    /** @type {Problem[]} */
    const found = [];
    const p = phone.value.trim();
    const i = id.value.trim();
    if (p && (touched.has("phone") || p.replace(/\D/g, "").length >= 11)) found.push(...(await checks.checkPhone(p)).problems);
    if (i && (touched.has("id") || i.length >= 6)) found.push(...(await checks.checkId(i, docType.value, province())).problems);
    if (run === checking) problems.replaceChildren(...found.map((x) => el("li", { text: x.message })));
  }
  // A live check that fails (the worker restarting) shows nothing; saving
  // checks again and shows its own answer.
  const checkLater = () => { check().catch((err) => console.debug("heyan: live check skipped:", err instanceof Error ? err.message : err)); };

  phone.addEventListener("input", checkLater);
  id.addEventListener("input", checkLater);
  phone.addEventListener("focusout", () => { touched.add("phone"); checkLater(); });
  id.addEventListener("focusout", () => { touched.add("id"); checkLater(); });
  for (const c of [docType, zhejiang]) c.addEventListener("change", () => { syncDocType(); checkLater(); });

  function close() {
    element.hidden = true;
    problems.replaceChildren();
    touched.clear();
  }

  save.addEventListener("click", async (ev) => {
    if (opts.trustedOnly && !ev.isTrusted) return;
    /** @type {PersonInput} */
    const person = {
      name: name.value, role: /** @type {Role} */ (role.value), phone: phone.value,
      docType: docType.value, province: province(), idLast6: id.value, filing: filing.value,
    };
    try {
      const r = await send({ type: "save-person", person, lang: LANG });
      checking++; // a live check still running must not replace the answer
      problems.replaceChildren(...r.problems.map((p) => el("li", { text: p.message })));
      if (!r.saved) return;
      for (const i of [name, phone, id, filing]) i.value = "";
      zhejiang.checked = false;
      syncDocType();
      close();
      onClose(r.saved);
    } catch (err) {
      problems.replaceChildren(el("li", { text: errorText(err), attrs: { "data-code": errorCode(err) } }));
    }
  });
  cancel.addEventListener("click", () => { close(); onClose(null); });
  syncDocType();

  return {
    element,
    open(phoneTyped) {
      element.hidden = false;
      if (phoneTyped && !phone.value) phone.value = phoneTyped;
      name.focus();
    },
    close,
    isOpen: () => !element.hidden,
  };
}
