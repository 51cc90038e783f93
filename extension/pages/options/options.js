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
import { O } from "./text.js";

/**
 * A tab's panel: its element; show, called each time its tab is chosen;
 * changed, called while it is shown when the stored records changed
 * elsewhere (it redraws, but not under a form being filled in).
 * @typedef {{element: HTMLElement, show: () => Promise<void>, changed?: () => Promise<void>}} OptionsPanel
 */

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
        await current?.panel.show();
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

/** @type {{name: OptionsTab, panel: OptionsPanel} | null} */
let current = null;

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
  const names = /** @type {OptionsTab[]} */ (Object.keys(panels));
  const tabs = names.map((name) =>
    el("button", {
      text: O.tabs[name],
      attrs: {
        type: "button",
        role: "tab",
        id: `tab-${name}`,
        "aria-controls": `panel-${name}`,
        "aria-selected": "false",
        tabindex: "-1",
        "data-tab": name,
      },
    }),
  );
  const tabList = el("nav", { attrs: { role: "tablist", "aria-label": O.title } }, tabs);
  const sections = names.map((name) => {
    const s = el(
      "section",
      {
        class: "panel",
        attrs: { role: "tabpanel", id: `panel-${name}`, "aria-labelledby": `tab-${name}`, tabindex: "0" },
      },
      [panels[name].element],
    );
    s.hidden = true;
    return s;
  });
  document.body.append(tabList, el("main", {}, [alertBox, ...sections]), toast);

  /**
   * select shows one tab's panel.
   * @param {OptionsTab} name
   * @param {boolean} [focus]
   */
  const select = (name, focus = false) => {
    names.forEach((n, i) => {
      const on = n === name;
      tabs[i].setAttribute("aria-selected", String(on));
      tabs[i].tabIndex = on ? 0 : -1;
      sections[i].hidden = !on;
    });
    if (focus) tabs[names.indexOf(name)].focus();
    current = { name, panel: panels[name] };
    history.replaceState(null, "", `#${name}`);
    return panels[name].show();
  };
  tabList.addEventListener("click", (ev) => {
    const b = ev.target instanceof Element ? ev.target.closest("[data-tab]") : null;
    if (b) select(/** @type {OptionsTab} */ (b.getAttribute("data-tab")));
  });
  // Arrow keys move between tabs (the ARIA tabs pattern).
  tabList.addEventListener("keydown", (ev) => {
    const i = current ? names.indexOf(current.name) : 0;
    const to = {
      ArrowRight: (i + 1) % names.length,
      ArrowLeft: (i + names.length - 1) % names.length,
      Home: 0,
      End: names.length - 1,
    }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    select(names[to], true);
  });
  // A change stored elsewhere (an answer on a MIIT page, another tab of this
  // page): the panel shown redraws, but not under a form being filled in.
  // A burst of changes (an import elsewhere, hundreds of saves) redraws once.
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let redraw;
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== "local" || !changes[STATE_KEY]) return;
    clearTimeout(redraw);
    redraw = setTimeout(() => {
      if (current?.panel.changed) current.panel.changed().catch(tools.report);
    }, 150);
  });
  const asked = /** @type {OptionsTab} */ (location.hash.slice(1));
  await select(names.includes(asked) ? asked : "people");
  document.documentElement.dataset.ready = "1";
} catch (err) {
  console.error("heyan: the options page did not start:", errorMessage(err));
  document.body.append(el("main", {}, [el("p", { class: "alert", attrs: { role: "alert" }, text: T.coreFailed })]));
}
