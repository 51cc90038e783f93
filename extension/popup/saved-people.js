// @ts-check
// 已保存的人 / Saved people: name, role, masked phone, document type and ID
// last 6 of each saved person; delete after a confirmation; save a new one
// with the same form as the MIIT page's bar, checked by the core.

/**
 * createPeoplePanel asks the worker for the people each time it is shown.
 * @param {Promise<HeyanCore>} coreReady for the form's live checks
 * @returns {PopupPanel}
 */
function createPeoplePanel(coreReady) {
  const list = el("div", { class: "list" }, [el("p", { class: "muted", text: P.loading })]);
  const add = el("button", { class: "add", text: "+ " + T.addPerson, attrs: { type: "button", "aria-expanded": "false" } });
  const form = createPersonForm({
    checkPhone: async (v) => (await coreReady).checkPhone(v, LANG),
    checkId: async (v, doc, province) => (await coreReady).checkId(v, doc, province, LANG),
  }, { trustedOnly: false }, (saved) => {
    add.setAttribute("aria-expanded", "false");
    add.hidden = false;
    if (saved) show();
  });
  form.element.classList.add("card");
  add.addEventListener("click", () => {
    form.open();
    add.hidden = true;
    add.setAttribute("aria-expanded", "true");
  });
  const element = el("div", { class: "people" }, [list, add, form.element]);

  /** @param {PersonRecord} p */
  function personCard(p) {
    const doc = (T.docTypes[/** @type {keyof typeof T.docTypes} */ (p.docType)] || p.docType) + (p.province === "zhejiang" ? `（${P.zhejiangTag}）` : "");
    const slot = el("div", { class: "actions" });
    const del = el("button", { class: "delete", text: P.del, attrs: { type: "button", "aria-label": `${P.del} ${p.name}` } });
    del.addEventListener("click", () => confirmInline(slot, P.delConfirm(p.name), P.delYes, async () => {
      await send({ type: "delete-person", id: p.id });
      await show();
    }));
    slot.append(del);
    /** @type {HTMLElement[]} */
    const facts = [
      el("dt", { text: T.phone }), el("dd", { class: "phone", text: p.phoneMasked }),
      el("dt", { text: T.docType }), el("dd", { text: doc }),
      el("dt", { text: P.idLast6 }), el("dd", { class: "id", text: p.idLast6 }),
    ];
    if (p.filing) facts.push(el("dt", { text: P.filing }), el("dd", { text: p.filing }));
    return el("section", { class: "person card", attrs: { "data-id": p.id } }, [
      el("div", { class: "head" }, [el("h3", { text: p.name }), el("span", { class: "role", text: T.roles[p.role] || p.role })]),
      el("dl", {}, facts),
      slot,
    ]);
  }

  let showing = 0;
  /** A redraw for a change elsewhere waits for the open question to close. */
  let stale = false;
  /** @param {boolean} [elsewhere] the redraw is for a change made elsewhere */
  async function show(elsewhere = false) {
    const run = ++showing;
    try {
      const people = await send({ type: "people" });
      if (run !== showing) return;
      if (elsewhere && openQuestion(list)) {
        stale = true;
        return;
      }
      stale = false;
      list.replaceChildren(...(people.length ? people.map(personCard) : [el("p", { class: "muted empty", text: P.noPeople })]));
    } catch (err) {
      if (run === showing && !(elsewhere && openQuestion(list))) list.replaceChildren(el("p", { class: "notice", text: String(err instanceof Error ? err.message : err) }));
    }
  }
  list.addEventListener(QUESTION_CLOSED_EVENT, () => { if (stale) show(true); });

  return { element, show: () => { show(); }, changed: () => show(true) };
}
