// @ts-check
// Every key the extension writes in chrome.storage, in one place: what it
// holds, who writes it, and whether it holds personal data (a wipe clears
// them all, in both areas). No key holds personal data in its name.

/**
 * chrome.storage.local: kept on disk until the extension is removed.
 */
export const LOCAL_KEYS = /** @type {const} */ ({
  /** The records (people, filings, rounds), plain or sealed for a sync account; only the worker writes it. Personal data. */
  state: "heyan",
  /** The user's settings (language, reminders); no personal data. */
  settings: "heyan-settings",
  /** The sync account (server, email, key parameters, wrapped key). Personal data (the email). */
  account: "heyan-account",
  /** What reads of the state set aside because it was damaged (never written over). Personal data. */
  damaged: "heyan-damaged",
  /** Which deadline reminders were already shown (alarm names: record IDs only). */
  remindersFired: "heyan-reminders-fired",
});

/**
 * chrome.storage.session: memory only, gone when the browser closes; kept
 * across the worker's restarts.
 */
export const SESSION_KEYS = /** @type {const} */ ({
  /** The sync session: tokens and the unlocked vault key. */
  syncSession: "heyan-sync-session",
  /** The live sync status the options page watches (progress, last error). */
  syncStatus: "heyan-sync-status",
  /** The MIIT page's answers that came while the data was locked. Personal data (phones). */
  lockedAnswers: "heyan-locked-answers",
  /** What a delete removed, for its undo. Personal data. */
  undo: "heyan-undo",
  /** The person chosen in each tab (record IDs by tab). */
  selection: "heyan-selection",
});

/** The key of the extension's records in chrome.storage.local (pages redraw when it changes). */
export const STATE_KEY = LOCAL_KEYS.state;
