// @ts-check
// The vault module under Node: the known-answer vectors of docs/VAULT.md
// through the JavaScript API; the same vectors checked by a second
// implementation written from the doc (Node's OpenSSL for HKDF-SHA256 and
// ChaCha20-Poly1305, HChaCha20 here), so the Go code is not checking itself;
// every method's wrong calls; and the module in a worker thread, with no DOM.
//
// Run by scripts/test-wasm after scripts/build-wasm:
//   node --test wasm/vault/test/

const test = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { Worker } = require("node:worker_threads");

const root = path.resolve(__dirname, "..", "..", "..");
const dist = path.join(root, "dist", "wasm");
const wasmPath = path.join(dist, "heyan-vault.wasm");

require(path.join(dist, "wasm_exec.js"));
const { loadHeyanVault } = require(path.join(dist, "heyan-vault.js"));

/** @type {Promise<import("../heyan-vault").HeyanVault>} */
const vaultPromise = loadHeyanVault(fs.readFileSync(wasmPath));

const vectors = JSON.parse(fs.readFileSync(path.join(root, "core", "vault", "testdata", "vectors.json"), "utf8"));
const published = vectors.keySchedule.find((/** @type {any} */ v) => v.published);

/** @param {string} s */
const unb64 = (s) => Buffer.from(s, "base64url");
/** @param {Uint8Array} b */
const b64 = (b) => Buffer.from(b).toString("base64url");

/**
 * Calls fn and returns what it threw.
 * @param {() => unknown} fn
 * @returns {any}
 */
function thrown(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  assert.fail("did not throw");
}

test("the vault loads once, with a version and the client's bounds", async () => {
  const vault = await vaultPromise;
  assert.equal(await loadHeyanVault(Buffer.alloc(0)), vault);
  assert.equal(globalThis.heyanVault, vault);
  assert.ok(vault.version.length > 0);
  assert.deepEqual(
    { ...vault.limits },
    {
      alg: "argon2id",
      minMemoryKiB: 65536,
      maxMemoryKiB: 262144,
      minIterations: 3,
      maxIterations: 10,
      minParallelism: 1,
      maxParallelism: 16,
      minSaltBytes: 16,
      maxSaltBytes: 64,
      maxPasswordBytes: 1024,
      maxPlaintextBytes: 65475,
      maxVersion: Number.MAX_SAFE_INTEGER,
    },
  );
  assert.ok(Object.isFrozen(vault) && Object.isFrozen(vault.limits));
});

test("deriveKeys gives the published-parameters vector, with phase progress", async () => {
  const vault = await vaultPromise;
  /** @type {any[]} */
  const phases = [];
  const keys = vault.deriveKeys(published.password, published.kdf, (p) => phases.push({ ...p }));
  assert.equal(keys.authKey, published.authKey);
  assert.equal(keys.wrapKey, published.wrapKey);
  assert.deepEqual(phases, [
    { phase: "argon2id", step: 1, steps: 3 },
    { phase: "hkdf", step: 2, steps: 3 },
    { phase: "done", step: 3, steps: 3 },
  ]);
});

test("the small-parameter vectors are refused by the client, before any work", async () => {
  const vault = await vaultPromise;
  for (const v of vectors.keySchedule.filter((/** @type {any} */ v) => !v.published)) {
    let calls = 0;
    const err = thrown(() => vault.deriveKeys(v.password, v.kdf, () => calls++));
    assert.equal(err.code, "kdf-too-weak", v.name);
    assert.equal(calls, 0, v.name);
    assert.match(err.messages["zh-CN"], /低于本客户端的最低要求/);
    assert.match(err.messages.en, /below this client's floor/);
  }
});

test("checkKdf takes the published parameters and refuses lowered ones", async () => {
  const vault = await vaultPromise;
  vault.checkKdf({ alg: "argon2id", memoryKiB: 65536, iterations: 3, parallelism: 4, saltBytes: 16 });
  vault.checkKdf(published.kdf);
  for (const [kdf, code] of /** @type {[any, string][]} */ ([
    [{ alg: "argon2id", memoryKiB: 19456, iterations: 2, parallelism: 1, saltBytes: 16 }, "kdf-too-weak"],
    [{ alg: "argon2id", memoryKiB: 65536, iterations: 3, parallelism: 4, saltBytes: 8 }, "kdf-unsupported"],
    [{ alg: "scrypt", memoryKiB: 65536, iterations: 3, parallelism: 4, saltBytes: 16 }, "kdf-unsupported"],
    [{ alg: "argon2id", memoryKiB: 65536, iterations: 3, parallelism: 4 }, "usage"],
    [
      { alg: "argon2id", memoryKiB: 65536, iterations: 3, parallelism: 4, saltBytes: 16, salt: published.kdf.salt },
      "usage",
    ],
    [{ alg: "argon2id", memoryKiB: 65536.5, iterations: 3, parallelism: 4, saltBytes: 16 }, "bad-input"],
  ])) {
    assert.equal(thrown(() => vault.checkKdf(kdf)).code, code, JSON.stringify(kdf));
  }
});

test("wrapped keys and records open to their vectors through the API", async () => {
  const vault = await vaultPromise;
  for (const w of vectors.wrappedKeys) {
    assert.equal(vault.unwrapVaultKey(w.wrapKey, w.wrappedKey), w.vaultKey, w.name);
  }
  for (const r of vectors.records) {
    const o = vault.open({
      vaultKey: r.vaultKey,
      accountId: r.accountId,
      recordId: r.recordId,
      data: r.data,
      lastVersion: 0,
    });
    assert.deepEqual({ ...o }, { plaintext: r.content, version: r.version }, r.name);
    assert.equal(
      vault.open({
        vaultKey: r.vaultKey,
        accountId: r.accountId,
        recordId: r.recordId,
        data: r.data,
        lastVersion: r.version,
      }).version,
      r.version,
    );
  }
});

test("seal: buckets, versions, and a fresh nonce each time", async () => {
  const vault = await vaultPromise;
  const vaultKey = vault.newVaultKey();
  assert.equal(unb64(vaultKey).length, 32);
  const at = { vaultKey, accountId: "tV3nQ0Kx7LmP2sRa9wYcEg", recordId: "p-7Hq2Xk9Lm3" };
  for (const [plaintext, bytes] of /** @type {[string, number][]} */ ([
    ["", 1024],
    ["测".repeat(321), 1024],
    ["测".repeat(322), 2048],
    ["x".repeat(65475), 65536],
  ])) {
    const s = vault.seal({ ...at, plaintext, lastVersion: 0, now: 1767225600000 });
    assert.equal(unb64(s.data).length, bytes, `${plaintext.length} characters`);
    assert.equal(vault.open({ ...at, data: s.data, lastVersion: 0 }).plaintext, plaintext);
  }
  assert.equal(
    thrown(() => vault.seal({ ...at, plaintext: "x".repeat(65476), lastVersion: 0, now: 1 })).code,
    "too-large",
  );
  assert.equal(vault.seal({ ...at, plaintext: "a", lastVersion: 0, now: 1767225600000 }).version, 1767225600000);
  assert.equal(vault.seal({ ...at, plaintext: "a", lastVersion: 1767225600000, now: 5 }).version, 1767225600001);
  const a = vault.seal({ ...at, plaintext: "same", lastVersion: 0, now: 1 });
  const b = vault.seal({ ...at, plaintext: "same", lastVersion: 0, now: 1 });
  assert.notEqual(a.data, b.data);
  // Rollback: the older one after the newer one is refused.
  const v1 = vault.seal({ ...at, plaintext: "first", lastVersion: 0, now: 1767225600000 });
  const v2 = vault.seal({ ...at, plaintext: "second", lastVersion: v1.version, now: 1767225600000 });
  const err = thrown(() => vault.open({ ...at, data: v1.data, lastVersion: v2.version }));
  assert.equal(err.code, "record-rolled-back");
  assert.match(err.messages.en, /rollback/);
});

test("a password change re-wraps the vault key", async () => {
  const vault = await vaultPromise;
  const w = vectors.wrappedKeys[0];
  const newWrap = b64(crypto.randomBytes(32));
  const rewrapped = vault.wrapVaultKey(newWrap, vault.unwrapVaultKey(w.wrapKey, w.wrappedKey));
  assert.equal(unb64(rewrapped).length, 73);
  assert.equal(unb64(rewrapped)[0], 1);
  assert.equal(vault.unwrapVaultKey(newWrap, rewrapped), w.vaultKey);
  assert.equal(thrown(() => vault.unwrapVaultKey(w.wrapKey, rewrapped)).code, "wrong-password");
  const salt = vault.newSalt(16);
  assert.equal(unb64(salt).length, 16);
  assert.notEqual(vault.newSalt(16), salt);
});

/**
 * Applies a refusal vector's changes to bytes.
 * @param {any} r
 * @param {Buffer} bytes
 */
function mutate(r, bytes) {
  const b = Buffer.from(bytes);
  if (r.xorByte) b[r.xorByte.at] ^= r.xorByte.value;
  return r.truncateTo !== undefined ? b.subarray(0, r.truncateTo) : b;
}

test("every refusal vector fails with its code through the API", async () => {
  const vault = await vaultPromise;
  assert.ok(vectors.refusals.length >= 20);
  for (const r of vectors.refusals) {
    /** @type {() => unknown} */
    let call;
    if (r.op === "derive") {
      call = () => vault.deriveKeys(r.password, r.kdf);
    } else if (r.op === "unwrap") {
      const w = vectors.wrappedKeys.find((/** @type {any} */ w) => w.name === r.wrappedKey);
      call = () => vault.unwrapVaultKey(r.wrapKey ?? w.wrapKey, b64(mutate(r, unb64(w.wrappedKey))));
    } else {
      const v = vectors.records.find((/** @type {any} */ v) => v.name === r.record);
      call = () =>
        vault.open({
          vaultKey: r.vaultKey ?? v.vaultKey,
          accountId: r.accountId ?? v.accountId,
          recordId: r.recordId ?? v.recordId,
          data: b64(mutate(r, unb64(v.data))),
          lastVersion: r.lastVersion ?? 0,
        });
    }
    const err = thrown(call);
    assert.equal(err.code, r.code, `${r.name}: ${err.message}`);
    assert.ok(err.messages["zh-CN"] && err.messages.en, r.name);
  }
});

// ---- A second implementation, from docs/VAULT.md alone ----

/** HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2). */
function hchacha20(/** @type {Buffer} */ key, /** @type {Buffer} */ nonce16) {
  const s = new Uint32Array(16);
  s.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  for (let i = 0; i < 8; i++) s[4 + i] = key.readUInt32LE(4 * i);
  for (let i = 0; i < 4; i++) s[12 + i] = nonce16.readUInt32LE(4 * i);
  const rotl = (/** @type {number} */ x, /** @type {number} */ n) => ((x << n) | (x >>> (32 - n))) >>> 0;
  const qr = (/** @type {number} */ a, /** @type {number} */ b, /** @type {number} */ c, /** @type {number} */ d) => {
    s[a] += s[b];
    s[d] = rotl(s[d] ^ s[a], 16);
    s[c] += s[d];
    s[b] = rotl(s[b] ^ s[c], 12);
    s[a] += s[b];
    s[d] = rotl(s[d] ^ s[a], 8);
    s[c] += s[d];
    s[b] = rotl(s[b] ^ s[c], 7);
  };
  for (let i = 0; i < 10; i++) {
    qr(0, 4, 8, 12);
    qr(1, 5, 9, 13);
    qr(2, 6, 10, 14);
    qr(3, 7, 11, 15);
    qr(0, 5, 10, 15);
    qr(1, 6, 11, 12);
    qr(2, 7, 8, 13);
    qr(3, 4, 9, 14);
  }
  const out = Buffer.alloc(32);
  for (let i = 0; i < 4; i++) {
    out.writeUInt32LE(s[i], 4 * i);
    out.writeUInt32LE(s[12 + i], 16 + 4 * i);
  }
  return out;
}

/** XChaCha20-Poly1305 through Node's ChaCha20-Poly1305 (RFC 8439). */
function xchacha(/** @type {Buffer} */ key, /** @type {Buffer} */ nonce) {
  return {
    subkey: hchacha20(key, nonce.subarray(0, 16)),
    iv: Buffer.concat([Buffer.alloc(4), nonce.subarray(16, 24)]),
  };
}

function xOpen(
  /** @type {Buffer} */ key,
  /** @type {Buffer} */ nonce,
  /** @type {Buffer} */ sealed,
  /** @type {Buffer} */ ad,
) {
  const { subkey, iv } = xchacha(key, nonce);
  const d = crypto.createDecipheriv("chacha20-poly1305", subkey, iv, { authTagLength: 16 });
  d.setAAD(ad, { plaintextLength: sealed.length - 16 });
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
}

function xSeal(
  /** @type {Buffer} */ key,
  /** @type {Buffer} */ nonce,
  /** @type {Buffer} */ plain,
  /** @type {Buffer} */ ad,
) {
  const { subkey, iv } = xchacha(key, nonce);
  const c = crypto.createCipheriv("chacha20-poly1305", subkey, iv, { authTagLength: 16 });
  c.setAAD(ad, { plaintextLength: plain.length });
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}

/** HKDF(ikm, info, L) of docs/VAULT.md: HKDF-SHA256 with salt "heyan-vault/v1". */
const hkdf = (/** @type {Buffer} */ ikm, /** @type {string} */ info, /** @type {number} */ n) =>
  Buffer.from(crypto.hkdfSync("sha256", ikm, "heyan-vault/v1", info, n));

/** @param {Buffer} head @param {string} account @param {string} record */
function recordAD(head, account, record) {
  return Buffer.concat([
    Buffer.from("heyan-vault/v1 record\0"),
    head,
    Buffer.from([account.length]),
    Buffer.from(account),
    Buffer.from([record.length]),
    Buffer.from(record),
  ]);
}

test("HChaCha20 gives the draft's test vector", () => {
  const key = Buffer.from([...Array(32).keys()]);
  const nonce = Buffer.from("000000090000004a0000000031415927", "hex");
  assert.equal(
    hchacha20(key, nonce).toString("hex"),
    "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc",
  );
});

test("a second implementation agrees with every vector", () => {
  for (const v of vectors.keySchedule) {
    assert.equal(
      Buffer.from(v.password.normalize("NFC").replace(/\p{Zs}/gu, " ")).toString("hex"),
      v.passwordUtf8Hex,
      v.name,
    );
    const master = Buffer.from(v.argon2idHex, "hex");
    assert.equal(b64(hkdf(master, "heyan-vault/v1 auth-key", 32)), v.authKey, v.name);
    assert.equal(b64(hkdf(master, "heyan-vault/v1 wrap-key", 32)), v.wrapKey, v.name);
  }
  for (const w of vectors.wrappedKeys) {
    const wrapped = unb64(w.wrappedKey);
    assert.equal(wrapped.length, 73);
    const ad = Buffer.concat([Buffer.from("heyan-vault/v1 wrapped-key\0"), Buffer.from([1])]);
    const nonce = wrapped.subarray(1, 25);
    assert.equal(nonce.toString("hex"), w.nonceHex);
    assert.equal(b64(xOpen(unb64(w.wrapKey), nonce, wrapped.subarray(25), ad)), w.vaultKey, w.name);
    assert.equal(
      b64(Buffer.concat([Buffer.from([1]), nonce, xSeal(unb64(w.wrapKey), nonce, unb64(w.vaultKey), ad)])),
      w.wrappedKey,
    );
  }
  for (const k of vectors.vaultKeys) {
    assert.equal(hkdf(unb64(k.vaultKey), "heyan-vault/v1 record-key", 32).toString("hex"), k.recordKeyHex, k.name);
    assert.equal(hkdf(unb64(k.vaultKey), "heyan-vault/v1 key-id", 8).toString("hex"), k.keyIdHex, k.name);
  }
  for (const r of vectors.records) {
    const data = unb64(r.data);
    assert.ok([1024, 2048, 4096, 8192, 16384, 32768, 65536].includes(data.length), r.name);
    assert.equal(data[0], 1);
    const vk = unb64(r.vaultKey);
    assert.equal(data.subarray(1, 9).toString("hex"), hkdf(vk, "heyan-vault/v1 key-id", 8).toString("hex"));
    const nonce = data.subarray(9, 33);
    const ad = recordAD(data.subarray(0, 9), r.accountId, r.recordId);
    const key = hkdf(vk, "heyan-vault/v1 record-key", 32);
    const padded = xOpen(key, nonce, data.subarray(33), ad);
    assert.equal(padded.length, data.length - 49);
    assert.equal(Number(padded.readBigUInt64BE(0)), r.version, r.name);
    const n = padded.readUInt32BE(8);
    assert.equal(padded.subarray(12, 12 + n).toString("utf8"), r.content, r.name);
    assert.ok(
      padded.subarray(12 + n).every((b) => b === 0),
      `${r.name}: padding is zeros`,
    );
    // And sealing the same inside with the vector's nonce gives the data, byte for byte.
    assert.equal(b64(Buffer.concat([data.subarray(0, 33), xSeal(key, nonce, padded, ad)])), r.data);
    assert.throws(() =>
      xOpen(key, nonce, data.subarray(33), recordAD(data.subarray(0, 9), r.accountId, `${r.recordId}x`)),
    );
  }
});

// ---- Wrong calls ----

test("every method names what it expected on a wrong call", async () => {
  const vault = await vaultPromise;
  const r = vectors.records[0];
  const input = { vaultKey: r.vaultKey, accountId: r.accountId, recordId: r.recordId, data: r.data, lastVersion: 0 };
  const sealIn = {
    vaultKey: r.vaultKey,
    accountId: r.accountId,
    recordId: r.recordId,
    plaintext: "x",
    lastVersion: 0,
    now: 1,
  };
  /** @type {[string, any[], string, string][]} */
  const wrong = [
    [
      "deriveKeys",
      [],
      "usage",
      "heyanVault.deriveKeys: expected (password: string, kdf: object, onProgress?: function), got 0 arguments",
    ],
    ["deriveKeys", [42, published.kdf], "usage", "but password is a number"],
    ["deriveKeys", ["pw", "argon2id"], "usage", "but kdf is a string"],
    ["deriveKeys", ["pw", published.kdf, "progress"], "usage", "but onProgress is a string"],
    ["deriveKeys", ["pw", { ...published.kdf, salt: undefined }], "usage", "kdf.salt must be a string, not undefined"],
    ["deriveKeys", ["pw", { ...published.kdf, memory: 65536 }], "usage", `unknown field "memory"`],
    [
      "deriveKeys",
      ["pw", { ...published.kdf, memoryKiB: "65536" }],
      "usage",
      "kdf.memoryKiB must be a number, not a string",
    ],
    [
      "deriveKeys",
      ["pw", { ...published.kdf, salt: "not base64!" }],
      "bad-input",
      "kdf.salt is not base64url without padding",
    ],
    ["deriveKeys", ["pw\ud800", published.kdf], "password-invalid", "lone surrogate"],
    ["deriveKeys", ["", published.kdf], "password-invalid", "empty"],
    ["checkKdf", [[]], "usage", "but kdf is an array"],
    ["newSalt", [], "usage", "expected (saltBytes: number), got 0 arguments"],
    ["newSalt", [8], "kdf-unsupported", "8 bytes"],
    ["newSalt", [-1], "bad-input", "saltBytes must be a whole number"],
    ["newVaultKey", [1], "usage", "expected (), got 1 argument"],
    ["wrapVaultKey", [r.vaultKey], "usage", "expected (wrapKey: string, vaultKey: string), got 1 argument"],
    ["wrapVaultKey", [b64(Buffer.alloc(31)), r.vaultKey], "bad-input", "wrapKey must be 32 bytes, not 31"],
    ["unwrapVaultKey", [r.vaultKey, null], "usage", "but wrappedKey is null"],
    ["unwrapVaultKey", [r.vaultKey, "AQ=="], "bad-input", "wrappedKey is not base64url without padding"],
    ["open", [], "usage", "expected (input: object), got 0 arguments"],
    ["open", [{ ...input, lastVersion: undefined }], "usage", "input.lastVersion must be a number, not undefined"],
    ["open", [{ ...input, lastSeen: 5 }], "usage", `unknown field "lastSeen"`],
    [
      "open",
      [{ ...input, lastVersion: -1 }],
      "bad-input",
      "input.lastVersion must be a whole number from 0 to 9007199254740991",
    ],
    ["open", [{ ...input, lastVersion: 2 ** 53 }], "bad-input", "input.lastVersion must be a whole number"],
    ["open", [{ ...input, recordId: "a/b" }], "bad-input", `the record ID "a/b" is invalid`],
    ["open", [{ ...input, data: "" }], "bad-format", "is empty"],
    [
      "open",
      [{ ...input, vaultKey: { toString: () => r.vaultKey } }],
      "usage",
      "input.vaultKey must be a string, not an object",
    ],
    ["seal", [{ ...sealIn, now: undefined }], "usage", "input.now must be a number, not undefined"],
    ["seal", [{ ...sealIn, plaintext: "\udc00" }], "bad-input", "lone surrogate"],
    ["seal", [{ ...sealIn, accountId: "" }], "bad-input", "the account ID"],
    ["seal", [Object.assign(Object.create({ inherited: 1 }), sealIn)], "", ""], // inherited fields are not read
  ];
  for (const [name, args, code, fragment] of wrong) {
    const fn = /** @type {any} */ (vault)[name];
    if (code === "") {
      fn(...args);
      continue;
    }
    const err = thrown(() => fn(...args));
    assert.ok(err instanceof Error, `${name}: threw ${err}`);
    assert.equal(/** @type {any} */ (err).code, code, `${name}(${args.length} args): ${err.message}`);
    assert.ok(
      err.message.includes(fragment),
      `${name}: ${JSON.stringify(err.message)} does not contain ${JSON.stringify(fragment)}`,
    );
    assert.ok(err.message.startsWith(`heyanVault.${name}: `), err.message);
  }
  // A getter that throws is reported, and never reaches Go.
  const hostile = { ...input };
  Object.defineProperty(hostile, "data", {
    enumerable: true,
    get() {
      throw new Error("boom");
    },
  });
  assert.equal(thrown(() => vault.open(hostile)).code, "usage");
  // And the vault still serves.
  assert.equal(vault.open(input).version, r.version);
});

test("a progress callback that throws is rethrown after the call, and the vault keeps serving", async () => {
  const vault = await vaultPromise;
  const boom = new Error("progress bar gone");
  let calls = 0;
  assert.equal(
    thrown(() =>
      vault.deriveKeys(published.password, published.kdf, () => {
        calls++;
        throw boom;
      }),
    ),
    boom,
  );
  assert.equal(calls, 3);
  const r = vectors.records[0];
  assert.equal(
    vault.open({ vaultKey: r.vaultKey, accountId: r.accountId, recordId: r.recordId, data: r.data, lastVersion: 0 })
      .plaintext,
    r.content,
  );
});

test("thousands of calls leave the vault's memory bounded", async () => {
  const vault = await vaultPromise;
  const r = vectors.records[0];
  const at = { vaultKey: r.vaultKey, accountId: r.accountId, recordId: r.recordId };
  const stats = /** @type {any} */ (globalThis).__heyanVaultStats;
  for (let i = 0; i < 500; i++) vault.open({ ...at, data: r.data, lastVersion: 0 });
  const before = stats().memoryBytes;
  for (let i = 0; i < 1000; i++) {
    const s = vault.seal({ ...at, plaintext: "x".repeat(i % 2000), lastVersion: i, now: 1 });
    vault.open({ ...at, data: s.data, lastVersion: i });
    thrown(() => vault.open({ ...at, data: s.data, lastVersion: i + 2 }));
  }
  assert.ok(stats().memoryBytes <= before + (16 << 20), `memory grew from ${before} to ${stats().memoryBytes}`);
});

test("the vault runs in a worker thread, with no DOM", async () => {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const fs = require("node:fs");
    require(workerData.dist + "/wasm_exec.js");
    const { loadHeyanVault } = require(workerData.dist + "/heyan-vault.js");
    loadHeyanVault(fs.readFileSync(workerData.dist + "/heyan-vault.wasm")).then((vault) => {
      const progress = [];
      const keys = vault.deriveKeys(workerData.v.password, workerData.v.kdf, (p) => progress.push(p.phase));
      const r = workerData.r;
      const o = vault.open({ vaultKey: r.vaultKey, accountId: r.accountId, recordId: r.recordId, data: r.data, lastVersion: 0 });
      parentPort.postMessage({ dom: typeof document, keys, progress, plaintext: o.plaintext });
    }, (err) => parentPort.postMessage({ error: String(err) }));
  `;
  const w = new Worker(code, { eval: true, workerData: { dist, v: published, r: vectors.records[0] } });
  const msg = await new Promise((resolve, reject) => {
    w.once("message", resolve);
    w.once("error", reject);
  });
  await w.terminate();
  assert.deepEqual(msg, {
    dom: "undefined",
    keys: { authKey: published.authKey, wrapKey: published.wrapKey },
    progress: ["argon2id", "hkdf", "done"],
    plaintext: vectors.records[0].content,
  });
});
