// The contract between the Go core compiled to WebAssembly (wasm/main.go) and
// the extension's JavaScript. Field names match the `heyan` command's --json
// output exactly. Every text-producing method takes an optional trailing `lang`
// ("zh-CN", the default, or "en").
//
// Loading: scripts/build-wasm writes dist/wasm/{heyan-core.wasm, wasm_exec.js,
// heyan-core.js, heyan-core.d.ts}. Load wasm_exec.js, then heyan-core.js, then
// call loadHeyanCore(urlOrBytes): the promise resolves with the core once Go's
// main has registered every method. The core is also left at
// globalThis.heyanCore, and globalThis.heyanCoreOnReady (if set) is called with
// it. In Node: require both files and pass the .wasm bytes.
//
// Errors: a wrong argument count or type throws an Error whose message names
// the method and what it expected ("heyanCore.checkId: expected (value:
// string, docType?: string, province?: string, lang?: string), got 0
// arguments"). A panic inside a call is recovered and thrown as an Error; later
// calls keep working. Bad *content* (an unknown platform, a malformed event)
// throws an Error whose message says what was wrong. Every thrown Error has a
// `code` (HeyanCoreErrorCode): a core error code passed through unchanged
// (CoreErrorCode, the list of core/errors.go ErrorCodes), "usage" for a wrong
// call, or "internal". Bad user input to the check* methods is not an error:
// it is reported in `problems`.

export type Lang = "zh-CN" | "en";
export type Severity = "success" | "info" | "warning" | "error";

/**
 * One known message found in page text, in order of appearance: which
 * knowledge entry it is. Its explanation is DiagnoseResult.explanations[id].
 */
export interface Match {
  id: string;
  /** The MIIT validStatus this message stands for, or null. */
  status: number | null;
}

/** A matched entry explained in the requested language. */
export interface MatchExplanation {
  id: string;
  /** The entry's validStatus, or null: the same as its matches'. */
  status: number | null;
  severity: Severity;
  title: string;
  cause: string;
  steps: string[];
}

export interface DiagnoseResult {
  /** Every known message, in order of appearance. */
  matches: Match[];
  /**
   * The explanation of each entry the matches refer to, once, keyed by its
   * ID: a page quoting one message a hundred times carries it once.
   */
  explanations: Record<string, MatchExplanation>;
}

export type Platform = "douyin-miniapp" | "website" | "app";
export type Role = "principal" | "app-owner" | "service-owner";

export interface Verifier {
  role: Role;
  /** The role as the filing platform names it, e.g. 主办单位负责人. */
  title: string;
  /** Which phone number to type. */
  phone: string;
  /** Which ID-document last 6 to type. */
  idSuffix: string;
  /** Where the filed values can be looked up. */
  whereToFind: string;
}

export interface WhoResult {
  platform: Platform;
  scenario: string;
  /** The scenario in words, in the requested language. */
  scenarioName: string;
  verifiers: Verifier[];
  /** General rules that apply: one code for a shared phone, never the emergency number. */
  notes: string[];
  /** Where the rule comes from (guide section or vendor). */
  source: string;
}

/** Where a yes or no answer leads: another question or a scenario. */
export interface Answer {
  next?: string;
  scenario?: string;
}

export interface Question {
  id: string;
  text: string;
  yes: Answer;
  no: Answer;
}

export interface QuestionsResult {
  platform: Platform;
  /** The first question is questions[0]. */
  questions: Question[];
}

export interface Problem {
  code: string;
  message: string;
}

/**
 * The problems that leave a value valid (a notice to show, not an error):
 * a phone prefix outside the guide's table, and a resident ID's lower-case x
 * read as the upper-case X the MIIT site wants (say so when the user typed it).
 */
export type NoticeCode = "phone-prefix-unsupported" | "id-x-upper";

export interface CheckResult {
  /** False when a problem makes the value wrong; a NoticeCode alone keeps it valid. */
  valid: boolean;
  normalized: string;
  problems: Problem[];
}

export interface PhoneCheckResult extends CheckResult {
  /** The 3-digit prefix is in the guide's table of prefixes that receive MIIT SMS. */
  supported: boolean;
}

export type DocType = "resident-id" | "hk-macau-permit" | "passport" | "other";

export type EventType = "sms-received" | "verify-result" | "resend-result";

export interface TrackEvent {
  type: EventType;
  /** validStatus for verify-result and resend-result. */
  status?: number;
  /** RFC 3339 time. */
  at: string;
}

export type TrackState =
  | "awaiting-sms"
  | "pending"
  | "waiting-others"
  | "complete"
  | "returned"
  | "expired";

export interface TrackResult {
  state: TrackState;
  attemptsUsed: number;
  attemptsLeft: number;
  resendsUsed: number;
  resendsLeft: number;
  /** RFC 3339, or null before the SMS has arrived. */
  deadline: string | null;
  /** Knowledge-base ID of the advice to show next. */
  advice: string;
  /** Plain warnings, e.g. code "next-try-returns-filing" when no tries are left. */
  warnings: Problem[];
}

export interface KBEntry {
  id: string;
  kind: "result" | "form" | "platform" | "faq" | "advice";
  severity: Severity;
  status: number | null;
  consumesTry: boolean;
  /** The exact text the site shows, or "" for a topic. */
  text: string;
  title: string;
  cause: string;
  steps: string[];
  links: { label: string; url: string }[];
  source: string;
}

/** The limits of one round of verification (one SMS from the filing platform). */
export interface Limits {
  /** Wrong entries allowed; the next try returns the filing (5). */
  tries: number;
  /** Resends on the MIIT site (2). */
  resends: number;
  /** Hours from the SMS to the deadline (24). */
  windowHours: number;
  /** Hours before the deadline from which track() warns deadline-soon (2). */
  deadlineSoonHours: number;
  /** Hours after which the Douyin console's 管局审核中 is a delayed update (24, Douyin guide §6.6). */
  statusLagHours: number;
  /** Hours after such a delay to look at the status again (6). */
  statusRecheckHours: number;
}

/** What a tracker state means for a round. */
export interface StateRule {
  id: TrackState;
  /** The round is over (complete, returned, expired): answers no longer count, the deadline no longer runs. Open states are the others. */
  closed: boolean;
  /** Only a new SMS from the filing platform starts the next round (returned, expired). */
  needsNewSms: boolean;
}

/** The tracker state an answer moves the round to. */
export type AnswerState = "complete" | "waiting-others" | "returned";

/** One answer the site gives to a form. */
export interface AnswerRule {
  /** The knowledge entry whose text the page shows (kb(id) explains it). */
  id: string;
  /** Its validStatus. */
  status: number;
  /** It uses one of the tries. */
  consumesTry: boolean;
  /** The state the round moves to, or null when it stays open. */
  state: AnswerState | null;
  /** A resend answer: "sent" used one of the resends, "limit" says none are left; else null. */
  resend: "sent" | "limit" | null;
}

/**
 * How the page and the tracker read one form's answers. For a validStatus s
 * answered to this form: if s is in answers, the page shows that answer and
 * track() accepts it (as an event of type `event`); if s is another form's
 * answer, the page shows otherShownAs and track() refuses it; if s is no
 * form's answer, the page shows otherShownAs and track() accepts it only
 * when unknownRecorded (it then counts as otherShownAs's answer).
 */
export interface FormRule {
  event: "verify-result" | "resend-result";
  answers: AnswerRule[];
  /** The entry the page shows for any other validStatus (the text of 0). */
  otherShownAs: string;
  unknownRecorded: boolean;
}

/** A role and what it is called. */
export interface RoleTitle {
  id: Role;
  title: string;
}

/** A filing platform: its name, what it calls each of its roles, its scenarios. */
export interface PlatformRule {
  id: Platform;
  name: string;
  roles: RoleTitle[];
  scenarios: { id: string; name: string }[];
}

/**
 * The rules a page needs to draw counts, labels and results without asking
 * for each: the same data the core's tracker and `who` use. Cheap: call it
 * once at start (each language's answer is built once).
 */
export interface Rules {
  limits: Limits;
  /** Every tracker state, in the order a round goes through them. */
  states: StateRule[];
  /** The answers of the verify form (短信核验) and of the resend form (短信重发). */
  forms: { verify: FormRule; resend: FormRule };
  /** Each role's title where no platform is known (a saved person's role), in the order to offer them. */
  roles: RoleTitle[];
  /** The platforms, in the order to offer them. */
  platforms: PlatformRule[];
}

export interface HeyanCore {
  version: string;
  diagnose(text: string, lang?: Lang): DiagnoseResult;
  who(platform: string, scenario: string, lang?: Lang): WhoResult;
  questions(platform: string, lang?: Lang): QuestionsResult;
  checkPhone(value: string, lang?: Lang): PhoneCheckResult;
  checkId(value: string, docType?: string, province?: string, lang?: Lang): CheckResult;
  checkCode(value: string, lang?: Lang): CheckResult;
  track(events: TrackEvent[], nowISO: string, lang?: Lang): TrackResult;
  kb(id: string, lang?: Lang): KBEntry;
  rules(lang?: Lang): Rules;
}

/** The codes of the core's errors (core/errors.go, ErrorCodes), passed through unchanged. */
export type CoreErrorCode = "unknown-platform" | "unknown-scenario" | "unknown-entry" | "unknown-doc-type" | "unknown-lang" | "bad-event" | "bad-time";

/** Every code a heyanCore Error has: a core code, "usage" for a wrong call, "internal" for a panic. */
export type HeyanCoreErrorCode = CoreErrorCode | "usage" | "internal";

/** Thrown by every heyanCore method on a wrong call or bad content. */
export interface HeyanCoreError extends Error {
  code: HeyanCoreErrorCode;
}

export type CoreSource = string | URL | BufferSource | WebAssembly.Module | Response | Promise<Response>;

declare global {
  var heyanCore: HeyanCore | undefined;
  var heyanCoreOnReady: ((core: HeyanCore) => void) | undefined;
  /** Defined by heyan-core.js. */
  function loadHeyanCore(source: CoreSource): Promise<HeyanCore>;
}
