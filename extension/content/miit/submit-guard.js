// @ts-check
// The mismatch warning where 提交 is: when the typed ID last 6 is not that of
// the saved person with the typed phone, a note sits just above the form's
// 提交 button, and the first 提交 pressed with the mismatch is held once to
// ask: check the ID, or go on. Going on lets the next 提交 through (focus is
// put on it); the extension never presses 提交 itself, and a user who presses
// 提交 again is never held a second time for the same values.

import { adoptStyles, el, shadowHost } from "../../ui/dom.js";
import { T } from "../../ui/i18n.js";
import { roundOver } from "../../rules.js";
import { heyanStats, isUserEvent } from "../stats.js";

/** @typedef {import("./page.js").SmsForm} SmsForm */
/** @typedef {import("../../messages.js").View} View */
/** @typedef {import("../../rules.js").Rules} Rules */

const GUARD_CSS = `
:host { all: initial; display: block; margin: 0 0 6px; }
/* The host's own display beats the hidden attribute: nothing shows while nothing mismatches. */
:host([hidden]) { display: none !important; }
.warn { box-sizing: border-box; border-radius: 4px; background: #ffebe9; color: #a40e26; border: 1px solid #ffcecb;
  padding: 6px 8px; font: 13px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; font-weight: bold; }
.ask { margin-top: 6px; font-weight: normal; color: #1f2329; }
.row { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 4px; }
button { font: inherit; border: 1px solid #d0d7de; border-radius: 4px; padding: 2px 8px; background: #fff; cursor: pointer; color: #0969da; }
button.primary { background: #0969da; color: #fff; border-color: #0969da; }
button:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
[hidden] { display: none !important; }
`;

/**
 * @typedef {{
 *   update: (view: View | null) => void,
 *   holds: (ev: Event) => boolean,
 *   host: HTMLElement
 * }} SubmitGuard
 */

/**
 * createSubmitGuard puts the note above the form's 提交 button (nothing when
 * the form has none) and returns how the bar keeps it current and how the
 * page's click is checked.
 * @param {SmsForm} form
 * @param {() => {phone: string, id: string}} typed what the form holds now
 * @param {Rules} rules
 * @param {AbortSignal} signal
 * @returns {SubmitGuard}
 */
export function createSubmitGuard(form, typed, rules, signal) {
  const host = shadowHost("heyan-ask", "submit-guard");
  host.setAttribute("data-kind", form.kind);
  const root = host.attachShadow({ mode: "closed" });
  adoptStyles(root, GUARD_CSS);
  const text = el("div", { class: "text" });
  const question = el("div", { class: "ask", text: T.mismatchAsk });
  const fix = el("button", { class: "primary fix", text: T.mismatchFix, attrs: { type: "button" } });
  const goOn = el("button", { class: "go-on", text: T.mismatchGoOn, attrs: { type: "button" } });
  const ask = el("div", {}, [question, el("div", { class: "row" }, [fix, goOn])]);
  const box = el("div", { class: "warn", attrs: { role: "alert", "data-code": "id-mismatch" } }, [text, ask]);
  root.append(box);
  host.hidden = true;
  ask.hidden = true;

  /** @type {View | null} */
  let view = null;
  /** The typed values the user chose to go on with: never held again. */
  let allowed = "";
  const key = () => {
    const t = typed();
    return `${t.phone}\u0000${t.id}`;
  };

  /** @param {View | null} v */
  function update(v) {
    view = v;
    const m = v?.mismatch;
    host.hidden = !m;
    if (!m) {
      ask.hidden = true;
      return;
    }
    text.textContent =
      v.track && !roundOver(rules, v.track)
        ? T.mismatch(m.who, m.tail, v.track.attemptsLeft)
        : T.mismatchNoCount(m.who, m.tail);
  }

  fix.addEventListener("click", (ev) => {
    if (!isUserEvent(ev)) return;
    ask.hidden = true;
    if (form.id) form.id.focus();
  });
  goOn.addEventListener("click", (ev) => {
    if (!isUserEvent(ev)) return;
    allowed = key();
    ask.hidden = true;
    if (form.submit) form.submit.focus();
  });

  // Right above 提交 (its form item, where Element UI wraps it).
  const place = form.submit && (form.submit.closest(".el-form-item") || form.submit);
  if (place?.parentElement) place.parentElement.insertBefore(host, place);
  signal.addEventListener("abort", () => host.remove());

  return {
    host,
    update,
    /**
     * holds tells whether this 提交 click is held to ask first: the user's
     * own click, a mismatch shown, values not gone on with yet.
     */
    holds(ev) {
      if (!ev.isTrusted || !view?.mismatch || host.hidden) return false;
      const k = key();
      if (allowed === k || !ask.hidden) {
        // Asked already (the question is up, or answered "go on"): a user
        // who presses 提交 again means it.
        allowed = k;
        ask.hidden = true;
        return false;
      }
      ask.hidden = false;
      heyanStats.submitsHeld++;
      fix.focus();
      return true;
    },
  };
}
