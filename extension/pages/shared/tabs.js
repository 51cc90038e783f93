// @ts-check
// The tab strip of the extension's pages (the popup and the options page):
// one button per panel, the ARIA tabs pattern (arrow keys, Home, End), the
// shown tab in the address (#name), and each panel's show() called when its
// tab is chosen.

import { el } from "../../ui/dom.js";

/**
 * A tab's panel: its element; show, called each time its tab is chosen;
 * changed, called while it is shown when the stored records changed
 * elsewhere (it redraws, but not under a form being filled in).
 * @typedef {{element: HTMLElement, show: () => unknown, changed?: () => Promise<void>}} Panel
 */

/**
 * createTabs builds the strip and the panels' sections.
 * @template {string} Name
 * @param {Record<Name, Panel>} panels in their order
 * @param {Record<Name, string>} labels
 * @param {string} label the strip's accessible name
 */
export function createTabs(panels, labels, label) {
  const names = /** @type {Name[]} */ (Object.keys(panels));
  const buttons = names.map((name) =>
    el("button", {
      text: labels[name],
      attrs: {
        type: "button",
        role: "tab",
        id: `tab-${name}`,
        "aria-controls": `panel-${name}`,
        "aria-selected": "false",
        tabindex: "-1",
        "data-tab": name,
      },
    }),
  );
  const tabList = el("nav", { attrs: { role: "tablist", "aria-label": label } }, buttons);
  const sections = names.map((name) => {
    const s = el(
      "section",
      {
        class: "panel",
        attrs: { role: "tabpanel", id: `panel-${name}`, "aria-labelledby": `tab-${name}`, tabindex: "0" },
      },
      [panels[name].element],
    );
    s.hidden = true;
    return s;
  });
  /** @type {Name | null} */
  let current = null;

  /**
   * select shows one panel and calls its show().
   * @param {Name} name
   * @param {boolean} [focus]
   */
  const select = (name, focus = false) => {
    names.forEach((n, i) => {
      const on = n === name;
      buttons[i].setAttribute("aria-selected", String(on));
      buttons[i].tabIndex = on ? 0 : -1;
      sections[i].hidden = !on;
    });
    if (focus) buttons[names.indexOf(name)].focus();
    current = name;
    history.replaceState(null, "", `#${name}`);
    return panels[name].show();
  };

  tabList.addEventListener("click", (ev) => {
    const b = ev.target instanceof Element ? ev.target.closest("[data-tab]") : null;
    if (b) select(/** @type {Name} */ (b.getAttribute("data-tab")));
  });
  tabList.addEventListener("keydown", (ev) => {
    const i = current ? names.indexOf(current) : 0;
    const n = names.length;
    const to = { ArrowRight: (i + 1) % n, ArrowLeft: (i + n - 1) % n, Home: 0, End: n - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    select(names[to], true);
  });

  return {
    tabList,
    sections,
    names,
    select,
    /** The tab shown, null before the first select. */
    current: () => current,
    /** The tab the address names (#faq), if it is one of these. */
    asked: () => {
      const h = /** @type {Name} */ (location.hash.slice(1));
      return names.includes(h) ? h : null;
    },
  };
}
