// @ts-check
// Reading the Douyin open platform console's filing page by its text, not by
// its markup (which is the console's to change, and which we have not
// seen): the page's visible text, one piece per text node in document order,
// is searched for the filing status beside its label (备案状态：审核未通过, or
// the label and the status in two nodes side by side), the submit time
// beside its label, and the rejection message, which the core recognises
// (knowledge entry platform-sms-rejected: any colon, spacing or full stop).
// A status that stands alone is not taken: the console's progress line names
// every status (平台初审 → 工信部短信核验 → 管局审核中 → 审核未通过), and only
// the labelled one is the filing's. Nothing here throws on any text.

/**
 * The statuses the console shows (Douyin guide §3, §5, §6.5, §6.6) and the
 * knowledge entry that explains each.
 */
export const CONSOLE_STATUSES = Object.freeze([
  { text: "审核未通过", id: "douyin-status-returned" },
  { text: "管局审核失败", id: "douyin-status-authority-failed" },
  { text: "管局审核中", id: "douyin-status-review" },
]);

/** The knowledge entry of the rejection message (the core's detector finds it). */
export const REJECTION_ID = "platform-sms-rejected";
/** 管局审核中 for longer than the guide's lag: look again later. */
export const REVIEW_LATE_ID = "douyin-review-late";

/** A status label, alone or followed by its value: 备案状态, 审核状态, 当前状态, 状态. */
const STATUS_LABEL = /^(?:备案|审核|当前)?状态[:：]?(.*)$/;
/** A submit-time label, alone or followed by its value. */
const SUBMITTED_LABEL = /^(?:备案)?提交(?:时间|于)[:：]?(.*)$/;
/** A date and time as consoles write them: 2026-11-29 10:00(:00), 2026/11/29, 2026年11月29日 10时00分. */
const DATE_TIME =
  /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?/;
/** Beijing time, which the console shows (China has one time zone and no summer time). */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/**
 * What the console's text says.
 * status: the labelled status, the index of the text that holds it and that
 * text (with its label when they share a node). submittedAt: the labelled
 * submit time (ms since the epoch), or null. rejection: the index of the
 * text where the rejection message ends, and that text, or null.
 * @typedef {{
 *   status: {id: string, index: number, quote: string} | null,
 *   submittedAt: number | null,
 *   submittedQuote: string,
 *   rejection: {index: number, quote: string} | null
 * }} ConsoleReading
 */

/**
 * What to explain: a knowledge entry, the site's words it explains, and the
 * index of the text to place the card beside.
 * @typedef {{id: string, quote: string, index: number}} ConsoleHint
 */

/**
 * The core's message detector as this module needs it: the IDs of the
 * knowledge entries found in a text, in order (heyanCore.diagnose's matches).
 * @typedef {(text: string) => string[] | Promise<string[]>} FindEntries
 */

/** @param {unknown} s */
function squash(s) {
  return typeof s === "string" ? s.replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, "") : "";
}

/**
 * labelled finds the value of a label: in the same text after it, or, when
 * the label stands alone, in the next text. accept is given the value
 * squashed (no white space) and the text that holds it as shown.
 * @param {string[]} texts
 * @param {RegExp} label
 * @param {(value: string, holder: string) => boolean} accept
 * @returns {{index: number, value: string, quote: string} | null}
 */
function labelled(texts, label, accept) {
  for (let i = 0; i < texts.length; i++) {
    const m = label.exec(squash(texts[i]));
    if (!m) continue;
    if (m[1]) {
      if (accept(m[1], texts[i])) return { index: i, value: m[1], quote: texts[i].trim() };
    } else if (i + 1 < texts.length && accept(squash(texts[i + 1]), texts[i + 1])) {
      return { index: i + 1, value: squash(texts[i + 1]), quote: `${texts[i].trim()} ${texts[i + 1].trim()}` };
    }
  }
  return null;
}

/** @param {string} value the text after a status label, squashed */
function statusOf(value) {
  // The status may carry more after it (审核未通过（查看原因）); only the start counts.
  return CONSOLE_STATUSES.find((s) => value.startsWith(s.text)) || null;
}

/**
 * parseBeijingTime reads the first date and time in text as Beijing time.
 * @param {string} text
 * @returns {number | null} ms since the epoch, or null when there is none (or it is no real date)
 */
export function parseBeijingTime(text) {
  const m = DATE_TIME.exec(typeof text === "string" ? text : "");
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const at = Date.UTC(y, mo - 1, d, h, mi, s);
  // 31 February rolls over into March: not a date.
  if (new Date(at).getUTCDate() !== d) return null;
  return at - BEIJING_OFFSET_MS;
}

/**
 * readConsole reads the console's texts. find is the core's detector: it is
 * asked about the whole text once, and, when the rejection is there, about
 * ever shorter beginnings of it to tell which text it ends in (a message
 * split across nodes is still found).
 * @param {readonly string[]} texts
 * @param {FindEntries} find
 * @returns {Promise<ConsoleReading>}
 */
export async function readConsole(texts, find) {
  const list = Array.isArray(texts) ? texts.map((t) => (typeof t === "string" ? t : "")) : [];
  /** @type {ConsoleReading} */
  const reading = { status: null, submittedAt: null, submittedQuote: "", rejection: null };
  const st = labelled(list, STATUS_LABEL, (v) => statusOf(v) !== null);
  if (st) {
    const s = /** @type {{id: string}} */ (statusOf(st.value));
    reading.status = { id: s.id, index: st.index, quote: st.quote };
  }
  // The time is read from the text as shown: without its spaces the date
  // would run into the hour.
  const sub = labelled(list, SUBMITTED_LABEL, (_v, holder) => parseBeijingTime(holder) !== null);
  if (sub) {
    reading.submittedAt = parseBeijingTime(list[sub.index]);
    reading.submittedQuote = sub.quote;
  }
  const has = async (/** @type {number} */ end) => (await find(list.slice(0, end).join("\n"))).includes(REJECTION_ID);
  if (list.length && (await has(list.length))) {
    // The shortest beginning that holds it ends in the text it ends in.
    let lo = 1,
      hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (await has(mid)) hi = mid;
      else lo = mid + 1;
    }
    reading.rejection = { index: lo - 1, quote: list[lo - 1].trim() };
  }
  return reading;
}

/**
 * consoleHint says what to explain for a reading, at nowMs: the rejection
 * message first (it names the cause), then the status; 管局审核中 for
 * longer than lagHours since the submit time is the guide's delay.
 * @param {ConsoleReading} reading
 * @param {number} nowMs
 * @param {number} lagHours the core's limits.statusLagHours
 * @returns {ConsoleHint | null}
 */
export function consoleHint(reading, nowMs, lagHours) {
  if (reading.rejection) return { id: REJECTION_ID, quote: reading.rejection.quote, index: reading.rejection.index };
  const st = reading.status;
  if (!st) return null;
  if (st.id === "douyin-status-review") {
    const late = reading.submittedAt !== null && nowMs - reading.submittedAt >= lagHours * 3600 * 1000;
    const quote = reading.submittedQuote ? `${st.quote}；${reading.submittedQuote}` : st.quote;
    return { id: late ? REVIEW_LATE_ID : st.id, quote, index: st.index };
  }
  return { id: st.id, quote: st.quote, index: st.index };
}
