// @ts-check
// 谁来核验 / Who verifies: the shared wizard (ui/who-wizard.js) as the
// popup's first tab.

import { createWhoWizard } from "../../ui/who-wizard.js";

/** @typedef {import("../../messages.js").HeyanCore} HeyanCore */

/** @typedef {import("../shared/tabs.js").Panel} PopupPanel */

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
