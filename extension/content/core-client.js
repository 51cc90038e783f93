// @ts-check
// The content script's way to the core: in this isolated world when the page
// lets WebAssembly compile, else through the service worker. Both paths run
// the same heyanCore and give the same answers; callers always await.

/**
 * @typedef {{
 *   path: "in-page" | "service-worker",
 *   readyAt: number,
 *   call: <M extends CoreMethod>(method: M, ...args: Parameters<HeyanCore[M]>) => Promise<ReturnType<HeyanCore[M]>>
 * }} CoreClient
 */

/**
 * startCoreClient loads the core here, falling back to the service worker
 * when the page's CSP refuses WebAssembly (or loading fails otherwise).
 * @returns {Promise<CoreClient>}
 */
async function startCoreClient() {
  try {
    const core = await loadHeyanCore(chrome.runtime.getURL(CORE_WASM));
    return {
      path: "in-page",
      readyAt: performance.now(),
      call(method, ...args) {
        try {
          const fn = /** @type {(...a: unknown[]) => any} */ (core[method]);
          return Promise.resolve(fn.apply(core, args));
        } catch (err) {
          return Promise.reject(err);
        }
      },
    };
  } catch {
    // The page's CSP (header or meta) refused WebAssembly: use the worker.
    return {
      path: "service-worker",
      readyAt: performance.now(),
      call(method, ...args) {
        return /** @type {Promise<any>} */ (send({ type: "core-call", method, args }));
      },
    };
  }
}

/** @type {Map<string, Promise<import("../../wasm/heyan-core").KBEntry>>} */
const knowledgeCache = new Map();

/**
 * knowledge returns a knowledge entry in the page's language. Entries are
 * fixed data, so each is asked for once per page (a round trip to the worker
 * on the CSP fallback path).
 * @param {CoreClient} core
 * @param {string} id
 */
function knowledge(core, id) {
  let p = knowledgeCache.get(id);
  if (!p) {
    p = core.call("kb", id, LANG);
    p.catch(() => knowledgeCache.delete(id));
    knowledgeCache.set(id, p);
  }
  return p;
}
