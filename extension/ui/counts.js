// @ts-check
// The counts line of a round, drawn the same way on the card, in the bar and
// in the popup: tries and resends left and the time left of the 24 hours
// while the round is open; once it is over, only what ended it (a finished
// verification runs no countdown, a returned filing offers no resend).

import { el } from "./dom.js";
import { T, timeLeftText } from "./i18n.js";
import { stateRule } from "../rules.js";

/** @typedef {import("../messages.js").TrackResult} TrackResult */
/** @typedef {import("../rules.js").Rules} Rules */

/**
 * countsLine gives the parts of the counts line, each a span.
 * @param {TrackResult} track
 * @param {boolean} approx some answer was read from the page's text alone: tries left are "at most"
 * @param {number} nowMs
 * @param {Rules} rules the core's: which states end a round, and the limits
 * @returns {HTMLElement[]}
 */
export function countsLine(track, approx, nowMs, rules) {
  if (stateRule(rules, track.state).closed) {
    const ended = { complete: T.roundComplete, returned: T.roundReturned, expired: T.expired }[
      /** @type {string} */ (track.state)
    ];
    return [el("span", { class: "ended", text: ended || T.roundOver })];
  }
  const { tries, resends } = rules.limits;
  const parts = [
    approx
      ? el("span", {
          class: "approx",
          text: T.triesLeftAtMost(track.attemptsLeft, tries),
          attrs: { title: T.approxWhy },
        })
      : el("span", { text: T.triesLeft(track.attemptsLeft, tries) }),
    el("span", { text: T.resendsLeft(track.resendsLeft, resends) }),
  ];
  const left = timeLeftText(track.deadline, nowMs);
  if (left) parts.push(el("span", { class: "time-left", text: left }));
  return parts;
}
