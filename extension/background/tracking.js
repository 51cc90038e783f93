// @ts-check
// Tries and deadline per filing: each round's events go through the core's
// tracker (heyanCore.track); nothing here counts by itself. Rounds are kept
// only for what happened (an answer, the user's SMS time), never for a phone
// merely typed, and are forgotten some days after they end.

/** A finished round (or one past its deadline) is kept this long, then dropped. */
const KEEP_FINISHED_MS = 7 * 24 * 3600 * 1000;
/** At most this many rounds are kept; the oldest finished go first. */
const MAX_SERIES = 50;

/**
 * roundKeyOf names the round a saved person's answers go to: their filing,
 * else their phone.
 * @param {Person} p
 */
function roundKeyOf(p) {
  return p.filing ? "filing:" + p.filing : "phone:" + p.phone;
}

/**
 * seriesKey names the round an answer for this phone belongs to: that of
 * the saved person it is taken to be (ownerOf: the one chosen in the tab
 * first), else the phone's own.
 * @param {State} state
 * @param {string} phone normalized
 * @param {string} selectedId the person chosen in the tab, or ""
 */
function seriesKey(state, phone, selectedId) {
  const p = ownerOf(state, phone, selectedId);
  return p ? roundKeyOf(p) : "phone:" + phone;
}

/**
 * seriesFor returns the round, starting it when first needed: the SMS is
 * taken to have arrived at smsISO until the user says when.
 * @param {State} state
 * @param {string} key
 * @param {string} smsISO
 * @returns {Series}
 */
function seriesFor(state, key, smsISO) {
  let s = state.series[key];
  if (!s) {
    s = { events: [{ type: "sms-received", at: smsISO }], smsAsked: false };
    state.series[key] = s;
  }
  return s;
}

/**
 * freshRound is the events of a round that has not started yet, for showing
 * its counts without storing anything.
 * @param {string} nowISO
 * @returns {CoreEvent[]}
 */
function freshRound(nowISO) {
  return [{ type: "sms-received", at: nowISO }];
}

/**
 * smsTime is when the current round's SMS arrived (its last sms-received event).
 * @param {Series} s
 */
function smsTime(s) {
  for (let i = s.events.length - 1; i >= 0; i--) if (s.events[i].type === "sms-received") return s.events[i].at;
  return null;
}

/**
 * setSmsTime records the user's answer for the current round: its SMS
 * arrived at at.
 * @param {Series} s
 * @param {string | null} at null keeps the default (the first answer or visit)
 */
function setSmsTime(s, at) {
  s.smsAsked = true;
  if (!at) return;
  for (let i = s.events.length - 1; i >= 0; i--) {
    if (s.events[i].type === "sms-received") {
      s.events[i].at = at;
      return;
    }
  }
  s.events.unshift({ type: "sms-received", at });
}

/**
 * startNewRound records a new SMS after the filing was returned or the 24
 * hours passed: the core starts a new round with fresh counts at an
 * sms-received event that comes after the end of the old one.
 * @param {Series} s
 * @param {string} at when the new SMS arrived
 */
function startNewRound(s, at) {
  const last = Math.max(...s.events.map((e) => Date.parse(e.at)).filter((t) => !isNaN(t)));
  const t = Math.max(Date.parse(at) || 0, isFinite(last) ? last + 1 : 0);
  s.events.push({ type: "sms-received", at: new Date(t).toISOString() });
  s.smsAsked = true;
  s.fromText = false;
}

/**
 * isClosedRound tells whether a round needs a new SMS to go on: the filing
 * was returned or the 24 hours passed.
 * @param {TrackResult | null} track
 */
function isClosedRound(track) {
  return !!track && (track.state === "returned" || track.state === "expired");
}

/**
 * validResult tells whether a validStatus answers that kind of request as
 * the core's tracker accepts it: a resend is answered 100, 101 or 102, a
 * verification anything else. The page shows an odd answer (an unknown resend
 * code) with a verification text; such an answer is explained, never counted.
 * @param {FormKind} kind
 * @param {number} status
 */
function validResult(kind, status) {
  if (!Number.isInteger(status) || status < 0 || status > 1e6) return false;
  const resendCode = status >= 100 && status <= 102;
  return kind === "resend" ? resendCode : !resendCode;
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
 * tracker would refuse is not added (false), nor is one whose ID was
 * recorded already (false: the same answer sent again).
 * @param {Series} s
 * @param {FormKind} kind
 * @param {number} status
 * @param {string} at
 * @param {boolean} fromText read from the page's text alone
 * @param {string} [answerId] the answer's ID, when it has one
 */
function recordResult(s, kind, status, at, fromText, answerId) {
  if (!validResult(kind, status)) return false;
  if (isAnswerId(answerId)) {
    const ids = Array.isArray(s.answerIds) ? s.answerIds : [];
    if (ids.includes(answerId)) return false;
    s.answerIds = ids.concat(answerId).slice(-KEEP_ANSWER_IDS);
  }
  s.events.push({ type: kind === "resend" ? "resend-result" : "verify-result", status, at });
  if (fromText) s.fromText = true;
  // A round has at most 5 tries, 2 resends and a few replays of the same
  // answer; cap the history so a stuck page cannot grow storage.
  if (s.events.length > 200) s.events.splice(1, s.events.length - 200);
  return true;
}

/**
 * mergeSeries moves the round under from into the one under to (the events
 * of both, in time order), and forgets from.
 * @param {State} state
 * @param {string} from
 * @param {string} to
 */
function mergeSeries(state, from, to) {
  const a = state.series[from];
  if (!a || from === to) return;
  const b = state.series[to];
  if (!b) {
    state.series[to] = a;
  } else {
    b.events = b.events.concat(a.events).sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
    b.smsAsked = b.smsAsked || a.smsAsked;
    if (a.fromText) b.fromText = true;
    if (a.answerIds) b.answerIds = (b.answerIds || []).concat(a.answerIds).slice(-KEEP_ANSWER_IDS);
  }
  delete state.series[from];
}

/**
 * lastActivity is the time of a round's latest event (ms; 0 when none reads).
 * @param {Series} s
 */
function lastActivity(s) {
  let last = 0;
  for (const e of s.events) {
    const t = Date.parse(e.at);
    if (t > last) last = t;
  }
  return last;
}

/**
 * pruneSeries forgets rounds that ended (complete, returned, expired, or
 * unreadable) more than KEEP_FINISHED_MS ago, then keeps at most MAX_SERIES,
 * dropping the oldest finished first.
 * @param {HeyanCore} core
 * @param {State} state
 * @param {string} nowISO
 */
function pruneSeries(core, state, nowISO) {
  const now = Date.parse(nowISO);
  const rounds = Object.entries(state.series).map(([key, s]) => {
    /** @type {TrackResult | null} */
    let track = null;
    try {
      track = core.track(s.events, nowISO);
    } catch {
      // unreadable: finished as far as keeping it goes
    }
    const finished = !track || track.state === "complete" || track.state === "returned" || track.state === "expired";
    const deadline = track && track.deadline ? Date.parse(track.deadline) : 0;
    const endedAt = Math.max(lastActivity(s), finished && track && track.state === "expired" ? deadline : 0);
    return { key, finished, last: lastActivity(s), old: finished && now - endedAt > KEEP_FINISHED_MS };
  });
  for (const r of rounds) if (r.old) delete state.series[r.key];
  const kept = rounds.filter((r) => !r.old)
    .sort((a, b) => Number(b.finished) - Number(a.finished) || a.last - b.last);
  while (kept.length > MAX_SERIES) {
    const r = /** @type {{key: string}} */ (kept.shift());
    delete state.series[r.key];
  }
}

/**
 * roundViews lists every round for the popup, most recent first: the
 * filing's name or the masked phone, who is saved for it, and the tracker's
 * counts now. A round the core refuses is listed without counts.
 * @param {HeyanCore} core
 * @param {State} state
 * @param {string} nowISO
 * @param {Lang} lang
 * @returns {RoundView[]}
 */
function roundViews(core, state, nowISO, lang) {
  /** @type {RoundView[]} */
  const out = [];
  for (const [key, s] of Object.entries(state.series)) {
    const people = state.people.filter((p) => roundKeyOf(p) === key)
      .map((p) => ({ name: p.name, role: p.role, phoneMasked: maskPhone(p.phone) }));
    const label = key.startsWith("filing:") ? key.slice("filing:".length) : maskPhone(key.slice("phone:".length));
    /** @type {TrackResult | null} */
    let track = null;
    try {
      track = core.track(s.events, nowISO, lang);
    } catch {
      // listed without counts, as the bar does
    }
    const last = s.events.length ? s.events[s.events.length - 1].at : null;
    out.push({ key, label, people, track, approx: !!s.fromText, smsAt: smsTime(s), lastAt: last });
  }
  return out.sort((a, b) => Date.parse(b.lastAt || "") - Date.parse(a.lastAt || "") || a.key.localeCompare(b.key));
}

/**
 * clearRound forgets one round: its tries, resends and deadline. The next
 * answer for that filing starts a new round.
 * @param {State} state
 * @param {string} key
 */
function clearRound(state, key) {
  delete state.series[key];
}
