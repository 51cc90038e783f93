// @ts-check
// The links of a knowledge entry that our pages may show: https only (the
// data is ours, but a link is the one thing on the card that leaves the
// page, so it is checked where it is drawn).

/** @typedef {import("../../wasm/heyan-core").KBEntry} KBEntry */

/**
 * safeLinks keeps an entry's https links.
 * @param {KBEntry["links"]} links
 * @returns {KBEntry["links"]}
 */
export function safeLinks(links) {
  return links.filter((l) => /^https:\/\//.test(l.url));
}
