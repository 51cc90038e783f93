// Prints how long one fresh Node process takes from the .wasm's bytes to a
// ready program (compile, instantiate, Go's runtime and main), in ms:
//   node ready.js core FILE   heyan-core.js's loadHeyanCore, as the extension does
//   node ready.js bare FILE   a bare Go program that calls __bareReady from main
// Both read dist/wasm's wasm_exec.js; scripts/bench-core runs them in turn.

const fs = require("node:fs");
const path = require("node:path");
const dist = path.resolve(__dirname, "..", "..", "dist", "wasm");
const [mode, file] = process.argv.slice(2);
require(path.join(dist, "wasm_exec.js"));
const { loadHeyanCore } = require(path.join(dist, "heyan-core.js"));
const bytes = fs.readFileSync(file);
const t0 = performance.now();
const done = () => console.log((performance.now() - t0).toFixed(2));
if (mode === "bare") {
  const go = new globalThis.Go();
  globalThis.__bareReady = done;
  WebAssembly.instantiate(bytes, go.importObject).then((r) => go.run(r.instance));
} else {
  loadHeyanCore(bytes).then(done);
}
