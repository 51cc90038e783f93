// @ts-check
// The verification rules the worker applies: which tracker states end a
// round, which need a new SMS, which answers a form can get.

/** @typedef {import("../messages.js").TrackResult} TrackResult */
/** @typedef {import("../messages.js").FormKind} FormKind */

/** The tracker's states in which a round is over. */
const CLOSED_STATES = new Set(["complete", "returned", "expired"]);
/** The tracker's states in which a round needs a new SMS to go on. */
const NEW_SMS_STATES = new Set(["returned", "expired"]);

/**
 * isClosedState tells whether a tracker state ends a round.
 * @param {string} state
 */
export function isClosedState(state) {
  return CLOSED_STATES.has(state);
}

/**
 * needsNewSms tells whether a round needs a new SMS to go on: the filing was
 * returned or the 24 hours passed.
 * @param {TrackResult | null} track
 */
export function needsNewSms(track) {
  return !!track && NEW_SMS_STATES.has(track.state);
}

/**
 * validResult tells whether a validStatus answers that kind of request as
 * the core's tracker accepts it: a resend is answered 100, 101 or 102, a
 * verification anything else. The page shows an odd answer (an unknown resend
 * code) with a verification text; such an answer is explained, never counted.
 * @param {FormKind} kind
 * @param {number} status
 */
export function validResult(kind, status) {
  if (!Number.isInteger(status) || status < 0 || status > 1e6) return false;
  const resendCode = status >= 100 && status <= 102;
  return kind === "resend" ? resendCode : !resendCode;
}
