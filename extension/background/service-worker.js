// @ts-check
// The service worker owns the state: saved people, filings and each round's
// tries and deadline. It also runs the core for pages whose CSP blocks
// WebAssembly in the content script. Listeners are registered synchronously
// at the top level, so a message that wakes the worker is not lost; each
// message is answered by the one switch in dispatch.js.

// The core's loader (Go's wasm_exec.js, then heyan-core.js): they define
// globalThis.Go and loadHeyanCore, which core.js uses when a message first
// needs the core.
import "../core/wasm_exec.js";
import "../core/heyan-core.js";
// The vault's loader (heyan-vault.js): loadHeyanVault, used by sync only.
import "../core/heyan-vault.js";
import { ERROR_CODES, EXTENSION_PAGE_ONLY } from "../messages.js";
import { STATE_KEY } from "../storage-keys.js";
import { errorCode, errorMessage } from "../errors.js";
import { SETTINGS_KEY } from "../settings.js";
import { readState } from "./store.js";
import { loadedRules, workerCore } from "./core.js";
import { REMINDER_PREFIX, armReminders, fireReminder, openFromReminder } from "./reminders.js";
import { forgetSelections } from "./selection.js";
import { forwardCommand } from "./commands.js";
import { countKept, handleMessage, isExtensionPage } from "./dispatch.js";
import { SYNC_ALARM, onUnlocked, outbox, syncNow, syncSoon } from "./sync.js";
import { onStateWritten } from "./store.js";
import { douyinConsoleRevoked, syncDouyinConsoleScript } from "./douyin-console.js";
import { touchesDouyinConsole } from "../douyin-console.js";

/** @typedef {import("../messages.js").Message} Message */
chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (sender.id !== chrome.runtime.id) return false;
  const msg = /** @type {Message} */ (message);
  if (!msg || typeof msg !== "object" || typeof msg.type !== "string") {
    reply({ ok: false, code: ERROR_CODES.badMessage, message: "heyan: a message must be an object with a type" });
    return false;
  }
  if (EXTENSION_PAGE_ONLY.has(msg.type) && !isExtensionPage(sender)) {
    reply({
      ok: false,
      code: ERROR_CODES.forbidden,
      message: `heyan: ${msg.type} is for the extension's own pages`,
    });
    return false;
  }
  // An extension page opened in a tab (the options page) is a page, not a
  // content script: it has no tab of its own for handleMessage.
  const tabId = isExtensionPage(sender) ? undefined : sender.tab?.id;
  handleMessage(msg, tabId).then(
    (value) => reply({ ok: true, value }),
    (err) => reply({ ok: false, code: errorCode(err), message: errorMessage(err) }),
  );
  return true; // the reply comes asynchronously
});

// A closed tab's choice of person is forgotten (no "tabs" permission needed
// for the event; it names the tab only).
chrome.tabs.onRemoved.addListener((tabId) => {
  forgetSelections({ tabId }).catch((err) =>
    console.warn("heyan: forgetting a closed tab's choice failed:", errorMessage(err)),
  );
});

// A shortcut from chrome://extensions/shortcuts (the manifest's "commands"):
// the fill happens in the MIIT tab's content script, so the worker only
// forwards it to the active tab.
chrome.commands.onCommand.addListener((command, tab) => {
  forwardCommand(command, tab?.id);
});

// The Douyin console hints follow their host permission: its content script
// is registered while it is granted, now (the grant may have changed while
// the worker slept) and on every change.
chrome.permissions.onAdded.addListener((p) => {
  if (touchesDouyinConsole(p)) syncDouyinConsoleScript();
});
// A browser start wakes the worker for this listener (registered at the top
// level, so the browser knows it before the worker runs): a registration
// that did not outlive the last session is made again before a console page
// loads.
chrome.runtime.onStartup.addListener(() => {
  syncDouyinConsoleScript();
});
chrome.permissions.onRemoved.addListener((p) => {
  if (touchesDouyinConsole(p)) douyinConsoleRevoked();
});
syncDouyinConsoleScript();

/**
 * The worker's parts the browser tests (and a developer at
 * chrome://extensions → service worker) look at. The worker's global scope
 * is the extension's own: no page can reach it.
 */
Object.assign(globalThis, {
  heyanWorker: {
    readState,
    handleMessage,
    isExtensionPage,
    forwardCommand,
    EXTENSION_PAGE_ONLY,
    syncNow,
    syncDouyinConsoleScript,
    // The reminders, driven by the tests with a clock of their own.
    armReminders: async (/** @type {number} */ nowMs) => {
      const { core, rules } = await remindersReady();
      return armReminders(core, rules, await readState(), nowMs);
    },
    fireReminder: async (/** @type {string} */ name, /** @type {number} */ nowMs) => {
      const { core, rules } = await remindersReady();
      return fireReminder(core, rules, await readState(), name, nowMs);
    },
  },
});

// Reminders before a filing's deadline: armed from the stored records now
// (a browser restart, an extension update), again whenever they or the
// settings change, and shown when an alarm comes.
chrome.alarms.onAlarm.addListener((alarm) => {
  if (!alarm.name.startsWith(REMINDER_PREFIX)) return;
  remindersReady()
    .then(({ core, rules }) => readState().then((state) => fireReminder(core, rules, state, alarm.name, Date.now())))
    .catch((err) => console.warn("heyan: a reminder was not shown:", errorMessage(err)));
});
chrome.notifications.onClicked.addListener((id) => openFromReminder(id));

// Sync: a local change of a person or a filing goes out a moment later; the
// alarm pulls other devices' changes and retries after the server was
// unreachable (signed in only; sync.js keeps what failed in its status).
onStateWritten((state) => {
  if (outbox(state).length) syncSoon();
});
// The MIIT page's answers that came while the data was locked are counted
// once the user unlocks it.
onUnlocked(() =>
  countKept().catch((err) => console.warn("heyan: answers kept while locked were not counted:", errorMessage(err))),
);
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== SYNC_ALARM && alarm.name !== `${SYNC_ALARM}-retry`) return;
  syncNow().catch((err) => console.warn("heyan: sync:", errorCode(err)));
});

/** @type {ReturnType<typeof setTimeout> | undefined} */
let armTimer;
/** Arms the reminders a moment after the last of a burst of changes. */
function armSoon() {
  clearTimeout(armTimer);
  armTimer = setTimeout(() => {
    readState()
      .then(async (state) => {
        // Nothing to remind of: our alarms go, and the core need not load.
        if (!Object.values(state.rounds).some((r) => r.filingId)) {
          for (const a of await chrome.alarms.getAll())
            if (a.name.startsWith(REMINDER_PREFIX)) await chrome.alarms.clear(a.name);
          return;
        }
        const { core, rules } = await remindersReady();
        await armReminders(core, rules, state, Date.now());
      })
      .catch((err) => console.warn("heyan: reminders were not armed:", errorMessage(err)));
  }, 300);
}
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && (changes[STATE_KEY] || changes[SETTINGS_KEY])) armSoon();
});
armSoon();

/** The core and its rules, for the reminders. */
async function remindersReady() {
  const core = await workerCore();
  return { core, rules: /** @type {import("../rules.js").Rules} */ (loadedRules()) };
}
