// @ts-check
// A list of records with a filter, as the people and filings tabs have it:
// drawn anew from the worker's answer, filtered by hiding the cards that do
// not match (a list of hundreds filters at typing speed), with a count.

import { el } from "../../ui/dom.js";
import { O } from "../../ui/i18n.js";

/** @typedef {import("./options.js").PageTools} PageTools */

/**
 * filteredList keeps list's cards (each with data-search, its text in lower
 * case) drawn from load, filtered by what filter holds.
 * @template R
 * @param {{list: HTMLElement, filter: HTMLInputElement, count: HTMLElement, tools: PageTools}} places
 * @param {() => Promise<R[]>} load
 * @param {(record: R) => HTMLElement} card
 * @param {string} emptyText
 * @returns {() => Promise<void>} show: draws the list again
 */
export function filteredList({ list, filter, count, tools }, load, card, emptyText) {
  let total = 0;
  function applyFilter() {
    const q = filter.value.trim().toLowerCase();
    let n = 0;
    for (const c of list.children) {
      if (!(c instanceof HTMLElement) || c.dataset.search === undefined) continue;
      const show = !q || c.dataset.search.includes(q);
      c.hidden = !show;
      if (show) n++;
    }
    count.textContent = total ? O.shown(n, total) : "";
  }
  filter.addEventListener("input", applyFilter);
  return async function show() {
    try {
      const records = await load();
      total = records.length;
      list.replaceChildren(
        ...(records.length ? records.map(card) : [el("p", { class: "muted empty", text: emptyText })]),
      );
      applyFilter();
    } catch (err) {
      list.replaceChildren(el("p", { class: "alert", attrs: { role: "alert" }, text: tools.say(err) }));
    }
  };
}
