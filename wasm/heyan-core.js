// @ts-check
// Loads the Go core (heyan-core.wasm) and exposes it as heyanCore, the
// object of the contract in heyan-core.d.ts. Load wasm_exec.js (from the same
// Go that built the .wasm) first: it defines globalThis.Go.
//
// Go functions called from JavaScript cannot throw, so the Go side returns an
// Error object when a call fails and this wrapper throws it. That keeps the
// contract ("wrong arguments throw an Error naming the method") without eval,
// which extension pages and content scripts forbid.
((root) => {
  /** The methods of the contract, in its order. */
  const METHODS = /** @type {const} */ ([
    "diagnose",
    "who",
    "questions",
    "checkPhone",
    "checkId",
    "checkCode",
    "track",
    "kb",
    "rules",
  ]);

  /** @type {Promise<import("./heyan-core").HeyanCore> | null} */
  let loading = null;

  /** The fields of a track event. */
  const EVENT_FIELDS = ["type", "status", "at"];

  /**
   * @param {string} code
   * @param {string} message
   */
  function coreError(code, message) {
    const err = /** @type {Error & {code: string}} */ (new Error(message));
    err.code = code;
    return err;
  }

  /**
   * Copies track events into plain objects before Go reads them. Go's
   * syscall/js cannot survive a JavaScript exception thrown inside one of its
   * calls (a throwing getter, a Proxy), so everything Go touches must be
   * plain data; unknown fields are refused, as the heyan command refuses them.
   * @param {unknown} events
   */
  function plainEvents(events) {
    if (!Array.isArray(events)) {
      return events; // Go reports the type error
    }
    let copy;
    try {
      copy = Array.from(events, (e, i) => {
        if (e === null || typeof e !== "object" || Array.isArray(e)) {
          return e;
        }
        for (const key of Object.keys(e)) {
          if (!EVENT_FIELDS.includes(key)) {
            throw coreError(
              "bad-event",
              `heyanCore.track: events[${i}]: unknown field "${key}" (fields: type, status, at)`,
            );
          }
        }
        const ev = /** @type {any} */ (e);
        const plain = { type: ev.type, status: ev.status, at: ev.at };
        for (const key of EVENT_FIELDS) {
          const v = /** @type {any} */ (plain)[key];
          if (v !== null && typeof v === "object") {
            /** @type {any} */ (plain)[key] = Array.isArray(v) ? [] : {}; // Go names the wrong type
          } else if (typeof v === "function" || typeof v === "symbol" || typeof v === "bigint") {
            /** @type {any} */ (plain)[key] = {};
          }
        }
        return plain;
      });
    } catch (err) {
      if (err && /** @type {any} */ (err).code) {
        throw err;
      }
      throw coreError(
        "usage",
        `heyanCore.track: events could not be read: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return copy;
  }

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
    // Bytes go straight to WebAssembly. Only something else can be a
    // Response, and naming Response at all makes Node load its fetch
    // machinery (about 45 ms in a fresh process).
    const bytes = source instanceof ArrayBuffer || ArrayBuffer.isView(source);
    if (!bytes && typeof Response !== "undefined" && source instanceof Response) {
      if (!source.ok) {
        throw new Error(`heyan-core.js: fetching the core failed with HTTP ${source.status}`);
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
      loading.catch(() => {
        loading = null;
      });
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
    let resolveRaw = () => {
      // replaced by the promise below
    };
    const ready = new Promise((resolve) => {
      resolveRaw = resolve;
    });
    root.__heyanCoreRawReady = resolveRaw;
    const instance = await instantiate(source, go.importObject);
    // go.run settles only when Go exits; before it is ready that is a failure.
    const exited = go.run(instance).then(() => {
      throw new Error("heyan-core.js: the Go core exited before it was ready");
    });
    const raw = await Promise.race([ready, exited]);
    delete root.__heyanCoreRawReady;
    /** @type {any} */
    const core = { version: String(raw.version) };
    for (const name of METHODS) {
      const fn = raw[name];
      core[name] = (/** @type {any[]} */ ...args) => {
        // Go reads only primitives and arrays of plain events: anything else
        // is passed as a stand-in of the same type, so Go can name the error.
        for (let i = 0; i < args.length; i++) {
          const a = args[i];
          if (name === "track" && i === 0) {
            args[i] = plainEvents(a);
          } else if (typeof a === "function" || typeof a === "symbol" || typeof a === "bigint") {
            args[i] = {};
          } else if (a !== null && typeof a === "object") {
            args[i] = Array.isArray(a) ? [] : {};
          }
        }
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
