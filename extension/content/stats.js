// @ts-check
// What this page's content script has handled: counters the browser tests
// read in the content script's own (isolated) world, which the page's
// scripts cannot see, to wait for a positive signal instead of a fixed
// sleep. No personal data: counts only.

export const heyanStats = {
  /** API answers received from the MAIN-world reader. */
  network: 0,
  /** Messages the core recognised in the page's text. */
  text: 0,
  /** Results fully handled (drawn, and counted or deliberately not). */
  handled: 0,
  /** Results sent to the tracker. */
  recorded: 0,
  /** Synthetic (untrusted) events our controls refused. */
  untrusted: 0,
  /** Bars checking what is typed and asking the worker for their view now (0: every bar shows what is typed). */
  barsRefreshing: 0,
  /** 提交 clicks held once to ask about a mismatched ID last 6. */
  submitsHeld: 0,
  /** Times the SMS assistant looked for the forms (on every change of the page, a frame at most). */
  pageChecks: 0,
  /** Whether the core was started in this page (0 or 1): only where a form is shown. */
  coreStarted: 0,
  /** Times the Douyin console hints read the console's text. */
  consoleReads: 0,
  /** The knowledge entry the console's card explains now ("" for none). */
  consoleHint: "",
  /** The labelled filing status the console hints last found ("" for none). */
  consoleStatus: "",
};

// The tests read the counters by name in this (isolated) world.
Object.assign(globalThis, { heyanStats });

/**
 * isUserEvent tells whether ev comes from the user (isTrusted), counting the
 * synthetic ones a page script dispatched.
 * @param {Event} ev
 */
export function isUserEvent(ev) {
  if (ev.isTrusted) return true;
  heyanStats.untrusted++;
  return false;
}
