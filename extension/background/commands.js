// @ts-check
// The manifest's keyboard commands (chrome://extensions/shortcuts): the fill
// happens in the MIIT tab's content script, so the worker only forwards a
// command to the active tab. Tabs without our content script (any other
// site) have no receiver, and the message is dropped.

/** @typedef {import("../messages.js").PageMessage} PageMessage */

/**
 * forwardCommand sends a manifest command to the content script of the tab
 * (the active tab of the current window when none is given). It needs no
 * "tabs" permission: it never reads the tab's address.
 * @param {string} command
 * @param {number} [tabId]
 * @returns {Promise<boolean>} whether a content script received it
 */
export async function forwardCommand(command, tabId) {
  if (command !== "fill-person") return false;
  try {
    if (tabId === undefined) {
      const [active] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
      tabId = active?.id;
    }
    if (tabId === undefined) return false;
    /** @type {PageMessage} */
    const msg = { type: "command", command };
    await chrome.tabs.sendMessage(tabId, msg);
    return true;
  } catch {
    // Not a MIIT tab: nobody listens there, which is the expected outcome
    // for a shortcut pressed on any other site.
    return false;
  }
}
