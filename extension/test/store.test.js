// The stored state: changes from two tabs at once take turns, a change that
// fails stores nothing, and the per-tab choice of person.
import "./fake-chrome.js";
import test from "node:test";
import assert from "node:assert/strict";
import { readState, updateState, STATE_KEY } from "../background/store.js";
import { recordResult, roundFor } from "../background/rounds.js";
import { forgetSelections, selectIn, selectedIn } from "../background/selection.js";
import { rules } from "./core.js";

test("changes from two tabs at once are applied one after the other: nothing is lost", async () => {
  delete chrome.storage.local.data[STATE_KEY];
  const phones = ["13800138000", "13800138001"];
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      updateState(async (st) => {
        const r = roundFor(
          st,
          { filingId: "", personId: "", phone: phones[i % 2] },
          "2026-05-01T08:00:00Z",
          "2026-05-01T08:00:00Z",
        );
        await new Promise((res) => setTimeout(res, Math.random() * 3)); // the change itself awaits
        recordResult(
          rules,
          r,
          "verify",
          2,
          new Date(Date.parse("2026-05-01T09:00:00Z") + i * 1000).toISOString(),
          false,
        );
      }),
    ),
  );
  const state = await readState();
  for (const p of phones) {
    const r = Object.values(state.rounds).find((x) => x.phone === p);
    assert.equal(r.events.filter((e) => e.type === "verify-result").length, 10, p);
  }
});

test("a change that fails stores nothing and does not stop the next", async () => {
  delete chrome.storage.local.data[STATE_KEY];
  await updateState((st) => {
    st.people.a = /** @type {any} */ ({ id: "a" });
  });
  await assert.rejects(
    updateState((st) => {
      st.people.b = /** @type {any} */ ({ id: "b" });
      throw new Error("boom");
    }),
    /boom/,
  );
  await updateState((st) => {
    st.people.c = /** @type {any} */ ({ id: "c" });
  });
  assert.deepEqual(Object.keys((await readState()).people), ["a", "c"]);
});

test("the chosen person is per tab, and forgotten with the tab or the person", async () => {
  await Promise.all([selectIn(1, "a"), selectIn(2, "b"), selectIn(3, "a")]);
  assert.deepEqual(
    await Promise.all([selectedIn(1), selectedIn(2), selectedIn(3), selectedIn(4), selectedIn(undefined)]),
    ["a", "b", "a", "", ""],
  );
  await forgetSelections({ tabId: 2 });
  await forgetSelections({ personId: "a" });
  assert.deepEqual(await Promise.all([selectedIn(1), selectedIn(2), selectedIn(3)]), ["", "", ""]);
});
