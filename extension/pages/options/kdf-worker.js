// @ts-check
// A dedicated Worker of the options page that turns a password into the
// sync keys: argon2id at the server's parameters (about half a second at
// 64 MiB, more on a slow machine), then HKDF. It runs here so that neither
// the page nor the service worker (which answers the MIIT page) stops
// meanwhile; the page ends the Worker when it is done, which gives back the
// 67 MiB argon2id takes. In: {password, kdf} (an account's parameters and
// salt) or {password, kdf, saltBytes} (a new salt is drawn for the published
// parameters); messages.js describes both ways (KdfRequest, KdfReply).

import "../../core/wasm_exec.js";
import "../../core/heyan-vault.js";

/** @param {import("../../messages.js").KdfReply} reply */
const reply = (reply) => self.postMessage(reply);

self.addEventListener("message", async (ev) => {
  /** @type {import("../../messages.js").KdfRequest} */
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
          salt: String(kdf.salt), // an account's parameters always carry it; checkKdf names a missing one
        };
    vault.checkKdf(params);
    const start = performance.now();
    const keys = vault.deriveKeys(String(password), params, (p) => reply({ progress: p }));
    reply({ keys, kdf: /** @type {any} */ (params), ms: performance.now() - start });
  } catch (err) {
    const e = /** @type {any} */ (err);
    reply({
      error: {
        code: String(e?.code || "internal"),
        message: String(e?.message || e),
        messages: e?.messages || null,
      },
    });
  }
});
