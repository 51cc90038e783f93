// @ts-check
// The options page (options_ui, opened from the popup and from
// chrome://extensions): 人员 (people), 备案 (filings), 导入导出 (export and
// import), 设置 (settings), as tabs. The core runs here (live checks, the
// who-verifies questions, the rules); the records come from the service
// worker, which owns them, and every change goes through it.

import "../../core/wasm_exec.js";
import "../../core/heyan-core.js";
import { CORE_WASM } from "../../places.js";
import { STATE_KEY } from "../../storage-keys.js";
import { errorMessage } from "../../errors.js";
import { send } from "../../send.js";
import { el } from "../../ui/dom.js";
import { LANG, T, loadLanguage } from "../../ui/i18n.js";
import { errorText } from "../../ui/errors.js";
import { createPeoplePanel } from "./people.js";
import { createFilingsPanel } from "./filings.js";
import { createBackupPanel } from "./backup.js";
import { createSettingsPanel } from "./settings.js";
import { createSyncPanel } from "./sync.js";
import { O } from "../../ui/i18n.js";
import { createTabs } from "../shared/tabs.js";

/** @typedef {import("../shared/tabs.js").Panel & {show: () => Promise<void>}} OptionsPanel */

/**
 * What the panels share: saying an error in the user's language, showing
 * it, offering to undo a delete, and adding CSS to the page.
 * @typedef {{
 *   say: (err: unknown) => string,
 *   report: (err: unknown) => void,
 *   offerUndo: (text: string, token: string, returnFocus: HTMLElement) => void,
 *   adoptCss: (css: string) => void
 * }} PageTools
 */

/** @typedef {"people" | "filings" | "backup" | "sync" | "settings"} OptionsTab */

await loadLanguage();
document.documentElement.lang = LANG;
document.title = O.title;

const toast = el("div", { class: "toast", attrs: { role: "status", "aria-live": "polite" } });
toast.hidden = true;
const alertBox = el("div", { class: "alert page-alert", attrs: { role: "alert" } });
alertBox.hidden = true;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;

/** @type {PageTools} */
const tools = {
  say: errorText,
  report(err) {
    alertBox.textContent = errorText(err);
    alertBox.hidden = false;
    setTimeout(() => {
      alertBox.hidden = true;
    }, 15000);
  },
  offerUndo(text, token, returnFocus) {
    clearTimeout(toastTimer);
    const undo = el("button", { class: "undo", text: O.undo, attrs: { type: "button" } });
    undo.addEventListener("click", async () => {
      try {
        await send({ type: "undo-delete", token });
        toast.replaceChildren(el("span", { text: O.undone }));
        await redrawShown();
      } catch (err) {
        tools.report(err);
      }
      returnFocus.focus();
      toastTimer = setTimeout(() => {
        toast.hidden = true;
      }, 4000);
    });
    toast.replaceChildren(el("span", { text }), undo);
    toast.hidden = false;
    undo.focus();
    toastTimer = setTimeout(() => {
      toast.hidden = true;
    }, 20000);
  },
  adoptCss(css) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  },
};

document.body.append(
  el("header", { class: "top" }, [
    el("h1", { class: "brand", text: T.brand }),
    el("span", { class: "muted", text: O.subtitle }),
  ]),
);

/** Redraws the panel shown (set once the tabs exist). */
let redrawShown = async () => {
  // no panel yet
};

try {
  const core = await loadHeyanCore(chrome.runtime.getURL(CORE_WASM));
  /** @type {Record<OptionsTab, OptionsPanel>} */
  const panels = {
    people: createPeoplePanel(core, tools),
    filings: createFilingsPanel(core, tools),
    backup: createBackupPanel(tools),
    sync: createSyncPanel(tools),
    settings: createSettingsPanel(tools, () => location.reload()),
  };
  // The browser tests call a panel's changed() as the storage listener does.
  Object.assign(globalThis, { heyanOptions: { panels } });
  const tabs = createTabs(panels, O.tabs, O.title);
  redrawShown = async () => {
    const shown = tabs.current();
    if (shown) await panels[shown].show();
  };
  document.body.append(tabs.tabList, el("main", {}, [alertBox, ...tabs.sections]), toast);
  // A change stored elsewhere (an answer on a MIIT page, another tab of this
  // page): the panel shown redraws, but not under a form being filled in.
  // A burst of changes (an import elsewhere, hundreds of saves) redraws once.
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let redraw;
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== "local" || !changes[STATE_KEY]) return;
    clearTimeout(redraw);
    redraw = setTimeout(() => {
      const shown = tabs.current();
      const panel = shown && panels[shown];
      if (panel?.changed) panel.changed().catch(tools.report);
    }, 150);
  });
  await tabs.select(tabs.asked() || "people");
  document.documentElement.dataset.ready = "1";
} catch (err) {
  console.error("heyan: the options page did not start:", errorMessage(err));
  document.body.append(el("main", {}, [el("p", { class: "alert", attrs: { role: "alert" }, text: T.coreFailed })]));
}
