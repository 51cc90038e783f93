// @ts-check
// Loads the vault (heyan-vault.wasm, core/vault compiled by Go) and exposes
// it as heyanVault, the object of the contract in heyan-vault.d.ts. Load
// wasm_exec.js (from the same Go that built the .wasm) first: it defines
// globalThis.Go. Works in a page, a dedicated Worker (no DOM is used), a
// service worker and Node.
//
// Go functions called from JavaScript cannot throw, so the Go side returns an
// Error object when a call fails and this wrapper throws it. Go's syscall/js
// cannot survive an exception thrown while it reads a property (a getter, a
// Proxy), so every argument is copied here into plain data first; unknown
// fields are refused, since a misspelt `lastVersion` must not pass unseen.
((root) => {
  /** @typedef {"string" | "number" | "object" | "function"} Kind */

  /**
   * The methods of the contract and the fields of their object arguments
   * (null for a parameter that is not an object).
   * @type {Record<string, (readonly string[] | null)[]>}
   */
  const METHODS = {
    checkKdf: [["alg", "memoryKiB", "iterations", "parallelism", "salt", "saltBytes"]],
    deriveKeys: [null, ["alg", "memoryKiB", "iterations", "parallelism", "salt"], null],
    newSalt: [null],
    newVaultKey: [],
    wrapVaultKey: [null, null],
    unwrapVaultKey: [null, null],
    seal: [["vaultKey", "accountId", "recordId", "plaintext", "lastVersion", "now"]],
    open: [["vaultKey", "accountId", "recordId", "data", "lastVersion"]],
  };

  /** Arguments that are text: a lone surrogate would reach Go as U+FFFD. */
  const TEXT = { deriveKeys: "password", seal: "plaintext" };

  /** @type {Promise<import("./heyan-vault").HeyanVault> | null} */
  let loading = null;

  /**
   * @param {string} method
   * @param {string} code
   * @param {string} en
   * @param {string} [zh]
   */
  function vaultError(method, code, en, zh) {
    const err = /** @type {import("./heyan-vault").HeyanVaultError} */ (new Error(`heyanVault.${method}: ${en}`));
    err.code = code;
    err.messages = { "zh-CN": zh ?? en, en };
    return err;
  }

  /** @param {string} s */
  function wellFormed(s) {
    if (typeof s.isWellFormed === "function") {
      return s.isWellFormed();
    }
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = s.charCodeAt(i + 1);
        if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
        i++;
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        return false;
      }
    }
    return true;
  }

  /**
   * A stand-in of the same JS type for a value Go must not read: Go names
   * the type in its error.
   * @param {unknown} v
   */
  function standIn(v) {
    if (typeof v === "function" || typeof v === "symbol" || typeof v === "bigint") {
      return {};
    }
    if (v !== null && typeof v === "object") {
      return Array.isArray(v) ? [] : {};
    }
    return v;
  }

  /**
   * Copies one object argument into a plain object with only known fields.
   * @param {string} method
   * @param {unknown} arg
   * @param {readonly string[]} fields
   */
  function plainObject(method, arg, fields) {
    if (arg === null || typeof arg !== "object" || Array.isArray(arg)) {
      return standIn(arg);
    }
    /** @type {Record<string, unknown>} */
    const copy = {};
    try {
      for (const key of Object.keys(arg)) {
        if (!fields.includes(key)) {
          throw vaultError(method, "usage", `unknown field "${key}" (fields: ${fields.join(", ")})`);
        }
        // Fields are strings and numbers; anything else goes as a stand-in.
        copy[key] = standIn(/** @type {any} */ (arg)[key]);
      }
    } catch (err) {
      if (err && /** @type {any} */ (err).code) {
        throw err;
      }
      throw vaultError(
        method,
        "usage",
        `an argument could not be read: ${err instanceof Error ? err.message : String(err)}`,
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
    if (typeof Response !== "undefined" && source instanceof Response) {
      if (!source.ok) {
        throw new Error(`heyan-vault.js: fetching the vault failed with HTTP ${source.status}`);
      }
      if (WebAssembly.instantiateStreaming && source.headers.get("content-type") === "application/wasm") {
        return (await WebAssembly.instantiateStreaming(source, imports)).instance;
      }
      source = await source.arrayBuffer();
    }
    return (await WebAssembly.instantiate(source, imports)).instance;
  }

  /**
   * Starts the vault once and resolves with heyanVault when Go's main has
   * registered every method. Later calls return the same promise; after the
   * Go program stopped (out of memory), the next call starts a new one.
   * @param {import("./heyan-vault").VaultSource} source
   * @returns {Promise<import("./heyan-vault").HeyanVault>}
   */
  function loadHeyanVault(source) {
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
   * @returns {Promise<import("./heyan-vault").HeyanVault>}
   */
  async function start(source) {
    if (typeof root.Go !== "function") {
      throw new Error("heyan-vault.js: load wasm_exec.js first; it defines Go");
    }
    const go = new root.Go();
    /** @type {(raw: any) => void} */
    let resolveRaw = () => {
      // replaced by the promise below
    };
    const ready = new Promise((resolve) => {
      resolveRaw = resolve;
    });
    root.__heyanVaultRawReady = resolveRaw;
    const instance = await instantiate(source, go.importObject);
    let exited = false;
    // go.run settles only when Go exits: before it is ready that is a
    // failure of the load; after, every later call says so, and the next
    // loadHeyanVault starts a new vault.
    const exitedEarly = go.run(instance).then(() => {
      exited = true;
      loading = null;
      throw new Error("heyan-vault.js: the Go vault exited before it was ready");
    });
    exitedEarly.catch(() => {
      // after ready, the exit is reported by the calls
    });
    const raw = await Promise.race([ready, exitedEarly]);
    delete root.__heyanVaultRawReady;
    delete root.__heyanVaultRaw;
    /** @type {any} */
    const vault = {
      version: String(raw.version),
      limits: Object.freeze({ ...raw.limits }),
    };
    for (const [name, shape] of Object.entries(METHODS)) {
      const fn = raw[name];
      vault[name] = (/** @type {any[]} */ ...args) => {
        if (exited) {
          throw vaultError(
            name,
            "exited",
            "the vault module stopped (out of memory?); load it again with loadHeyanVault",
          );
        }
        /** @type {unknown} */
        let progressError;
        let threw = false;
        for (let i = 0; i < args.length; i++) {
          const fields = shape[i];
          const a = args[i];
          if (fields) {
            args[i] = plainObject(name, a, fields);
          } else if (name === "deriveKeys" && i === 2 && typeof a === "function") {
            // A callback that throws must not unwind through Go: its error is
            // kept and thrown once Go has returned.
            args[i] = (/** @type {any} */ p) => {
              try {
                a(Object.freeze(p));
              } catch (err) {
                if (!threw) {
                  threw = true;
                  progressError = err;
                }
              }
            };
          } else {
            args[i] = standIn(a);
          }
        }
        const textField = /** @type {Record<string, string>} */ (TEXT)[name];
        if (textField) {
          const text = name === "seal" ? /** @type {any} */ (args[0])?.plaintext : args[0];
          if (typeof text === "string" && !wellFormed(text)) {
            throw name === "seal"
              ? vaultError(
                  name,
                  "bad-input",
                  "input.plaintext is not well-formed text (a lone surrogate)",
                  "input.plaintext 不是格式正确的文本（有孤立的代理项）",
                )
              : vaultError(
                  name,
                  "password-invalid",
                  "the password is not valid text (a lone surrogate)",
                  "密码不是有效的文本（有孤立的代理项）。",
                );
          }
        }
        let r;
        try {
          r = fn(...args);
        } catch (err) {
          if (exited) {
            throw vaultError(
              name,
              "exited",
              "the vault module stopped during the call (out of memory?); load it again with loadHeyanVault",
            );
          }
          throw err;
        }
        if (threw) {
          throw progressError;
        }
        if (r instanceof Error) {
          throw r;
        }
        return r !== null && typeof r === "object" ? Object.freeze(r) : r;
      };
    }
    Object.freeze(vault);
    root.heyanVault = vault;
    // Not part of the contract: lets tests and benchmarks watch the Go
    // runtime's linear memory.
    root.__heyanVaultStats = () => ({
      memoryBytes: exited ? 0 : /** @type {WebAssembly.Memory} */ (instance.exports.mem).buffer.byteLength,
    });
    return vault;
  }

  root.loadHeyanVault = loadHeyanVault;
  if (typeof module === "object" && module && module.exports) {
    module.exports = { loadHeyanVault };
  }
})(/** @type {any} */ (globalThis));
