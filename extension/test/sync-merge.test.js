// The three-way merge of sync and the outbox: pure functions, tested on
// their own (the browser tests run them against a real server).
import test from "node:test";
import assert from "node:assert/strict";
import { changedFrom, content, merge3 } from "../background/sync-merge.js";
import { outbox } from "../background/sync.js";

const person = (over = {}) => ({
  id: "p1",
  rev: 1,
  updatedAt: "2026-12-01T00:00:00.000Z",
  name: "测试甲",
  role: "principal",
  phone: "13800138000",
  docType: "resident-id",
  province: "",
  idLast6: "12345X",
  ...over,
});

test("a field changed on one side only takes that side's value, without a conflict", () => {
  const base = content("person", person());
  const mine = content("person", person({ idLast6: "15432X", rev: 2 }));
  const theirs = content("person", person({ phone: "13900139000", rev: 2 }));
  const { merged, conflicts } = merge3("person", base, mine, theirs);
  assert.equal(merged.idLast6, "15432X");
  assert.equal(merged.phone, "13900139000");
  assert.deepEqual(conflicts, []);
});

test("a field both sides changed differently keeps both: theirs in the record, mine in the conflict", () => {
  const base = content("person", person());
  const { merged, conflicts } = merge3(
    "person",
    base,
    content("person", person({ phone: "13700137000" })),
    content("person", person({ phone: "13900139000" })),
  );
  assert.equal(merged.phone, "13900139000");
  assert.deepEqual(conflicts, [{ field: "phone", mine: "13700137000", theirs: "13900139000" }]);
});

test("both sides making the same change is no conflict", () => {
  const base = content("person", person());
  const same = content("person", person({ name: "测试乙" }));
  assert.deepEqual(merge3("person", base, same, same).conflicts, []);
});

test("with no base, every differing field is a conflict", () => {
  const { conflicts } = merge3(
    "person",
    null,
    content("person", person({ role: "principal" })),
    content("person", person({ role: "site-owner" })),
  );
  assert.deepEqual(
    conflicts.map((c) => c.field),
    ["role"],
  );
});

test("a filing's people are one field, compared as a whole", () => {
  const f = (people) =>
    content("filing", {
      id: "f1",
      rev: 1,
      updatedAt: "2026-12-01T00:00:00.000Z",
      name: "小程序",
      platform: "douyin",
      scenario: "",
      people,
      smsAt: null,
      status: "",
    });
  const base = f([{ role: "principal", personId: "p1" }]);
  const mine = f([
    { role: "principal", personId: "p1" },
    { role: "site-owner", personId: "p2" },
  ]);
  const { merged, conflicts } = merge3("filing", base, mine, base);
  assert.deepEqual(merged.people, mine.people);
  assert.deepEqual(conflicts, []);
});

test("the newer updatedAt wins; a new revision alone is no change", () => {
  const base = content("person", person());
  assert.equal(
    changedFrom("person", base, content("person", person({ rev: 7, updatedAt: "2026-12-02T00:00:00.000Z" }))),
    false,
  );
  assert.equal(
    merge3("person", base, content("person", person({ updatedAt: "2026-12-03T00:00:00.000Z" })), base).merged.updatedAt,
    "2026-12-03T00:00:00.000Z",
  );
});

test("the outbox holds new and changed records and local deletes, not records as the server has them", () => {
  const p1 = person();
  const p2 = person({ id: "p2", name: "测试乙" });
  const state = {
    schema: 4,
    people: { p1, p2 },
    filings: {},
    rounds: {},
    sync: {
      accountId: "a",
      cursor: "3",
      records: {
        p1: { kind: "person", rev: 1, base: content("person", p1) },
        gone: { kind: "filing", rev: 2, base: {} },
      },
      seen: {},
      conflicts: {},
      problems: {},
      lastSyncAt: null,
    },
  };
  assert.deepEqual(outbox(state), [
    { id: "p2", kind: "person", op: "put" },
    { id: "gone", kind: "filing", op: "delete" },
  ]);
  state.people.p1 = { ...p1, phone: "13900139000" };
  assert.deepEqual(
    outbox(state).map((o) => o.id),
    ["p1", "p2", "gone"],
  );
});
