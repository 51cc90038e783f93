// @ts-check
// One object kept in chrome.storage.session (memory only, gone when the
// browser closes; kept across the worker's restarts), or in memory where a
// browser has no session area. Changes take turns, so two at once cannot
// lose one.

/**
 * @template T
 * @typedef {{read: () => Promise<Record<string, T>>, change: <R>(fn: (m: Record<string, T>) => R) => Promise<R>, clear: () => Promise<void>}} SessionMap
 */

/**
 * sessionMap keeps a map under one key of the session area.
 * @template T
 * @param {string} key
 * @returns {SessionMap<T>}
 */
export function sessionMap(key) {
  // Looked up at first use, not when a module makes its map: a module
  // that only imports another one needs no chrome.* to load.
  /** @type {chrome.storage.StorageArea | null | undefined} */
  let found;
  const sessionArea = () => {
    if (found === undefined) found = chrome.storage.session || null;
    return found;
  };
  /** @type {Record<string, T>} */
  let memory = {};
  /** @type {Promise<unknown>} */
  let writes = Promise.resolve();

  /** @returns {Promise<Record<string, T>>} */
  async function read() {
    const area = sessionArea();
    if (!area) return memory;
    const got = await area.get(key);
    const m = got[key];
    return m && typeof m === "object" ? m : {};
  }

  return {
    async read() {
      await writes;
      return read();
    },
    change(fn) {
      const run = writes.then(async () => {
        const m = await read();
        const result = fn(m);
        const area = sessionArea();
        if (area) await area.set({ [key]: m });
        else memory = m;
        return result;
      });
      // The next change waits for this one, whatever its outcome; the
      // caller gets this one's own result or error.
      writes = run.catch(() => {
        // the caller of this write sees its error; the queue only waits for it
      });
      return run;
    },
    clear() {
      return this.change((m) => {
        for (const k of Object.keys(m)) delete m[k];
      });
    },
  };
}
