// @ts-check
// Asking before something is forgotten (a saved person, a filing's record):
// in the popup itself, since a native confirm() can close a popup. A list
// that holds an open question is not redrawn under it (recordList).

import { el } from "../../ui/dom.js";
import { errorText } from "../../ui/errors.js";
import { P } from "../../ui/i18n.js";

/** Fired (bubbling) from a question's place when it closes unanswered. */
const QUESTION_CLOSED_EVENT = "heyan-question-closed";

/**
 * openQuestion tells whether a question inside root is waiting for the
 * user's answer (one answered yes stays up, its buttons off, until its
 * panel redraws).
 * @param {HTMLElement} root
 */
function openQuestion(root) {
  return root.querySelector(".confirm:not(.answered)") !== null;
}

/**
 * confirmInline swaps a row's action for a question with a confirm and a
 * cancel button (a popup closes on a native confirm() in some browsers).
 * @param {HTMLElement} slot where the action button is; the question replaces its content
 * @param {string} question
 * @param {string} yesLabel
 * @param {() => Promise<void>} onYes
 */
export function confirmInline(slot, question, yesLabel, onYes) {
  const keep = [...slot.childNodes];
  const yes = el("button", { class: "danger", text: yesLabel, attrs: { type: "button" } });
  const no = el("button", { text: P.cancel, attrs: { type: "button" } });
  const box = el("div", { class: "confirm", attrs: { role: "alertdialog", "aria-label": question } }, [
    el("p", { text: question }),
    el("div", { class: "actions" }, [yes, no]),
  ]);
  slot.replaceChildren(box);
  no.focus();
  const restore = () => {
    slot.replaceChildren(...keep);
    const first = keep.find((n) => n instanceof HTMLElement);
    if (first instanceof HTMLElement) first.focus();
    slot.dispatchEvent(new Event(QUESTION_CLOSED_EVENT, { bubbles: true }));
  };
  no.addEventListener("click", restore);
  yes.addEventListener("click", () => {
    yes.disabled = no.disabled = true;
    box.classList.add("answered");
    onYes().catch((err) => {
      restore();
      slot.append(el("p", { class: "notice", attrs: { role: "alert" }, text: errorText(err) }));
    });
  });
}

/**
 * recordList keeps a list of stored records drawn in container: show()
 * draws it anew; changed() does too, for a change made elsewhere (an answer
 * on a MIIT page, another page), but not under a question the user is
 * answering in it: that redraw waits until the question closes. The latest
 * call wins when two overlap.
 * @param {HTMLElement} container
 * @param {() => Promise<HTMLElement[]>} load the records' cards
 * @param {string} emptyText what an empty list says
 * @returns {{show: () => Promise<void>, changed: () => Promise<void>}}
 */
export function recordList(container, load, emptyText) {
  let showing = 0;
  /** A redraw for a change elsewhere waits for the open question to close. */
  let stale = false;
  /** @param {boolean} elsewhere */
  async function draw(elsewhere) {
    const run = ++showing;
    /** @type {HTMLElement[]} */
    let cards;
    try {
      cards = await load();
      if (!cards.length) cards = [el("p", { class: "muted empty", text: emptyText })];
    } catch (err) {
      cards = [el("p", { class: "notice", text: errorText(err) })];
    }
    if (run !== showing) return;
    if (elsewhere && openQuestion(container)) {
      stale = true;
      return;
    }
    stale = false;
    container.replaceChildren(...cards);
  }
  container.addEventListener(QUESTION_CLOSED_EVENT, () => {
    if (stale) draw(true);
  });
  return { show: () => draw(false), changed: () => draw(true) };
}
