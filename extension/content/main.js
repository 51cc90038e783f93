// @ts-check
// Wiring of the content script on beian.miit.gov.cn. It starts the core (here,
// or in the service worker when the page's CSP blocks WebAssembly), watches
// results from the network and from the page's text, draws the overlay, and
// keeps an assistant bar under every form as the single-page app changes
// route and tab, and fills on the manifest command the worker forwards.
// Everything stops through one AbortController: when the extension is updated
// or reloaded (this script is then orphaned), it aborts and a note asks to
// reload the page.

(async () => {
  const controller = new AbortController();
  const { signal } = controller;
  const lifeline = watchExtensionGone(() => {
    controller.abort();
    showUpdatedNote();
  }, signal);
  onSendError = lifeline.reportError;
  // Results that arrive while the core starts are kept and replayed.
  /** @type {[FormKind, number][]} */
  const early = [];
  /** @type {((kind: FormKind, status: number) => void) | null} */
  let onNetwork = null;
  /** @type {() => void} */
  let onOtherAnswer = () => {};
  listenNetworkResults((kind, status) => (onNetwork ? onNetwork(kind, status) : early.push([kind, status])), () => onOtherAnswer(), signal);

  // The fill shortcut as declared in the manifest's "commands" (users see and
  // remap it in chrome://extensions/shortcuts): the worker forwards it here.
  // Registered before anything is awaited; until the bars exist it does nothing.
  /** @type {() => boolean} */
  let fillShown = () => false;
  /** @param {unknown} message @param {chrome.runtime.MessageSender} sender */
  const onWorkerMessage = (message, sender) => {
    if (sender.id !== chrome.runtime.id) return;
    const msg = /** @type {PageMessage} */ (message);
    switch (msg.type) {
      case "command":
        if (msg.command === "fill-person") fillShown();
        break;
    }
  };
  chrome.runtime.onMessage.addListener(onWorkerMessage);
  signal.addEventListener("abort", () => {
    try {
      chrome.runtime.onMessage.removeListener(onWorkerMessage);
    } catch {
      // the extension is gone already
    }
  });

  const core = await startCoreClient();
  const overlay = createOverlay(core, signal);
  // Which path the core took and when it was ready, on our own element: the
  // tests check the CSP fallback with it, the benchmark reads the time.
  overlay.host.setAttribute("data-core", core.path);
  overlay.host.setAttribute("data-ready-ms", core.readyAt.toFixed(1));
  /** @type {Map<HTMLElement, AssistantBar>} */
  const bars = new Map();
  signal.addEventListener("abort", () => {
    for (const bar of bars.values()) bar.controller.abort();
    bars.clear();
  });
  const results = startResults(core, overlay, () => {
    for (const b of bars.values()) b.refresh();
  });
  onNetwork = (kind, status) => { results.fromNetwork(kind, status); };
  for (const [kind, status] of early.splice(0)) onNetwork(kind, status);
  const text = watchPageText(core, results.fromText, signal);
  onOtherAnswer = text.answered;
  results.warm();

  // The user's 提交 (a trusted click only): the answers that follow are that
  // form's, and the banner may show the same answer again.
  document.addEventListener("click", (ev) => {
    if (!ev.isTrusted || !(ev.target instanceof Element)) return;
    const form = smsForms().find((f) => f.submit && f.submit.contains(/** @type {Node} */ (ev.target)));
    if (!form) return;
    results.submitted(form.kind);
    text.submitted();
  }, { signal, capture: true });

  // Bars follow the forms: a route change replaces them, Vue may re-render.
  // vue-router changes the hash with pushState, which fires no hashchange:
  // the route is compared on every DOM change instead.
  let route = location.hash;
  function syncBars() {
    if (location.hash !== route) {
      route = location.hash;
      overlay.hide();
    }
    const forms = smsForms();
    const cards = new Set(forms.map((f) => f.card));
    for (const [card, bar] of bars) {
      if (!card.isConnected || !cards.has(card) || !bar.host.isConnected) {
        bar.controller.abort();
        bars.delete(card);
      }
    }
    if (signal.aborted) return;
    for (const f of forms) if (!bars.has(f.card)) bars.set(f.card, createBar(f, core));
  }
  let syncQueued = false;
  const formWatcher = new MutationObserver(() => {
    if (syncQueued) return;
    syncQueued = true;
    requestAnimationFrame(() => { syncQueued = false; syncBars(); });
  });
  const startWatching = () => {
    formWatcher.observe(document.body || document.documentElement, { childList: true, subtree: true });
    syncBars();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startWatching, { once: true, signal });
  else startWatching();
  signal.addEventListener("abort", () => formWatcher.disconnect());

  for (const type of ["hashchange", "popstate"]) window.addEventListener(type, syncBars, { signal });

  // The fill, for the form shown now: by the command above, or by the same
  // keys heard in the page itself, which keeps working when the command is
  // remapped or unassigned (Ctrl/Cmd+Shift+L is the password managers').
  fillShown = () => {
    const form = visibleForm();
    const bar = form && bars.get(form.card);
    if (!bar) return false;
    bar.fill();
    return true;
  };
  // Only the user's own key press (isTrusted): a page script's synthetic
  // keydown must not fill, and so read, a saved person's phone and ID.
  document.addEventListener("keydown", (ev) => {
    if (isFillShortcut(ev) && isUserEvent(ev) && fillShown()) ev.preventDefault();
  }, { signal, capture: true });

  // The service worker changed the state (another tab, a result): redraw.
  const onStorage = () => { for (const b of bars.values()) b.refresh(); };
  chrome.storage.onChanged.addListener(onStorage);
  signal.addEventListener("abort", () => {
    try {
      chrome.storage.onChanged.removeListener(onStorage);
    } catch {
      // the extension is gone already
    }
  });
})();
