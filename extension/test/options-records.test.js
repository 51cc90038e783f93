// What the options page asks of the worker: people added or changed by ID
// (never a twin of phone and role), filings checked field by field, and a
// delete undone.
import "./fake-chrome.js";
import test from "node:test";
import assert from "node:assert/strict";
import { core } from "./core.js";

globalThis.loadHeyanCore = async () => core;
const { handleMessage } = await import("../background/dispatch.js");
const page = undefined; // an extension page: no tab
const person = (over = {}) => ({
  name: "测试甲",
  role: "principal",
  phone: "13800138000",
  docType: "resident-id",
  province: "",
  idLast6: "150012",
  filing: "",
  ...over,
});

test("a person is added, changed by ID, and a twin of phone and role is refused beside the phone", async () => {
  const added = await handleMessage({ type: "save-person", id: "", person: person(), lang: "zh-CN" }, page);
  assert.deepEqual(added.problems, []);
  const id = added.saved.id;
  const changed = await handleMessage(
    { type: "save-person", id, person: person({ name: "测试甲乙" }), lang: "zh-CN" },
    page,
  );
  assert.equal(changed.saved.name, "测试甲乙");
  const twin = await handleMessage({ type: "save-person", id: "", person: person({ name: "别人" }), lang: "en" }, page);
  assert.equal(twin.saved, null);
  assert.deepEqual(
    twin.problems.map((p) => [p.code, p.field]),
    [["duplicate", "phone"]],
  );
  assert.match(twin.problems[0].message, /测试甲乙/);
  const bad = await handleMessage(
    { type: "save-person", id: "", person: person({ phone: "13800138009", idLast6: "1500" }), lang: "zh-CN" },
    page,
  );
  assert.equal(bad.saved, null);
  assert.deepEqual([...new Set(bad.problems.map((p) => p.field))], ["idLast6"]);
  const people = await handleMessage({ type: "people" }, page);
  assert.deepEqual(
    people.map((p) => p.name),
    ["测试甲乙"],
    "nothing half-saved",
  );
  assert.deepEqual(await handleMessage({ type: "reveal-phone", id }, page), { phone: "13800138000" });
});

test("a filing is checked field by field; its SMS time starts its round", async () => {
  const [a] = await handleMessage({ type: "people" }, page);
  const b = (
    await handleMessage(
      {
        type: "save-person",
        id: "",
        person: person({ name: "测试乙", role: "app-owner", phone: "13800138001", idLast6: "150013" }),
        lang: "zh-CN",
      },
      page,
    )
  ).saved;
  const filing = {
    name: "",
    platform: "douyin-miniapp",
    scenario: "nonsense",
    people: [{ role: "principal", personId: "nobody" }],
    smsAt: "2099-01-01T00:00:00Z",
  };
  const refused = await handleMessage({ type: "put-filing", id: "", filing, lang: "zh-CN" }, page);
  assert.equal(refused.saved, null);
  assert.deepEqual(refused.problems.map((p) => p.field).sort(), ["name", "people", "scenario", "smsAt"]);
  const smsAt = new Date(Date.now() - 3600e3).toISOString();
  const ok = await handleMessage(
    {
      type: "put-filing",
      id: "",
      filing: {
        name: "测试小程序",
        platform: "douyin-miniapp",
        scenario: "renamed",
        people: [
          { role: "principal", personId: a.id },
          { role: "app-owner", personId: b.id },
        ],
        smsAt,
      },
      lang: "zh-CN",
    },
    page,
  );
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(
    ok.saved.people.map((m) => [m.role, m.name]),
    [
      ["principal", "测试甲乙"],
      ["app-owner", "测试乙"],
    ],
  );
  assert.equal(ok.saved.track.state, "pending");
  assert.equal(Date.parse(ok.saved.track.deadline) - Date.parse(smsAt), 24 * 3600e3);
  const dup = await handleMessage(
    {
      type: "put-filing",
      id: "",
      filing: { name: "测试小程序", platform: "", scenario: "", people: [], smsAt: null },
      lang: "en",
    },
    page,
  );
  assert.deepEqual(
    dup.problems.map((p) => [p.code, p.field]),
    [["duplicate", "name"]],
  );
});

test("a deleted person comes back with undo, with their places in filings; a spent token is refused", async () => {
  const before = await handleMessage({ type: "filings", lang: "zh-CN" }, page);
  const b = (await handleMessage({ type: "people" }, page)).find((p) => p.name === "测试乙");
  const { undo } = await handleMessage({ type: "delete-person", id: b.id }, page);
  const after = await handleMessage({ type: "filings", lang: "zh-CN" }, page);
  assert.deepEqual(
    after[0].people.map((m) => m.name),
    ["测试甲乙"],
  );
  await handleMessage({ type: "undo-delete", token: undo }, page);
  const back = await handleMessage({ type: "filings", lang: "zh-CN" }, page);
  assert.deepEqual(back[0].people.map((m) => m.name).sort(), before[0].people.map((m) => m.name).sort());
  assert.ok((await handleMessage({ type: "people" }, page)).some((p) => p.id === b.id && p.name === "测试乙"));
  await assert.rejects(handleMessage({ type: "undo-delete", token: undo }, page), (err) => err.code === "undo-expired");
  // A filing, with its round.
  const { undo: u2 } = await handleMessage({ type: "delete-filing", id: back[0].id }, page);
  assert.deepEqual(await handleMessage({ type: "filings", lang: "zh-CN" }, page), []);
  await handleMessage({ type: "undo-delete", token: u2 }, page);
  const restored = await handleMessage({ type: "filings", lang: "zh-CN" }, page);
  assert.equal(restored[0].track.state, "pending");
});
