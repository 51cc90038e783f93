// @ts-check
// The service worker owns the state: saved people and each filing's tries and
// deadline. It also runs the core for pages whose CSP blocks WebAssembly in
// the content script. Listeners are registered synchronously at the top
// level, so a message that wakes the worker is not lost.

// Chrome and Edge run this file as a service worker and load its
// dependencies here; Firefox lists them before it in background.scripts.
if (typeof importScripts === "function") {
  importScripts("../core/wasm_exec.js", "../core/heyan-core.js", "../messages.js", "store.js", "people.js", "tracking.js", "selection.js");
}

/** The core starts with the worker; every handler awaits it. */
const coreReady = loadHeyanCore(chrome.runtime.getURL(CORE_WASM));
coreReady.catch((err) => console.error("heyan: the core did not start:", err && err.message));

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (sender.id !== chrome.runtime.id) return false;
  const msg = /** @type {Message} */ (message);
  if (EXTENSION_PAGE_ONLY.has(msg.type) && !isExtensionPage(sender)) {
    reply({ ok: false, error: "heyan: " + msg.type + " is for the extension's own pages" });
    return false;
  }
  handleMessage(msg, sender.tab ? sender.tab.id : undefined).then(
    (value) => reply({ ok: true, value }),
    (err) => reply({ ok: false, error: String((err && err.message) || err) }),
  );
  return true; // the reply comes asynchronously
});

// A closed tab's choice of person is forgotten (no "tabs" permission needed
// for the event; it names the tab only).
chrome.tabs.onRemoved.addListener((tabId) => { forgetSelections({ tabId }).catch(() => {}); });

// A shortcut from chrome://extensions/shortcuts (the manifest's "commands"):
// the fill happens in the MIIT tab's content script, so the worker only
// forwards it to the active tab. Tabs without our content script (any other
// site) have no receiver, and the message is dropped.
chrome.commands.onCommand.addListener((command, tab) => {
  forwardCommand(command, tab && tab.id);
});

/**
 * forwardCommand sends a manifest command to the content script of the tab
 * (the active tab of the current window when none is given). It needs no
 * "tabs" permission: it never reads the tab's address.
 * @param {string} command
 * @param {number} [tabId]
 * @returns {Promise<boolean>} whether a content script received it
 */
async function forwardCommand(command, tabId) {
  if (command !== "fill-person") return false;
  try {
    if (tabId === undefined) {
      const [active] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
      tabId = active && active.id;
    }
    if (tabId === undefined) return false;
    /** @type {PageMessage} */
    const msg = { type: "command", command };
    await chrome.tabs.sendMessage(tabId, msg);
    return true;
  } catch {
    return false; // not a MIIT tab: nobody listens there
  }
}

/**
 * isExtensionPage tells whether a message comes from one of the extension's
 * own pages (the popup, in its bubble or opened in a tab) rather than from a
 * content script on the MIIT page.
 * @param {chrome.runtime.MessageSender} sender
 */
function isExtensionPage(sender) {
  return typeof sender.url === "string" && sender.url.startsWith(chrome.runtime.getURL(""));
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
  const key = type + ":" + tabId;
  const recent = (recentChanges.get(key) || []).filter((t) => nowMs - t < 60000);
  const ok = recent.length < limit;
  if (ok) recent.push(nowMs);
  recentChanges.set(key, recent);
  return ok;
}

/**
 * handleMessage answers one message of the closed vocabulary in messages.js.
 * @param {Message} msg
 * @param {number | undefined} tabId the sending tab (a content script), or undefined (the popup)
 * @returns {Promise<unknown>}
 */
async function handleMessage(msg, tabId) {
  const core = await coreReady;
  const now = new Date().toISOString();
  if (!allowChange(msg.type, tabId, Date.parse(now))) throw new Error("heyan: too many " + msg.type + " messages from this tab");
  switch (msg.type) {
    case "core-call": {
      const fn = /** @type {(...args: unknown[]) => unknown} */ (core[msg.method]);
      if (!CORE_METHODS.has(msg.method) || typeof fn !== "function") {
        throw new Error("heyan: no core method " + msg.method);
      }
      return fn.apply(core, msg.args);
    }
    case "view":
      return buildView(core, msg.phone, msg.idLast6, langOf(msg.lang), await selectedIn(tabId), now);
    case "record-result": {
      // The form's phone may be empty or wrong (the page's own check may not
      // have run, or a script set it): without a valid one there is no round
      // to count the answer in. An answer the tracker would refuse (an odd
      // resend code) is explained on the page but counted nowhere.
      const phone = core.checkPhone(msg.phone || "");
      if (!phone.valid || !validResult(msg.kind, msg.status)) return { key: "", track: null, approx: false };
      const selected = await selectedIn(tabId);
      const lang = langOf(msg.lang);
      return updateState((state) => {
        pruneSeries(core, state, now);
        const key = seriesKey(state, phone.normalized, selected);
        const s = seriesFor(state, key, now);
        const before = { events: s.events.slice(), fromText: s.fromText, answerIds: s.answerIds };
        // Sent again after the worker went away before replying: the answer
        // was stored then (its ID with it) and is not counted twice.
        recordResult(s, msg.kind, msg.status, now, msg.source === "text", msg.answerId);
        try {
          return { key, track: core.track(s.events, now, lang), approx: !!s.fromText };
        } catch (err) {
          // Never leave a round unreadable because of one answer.
          console.warn("heyan: tracker refused an answer:", err instanceof Error ? err.message : err);
          s.events = before.events;
          s.fromText = before.fromText;
          s.answerIds = before.answerIds;
          if (!s.answerIds) delete s.answerIds;
          return { key, track: null, approx: false };
        }
      });
    }
    case "set-sms-time": {
      const checked = core.checkPhone(msg.phone || "");
      if (!checked.valid) throw new Error("heyan: set-sms-time needs a valid phone");
      const at = msg.at && !isNaN(Date.parse(msg.at)) && Date.parse(msg.at) <= Date.parse(now) ? new Date(msg.at).toISOString() : null;
      const selected = await selectedIn(tabId);
      await updateState((state) => {
        pruneSeries(core, state, now);
        const key = seriesKey(state, checked.normalized, selected);
        const s = state.series[key];
        if (s && isClosedRound(trackOrNull(core, s.events, now, "zh-CN"))) startNewRound(s, at || now);
        else setSmsTime(seriesFor(state, key, at || now), at);
      });
      return buildView(core, msg.phone, "", langOf(msg.lang), selected, now);
    }
    case "save-person": {
      const lang = langOf(msg.lang);
      const { person, problems } = validatePerson(core, msg.person, lang);
      if (!person) return { saved: null, problems };
      const saved = await updateState((state) => savePerson(state, person));
      // Saved from a tab's bar: chosen in that tab (only).
      await selectIn(tabId, saved.id);
      return { saved: personView(saved), problems: [] };
    }
    case "select-person": {
      const state = await readState();
      await selectIn(tabId, state.people.some((p) => p.id === msg.id) ? msg.id : "");
      return null;
    }
    case "fill-values": {
      const state = await readState();
      const p = state.people.find((x) => x.id === msg.id);
      return p ? { phone: p.phone, idLast6: p.idLast6 } : null;
    }
    case "people":
      return (await readState()).people.map(personRecord);
    case "delete-person":
      await updateState((state) => deletePerson(state, msg.id));
      await forgetSelections({ personId: msg.id });
      return null;
    case "rounds":
      return roundViews(core, await readState(), now, langOf(msg.lang));
    case "clear-round":
      return updateState((state) => (clearRound(state, msg.key), null));
    default:
      throw new Error("heyan: unknown message " + /** @type {{type?: string}} */ (msg).type);
  }
}

/**
 * trackOrNull runs the tracker, or gives null for a round it refuses (state
 * from a future version, say).
 * @param {HeyanCore} core
 * @param {import("../../wasm/heyan-core").TrackEvent[]} events
 * @param {string} now
 * @param {Lang} lang
 * @returns {TrackResult | null}
 */
function trackOrNull(core, events, now, lang) {
  try {
    return core.track(events, now, lang);
  } catch (err) {
    console.warn("heyan: tracker refused a round:", err instanceof Error ? err.message : err);
    return null;
  }
}

/**
 * buildView is the bar's view of what is typed: saved people and the one
 * chosen in this tab, the round of the typed phone (its counts as a fresh
 * round when nothing is stored for it yet: typing stores nothing), what to
 * ask about the SMS, and whether the typed ID last 6 matches none of the
 * saved people with that phone.
 * @param {HeyanCore} core
 * @param {string} phoneTyped
 * @param {string} idTyped
 * @param {Lang} lang
 * @param {string} tabSelected the person chosen in the tab, or ""
 * @param {string} now
 * @returns {Promise<View>}
 */
async function buildView(core, phoneTyped, idTyped, lang, tabSelected, now) {
  const phone = core.checkPhone(phoneTyped || "", lang);
  const state = await readState();
  const chosen = state.people.some((p) => p.id === tabSelected) ? tabSelected : "";
  const owner = phone.valid ? ownerOf(state, phone.normalized, chosen) : null;
  const key = phone.valid ? seriesKey(state, phone.normalized, chosen) : "";
  const s = key ? state.series[key] || null : null;
  /** @type {View["mismatch"]} */
  let mismatch = null;
  const same = phone.valid ? peopleByPhone(state, phone.normalized) : [];
  if (same.length && idTyped) {
    // Compared with each saved entry for the phone, by that entry's rules;
    // only a complete entry counts (a half-typed one is not a mismatch yet).
    const typedFor = (/** @type {Person} */ p) => core.checkId(idTyped, p.docType, p.province || "", lang).normalized || idTyped.trim().toUpperCase();
    const complete = same.every((p) => typedFor(p).length >= 6);
    if (complete && !same.some((p) => typedFor(p) === p.idLast6)) {
      mismatch = {
        who: same.map((p) => p.name).join("、"),
        tail: [...new Set(same.map((p) => p.idLast6.slice(-2)))].join("、"),
      };
    }
  }
  const track = key ? trackOrNull(core, s ? s.events : freshRound(now), now, lang) : null;
  /** @type {View["ask"]} */
  let ask = null;
  if (key && s && isClosedRound(track)) ask = "new-sms";
  else if (key && (!s || !s.smsAsked)) ask = "sms-time";
  return {
    people: state.people.map(personView),
    selected: chosen || (owner ? owner.id : ""),
    key,
    track,
    approx: !!(s && s.fromText),
    smsAt: s ? smsTime(s) : null,
    ask,
    owner: owner ? personView(owner) : null,
    mismatch,
  };
}
