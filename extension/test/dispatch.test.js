// The worker's one switch: messages about stored records are answered while
// the core is loading (or when it failed to), a failed load is tried again
// by the next message that needs the core, and refusals carry their codes.
import "./fake-chrome.js";
import test from "node:test";
import assert from "node:assert/strict";
import { core as realCore } from "./core.js";

let loads = 0;
/** @type {() => Promise<any>} */
let nextLoad = () => Promise.reject(new Error("no core here"));
globalThis.loadHeyanCore = () => {
  loads++;
  return nextLoad();
};
const { handleMessage, isExtensionPage } = await import("../background/dispatch.js");

const person = {
  name: "A",
  role: "principal",
  phone: "13800138000",
  docType: "resident-id",
  province: "",
  idLast6: "150012",
  filing: "小程序",
};

test("while the core loads, and after it failed to, the messages about stored records are answered", async () => {
  /** @type {(err: Error) => void} */
  let fail = () => {
    // set by the load under test
  };
  nextLoad = () =>
    new Promise((_, reject) => {
      fail = reject;
    });
  const view = handleMessage({ type: "view", phone: "13800138000", idLast6: "", lang: "zh-CN" }, 1);
  assert.equal(loads, 1, "the view started the core");
  assert.deepEqual(await handleMessage({ type: "people" }, undefined), [], "answered while the core loads");
  assert.equal(await handleMessage({ type: "select-person", id: "nobody" }, 1), null);
  fail(new Error("no core here"));
  await assert.rejects(view, (err) => err.code === "core-unavailable" && /tried again/.test(err.message));
  assert.deepEqual(await handleMessage({ type: "people" }, undefined), [], "answered after the core failed");
  // The next message that needs the core loads it again; one that loads is kept.
  nextLoad = () => Promise.resolve(realCore);
  const saved = await handleMessage({ type: "save-person", person, lang: "zh-CN" }, undefined);
  assert.equal(loads, 2);
  assert.equal(saved.saved.name, "A");
  await handleMessage({ type: "rounds", lang: "zh-CN" }, undefined);
  assert.equal(loads, 2);
  const [p] = await handleMessage({ type: "people" }, undefined);
  assert.deepEqual(await handleMessage({ type: "fill-values", id: p.id }, undefined), {
    phone: "13800138000",
    idLast6: "150012",
  });
});

test("refusals carry their codes: unknown message, not found, rate limited, a bad core method", async () => {
  await assert.rejects(
    handleMessage(/** @type {any} */ ({ type: "nonsense" }), undefined),
    (err) => err.code === "bad-message",
  );
  await assert.rejects(
    handleMessage({ type: "delete-person", id: "nobody" }, undefined),
    (err) => err.code === "not-found",
  );
  await assert.rejects(
    handleMessage({ type: "clear-round", id: "nothing" }, undefined),
    (err) => err.code === "not-found",
  );
  await assert.rejects(
    handleMessage(/** @type {any} */ ({ type: "core-call", method: "track", args: [] }), 7),
    (err) => err.code === "bad-message",
  );
  await assert.rejects(
    handleMessage({ type: "set-sms-time", phone: "12", at: null, lang: "en" }, 7),
    (err) => err.code === "bad-input",
  );
  const tab = 99;
  for (let i = 0; i < 20; i++)
    await handleMessage({ type: "save-person", person: { ...person, name: "" }, lang: "en" }, tab);
  await assert.rejects(
    handleMessage({ type: "save-person", person, lang: "en" }, tab),
    (err) => err.code === "rate-limited",
  );
});

test("the extension's own pages are told from content scripts by their address", () => {
  assert.equal(isExtensionPage({ id: "ext", url: "chrome-extension://ext/pages/popup/popup.html" }), true);
  assert.equal(
    isExtensionPage({
      id: "ext",
      url: "https://beian.miit.gov.cn/#/Integrated/ComplaintA",
      tab: /** @type {any} */ ({ id: 1 }),
    }),
    false,
  );
  assert.equal(isExtensionPage({ id: "ext", url: "https://beian.miit.gov.cn/chrome-extension://ext/" }), false);
});
