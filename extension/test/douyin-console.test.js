// The Douyin console hints: the text detector over a table of console texts
// (the statuses beside their labels, the rejection message with its colon
// and spacing variants, and texts that must find nothing), the hint each
// reading gives, robustness against any text, and the worker registering
// the console's content script as its permission comes and goes.
import "./fake-chrome.js";
import test from "node:test";
import assert from "node:assert/strict";
import { core, rules } from "./core.js";
import {
  CONSOLE_STATUSES,
  REJECTION_ID,
  REVIEW_LATE_ID,
  consoleHint,
  parseBeijingTime,
  readConsole,
} from "../content/douyin/status-text.js";

/** The real core's detector, as the content script calls it. */
const find = (text) => core.diagnose(text, "zh-CN").matches.map((m) => m.id);
const NOW = Date.UTC(2026, 10, 30, 2, 0, 0); // 2026-11-30 10:00 Beijing time
const LAG = rules.limits.statusLagHours;

const cases = [
  // name, texts, want status ID, want rejection, want hint ID
  [
    "status and label in one text",
    ["基础设置", "备案信息", "备案状态：审核未通过"],
    "douyin-status-returned",
    false,
    "douyin-status-returned",
  ],
  [
    "label and status side by side",
    ["备案状态", "审核未通过"],
    "douyin-status-returned",
    false,
    "douyin-status-returned",
  ],
  [
    "ASCII colon, spaces",
    ["备案状态 :  管局审核失败"],
    "douyin-status-authority-failed",
    false,
    "douyin-status-authority-failed",
  ],
  [
    "status with more after it",
    ["审核状态：", "审核未通过（查看原因）"],
    "douyin-status-returned",
    false,
    "douyin-status-returned",
  ],
  [
    "rejection, ASCII colon",
    ["备案状态：审核未通过", "驳回原因：工信部短信核验失败:短信验证未通过"],
    "douyin-status-returned",
    true,
    REJECTION_ID,
  ],
  [
    "rejection, full-width colon",
    ["备案状态：审核未通过", "驳回原因：工信部短信核验失败：短信验证未通过"],
    "douyin-status-returned",
    true,
    REJECTION_ID,
  ],
  [
    "rejection with spaces and a full stop",
    ["驳回原因", "工信部短信核验失败 ： 短信验证 未通过。"],
    null,
    true,
    REJECTION_ID,
  ],
  ["rejection split over two texts", ["工信部短信核验失败", "：短信验证未通过"], null, true, REJECTION_ID],
  [
    "under review, submitted 2 days ago",
    ["备案状态：管局审核中", "提交时间：2026-11-28 09:00:00"],
    "douyin-status-review",
    false,
    REVIEW_LATE_ID,
  ],
  [
    "under review, submitted 25 hours ago (label apart)",
    ["备案状态", "管局审核中", "提交时间", "2026/11/29 09:00"],
    "douyin-status-review",
    false,
    REVIEW_LATE_ID,
  ],
  [
    "under review, submitted 3 hours ago",
    ["备案状态：管局审核中", "提交时间：2026-11-30 07:00:00"],
    "douyin-status-review",
    false,
    "douyin-status-review",
  ],
  [
    "under review, Chinese date",
    ["备案状态：管局审核中", "提交时间：2026年11月30日 08时30分"],
    "douyin-status-review",
    false,
    "douyin-status-review",
  ],
  ["under review, no submit time", ["当前状态：管局审核中"], "douyin-status-review", false, "douyin-status-review"],
  // Negatives: statuses not beside a label, topics, other statuses.
  ["the progress line alone", ["平台初审", "工信部短信核验", "管局审核中", "审核未通过"], null, false, null],
  [
    "help text naming the status",
    ["等待抖音开放平台的备案状态更新为“审核未通过”，然后点击重新发送短信"],
    null,
    false,
    null,
  ],
  ["a filter with its options", ["审核状态：全部", "审核未通过", "管局审核中"], null, false, null],
  ["another status", ["备案状态：备案成功"], null, false, null],
  ["a heading that names the topic", ["工信部短信核验失败"], null, false, null],
  ["nothing", [], null, false, null],
];

for (const [name, texts, status, rejection, hint] of cases) {
  test(`the console detector: ${name}`, async () => {
    const r = await readConsole(texts, find);
    assert.equal(r.status ? r.status.id : null, status, `status of ${JSON.stringify(texts)}`);
    assert.equal(!!r.rejection, rejection, `rejection in ${JSON.stringify(texts)}`);
    const h = consoleHint(r, NOW, LAG);
    assert.equal(h ? h.id : null, hint, `hint for ${JSON.stringify(texts)}`);
    if (h) {
      assert.ok(h.index >= 0 && h.index < texts.length, "the card's anchor is one of the texts");
      assert.ok(h.quote, "the card quotes the site");
    }
  });
}

test("the rejection is found in the text it ends in", async () => {
  const texts = [
    "抖音开放平台",
    "备案状态：审核未通过",
    "驳回原因：工信部短信核验失败:短信验证未通过",
    "操作：重新发送短信",
  ];
  const r = await readConsole(texts, find);
  assert.equal(r.rejection.index, 2);
  assert.equal(r.rejection.quote, texts[2]);
});

test("every status and hint the detector gives is a knowledge entry with advice in both languages", () => {
  for (const id of [...CONSOLE_STATUSES.map((s) => s.id), REJECTION_ID, REVIEW_LATE_ID]) {
    for (const lang of ["zh-CN", "en"]) {
      const e = core.kb(id, lang);
      assert.ok(e.title && e.cause && e.steps.length, `${id} (${lang})`);
    }
  }
  // The advice the guide gives for each: resend on the platform, or wait 6 hours.
  assert.match(core.kb(REJECTION_ID, "zh-CN").steps.join(""), /重新发送短信/);
  assert.match(core.kb("douyin-status-returned", "zh-CN").steps.join(""), /重新发送短信/);
  assert.match(core.kb(REVIEW_LATE_ID, "zh-CN").steps.join(""), new RegExp(`${rules.limits.statusRecheckHours} 小时`));
});

test("the lag is the core's: exactly statusLagHours after the submit time is late", () => {
  const submitted = parseBeijingTime("2026-11-29 10:00:00");
  assert.equal(submitted, Date.UTC(2026, 10, 29, 2, 0, 0));
  const reading = {
    status: { id: "douyin-status-review", index: 0, quote: "管局审核中" },
    submittedAt: submitted,
    submittedQuote: "",
    rejection: null,
  };
  assert.equal(consoleHint(reading, submitted + LAG * 3600e3 - 1, LAG).id, "douyin-status-review");
  assert.equal(consoleHint(reading, submitted + LAG * 3600e3, LAG).id, REVIEW_LATE_ID);
});

test("parseBeijingTime refuses what is no date", () => {
  for (const s of [
    "2026-02-31 10:00",
    "2026-13-01 10:00",
    "2026-11-30 24:00",
    "2026-11-30",
    "",
    "提交时间",
    null,
    42,
  ]) {
    assert.equal(parseBeijingTime(/** @type {any} */ (s)), null, String(s));
  }
});

test("the detector never throws, whatever the text", async () => {
  // Random strings built from the console's own characters, punctuation,
  // digits, odd code points (lone surrogates, NUL, emoji) and labels.
  const pieces = [
    "备案状态",
    "状态",
    "：",
    ":",
    "审核未通过",
    "管局审核中",
    "管局审核失败",
    "提交时间",
    "2026-11-29",
    " 10:00",
    "工信部短信核验失败",
    "短信验证未通过",
    "\u0000",
    "\ud800",
    "\udfff",
    "😀",
    "\u200b",
    "\u3000",
    "年",
    "月",
    "日",
    "9",
    "99999",
  ];
  let seed = 1;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 500; round++) {
    const texts = Array.from({ length: rand(8) }, () =>
      Array.from({ length: rand(6) }, () => pieces[rand(pieces.length)]).join(""),
    );
    const r = await readConsole(texts, find);
    consoleHint(r, NOW, LAG);
  }
  // Not an array, not strings: nothing found, nothing thrown.
  for (const bad of [null, undefined, "备案状态：审核未通过", [null, 1, {}], [undefined]]) {
    const r = await readConsole(/** @type {any} */ (bad), find);
    assert.equal(consoleHint(r, NOW, LAG), null);
  }
});

test("the worker registers the console's script while the permission is granted, starts it in the open console, and stops the open consoles when it goes", async () => {
  const granted = new Set();
  const registered = new Map();
  const told = [];
  const injected = [];
  Object.assign(globalThis.chrome, {
    permissions: {
      contains: async ({ origins }) => origins.every((o) => granted.has(o)),
    },
    scripting: {
      getRegisteredContentScripts: async ({ ids }) =>
        ids.filter((id) => registered.has(id)).map((id) => registered.get(id)),
      registerContentScripts: async (scripts) => {
        for (const s of scripts) {
          if (registered.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
          registered.set(s.id, s);
        }
      },
      unregisterContentScripts: async ({ ids }) => {
        for (const id of ids) registered.delete(id);
      },
      executeScript: async ({ target, files }) => {
        injected.push([target.tabId, files]);
        return [];
      },
    },
    tabs: {
      // By address only the console's tab (tab 1) matches, and only once granted.
      query: async (q) =>
        q.url ? (q.url.every((o) => granted.has(o)) ? [{ id: 1 }] : []) : [{ id: 1 }, { id: 2 }, {}],
      sendMessage: async (id, msg) => {
        told.push([id, msg]);
        if (id === 2) throw new Error("Receiving end does not exist.");
      },
    },
  });
  const { DOUYIN_CONSOLE_ORIGINS, DOUYIN_CONSOLE_SCRIPT } = await import("../douyin-console.js");
  const { syncDouyinConsoleScript, douyinConsoleRevoked } = await import("../background/douyin-console.js");

  assert.equal(await syncDouyinConsoleScript(), false);
  assert.equal(registered.size, 0, "nothing registered without the permission");

  for (const o of DOUYIN_CONSOLE_ORIGINS) granted.add(o);
  // The worker's start and onAdded at once: one registration, no duplicate-ID error.
  const both = await Promise.all([syncDouyinConsoleScript(), syncDouyinConsoleScript()]);
  assert.deepEqual(both, [true, true]);
  const script = registered.get(DOUYIN_CONSOLE_SCRIPT.id);
  assert.ok(script, "registered once granted");
  assert.deepEqual(script.matches, DOUYIN_CONSOLE_ORIGINS);
  assert.deepEqual(script.js, ["content/douyin.js"]);
  assert.equal(told.length, 0, "no tab is told anything while the feature is on");
  assert.deepEqual(injected, [[1, ["content/douyin.js"]]], "the console tab already open gets the script once");
  await syncDouyinConsoleScript();
  assert.equal(injected.length, 1, "a worker start with the script registered injects nothing again");

  granted.clear();
  await douyinConsoleRevoked();
  assert.equal(registered.size, 0, "unregistered once the permission went");
  assert.deepEqual(told, [
    [1, { type: "site-off", site: "douyin-console" }],
    [2, { type: "site-off", site: "douyin-console" }],
  ]);
});

test("scripts/bundle builds the file the worker registers", async () => {
  const { DOUYIN_CONSOLE_SCRIPT } = await import("../douyin-console.js");
  const fs = await import("node:fs");
  const bundle = fs.readFileSync(new URL("../../scripts/bundle/main.go", import.meta.url), "utf8");
  for (const f of DOUYIN_CONSOLE_SCRIPT.js)
    assert.ok(bundle.includes(`"${f}"}`), `${f} is not among scripts/bundle's outputs`);
});
