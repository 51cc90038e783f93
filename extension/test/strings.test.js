// Every UI string in both languages: the string tables of the shared UI, the
// popup and the options page, the error sentences and _locales have the
// same keys in zh-CN and English, each with something in it.
import "./fake-chrome.js";
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { TEXT_TABLES } from "../ui/i18n.js";
import { POPUP_TABLES } from "../pages/popup/text.js";
import { OPTIONS_TABLES } from "../pages/options/text.js";
import { SAID } from "../ui/errors.js";
import { ERROR_CODES, VAULT_CODES } from "../messages.js";

/** The keys of a table, nested ones as a.b, with whether each has text. */
function keys(table, prefix = "") {
  const out = [];
  for (const [k, v] of Object.entries(table)) {
    if (v && typeof v === "object") out.push(...keys(v, prefix + k + "."));
    else {
      out.push(prefix + k);
      // A function gives its text for sample arguments (a count, a name, a list).
      const text = typeof v === "function" ? [[1, 2, 3], ["甲", "1X", 3], [["a", "b"]], [true]].map((a) => { try { return v(...a); } catch { return ""; } }).find((x) => x) : v;
      assert.ok(typeof text === "string" && text.trim(), `${prefix}${k} is empty`);
    }
  }
  return out.sort();
}

test("the shared UI, the popup and the options page have every string in both languages", () => {
  for (const [name, tables] of Object.entries({ ui: TEXT_TABLES, popup: POPUP_TABLES, options: OPTIONS_TABLES })) {
    assert.deepEqual(keys(tables.en), keys(tables["zh-CN"]), name);
  }
});

test("every error code has its sentence in both languages", () => {
  const codes = [...Object.values(ERROR_CODES), ...VAULT_CODES].sort();
  for (const lang of ["zh-CN", "en"]) assert.deepEqual(Object.keys(SAID[lang]).sort(), codes, lang);
});

test("the manifest's strings (_locales) are in both languages", () => {
  const read = (l) => JSON.parse(fs.readFileSync(new URL(`../_locales/${l}/messages.json`, import.meta.url), "utf8"));
  const zh = read("zh_CN");
  const en = read("en");
  assert.deepEqual(Object.keys(en).sort(), Object.keys(zh).sort());
  const manifest = fs.readFileSync(new URL("../manifest.json", import.meta.url), "utf8");
  for (const m of manifest.matchAll(/__MSG_(\w+)__/g)) assert.ok(zh[m[1]] && en[m[1]], m[1]);
});
