// @ts-check
// Loads the Go core (heyan-core.wasm) and exposes it as heyanCore, the
// object of the contract in heyan-core.d.ts. Load wasm_exec.js (from the same
// Go that built the .wasm) first: it defines globalThis.Go.
//
// Go functions called from JavaScript cannot throw, so the Go side returns an
// Error object when a call fails and this wrapper throws it. That keeps the
// contract ("wrong arguments throw an Error naming the method") without eval,
// which extension pages and content scripts forbid.
(function (root) {
  "use strict";

  /** The methods of the contract, in its order. */
  const METHODS = /** @type {const} */ ([
    "diagnose", "who", "questions", "checkPhone", "checkId", "checkCode", "track", "kb",
  ]);

  /** @type {Promise<import("./heyan-core").HeyanCore> | null} */
  let loading = null;

  /**
   * @param {any} source
   * @param {WebAssembly.Imports} imports
   * @returns {Promise<WebAssembly.Instance>}
   */
  async function instantiate(source, imports) {
    if (source instanceof WebAssembly.Module) {
      return WebAssembly.instantiate(source, imports);
    }
    if (typeof source === "string" || source instanceof URL) {
      source = fetch(source);
    }
    if (source && typeof source.then === "function") {
      source = await source;
    }
    if (typeof Response !== "undefined" && source instanceof Response) {
      if (!source.ok) {
        throw new Error("heyan-core.js: fetching the core failed with HTTP " + source.status);
      }
      if (WebAssembly.instantiateStreaming && source.headers.get("content-type") === "application/wasm") {
        return (await WebAssembly.instantiateStreaming(source, imports)).instance;
      }
      source = await source.arrayBuffer();
    }
    return (await WebAssembly.instantiate(source, imports)).instance;
  }

  /**
   * Starts the Go core once and resolves with heyanCore when Go's main has
   * registered every method. Later calls return the same promise.
   * @param {string | URL | BufferSource | WebAssembly.Module | Response | Promise<Response>} source
   * @returns {Promise<import("./heyan-core").HeyanCore>}
   */
  function loadHeyanCore(source) {
    if (!loading) {
      loading = start(source);
      loading.catch(() => { loading = null; });
    }
    return loading;
  }

  /**
   * @param {any} source
   * @returns {Promise<import("./heyan-core").HeyanCore>}
   */
  async function start(source) {
    if (typeof root.Go !== "function") {
      throw new Error("heyan-core.js: load wasm_exec.js first; it defines Go");
    }
    const go = new root.Go();
    /** @type {(raw: any) => void} */
    let resolveRaw = () => {};
    const ready = new Promise((resolve) => { resolveRaw = resolve; });
    root.__heyanCoreRawReady = resolveRaw;
    const instance = await instantiate(source, go.importObject);
    go.run(instance).catch(() => {}); // resolves only if Go exits
    const raw = await ready;
    delete root.__heyanCoreRawReady;
    /** @type {any} */
    const core = { version: String(raw.version) };
    for (const name of METHODS) {
      const fn = raw[name];
      core[name] = function (/** @type {any[]} */ ...args) {
        const r = fn(...args);
        if (r instanceof Error) {
          throw r;
        }
        return JSON.parse(r);
      };
    }
    Object.freeze(core);
    root.heyanCore = core;
    // Not part of the contract: lets tests and benchmarks watch the Go
    // runtime's linear memory and its table of JS values for leaks.
    root.__heyanCoreStats = () => ({
      memoryBytes: /** @type {WebAssembly.Memory} */ (instance.exports.mem).buffer.byteLength,
      jsValues: go._values ? go._values.length : 0,
    });
    if (typeof root.heyanCoreOnReady === "function") {
      root.heyanCoreOnReady(core);
    }
    return core;
  }

  root.loadHeyanCore = loadHeyanCore;
  if (typeof module === "object" && module && module.exports) {
    module.exports = { loadHeyanCore };
  }
})(/** @type {any} */ (globalThis));
