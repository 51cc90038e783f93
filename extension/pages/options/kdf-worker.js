// @ts-check
// A dedicated Worker of the options page that turns a password into the
// sync keys: argon2id at the server's parameters (about half a second at
// 64 MiB, more on a slow machine), then HKDF. It runs here so that neither
// the page nor the service worker (which answers the MIIT page) stops
// meanwhile; the page ends the Worker when it is done, which gives back the
// 67 MiB argon2id takes. In: {password, kdf} (an account's parameters and
// salt) or {password, kdf, saltBytes} (a new salt is drawn for the published
// parameters). Out: {progress} messages by phase, then {keys, kdf, ms} (ms: how long the derivation took) or
// {error: {code, messages}}.

import "../../core/wasm_exec.js";
import "../../core/heyan-vault.js";

self.addEventListener("message", async (ev) => {
  const { password, kdf, saltBytes } = ev.data || {};
  try {
    const vault = await loadHeyanVault(new URL("../../core/heyan-vault.wasm", import.meta.url).href);
    const params = saltBytes
      ? {
          alg: kdf.alg,
          memoryKiB: kdf.memoryKiB,
          iterations: kdf.iterations,
          parallelism: kdf.parallelism,
          salt: vault.newSalt(saltBytes),
        }
      : {
          alg: kdf.alg,
          memoryKiB: kdf.memoryKiB,
          iterations: kdf.iterations,
          parallelism: kdf.parallelism,
          salt: kdf.salt,
        };
    vault.checkKdf(params);
    const start = performance.now();
    const keys = vault.deriveKeys(String(password), params, (p) => self.postMessage({ progress: p }));
    self.postMessage({ keys, kdf: params, ms: performance.now() - start });
  } catch (err) {
    const e = /** @type {any} */ (err);
    self.postMessage({
      error: {
        code: String(e?.code || "internal"),
        message: String(e?.message || e),
        messages: e?.messages || null,
      },
    });
  }
});
