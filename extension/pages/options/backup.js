// @ts-check
// 导入导出 / Export and import: the people and filings to one JSON file, and
// back. An import is checked by the worker first and what it would add,
// change and skip (and why) is listed; only then, on the user's word, is it
// written — all of it, or nothing.

import { ERROR_CODES } from "../../messages.js";
import { send } from "../../send.js";
import { el } from "../../ui/dom.js";
import { LANG } from "../../ui/i18n.js";
import { O } from "../../ui/i18n.js";

/** @typedef {import("../../messages.js").ImportPlan} ImportPlan */
/** @typedef {import("./options.js").OptionsPanel} OptionsPanel */
/** @typedef {import("./options.js").PageTools} PageTools */

/** The worker refuses anything bigger; so does the page, before reading it. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * createBackupPanel makes the panel.
 * @param {PageTools} tools
 * @returns {OptionsPanel}
 */
export function createBackupPanel(tools) {
  const exportButton = el("button", { class: "primary export", text: O.exportButton, attrs: { type: "button" } });
  const exportNote = el("p", { class: "muted", attrs: { role: "status" } });
  exportButton.addEventListener("click", async () => {
    try {
      const { text, name } = await send({ type: "export" });
      const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      const a = el("a", { attrs: { href: url, download: name } });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      exportNote.textContent = name;
    } catch (err) {
      tools.report(err);
    }
  });

  const file = el("input", { attrs: { type: "file", id: "import-file", accept: "application/json,.json" } });
  const result = el("div", { class: "result", attrs: { "aria-live": "polite" } });
  /** The text of the file chosen, once the worker has checked it. */
  let checkedText = "";

  /** @param {string} text */
  const refusal = (text) => el("p", { class: "alert", attrs: { role: "alert", "data-code": "refused" }, text });

  /** @param {ImportPlan} plan */
  function planView(plan) {
    const n = (/** @type {string} */ a) => plan.steps.filter((s) => s.action === a).length;
    const rows = plan.steps.map((s) =>
      el("tr", { attrs: { "data-action": s.action } }, [
        el("td", { text: O.kinds[s.kind] }),
        el("td", { text: s.name }),
        el("td", { text: O.actions[s.action] }),
        el("td", { text: s.why }),
      ]),
    );
    const go = el("button", { class: "primary apply", text: O.importButton, attrs: { type: "button" } });
    const cancel = el("button", { text: O.cancel, attrs: { type: "button" } });
    go.disabled = !n("add") && !n("change");
    go.addEventListener("click", async () => {
      go.disabled = true;
      try {
        const done = await send({ type: "import-apply", text: checkedText, lang: LANG });
        const added = done.steps.filter((s) => s.action === "add").length;
        const changed = done.steps.filter((s) => s.action === "change").length;
        result.replaceChildren(
          el("p", { class: "notice done", attrs: { role: "status" }, text: O.imported(added, changed) }),
        );
      } catch (err) {
        result.replaceChildren(refusal(tools.say(err)));
      }
      checkedText = "";
      file.value = "";
    });
    cancel.addEventListener("click", () => {
      result.replaceChildren();
      checkedText = "";
      file.value = "";
      file.focus();
    });
    return [
      el("h3", { class: "plan-title", text: O.planTitle(n("add"), n("change"), n("skip")) }),
      el("table", { class: "plan" }, [
        el("thead", {}, [
          el(
            "tr",
            {},
            [O.column.kind, O.column.name, O.column.action, O.column.why].map((h) =>
              el("th", { text: h, attrs: { scope: "col" } }),
            ),
          ),
        ]),
        el("tbody", {}, rows),
      ]),
      el("div", { class: "actions" }, [go, cancel]),
    ];
  }

  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    checkedText = "";
    if (!f) return result.replaceChildren();
    if (f.size > MAX_FILE_BYTES) return result.replaceChildren(refusal(O.fileTooBig(MAX_FILE_BYTES / 1048576)));
    try {
      const text = await f.text();
      const plan = await send({ type: "import-plan", text, lang: LANG });
      checkedText = text;
      result.replaceChildren(...planView(plan));
    } catch (err) {
      const code = err && typeof err === "object" ? /** @type {{code?: string}} */ (err).code : "";
      result.replaceChildren(
        refusal(
          code === ERROR_CODES.badImport || code === ERROR_CODES.tooLarge
            ? String(/** @type {Error} */ (err).message)
            : tools.say(err),
        ),
      );
    }
  });

  const element = el("div", { class: "backup-panel" }, [
    el("section", { class: "card", attrs: { "aria-labelledby": "export-title" } }, [
      el("h2", { text: O.exportTitle, attrs: { id: "export-title" } }),
      el("p", { text: O.exportText }),
      exportButton,
      exportNote,
    ]),
    el("section", { class: "card", attrs: { "aria-labelledby": "import-title" } }, [
      el("h2", { text: O.importTitle, attrs: { id: "import-title" } }),
      el("p", { text: O.importText }),
      el("label", { text: O.chooseFile, attrs: { for: file.id } }),
      document.createTextNode(" "),
      file,
      result,
    ]),
  ]);
  return {
    element,
    show: async () => {
      // nothing to refresh: the panel holds no stored data
    },
  };
}
