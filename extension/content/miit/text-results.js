// @ts-check
// Text detection: every message the page shows (result banner, field alert,
// toast) is read and diagnosed by the core. Vue reuses the banner and changes
// only its span's text, and v-show only toggles display, so this watches text
// and attributes as well as new nodes. It works with no network detection.
//
// The same answer twice in a row changes nothing in the DOM (Vue sets the
// same text), so nothing is observed. After the user's 提交, when a request to
// the SMS API that the network reader cannot read comes back, the banner is
// read again: unchanged, shown, and no other message since, it is the same
// answer once more. The read again belongs to that 提交 only: a later 提交
// (before it ran) waits for its own answer, so the banner still showing the
// previous one is never taken for it. Without that signal a repeat is
// missed, which is why the counts say "at most" when answers came from the
// text alone.

import { LANG } from "../../ui/i18n.js";
import { MESSAGE_SELECTOR, isDisplayed, messageContainer, messageText, resultBanner } from "./page.js";

/** @typedef {import("../core-client.js").CoreClient} CoreClient */

/** Longer texts are page content, not a message. */
const MAX_MESSAGE_CHARS = 2000;
/**
 * How long after an API answer the banner is read again: the page's own
 * handler and Vue's patch come after it (a later task with fetch).
 */
const REPEAT_CHECK_MS = 400;

/**
 * watchPageText calls onMessages with what the core found in each message
 * place that appears or changes.
 * @param {CoreClient} core
 * @param {(matches: import("../../../wasm/heyan-core").Match[], quote: string, anchor: Element, detectedAt: number) => void} onMessages
 * @param {AbortSignal} signal
 * @returns {{submitted: () => void, answered: () => void}}
 */
export function watchPageText(core, onMessages, signal) {
  /** The text last diagnosed in each place; cleared when it is hidden. */
  /** @type {WeakMap<Element, string>} */
  const seen = new WeakMap();
  /** @type {Set<Element>} */
  let pending = new Set();
  let scheduled = false;
  /** A 提交 whose answer has not shown yet (true from the click until a message shows). */
  let awaiting = false;
  /** Which 提交 that is: each one counts up. */
  let submission = 0;

  /** @param {Element} el */
  function scan(el) {
    const text = messageText(el);
    if (!text || !isDisplayed(el)) {
      seen.delete(el);
      return;
    }
    if (text.length > MAX_MESSAGE_CHARS || seen.get(el) === text) return;
    seen.set(el, text);
    awaiting = false; // the answer (or the page's own alert, or a toast) showed
    const detectedAt = performance.now();
    core.call("diagnose", text, LANG).then(
      (r) => {
        if (r.matches.length) onMessages(r.matches, text, el, detectedAt);
      },
      // Page text is never quoted in the log (it may hold what was typed).
      (err) => console.warn("heyan: a message could not be read:", err instanceof Error ? err.message : err),
    );
  }

  function flush() {
    scheduled = false;
    const batch = pending;
    pending = new Set();
    for (const el of batch) scan(el);
  }

  /** @param {Node} node */
  function note(node) {
    const place = messageContainer(node);
    if (place) pending.add(place);
    // A newly added subtree may hold message places (a toast, the alert).
    if (node instanceof Element && node.querySelectorAll) {
      for (const el of node.querySelectorAll(MESSAGE_SELECTOR)) pending.add(el);
    }
  }

  const observer = new MutationObserver((records) => {
    for (const r of records) {
      note(r.target);
      for (const n of r.addedNodes) note(n);
    }
    if (pending.size && !scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  });

  function start() {
    observer.observe(document.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["style", "class"],
    });
    for (const el of document.querySelectorAll(MESSAGE_SELECTOR)) scan(el);
  }
  start();
  signal.addEventListener("abort", () => observer.disconnect());

  return {
    /** The user pressed 提交 (a trusted click). */
    submitted() {
      awaiting = true;
      submission++;
    },
    /**
     * An API request the network reader cannot read came back: once the page
     * has drawn its answer, a banner still showing the same text is that
     * answer again.
     */
    answered() {
      if (!awaiting) return;
      const forSubmission = submission;
      setTimeout(() => {
        // The answer showed meanwhile, or the user pressed 提交 again: this
        // answer is not the one the next 提交 awaits.
        if (!awaiting || forSubmission !== submission || signal.aborted) return;
        flush(); // changes already queued come first
        const banner = resultBanner();
        if (!awaiting || !banner || !seen.has(banner)) return;
        seen.delete(banner);
        scan(banner);
      }, REPEAT_CHECK_MS);
    },
  };
}

// The browser tests drive a second reader with a stand-in core, in this
// (isolated) world, to check the order of reads again; no page can reach it.
Object.assign(globalThis, { heyanTextReader: { watchPageText, REPEAT_CHECK_MS } });
