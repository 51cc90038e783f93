// @ts-check
// Asking before something is forgotten (a saved person, a filing's record):
// in the popup itself, since a native confirm() can close a popup. A list
// that holds an open question is not redrawn under it (openQuestion).

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
function confirmInline(slot, question, yesLabel, onYes) {
  const keep = [...slot.childNodes];
  const yes = el("button", { class: "danger", text: yesLabel, attrs: { type: "button" } });
  const no = el("button", { text: P.cancel, attrs: { type: "button" } });
  const box = el("div", { class: "confirm", attrs: { role: "alertdialog", "aria-label": question } }, [
    el("p", { text: question }), el("div", { class: "actions" }, [yes, no]),
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
    onYes().catch(restore);
  });
}
