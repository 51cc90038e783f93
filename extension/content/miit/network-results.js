// @ts-check
// Receives the API answers that main-world/network-results.js reads in the
// page's world: only {api, validStatus, validFlag}, as a JSON string; or
// {api: "other"} when a request to the SMS API that it cannot read (a path it
// does not know) came back, with nothing of its answer.

import { NETWORK_RESULT_EVENT } from "./network-event.js";

/** @typedef {import("../../messages.js").FormKind} FormKind */

/**
 * listenNetworkResults calls onResult for each answer, and onOther for each
 * unreadable one, until signal aborts.
 * @param {(kind: FormKind, status: number) => void} onResult
 * @param {() => void} onOther
 * @param {AbortSignal} signal
 */
export function listenNetworkResults(onResult, onOther, signal) {
  document.addEventListener(
    NETWORK_RESULT_EVENT,
    (ev) => {
      const detail = /** @type {CustomEvent} */ (ev).detail;
      if (typeof detail !== "string" || detail.length > 200) return;
      /** @type {unknown} */
      let v;
      try {
        v = JSON.parse(detail);
      } catch {
        return; // not ours: the page's world may fire events of that name
      }
      if (!v || typeof v !== "object") return;
      const { api, validStatus } = /** @type {{api?: unknown, validStatus?: unknown}} */ (v);
      if (api === "other") {
        onOther();
        return;
      }
      if ((api !== "verify" && api !== "resend") || typeof validStatus !== "number" || !Number.isInteger(validStatus))
        return;
      onResult(api, validStatus);
    },
    { signal },
  );
}
