// @ts-check
// What every site's content script starts with: the core client (started by
// a feature when it is needed), the card, the "extension updated" note, the
// worker's commands, and one AbortController that stops everything. When the
// extension is updated or reloaded (this script is then orphaned), it aborts
// and a note asks to reload the page. Then it starts the site's features.

import { setSendErrorHandler } from "../messages.js";
import { createCoreClient } from "./core-client.js";
import { createOverlay } from "./overlay.js";
import { showUpdatedNote, watchExtensionGone } from "./updated-note.js";

/** @typedef {import("./core-client.js").CoreClient} CoreClient */
/** @typedef {import("./overlay.js").ResultOverlay} ResultOverlay */
/** @typedef {import("./overlay.js").Placement} Placement */
/** @typedef {import("../messages.js").PageMessage} PageMessage */

/**
 * What a feature gets: the core client (start it when the page needs it),
 * the card (made on first use, with its live region), a way to hear the
 * worker's commands, and the signal that stops everything.
 * @typedef {{
 *   core: CoreClient,
 *   overlay: () => ResultOverlay,
 *   onCommand: (handler: (command: PageMessage["command"]) => void) => void,
 *   signal: AbortSignal
 * }} ContentContext
 */

/**
 * One feature of a site: started once, at document_start, with the context.
 * @typedef {{name: string, start: (ctx: ContentContext) => void}} ContentFeature
 */

/**
 * startContent runs a site's features.
 * @param {{placement: Placement, features: ContentFeature[]}} site
 */
export function startContent(site) {
  const controller = new AbortController();
  const { signal } = controller;
  const lifeline = watchExtensionGone(() => {
    controller.abort();
    showUpdatedNote();
  }, signal);
  setSendErrorHandler(lifeline.reportError);

  const core = createCoreClient();
  /** @type {ResultOverlay | null} */
  let overlay = null;
  const getOverlay = () => {
    if (!overlay) {
      overlay = createOverlay(core, site.placement, signal);
      const card = overlay;
      // Which path the core took and when it was ready, on our own element:
      // the tests check the CSP fallback with it, the benchmark reads the time.
      core.start().then(() => {
        card.host.setAttribute("data-core", core.path());
        card.host.setAttribute("data-started-ms", core.startedAt().toFixed(1));
        card.host.setAttribute("data-ready-ms", core.readyAt().toFixed(1));
      });
    }
    return overlay;
  };

  // The worker's commands (the manifest's keyboard shortcuts), registered
  // before anything is awaited.
  /** @type {((command: PageMessage["command"]) => void)[]} */
  const commandHandlers = [];
  /** @param {unknown} message @param {chrome.runtime.MessageSender} sender */
  const onWorkerMessage = (message, sender) => {
    if (sender.id !== chrome.runtime.id) return;
    const msg = /** @type {PageMessage} */ (message);
    switch (msg && msg.type) {
      case "command":
        for (const h of commandHandlers) h(msg.command);
        break;
    }
  };
  chrome.runtime.onMessage.addListener(onWorkerMessage);
  signal.addEventListener("abort", () => {
    try {
      chrome.runtime.onMessage.removeListener(onWorkerMessage);
    } catch {
      // The extension is gone already, and its listener with it.
    }
  });

  /** @type {ContentContext} */
  const ctx = { core, overlay: getOverlay, onCommand: (h) => { commandHandlers.push(h); }, signal };
  for (const f of site.features) f.start(ctx);
}
