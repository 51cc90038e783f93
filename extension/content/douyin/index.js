// @ts-check
// The content script of the Douyin open platform's console
// (developer.open-douyin.com): the shared bootstrap with the card placed
// beside the status it explains and the console hints. Registered by the
// worker only while the user has granted the console's host permission
// (background/douyin-console.js); built into one classic script by
// scripts/build-extension.

import { startContent } from "../bootstrap.js";
import { DOUYIN_CONSOLE_SCRIPT } from "../../douyin-console.js";
import { consoleHints } from "./console-hints.js";

/** @type {import("../overlay.js").Placement} */
const consolePlacement = {
  fallback: () => document.body,
  // Nothing of the console's must stay uncovered (we do not know its
  // layout): the card goes beside the status, which it never covers.
  avoid: () => [],
  stepAside: () => false,
};

// The worker runs this script in the console tabs open when the hints are
// turned on, besides registering it for the pages loaded later: one page may
// get it twice (this isolated world is the extension's, shared by both), and
// only one of them runs, until the hints are turned off again.
const world = /** @type {{heyanDouyinConsole?: boolean}} */ (globalThis);
if (!world.heyanDouyinConsole) {
  world.heyanDouyinConsole = true;
  startContent({
    id: DOUYIN_CONSOLE_SCRIPT.id,
    placement: consolePlacement,
    features: [consoleHints],
    onOff: () => {
      world.heyanDouyinConsole = false;
    },
  });
}
