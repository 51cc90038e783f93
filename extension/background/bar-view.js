// @ts-check
// What the assistant bar on the MIIT page shows for the phone and ID typed:
// the saved people and the one chosen, the round's counts, the SMS question,
// and whether the typed ID last 6 is that of none of the saved people with
// that phone.

import { ownerOf, peopleByPhone, personView } from "./people.js";
import { findRound, freshRound, roundOwnerFor, smsTime, trackOf } from "./rounds.js";
import { needsNewSms, stateRule } from "../rules.js";
import { filingsOf } from "./filings.js";

/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Person} Person */
/** @typedef {import("../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../messages.js").Lang} Lang */
/** @typedef {import("../messages.js").View} View */
/** @typedef {import("../rules.js").Rules} Rules */

/**
 * barView is the bar's view of what is typed: saved people (those of open
 * filings first) and the one chosen in this tab, the round of the typed
 * phone (its counts as a fresh round when nothing is stored for it yet:
 * typing stores nothing), what to ask about the SMS, and whether the typed
 * ID last 6 matches none of the saved people with that phone.
 * @param {HeyanCore} core
 * @param {State} state
 * @param {string} phoneTyped
 * @param {string} idTyped
 * @param {Lang} lang
 * @param {string} tabSelected the person chosen in the tab, or ""
 * @param {string} now
 * @param {Rules} rules
 * @param {boolean} [locked] the saved data is locked (state is empty): nothing to ask, since no answer could be stored
 * @returns {View}
 */
export function barView(core, state, phoneTyped, idTyped, lang, tabSelected, now, rules, locked = false) {
  const phone = core.checkPhone(phoneTyped || "", lang);
  const chosen = state.people[tabSelected] ? tabSelected : "";
  const owner = phone.valid ? ownerOf(state, phone.normalized, chosen, rules) : null;
  const round = phone.valid ? findRound(state, roundOwnerFor(state, phone.normalized, chosen, rules)) : null;
  /** @type {View["mismatch"]} */
  let mismatch = null;
  const same = phone.valid ? peopleByPhone(state, phone.normalized) : [];
  if (same.length && idTyped) {
    // Compared with each saved entry for the phone, by that entry's rules;
    // only a complete entry counts (a half-typed one is not a mismatch yet).
    const typedFor = (/** @type {Person} */ p) =>
      core.checkId(idTyped, p.docType, p.province || "", lang).normalized || idTyped.trim().toUpperCase();
    const complete = same.every((p) => typedFor(p).length >= 6);
    if (complete && !same.some((p) => typedFor(p) === p.idLast6)) {
      mismatch = {
        who: same.map((p) => p.name).join("、"),
        tail: [...new Set(same.map((p) => p.idLast6.slice(-2)))].join("、"),
      };
    }
  }
  const track = phone.valid ? trackOf(core, round ? round.events : freshRound(now), now, lang) : null;
  /** @type {View["ask"]} */
  let ask = null;
  if (locked) ask = null;
  else if (round && needsNewSms(rules, track)) ask = "new-sms";
  else if (phone.valid && !round?.smsAsked) ask = "sms-time";
  // The people of open filings first (the ones a user verifies for now),
  // then those of filings that ended, then the rest.
  const rank = (/** @type {Person} */ p) => {
    const [f] = filingsOf(state, p.id, rules);
    return !f ? 2 : f.status && stateRule(rules, f.status).closed ? 1 : 0;
  };
  const people = Object.values(state.people)
    .map((p) => ({ p, r: rank(p) }))
    .sort((a, b) => a.r - b.r)
    .map(({ p }) => personView(state, p, rules));
  return {
    people,
    selected: chosen || (owner ? owner.id : ""),
    round: round ? round.id : "",
    track,
    approx: !!round?.fromText,
    smsAt: round ? smsTime(round) : null,
    ask,
    owner: owner ? personView(state, owner, rules) : null,
    mismatch,
    locked,
  };
}
