// @ts-check
// Tries and deadline per filing: each round's events go through the core's
// tracker (heyanCore.track); nothing here counts by itself. Rounds are kept
// only for what happened (an answer, the user's SMS time), never for a phone
// merely typed, and are forgotten some days after they end.

import { randomId } from "../ids.js";
import { touch } from "./store.js";
import { filingsOf } from "./filings.js";
import { maskPhone, ownerOf } from "./people.js";
import { answerTo, stateRule } from "../rules.js";

/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Round} Round */
/** @typedef {import("./store.js").Person} Person */
/** @typedef {import("./store.js").CoreEvent} CoreEvent */
/** @typedef {import("../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../messages.js").TrackResult} TrackResult */
/** @typedef {import("../messages.js").RoundView} RoundView */
/** @typedef {import("../messages.js").FormKind} FormKind */
/** @typedef {import("../messages.js").Lang} Lang */
/** @typedef {import("../rules.js").Rules} Rules */

/**
 * Whose round it is: a filing's, else a saved person's, else a phone's.
 * @typedef {{filingId: string, personId: string, phone: string}} RoundOwner
 */

/** A finished round (or one past its deadline) is kept this long, then dropped. */
const KEEP_FINISHED_MS = 7 * 24 * 3600 * 1000;
/** At most this many rounds are kept; the oldest finished go first. */
const MAX_ROUNDS = 50;

/**
 * ownerOfPerson is the round a saved person's answers go to: their filing's
 * (the open one first), else their own.
 * @param {State} state
 * @param {Person} p
 * @param {Rules} rules
 * @returns {RoundOwner}
 */
function ownerOfPerson(state, p, rules) {
  const [filing] = filingsOf(state, p.id, rules);
  return filing ? { filingId: filing.id, personId: "", phone: "" } : { filingId: "", personId: p.id, phone: "" };
}

/**
 * roundOwnerFor names the round an answer for this phone belongs to: that
 * of the saved person it is taken to be (ownerOf: the one chosen in the tab
 * first), else the phone's own.
 * @param {State} state
 * @param {string} phone normalized
 * @param {string} selectedId the person chosen in the tab, or ""
 * @param {Rules} rules
 * @returns {RoundOwner}
 */
export function roundOwnerFor(state, phone, selectedId, rules) {
  const p = ownerOf(state, phone, selectedId, rules);
  return p ? ownerOfPerson(state, p, rules) : { filingId: "", personId: "", phone };
}

/**
 * findRound is the round of an owner, if it has one.
 * @param {State} state
 * @param {RoundOwner} o
 * @returns {Round | null}
 */
export function findRound(state, o) {
  return (
    Object.values(state.rounds).find((r) =>
      o.filingId
        ? r.filingId === o.filingId
        : o.personId
          ? !r.filingId && r.personId === o.personId
          : !r.filingId && !r.personId && r.phone === o.phone,
    ) || null
  );
}

/**
 * roundFor returns the owner's round, starting it when first needed: the SMS
 * is taken to have arrived at smsISO until the user says when.
 * @param {State} state
 * @param {RoundOwner} o
 * @param {string} smsISO
 * @param {string} now
 * @returns {Round}
 */
export function roundFor(state, o, smsISO, now) {
  let r = findRound(state, o);
  if (!r) {
    r = {
      id: randomId(),
      rev: 0,
      updatedAt: now,
      ...o,
      events: [{ type: "sms-received", at: smsISO }],
      smsAsked: false,
    };
    touch(r, now);
    state.rounds[r.id] = r;
  }
  return r;
}

/**
 * freshRound is the events of a round that has not started yet, for showing
 * its counts without storing anything.
 * @param {string} nowISO
 * @returns {CoreEvent[]}
 */
export function freshRound(nowISO) {
  return [{ type: "sms-received", at: nowISO }];
}

/**
 * smsTime is when the current round's SMS arrived (its last sms-received event).
 * @param {Round} r
 */
export function smsTime(r) {
  for (let i = r.events.length - 1; i >= 0; i--) if (r.events[i].type === "sms-received") return r.events[i].at;
  return null;
}

/**
 * noteSmsTime keeps a filing's SMS time with the filing too (it syncs; the
 * round stays on this computer).
 * @param {State} state
 * @param {Round} r
 * @param {string} now
 */
function noteSmsTime(state, r, now) {
  const f = r.filingId ? state.filings[r.filingId] : null;
  const at = smsTime(r);
  if (f && f.smsAt !== at) {
    f.smsAt = at;
    touch(f, now);
  }
}

/**
 * setSmsTime records the user's answer for the current round: its SMS
 * arrived at at.
 * @param {State} state
 * @param {Round} r
 * @param {string | null} at null keeps the default (the first answer or visit)
 * @param {string} now
 */
export function setSmsTime(state, r, at, now) {
  r.smsAsked = true;
  touch(r, now);
  if (!at) return;
  let set = false;
  for (let i = r.events.length - 1; i >= 0 && !set; i--) {
    if (r.events[i].type === "sms-received") {
      r.events[i].at = at;
      set = true;
    }
  }
  if (!set) r.events.unshift({ type: "sms-received", at });
  noteSmsTime(state, r, now);
}

/**
 * startNewRound records a new SMS after the filing was returned or the 24
 * hours passed: the core starts a new round with fresh counts at an
 * sms-received event that comes after the end of the old one.
 * @param {State} state
 * @param {Round} r
 * @param {string} at when the new SMS arrived
 * @param {string} now
 */
export function startNewRound(state, r, at, now) {
  const last = Math.max(...r.events.map((e) => Date.parse(e.at)).filter((t) => !Number.isNaN(t)));
  const t = Math.max(Date.parse(at) || 0, Number.isFinite(last) ? last + 1 : 0);
  r.events.push({ type: "sms-received", at: new Date(t).toISOString() });
  r.smsAsked = true;
  r.fromText = false;
  delete r.verified;
  touch(r, now);
  noteSmsTime(state, r, now);
}

/** How many answer IDs a round remembers: enough for any resend of a message. */
const KEEP_ANSWER_IDS = 20;

/**
 * isAnswerId tells whether a value is usable as an answer's ID.
 * @param {unknown} id
 * @returns {id is string}
 */
function isAnswerId(id) {
  return typeof id === "string" && /^[A-Za-z0-9-]{8,64}$/.test(id);
}

/**
 * recordResult adds one validStatus answer to the round; an answer the
 * tracker does not count (the core's rules: an unknown resend code, say) is
 * not added (false), nor is one whose ID was recorded already (false: the
 * same answer sent again).
 * @param {Rules} rules
 * @param {Round} r
 * @param {FormKind} kind
 * @param {number} status
 * @param {string} at
 * @param {boolean} fromText read from the page's text alone
 * @param {string} [answerId] the answer's ID, when it has one
 */
export function recordResult(rules, r, kind, status, at, fromText, answerId) {
  if (!answerTo(rules, kind, status).counts) return false;
  if (isAnswerId(answerId)) {
    const ids = Array.isArray(r.answerIds) ? r.answerIds : [];
    if (ids.includes(answerId)) return false;
    r.answerIds = ids.concat(answerId).slice(-KEEP_ANSWER_IDS);
  }
  r.events.push({ type: kind === "resend" ? "resend-result" : "verify-result", status, at });
  if (fromText) r.fromText = true;
  // A round has at most 5 tries, 2 resends and a few replays of the same
  // answer; cap the history so a stuck page cannot grow storage.
  if (r.events.length > 200) r.events.splice(1, r.events.length - 200);
  touch(r, at);
  return true;
}

/**
 * noteVerified records that a saved person's own verification was confirmed
 * in this round (the site answered 31 or 3 to their phone).
 * @param {Round} r
 * @param {string} personId
 */
export function noteVerified(r, personId) {
  const done = Array.isArray(r.verified) ? r.verified : [];
  if (!done.includes(personId)) r.verified = done.concat(personId);
}

/**
 * noteStatus keeps the tracker's state at a filing's last answer with the
 * filing (other devices see where it stands without the round).
 * @param {State} state
 * @param {Round} r
 * @param {TrackResult} track
 * @param {string} now
 */
export function noteStatus(state, r, track, now) {
  const f = r.filingId ? state.filings[r.filingId] : null;
  if (f && f.status !== track.state) {
    f.status = track.state;
    touch(f, now);
  }
}

/**
 * mergeInto moves the events of from into into (in time order) and forgets
 * from.
 * @param {State} state
 * @param {Round} from
 * @param {Round} into
 * @param {string} now
 */
function mergeInto(state, from, into, now) {
  into.events = into.events.concat(from.events).sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  into.smsAsked = into.smsAsked || from.smsAsked;
  if (from.fromText) into.fromText = true;
  if (from.answerIds) into.answerIds = (into.answerIds || []).concat(from.answerIds).slice(-KEEP_ANSWER_IDS);
  touch(into, now);
  delete state.rounds[from.id];
}

/**
 * adoptRounds moves the rounds a saved person's answers were counted in
 * before (their phone's, or their own before they were in a filing) into
 * the round their answers go to now.
 * @param {State} state
 * @param {Person} p
 * @param {string} now
 * @param {Rules} rules
 */
export function adoptRounds(state, p, now, rules) {
  const owner = ownerOfPerson(state, p, rules);
  const earlier = Object.values(state.rounds).filter(
    (r) => !r.filingId && ((!r.personId && r.phone === p.phone) || (owner.filingId && r.personId === p.id)),
  );
  for (const r of earlier) {
    const into = findRound(state, owner);
    if (into && into !== r) {
      mergeInto(state, r, into, now);
    } else {
      Object.assign(r, owner);
      touch(r, now);
    }
  }
  noteSmsTimeOf(state, owner, now);
}

/**
 * noteSmsTimeOf keeps an owner's filing's SMS time current.
 * @param {State} state
 * @param {RoundOwner} owner
 * @param {string} now
 */
function noteSmsTimeOf(state, owner, now) {
  const r = owner.filingId ? findRound(state, owner) : null;
  if (r) noteSmsTime(state, r, now);
}

/**
 * forgetRoundsOf drops the rounds counted for a person alone (not a filing's).
 * @param {State} state
 * @param {string} personId
 */
export function forgetRoundsOf(state, personId) {
  for (const r of Object.values(state.rounds)) if (!r.filingId && r.personId === personId) delete state.rounds[r.id];
}

/**
 * lastActivity is the time of a round's latest event (ms; 0 when none reads).
 * @param {Round} r
 */
function lastActivity(r) {
  let last = 0;
  for (const e of r.events) {
    const t = Date.parse(e.at);
    if (t > last) last = t;
  }
  return last;
}

/**
 * trackOf runs the tracker, or gives null for a round it refuses (state from
 * a future version, say).
 * @param {HeyanCore} core
 * @param {CoreEvent[]} events
 * @param {string} now
 * @param {Lang} lang
 * @returns {TrackResult | null}
 */
export function trackOf(core, events, now, lang) {
  try {
    return core.track(events, now, lang);
  } catch (err) {
    console.warn("heyan: the tracker refused a round:", err instanceof Error ? err.message : err);
    return null;
  }
}

/**
 * pruneRounds forgets rounds that ended (complete, returned, expired, or
 * unreadable) more than KEEP_FINISHED_MS ago, then keeps at most MAX_ROUNDS,
 * dropping the oldest finished first.
 * @param {HeyanCore} core
 * @param {State} state
 * @param {string} nowISO
 * @param {Rules} rules
 */
export function pruneRounds(core, state, nowISO, rules) {
  const now = Date.parse(nowISO);
  const rounds = Object.values(state.rounds).map((r) => {
    const track = trackOf(core, r.events, nowISO, "zh-CN");
    const finished = !track || stateRule(rules, track.state).closed;
    const deadline = track?.deadline ? Date.parse(track.deadline) : 0;
    const endedAt = Math.max(lastActivity(r), finished && track && track.state === "expired" ? deadline : 0);
    return { id: r.id, finished, last: lastActivity(r), old: finished && now - endedAt > KEEP_FINISHED_MS };
  });
  for (const r of rounds) if (r.old) delete state.rounds[r.id];
  const kept = rounds.filter((r) => !r.old).sort((a, b) => Number(b.finished) - Number(a.finished) || a.last - b.last);
  while (kept.length > MAX_ROUNDS) {
    const r = /** @type {{id: string}} */ (kept.shift());
    delete state.rounds[r.id];
  }
}

/**
 * roundLabel names a round for the popup: its filing, its person, or the
 * masked phone.
 * @param {State} state
 * @param {Round} r
 */
function roundLabel(state, r) {
  if (r.filingId) return state.filings[r.filingId] ? state.filings[r.filingId].name : "?";
  if (r.personId) return state.people[r.personId] ? state.people[r.personId].name : "?";
  return maskPhone(r.phone);
}

/**
 * roundViews lists every round for the popup, most recent first: its label,
 * who is saved for it, and the tracker's counts now. A round the core
 * refuses is listed without counts.
 * @param {HeyanCore} core
 * @param {State} state
 * @param {string} nowISO
 * @param {Lang} lang
 * @returns {RoundView[]}
 */
export function roundViews(core, state, nowISO, lang) {
  return Object.values(state.rounds)
    .map((r) => {
      const members =
        r.filingId && state.filings[r.filingId]
          ? state.filings[r.filingId].people.map((m) => state.people[m.personId]).filter(Boolean)
          : r.personId && state.people[r.personId]
            ? [state.people[r.personId]]
            : [];
      return {
        id: r.id,
        label: roundLabel(state, r),
        people: members.map((p) => ({ name: p.name, role: p.role, phoneMasked: maskPhone(p.phone) })),
        track: trackOf(core, r.events, nowISO, lang),
        approx: !!r.fromText,
        smsAt: smsTime(r),
        lastAt: r.events.length ? r.events[r.events.length - 1].at : null,
      };
    })
    .sort((a, b) => Date.parse(b.lastAt || "") - Date.parse(a.lastAt || "") || a.id.localeCompare(b.id));
}

/**
 * clearRound forgets one round: its tries, resends and deadline. The next
 * answer for that filing starts a new round.
 * @param {State} state
 * @param {string} id
 * @returns {boolean} whether there was such a round
 */
export function clearRound(state, id) {
  if (!state.rounds[id]) return false;
  delete state.rounds[id];
  return true;
}

/**
 * filingViews lists every filing for the extension's pages, the most
 * recently changed first: its people with their names and masked phones,
 * and the tracker's counts of its round now.
 * @param {HeyanCore} core
 * @param {State} state
 * @param {string} nowISO
 * @param {Lang} lang
 * @returns {import("../messages.js").FilingView[]}
 */
export function filingViews(core, state, nowISO, lang) {
  return Object.values(state.filings)
    .map((f) => {
      const r = findRound(state, { filingId: f.id, personId: "", phone: "" });
      return {
        id: f.id,
        rev: f.rev,
        updatedAt: f.updatedAt,
        name: f.name,
        platform: f.platform,
        scenario: f.scenario,
        people: f.people
          .filter((m) => state.people[m.personId])
          .map((m) => ({
            role: m.role,
            personId: m.personId,
            name: state.people[m.personId].name,
            phoneMasked: maskPhone(state.people[m.personId].phone),
          })),
        smsAt: f.smsAt,
        status: f.status,
        track: r ? trackOf(core, r.events, nowISO, lang) : null,
        approx: !!r?.fromText,
      };
    })
    .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || a.id.localeCompare(b.id));
}

/**
 * filingRoundTime sets when a filing's SMS arrived on its round too (made
 * when needed): the tries and the deadline count from it.
 * @param {State} state
 * @param {string} filingId
 * @param {string} at
 * @param {string} now
 */
export function filingRoundTime(state, filingId, at, now) {
  const r = roundFor(state, { filingId, personId: "", phone: "" }, at, now);
  setSmsTime(state, r, at, now);
}
