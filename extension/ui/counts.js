// @ts-check
// The counts line of a round, drawn the same way on the card, in the bar and
// in the popup: tries and resends left and the time left of the 24 hours
// while the round is open; once it is over, only what ended it (a finished
// verification runs no countdown, a returned filing offers no resend).

import { el } from "./dom.js";
import { T, timeLeftText } from "./i18n.js";

/** @typedef {import("../messages.js").TrackResult} TrackResult */

/**
 * roundOver tells whether a round's counts no longer apply: it is complete,
 * returned or past its 24 hours.
 * @param {TrackResult} track
 */
export function roundOver(track) {
  return track.state === "complete" || track.state === "returned" || track.state === "expired";
}

/**
 * countsLine gives the parts of the counts line, each a span.
 * @param {TrackResult} track
 * @param {boolean} approx some answer was read from the page's text alone: tries left are "at most"
 * @param {number} nowMs
 * @returns {HTMLElement[]}
 */
export function countsLine(track, approx, nowMs) {
  switch (track.state) {
    case "complete":
      return [el("span", { class: "ended", text: T.roundComplete })];
    case "returned":
      return [el("span", { class: "ended", text: T.roundReturned })];
    case "expired":
      return [el("span", { class: "ended", text: T.expired })];
  }
  const parts = [
    approx
      ? el("span", { class: "approx", text: T.triesLeftAtMost(track.attemptsLeft), attrs: { title: T.approxWhy } })
      : el("span", { text: T.triesLeft(track.attemptsLeft) }),
    el("span", { text: T.resendsLeft(track.resendsLeft) }),
  ];
  const left = timeLeftText(track.deadline, nowMs);
  if (left) parts.push(el("span", { class: "time-left", text: left }));
  return parts;
}
