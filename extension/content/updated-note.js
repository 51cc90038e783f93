// @ts-check
// After the extension is updated or reloaded, the content scripts already in
// open MIIT tabs lose their extension (chrome.runtime.id goes away, messages
// fail with "Extension context invalidated") while the new version is not
// injected into them. Rather than leave a bar and a card that silently do
// nothing, the old script stops everything and says to reload the page.

import { extensionAlive } from "../send.js";
import { adoptStyles, el, shadowHost } from "../ui/dom.js";
import { T } from "../ui/i18n.js";

const UPDATED_NOTE_CSS = `
:host { all: initial; position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; }
.note { box-sizing: border-box; max-width: 320px; background: #fff8c5; color: #1f2329; border: 1px solid #d4a72c; border-radius: 6px;
  padding: 10px 12px; box-shadow: 0 4px 16px rgba(0,0,0,.15); font: 13px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  display: flex; gap: 8px; align-items: center; }
button { font: inherit; border: 1px solid #0969da; border-radius: 4px; padding: 2px 8px; background: #0969da; color: #fff; cursor: pointer; }
`;

/**
 * isContextGone tells whether an error is the browser's "the extension is
 * gone" (it was updated, reloaded or removed).
 * @param {unknown} err
 */
export function isContextGone(err) {
  return /Extension context invalidated/i.test(String(err instanceof Error ? err.message : err)) || !extensionAlive();
}

/**
 * watchExtensionGone calls onGone once, when the extension goes away: checked
 * every few seconds (no message, no wake-up of the worker) and whenever a
 * message fails with the browser's error (reportError).
 * @param {() => void} onGone
 * @param {AbortSignal} signal
 * @returns {{reportError: (err: unknown) => void}}
 */
export function watchExtensionGone(onGone, signal) {
  let done = false;
  const gone = () => {
    if (done) return;
    done = true;
    clearInterval(timer);
    onGone();
  };
  const timer = setInterval(() => {
    if (!extensionAlive()) gone();
  }, 2000);
  signal.addEventListener("abort", () => clearInterval(timer));
  return {
    reportError(err) {
      if (isContextGone(err)) gone();
    },
  };
}

/**
 * showUpdatedNote puts the small "reload the page" note in the corner.
 */
export function showUpdatedNote() {
  const host = shadowHost("heyan-note", "updated");
  const root = host.attachShadow({ mode: "closed" });
  adoptStyles(root, UPDATED_NOTE_CSS);
  const reload = el("button", { text: T.reload, attrs: { type: "button" } });
  reload.addEventListener("click", (ev) => {
    if (ev.isTrusted) location.reload();
  });
  root.append(el("div", { class: "note", attrs: { role: "status" } }, [el("span", { text: T.updated }), reload]));
  document.documentElement.append(host);
}
