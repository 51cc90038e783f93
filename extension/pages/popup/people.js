// @ts-check
// 已保存的人 / Saved people: name, role, masked phone, document type, ID
// last 6 and filings of each saved person; delete after a confirmation; save
// a new one with the same form as the MIIT page's bar, checked by the core.

import { send } from "../../send.js";
import { el } from "../../ui/dom.js";
import { LANG, T } from "../../ui/i18n.js";
import { createPersonForm } from "../../ui/person-form.js";
import { confirmInline, recordList } from "./confirm.js";
import { roleTitle } from "../../rules.js";
import { P } from "./text.js";

/** @typedef {import("../../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../../messages.js").PersonRecord} PersonRecord */
/** @typedef {import("./who.js").PopupPanel} PopupPanel */

/**
 * createPeoplePanel asks the worker for the people each time it is shown.
 * @param {Promise<HeyanCore>} coreReady for the form's live checks
 * @returns {PopupPanel}
 */
export function createPeoplePanel(coreReady) {
  const listBox = el("div", { class: "list" }, [el("p", { class: "muted", text: P.loading })]);
  const add = el("button", {
    class: "add",
    text: `+ ${T.addPerson}`,
    attrs: { type: "button", "aria-expanded": "false" },
  });
  add.disabled = true; // until the core (its roles, its checks) is ready
  const element = el("div", { class: "people" }, [listBox, add]);
  coreReady.then(
    (core) => {
      const form = createPersonForm(
        {
          checkPhone: async (v) => core.checkPhone(v, LANG),
          checkId: async (v, doc, province) => core.checkId(v, doc, province, LANG),
        },
        { trustedOnly: false, roles: core.rules(LANG).roles },
        (saved) => {
          add.setAttribute("aria-expanded", "false");
          add.hidden = false;
          if (saved) list.show();
        },
      );
      form.element.classList.add("card");
      add.addEventListener("click", () => {
        form.open();
        add.hidden = true;
        add.setAttribute("aria-expanded", "true");
      });
      element.append(form.element);
      add.disabled = false;
    },
    (err) => console.warn("heyan: saving people needs the core:", err instanceof Error ? err.message : err),
  );

  /**
   * @param {PersonRecord} p
   * @param {import("../../rules.js").Rules} rules
   */
  function personCard(p, rules) {
    const doc =
      (T.docTypes[/** @type {keyof typeof T.docTypes} */ (p.docType)] || p.docType) +
      (p.province === "zhejiang" ? `（${P.zhejiangTag}）` : "");
    const slot = el("div", { class: "actions" });
    const del = el("button", {
      class: "delete",
      text: P.del,
      attrs: { type: "button", "aria-label": `${P.del} ${p.name}` },
    });
    del.addEventListener("click", () =>
      confirmInline(slot, P.delConfirm(p.name), P.delYes, async () => {
        await send({ type: "delete-person", id: p.id });
        await list.show();
      }),
    );
    slot.append(del);
    /** @type {HTMLElement[]} */
    const facts = [
      el("dt", { text: T.phone }),
      el("dd", { class: "phone", text: p.phoneMasked }),
      el("dt", { text: T.docType }),
      el("dd", { text: doc }),
      el("dt", { text: P.idLast6 }),
      el("dd", { class: "id", text: p.idLast6 }),
    ];
    if (p.filings.length) facts.push(el("dt", { text: P.filings }), el("dd", { text: p.filings.join("、") }));
    return el("section", { class: "person card", attrs: { "data-id": p.id } }, [
      el("div", { class: "head" }, [
        el("h3", { text: p.name }),
        el("span", { class: "role", text: roleTitle(rules, p.role) }),
      ]),
      el("dl", {}, facts),
      slot,
    ]);
  }

  const list = recordList(
    listBox,
    async () => {
      const [people, core] = await Promise.all([send({ type: "people" }), coreReady]);
      const rules = core.rules(LANG);
      return people.map((p) => personCard(p, rules));
    },
    P.noPeople,
  );

  return {
    element,
    show: () => {
      list.show();
    },
    changed: list.changed,
  };
}
