// @ts-check
// Where detected messages meet: from the network (exact) and from the page's
// text (the fallback that works alone). One result seen through both is
// handled once. Results with a validStatus go to the service worker's tracker;
// every known message gets its overlay.

/**
 * @typedef {{
 *   source: "network" | "text",
 *   kind: FormKind | null,
 *   status: number | null,
 *   id: string,
 *   quote: string,
 *   anchor: Element | null,
 *   detectedAt: number
 * }} Detected
 */

/**
 * The knowledge-base IDs of the page's validStatus answers (an interface of
 * the core, issue 2). Their statuses come from the core's own entries.
 */
const RESULT_IDS = [
  "verify-complete", "verify-wait-others", "verify-already-done", "verify-wrong-info", "verify-returned",
  "verify-no-record", "verify-failed-retry", "resend-no-pending", "resend-ok", "resend-limit",
];

/** A result seen through the other source within this long is the same one. */
const SAME_RESULT_MS = 5000;

/**
 * @param {CoreClient} core
 * @param {ResultOverlay} overlay
 * @param {(track: TrackResult) => void} onTrack
 */
function startResults(core, overlay, onTrack) {
  /** @type {Map<number, string> | null} */
  let byStatus = null;
  /** @type {Detected | null} */
  let last = null;

  /**
   * entryForStatus maps a validStatus to its entry, as the page does: unknown
   * verify codes are shown as 0.
   * @param {number} status
   * @param {FormKind} kind
   */
  async function entryForStatus(status, kind) {
    if (!byStatus) {
      const m = new Map();
      for (const e of await Promise.all(RESULT_IDS.map((id) => knowledge(core, id)))) {
        if (e.status !== null) m.set(e.status, e.id);
      }
      byStatus = m;
    }
    return byStatus.get(status) || (kind === "verify" ? byStatus.get(0) || "" : "");
  }

  /**
   * The answer of an API call, from the MAIN-world script.
   * @param {FormKind} kind
   * @param {number} status
   */
  async function fromNetwork(kind, status) {
    const detectedAt = performance.now();
    const id = await entryForStatus(status, kind);
    if (!id) return;
    handle({ source: "network", kind, status, id, quote: "", anchor: resultBanner(), detectedAt });
  }

  /**
   * Known messages found in the page's text.
   * @param {import("../../wasm/heyan-core").Match[]} matches
   * @param {string} quote
   * @param {Element} anchor
   * @param {number} detectedAt
   */
  function fromText(matches, quote, anchor, detectedAt) {
    for (const m of matches) {
      const kind = m.status === null ? null : m.status >= 100 ? "resend" : "verify";
      handle({ source: "text", kind, status: m.status, id: m.id, quote, anchor, detectedAt });
    }
  }

  /** @param {Detected} d */
  function handle(d) {
    // Compared by entry, not status: the page shows an unknown verify status
    // with the text of 0.
    if (last && d.source !== last.source && d.id === last.id && d.detectedAt - last.detectedAt < SAME_RESULT_MS) {
      // The banner showing the answer the network already gave: one result.
      last = null;
      overlay.addQuote(d);
      return;
    }
    last = d;
    overlay.show(d);
    if (d.status === null || !d.kind) return;
    const form = smsForms().find((f) => f.kind === d.kind);
    const phone = form && form.phone ? form.phone.value : "";
    send({ type: "record-result", phone, kind: d.kind, status: d.status, source: d.source, lang: LANG })
      .then(({ track, approx }) => {
        if (!track) return;
        overlay.setTrack(d, track, approx);
        onTrack(track);
      })
      .catch(() => {
        // The tracker is optional for the overlay: the advice stays shown.
      });
  }

  /** Looks up the result entries ahead of the first result. */
  function warm() {
    entryForStatus(0, "verify").catch(() => {});
  }

  return { fromNetwork, fromText, warm };
}
