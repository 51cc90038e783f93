// The type checks per context hold a content script to its own context: a
// deliberately wrong fixture (tools/typecheck-fixture/) that reaches into
// the service worker's state fails the content scripts' check, naming the
// worker file it reached.
import test from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const tools = fileURLToPath(new URL("../tools/", import.meta.url));
const tsc = (project) =>
  spawnSync(process.execPath, [`${tools}node_modules/typescript/bin/tsc`, "-p", project], {
    cwd: tools,
    encoding: "utf8",
  });

test("a content script calling worker-only code fails the content check", () => {
  const r = tsc("typecheck-fixture/tsconfig.json");
  assert.notEqual(r.status, 0, `the wrong fixture passed the check:\n${r.stdout}`);
  assert.match(
    r.stdout,
    /content-calls-worker\.js\(\d+,\d+\): error TS6307: File '[^']*\/background\/store\.js' is not listed/,
  );
});

test("the content scripts themselves pass their check", () => {
  const r = tsc("tsconfig.content.json");
  assert.equal(r.status, 0, r.stdout);
});
