// @ts-check
// One object kept in chrome.storage.session (memory only, gone when the
// browser closes; kept across the worker's restarts), or in memory where a
// browser has no session area. Changes take turns, so two at once cannot
// lose one.

/**
 * @template T
 * @typedef {{read: () => Promise<Record<string, T>>, change: <R>(fn: (m: Record<string, T>) => R) => Promise<R>}} SessionMap
 */

/**
 * sessionMap keeps a map under one key of the session area.
 * @template T
 * @param {string} key
 * @returns {SessionMap<T>}
 */
export function sessionMap(key) {
  const area = chrome.storage.session || null;
  /** @type {Record<string, T>} */
  let memory = {};
  /** @type {Promise<unknown>} */
  let writes = Promise.resolve();

  /** @returns {Promise<Record<string, T>>} */
  async function read() {
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
  };
}
