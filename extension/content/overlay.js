// @ts-check
// The result overlay: a card beside the result banner with the core's advice
// for what the page just said. It lives in a Shadow DOM (the page's CSS and
// ours stay apart), is built with textContent only (page text is never
// parsed as HTML), never covers the form, the captcha or 提交, closes with Esc
// or its button, and announces itself through an ARIA live region. It is
// placed again whenever the page changes (a banner, a bar or a form that
// grows moves what it must not cover), and steps aside while a captcha is up:
// the captcha's mask covers the whole page, so nothing beside it is safe.
// What it must not cover and where it goes are the site's to say (Placement).

import { errorMessage } from "../errors.js";
import { adoptStyles, el, shadowHost } from "../ui/dom.js";
import { T } from "../ui/i18n.js";
import { countsLine } from "../ui/counts.js";
import { safeLinks } from "../ui/links.js";

/** @typedef {import("../messages.js").TrackResult} TrackResult */
/** @typedef {import("./core-client.js").CoreClient} CoreClient */

/**
 * What the card explains: a knowledge entry, the text the site showed (""
 * when the answer came from the network), the element it showed it in, and
 * whether the answer is one that could not be counted (read from a place
 * that is not the result banner, or with no form to tell what it answered).
 * @typedef {{id: string, quote: string, anchor: Element | null, uncounted: boolean}} Shown
 */

/**
 * Where a site's card goes: beside anchor() (else beside fallback()), never
 * over avoid()'s rectangles, and hidden while stepAside() (a captcha is up).
 * @typedef {{fallback: () => Element | null, avoid: () => DOMRect[], stepAside: () => boolean}} Placement
 */

const OVERLAY_CSS = `
:host { all: initial; }
.live { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.card { box-sizing: border-box; width: 340px; max-height: 70vh; overflow: auto; background: #fff; color: #1f2329;
  border: 1px solid #d0d7de; border-top: 4px solid var(--accent); border-radius: 6px; padding: 12px 14px;
  box-shadow: 0 6px 24px rgba(0,0,0,.18); font: 14px/1.55 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
.card[hidden] { display: none; }
.card.success { --accent: #1a7f37; } .card.info { --accent: #0969da; }
.card.warning { --accent: #bf8700; } .card.error { --accent: #cf222e; }
header { display: flex; align-items: flex-start; gap: 8px; }
.brand { font-size: 12px; color: #57606a; margin: 0; }
h2 { font-size: 16px; margin: 2px 0 0; color: var(--accent); }
.close { margin-left: auto; border: 0; background: transparent; font-size: 20px; line-height: 1; cursor: pointer; color: #57606a; padding: 0 2px; }
.close:focus-visible { outline: 2px solid #0969da; }
.quote { margin: 8px 0 0; padding: 6px 8px; background: #f6f8fa; border-radius: 4px; font-size: 13px; color: #57606a; word-break: break-all; }
.cause { margin: 8px 0 0; }
h3 { font-size: 13px; margin: 10px 0 2px; color: #57606a; }
ol { margin: 0; padding-left: 20px; }
li { margin: 2px 0; }
.warn { margin: 10px 0 0; padding: 8px; border-radius: 4px; background: #ffebe9; color: #a40e26; font-weight: bold; }
.counts { margin: 10px 0 0; font-size: 13px; color: #1f2329; display: flex; flex-wrap: wrap; gap: 4px 12px; }
.uncounted { margin: 10px 0 0; padding: 6px 8px; border-radius: 4px; background: #fff8c5; color: #6b4d00; font-size: 13px; }
.links a { color: #0969da; margin-right: 12px; }
`;

/**
 * @typedef {{
 *   show: (d: Shown) => void,
 *   addQuote: (d: Shown) => void,
 *   setTrack: (d: Shown, track: TrackResult, approx: boolean) => void,
 *   setLocked: (d: Shown) => void,
 *   hide: () => void,
 *   host: HTMLElement
 * }} ResultOverlay
 */

/**
 * placeBeside picks a spot for a w×h box next to anchor that overlaps none of
 * the protected rectangles: right, left, below, above; else the clear space
 * below everything protected. Viewport coordinates.
 * @param {DOMRect} anchor
 * @param {number} w
 * @param {number} h
 * @param {DOMRect[]} avoid
 * @returns {{x: number, y: number}}
 */
export function placeBeside(anchor, w, h, avoid) {
  const gap = 12;
  const vw = document.documentElement.clientWidth;
  const vh = document.documentElement.clientHeight;
  /** @param {number} x @param {number} y */
  const fits = (x, y) =>
    x >= 0 &&
    x + w <= vw &&
    y >= 0 &&
    y + h <= vh &&
    avoid.every((r) => x + w <= r.left || x >= r.right || y + h <= r.top || y >= r.bottom);
  const candidates = [
    { x: anchor.right + gap, y: anchor.top },
    { x: anchor.left - w - gap, y: anchor.top },
    { x: anchor.left, y: anchor.bottom + gap },
    { x: anchor.left, y: anchor.top - h - gap },
  ];
  for (const c of candidates) if (fits(c.x, c.y)) return c;
  const bottom = Math.max(anchor.bottom, ...avoid.map((r) => r.bottom));
  return { x: Math.max(0, Math.min(anchor.left, vw - w)), y: bottom + gap };
}

/**
 * createOverlay makes the (empty) overlay and its live region now, so that a
 * later result is announced.
 * @param {CoreClient} core
 * @param {Placement} placement
 * @param {AbortSignal} signal
 * @param {boolean} enabled the user's setting: off, the card shows nothing
 * @returns {ResultOverlay}
 */
export function createOverlay(core, placement, signal, enabled) {
  const host = shadowHost("heyan-result", "overlay");
  host.style.cssText = "position:absolute;left:0;top:0;z-index:2147483647;display:block;";
  // Closed, like the bar's: the card may name a saved person.
  const root = host.attachShadow({ mode: "closed" });
  adoptStyles(root, OVERLAY_CSS);
  const live = el("div", { class: "live", attrs: { role: "status", "aria-live": "polite", "aria-atomic": "true" } });
  const card = el("section", { class: "card", attrs: { "aria-labelledby": "heyan-title" } });
  card.hidden = true;
  root.append(live, card);

  /** @type {Shown | null} */
  let current = null;
  /** @type {import("../../wasm/heyan-core").KBEntry | null} */
  let entry = null;
  let quote = "";
  /** @type {TrackResult | null} */
  let track = null;
  let approx = false;
  /** The answer shown came while the saved data was locked: it waits to be counted. */
  let locked = false;

  function attach() {
    if (!host.isConnected) document.documentElement.append(host);
  }

  function hide() {
    current = null;
    card.hidden = true;
    card.replaceChildren();
  }

  function draw() {
    if (!current || !entry) return;
    card.className = `card ${entry.severity}`;
    const close = el("button", {
      class: "close",
      text: "×",
      attrs: { type: "button", "aria-label": T.close, title: `${T.close} (Esc)` },
    });
    close.addEventListener("click", hide);
    /** @type {Node[]} */
    const parts = [
      el("header", {}, [
        el("div", {}, [
          el("p", { class: "brand", text: T.brand }),
          el("h2", { text: entry.title, attrs: { id: "heyan-title" } }),
        ]),
        close,
      ]),
    ];
    // The plain warnings and the counts first: they decide the next step.
    const rules = core.rulesNow();
    if (track && rules) {
      for (const w of track.warnings) parts.push(el("p", { class: "warn", text: w.message, attrs: { role: "alert" } }));
      parts.push(el("p", { class: "counts" }, countsLine(track, approx, Date.now(), rules)));
    } else if (locked) {
      parts.push(el("p", { class: "uncounted locked", text: T.lockedKept }));
    } else if (current.uncounted) {
      parts.push(el("p", { class: "uncounted", text: T.uncounted }));
    }
    if (quote) parts.push(el("p", { class: "quote", text: T.siteSaid + quote }));
    parts.push(el("p", { class: "cause", text: entry.cause }));
    if (entry.steps.length) {
      parts.push(
        el("h3", { text: T.steps }),
        el(
          "ol",
          {},
          entry.steps.map((s) => el("li", { text: s })),
        ),
      );
    }
    const links = safeLinks(entry.links);
    if (links.length) {
      parts.push(
        el("h3", { text: T.links }),
        el(
          "p",
          { class: "links" },
          links.map((l) =>
            el("a", { text: l.label, attrs: { href: l.url, target: "_blank", rel: "noopener noreferrer" } }),
          ),
        ),
      );
    }
    card.replaceChildren(...parts);
    card.hidden = false;
    attach();
    place();
  }

  /** Hidden while a captcha is shown, whatever the card holds. */
  let stepAside = false;

  function place() {
    const captcha = placement.stepAside();
    if (captcha !== stepAside) {
      stepAside = captcha;
      host.style.display = captcha ? "none" : "block";
    }
    if (!current || card.hidden || stepAside) return;
    const anchorEl =
      current.anchor?.isConnected && current.anchor.getClientRects().length ? current.anchor : placement.fallback();
    const anchor = anchorEl ? anchorEl.getBoundingClientRect() : new DOMRect(16, 16, 0, 0);
    const box = card.getBoundingClientRect();
    const { x, y } = placeBeside(anchor, box.width, box.height, placement.avoid());
    host.style.left = `${Math.round(x + window.scrollX)}px`;
    host.style.top = `${Math.round(y + window.scrollY)}px`;
  }

  /** @param {Shown} d */
  function show(d) {
    if (!enabled) return;
    current = d;
    quote = d.quote;
    track = null;
    locked = false;
    core.knowledge(d.id).then(
      (e) => {
        if (current !== d) return;
        entry = e;
        draw();
        live.textContent = T.sentences([e.title, e.cause]);
      },
      (err) => console.warn("heyan: no explanation to show for", `${d.id}:`, errorMessage(err)),
    );
  }

  document.addEventListener(
    "keydown",
    (ev) => {
      if (ev.key === "Escape" && current) hide();
    },
    { signal },
  );
  window.addEventListener("resize", place, { signal });
  // Any change of the page may move what the card must not cover, or bring a
  // captcha: place again, once a frame at most.
  let placeQueued = false;
  const pageWatcher = new MutationObserver(() => {
    if (placeQueued) return;
    placeQueued = true;
    requestAnimationFrame(() => {
      placeQueued = false;
      place();
    });
  });
  const watchPage = () =>
    pageWatcher.observe(document.body || document.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["style", "class", "hidden"],
    });
  if (document.body) watchPage();
  else document.addEventListener("DOMContentLoaded", watchPage, { once: true, signal });
  signal.addEventListener("abort", () => pageWatcher.disconnect());
  signal.addEventListener("abort", () => host.remove());
  attach();

  return {
    host,
    show,
    hide,
    addQuote(d) {
      if (!current || current.id !== d.id) return;
      quote = d.quote;
      current = { ...current, anchor: d.anchor || current.anchor, uncounted: current.uncounted && d.uncounted };
      draw();
    },
    setTrack(d, t, a) {
      if (current !== d && !(current && current.id === d.id)) return;
      track = t;
      approx = a;
      draw();
    },
    setLocked(d) {
      if (current !== d && !(current && current.id === d.id)) return;
      locked = true;
      draw();
    },
  };
}
