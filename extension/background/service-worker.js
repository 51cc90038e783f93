// @ts-check
// The service worker owns the state: saved people and each filing's tries and
// deadline. It also runs the core for pages whose CSP blocks WebAssembly in
// the content script. Listeners are registered synchronously at the top
// level, so a message that wakes the worker is not lost.

// Chrome and Edge run this file as a service worker and load its
// dependencies here; Firefox lists them before it in background.scripts.
if (typeof importScripts === "function") {
  importScripts("../core/wasm_exec.js", "../core/heyan-core.js", "../messages.js", "store.js", "people.js", "tracking.js");
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
  handleMessage(msg).then(
    (value) => reply({ ok: true, value }),
    (err) => reply({ ok: false, error: String((err && err.message) || err) }),
  );
  return true; // the reply comes asynchronously
});

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
 * handleMessage answers one message of the closed vocabulary in messages.js.
 * @param {Message} msg
 * @returns {Promise<unknown>}
 */
async function handleMessage(msg) {
  const core = await coreReady;
  switch (msg.type) {
    case "core-call": {
      const fn = /** @type {(...args: unknown[]) => unknown} */ (core[msg.method]);
      if (!CORE_METHODS.has(msg.method) || typeof fn !== "function") {
        throw new Error("heyan: no core method " + msg.method);
      }
      return fn.apply(core, msg.args);
    }
    case "view":
      return buildView(core, msg.phone, msg.idLast6, langOf(msg.lang), new Date().toISOString());
    case "record-result": {
      // The form's phone may be empty or wrong (the page's own check may not
      // have run, or a script set it): without a valid one there is no round
      // to count the answer in.
      const phone = core.checkPhone(msg.phone || "");
      if (!phone.valid) return { key: "", track: null };
      const now = new Date().toISOString();
      return updateState((state) => {
        const key = seriesKey(state, phone.normalized);
        const s = seriesFor(state, key, now);
        recordResult(s, msg.kind, msg.status, msg.at || now);
        return { key, track: core.track(s.events, now, langOf(msg.lang)) };
      });
    }
    case "set-sms-time": {
      const checked = core.checkPhone(msg.phone || "");
      if (!checked.valid) throw new Error("heyan: set-sms-time needs a valid phone");
      const phone = checked.normalized;
      const now = new Date().toISOString();
      await updateState((state) => setSmsTime(seriesFor(state, seriesKey(state, phone), now), msg.at));
      return buildView(core, msg.phone, "", langOf(msg.lang), now);
    }
    case "save-person": {
      const lang = langOf(msg.lang);
      const { person, problems } = validatePerson(core, msg.person, lang);
      if (!person) return { saved: null, problems };
      const saved = await updateState((state) => savePerson(state, person));
      return { saved: personView(saved), problems: [] };
    }
    case "select-person":
      return updateState((state) => {
        state.selected = state.people.some((p) => p.id === msg.id) ? msg.id : "";
        return null;
      });
    case "fill-values": {
      const state = await readState();
      const p = state.people.find((x) => x.id === msg.id);
      return p ? { phone: p.phone, idLast6: p.idLast6 } : null;
    }
    case "people":
      return (await readState()).people.map(personRecord);
    case "delete-person":
      return updateState((state) => (deletePerson(state, msg.id), null));
    case "rounds":
      return roundViews(core, await readState(), new Date().toISOString(), langOf(msg.lang));
    case "clear-round":
      return updateState((state) => (clearRound(state, msg.key), null));
    default:
      throw new Error("heyan: unknown message " + /** @type {{type?: string}} */ (msg).type);
  }
}

/**
 * buildView is the bar's view of what is typed: saved people, the round of the
 * typed phone (started now if new), and whether the typed ID last 6 differs
 * from the saved person's with that phone.
 * @param {HeyanCore} core
 * @param {string} phoneTyped
 * @param {string} idTyped
 * @param {Lang} lang
 * @param {string} now
 * @returns {Promise<View>}
 */
async function buildView(core, phoneTyped, idTyped, lang, now) {
  const phone = core.checkPhone(phoneTyped || "", lang);
  let state = await readState();
  const key = phone.valid ? seriesKey(state, phone.normalized) : "";
  if (key && !state.series[key]) {
    state = await updateState((s) => (seriesFor(s, key, now), s));
  }
  const owner = phone.valid ? personByPhone(state, phone.normalized) : null;
  /** @type {View["mismatch"]} */
  let mismatch = null;
  if (owner && idTyped) {
    const id = core.checkId(idTyped, owner.docType, owner.province || "", lang);
    // Compare only a complete entry: a half-typed one is not a mismatch yet.
    const typed = id.normalized || idTyped.trim().toUpperCase();
    if (typed.length >= 6 && typed !== owner.idLast6) mismatch = { tail: owner.idLast6.slice(-2) };
  }
  const s = key ? state.series[key] : null;
  /** @type {TrackResult | null} */
  let track = null;
  try {
    track = s ? core.track(s.events, now, lang) : null;
  } catch (err) {
    // A round the core refuses (state from a future version, say): show the
    // bar without counts rather than no bar.
    console.warn("heyan: tracker refused a round:", err instanceof Error ? err.message : err);
  }
  return {
    people: state.people.map(personView),
    selected: state.selected,
    key,
    track,
    smsAt: s ? smsTime(s) : null,
    smsAsked: s ? s.smsAsked : true,
    owner: owner ? personView(owner) : null,
    mismatch,
  };
}
