// @ts-check
// Which saved person is chosen, per tab: choosing one in one MIIT tab must
// not change it in another (two filings verified side by side). Kept in
// chrome.storage.session (memory only, gone when the browser closes) so a
// service-worker restart or a page reload keeps it; only the worker reads it.

const SELECTION_KEY = "heyan-selection";

/** Where the choices live: the session area, or memory where there is none. */
const selectionArea = chrome.storage.session || null;
/** @type {Record<string, string>} */
let selectionMemory = {};

/** @returns {Promise<Record<string, string>>} */
async function readSelections() {
  if (!selectionArea) return selectionMemory;
  const got = await selectionArea.get(SELECTION_KEY);
  const m = got[SELECTION_KEY];
  return m && typeof m === "object" ? m : {};
}

/** @type {Promise<unknown>} */
let selectionWrites = Promise.resolve();

/**
 * changeSelections applies change to the choices of every tab, one change at
 * a time.
 * @param {(m: Record<string, string>) => void} change
 */
function changeSelections(change) {
  const run = selectionWrites.then(async () => {
    const m = await readSelections();
    change(m);
    if (selectionArea) await selectionArea.set({ [SELECTION_KEY]: m });
    else selectionMemory = m;
  });
  // The next change waits for this one, whatever its outcome; the caller
  // gets this one's own result or error.
  selectionWrites = run.catch(() => {});
  return run;
}

/**
 * selectedIn is the person chosen in a tab ("" when none, or not a tab).
 * @param {number | undefined} tabId
 */
export async function selectedIn(tabId) {
  if (tabId === undefined) return "";
  await selectionWrites;
  const id = (await readSelections())[String(tabId)];
  return typeof id === "string" ? id : "";
}

/**
 * selectIn chooses a person in one tab ("" forgets the choice).
 * @param {number | undefined} tabId
 * @param {string} personId
 */
export function selectIn(tabId, personId) {
  if (tabId === undefined) return Promise.resolve();
  return changeSelections((m) => {
    if (personId) m[String(tabId)] = personId;
    else delete m[String(tabId)];
  });
}

/**
 * forgetSelections drops the choices of a closed tab, or of a deleted person
 * in every tab.
 * @param {{tabId?: number, personId?: string}} what
 */
export function forgetSelections(what) {
  return changeSelections((m) => {
    for (const [tab, id] of Object.entries(m)) {
      if (String(what.tabId) === tab || (what.personId && id === what.personId)) delete m[tab];
    }
  });
}
