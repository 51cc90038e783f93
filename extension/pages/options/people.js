// @ts-check
// 人员 / People: every saved person with their role, masked phone (shown on
// demand), document, ID last 6 and filings; add and change with the person
// form (checked by the core as it is typed, by the worker when saved, its
// refusals beside the field), delete with undo, and a filter.

import { send } from "../../send.js";
import { el } from "../../ui/dom.js";
import { LANG, T } from "../../ui/i18n.js";
import { PERSON_FORM_CSS, createPersonForm } from "../../ui/person-form.js";
import { roleTitle } from "../../rules.js";
import { O } from "../../ui/i18n.js";
import { filteredList } from "./list.js";

/** @typedef {import("../../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../../messages.js").PersonRecord} PersonRecord */
/** @typedef {import("./options.js").OptionsPanel} OptionsPanel */
/** @typedef {import("./options.js").PageTools} PageTools */

/**
 * createPeoplePanel makes the panel; it lists the people each time it is
 * shown and when the stored data changes.
 * @param {HeyanCore} core
 * @param {PageTools} tools
 * @returns {OptionsPanel}
 */
export function createPeoplePanel(core, tools) {
  const rules = core.rules(LANG);
  const filter = el("input", {
    attrs: { type: "search", id: "people-filter", placeholder: O.filterHint, "aria-controls": "people-list" },
  });
  const count = el("span", { class: "count", attrs: { "aria-live": "polite" } });
  const add = el("button", {
    class: "primary add",
    text: O.addPerson,
    attrs: { type: "button", "aria-expanded": "false" },
  });
  const list = el("div", { class: "list", attrs: { id: "people-list" } }, [
    el("p", { class: "muted", text: O.loading }),
  ]);
  const formBox = el("section", { class: "form", attrs: { "aria-label": T.addPerson } });
  formBox.hidden = true;

  const form = createPersonForm(
    {
      checkPhone: async (v) => core.checkPhone(v, LANG),
      checkId: async (v, doc, province) => core.checkId(v, doc, province, LANG),
    },
    {
      trustedOnly: false,
      roles: rules.roles,
      withFiling: false,
    },
    (saved) => {
      formBox.hidden = true;
      add.setAttribute("aria-expanded", "false");
      show().then(() => {
        const back = saved ? list.querySelector(`[data-id="${CSS.escape(saved.id)}"] .edit`) : add;
        if (back instanceof HTMLElement) back.focus();
      });
    },
  );
  formBox.append(form.element);
  add.addEventListener("click", () => {
    formBox.hidden = false;
    add.setAttribute("aria-expanded", "true");
    form.open({});
  });

  /** @param {PersonRecord} p */
  function card(p) {
    const doc =
      (T.docTypes[/** @type {keyof typeof T.docTypes} */ (p.docType)] || p.docType) +
      (p.province === "zhejiang" ? `（${O.zhejiangTag}）` : "");
    const phone = el("span", { class: "phone mono", text: p.phoneMasked });
    const reveal = el("button", {
      class: "reveal",
      text: O.showPhone,
      attrs: { type: "button", "aria-pressed": "false", "aria-label": `${O.showPhone}：${p.name}` },
    });
    reveal.addEventListener("click", async () => {
      const showing = reveal.getAttribute("aria-pressed") === "true";
      if (showing) {
        phone.textContent = p.phoneMasked;
      } else {
        try {
          phone.textContent = (await send({ type: "reveal-phone", id: p.id })).phone;
        } catch (err) {
          tools.report(err);
          return;
        }
      }
      reveal.setAttribute("aria-pressed", String(!showing));
      reveal.textContent = showing ? O.showPhone : O.hidePhone;
      reveal.setAttribute("aria-label", `${showing ? O.showPhone : O.hidePhone}：${p.name}`);
    });
    const edit = el("button", {
      class: "edit",
      text: O.edit,
      attrs: { type: "button", "aria-label": `${O.edit}：${p.name}` },
    });
    edit.addEventListener("click", async () => {
      try {
        const { phone: full } = await send({ type: "reveal-phone", id: p.id });
        formBox.hidden = false;
        form.open({
          id: p.id,
          name: p.name,
          role: p.role,
          phone: full,
          docType: p.docType,
          province: p.province,
          idLast6: p.idLast6,
        });
      } catch (err) {
        tools.report(err);
      }
    });
    const del = el("button", {
      class: "danger delete",
      text: O.del,
      attrs: { type: "button", "aria-label": `${O.del}：${p.name}` },
    });
    del.addEventListener("click", async () => {
      try {
        const { undo } = await send({ type: "delete-person", id: p.id });
        await show();
        tools.offerUndo(O.deleted(p.name), undo, filter);
      } catch (err) {
        tools.report(err);
      }
    });
    /** @type {HTMLElement[]} */
    const facts = [
      el("dt", { text: T.phone }),
      el("dd", {}, [phone, document.createTextNode(" "), reveal]),
      el("dt", { text: T.docType }),
      el("dd", { text: doc }),
      el("dt", { text: T.idLast6 }),
      el("dd", { class: "id mono", text: p.idLast6 }),
    ];
    if (p.filings.length)
      facts.push(el("dt", { text: O.filingsOf }), el("dd", { class: "filings", text: p.filings.join("、") }));
    const section = el("section", { class: "person card", attrs: { "data-id": p.id, "aria-label": p.name } }, [
      el("div", { class: "head" }, [
        el("h3", { text: p.name }),
        el("span", { class: "role", text: roleTitle(rules, p.role) }),
      ]),
      el("dl", {}, facts),
      el("div", { class: "actions" }, [edit, del]),
    ]);
    section.dataset.search = [p.name, roleTitle(rules, p.role), p.role, ...p.filings].join(" ").toLowerCase();
    return section;
  }

  const show = filteredList({ list, filter, count, tools }, () => send({ type: "people" }), card, O.noPeople);

  const element = el("div", { class: "people-panel" }, [
    el("div", { class: "toolbar" }, [el("label", { text: O.filter, attrs: { for: filter.id } }), filter, add, count]),
    formBox,
    list,
  ]);
  tools.adoptCss(PERSON_FORM_CSS);
  return { element, show, changed: () => (formBox.hidden ? show() : Promise.resolve()) };
}
