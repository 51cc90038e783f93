// @ts-check
// The user's settings, read by every context straight from
// chrome.storage.local (they hold nothing personal) and changed only by the
// service worker (put-settings). language: "auto" follows the browser.

import { LOCAL_KEYS } from "./storage-keys.js";

/** @typedef {"auto" | "zh-CN" | "en"} LanguageSetting */
/**
 * @typedef {{language: LanguageSetting, card: boolean, bar: boolean, reminders: boolean}} Settings
 * card: the explanation card on the MIIT page; bar: the assistant bar under
 * its forms; reminders: notifications before a filing's deadline.
 */

export const SETTINGS_KEY = LOCAL_KEYS.settings;

/** @type {Readonly<Settings>} */
export const DEFAULT_SETTINGS = Object.freeze({ language: "auto", card: true, bar: true, reminders: true });

const LANGUAGES = ["auto", "zh-CN", "en"];

/**
 * normalizeSettings reads stored (or sent) settings: anything missing or of
 * the wrong type takes its default.
 * @param {unknown} raw
 * @returns {Settings}
 */
export function normalizeSettings(raw) {
  const r = raw && typeof raw === "object" ? /** @type {Record<string, unknown>} */ (raw) : {};
  const bool = (/** @type {keyof Settings} */ k) =>
    typeof r[k] === "boolean" ? /** @type {boolean} */ (r[k]) : /** @type {boolean} */ (DEFAULT_SETTINGS[k]);
  return {
    language: LANGUAGES.includes(/** @type {string} */ (r.language))
      ? /** @type {LanguageSetting} */ (r.language)
      : DEFAULT_SETTINGS.language,
    card: bool("card"),
    bar: bool("bar"),
    reminders: bool("reminders"),
  };
}

/**
 * readSettings gives the stored settings.
 * @returns {Promise<Settings>}
 */
export async function readSettings() {
  const got = await chrome.storage.local.get(SETTINGS_KEY);
  return normalizeSettings(got[SETTINGS_KEY]);
}

/**
 * browserLanguage is the language the browser's UI asks for: Chinese, else English.
 * @returns {"zh-CN" | "en"}
 */
export function browserLanguage() {
  return (chrome.i18n.getUILanguage() || "").toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

/**
 * languageOf is the language the settings choose.
 * @param {Settings} s
 * @returns {"zh-CN" | "en"}
 */
export function languageOf(s) {
  return s.language === "auto" ? browserLanguage() : s.language;
}
