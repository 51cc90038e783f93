// @ts-check
// Reading the core's rules (heyanCore.rules(): the same data its tracker and
// `who` use) in every context: which answers each form gets and whether
// they count, which tracker states end a round, the limits, and what roles
// and platforms are called. The extension copies none of it.

/** @typedef {import("../wasm/heyan-core").Rules} Rules */
/** @typedef {import("../wasm/heyan-core").StateRule} StateRule */
/** @typedef {import("../wasm/heyan-core").TrackState} TrackState */
/** @typedef {import("../wasm/heyan-core").TrackResult} TrackResult */
/** @typedef {import("../wasm/heyan-core").Role} Role */
/** @typedef {"verify" | "resend"} FormKind */

/**
 * answerTo is how a validStatus answered to a form reads, as the page shows
 * it: the knowledge entry of its text, and whether the tracker counts it. The
 * page shows an unknown code, or a code of the other form's table, with the
 * text of 0; the first counts as that (unknownRecorded), the other does not.
 * @param {Rules} rules
 * @param {FormKind} kind
 * @param {number} status
 * @returns {{id: string, counts: boolean}}
 */
export function answerTo(rules, kind, status) {
  const form = rules.forms[kind];
  if (!Number.isInteger(status) || status < 0 || status > 1e6) return { id: form.otherShownAs, counts: false };
  const own = form.answers.find((a) => a.status === status);
  if (own) return { id: own.id, counts: true };
  const other = rules.forms[kind === "verify" ? "resend" : "verify"].answers.some((a) => a.status === status);
  return { id: form.otherShownAs, counts: !other && form.unknownRecorded };
}

/**
 * stateRule is what a tracker state means for a round (an unknown state, from
 * a newer core say, reads as open).
 * @param {Rules} rules
 * @param {string} state
 * @returns {StateRule}
 */
export function stateRule(rules, state) {
  return (
    rules.states.find((s) => s.id === state) || {
      id: /** @type {TrackState} */ (state),
      closed: false,
      needsNewSms: false,
    }
  );
}

/**
 * roundOver tells whether a round's counts no longer apply: it is complete,
 * returned or past its 24 hours.
 * @param {Rules} rules
 * @param {TrackResult} track
 */
export function roundOver(rules, track) {
  return stateRule(rules, track.state).closed;
}

/**
 * needsNewSms tells whether a round needs a new SMS to go on (the filing was
 * returned, or the 24 hours passed).
 * @param {Rules} rules
 * @param {TrackResult | null} track
 */
export function needsNewSms(rules, track) {
  return !!track && stateRule(rules, track.state).needsNewSms;
}

/**
 * roleTitle is what a role is called: by the platform when one is known,
 * else by the core's title for the role alone.
 * @param {Rules} rules
 * @param {string} role
 * @param {string} [platform]
 */
export function roleTitle(rules, role, platform = "") {
  const p = rules.platforms.find((x) => x.id === platform);
  const r = p?.roles.find((x) => x.id === role) || rules.roles.find((x) => x.id === role);
  return r ? r.title : role;
}

/**
 * platformName is what a platform is called ("" for none).
 * @param {Rules} rules
 * @param {string} platform
 */
export function platformName(rules, platform) {
  const p = rules.platforms.find((x) => x.id === platform);
  return p ? p.name : "";
}
