// @ts-check
// The popup: what belongs beside the MIIT site, as tabs: 谁来核验 (who
// verifies), 常见问题 (FAQ) and 当前进度 (status: tries and deadlines). People
// and filings are kept on the options page, which 管理人员和备案 opens. The
// core runs here, in the popup page (extension pages allow
// 'wasm-unsafe-eval'); the tries come from the service worker, which owns
// them.

import "../../core/wasm_exec.js";
import "../../core/heyan-core.js";
import { CORE_WASM, MIIT_SMS_PAGE } from "../../places.js";
import { errorMessage } from "../../errors.js";
import { send } from "../../send.js";
import { el } from "../../ui/dom.js";
import { LANG, T } from "../../ui/i18n.js";
import { createWhoPanel } from "./who.js";
import { createFaqPanel } from "./faq.js";
import { createStatusPanel } from "./status.js";
import { createTabs } from "../shared/tabs.js";
import { P } from "../../ui/i18n.js";
import { loadLanguage } from "../../ui/i18n.js";
import { roundOver } from "../../rules.js";

/** @typedef {import("../shared/tabs.js").Panel} PopupPanel */

// The language setting first: every string below is drawn in it.
await loadLanguage();
document.documentElement.lang = LANG;
document.title = T.brand;

/** The core, loaded in this page. */
const popupCore = loadHeyanCore(chrome.runtime.getURL(CORE_WASM));
popupCore.catch((err) => console.error("heyan: the core did not start:", errorMessage(err)));

/** @typedef {"who" | "faq" | "status"} PopupTab */

/** @type {Record<PopupTab, PopupPanel>} */
const popupPanels = {
  who: createWhoPanel(popupCore),
  faq: createFaqPanel(popupCore),
  status: createStatusPanel(popupCore),
};
// The browser tests call a panel's changed() as the storage listener does.
Object.assign(globalThis, { heyanPopup: { panels: popupPanels } });
const tabs = createTabs(popupPanels, P.tabs, T.brand);

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
  tabs.tabList,
  el("main", {}, tabs.sections),
);

// The worker changed the data (a result on a MIIT page, a save): redraw
// what is shown, though not under a question the user is answering.
chrome.storage.onChanged.addListener((_changes, area) => {
  if (area !== "local" || tabs.current() !== "status") return;
  const panel = popupPanels.status;
  if (panel.changed) panel.changed();
  else panel.show();
});

// Open on the tab the address names (#faq…), else on the status while a
// verification is under way, else on who verifies.
(async () => {
  let first = tabs.asked();
  if (!first) {
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
  tabs.select(first);
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
