// send.js: a message the worker could not answer because it went away is
// sent again; a refusal arrives as an error with the worker's code.
import test from "node:test";
import assert from "node:assert/strict";

const calls = [];
let failures = [];
let answer = (m) => ({ ok: true, value: `${m.type} answered` });
globalThis.chrome = {
  runtime: {
    id: "ext",
    sendMessage: async (m) => {
      calls.push(m.type);
      const f = failures.shift();
      if (f) throw new Error(f);
      return answer(m);
    },
  },
};
const { ERROR_CODES } = await import("../messages.js");
const { ExtensionError, errorCode } = await import("../errors.js");
const { randomId } = await import("../ids.js");
const { send, setSendErrorHandler } = await import("../send.js");

test("sent again when the worker went away in passing; given up after three more tries", async () => {
  failures = [
    "A listener indicated an asynchronous response by returning true, but the message channel closed before a response was received",
    "Could not establish connection. Receiving end does not exist.",
  ];
  assert.equal(await send({ type: "people" }), "people answered");
  assert.deepEqual(calls.splice(0), ["people", "people", "people"]);
  failures = Array(5).fill("Could not establish connection. Receiving end does not exist.");
  await assert.rejects(
    send({ type: "people" }),
    (err) => err.code === ERROR_CODES.workerUnreachable && /Receiving end/.test(err.message),
  );
  assert.deepEqual(calls.splice(0), ["people", "people", "people", "people"]);
});

test("not sent again when the extension itself is gone; told to the send-error handler", async () => {
  const told = [];
  setSendErrorHandler((e) => told.push(String(e.message)));
  failures = ["Extension context invalidated."];
  await assert.rejects(send({ type: "people" }), /context invalidated/);
  assert.deepEqual(calls.splice(0), ["people"]);
  chrome.runtime.id = undefined;
  failures = ["Could not establish connection. Receiving end does not exist."];
  await assert.rejects(send({ type: "people" }), (err) => err.code === ERROR_CODES.extensionGone);
  assert.deepEqual(calls.splice(0), ["people"]);
  assert.equal(told.length, 2);
  chrome.runtime.id = "ext";
});

test("a refusal is thrown with the worker's code and message; a missing reply is unreachable", async () => {
  answer = () => ({ ok: false, code: "not-found", message: "heyan: no such record" });
  await assert.rejects(
    send({ type: "clear-round", id: "x" }),
    (err) => err instanceof ExtensionError && err.code === "not-found" && err.message === "heyan: no such record",
  );
  answer = () => ({ ok: false, code: "bad-event", message: "第 1 个事件：…" });
  await assert.rejects(
    send({ type: "rounds", lang: "zh-CN" }),
    (err) => errorCode(err) === "bad-event",
    "a core code passes through",
  );
  answer = () => undefined;
  await assert.rejects(send({ type: "people" }), (err) => err.code === ERROR_CODES.workerUnreachable);
  calls.splice(0);
});

test("errorCode names any thrown value's code; random IDs are 128-bit hex", () => {
  assert.equal(errorCode(new Error("x")), "internal");
  assert.equal(errorCode("x"), "internal");
  assert.equal(errorCode(Object.assign(new Error("x"), { code: "usage" })), "usage");
  const ids = new Set(Array.from({ length: 100 }, randomId));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
});

test("every error code is listed once", () => {
  const codes = Object.values(ERROR_CODES);
  assert.equal(new Set(codes).size, codes.length);
  for (const c of codes) assert.match(c, /^[a-z]+(-[a-z]+)*$/);
});
