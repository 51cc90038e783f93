// @ts-check
// The MIIT page's answers while the saved data is locked (signed in to sync,
// the browser restarted, the password not typed yet): they cannot go into
// the encrypted rounds, so they wait here, in chrome.storage.session (memory
// only, like the sync session), and are counted when the user unlocks, with
// the time they came. An answer kept twice (sent again after the worker
// went away) is kept once.

/** The key of the kept answers in chrome.storage.session. */
export const KEPT_KEY = "heyan-locked-answers";
/** No more than this many wait (a page cannot fill memory while locked). */
const MAX_KEPT = 100;

/**
 * @typedef {{msg: import("../messages.js").RecordResultMessage, selected: string, at: string}} KeptAnswer
 * selected: the person chosen in the tab then; at: when the answer came.
 */

/** @param {KeptAnswer} kept */
export async function keepWhileLocked(kept) {
  const got = await chrome.storage.session.get(KEPT_KEY);
  /** @type {KeptAnswer[]} */
  const list = Array.isArray(got[KEPT_KEY]) ? got[KEPT_KEY] : [];
  if (list.some((k) => k.msg.answerId === kept.msg.answerId)) return;
  list.push(kept);
  await chrome.storage.session.set({ [KEPT_KEY]: list.slice(-MAX_KEPT) });
}

/**
 * takeKept gives the kept answers, oldest first, and forgets them.
 * @returns {Promise<KeptAnswer[]>}
 */
export async function takeKept() {
  const got = await chrome.storage.session.get(KEPT_KEY);
  await chrome.storage.session.remove(KEPT_KEY);
  return Array.isArray(got[KEPT_KEY]) ? got[KEPT_KEY] : [];
}
