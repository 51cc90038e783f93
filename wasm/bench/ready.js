// Prints how long one fresh Node process takes from reading the .wasm to a
// ready heyanCore (compile + instantiate + Go's main), in milliseconds.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const dist = path.resolve(__dirname, "..", "..", "dist", "wasm");
require(path.join(dist, "wasm_exec.js"));
const { loadHeyanCore } = require(path.join(dist, "heyan-core.js"));
const bytes = fs.readFileSync(path.join(dist, "heyan-core.wasm"));
const t0 = performance.now();
loadHeyanCore(bytes).then(() => console.log((performance.now() - t0).toFixed(2)));
