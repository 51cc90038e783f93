// @ts-check
// The popup: 谁来核验 (who verifies), 常见问题 (FAQ), 当前进度 (status) and
// 已保存的人 (saved people), as tabs. The core runs here, in the popup page
// (extension pages allow 'wasm-unsafe-eval'); saved people and tries come
// from the service worker, which owns them, through messages.js.

import "../../core/wasm_exec.js";
import "../../core/heyan-core.js";
import { CORE_WASM, MIIT_SMS_PAGE } from "../../places.js";
import { errorMessage } from "../../errors.js";
import { send } from "../../send.js";
import { el } from "../../ui/dom.js";
import { LANG, T } from "../../ui/i18n.js";
import { PERSON_FORM_CSS } from "../../ui/person-form.js";
import { createWhoPanel } from "./who.js";
import { createFaqPanel } from "./faq.js";
import { createStatusPanel } from "./status.js";
import { createPeoplePanel } from "./people.js";
import { P } from "./text.js";
import { loadLanguage } from "../../ui/i18n.js";
import { roundOver } from "../../rules.js";

/** @typedef {import("./who.js").PopupPanel} PopupPanel */

// The language setting first: every string below is drawn in it.
await loadLanguage();
document.documentElement.lang = LANG;
document.title = T.brand;
{
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PERSON_FORM_CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** The core, loaded in this page. */
const popupCore = loadHeyanCore(chrome.runtime.getURL(CORE_WASM));
popupCore.catch((err) => console.error("heyan: the core did not start:", errorMessage(err)));

/** @typedef {"who" | "faq" | "status" | "people"} PopupTab */

/** @type {Record<PopupTab, PopupPanel>} */
const popupPanels = {
  who: createWhoPanel(popupCore),
  faq: createFaqPanel(popupCore),
  status: createStatusPanel(popupCore),
  people: createPeoplePanel(popupCore),
};
// The browser tests call a panel's changed() as the storage listener does.
Object.assign(globalThis, { heyanPopup: { panels: popupPanels } });
const popupTabs = /** @type {PopupTab[]} */ (Object.keys(popupPanels));
/** @type {PopupTab | null} */
let popupCurrent = null;

const tabButtons = popupTabs.map((name) =>
  el("button", {
    text: P.tabs[name],
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
const tabList = el("nav", { attrs: { role: "tablist", "aria-label": T.brand } }, tabButtons);
const panelBox = el(
  "main",
  {},
  popupTabs.map((name) => {
    const p = el(
      "section",
      { class: "panel", attrs: { role: "tabpanel", id: `panel-${name}`, "aria-labelledby": `tab-${name}` } },
      [popupPanels[name].element],
    );
    p.hidden = true;
    return p;
  }),
);

/**
 * selectTab shows one panel and refreshes it.
 * @param {PopupTab} name
 * @param {boolean} [focus]
 */
function selectTab(name, focus = false) {
  popupCurrent = name;
  popupTabs.forEach((t, i) => {
    const on = t === name;
    tabButtons[i].setAttribute("aria-selected", String(on));
    tabButtons[i].tabIndex = on ? 0 : -1;
    /** @type {HTMLElement} */ (panelBox.children[i]).hidden = !on;
  });
  if (focus) tabButtons[popupTabs.indexOf(name)].focus();
  popupPanels[name].show();
  history.replaceState(null, "", `#${name}`);
}

tabList.addEventListener("click", (ev) => {
  const b = ev.target instanceof Element ? ev.target.closest("[data-tab]") : null;
  if (b) selectTab(/** @type {PopupTab} */ (b.getAttribute("data-tab")));
});
// Arrow keys move between tabs (the ARIA tabs pattern).
tabList.addEventListener("keydown", (ev) => {
  const i = popupCurrent ? popupTabs.indexOf(popupCurrent) : 0;
  const n = popupTabs.length;
  const to = { ArrowRight: (i + 1) % n, ArrowLeft: (i + n - 1) % n, Home: 0, End: n - 1 }[ev.key];
  if (to === undefined) return;
  ev.preventDefault();
  selectTab(popupTabs[to], true);
});

const miitLink = el("a", {
  class: "miit",
  text: P.openMiit,
  attrs: { href: MIIT_SMS_PAGE, target: "_blank", rel: "noopener noreferrer" },
});
const manage = el("button", { class: "manage", text: P.manage, attrs: { type: "button" } });
manage.addEventListener("click", () => {
  chrome.runtime
    .openOptionsPage()
    .catch((err) => console.warn("heyan: the options page did not open:", errorMessage(err)));
});
document.body.append(
  el("header", { class: "top" }, [
    el("span", { class: "brand", text: T.brand }),
    el("span", { class: "links" }, [manage, miitLink]),
  ]),
  tabList,
  panelBox,
);

// The worker changed the data (a result on a MIIT page, a save): redraw
// what is shown, though not under a question the user is answering.
chrome.storage.onChanged.addListener((_changes, area) => {
  if (area !== "local" || (popupCurrent !== "status" && popupCurrent !== "people")) return;
  const panel = popupPanels[popupCurrent];
  if (panel.changed) panel.changed();
  else panel.show();
});

// Open on the tab the address names (#faq…), else on the status while a
// verification is under way, else on who verifies.
(async () => {
  const asked = /** @type {PopupTab} */ (location.hash.slice(1));
  let first = asked;
  if (!popupTabs.includes(asked)) {
    let open = false;
    try {
      const rounds = await send({ type: "rounds", lang: LANG });
      const rules = (await popupCore).rules(LANG);
      open = rounds.some((r) => r.track && !roundOver(rules, r.track));
    } catch (err) {
      // The worker could not say (it is starting, say): who verifies.
      console.debug("heyan: no rounds to open on:", errorMessage(err));
    }
    first = open ? "status" : "who";
  }
  selectTab(first);
  // Interactive: the tabs work and the core is up (the benchmark waits for
  // it). A core that failed to start is reported where it loads.
  popupCore.then(
    () => {
      document.documentElement.dataset.ready = "1";
    },
    () => {
      // reported where the core loads
    },
  );
})();
