// @ts-check
// The MIIT page's answers while the saved data is locked (signed in to sync,
// the browser restarted, the password not typed yet): they cannot go into
// the encrypted rounds, so they wait here, in chrome.storage.session (memory
// only, like the sync session), and are counted when the user unlocks, with
// the time they came. An answer kept twice (sent again after the worker
// went away) is kept once.

import { sessionMap } from "./session.js";
import { SESSION_KEYS } from "../storage-keys.js";

/** No more than this many wait (a page cannot fill memory while locked). */
const MAX_KEPT = 100;

/**
 * @typedef {{msg: import("../messages.js").RecordResultMessage, selected: string, at: string}} KeptAnswer
 * selected: the person chosen in the tab then; at: when the answer came.
 */

/**
 * The kept answers by answer ID, in the session area's write queue: two
 * answers at once (two tabs, a resend) cannot lose one.
 * @type {import("./session.js").SessionMap<KeptAnswer>}
 */
const kept = sessionMap(SESSION_KEYS.lockedAnswers);

/** @param {Record<string, KeptAnswer>} m */
const oldestFirst = (m) => Object.values(m).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

/** @param {KeptAnswer} answer */
export async function keepWhileLocked(answer) {
  await kept.change((m) => {
    if (Object.hasOwn(m, answer.msg.answerId)) return;
    m[answer.msg.answerId] = answer;
    for (const old of oldestFirst(m).slice(0, -MAX_KEPT)) delete m[old.msg.answerId];
  });
}

/**
 * takeKept gives the kept answers, oldest first, and forgets them.
 * @returns {Promise<KeptAnswer[]>}
 */
export async function takeKept() {
  return kept.change((m) => {
    const list = oldestFirst(m);
    for (const id of Object.keys(m)) delete m[id];
    return list;
  });
}
