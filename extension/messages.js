// @ts-check
// The closed vocabulary between the content scripts, the extension's pages
// and the service worker, described and nothing else: each message's shape
// and reply (typedefs), who may send it and whether it waits for the core
// (MESSAGES, from which the worker's guards are drawn), and the codes of a
// refusal. Replies are {ok: true, value} or {ok: false, code, message}
// (Envelope). The worker answers them in one switch (background/dispatch.js);
// pages and content scripts send them with send.js. The worker sends two
// messages the other way, to a content script (PageMessage); the options
// page and its key-derivation Worker exchange KdfRequest and KdfReply.

/** @typedef {import("../wasm/heyan-core").HeyanCore} HeyanCore */
/** @typedef {import("../wasm/heyan-core").Lang} Lang */
/** @typedef {import("../wasm/heyan-core").TrackResult} TrackResult */
/** @typedef {import("../wasm/heyan-core").TrackState} TrackState */
/** @typedef {import("../wasm/heyan-core").Problem} Problem */
/** @typedef {import("../wasm/heyan-core").Platform} Platform */
/** @typedef {"diagnose" | "checkPhone" | "checkId" | "checkCode" | "kb" | "rules"} CoreMethod */
/** @typedef {"verify" | "resend"} FormKind */
/** @typedef {"principal" | "app-owner" | "service-owner"} Role */
/**
 * The province whose ID rules apply to a person: "zhejiang" (HK/Macau permit
 * holders type their HK/Macau identity card, e.g. 567（8）) or "" (the general
 * rules). Passed to heyanCore.checkId.
 * @typedef {"" | "zhejiang"} Province
 */

/**
 * The core methods a content script may run in the service worker (the CSP
 * fallback): the worker refuses any other name.
 * @type {ReadonlySet<string>}
 */
export const CORE_METHODS = new Set(["diagnose", "checkPhone", "checkId", "checkCode", "kb", "rules"]);

/**
 * The codes of a refused message ({ok: false, code, message}). A core error
 * keeps the core's own code (heyan-core.d.ts: unknown-platform, bad-event,
 * usage…); these are the extension's.
 */
export const ERROR_CODES = /** @type {const} */ ({
  /** A message only the extension's own pages may send came from a content script. */
  forbidden: "forbidden",
  /** A tab sent more changes of one kind in a minute than a person can. */
  rateLimited: "rate-limited",
  /** Not a message of this vocabulary, or a field of the wrong type. */
  badMessage: "bad-message",
  /** A value the message needs is missing or invalid (the message says which). */
  badInput: "bad-input",
  /** The record the message names does not exist (any more). */
  notFound: "not-found",
  /** The core (WebAssembly) could not start; the next message tries again. */
  coreUnavailable: "core-unavailable",
  /** The stored state comes from a newer version of the extension; it is left untouched. */
  stateNewer: "state-newer",
  /** The service worker could not be reached, even after sending again. */
  workerUnreachable: "worker-unreachable",
  /** The extension was updated, reloaded or removed: this page's script is orphaned. */
  extensionGone: "extension-gone",
  /** Two records would be the same one (a person with the same phone and role, a filing of the same name). */
  duplicate: "duplicate",
  /** An import file that is not one, or has a record that does not hold up (the message says which and why). */
  badImport: "bad-import",
  /** A file too big to be an export of ours. */
  tooLarge: "too-large",
  /** What undo should bring back is gone (it waits a few minutes at most). */
  undoExpired: "undo-expired",
  /** The saved records are encrypted for a sync account that is not unlocked: sign in on the options page. */
  vaultLocked: "vault-locked",
  /** The sync server could not be reached (offline, stopped, a wrong address); changes wait and go out later. */
  syncOffline: "sync-offline",
  /** The sync server refused: the message names what (a wrong password, an email in use, a quota, throttling). */
  syncRefused: "sync-refused",
  /** Sync needs a signed-in account (or its session ended: sign in again). */
  signedOut: "signed-out",
  /** A sign-up with an email that already has an account. */
  emailTaken: "email-taken",
  /** Too many sign-in attempts: the server says how long to wait. */
  throttled: "throttled",
  /** The account holds as much as the server allows: delete records. */
  quotaExceeded: "quota-exceeded",
  /** The email or the password is wrong (the vault's own code when the wrapped key does not open). */
  wrongPassword: "wrong-password",
  /** Anything else: a bug. The message says what. */
  internal: "internal",
});

/** @typedef {typeof ERROR_CODES[keyof typeof ERROR_CODES]} ErrorCode */

/**
 * The vault's codes (wasm/vault/heyan-vault.d.ts) that reach the user: a
 * server's key parameters refused, a password it cannot take, records that
 * did not open. They pass through as they are, like the core's.
 */
export const VAULT_CODES = /** @type {const} */ ([
  "kdf-too-weak",
  "kdf-unsupported",
  "password-invalid",
  "record-moved",
  "record-rolled-back",
  "wrong-key",
]);

/**
 * A saved person as a content script sees it: never the full phone, and
 * never the ID last 6 (a mismatch names only its final two characters, shown
 * inside the bar's closed shadow root). filings: the names of the filings the
 * person is in.
 * @typedef {{id: string, name: string, role: Role, phoneMasked: string, docType: string, province: Province, filings: string[]}} PersonView
 */

/**
 * A saved person as the extension's pages list them: the phone still
 * masked, the ID last 6 whole.
 * @typedef {PersonView & {idLast6: string}} PersonRecord
 */

/**
 * One round as the popup's status shows it. label is its filing's name, the
 * person's name, or the masked phone for a phone nobody is saved with.
 * @typedef {{
 *   id: string,
 *   label: string,
 *   people: {name: string, role: Role, phoneMasked: string}[],
 *   track: TrackResult | null,
 *   approx: boolean,
 *   smsAt: string | null,
 *   lastAt: string | null
 * }} RoundView
 */

/**
 * A problem with one field of what was typed (field: the form field it
 * belongs beside, "" for the whole record), in the user's language.
 * @typedef {Problem & {field: string}} FieldProblem
 */

/**
 * A filing as the extension's pages show it: its record, its people with
 * their names and masked phones, and the tracker's counts of its round now
 * (null before it has one).
 * @typedef {{
 *   id: string, rev: number, updatedAt: string,
 *   name: string, platform: Platform | "", scenario: string,
 *   people: {role: Role, personId: string, name: string, phoneMasked: string}[],
 *   smsAt: string | null, status: TrackState | "",
 *   track: TrackResult | null, approx: boolean
 * }} FilingView
 */

/**
 * A filing as typed into the options page: its people by role (the roles
 * its scenario needs), when its SMS arrived (null: not yet).
 * @typedef {{name: string, platform: Platform | "", scenario: string, people: {role: Role, personId: string}[], smsAt: string | null}} FilingInput
 */

/**
 * What an import would do, record by record, before anything is written:
 * add (new), change (a newer copy of one kept here), skip (the same, or
 * older than the one kept here, with why).
 * @typedef {{kind: "person" | "filing", id: string, name: string, action: "add" | "change" | "skip", why: string}} ImportStep
 * @typedef {{people: number, filings: number, steps: ImportStep[]}} ImportPlan
 */

/**
 * The person to save, as typed into a form; the service worker validates it
 * with the core before storing it. filing: the name of a filing to put them
 * in (found by name, or made), "" for none.
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
 *   round: string,
 *   track: TrackResult | null,
 *   approx: boolean,
 *   smsAt: string | null,
 *   ask: "sms-time" | "new-sms" | null,
 *   owner: PersonView | null,
 *   mismatch: {who: string, tail: string} | null,
 *   locked: boolean
 * }} View
 * locked: the saved data is encrypted for a sync account and not unlocked
 * (the browser restarted): no saved people, and answers wait to be counted.
 */

/**
 * @typedef {{type: "core-call", method: CoreMethod, args: unknown[]}} CoreCallMessage
 *   Run one core method in the service worker (the page's CSP blocks WebAssembly there).
 * @typedef {{type: "view", phone: string, idLast6: string, lang: Lang}} ViewMessage
 *   The bar's view for what is typed in the form.
 * @typedef {{type: "record-result", phone: string, kind: FormKind, status: number, source: "network" | "text", answerId: string, lang: Lang}} RecordResultMessage
 *   One validStatus answer, fed into the tracker of the phone's round (of
 *   the person chosen in the tab when the phone is theirs). answerId names
 *   this answer: sent again (send() does when the worker went away before
 *   replying), it is counted once.
 * @typedef {{type: "set-sms-time", phone: string, at: string | null, lang: Lang}} SetSmsTimeMessage
 *   The user's answer to "when did the SMS arrive?" (null keeps the default),
 *   or, after the filing was returned or expired, to "did a new SMS come?":
 *   then a new round starts at at (null: now).
 * @typedef {{type: "save-person", id?: string, person: PersonInput, lang: Lang}} SavePersonMessage
 *   Save a person, the one message for it. From an extension page: add (id
 *   "") or change the person with this id, refused field by field, nothing
 *   half-saved, a twin (same phone and role) refused; person.filing is not
 *   used. From the MIIT page's bar (no id): add, or update the person saved
 *   with this phone and role, put them in the filing named, and choose them
 *   in that tab. The reply gives the saved person as the sender may see them
 *   (a content script never gets the ID last 6).
 * @typedef {{type: "select-person", id: string}} SelectPersonMessage
 *   Choose a person in the sending tab only.
 * @typedef {{type: "fill-values", id: string}} FillValuesMessage
 *   The selected person's phone and ID last 6, for one fill.
 * @typedef {{type: "people"}} PeopleMessage
 *   Every saved person, for the extension's pages.
 * @typedef {{type: "delete-person", id: string}} DeletePersonMessage
 *   Forget one saved person (extension pages only).
 * @typedef {{type: "rounds", lang: Lang}} RoundsMessage
 *   Every tracked round with the tracker's counts now (extension pages only).
 * @typedef {{type: "clear-round", id: string}} ClearRoundMessage
 *   Forget one round's tries and deadline (extension pages only).
 * @typedef {{type: "reveal-phone", id: string}} RevealPhoneMessage
 *   One saved person's whole phone number, shown on demand (extension pages only).
 * @typedef {{type: "undo-delete", token: string}} UndoDeleteMessage
 *   Bring back what a delete removed (extension pages only).
 * @typedef {{type: "filings", lang: Lang}} FilingsMessage
 *   Every filing with its people and counts (extension pages only).
 * @typedef {{type: "put-filing", id: string, filing: FilingInput, lang: Lang}} PutFilingMessage
 *   Add a filing (id "") or change one (extension pages only).
 * @typedef {{type: "delete-filing", id: string}} DeleteFilingMessage
 *   Forget a filing and its round (extension pages only); undo brings it back.
 * @typedef {{type: "export"}} ExportMessage
 *   The people and filings as one versioned JSON file (extension pages only).
 * @typedef {{type: "import-plan", text: string, lang: Lang}} ImportPlanMessage
 *   Check an export file and say what importing it would do (extension pages only).
 * @typedef {{type: "import-apply", text: string, lang: Lang}} ImportApplyMessage
 *   Import it: all of it or nothing (extension pages only).
 * @typedef {{type: "put-settings", settings: import("./settings.js").Settings}} PutSettingsMessage
 *   Change the user's settings (extension pages only).
 * @typedef {{type: "sync-status"}} SyncStatusMessage
 *   The sync account, its state, the outbox, conflicts and the live progress (extension pages only).
 * @typedef {{type: "sync-kdf", server: string, email: string}} SyncKdfMessage
 *   What to derive the keys with: the server's published parameters (email ""), or an account's (extension pages only).
 * @typedef {{authKey: string, wrapKey: string}} DerivedKeys
 * @typedef {{type: "sync-register", server: string, email: string, keys: DerivedKeys, kdf: import("../wasm/vault/heyan-vault").AccountKdf}} SyncRegisterMessage
 *   Make an account with keys the page derived, then sign in (extension pages only).
 * @typedef {{type: "sync-sign-in", server: string, email: string, keys: DerivedKeys}} SyncSignInMessage
 *   Sign in (or unlock after a browser restart) with keys the page derived (extension pages only).
 * @typedef {{type: "sync-sign-out", keep: boolean}} SyncSignOutMessage
 *   Sign out; keep a plain copy of the people and filings here, or wipe them (extension pages only).
 * @typedef {{type: "sync-now"}} SyncNowMessage
 *   Sync at once (extension pages only).
 * @typedef {{type: "sync-change-password", current: DerivedKeys, next: DerivedKeys, newKdf: import("../wasm/vault/heyan-vault").AccountKdf}} SyncChangePasswordMessage
 * @typedef {{type: "sync-delete-account", keys: DerivedKeys}} SyncDeleteAccountMessage
 * @typedef {{type: "sync-resolve", id: string, field: string, pick: "mine" | "theirs"}} SyncResolveMessage
 *   Settle one field both devices changed (extension pages only).
 */

/**
 * @typedef {CoreCallMessage | ViewMessage | RecordResultMessage | SetSmsTimeMessage | SavePersonMessage | SelectPersonMessage |
 *   FillValuesMessage | PeopleMessage | DeletePersonMessage | RoundsMessage | ClearRoundMessage | RevealPhoneMessage |
 *   UndoDeleteMessage | FilingsMessage | PutFilingMessage | DeleteFilingMessage | ExportMessage |
 *   ImportPlanMessage | ImportApplyMessage | PutSettingsMessage | SyncStatusMessage | SyncKdfMessage | SyncRegisterMessage |
 *   SyncSignInMessage | SyncSignOutMessage | SyncNowMessage | SyncChangePasswordMessage | SyncDeleteAccountMessage | SyncResolveMessage} Message
 */

/**
 * Who may send each message and whether it waits for the core, one row per
 * message type; the worker's guards below are drawn from it. from: "pages",
 * the extension's own pages only (the message reads, changes or deletes
 * whole records), or "any" (content scripts too). core: false for a message
 * about stored records alone, answered while the core is still loading (or
 * failed to). Typed as a Record over Message["type"], so a message missing
 * here fails the type check.
 * @type {Readonly<Record<Message["type"], {from: "pages" | "any", core: boolean}>>}
 */
export const MESSAGES = Object.freeze({
  "core-call": { from: "any", core: true },
  view: { from: "any", core: true },
  "record-result": { from: "any", core: true },
  "set-sms-time": { from: "any", core: true },
  "save-person": { from: "any", core: true },
  "select-person": { from: "any", core: false },
  "fill-values": { from: "any", core: false },
  people: { from: "pages", core: false },
  "delete-person": { from: "pages", core: false },
  rounds: { from: "pages", core: true },
  "clear-round": { from: "pages", core: false },
  "reveal-phone": { from: "pages", core: false },
  "undo-delete": { from: "pages", core: false },
  filings: { from: "pages", core: true },
  "put-filing": { from: "pages", core: true },
  "delete-filing": { from: "pages", core: false },
  export: { from: "pages", core: false },
  "import-plan": { from: "pages", core: true },
  "import-apply": { from: "pages", core: true },
  "put-settings": { from: "pages", core: false },
  "sync-status": { from: "pages", core: false },
  "sync-kdf": { from: "pages", core: false },
  "sync-register": { from: "pages", core: false },
  "sync-sign-in": { from: "pages", core: false },
  "sync-sign-out": { from: "pages", core: false },
  "sync-now": { from: "pages", core: false },
  "sync-change-password": { from: "pages", core: false },
  "sync-delete-account": { from: "pages", core: false },
  "sync-resolve": { from: "pages", core: false },
});

/** @param {(row: {from: "pages" | "any", core: boolean}) => boolean} pick */
const typesWhere = (pick) =>
  /** @type {ReadonlySet<Message["type"]>} */ (
    new Set(
      Object.entries(MESSAGES)
        .filter(([, row]) => pick(row))
        .map(([type]) => type),
    )
  );

/** The messages only the extension's own pages may send. */
export const EXTENSION_PAGE_ONLY = typesWhere((row) => row.from === "pages");

/** The messages answered without the core. */
export const WITHOUT_CORE = typesWhere((row) => !row.core);

/**
 * The messages the service worker sends to a content script: a keyboard
 * command from the manifest's "commands" (chrome://extensions/shortcuts),
 * forwarded to the active tab; and, to every tab, that a site's optional
 * feature was turned off (its host permission taken away: the Douyin
 * console hints), which that site's script alone heeds by stopping.
 * @typedef {{type: "command", command: "fill-person"} | {type: "site-off", site: string}} PageMessage
 */

/**
 * The reply type of each message type.
 * @typedef {{
 *   "core-call": unknown,
 *   "view": View,
 *   "record-result": {round: string, track: TrackResult | null, approx: boolean, locked?: boolean},
 *   "set-sms-time": View,
 *   "save-person": {saved: PersonView | PersonRecord | null, problems: FieldProblem[]},
 *   "select-person": null,
 *   "fill-values": {phone: string, idLast6: string} | null,
 *   "people": PersonRecord[],
 *   "delete-person": {undo: string},
 *   "rounds": RoundView[],
 *   "clear-round": null,
 *   "reveal-phone": {phone: string},
 *   "undo-delete": null,
 *   "filings": FilingView[],
 *   "put-filing": {saved: FilingView | null, problems: FieldProblem[]},
 *   "delete-filing": {undo: string},
 *   "export": {text: string, name: string},
 *   "import-plan": ImportPlan,
 *   "import-apply": ImportPlan,
 *   "put-settings": import("./settings.js").Settings,
 *   "sync-status": SyncStatus,
 *   "sync-kdf": import("../wasm/vault/heyan-vault").PublishedKdf | import("../wasm/vault/heyan-vault").AccountKdf,
 *   "sync-register": SyncStatus,
 *   "sync-sign-in": SyncStatus,
 *   "sync-sign-out": SyncStatus,
 *   "sync-now": SyncStatus,
 *   "sync-change-password": SyncStatus,
 *   "sync-delete-account": SyncStatus,
 *   "sync-resolve": SyncStatus
 * }} Replies
 */

/**
 * One field both devices changed to different values: the record holds
 * theirs (the server's) until the user picks.
 * @typedef {{field: string, mine: unknown, theirs: unknown}} FieldConflict
 */

/**
 * The live part of the sync status: a sync running (with its progress
 * during a full sync), how the last one ended, since when the server has
 * not answered, and what the last one did (how long it took, records pulled
 * and pushed, whether it was a full sync).
 * @typedef {{running: boolean, full: boolean, done: number, total: number, lastError: {code: string, message: string} | null, offlineSince: string | null,
 *   lastRun: {ms: number, pulled: number, pushed: number, full: boolean} | null}} LiveStatus
 */

/**
 * What the options page shows of sync. state: signed-out (no account),
 * locked (an account, but the browser restarted: sign in to unlock),
 * session-ended (the server ended the session: sign in again), ready.
 * pending: the outbox's size.
 * @typedef {{
 *   account: {server: string, email: string} | null,
 *   state: "signed-out" | "locked" | "session-ended" | "ready",
 *   pending: number, lastSyncAt: string | null,
 *   conflicts: {id: string, kind: "person" | "filing", name: string, fields: FieldConflict[]}[],
 *   problems: {id: string, code: string}[],
 *   live: LiveStatus
 * }} SyncStatus
 */

/** @typedef {{ok: true, value: unknown} | {ok: false, code: string, message: string}} Envelope */

/**
 * The options page's key-derivation Worker (pages/options/kdf-worker.js):
 * argon2id runs there, off the page's thread, and the derived keys come back.
 * In: an account's parameters and salt, or the published parameters with
 * saltBytes (a new salt is drawn). Out: progress messages by phase, then the
 * keys with the parameters used and how long the derivation took (ms), or
 * the error.
 * @typedef {{password: string, kdf: {alg: string, memoryKiB: number, iterations: number, parallelism: number, salt?: string}, saltBytes?: number}} KdfRequest
 * @typedef {{progress: {phase: string, step: number, steps: number}}
 *   | {keys: DerivedKeys, kdf: import("../wasm/vault/heyan-vault").AccountKdf, ms: number}
 *   | {error: {code: string, message: string, messages: Record<string, string> | null}}} KdfReply
 */
