// @ts-check
// The closed vocabulary between the content scripts, the popup and the
// service worker. Every message the extension sends is one of these; the
// service worker answers them in one switch (background/service-worker.js).
// Replies are wrapped as {ok: true, value} or {ok: false, error}. The worker
// sends one message the other way, to the MIIT page's content script
// (PageMessage). Messages that read or delete whole records are answered to
// extension pages (the popup) only, never to a content script.

/** @typedef {import("../wasm/heyan-core").HeyanCore} HeyanCore */
/** @typedef {import("../wasm/heyan-core").Lang} Lang */
/** @typedef {import("../wasm/heyan-core").TrackResult} TrackResult */
/** @typedef {import("../wasm/heyan-core").Problem} Problem */
/** @typedef {"diagnose" | "checkPhone" | "checkId" | "checkCode" | "kb"} CoreMethod */

/**
 * The core methods a content script may run in the service worker (the CSP
 * fallback): the worker refuses any other name.
 * @type {ReadonlySet<string>}
 */
const CORE_METHODS = new Set(["diagnose", "checkPhone", "checkId", "checkCode", "kb"]);
/** @typedef {"verify" | "resend"} FormKind */
/** @typedef {"principal" | "app-owner" | "service-owner"} Role */
/**
 * The province whose ID rules apply to a person: "zhejiang" (HK/Macau permit
 * holders type their HK/Macau identity card, e.g. 567（8）) or "" (the general
 * rules). Passed to heyanCore.checkId.
 * @typedef {"" | "zhejiang"} Province
 */

/**
 * A saved person as the page's content script sees it: never the full phone,
 * and never the ID last 6 (a mismatch names only its final two characters,
 * shown inside the bar's closed shadow root).
 * @typedef {{id: string, name: string, role: Role, phoneMasked: string, docType: string, province: Province, filing: string}} PersonView
 */

/**
 * A saved person as the popup lists it: the phone still masked, the ID last 6
 * whole (the popup is the extension's own page, not the MIIT page).
 * @typedef {PersonView & {idLast6: string}} PersonRecord
 */

/**
 * One filing's round as the popup's status shows it. label is the filing's
 * name, or the masked phone for a round kept per phone.
 * @typedef {{
 *   key: string,
 *   label: string,
 *   people: {name: string, role: Role, phoneMasked: string}[],
 *   track: TrackResult | null,
 *   approx: boolean,
 *   smsAt: string | null,
 *   lastAt: string | null
 * }} RoundView
 */

/**
 * The person to save, as typed into the bar; the service worker validates it
 * with the core before storing it.
 * @typedef {{name: string, role: Role, phone: string, docType: string, province: Province, idLast6: string, filing: string}} PersonInput
 */

/**
 * What the assistant bar shows for the phone and ID currently typed.
 * selected: the person chosen in this tab (or the saved owner of the typed
 * phone). track: the round's counts (a fresh round's when nothing is stored
 * yet). approx: some answer came from the page's text alone, so the tries
 * left are "at most". ask: the SMS question to ask — when it arrived (once
 * per round), or whether a new one came after the filing was returned or
 * the 24 hours passed. mismatch: the typed ID last 6 matches none of the
 * saved people with this phone (their names, and their IDs' final two
 * characters).
 * @typedef {{
 *   people: PersonView[],
 *   selected: string,
 *   key: string,
 *   track: TrackResult | null,
 *   approx: boolean,
 *   smsAt: string | null,
 *   ask: "sms-time" | "new-sms" | null,
 *   owner: PersonView | null,
 *   mismatch: {who: string, tail: string} | null
 * }} View
 */

/**
 * @typedef {{type: "core-call", method: CoreMethod, args: unknown[]}} CoreCallMessage
 *   Run one core method in the service worker (the page's CSP blocks WebAssembly here).
 * @typedef {{type: "view", phone: string, idLast6: string, lang: Lang}} ViewMessage
 *   The bar's view for what is typed in the form.
 * @typedef {{type: "record-result", phone: string, kind: FormKind, status: number, source: "network" | "text", answerId: string, lang: Lang}} RecordResultMessage
 *   One validStatus answer, fed into the tracker of the phone's filing (of
 *   the person chosen in the tab when the phone is theirs). answerId names
 *   this answer: sent again (send() does when the worker went away before
 *   replying), it is counted once.
 * @typedef {{type: "set-sms-time", phone: string, at: string | null, lang: Lang}} SetSmsTimeMessage
 *   The user's answer to "when did the SMS arrive?" (null keeps the default),
 *   or, after the filing was returned or expired, to "did a new SMS come?":
 *   then a new round starts at at (null: now).
 * @typedef {{type: "save-person", person: PersonInput, lang: Lang}} SavePersonMessage
 * @typedef {{type: "select-person", id: string}} SelectPersonMessage
 *   Choose a person in the sending tab only.
 * @typedef {{type: "fill-values", id: string}} FillValuesMessage
 *   The selected person's phone and ID last 6, for one fill.
 * @typedef {{type: "people"}} PeopleMessage
 *   Every saved person, for the popup (extension pages only).
 * @typedef {{type: "delete-person", id: string}} DeletePersonMessage
 *   Forget one saved person (extension pages only).
 * @typedef {{type: "rounds", lang: Lang}} RoundsMessage
 *   Every tracked round with the tracker's counts now, for the popup (extension pages only).
 * @typedef {{type: "clear-round", key: string}} ClearRoundMessage
 *   Forget one round's tries and deadline (extension pages only).
 */

/** @typedef {CoreCallMessage | ViewMessage | RecordResultMessage | SetSmsTimeMessage | SavePersonMessage | SelectPersonMessage | FillValuesMessage | PeopleMessage | DeletePersonMessage | RoundsMessage | ClearRoundMessage} Message */

/**
 * The messages only the extension's own pages may send: they read or delete
 * whole records.
 * @type {ReadonlySet<Message["type"]>}
 */
const EXTENSION_PAGE_ONLY = new Set(["people", "delete-person", "rounds", "clear-round"]);

/**
 * The one message the service worker sends to the MIIT page's content script:
 * a keyboard command from the manifest's "commands" (chrome://extensions/
 * shortcuts), forwarded to the active tab.
 * @typedef {{type: "command", command: "fill-person"}} PageMessage
 */

/**
 * The reply type of each message type.
 * @typedef {{
 *   "core-call": unknown,
 *   "view": View,
 *   "record-result": {key: string, track: TrackResult | null, approx: boolean},
 *   "set-sms-time": View,
 *   "save-person": {saved: PersonView | null, problems: Problem[]},
 *   "select-person": null,
 *   "fill-values": {phone: string, idLast6: string} | null,
 *   "people": PersonRecord[],
 *   "delete-person": null,
 *   "rounds": RoundView[],
 *   "clear-round": null
 * }} Replies
 */

/** @typedef {{ok: true, value: unknown} | {ok: false, error: string}} Envelope */

/**
 * Where the build puts the core (scripts/build-extension); heyan-core.js,
 * loaded before this file, defines loadHeyanCore.
 */
const CORE_WASM = "core/heyan-core.wasm";

/**
 * The DOM event the MAIN-world script fires with one API answer. Its detail is
 * a JSON string {api, validStatus, validFlag}: strings cross worlds intact.
 * main-world/network-results.js repeats this name (it shares no scope with us).
 */
const NETWORK_RESULT_EVENT = "heyan:network-result";

/**
 * Told of every failure to reach the service worker: the MIIT page's content
 * script uses it to notice that the extension was updated or reloaded.
 * @type {(err: unknown) => void}
 */
let onSendError = () => {};

/**
 * The pauses before a message is sent again when the service worker went
 * away before it replied. The browser stops the worker when it is idle (or
 * a debugger closes it) and starts it again for the next message; a message
 * that reached it while it was stopping is lost ("the message channel
 * closed before a response was received", "Receiving end does not exist").
 * Every message may be sent again: each is a read, an idempotent change, or
 * (record-result) carries the ID that makes the worker count it once.
 */
const RESEND_AFTER_MS = [100, 400, 1500];

/**
 * workerWentAway tells whether a failed sendMessage lost the worker in
 * passing (worth sending again) rather than the extension itself (updated,
 * reloaded or removed: this script is orphaned) or the message being refused.
 * @param {unknown} err
 */
function workerWentAway(err) {
  const text = String(err instanceof Error ? err.message : err);
  let alive = false;
  try {
    alive = !!(chrome.runtime && chrome.runtime.id);
  } catch {
    // the extension is gone
  }
  return alive && /message channel closed|message port closed|Receiving end does not exist/i.test(text);
}

/**
 * newAnswerId names one answer for record-result.
 * @returns {string}
 */
function newAnswerId() {
  if (typeof crypto === "object" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
}

/**
 * send delivers one message to the service worker and unwraps its reply. A
 * message the worker could not answer because it went away is sent again.
 * @template {Message} M
 * @param {M} message
 * @returns {Promise<Replies[M["type"]]>}
 */
async function send(message) {
  /** @type {Envelope | undefined} */
  let reply;
  for (let attempt = 0; ; attempt++) {
    try {
      reply = await chrome.runtime.sendMessage(message);
      break;
    } catch (err) {
      if (attempt < RESEND_AFTER_MS.length && workerWentAway(err)) {
        await new Promise((resolve) => setTimeout(resolve, RESEND_AFTER_MS[attempt]));
        continue;
      }
      onSendError(err);
      throw err;
    }
  }
  if (!reply) throw new Error("heyan: no reply to " + message.type);
  if (!reply.ok) throw new Error(reply.error);
  return /** @type {Replies[M["type"]]} */ (reply.value);
}
