// @ts-check
// Building our own UI, on the MIIT page and in the popup: elements with text
// only (page text is never parsed as HTML), and shadow roots with their own CSS.

/**
 * el makes an element with text (never HTML) and children.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {{class?: string, text?: string, attrs?: Record<string, string>}} [opts]
 * @param {Node[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, opts = {}, children = []) {
  const node = document.createElement(tag);
  if (opts.class) node.className = opts.class;
  if (opts.text !== undefined) node.textContent = opts.text;
  for (const [k, v] of Object.entries(opts.attrs || {})) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/**
 * shadowHost makes the element that holds one of our shadow roots. A tag of
 * our own, so the page's rules for div and section do not reach it.
 * @param {string} tag
 * @param {string} role what it holds, as data-heyan
 * @returns {HTMLElement}
 */
export function shadowHost(tag, role) {
  const host = document.createElement(tag);
  host.setAttribute("data-heyan", role);
  return host;
}

/**
 * adoptStyles gives a shadow root its CSS without an inline <style> where the
 * browser allows (a page CSP may refuse inline styles).
 * @param {ShadowRoot} root
 * @param {string} css
 */
export function adoptStyles(root, css) {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // No constructable stylesheets here (an old engine): an inline <style>
    // does the same, where the page's CSP lets it.
    root.append(el("style", { text: css }));
  }
}
