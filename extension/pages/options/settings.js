// @ts-check
// 设置 / Settings: the language of every page and of the card (follow the
// browser, zh-CN, English), and switches for the card, the bar and the
// deadline reminders. Each change is saved at once; a new language redraws
// this page in it. The Douyin console hints' switch is no stored setting:
// it asks for the console's optional host permission and gives it back, and
// shows whether it is granted, however it was granted or taken away.

import { errorMessage } from "../../errors.js";
import { send } from "../../send.js";
import { DOUYIN_CONSOLE_ORIGINS, douyinConsoleGranted } from "../../douyin-console.js";
import { readSettings } from "../../settings.js";
import { el } from "../../ui/dom.js";
import { O } from "../../ui/i18n.js";

/** @typedef {import("../../settings.js").Settings} Settings */
/** @typedef {import("./options.js").OptionsPanel} OptionsPanel */
/** @typedef {import("./options.js").PageTools} PageTools */

/**
 * createSettingsPanel makes the panel.
 * @param {PageTools} tools
 * @param {() => void} onLanguage the language changed: redraw the page
 * @returns {OptionsPanel}
 */
export function createSettingsPanel(tools, onLanguage) {
  const language = el(
    "select",
    { attrs: { id: "setting-language", "data-setting": "language" } },
    Object.entries(O.languages).map(([v, label]) => el("option", { text: label, attrs: { value: v } })),
  );
  /** @param {"card" | "bar" | "reminders"} key */
  const toggle = (key) => el("input", { attrs: { type: "checkbox", id: `setting-${key}`, "data-setting": key } });
  const card = toggle("card");
  const bar = toggle("bar");
  const reminders = toggle("reminders");
  const note = el("p", { class: "muted", attrs: { role: "status" } });
  const douyin = el("input", {
    attrs: { type: "checkbox", id: "setting-douyin-console", "aria-describedby": "setting-douyin-console-hint" },
  });
  const douyinNote = el("p", { class: "muted", attrs: { id: "douyin-console-note", role: "status" } });

  /** @type {Settings | null} */
  let current = null;
  async function show() {
    current = await readSettings();
    language.value = current.language;
    card.checked = current.card;
    bar.checked = current.bar;
    reminders.checked = current.reminders;
    await showDouyin();
  }

  /** The switch shows the grant, whoever changed it. */
  async function showDouyin() {
    douyin.checked = await douyinConsoleGranted();
  }
  douyin.addEventListener("change", () => {
    const on = douyin.checked;
    // Asked for straight from the click's handler, with nothing awaited
    // first: the browser asks the user only during a user gesture (Firefox:
    // only synchronously inside the handler).
    const asked = on
      ? chrome.permissions.request({ origins: DOUYIN_CONSOLE_ORIGINS })
      : chrome.permissions.remove({ origins: DOUYIN_CONSOLE_ORIGINS });
    douyinNote.textContent = on ? O.douyinAsking : "";
    asked.then(
      async () => {
        await showDouyin();
        douyinNote.textContent = douyin.checked ? O.douyinOn : on ? O.douyinDenied : O.douyinOff;
      },
      async (err) => {
        console.warn("heyan: the Douyin console permission was not changed:", errorMessage(err));
        await showDouyin();
        douyinNote.textContent = douyin.checked ? O.douyinOn : O.douyinDenied;
      },
    );
  });
  // Taken away or granted elsewhere (the browser's extension settings).
  chrome.permissions.onAdded.addListener(showDouyin);
  chrome.permissions.onRemoved.addListener(showDouyin);

  async function saveAll() {
    const before = current;
    /** @type {Settings} */
    const next = {
      language: /** @type {Settings["language"]} */ (language.value),
      card: card.checked,
      bar: bar.checked,
      reminders: reminders.checked,
    };
    try {
      current = await send({ type: "put-settings", settings: next });
      note.textContent = O.saved;
      if (before && before.language !== current.language) onLanguage();
    } catch (err) {
      tools.report(err);
      await show();
    }
  }
  for (const c of [language, card, bar, reminders]) c.addEventListener("change", saveAll);

  /** @param {HTMLInputElement} box @param {string} label */
  const line = (box, label) =>
    el("div", { class: "setting" }, [box, el("label", { text: label, attrs: { for: box.id } })]);
  const element = el("div", { class: "settings-panel card" }, [
    el("div", { class: "setting" }, [el("label", { text: O.language, attrs: { for: language.id } }), language]),
    line(card, O.card),
    line(bar, O.bar),
    line(reminders, O.reminders),
    note,
    line(douyin, O.douyin),
    el("p", { class: "muted setting-hint", text: O.douyinHint, attrs: { id: "setting-douyin-console-hint" } }),
    douyinNote,
  ]);
  return { element, show };
}
