// @ts-check
// The closed vocabulary between the content scripts and the service worker.
// Every message the extension sends is one of these; the service worker
// answers them in one switch (background/service-worker.js). Replies are
// wrapped as {ok: true, value} or {ok: false, error}.

/** @typedef {import("../wasm/heyan-core").HeyanCore} HeyanCore */
/** @typedef {import("../wasm/heyan-core").Lang} Lang */
/** @typedef {import("../wasm/heyan-core").TrackResult} TrackResult */
/** @typedef {import("../wasm/heyan-core").Problem} Problem */
/** @typedef {"diagnose" | "checkPhone" | "checkId" | "checkCode" | "kb"} CoreMethod */
/** @typedef {"verify" | "resend"} FormKind */
/** @typedef {"principal" | "app-owner" | "service-owner"} Role */

/**
 * A saved person as the page sees it: never the full phone, and the ID last 6
 * only as its final two characters.
 * @typedef {{id: string, name: string, role: Role, phoneMasked: string, docType: string, filing: string}} PersonView
 */

/**
 * The person to save, as typed into the bar; the service worker validates it
 * with the core before storing it.
 * @typedef {{name: string, role: Role, phone: string, docType: string, idLast6: string, filing: string}} PersonInput
 */

/**
 * What the assistant bar shows for the phone and ID currently typed.
 * @typedef {{
 *   people: PersonView[],
 *   selected: string,
 *   key: string,
 *   track: TrackResult | null,
 *   smsAt: string | null,
 *   smsAsked: boolean,
 *   owner: PersonView | null,
 *   mismatch: {tail: string} | null
 * }} View
 */

/**
 * @typedef {{type: "core-call", method: CoreMethod, args: unknown[]}} CoreCallMessage
 *   Run one core method in the service worker (the page's CSP blocks WebAssembly here).
 * @typedef {{type: "view", phone: string, idLast6: string, lang: Lang}} ViewMessage
 *   The bar's view for what is typed in the form.
 * @typedef {{type: "record-result", phone: string, kind: FormKind, status: number, at: string, lang: Lang}} RecordResultMessage
 *   One validStatus answer, fed into the tracker of the phone's filing.
 * @typedef {{type: "set-sms-time", phone: string, at: string | null, lang: Lang}} SetSmsTimeMessage
 *   The user's answer to "when did the SMS arrive?" (null keeps the default).
 * @typedef {{type: "save-person", person: PersonInput, lang: Lang}} SavePersonMessage
 * @typedef {{type: "select-person", id: string}} SelectPersonMessage
 * @typedef {{type: "fill-values", id: string}} FillValuesMessage
 *   The selected person's phone and ID last 6, for one fill.
 */

/** @typedef {CoreCallMessage | ViewMessage | RecordResultMessage | SetSmsTimeMessage | SavePersonMessage | SelectPersonMessage | FillValuesMessage} Message */

/**
 * The reply type of each message type.
 * @typedef {{
 *   "core-call": unknown,
 *   "view": View,
 *   "record-result": {key: string, track: TrackResult | null},
 *   "set-sms-time": View,
 *   "save-person": {saved: PersonView | null, problems: Problem[]},
 *   "select-person": null,
 *   "fill-values": {phone: string, idLast6: string} | null
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
 * send delivers one message to the service worker and unwraps its reply.
 * @template {Message} M
 * @param {M} message
 * @returns {Promise<Replies[M["type"]]>}
 */
async function send(message) {
  /** @type {Envelope | undefined} */
  const reply = await chrome.runtime.sendMessage(message);
  if (!reply) throw new Error("heyan: no reply to " + message.type);
  if (!reply.ok) throw new Error(reply.error);
  return /** @type {Replies[M["type"]]} */ (reply.value);
}
