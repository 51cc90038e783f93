// @ts-check
// What every site's content script starts with: the user's settings (the
// language, whether the card and the bar are on), the core client (started
// by a feature when it is needed), the card, the "extension updated" note,
// the worker's commands, and one AbortController that stops everything.
// When the settings change, everything stops and starts again in the new
// ones. When the extension is updated or reloaded (this script is then
// orphaned), it stops and a note asks to reload the page. A site whose
// script runs by an optional permission (the Douyin console) stops for good
// when the worker says the permission was taken away.

import { setSendErrorHandler } from "../send.js";
import { SETTINGS_KEY, readSettings } from "../settings.js";
import { loadLanguage } from "../ui/i18n.js";
import { createCoreClient } from "./core-client.js";
import { createOverlay } from "./overlay.js";
import { showUpdatedNote, watchExtensionGone } from "./updated-note.js";

/** @typedef {import("./core-client.js").CoreClient} CoreClient */
/** @typedef {import("./overlay.js").ResultOverlay} ResultOverlay */
/** @typedef {import("./overlay.js").Placement} Placement */
/** @typedef {import("../messages.js").PageMessage} PageMessage */
/** @typedef {import("../settings.js").Settings} Settings */

/**
 * What a feature gets: the settings, the core client (start it when the
 * page needs it), the card (made on first use, with its live region), a way
 * to hear the worker's commands, and the signal that stops everything.
 * @typedef {{
 *   settings: Settings,
 *   core: CoreClient,
 *   overlay: () => ResultOverlay,
 *   onCommand: (handler: (command: "fill-person") => void) => void,
 *   signal: AbortSignal
 * }} ContentContext
 */

/**
 * One feature of a site: started once per run, as soon as the settings are
 * read (at document_start, give or take a storage read).
 * @typedef {{name: string, start: (ctx: ContentContext) => void}} ContentFeature
 */

/**
 * startContent runs a site's features, and runs them again when the user's
 * settings change. id names the site in the worker's site-off message;
 * onOff is told when that message has stopped everything.
 * @param {{id: string, placement: Placement, features: ContentFeature[], onOff?: () => void}} site
 */
export function startContent(site) {
  /** @type {AbortController | null} */
  let running = null;
  let gone = false;

  // The worker's commands (the manifest's keyboard shortcuts), registered
  // before anything is awaited; each run's features hear them.
  /** @type {((command: "fill-person") => void)[]} */
  let commandHandlers = [];
  /** @param {unknown} message @param {chrome.runtime.MessageSender} sender */
  const onWorkerMessage = (message, sender) => {
    if (sender.id !== chrome.runtime.id) return;
    const msg = /** @type {PageMessage | undefined} */ (message);
    if (!msg) return;
    switch (msg.type) {
      case "command":
        for (const h of commandHandlers) h(msg.command);
        break;
      case "site-off":
        // The feature's permission was taken away: everything this script
        // drew goes, and it listens no more.
        if (msg.site !== site.id || gone) break;
        gone = true;
        if (running) running.abort();
        stopListening();
        if (site.onOff) site.onOff();
        break;
    }
  };
  chrome.runtime.onMessage.addListener(onWorkerMessage);
  /** @param {Record<string, chrome.storage.StorageChange>} changes @param {string} area */
  const onStorage = (changes, area) => {
    if (area === "local" && changes[SETTINGS_KEY] && !gone) run();
  };
  chrome.storage.onChanged.addListener(onStorage);

  function stopListening() {
    try {
      chrome.runtime.onMessage.removeListener(onWorkerMessage);
      chrome.storage.onChanged.removeListener(onStorage);
    } catch {
      // The extension is gone already, and its listeners with it.
    }
  }

  async function run() {
    if (running) running.abort();
    const controller = new AbortController();
    running = controller;
    const { signal } = controller;
    commandHandlers = [];
    const settings = await readSettings().catch(() => null);
    if (signal.aborted || gone) return;
    if (!settings) {
      // The extension went away while the settings were read.
      gone = true;
      stopListening();
      showUpdatedNote();
      return;
    }
    await loadLanguage();
    const lifeline = watchExtensionGone(() => {
      gone = true;
      controller.abort();
      stopListening();
      showUpdatedNote();
    }, signal);
    setSendErrorHandler(lifeline.reportError);

    const core = createCoreClient();
    /** @type {ResultOverlay | null} */
    let overlay = null;
    const getOverlay = () => {
      if (!overlay) {
        overlay = createOverlay(core, site.placement, signal, settings.card);
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

    /** @type {ContentContext} */
    const ctx = {
      settings,
      core,
      overlay: getOverlay,
      onCommand: (h) => {
        commandHandlers.push(h);
      },
      signal,
    };
    for (const f of site.features) f.start(ctx);
  }

  run();
}
