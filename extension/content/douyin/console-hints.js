// @ts-check
// The Douyin console hints: on the Douyin open platform's console (基础设置 →
// 备案信息 → 查看填写信息), the filing's status and the rejection message are
// read from the page's visible text (status-text.js) and explained with the
// card, from the core's knowledge base. The console is a single-page app:
// its status appears after navigation and clicks and may change, so every
// change of the page is read again, once the changes have settled; when the
// status goes (another page of the console), the card goes with it.

import { LANG } from "../../ui/i18n.js";
import { heyanStats } from "../stats.js";
import { consoleHint, readConsole } from "./status-text.js";

/** @typedef {import("../bootstrap.js").ContentContext} ContentContext */
/** @typedef {import("./status-text.js").ConsoleHint} ConsoleHint */

/** How long the page must stay unchanged before it is read: an SPA redraws in bursts. */
const SETTLE_MS = 250;
/** Texts longer than this are page content, not a status or a message. */
const MAX_TEXT_CHARS = 2000;
/** The page's first this many texts are read: a console page holds far fewer. */
const MAX_TEXTS = 5000;
/** Elements whose text is never shown. */
const HIDDEN_TAGS = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA"]);

/**
 * shown tells whether el is rendered and not hidden (display, visibility,
 * a closed <details>…).
 * @param {Element} el
 */
function shown(el) {
  if (typeof el.checkVisibility === "function") return el.checkVisibility({ visibilityProperty: true });
  return el.getClientRects().length > 0;
}

/**
 * visibleTexts collects the page's visible text, one entry per text node in
 * document order (white space collapsed), with the element holding each.
 * Our own card (in its host element, data-heyan) is not the page's.
 * @returns {{texts: string[], holders: Element[]}}
 */
export function visibleTexts() {
  /** @type {string[]} */
  const texts = [];
  /** @type {Element[]} */
  const holders = [];
  const root = document.body;
  if (!root) return { texts, holders };
  /** @type {Map<Element, boolean>} */
  const seen = new Map();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n && texts.length < MAX_TEXTS; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || HIDDEN_TAGS.has(el.tagName) || el.closest("[data-heyan]")) continue;
    const text = (n.nodeValue || "").replace(/\s+/g, " ").trim();
    if (!text || text.length > MAX_TEXT_CHARS) continue;
    let ok = seen.get(el);
    if (ok === undefined) {
      ok = shown(el);
      seen.set(el, ok);
    }
    if (!ok) continue;
    texts.push(text);
    holders.push(el);
  }
  return { texts, holders };
}

/** @type {import("../bootstrap.js").ContentFeature} */
export const consoleHints = {
  name: "douyin-console-hints",
  start(ctx) {
    const { core, signal } = ctx;
    /** What the card shows now ("" for nothing): the entry and the words it explains. */
    let showing = "";
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    let reading = false;
    let again = false;

    /** @param {string} text */
    const find = async (text) => (await core.call("diagnose", text, LANG)).matches.map((m) => m.id);

    async function read() {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        const { texts, holders } = visibleTexts();
        const [result, rules] = await Promise.all([readConsole(texts, find), core.rules()]);
        if (signal.aborted) return;
        heyanStats.consoleReads++;
        const hint = consoleHint(result, Date.now(), rules.limits.statusLagHours);
        heyanStats.consoleHint = hint ? hint.id : "";
        heyanStats.consoleStatus = result.status ? result.status.id : "";
        const key = hint ? `${hint.id}\n${hint.quote}` : "";
        if (key === showing) return;
        showing = key;
        if (!hint) ctx.overlay().hide();
        else
          ctx.overlay().show({ id: hint.id, quote: hint.quote, anchor: holders[hint.index] || null, uncounted: false });
      } catch (err) {
        // Page text is never quoted in the log (it may hold the filing's details).
        console.warn("heyan: the console's status could not be read:", err instanceof Error ? err.message : err);
      } finally {
        reading = false;
        if (again && !signal.aborted) {
          again = false;
          soon();
        }
      }
    }

    function soon() {
      clearTimeout(timer);
      timer = setTimeout(read, SETTLE_MS);
    }

    const observer = new MutationObserver((records) => {
      // Our card's host moving (its style) is not a change of the page.
      if (records.every((r) => r.target instanceof Element && r.target.hasAttribute("data-heyan"))) return;
      soon();
    });
    observer.observe(document.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["style", "class", "hidden", "open"],
    });
    // The console's routes change without a reload.
    window.addEventListener("hashchange", soon, { signal });
    window.addEventListener("popstate", soon, { signal });
    signal.addEventListener("abort", () => {
      observer.disconnect();
      clearTimeout(timer);
    });
    soon();
  },
};
