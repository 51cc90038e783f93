// @ts-check
// The Douyin console hints' switch: the optional host permission for the
// Douyin open platform's console. Its grant is the feature's on/off state,
// with no setting of its own beside it: the worker registers the console's
// content script while it is granted (background/douyin-console.js), the
// options page asks for it and gives it back (pages/options/settings.js),
// and the browser's own controls can take it away at any time.

/** The console's pages: developer.open-douyin.com, over HTTPS only. */
export const DOUYIN_CONSOLE_ORIGINS = ["https://developer.open-douyin.com/*"];

/** The content script the worker registers there (scripts/bundle writes it). */
export const DOUYIN_CONSOLE_SCRIPT = Object.freeze({ id: "douyin-console", js: ["content/douyin.js"] });

/**
 * douyinConsoleGranted tells whether the user has granted the console's
 * host permission: whether the feature is on.
 * @returns {Promise<boolean>}
 */
export function douyinConsoleGranted() {
  return chrome.permissions.contains({ origins: DOUYIN_CONSOLE_ORIGINS });
}

/**
 * touchesDouyinConsole tells whether a permissions event (onAdded,
 * onRemoved) concerns the console's origin.
 * @param {chrome.permissions.Permissions} p
 */
export function touchesDouyinConsole(p) {
  return !!p?.origins?.some((o) => DOUYIN_CONSOLE_ORIGINS.includes(o));
}
