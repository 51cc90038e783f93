// The real core (dist/wasm/heyan-core.wasm, built by scripts/build-wasm) in
// Node, for the worker's modules: they are tested against the rules and the
// tracker the extension ships, not a stand-in.
import fs from "node:fs";
import { createRequire } from "node:module";

const wasm = new URL("../../dist/wasm/", import.meta.url);
if (!fs.existsSync(new URL("heyan-core.wasm", wasm))) {
  throw new Error("dist/wasm/heyan-core.wasm is missing: run scripts/build-wasm (scripts/test-extension does)");
}
const require = createRequire(import.meta.url);
require(new URL("wasm_exec.js", wasm).pathname);
const { loadHeyanCore } = require(new URL("heyan-core.js", wasm).pathname);

/** @type {import("../../wasm/heyan-core").HeyanCore} */
export const core = await loadHeyanCore(fs.readFileSync(new URL("heyan-core.wasm", wasm)));
export const rules = core.rules("zh-CN");
