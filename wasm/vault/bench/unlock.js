// Prints, as JSON, how long one fresh Node process takes to load the vault
// (read, compile, instantiate, Go's main: loadMs) and to unlock: deriveKeys
// at the published parameters (64 MiB, 3 passes, parallelism 4), first in
// the process (coldMs, what a user waits for) and then warmMs for each later
// call; then sealOpenUs, the median of a seal and an open of a person-sized
// record. Run by scripts/bench-vault; argument: how many warm calls
// (default 2).

const fs = require("node:fs");
const path = require("node:path");
const dist = path.resolve(__dirname, "..", "..", "..", "dist", "wasm");
require(path.join(dist, "wasm_exec.js"));
const { loadHeyanVault } = require(path.join(dist, "heyan-vault.js"));
const vectors = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "core", "vault", "testdata", "vectors.json"), "utf8"),
);
const v = vectors.keySchedule.find((k) => k.published);
const warmCalls = Number(process.argv[2] ?? 2);

(async () => {
  const t0 = performance.now();
  const vault = await loadHeyanVault(fs.readFileSync(path.join(dist, "heyan-vault.wasm")));
  const loadMs = performance.now() - t0;
  const times = [];
  for (let i = 0; i <= warmCalls; i++) {
    const t = performance.now();
    const keys = vault.deriveKeys(v.password, v.kdf);
    times.push(performance.now() - t);
    if (keys.authKey !== v.authKey) {
      throw new Error("deriveKeys does not give the vector's authKey");
    }
  }
  const memoryMiB = globalThis.__heyanVaultStats().memoryBytes / (1 << 20);
  const r = vectors.records[0];
  const at = { vaultKey: r.vaultKey, accountId: r.accountId, recordId: r.recordId };
  const sealOpen = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    const s = vault.seal({ ...at, plaintext: r.content, lastVersion: 0, now: r.version });
    vault.open({ ...at, data: s.data, lastVersion: 0 });
    sealOpen.push((performance.now() - t) * 1000);
  }
  sealOpen.sort((a, b) => a - b);
  console.log(
    JSON.stringify({ loadMs, coldMs: times[0], warmMs: times.slice(1), memoryMiB, sealOpenUs: sealOpen[150] }),
  );
})();
