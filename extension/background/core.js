// @ts-check
// The core (Go compiled to WebAssembly) in the service worker: started by the
// first message that needs it, not with the worker, so that messages about
// stored records are answered while it loads; a load that failed is tried
// again by the next message that needs it. loadHeyanCore comes from the
// core's loader, which service-worker.js imports first.

import { CORE_WASM } from "../places.js";
import { ERROR_CODES } from "../messages.js";
import { ExtensionError, errorMessage } from "../errors.js";

/** @typedef {import("../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../rules.js").Rules} Rules */

/** @type {Promise<HeyanCore> | null} */
let loading = null;
/** The core's rules once it has loaded (they do not change while it runs). */
/** @type {Rules | null} */
let rules = null;

/**
 * workerCore gives the core, loading it on first use. A failed load is
 * reported as core-unavailable and forgotten, so the next call loads again.
 * @returns {Promise<HeyanCore>}
 */
export function workerCore() {
  if (!loading) {
    loading = loadHeyanCore(chrome.runtime.getURL(CORE_WASM)).then(
      (core) => {
        rules = core.rules("zh-CN");
        return core;
      },
      (err) => {
        loading = null;
        console.error("heyan: the core did not start:", errorMessage(err));
        throw new ExtensionError(
          ERROR_CODES.coreUnavailable,
          `heyan: the core did not start (${errorMessage(err)}); it is tried again with the next request`,
        );
      },
    );
  }
  return loading;
}

/**
 * loadedRules is the core's rules when it has loaded, else null: for the
 * messages answered without waiting for it (they then order nothing by the
 * rules).
 * @returns {Rules | null}
 */
export function loadedRules() {
  return rules;
}
