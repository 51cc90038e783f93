// @ts-check
// The service worker owns the state: saved people, filings and each round's
// tries and deadline. It also runs the core for pages whose CSP blocks
// WebAssembly in the content script. Listeners are registered synchronously
// at the top level, so a message that wakes the worker is not lost; each
// message is answered by the one switch in dispatch.js.

// The core's loader (Go's wasm_exec.js, then heyan-core.js): they define
// globalThis.Go and loadHeyanCore, which core.js uses when a message first
// needs the core.
import "../core/wasm_exec.js";
import "../core/heyan-core.js";
import { ERROR_CODES, EXTENSION_PAGE_ONLY, errorCode, errorMessage } from "../messages.js";
import { readState } from "./store.js";
import { forgetSelections } from "./selection.js";
import { forwardCommand } from "./commands.js";
import { handleMessage, isExtensionPage } from "./dispatch.js";

/** @typedef {import("../messages.js").Message} Message */
chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (sender.id !== chrome.runtime.id) return false;
  const msg = /** @type {Message} */ (message);
  if (!msg || typeof msg !== "object" || typeof msg.type !== "string") {
    reply({ ok: false, code: ERROR_CODES.badMessage, message: "heyan: a message must be an object with a type" });
    return false;
  }
  if (EXTENSION_PAGE_ONLY.has(msg.type) && !isExtensionPage(sender)) {
    reply({ ok: false, code: ERROR_CODES.forbidden, message: "heyan: " + msg.type + " is for the extension's own pages" });
    return false;
  }
  handleMessage(msg, sender.tab ? sender.tab.id : undefined).then(
    (value) => reply({ ok: true, value }),
    (err) => reply({ ok: false, code: errorCode(err), message: errorMessage(err) }),
  );
  return true; // the reply comes asynchronously
});

// A closed tab's choice of person is forgotten (no "tabs" permission needed
// for the event; it names the tab only).
chrome.tabs.onRemoved.addListener((tabId) => {
  forgetSelections({ tabId }).catch((err) => console.warn("heyan: forgetting a closed tab's choice failed:", errorMessage(err)));
});

// A shortcut from chrome://extensions/shortcuts (the manifest's "commands"):
// the fill happens in the MIIT tab's content script, so the worker only
// forwards it to the active tab.
chrome.commands.onCommand.addListener((command, tab) => {
  forwardCommand(command, tab && tab.id);
});

/**
 * The worker's parts the browser tests (and a developer at
 * chrome://extensions → service worker) look at. The worker's global scope
 * is the extension's own: no page can reach it.
 */
Object.assign(globalThis, { heyanWorker: { readState, handleMessage, isExtensionPage, forwardCommand, EXTENSION_PAGE_ONLY } });

