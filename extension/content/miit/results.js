// @ts-check
// Where detected messages meet: from the network (exact) and from the page's
// text (the fallback that works alone). One result seen through both is
// handled once. Every known message gets its card; only answers to a
// request are counted: a network answer, or the result banner (div.tips) —
// never a toast, an alert or a message box, nor the page's field alert,
// which explain but, read alone, cannot be counted (the card says so).

import { randomId } from "../../ids.js";
import { send } from "../../send.js";
import { LANG } from "../../ui/i18n.js";
import { heyanStats } from "../stats.js";
import { BANNER_SELECTOR, resultBanner, smsForms, visibleForm } from "./page.js";
import { answerTo } from "../../rules.js";

/** @typedef {import("../../messages.js").FormKind} FormKind */
/** @typedef {import("../core-client.js").CoreClient} CoreClient */
/** @typedef {import("../overlay.js").ResultOverlay} ResultOverlay */
/** @typedef {import("../../../wasm/heyan-core").Match} Match */

/**
 * @typedef {{
 *   source: "network" | "text",
 *   kind: FormKind | null,
 *   status: number | null,
 *   count: boolean,
 *   uncounted: boolean,
 *   id: string,
 *   quote: string,
 *   anchor: Element | null,
 *   detectedAt: number
 * }} Detected
 * count: this sighting is counted; uncounted: it is an answer that could
 * not be (read outside the banner, or with no form to say what it answers).
 */

/** A result seen through the other source within this long is the same one. */
const SAME_RESULT_MS = 5000;
/** A 提交 click tells the kind of the answers that follow for this long. */
const SUBMIT_KIND_MS = 10 * 60 * 1000;

/**
 * startResults handles every result: the card, and the count of the answers
 * that use a try or a resend. The bars redraw from the stored state's change
 * (their one redraw path), not from here.
 * @param {CoreClient} core
 * @param {ResultOverlay} overlay
 */
export function startResults(core, overlay) {
  /** @type {Detected | null} */
  let last = null;
  /** @type {{kind: FormKind, at: number} | null} */
  let lastSubmit = null;

  /**
   * The user pressed 提交 in a form (trusted click): the answers that follow
   * are that form's.
   * @param {FormKind} kind
   */
  function submitted(kind) {
    lastSubmit = { kind, at: performance.now() };
  }

  /** The kind of an answer read from the text: the last 提交's form, else the tab shown. */
  function textKind() {
    if (lastSubmit && performance.now() - lastSubmit.at < SUBMIT_KIND_MS) return lastSubmit.kind;
    const form = visibleForm();
    return form ? form.kind : null;
  }

  /**
   * The answer of an API call, from the MAIN-world reader. An answer the
   * tracker would refuse (an unknown resend code, shown by the page with the
   * text of 0) is explained as the page shows it and counted as neither a
   * try nor a resend.
   * @param {FormKind} kind
   * @param {number} status
   */
  async function fromNetwork(kind, status) {
    const detectedAt = performance.now();
    heyanStats.network++;
    // As the page shows it (the core's rules): an unknown code, or one of
    // the other form's, with the text of 0.
    const { id, counts } = answerTo(await core.rules(), kind, status);
    handle({
      source: "network",
      kind,
      status,
      count: counts,
      uncounted: false,
      id,
      quote: "",
      anchor: resultBanner(),
      detectedAt,
    });
  }

  /**
   * Known messages found in the page's text. Only the result banner's are
   * counted; an answer shown anywhere else gets its card, which says that it
   * could not be counted.
   * @param {Match[]} matches
   * @param {string} quote
   * @param {Element} anchor
   * @param {number} detectedAt
   */
  async function fromText(matches, quote, anchor, detectedAt) {
    const banner = anchor.matches(BANNER_SELECTOR);
    const kind = banner ? textKind() : null;
    const rules = await core.rules();
    for (const m of matches) {
      heyanStats.text++;
      const count = !!(banner && kind && m.status !== null && answerTo(rules, kind, m.status).counts);
      const uncounted = m.status !== null && !count && !(banner && kind);
      handle({ source: "text", kind, status: m.status, count, uncounted, id: m.id, quote, anchor, detectedAt });
    }
  }

  /** @param {Detected} d */
  function record(d) {
    const form = smsForms().find((f) => f.kind === d.kind);
    const phone = form?.phone ? form.phone.value : "";
    // One ID per answer: if the worker goes away before replying, send()
    // sends it again, and the worker counts it once.
    send({
      type: "record-result",
      phone,
      kind: /** @type {FormKind} */ (d.kind),
      status: /** @type {number} */ (d.status),
      source: d.source,
      answerId: randomId(),
      lang: LANG,
    })
      .then(({ track, approx, locked }) => {
        if (locked) overlay.setLocked(d);
        if (!track) return;
        heyanStats.recorded++;
        overlay.setTrack(d, track, approx);
      })
      .catch((err) => {
        // The card keeps its advice without counts; the reason goes to the
        // console (no personal data in it: the worker's messages name none).
        console.warn("heyan: this answer was not counted:", err instanceof Error ? err.message : err);
      })
      .finally(() => {
        heyanStats.handled++;
      });
  }

  /** @param {Detected} d */
  function handle(d) {
    // Compared by entry, not status: the page shows an unknown verify status
    // with the text of 0.
    if (last && d.source !== last.source && d.id === last.id && d.detectedAt - last.detectedAt < SAME_RESULT_MS) {
      // The banner showing the answer the network already gave (or the
      // network answer behind a toast already read): one result, counted
      // once, by whichever sighting could count it.
      const first = last;
      last = null;
      overlay.addQuote(d);
      if (!first.count && d.count && d.status !== null && d.kind) return record(d);
      heyanStats.handled++;
      return;
    }
    last = d;
    overlay.show(d);
    if (!d.count || d.status === null || !d.kind) {
      heyanStats.handled++;
      return;
    }
    record(d);
  }

  return { fromNetwork, fromText, submitted };
}
