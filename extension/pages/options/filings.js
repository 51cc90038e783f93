// @ts-check
// 备案 / Filings: every filing with its platform and scenario, its people by
// role, when its SMS arrived and where its verification stands; add and
// change with a form whose scenario can be chosen with the same who-verifies
// questions as the popup, which then lists the roles the scenario needs
// (both 主办单位负责人 and 小程序负责人 for a renamed Douyin mini-program);
// delete with undo, and a filter.

import { send } from "../../send.js";
import { el } from "../../ui/dom.js";
import { LANG, T } from "../../ui/i18n.js";
import { countsLine } from "../../ui/counts.js";
import { createWhoWizard } from "../../ui/who-wizard.js";
import { platformName, roleTitle } from "../../rules.js";
import { O } from "../../ui/i18n.js";
import { filteredList } from "./list.js";

/** @typedef {import("../../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../../messages.js").FilingView} FilingView */
/** @typedef {import("../../messages.js").FilingInput} FilingInput */
/** @typedef {import("../../messages.js").FieldProblem} FieldProblem */
/** @typedef {import("../../messages.js").PersonRecord} PersonRecord */
/** @typedef {import("../../messages.js").Role} Role */
/** @typedef {import("../../../wasm/heyan-core").Platform} Platform */
/** @typedef {import("./options.js").OptionsPanel} OptionsPanel */
/** @typedef {import("./options.js").PageTools} PageTools */

/**
 * localInputTime formats a time for <input type="datetime-local">.
 * @param {Date} d
 */
function localInputTime(d) {
  const p = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * createFilingsPanel makes the panel.
 * @param {HeyanCore} core
 * @param {PageTools} tools
 * @returns {OptionsPanel}
 */
export function createFilingsPanel(core, tools) {
  const rules = core.rules(LANG);
  const filter = el("input", {
    attrs: { type: "search", id: "filings-filter", placeholder: O.filterHint, "aria-controls": "filings-list" },
  });
  const count = el("span", { class: "count", attrs: { "aria-live": "polite" } });
  const add = el("button", {
    class: "primary add",
    text: O.addFiling,
    attrs: { type: "button", "aria-expanded": "false" },
  });
  const list = el("div", { class: "list", attrs: { id: "filings-list" } }, [
    el("p", { class: "muted", text: O.loading }),
  ]);
  const form = createFilingForm(core, tools, () => {
    add.setAttribute("aria-expanded", "false");
    show().then(() => add.focus());
  });
  add.addEventListener("click", async () => {
    add.setAttribute("aria-expanded", "true");
    await form.open(null);
  });

  /** @param {FilingView} f */
  function card(f) {
    const where = [platformName(rules, f.platform) || O.noPlatform];
    const scenario = rules.platforms.find((p) => p.id === f.platform)?.scenarios.find((s) => s.id === f.scenario);
    if (scenario) where.push(scenario.name);
    /** @type {HTMLElement[]} */
    const facts = [el("dt", { text: O.platform }), el("dd", { class: "where", text: where.join(" · ") })];
    facts.push(
      el("dt", { text: O.people }),
      el(
        "dd",
        { class: "members", attrs: { role: "list" } },
        f.people.length
          ? f.people.map((m) =>
              el("span", {
                attrs: { role: "listitem" },
                text: `${roleTitle(rules, m.role, f.platform)}：${m.name}（${m.phoneMasked}）`,
              }),
            )
          : [el("span", { class: "muted", text: O.nobodyInRole })],
      ),
    );
    if (f.smsAt) facts.push(el("dt", { text: O.smsAt }), el("dd", { text: new Date(f.smsAt).toLocaleString(LANG) }));
    facts.push(
      el("dt", { text: O.state }),
      el(
        "dd",
        {},
        f.track
          ? [
              el("span", { class: `state ${f.track.state}`, text: T.states[f.track.state] || f.track.state }),
              el("p", { class: "counts" }, countsLine(f.track, f.approx, Date.now(), rules)),
            ]
          : [el("span", { class: "muted", text: O.noRound })],
      ),
    );
    const edit = el("button", {
      class: "edit",
      text: O.edit,
      attrs: { type: "button", "aria-label": `${O.edit}：${f.name}` },
    });
    edit.addEventListener("click", () => {
      form.open(f);
    });
    const del = el("button", {
      class: "danger delete",
      text: O.del,
      attrs: { type: "button", "aria-label": `${O.del}：${f.name}` },
    });
    del.addEventListener("click", async () => {
      try {
        const { undo } = await send({ type: "delete-filing", id: f.id });
        await show();
        tools.offerUndo(O.deleted(f.name), undo, filter);
      } catch (err) {
        tools.report(err);
      }
    });
    const section = el("section", { class: "filing card", attrs: { "data-id": f.id, "aria-label": f.name } }, [
      el("div", { class: "head" }, [el("h3", { text: f.name })]),
      el("dl", {}, facts),
      el("div", { class: "actions" }, [edit, del]),
    ]);
    section.dataset.search = [f.name, ...where, ...f.people.map((m) => m.name)].join(" ").toLowerCase();
    return section;
  }

  const show = filteredList(
    { list, filter, count, tools },
    () => send({ type: "filings", lang: LANG }),
    card,
    O.noFilings,
  );

  const element = el("div", { class: "filings-panel" }, [
    el("div", { class: "toolbar" }, [el("label", { text: O.filter, attrs: { for: filter.id } }), filter, add, count]),
    form.element,
    list,
  ]);
  return { element, show, changed: () => (form.element.hidden ? show() : Promise.resolve()) };
}

/**
 * createFilingForm makes the (closed) add-or-change form of a filing.
 * @param {HeyanCore} core
 * @param {PageTools} tools
 * @param {() => void} onClose
 */
function createFilingForm(core, tools, onClose) {
  const rules = core.rules(LANG);
  const uid = () => `heyan-${Math.random().toString(36).slice(2)}`;
  /** @type {Record<string, HTMLElement>} */
  const problemOf = {};
  /**
   * @param {string} field
   * @param {string} label
   * @param {HTMLElement} control
   * @param {string} [hint]
   */
  const row = (field, label, control, hint) => {
    control.id = control.id || uid();
    const problem = el("p", { class: "field-problem", attrs: { id: uid(), "aria-live": "polite" } });
    problemOf[field] = problem;
    const described = [problem.id];
    /** @type {HTMLElement[]} */
    const out = [el("label", { text: label, attrs: { for: control.id } }), control];
    if (hint) {
      const h = el("p", { class: "muted wide hint", text: hint, attrs: { id: uid() } });
      described.push(h.id);
      out.push(h);
    }
    control.setAttribute("aria-describedby", described.join(" "));
    out.push(problem);
    return out;
  };

  const name = el("input", {
    attrs: { "data-field": "name", maxlength: "60", autocomplete: "off", placeholder: O.filingNameHint },
  });
  const platform = el("select", { attrs: { "data-field": "platform" } }, [
    el("option", { text: O.noPlatform, attrs: { value: "" } }),
    ...rules.platforms.map((p) => el("option", { text: p.name, attrs: { value: p.id } })),
  ]);
  const scenario = el("select", { attrs: { "data-field": "scenario" } });
  const ask = el("button", { class: "ask", text: O.askScenario, attrs: { type: "button", "aria-expanded": "false" } });
  const wizardBox = el("div", { class: "wizard wide" });
  wizardBox.hidden = true;
  const members = el("div", {
    class: "members wide",
    attrs: { "data-field": "people", role: "group", "aria-label": O.people },
  });
  const smsAt = el("input", { attrs: { type: "datetime-local", "data-field": "smsAt" } });
  const now = el("button", { class: "now", text: O.smsAtNow, attrs: { type: "button" } });
  const problems = el("ul", { class: "problems wide", attrs: { "aria-live": "polite" } });
  const save = el("button", { class: "primary", text: O.save, attrs: { type: "button" } });
  const cancel = el("button", { text: O.cancel, attrs: { type: "button" } });
  const peopleHeading = el("h3", { class: "wide", text: O.people, attrs: { id: uid() } });
  const formEl = el("div", { class: "filing-form" }, [
    ...row("name", O.filingName, name),
    ...row("platform", O.platform, platform),
    ...row("scenario", O.scenario, scenario),
    el("div", { class: "wide actions" }, [ask]),
    wizardBox,
    peopleHeading,
    members,
    ...row("smsAt", O.smsAt, smsAt, O.smsAtHint),
    el("div", { class: "wide actions" }, [now]),
    el("div", { class: "wide actions" }, [save, cancel]),
    problems,
  ]);
  problemOf.people = el("p", { class: "field-problem wide", attrs: { "aria-live": "polite" } });
  formEl.insertBefore(problemOf.people, members.nextSibling);
  const element = el("section", { class: "form", attrs: { "aria-label": O.addFiling } }, [formEl]);
  element.hidden = true;

  /** The filing being changed ("" for a new one). */
  let editing = "";
  /** @type {PersonRecord[]} */
  let people = [];
  /** @type {Map<Role, string>} the person chosen for each role */
  let chosen = new Map();

  function fillScenarios() {
    const p = rules.platforms.find((x) => x.id === platform.value);
    const keep = scenario.value;
    scenario.replaceChildren(
      el("option", { text: O.noScenario, attrs: { value: "" } }),
      ...(p ? p.scenarios.map((s) => el("option", { text: s.name, attrs: { value: s.id } })) : []),
    );
    scenario.value = p?.scenarios.some((s) => s.id === keep) ? keep : "";
    scenario.disabled = !p;
    ask.disabled = !p;
  }

  /** The roles the chosen scenario needs (who receives the SMS), each with a choice of saved person. */
  function drawMembers() {
    /** @type {Role[]} */
    let roles = [];
    if (platform.value && scenario.value) {
      try {
        roles = core.who(platform.value, scenario.value, LANG).verifiers.map((v) => v.role);
      } catch (err) {
        tools.report(err);
      }
    }
    // People already in the filing in other roles stay listed.
    for (const r of chosen.keys()) if (!roles.includes(r)) roles.push(r);
    if (!roles.length) {
      members.replaceChildren(el("p", { class: "muted", text: O.peopleHint }));
      return;
    }
    /** @type {HTMLElement[]} */
    const rows = roles.flatMap((role) => {
      const select = el("select", { attrs: { id: uid(), "data-role": role } }, [
        el("option", { text: O.nobodyInRole, attrs: { value: "" } }),
        ...people.map((p) => el("option", { text: `${p.name}（${p.phoneMasked}）`, attrs: { value: p.id } })),
      ]);
      select.value = chosen.get(role) || "";
      select.addEventListener("change", () => {
        if (select.value) chosen.set(role, select.value);
        else chosen.delete(role);
      });
      return [el("label", { text: roleTitle(rules, role, platform.value), attrs: { for: select.id } }), select];
    });
    if (!people.length) rows.push(el("p", { class: "muted wide", text: O.addPeopleFirst }));
    members.replaceChildren(...rows);
  }

  platform.addEventListener("change", () => {
    fillScenarios();
    drawMembers();
    closeWizard();
  });
  scenario.addEventListener("change", drawMembers);
  now.addEventListener("click", () => {
    smsAt.value = localInputTime(new Date());
  });

  function closeWizard() {
    wizardBox.hidden = true;
    wizardBox.replaceChildren();
    ask.setAttribute("aria-expanded", "false");
  }
  ask.addEventListener("click", () => {
    if (!wizardBox.hidden) return closeWizard();
    const wizard = createWhoWizard(Promise.resolve(core), {
      headingLevel: "h3",
      platform: /** @type {Platform} */ (platform.value),
      action: (who) => {
        const use = el("button", { class: "primary use-scenario", text: O.useScenario, attrs: { type: "button" } });
        use.addEventListener("click", () => {
          platform.value = who.platform;
          fillScenarios();
          scenario.value = who.scenario;
          drawMembers();
          closeWizard();
          scenario.focus();
        });
        return use;
      },
    });
    wizardBox.replaceChildren(wizard.element);
    wizardBox.hidden = false;
    ask.setAttribute("aria-expanded", "true");
  });

  /** @param {FieldProblem[]} list */
  function showProblems(list) {
    for (const [field, place] of Object.entries(problemOf)) {
      const mine = list.filter((p) => p.field === field);
      place.replaceChildren(...mine.map((p) => el("span", { text: `${p.message} `, attrs: { "data-code": p.code } })));
      const control = formEl.querySelector(`[data-field="${field}"]`);
      if (control) control.setAttribute("aria-invalid", String(mine.length > 0));
    }
    problems.replaceChildren(
      ...list
        .filter((p) => !problemOf[p.field])
        .map((p) => el("li", { text: p.message, attrs: { "data-code": p.code } })),
    );
  }

  save.addEventListener("click", async () => {
    /** @type {FilingInput} */
    const filing = {
      name: name.value,
      platform: /** @type {Platform | ""} */ (platform.value),
      scenario: scenario.value,
      people: [...chosen.entries()].map(([role, personId]) => ({ role, personId })),
      smsAt: smsAt.value ? new Date(smsAt.value).toISOString() : null,
    };
    try {
      const r = await send({ type: "put-filing", id: editing, filing, lang: LANG });
      showProblems(r.problems);
      if (!r.saved) {
        const first = r.problems.find((p) => problemOf[p.field]);
        const control = first && formEl.querySelector(`[data-field="${first.field}"]`);
        if (control instanceof HTMLElement) control.focus();
        return;
      }
      element.hidden = true;
      onClose();
    } catch (err) {
      showProblems([{ code: "internal", field: "", message: tools.say(err) }]);
    }
  });
  cancel.addEventListener("click", () => {
    element.hidden = true;
    closeWizard();
    onClose();
  });

  return {
    element,
    /**
     * open shows the form, for a new filing (null) or to change one.
     * @param {FilingView | null} f
     */
    async open(f) {
      try {
        people = await send({ type: "people" });
      } catch (err) {
        tools.report(err);
        people = [];
      }
      editing = f ? f.id : "";
      name.value = f ? f.name : "";
      platform.value = f ? f.platform : "";
      fillScenarios();
      scenario.value = f ? f.scenario : "";
      chosen = new Map(f ? f.people.map((m) => [m.role, m.personId]) : []);
      smsAt.value = f?.smsAt ? localInputTime(new Date(f.smsAt)) : "";
      closeWizard();
      drawMembers();
      showProblems([]);
      element.setAttribute("aria-label", f ? `${O.edit}：${f.name}` : O.addFiling);
      element.hidden = false;
      name.focus();
    },
  };
}
