// @ts-check
// The SMS verification assistant on beian.miit.gov.cn. Until the page is on
// an SMS route or shows the verify or resend form anywhere, it is only a
// small watcher: most visits to the site are ICP lookups. Then
// it starts the core (here, or in the service worker when the page's CSP
// blocks WebAssembly), reads results from the network and from the page's
// text, draws the card, keeps an assistant bar under every form as the
// single-page app changes route and tab, holds a 提交 once when the ID last 6
// does not match, and fills on the manifest command the worker forwards.

import { heyanStats, isUserEvent } from "../stats.js";
import { createBar, isFillShortcut } from "./assistant-bar.js";
import { listenNetworkResults } from "./network-results.js";
import { startResults } from "./results.js";
import { watchPageText } from "./text-results.js";
import { isSmsRoute, smsForms, visibleForm } from "./page.js";

/** @typedef {import("../bootstrap.js").ContentContext} ContentContext */
/** @typedef {import("./assistant-bar.js").AssistantBar} AssistantBar */
/** @typedef {import("../../messages.js").FormKind} FormKind */

/** @type {import("../bootstrap.js").ContentFeature} */
export const smsAssistant = { name: "sms-assistant", start };

/**
 * start watches for the SMS forms, and wakes the assistant when one shows.
 * @param {ContentContext} ctx
 */
function start(ctx) {
  const { signal } = ctx;
  // Answers can come before the forms are seen (a reload while a request is
  // out): kept until the assistant is up, then replayed.
  /** @type {[FormKind, number][]} */
  const early = [];
  /** @type {((kind: FormKind, status: number) => void) | null} */
  let onNetwork = null;
  /** @type {() => void} */
  let onOtherAnswer = () => {
    // replaced once the network listener is set up
  };
  listenNetworkResults(
    (kind, status) => (onNetwork ? onNetwork(kind, status) : early.push([kind, status])),
    () => onOtherAnswer(),
    signal,
  );

  /** @type {Map<HTMLElement, AssistantBar>} */
  const bars = new Map();
  signal.addEventListener("abort", () => {
    for (const bar of bars.values()) bar.controller.abort();
    bars.clear();
  });

  // The fill, for the form shown now: by the manifest's command (users see
  // and remap it in chrome://extensions/shortcuts), or by the same keys heard
  // in the page itself, which keeps working when the command is remapped or
  // unassigned (Ctrl/Cmd+Shift+L is the password managers').
  const fillShown = () => {
    const form = visibleForm();
    const bar = form && bars.get(form.card);
    if (!bar) return false;
    bar.fill();
    return true;
  };
  ctx.onCommand((command) => {
    if (command === "fill-person") fillShown();
  });

  /** @type {ReturnType<typeof awake> | null} */
  let assistant = null;

  // Bars follow the forms: a route change replaces them, Vue may re-render.
  // vue-router changes the hash with pushState, which fires no hashchange:
  // the route is compared on every DOM change instead.
  let route = location.hash;
  function syncBars() {
    heyanStats.pageChecks++;
    const forms = smsForms();
    if (!assistant && (forms.length || isSmsRoute(location.hash)) && !signal.aborted) assistant = awake();
    if (!assistant) return;
    if (location.hash !== route) {
      route = location.hash;
      ctx.overlay().hide();
    }
    const cards = new Set(forms.map((f) => f.card));
    for (const [card, bar] of bars) {
      if (!card.isConnected || !cards.has(card) || !bar.host.isConnected) {
        bar.controller.abort();
        bars.delete(card);
      }
    }
    const rules = ctx.core.rulesNow();
    // The bars come when the rules have loaded, and not at all when the user
    // turned them off.
    if (signal.aborted || !rules || !ctx.settings.bar) return;
    for (const f of forms) if (!bars.has(f.card)) bars.set(f.card, createBar(f, ctx.core, rules));
  }

  /** The assistant proper, once a form is on the page. */
  function awake() {
    ctx.core.start();
    const overlay = ctx.overlay();
    const results = startResults(ctx.core, overlay);
    onNetwork = (kind, status) => {
      results
        .fromNetwork(kind, status)
        .catch((err) =>
          console.warn("heyan: an answer could not be explained:", err instanceof Error ? err.message : err),
        );
    };
    for (const [kind, status] of early.splice(0)) onNetwork(kind, status);
    // Messages count as the assistant's only while a form is on the page:
    // the site's other pages have toasts of their own.
    const text = watchPageText(
      ctx.core,
      (matches, quote, anchor, at) => {
        if (!smsForms().length) return;
        results
          .fromText(matches, quote, anchor, at)
          .catch((err) =>
            console.warn("heyan: a message could not be explained:", err instanceof Error ? err.message : err),
          );
      },
      signal,
    );
    onOtherAnswer = text.answered;
    ctx.core.rules().then(
      () => syncBars(),
      (err) => console.warn("heyan: no bars without the core's rules:", err instanceof Error ? err.message : err),
    );

    // The user's 提交 (a trusted click only): held once when the ID last 6
    // does not match; otherwise the answers that follow are that form's, and
    // the banner may show the same answer again.
    document.addEventListener(
      "click",
      (ev) => {
        if (!ev.isTrusted || !(ev.target instanceof Element)) return;
        const form = smsForms().find((f) => f.submit?.contains(/** @type {Node} */ (ev.target)));
        if (!form) return;
        const bar = bars.get(form.card);
        if (bar?.holdsSubmit(ev)) {
          ev.preventDefault();
          ev.stopImmediatePropagation();
          return;
        }
        results.submitted(form.kind);
        text.submitted();
      },
      { signal, capture: true },
    );

    // The service worker changed the state (another tab, an answer): the
    // one redraw path of every bar.
    const onStorage = () => {
      for (const b of bars.values()) b.refresh();
    };
    chrome.storage.onChanged.addListener(onStorage);
    signal.addEventListener("abort", () => {
      try {
        chrome.storage.onChanged.removeListener(onStorage);
      } catch {
        // The extension is gone already, and its listener with it.
      }
    });
    return { results, text };
  }

  // On an SMS route the core starts at once (it loads while the page's own
  // scripts do); elsewhere when a form shows.
  if (isSmsRoute(location.hash)) assistant = awake();

  let syncQueued = false;
  const formWatcher = new MutationObserver(() => {
    if (syncQueued) return;
    syncQueued = true;
    requestAnimationFrame(() => {
      syncQueued = false;
      syncBars();
    });
  });
  const startWatching = () => {
    formWatcher.observe(document.body || document.documentElement, { childList: true, subtree: true });
    syncBars();
  };
  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", startWatching, { once: true, signal });
  else startWatching();
  signal.addEventListener("abort", () => formWatcher.disconnect());
  for (const type of ["hashchange", "popstate"]) window.addEventListener(type, syncBars, { signal });

  // Only the user's own key press (isTrusted): a page script's synthetic
  // keydown must not fill, and so read, a saved person's phone and ID.
  document.addEventListener(
    "keydown",
    (ev) => {
      if (isFillShortcut(ev) && isUserEvent(ev) && fillShown()) ev.preventDefault();
    },
    { signal, capture: true },
  );
}
