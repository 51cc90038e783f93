// @ts-check
// Loads the Go core (heyan-core.wasm, built by scripts/build-wasm) and resolves
// with heyanCore once Go's main has registered every method. Used by the
// content script (isolated world) and by the service worker alike.

/** @type {Promise<import("../../wasm/heyan-core").HeyanCore> | null} */
let heyanCoreLoading = null;

/**
 * loadHeyanCore starts the core once per realm. It rejects when WebAssembly
 * may not be compiled here (a page CSP without 'wasm-unsafe-eval').
 * @returns {Promise<import("../../wasm/heyan-core").HeyanCore>}
 */
function loadHeyanCore() {
  if (heyanCoreLoading) return heyanCoreLoading;
  heyanCoreLoading = (async () => {
    if (globalThis.heyanCore) return globalThis.heyanCore;
    // @ts-ignore: Go is defined by wasm_exec.js, which ships no types.
    const go = new Go();
    /** @type {Promise<import("../../wasm/heyan-core").HeyanCore>} */
    const ready = new Promise((resolve) => {
      globalThis.heyanCoreOnReady = resolve;
    });
    const url = chrome.runtime.getURL("core/heyan-core.wasm");
    const response = await fetch(url);
    /** @type {WebAssembly.Instance} */
    let instance;
    try {
      ({ instance } = await WebAssembly.instantiateStreaming(response.clone(), go.importObject));
    } catch (err) {
      // Streaming needs the application/wasm type; some hosts (Firefox file
      // URLs) lack it. A CSP refusal fails again here and is passed on.
      if (err instanceof WebAssembly.CompileError || !(err instanceof TypeError)) throw err;
      ({ instance } = await WebAssembly.instantiate(await response.arrayBuffer(), go.importObject));
    }
    go.run(instance);
    return ready;
  })();
  heyanCoreLoading.catch(() => {
    heyanCoreLoading = null;
  });
  return heyanCoreLoading;
}
