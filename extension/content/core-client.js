// @ts-check
// The content script's way to the core: in this isolated world when the page
// lets WebAssembly compile, else through the service worker. Both paths run
// the same heyanCore and give the same answers; callers always await. The
// core starts when a feature first needs it (start(), or the first call), not
// with the page: most visits to a site are not to the pages we help on.

import "../core/wasm_exec.js";
import "../core/heyan-core.js";
import { CORE_WASM } from "../places.js";
import { errorMessage } from "../errors.js";
import { send } from "../send.js";
import { LANG } from "../ui/i18n.js";
import { heyanStats } from "./stats.js";

/** @typedef {import("../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../messages.js").CoreMethod} CoreMethod */
/** @typedef {import("../../wasm/heyan-core").KBEntry} KBEntry */
/** @typedef {import("../rules.js").Rules} Rules */

/**
 * @typedef {{
 *   start: () => Promise<void>,
 *   started: () => boolean,
 *   path: () => "" | "in-page" | "service-worker",
 *   startedAt: () => number,
 *   readyAt: () => number,
 *   call: <M extends CoreMethod>(method: M, ...args: Parameters<HeyanCore[M]>) => Promise<ReturnType<HeyanCore[M]>>,
 *   knowledge: (id: string) => Promise<KBEntry>,
 *   rules: () => Promise<Rules>,
 *   rulesNow: () => Rules | null
 * }} CoreClient
 */

/**
 * createCoreClient makes the (not yet started) client.
 * @returns {CoreClient}
 */
export function createCoreClient() {
  /** @type {"" | "in-page" | "service-worker"} */
  let path = "";
  let readyAt = 0;
  let startedAt = 0;
  /** @type {HeyanCore | null} */
  let inPage = null;
  /** @type {Promise<void> | null} */
  let starting = null;
  /** @type {Map<string, Promise<KBEntry>>} */
  const knowledgeCache = new Map();
  /** @type {Promise<Rules> | null} */
  let rulesLoading = null;
  /** @type {Rules | null} */
  let rulesLoaded = null;

  function start() {
    if (!starting) {
      heyanStats.coreStarted = 1;
      startedAt = performance.now();
      starting = loadHeyanCore(chrome.runtime.getURL(CORE_WASM))
        .then(
          (core) => {
            inPage = core;
            path = "in-page";
          },
          (err) => {
            // The page's CSP (header or meta) refused WebAssembly here, or the
            // load failed otherwise: the worker runs the same core.
            console.debug("heyan: the core runs in the service worker:", errorMessage(err));
            path = "service-worker";
          },
        )
        .then(() => {
          readyAt = performance.now();
        });
    }
    return starting;
  }

  /** @type {CoreClient["call"]} */
  async function call(method, ...args) {
    await start();
    if (inPage) {
      const fn = /** @type {(...a: unknown[]) => any} */ (inPage[method]);
      return fn.apply(inPage, args);
    }
    return /** @type {any} */ (send({ type: "core-call", method, args }));
  }

  return {
    start,
    started: () => starting !== null,
    path: () => path,
    startedAt: () => startedAt,
    readyAt: () => readyAt,
    call,
    // The core's rules, asked for once per page (fixed data, like the
    // knowledge entries below).
    rules() {
      if (!rulesLoading) {
        rulesLoading = call("rules", LANG).then((r) => (rulesLoaded = r));
        rulesLoading.catch(() => {
          rulesLoading = null;
        }); // asked again next time
      }
      return rulesLoading;
    },
    rulesNow: () => rulesLoaded,
    // Knowledge entries are fixed data: each is asked for once per page (a
    // round trip to the worker on the CSP fallback path).
    knowledge(id) {
      let p = knowledgeCache.get(id);
      if (!p) {
        p = call("kb", id, LANG);
        p.catch(() => knowledgeCache.delete(id)); // asked again next time
        knowledgeCache.set(id, p);
      }
      return p;
    },
  };
}
