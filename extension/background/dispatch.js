// @ts-check
// The one switch of the service worker: each message of the closed
// vocabulary (messages.js) is one case, which calls into the feature modules
// beside this file. Messages about stored records alone are answered without
// waiting for the core.

import { CORE_METHODS, ERROR_CODES, WITHOUT_CORE } from "../messages.js";
import { ExtensionError } from "../errors.js";
import { loadedRules, workerCore } from "./core.js";
import { isLocked, readState, readStateOrLocked, updateState } from "./store.js";
import { keepWhileLocked, takeKept } from "./locked.js";
import { deletePerson, ownerOf, personRecord, personView, putPerson, savePerson, validatePerson } from "./people.js";
import { putFiling, validateFiling } from "./filings.js";
import { applyImport, checkImport, exportFile } from "./exchange.js";
import { restore, stash, take } from "./undo.js";
import { SETTINGS_KEY, normalizeSettings } from "../settings.js";
import {
  adoptRounds,
  clearRound,
  filingRoundTime,
  filingViews,
  findRound,
  noteStatus,
  noteVerified,
  pruneRounds,
  recordResult,
  roundFor,
  roundOwnerFor,
  roundViews,
  setSmsTime,
  smsTime,
  startNewRound,
  trackOf,
} from "./rounds.js";
import { answerTo, needsNewSms } from "../rules.js";
import { barView } from "./bar-view.js";
import { forgetSelections, selectIn, selectedIn } from "./selection.js";
import {
  changePassword,
  deleteAccount,
  kdfFor,
  register,
  resolve,
  signIn,
  signOut,
  syncNow,
  syncStatus,
} from "./sync.js";

/** @typedef {import("../messages.js").Message} Message */
/** @typedef {import("../messages.js").Lang} Lang */
/** @typedef {import("../messages.js").HeyanCore} HeyanCore */

/**
 * isExtensionPage tells whether a message comes from one of the extension's
 * own pages (the popup, in its bubble or opened in a tab) rather than from a
 * content script on the MIIT page.
 * @param {chrome.runtime.MessageSender} sender
 */
export function isExtensionPage(sender) {
  return typeof sender.url === "string" && sender.url.startsWith(chrome.runtime.getURL(""));
}

/**
 * text is a message's string field, refused when missing (or empty, unless
 * empty is allowed).
 * @param {unknown} v
 * @param {string} name
 * @param {boolean} [emptyOk]
 */
function text(v, name, emptyOk = false) {
  if (typeof v !== "string" || (!emptyOk && !v.trim()))
    throw new ExtensionError(ERROR_CODES.badInput, `heyan: ${name} is missing`);
  return v;
}

/**
 * keysOf checks the keys a page derived.
 * @param {unknown} k
 * @returns {{authKey: string, wrapKey: string}}
 */
function keysOf(k) {
  const keys = /** @type {any} */ (k);
  if (!keys || typeof keys.authKey !== "string" || typeof keys.wrapKey !== "string")
    throw new ExtensionError(ERROR_CODES.badMessage, "heyan: the derived keys are missing");
  return { authKey: keys.authKey, wrapKey: keys.wrapKey };
}

/** @param {Lang} lang */
function langOf(lang) {
  return lang === "en" ? "en" : "zh-CN";
}

/**
 * How often a tab may ask for each change of stored state, per minute. A
 * person gets one answer per 提交 (the site locks the button for 3 seconds,
 * and a captcha comes first); a page script dispatching fake results or
 * fake SMS times in a loop is cut off well before it can fill storage.
 * @type {Partial<Record<Message["type"], number>>}
 */
const PER_MINUTE = { "record-result": 20, "set-sms-time": 10, "save-person": 20 };

/** @type {Map<string, number[]>} */
const recentChanges = new Map();

/**
 * allowChange tells whether one more change of this type from this tab fits
 * in its rate limit, and counts it.
 * @param {Message["type"]} type
 * @param {number | undefined} tabId undefined for the extension's own pages (not limited)
 * @param {number} nowMs
 */
function allowChange(type, tabId, nowMs) {
  const limit = PER_MINUTE[type];
  if (!limit || tabId === undefined) return true;
  const key = `${type}:${tabId}`;
  const recent = (recentChanges.get(key) || []).filter((t) => nowMs - t < 60000);
  const ok = recent.length < limit;
  if (ok) recent.push(nowMs);
  recentChanges.set(key, recent);
  return ok;
}

/**
 * handleMessage answers one message of the closed vocabulary in messages.js.
 * @param {Message} msg
 * @param {number | undefined} tabId the sending tab (a content script), or undefined (an extension page)
 * @returns {Promise<unknown>}
 */
export async function handleMessage(msg, tabId) {
  const now = new Date().toISOString();
  if (!allowChange(msg.type, tabId, Date.parse(now))) {
    throw new ExtensionError(
      ERROR_CODES.rateLimited,
      `heyan: too many ${msg.type} messages from this tab; wait a minute`,
    );
  }
  // Messages about stored records alone do not wait for the core.
  const core = WITHOUT_CORE.has(msg.type)
    ? /** @type {HeyanCore} */ (/** @type {unknown} */ (null))
    : await workerCore();
  // The core's rules: loaded with it (null while a message that does not wait
  // for the core is answered before it loaded).
  const rules = /** @type {import("../rules.js").Rules} */ (loadedRules());
  switch (msg.type) {
    case "core-call": {
      const fn = /** @type {(...args: unknown[]) => unknown} */ (core[msg.method]);
      if (!CORE_METHODS.has(msg.method) || typeof fn !== "function") {
        throw new ExtensionError(ERROR_CODES.badMessage, `heyan: no core method ${String(msg.method)}`);
      }
      return fn.apply(core, Array.isArray(msg.args) ? msg.args : []);
    }
    case "view": {
      const { state, locked } = await readStateOrLocked();
      return barView(
        core,
        state,
        msg.phone,
        msg.idLast6,
        langOf(msg.lang),
        await selectedIn(tabId),
        now,
        rules,
        locked,
      );
    }
    case "record-result": {
      // The form's phone may be empty or wrong (the page's own check may not
      // have run, or a script set it): without a valid one there is no round
      // to count the answer in. An answer the tracker would refuse (an odd
      // resend code) is explained on the page but counted nowhere.
      const phone = core.checkPhone(String(msg.phone || ""));
      if (!phone.valid || !answerTo(rules, msg.kind, msg.status).counts)
        return { round: "", track: null, approx: false };
      const selected = await selectedIn(tabId);
      if (!(await isLocked())) return recordAnswer(core, rules, msg, phone.normalized, selected, now);
      // Locked: kept until the user unlocks, then counted with this time.
      await keepWhileLocked({ msg, selected, at: now });
      return { round: "", track: null, approx: false, locked: true };
    }
    case "set-sms-time": {
      const checked = core.checkPhone(String(msg.phone || ""));
      if (!checked.valid)
        throw new ExtensionError(ERROR_CODES.badInput, "heyan: set-sms-time needs the valid phone typed in the form");
      const at =
        msg.at && !Number.isNaN(Date.parse(msg.at)) && Date.parse(msg.at) <= Date.parse(now)
          ? new Date(msg.at).toISOString()
          : null;
      const selected = await selectedIn(tabId);
      await updateState((state) => {
        pruneRounds(core, state, now, rules);
        const owner = roundOwnerFor(state, checked.normalized, selected, rules);
        const r = findRound(state, owner);
        if (r && needsNewSms(rules, trackOf(core, r.events, now, "zh-CN"))) startNewRound(state, r, at || now, now);
        else setSmsTime(state, roundFor(state, owner, at || now, now), at, now);
      });
      return barView(core, await readState(), msg.phone, "", langOf(msg.lang), selected, now, rules);
    }
    case "save-person": {
      const lang = langOf(msg.lang);
      const id = String(msg.id || "");
      const { person, filing, problems } = validatePerson(core, msg.person || /** @type {any} */ ({}), lang);
      if (!person) return { saved: null, problems };
      if (tabId === undefined) {
        // An extension page: add (id "") or change one by ID; a twin (the
        // same phone and role as another saved person) is refused.
        return updateState((state) => {
          const r = putPerson(state, id, person, now, lang);
          if (!r.saved) return { saved: null, problems: r.problems };
          adoptRounds(state, r.saved, now, rules);
          return { saved: personRecord(state, r.saved, rules), problems: [] };
        });
      }
      // The MIIT page's bar: it knows no IDs, so it adds, or updates the
      // person saved with this phone and role; puts them in the filing
      // named; and chooses them in that tab only.
      if (id) {
        throw new ExtensionError(
          ERROR_CODES.forbidden,
          "heyan: only the extension's pages change a saved person by ID",
        );
      }
      const view = await updateState((state) => {
        const saved = savePerson(state, person, filing, now);
        // The answers already counted for the phone (or, now that the person
        // is in a filing, for the person alone) move into the round they
        // belong to: saving never resets the counts.
        adoptRounds(state, saved, now, rules);
        return personView(state, saved, rules);
      });
      await selectIn(tabId, view.id);
      return { saved: view, problems: [] };
    }
    case "select-person": {
      const state = await readState();
      await selectIn(tabId, state.people[msg.id] ? msg.id : "");
      return null;
    }
    case "fill-values": {
      const p = (await readState()).people[msg.id];
      return p ? { phone: p.phone, idLast6: p.idLast6 } : null;
    }
    case "people": {
      const state = await readState();
      return Object.values(state.people).map((p) => personRecord(state, p, loadedRules()));
    }
    case "delete-person": {
      const removed = await updateState((state) => {
        const p = state.people[msg.id];
        if (!p) return null;
        // The tries counted for the person alone go with them; a filing's
        // round stays: it is the filing's, not the person's. Undo brings
        // back all of it.
        const rounds = Object.values(state.rounds).filter((r) => !r.filingId && r.personId === p.id);
        const memberships = Object.values(state.filings).flatMap((f) =>
          f.people.filter((m) => m.personId === p.id).map((m) => ({ filingId: f.id, ...m })),
        );
        for (const r of rounds) delete state.rounds[r.id];
        deletePerson(state, p.id, now);
        return { people: [structuredClone(p)], filings: [], rounds: structuredClone(rounds), memberships };
      });
      if (!removed)
        throw new ExtensionError(ERROR_CODES.notFound, "heyan: no saved person with that ID (deleted elsewhere?)");
      await forgetSelections({ personId: msg.id });
      return { undo: await stash(removed, Date.parse(now)) };
    }
    case "delete-filing": {
      const removed = await updateState((state) => {
        const f = state.filings[msg.id];
        if (!f) return null;
        const rounds = Object.values(state.rounds).filter((r) => r.filingId === f.id);
        for (const r of rounds) delete state.rounds[r.id];
        delete state.filings[f.id];
        return { people: [], filings: [structuredClone(f)], rounds: structuredClone(rounds), memberships: [] };
      });
      if (!removed) throw new ExtensionError(ERROR_CODES.notFound, "heyan: no such filing (deleted elsewhere?)");
      return { undo: await stash(removed, Date.parse(now)) };
    }
    case "undo-delete": {
      const removed = await take(String(msg.token || ""), Date.parse(now));
      await updateState((state) => restore(state, removed, now));
      return null;
    }
    case "reveal-phone": {
      const p = (await readState()).people[msg.id];
      if (!p)
        throw new ExtensionError(ERROR_CODES.notFound, "heyan: no saved person with that ID (deleted elsewhere?)");
      return { phone: p.phone };
    }
    case "filings":
      return filingViews(core, await readState(), now, langOf(msg.lang));
    case "put-filing": {
      const lang = langOf(msg.lang);
      return updateState((state) => {
        const { filing, problems } = validateFiling(
          rules,
          state,
          String(msg.id || ""),
          msg.filing || /** @type {any} */ ({}),
          now,
          lang,
        );
        if (!filing) return { saved: null, problems };
        const saved = putFiling(state, String(msg.id || ""), filing, now);
        if (!saved) {
          return {
            saved: null,
            problems: [
              {
                code: ERROR_CODES.notFound,
                field: "",
                message:
                  lang === "en"
                    ? "This filing is gone (deleted elsewhere?)."
                    : "这个备案已经不在了（可能在别处删除了）。",
              },
            ],
          };
        }
        // The SMS time is where the deadline counts from: the filing's round
        // takes it (made when needed).
        const r = findRound(state, { filingId: saved.id, personId: "", phone: "" });
        if (filing.smsAt && (!r || smsTime(r) !== filing.smsAt)) filingRoundTime(state, saved.id, filing.smsAt, now);
        const [view] = filingViews(core, { ...state, filings: { [saved.id]: saved } }, now, lang);
        return { saved: view, problems: [] };
      });
    }
    case "export":
      return exportFile(await readState(), now);
    case "import-plan":
      return checkImport(core, rules, await readState(), msg.text, now, langOf(msg.lang)).plan;
    case "import-apply":
      // Checked again against the state as it is when written: all of it,
      // or (a problem found now) nothing.
      return updateState((state) => {
        const checked = checkImport(core, rules, state, msg.text, now, langOf(msg.lang));
        applyImport(state, checked, now);
        return checked.plan;
      });
    case "sync-status":
      return syncStatus();
    case "sync-kdf":
      return kdfFor(text(msg.server, "server"), text(msg.email, "email", true));
    case "sync-register":
      return register(text(msg.server, "server"), text(msg.email, "email"), keysOf(msg.keys), msg.kdf);
    case "sync-sign-in":
      return signIn(text(msg.server, "server"), text(msg.email, "email"), keysOf(msg.keys));
    case "sync-sign-out":
      return signOut(msg.keep === true);
    case "sync-now":
      await syncNow();
      return syncStatus();
    case "sync-change-password":
      return changePassword(keysOf(msg.current), keysOf(msg.next), msg.newKdf);
    case "sync-delete-account":
      return deleteAccount(keysOf(msg.keys));
    case "sync-resolve":
      if (msg.pick !== "mine" && msg.pick !== "theirs")
        throw new ExtensionError(ERROR_CODES.badMessage, "heyan: sync-resolve: pick must be mine or theirs");
      return resolve(text(msg.id, "id"), text(msg.field, "field"), msg.pick);
    case "put-settings": {
      const settings = normalizeSettings(msg.settings);
      await chrome.storage.local.set({ [SETTINGS_KEY]: settings });
      return settings;
    }
    case "rounds":
      return roundViews(core, await readState(), now, langOf(msg.lang));
    case "clear-round": {
      const found = await updateState((state) => clearRound(state, msg.id));
      if (!found) throw new ExtensionError(ERROR_CODES.notFound, "heyan: no such record (cleared elsewhere?)");
      return null;
    }
    default:
      throw new ExtensionError(
        ERROR_CODES.badMessage,
        `heyan: unknown message ${String(/** @type {{type?: unknown}} */ (msg).type)}`,
      );
  }
}

/**
 * recordAnswer counts one answer of the site in its round: the round of the
 * person chosen in the tab when the phone is theirs, else of the phone's
 * owner, else of the phone.
 * @param {HeyanCore} core
 * @param {import("../rules.js").Rules} rules
 * @param {import("../messages.js").RecordResultMessage} msg
 * @param {string} phone normalized
 * @param {string} selected the person chosen in the tab, or ""
 * @param {string} now when the answer came (RFC 3339)
 */
function recordAnswer(core, rules, msg, phone, selected, now) {
  const lang = langOf(msg.lang);
  return updateState((state) => {
    pruneRounds(core, state, now, rules);
    const owner = roundOwnerFor(state, phone, selected, rules);
    const existing = findRound(state, owner);
    const before = existing && JSON.stringify(existing);
    const r = existing || roundFor(state, owner, now, now);
    // Sent again after the worker went away before replying: the answer
    // was stored then (its ID with it) and is not counted twice.
    recordResult(rules, r, msg.kind, msg.status, now, msg.source === "text", msg.answerId);
    const track = trackOf(core, r.events, now, lang);
    if (!track) {
      // Never leave a round unreadable because of one answer: it stays
      // as it was (or is not started).
      if (before) state.rounds[r.id] = JSON.parse(before);
      else delete state.rounds[r.id];
      return { round: "", track: null, approx: false };
    }
    noteStatus(state, r, track, now);
    // Whose own verification the site just confirmed: a reminder names
    // the others.
    const answer = rules.forms[msg.kind].answers.find((a) => a.status === msg.status);
    const who = ownerOf(state, phone, selected, rules);
    if (answer && (answer.state === "waiting-others" || answer.state === "complete") && who) noteVerified(r, who.id);
    return { round: r.id, track, approx: !!r.fromText };
  });
}

/**
 * countKept counts the answers that came while the data was locked, now that
 * it is unlocked, each with the time it came.
 */
export async function countKept() {
  const kept = await takeKept();
  if (!kept.length) return;
  const core = await workerCore();
  const rules = /** @type {import("../rules.js").Rules} */ (loadedRules());
  for (const k of kept) {
    const phone = core.checkPhone(String(k.msg.phone || ""));
    if (phone.valid) await recordAnswer(core, rules, k.msg, phone.normalized, k.selected, k.at);
  }
}
