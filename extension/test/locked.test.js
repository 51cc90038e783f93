// locked.js: the MIIT page's answers that come while the data is locked wait
// in session storage; two answers arriving at once must both be kept.
import test from "node:test";
import assert from "node:assert/strict";
import "./fake-chrome.js";

const { keepWhileLocked, takeKept } = await import("../background/locked.js");

/** @param {string} answerId */
function answer(answerId, at) {
  return {
    msg: {
      type: "record-result",
      phone: "13800138000",
      kind: "verify",
      status: 2,
      source: "network",
      answerId,
      lang: "zh-CN",
    },
    selected: "",
    at,
  };
}

test("answers kept at the same moment are all kept, once each, oldest first", async () => {
  const ids = Array.from({ length: 12 }, (_, i) => `a${i}`);
  await Promise.all(
    ids.map((id, i) => keepWhileLocked(answer(id, new Date(Date.UTC(2026, 4, 1, 9, i)).toISOString()))),
  );
  await keepWhileLocked(answer("a3", "2026-05-01T09:03:00.000Z")); // sent again after the worker went away
  const kept = await takeKept();
  assert.deepEqual(
    kept.map((k) => k.msg.answerId),
    ids,
  );
  assert.deepEqual(await takeKept(), [], "taken answers are forgotten");
});

test("an answer kept while others are being taken is not lost", async () => {
  await keepWhileLocked(answer("b0", "2026-05-01T10:00:00.000Z"));
  const [first] = await Promise.all([takeKept(), keepWhileLocked(answer("b1", "2026-05-01T10:01:00.000Z"))]);
  const second = await takeKept();
  assert.deepEqual([...first, ...second].map((k) => k.msg.answerId).sort(), ["b0", "b1"]);
});
