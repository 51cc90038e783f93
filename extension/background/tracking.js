// @ts-check
// Tries and deadline per filing: each round's events go through the core's
// tracker (heyanCore.track); nothing here counts by itself.

/**
 * seriesKey names the round an answer belongs to: the filing of the saved
 * person with this phone when it has one, else the phone.
 * @param {State} state
 * @param {string} phone normalized
 */
function seriesKey(state, phone) {
  const p = personByPhone(state, phone);
  return p && p.filing ? "filing:" + p.filing : "phone:" + phone;
}

/**
 * seriesFor returns the round, starting it when first seen: the SMS is taken
 * to have arrived at this first visit until the user says when.
 * @param {State} state
 * @param {string} key
 * @param {string} nowISO
 * @returns {Series}
 */
function seriesFor(state, key, nowISO) {
  let s = state.series[key];
  if (!s) {
    s = { events: [{ type: "sms-received", at: nowISO }], smsAsked: false };
    state.series[key] = s;
  }
  return s;
}

/**
 * smsTime is when the round's SMS arrived (its first sms-received event).
 * @param {Series} s
 */
function smsTime(s) {
  const e = s.events.find((ev) => ev.type === "sms-received");
  return e ? e.at : null;
}

/**
 * setSmsTime records the user's answer: the SMS arrived at at.
 * @param {Series} s
 * @param {string | null} at null keeps the default (the first visit)
 */
function setSmsTime(s, at) {
  s.smsAsked = true;
  if (!at) return;
  const first = s.events.find((ev) => ev.type === "sms-received");
  if (first) first.at = at;
  else s.events.unshift({ type: "sms-received", at });
}

/**
 * recordResult adds one validStatus answer to the round.
 * @param {Series} s
 * @param {FormKind} kind
 * @param {number} status
 * @param {string} at
 */
function recordResult(s, kind, status, at) {
  s.events.push({ type: kind === "resend" ? "resend-result" : "verify-result", status, at });
  // A round has at most 5 tries, 2 resends and a few replays of the same
  // answer; cap the history so a stuck page cannot grow storage.
  if (s.events.length > 200) s.events.splice(1, s.events.length - 200);
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
    const people = state.people.filter((p) => seriesKey(state, p.phone) === key)
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
    out.push({ key, label, people, track, smsAt: smsTime(s), lastAt: last });
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
