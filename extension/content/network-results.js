// @ts-check
// Receives the API answers that main-world/network-results.js reads in the
// page's world: only {api, validStatus, validFlag}, as a JSON string.

/**
 * listenNetworkResults calls onResult for each answer until signal aborts.
 * @param {(kind: FormKind, status: number) => void} onResult
 * @param {AbortSignal} signal
 */
function listenNetworkResults(onResult, signal) {
  document.addEventListener(NETWORK_RESULT_EVENT, (ev) => {
    const detail = /** @type {CustomEvent} */ (ev).detail;
    if (typeof detail !== "string" || detail.length > 200) return;
    /** @type {unknown} */
    let v;
    try {
      v = JSON.parse(detail);
    } catch {
      return;
    }
    if (!v || typeof v !== "object") return;
    const { api, validStatus } = /** @type {{api?: unknown, validStatus?: unknown}} */ (v);
    if ((api !== "verify" && api !== "resend") || typeof validStatus !== "number" || !Number.isInteger(validStatus)) return;
    onResult(api, validStatus);
  }, { signal });
}
