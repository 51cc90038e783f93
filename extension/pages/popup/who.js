// @ts-check
// 谁来核验 / Who verifies: the shared wizard (ui/who-wizard.js) as the
// popup's first tab.

import { createWhoWizard } from "../../ui/who-wizard.js";

/** @typedef {import("../../messages.js").HeyanCore} HeyanCore */

/**
 * A panel of the popup: its element, and show, called each time its tab is
 * chosen. changed, for the panels of stored data, is called while the panel
 * is shown when the worker's state changed (a result on a MIIT page, another
 * popup): it redraws, but not under a question the user is answering, and
 * settles when it has (or has put the redraw off).
 * @typedef {{element: HTMLElement, show: () => void, changed?: () => Promise<void>}} PopupPanel
 */

/**
 * createWhoPanel makes the wizard's tab.
 * @param {Promise<HeyanCore>} coreReady
 * @returns {PopupPanel}
 */
export function createWhoPanel(coreReady) {
  const { element } = createWhoWizard(coreReady);
  return {
    element,
    show() {
      // the wizard keeps its own state between shows
    },
  };
}
