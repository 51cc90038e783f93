// @ts-check
// Which saved person is chosen, per tab: choosing one in one MIIT tab must
// not change it in another (two filings verified side by side). Kept in
// chrome.storage.session (memory only, gone when the browser closes) so a
// service-worker restart or a page reload keeps it; only the worker reads it.

import { sessionMap } from "./session.js";
import { SESSION_KEYS } from "../storage-keys.js";

/** @type {import("./session.js").SessionMap<string>} */
const selections = sessionMap(SESSION_KEYS.selection);

/**
 * selectedIn is the person chosen in a tab ("" when none, or not a tab).
 * @param {number | undefined} tabId
 */
export async function selectedIn(tabId) {
  if (tabId === undefined) return "";
  const id = (await selections.read())[String(tabId)];
  return typeof id === "string" ? id : "";
}

/**
 * selectIn chooses a person in one tab ("" forgets the choice).
 * @param {number | undefined} tabId
 * @param {string} personId
 */
export function selectIn(tabId, personId) {
  if (tabId === undefined) return Promise.resolve();
  return selections.change((m) => {
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
  return selections.change((m) => {
    for (const [tab, id] of Object.entries(m)) {
      if (String(what.tabId) === tab || (what.personId && id === what.personId)) delete m[tab];
    }
  });
}
