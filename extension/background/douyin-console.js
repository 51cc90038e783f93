// @ts-check
// The Douyin console hints' content script: registered with
// chrome.scripting while the console's optional host permission is granted,
// unregistered when it is taken away. The manifest cannot declare it (a
// manifest content script's hosts are asked for at install), so the worker
// brings the registration in line with the grant whenever the grant changes
// and whenever the worker starts: the grant may have changed while it slept,
// and a registration may not outlive a browser restart everywhere. When it
// is registered, the console tabs already open get the script too; when the
// permission goes, their scripts are told to stop (their card goes at once;
// a reload gets no script).

import { errorMessage } from "../errors.js";
import { DOUYIN_CONSOLE_ORIGINS, DOUYIN_CONSOLE_SCRIPT, douyinConsoleGranted } from "../douyin-console.js";

/** @type {Promise<boolean>} */
let applying = Promise.resolve(false);

/**
 * syncDouyinConsoleScript registers the console's content script when the
 * permission is granted and unregisters it when not. Calls run one after
 * another (an onAdded during the worker's start would otherwise register
 * twice). Resolves with whether the feature is on.
 * @returns {Promise<boolean>}
 */
export function syncDouyinConsoleScript() {
  applying = applying.catch(() => false).then(apply);
  applying.catch((err) =>
    console.warn("heyan: the Douyin console script was not brought in line with its permission:", errorMessage(err)),
  );
  return applying;
}

async function apply() {
  const granted = await douyinConsoleGranted();
  const registered =
    (await chrome.scripting.getRegisteredContentScripts({ ids: [DOUYIN_CONSOLE_SCRIPT.id] })).length > 0;
  if (granted && !registered) {
    await chrome.scripting.registerContentScripts([
      {
        id: DOUYIN_CONSOLE_SCRIPT.id,
        matches: DOUYIN_CONSOLE_ORIGINS,
        js: [...DOUYIN_CONSOLE_SCRIPT.js],
        runAt: "document_idle",
      },
    ]);
    await startInOpenConsoles();
  } else if (!granted && registered) {
    await chrome.scripting.unregisterContentScripts({ ids: [DOUYIN_CONSOLE_SCRIPT.id] });
  }
  return granted;
}

/**
 * douyinConsoleRevoked handles the permission's removal (the options page's
 * switch, or the browser's own controls): the script is unregistered and the
 * console tabs' scripts stop.
 */
export async function douyinConsoleRevoked() {
  if (!(await syncDouyinConsoleScript())) await stopOpenConsoles();
}

/**
 * startInOpenConsoles runs the script in the console tabs already open, so
 * that turning the hints on needs no reload. The host permission, now
 * granted, is what lets tabs.query match them by address (no "tabs"
 * permission). A tab that already runs it (loaded while the script was
 * registered) starts nothing again (content/douyin/index.js).
 */
async function startInOpenConsoles() {
  const tabs = await chrome.tabs.query({ url: DOUYIN_CONSOLE_ORIGINS });
  await Promise.all(
    tabs.map((t) =>
      t.id === undefined
        ? null
        : chrome.scripting
            .executeScript({ target: { tabId: t.id }, files: [...DOUYIN_CONSOLE_SCRIPT.js] })
            .catch(() => null),
    ),
  );
}

/**
 * stopOpenConsoles tells the console's scripts still running in open tabs
 * that the feature is off. Without the "tabs" permission the worker cannot
 * tell which tabs show the console, so every tab is told: only the
 * console's script listens for its own site's name; a tab with no script of
 * ours refuses the message, which is expected.
 */
async function stopOpenConsoles() {
  // tabs.query without the "tabs" permission gives IDs, not addresses.
  const tabs = await chrome.tabs.query({});
  await Promise.all(
    tabs.map((t) =>
      t.id === undefined
        ? null
        : chrome.tabs.sendMessage(t.id, { type: "site-off", site: DOUYIN_CONSOLE_SCRIPT.id }).catch(() => null),
    ),
  );
}
