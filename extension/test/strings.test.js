// Every UI string in both languages: the string tables of the shared UI, the
// popup and the options page, the error sentences and _locales have the
// same keys in zh-CN and English, each with something in it.
import "./fake-chrome.js";
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { TEXT_TABLES } from "../ui/i18n.js";
import { SAID } from "../ui/errors.js";
import { ERROR_CODES, VAULT_CODES } from "../messages.js";

/** The keys of a table, nested ones as a.b, with whether each has text. */
function keys(table, prefix = "") {
  const out = [];
  for (const [k, v] of Object.entries(table)) {
    if (v && typeof v === "object") out.push(...keys(v, `${prefix + k}.`));
    else {
      out.push(prefix + k);
      // A function gives its text for sample arguments (a count, a name, a list).
      const text =
        typeof v === "function"
          ? [[1, 2, 3], ["甲", "1X", 3], [["a", "b"]], [true]]
              .map((a) => {
                try {
                  return v(...a);
                } catch {
                  return "";
                }
              })
              .find((x) => x)
          : v;
      assert.ok(typeof text === "string" && text.trim(), `${prefix}${k} is empty`);
    }
  }
  return out.sort();
}

test("the one text table of each language has every string the other has", () => {
  assert.deepEqual(keys(TEXT_TABLES.en), keys(TEXT_TABLES["zh-CN"]));
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

/** Every English string of a table, functions given sample arguments. */
function englishStrings(table) {
  const out = [];
  for (const v of Object.values(table)) {
    if (v && typeof v === "object") out.push(...englishStrings(v));
    else if (typeof v === "function")
      out.push(
        ...[[1, 2, 3], ["A", "1X", 3], [["a", "b"]], [true]].map((a) => {
          try {
            return String(v(...a));
          } catch {
            return "";
          }
        }),
      );
    else out.push(String(v));
  }
  return out;
}

/** The English strings of the popup, the options page, the shared UI and _locales. */
function uiEnglish() {
  const locales = JSON.parse(fs.readFileSync(new URL("../_locales/en/messages.json", import.meta.url), "utf8"));
  return [TEXT_TABLES.en, SAID.en].flatMap(englishStrings).concat(Object.values(locales).map((m) => m.message));
}

test("the UI names each role as the core's role titles do, and says the last 6 of the ID number", async () => {
  const { core } = await import("./core.js");
  const rules = core.rules("en");
  // The one source of the names: the core's role titles (verifiers.txt
  // role-title), without the Chinese in brackets; "Website/app owner" also
  // stands for "website owner" and "app owner".
  const names = new Set();
  for (const r of rules.roles) {
    const name = r.title.split(" (")[0].toLowerCase();
    names.add(name);
    const [head, ...rest] = name.split(" ");
    if (head.includes("/")) for (const part of head.split("/")) names.add([part, ...rest].join(" "));
  }
  assert.ok(names.has("principal") && names.has("mini-program owner"), [...names].join(", "));
  for (const p of rules.platforms)
    for (const r of p.roles) assert.ok(names.has(r.title.split(" (")[0].toLowerCase()), `${p.id} ${r.id}: ${r.title}`);
  const notAName = new Set([
    "the",
    "a",
    "an",
    "each",
    "every",
    "their",
    "its",
    "this",
    "that",
    "same",
    "and",
    "or",
    "to",
    "for",
    "of",
    "by",
    "as",
    "both",
  ]);
  const phrase = /([\w/-]+\s+)?\b(principal|owner)s?\b('s)?(\s+of\s+the\s+\w+)?/gi;
  for (const s of uiEnglish()) {
    assert.ok(!s.includes("ID last 6"), `"ID last 6" in ${JSON.stringify(s)}`);
    for (const m of s.matchAll(phrase)) {
      const prev = (m[1] || "").trim().toLowerCase();
      const head = m[2].toLowerCase();
      const ok =
        !m[4] && ((prev && names.has(`${prev} ${head}`)) || (names.has(head) && (!prev || notAName.has(prev))));
      assert.ok(ok, `${JSON.stringify(m[0])} is not a role's name (${[...names].join(", ")}): ${JSON.stringify(s)}`);
    }
  }
});

test("the mismatch warning never offers a try when none is left: the next submit returns the filing", () => {
  for (const lang of ["zh-CN", "en"]) {
    const T = TEXT_TABLES[lang];
    const none = T.mismatch("甲", "2X", 0);
    assert.match(none, lang === "en" ? /returns the filing/ : /退回/, `${lang}: ${none}`);
    assert.doesNotMatch(
      none,
      lang === "en" ? /\b0 tries left|uses one of/ : /还剩 0 次|用掉一次机会/,
      `${lang}: ${none}`,
    );
    const some = T.mismatch("甲", "2X", 2);
    assert.match(some, /2/, `${lang}: ${some}`);
    assert.doesNotMatch(some, lang === "en" ? /returns the filing/ : /退回/, `${lang}: ${some}`);
  }
});
