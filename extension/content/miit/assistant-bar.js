// @ts-check
// The assistant bar under each form (verify and resend): pick a saved person
// and fill the phone and ID last 6 (button or FILL_SHORTCUT), live checks from
// the core as the user types, the warning when the typed ID last 6 differs
// from the saved person's with that phone, tries and time left, the one-time
// question of when the SMS arrived, and saving a person. The mismatch
// warning itself sits where 提交 is (submit-guard.js); the bar keeps it current.

import { send } from "../../send.js";
import { adoptStyles, el, shadowHost } from "../../ui/dom.js";
import { LANG, T } from "../../ui/i18n.js";
import { PERSON_FORM_CSS, createPersonForm } from "../../ui/person-form.js";
import { countsLine } from "../../ui/counts.js";
import { roleTitle } from "../../rules.js";
import { heyanStats, isUserEvent } from "../stats.js";
import { fillForm } from "./fill.js";
import { createSubmitGuard } from "./submit-guard.js";

/** @typedef {import("./page.js").SmsForm} SmsForm */
/** @typedef {import("../core-client.js").CoreClient} CoreClient */
/** @typedef {import("../../messages.js").View} View */
/** @typedef {import("../../messages.js").Problem} Problem */
/** @typedef {import("../../rules.js").Rules} Rules */

const BAR_CSS =
  PERSON_FORM_CSS +
  `
:host { all: initial; display: block; margin: 8px 0 0; }
.bar { box-sizing: border-box; border: 1px solid #d0d7de; border-left: 4px solid #0969da; border-radius: 6px; background: #f6f8fa;
  padding: 8px 10px; color: #1f2329; font: 13px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
.row { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.brand { font-weight: bold; color: #0969da; }
select, input, button { font: inherit; }
select, input { border: 1px solid #d0d7de; border-radius: 4px; padding: 2px 4px; background: #fff; max-width: 100%; }
button { border: 1px solid #d0d7de; border-radius: 4px; padding: 2px 8px; background: #fff; cursor: pointer; color: #0969da; }
button.primary { background: #0969da; color: #fff; border-color: #0969da; }
button:focus-visible, select:focus-visible, input:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
kbd { font: 11px monospace; border: 1px solid #d0d7de; border-radius: 3px; padding: 0 3px; background: #fff; color: #0969da; }
.status { margin-top: 4px; color: #57606a; display: flex; flex-wrap: wrap; gap: 2px 10px; }
.problems { margin: 4px 0 0; padding-left: 18px; color: #9a6700; }
.alert { margin-top: 6px; padding: 6px 8px; border-radius: 4px; background: #ffebe9; color: #a40e26; font-weight: bold; }
.note { margin-top: 4px; color: #1a7f37; }
.ask { margin-top: 6px; padding: 6px; background: #fff8c5; border-radius: 4px; }
[hidden] { display: none !important; }
`;

/**
 * localInputTime formats a time for <input type="datetime-local">.
 * @param {Date} d
 */
function localInputTime(d) {
  const p = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * The fill shortcut heard in the page. The manifest's "commands" suggests the
 * same key (JSON cannot refer to this constant; a test holds them equal).
 */
export const FILL_SHORTCUT = { code: "KeyH", label: "Alt+Shift+H" };

/**
 * isFillShortcut tells whether a key event is the fill shortcut. Ctrl/Cmd+
 * Shift+L is left to password managers.
 * @param {KeyboardEvent} ev
 */
export function isFillShortcut(ev) {
  return ev.altKey && ev.shiftKey && !ev.ctrlKey && !ev.metaKey && ev.code === FILL_SHORTCUT.code;
}

/**
 * @typedef {{host: HTMLElement, refresh: () => void, fill: () => Promise<void>, holdsSubmit: (ev: Event) => boolean, controller: AbortController}} AssistantBar
 */

/**
 * createBar puts a bar under one form and keeps it current.
 * @param {SmsForm} form
 * @param {CoreClient} core
 * @param {Rules} rules the core's, loaded before the bars are made
 * @returns {AssistantBar}
 */
export function createBar(form, core, rules) {
  const controller = new AbortController();
  const { signal } = controller;
  const host = shadowHost("heyan-bar", "bar");
  host.setAttribute("data-kind", form.kind);
  // Closed: the page's scripts cannot read the saved people's names, the
  // mismatch hint or press our buttons through host.shadowRoot.
  const root = host.attachShadow({ mode: "closed" });
  adoptStyles(root, BAR_CSS);
  const guard = createSubmitGuard(
    form,
    () => ({
      phone: form.phone ? form.phone.value.trim() : "",
      id: form.id ? form.id.value.trim() : "",
    }),
    rules,
    signal,
  );

  const select = el("select", { attrs: { "aria-label": T.person } });
  const fillBtn = el(
    "button",
    { class: "primary", attrs: { type: "button", "aria-keyshortcuts": FILL_SHORTCUT.label } },
    [document.createTextNode(`${T.fill} `), el("kbd", { text: FILL_SHORTCUT.label })],
  );
  const addBtn = el("button", { text: `+ ${T.addPerson}`, attrs: { type: "button", "aria-expanded": "false" } });
  const status = el("div", { class: "status" });
  const note = el("div", { class: "note", attrs: { role: "status" } });
  const problems = el("ul", { class: "problems", attrs: { "aria-live": "polite" } });
  const alerts = el("div", { attrs: { role: "alert" } });
  const ask = el("div", { class: "ask" });
  ask.hidden = true;
  const askInput = el("input", { attrs: { type: "datetime-local", "aria-label": T.smsAsk } });
  const askText = el("div", { class: "ask-text", text: T.smsAsk });
  const askOk = el("button", { class: "primary", text: T.smsOk, attrs: { type: "button" } });
  const askSkip = el("button", { text: T.smsSkip, attrs: { type: "button" } });

  // Save a person: checked live by the core, validated again by the worker.
  const saveForm = createPersonForm(
    {
      checkPhone: (v) => core.call("checkPhone", v, LANG),
      checkId: (v, doc, province) => core.call("checkId", v, doc, province, LANG),
    },
    { trustedOnly: true, roles: rules.roles },
    (saved) => {
      addBtn.setAttribute("aria-expanded", "false");
      if (saved) refresh();
    },
  );

  const bar = el("div", { class: "bar", attrs: { role: "group", "aria-label": T.brand } }, [
    el("div", { class: "row" }, [el("span", { class: "brand", text: T.brand }), select, fillBtn, addBtn]),
    status,
    ask,
    problems,
    alerts,
    note,
    saveForm.element,
  ]);
  root.append(bar);

  /** @type {View | null} */
  let view = null;
  /** @type {Set<string>} fields the user has left once: their problems show even when short. */
  const touched = new Set();
  let refreshing = false;
  let again = false;

  function renderPeople() {
    const people = view ? view.people : [];
    const options = people.map((p) =>
      el("option", {
        text: [p.name, roleTitle(rules, p.role), p.phoneMasked, ...p.filings].join(" · "),
        attrs: { value: p.id },
      }),
    );
    if (!options.length) options.push(el("option", { text: T.nobodySaved, attrs: { value: "" } }));
    select.replaceChildren(...options);
    if (view?.selected) select.value = view.selected;
    fillBtn.disabled = !people.length;
  }

  /** @param {View} v */
  function renderStatus(v) {
    status.replaceChildren(
      ...(v.locked
        ? [el("span", { class: "locked", text: T.lockedBar })]
        : v.track
          ? countsLine(v.track, v.approx, Date.now(), rules)
          : []),
    );
    renderAsk(v);
  }

  /** The round whose new-SMS question was put off ("not yet") on this page. */
  let notYetKey = "";
  /** @param {View} v */
  function renderAsk(v) {
    const mode = v.ask === "new-sms" && v.round === notYetKey ? null : v.ask;
    const was = ask.dataset.mode || "";
    ask.hidden = !mode;
    ask.dataset.mode = mode || "";
    if (!mode) return;
    if (mode !== was) {
      askText.textContent = mode === "new-sms" ? T.newSmsAsk : T.smsAsk;
      askInput.setAttribute("aria-label", askText.textContent);
      askOk.textContent = mode === "new-sms" ? T.newSmsYes : T.smsOk;
      askSkip.textContent = mode === "new-sms" ? T.newSmsNotYet : T.smsSkip;
      askInput.value =
        mode === "new-sms" ? localInputTime(new Date()) : v.smsAt ? localInputTime(new Date(v.smsAt)) : "";
    } else if (!askInput.value && v.smsAt && mode === "sms-time") {
      askInput.value = localInputTime(new Date(v.smsAt));
    }
  }

  /**
   * replaceIfChanged swaps a live region's content only when its text
   * changes, so screen readers do not repeat it on every keystroke.
   * @param {HTMLElement} region
   * @param {HTMLElement[]} children
   */
  function replaceIfChanged(region, children) {
    const next = children.map((c) => c.textContent).join("\n");
    if (region.dataset.text === next) return;
    region.dataset.text = next;
    region.replaceChildren(...children);
  }

  /** @param {Problem[]} list @param {View | null} v */
  function renderAlerts(list, v) {
    replaceIfChanged(
      problems,
      list.map((p) => el("li", { text: p.message, attrs: { "data-code": p.code } })),
    );
    /** @type {HTMLElement[]} */
    const out = [];
    if (v?.track)
      for (const w of v.track.warnings)
        out.push(el("div", { class: "alert", text: w.message, attrs: { "data-code": w.code } }));
    guard.update(v);
    replaceIfChanged(alerts, out);
  }

  /** Live checks and the view, for what is typed now. */
  async function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    heyanStats.barsRefreshing++;
    try {
      do {
        again = false;
        const code = form.code ? form.code.value.trim() : "";
        const phone = form.phone ? form.phone.value.trim() : "";
        const id = form.id ? form.id.value.trim() : "";
        /** @type {Problem[]} */
        const found = [];
        const digits = (/** @type {string} */ s) => s.replace(/\D/g, "").length;
        if (code && (touched.has("code") || digits(code) >= 6))
          found.push(...(await core.call("checkCode", code, LANG)).problems);
        if (phone && (touched.has("phone") || digits(phone) >= 11)) {
          const r = await core.call("checkPhone", phone, LANG);
          found.push(...r.problems);
          if (r.valid && !r.supported && !r.problems.length)
            found.push({ code: "phone-unsupported", message: T.unsupported });
        }
        const v = await send({ type: "view", phone, idLast6: id, lang: LANG });
        if (id && (touched.has("id") || id.length >= 6)) {
          // The rules of the saved person with this phone: their document,
          // and their province (Zhejiang's HK/Macau permit holders type 567（8）).
          const doc = v.owner ? v.owner.docType : "resident-id";
          const province = v.owner ? v.owner.province : "";
          found.push(...(await core.call("checkId", id, doc, province, LANG)).problems);
        }
        view = v;
        renderPeople();
        renderStatus(v);
        renderAlerts(found, v);
      } while (again);
    } catch (err) {
      // A worker restart or a closed page: the next input tries again.
      console.debug("heyan: the bar could not refresh:", err instanceof Error ? err.message : err);
    } finally {
      refreshing = false;
      heyanStats.barsRefreshing--;
    }
  }

  async function fill() {
    const id = select.value;
    if (!id) return;
    const values = await send({ type: "fill-values", id });
    if (!values) return;
    fillForm(form, values);
    note.textContent = T.filled;
    refresh();
  }

  // The page's own fields: react to typing, never change what the page does.
  form.card.addEventListener(
    "input",
    () => {
      note.textContent = "";
      refresh();
    },
    { signal },
  );
  form.card.addEventListener(
    "focusout",
    (ev) => {
      const t = ev.target;
      if (t === form.code) touched.add("code");
      if (t === form.phone) touched.add("phone");
      if (t === form.id) touched.add("id");
      refresh();
    },
    { signal },
  );

  // Every control that selects, fills, saves or reveals acts on the user's
  // own input only (isTrusted): a page script's synthetic event does nothing.
  select.addEventListener("change", (ev) => {
    if (!isUserEvent(ev)) return;
    send({ type: "select-person", id: select.value }).catch((err) =>
      console.warn("heyan: choosing a person failed:", err instanceof Error ? err.message : err),
    );
  });
  fillBtn.addEventListener("click", (ev) => {
    if (isUserEvent(ev)) fill();
  });
  addBtn.addEventListener("click", (ev) => {
    if (!isUserEvent(ev)) return;
    if (saveForm.isOpen()) saveForm.close();
    else saveForm.open({ phone: form.phone ? form.phone.value : "" });
    addBtn.setAttribute("aria-expanded", String(saveForm.isOpen()));
  });

  // When did the SMS arrive: asked once per round; and after the filing was
  // returned or the 24 hours passed, whether a new one came (a new round).
  ask.append(askText, el("div", { class: "row" }, [askInput, askOk, askSkip]));
  /** @param {string | null} at */
  const answer = async (at) => {
    const phone = form.phone ? form.phone.value : "";
    try {
      const v = await send({ type: "set-sms-time", phone, at, lang: LANG });
      view = v;
      renderStatus(v);
    } catch (err) {
      // The question stays up: answering it again sends again.
      console.warn("heyan: the SMS time was not saved:", err instanceof Error ? err.message : err);
    }
  };
  askOk.addEventListener("click", (ev) => {
    if (!isUserEvent(ev)) return;
    const t = askInput.value ? new Date(askInput.value) : null;
    answer(t && !Number.isNaN(t.getTime()) && t.getTime() <= Date.now() ? t.toISOString() : null);
  });
  askSkip.addEventListener("click", (ev) => {
    if (!isUserEvent(ev)) return;
    if (ask.dataset.mode === "new-sms") {
      notYetKey = view ? view.round : "";
      ask.hidden = true;
      return;
    }
    answer(null);
  });

  signal.addEventListener("abort", () => host.remove());
  form.card.append(host);
  refresh();
  return { host, refresh, fill, holdsSubmit: guard.holds, controller };
}
