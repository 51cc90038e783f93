// @ts-check
// Asking before something is forgotten (a saved person, a filing's record):
// in the popup itself, since a native confirm() can close a popup.

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
  };
  no.addEventListener("click", restore);
  yes.addEventListener("click", () => {
    yes.disabled = no.disabled = true;
    onYes().catch(restore);
  });
}
