// @ts-check
// The contract test: the built heyan-core.wasm under Node must answer exactly
// as the `heyan` command's --json output does, for one shared case table;
// every method must throw a clear Error on a wrong call; and the runtime must
// keep serving, with bounded memory, through many good and bad calls.
//
// Run by scripts/test-wasm after scripts/build and scripts/build-wasm:
//   node --test wasm/test/

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..", "..");
const dist = path.join(root, "dist", "wasm");
const heyan = path.join(root, "bin", "heyan");

require(path.join(dist, "wasm_exec.js"));
const { loadHeyanCore } = require(path.join(dist, "heyan-core.js"));

/** @type {Promise<import("../heyan-core").HeyanCore>} */
const corePromise = loadHeyanCore(fs.readFileSync(path.join(dist, "heyan-core.wasm")));

const cases = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "testdata", "contract-cases.json"), "utf8"));

test("the core signals readiness and carries a version", async () => {
  // A second load resolves to the same core.
  const core = await corePromise;
  const again = await loadHeyanCore(Buffer.alloc(0));
  assert.equal(again, core);
  assert.equal(globalThis.heyanCore, core);
  assert.equal(typeof core.version, "string");
  assert.ok(core.version.length > 0);
});

test("heyanCore answers exactly as `heyan --json` for every shared case", async () => {
  const core = await corePromise;
  assert.ok(cases.length > 100, "the case table is loaded");
  for (const c of cases) {
    const cli = spawnSync(heyan, c.cli, { input: c.stdin ?? "", encoding: "utf8" });
    if (c.error) {
      // Both refuse, with the same words after their own prefix.
      assert.equal(cli.status, 2, `${c.name}: heyan ${c.cli.join(" ")} exited ${cli.status}`);
      const cliMessage = cli.stderr.trim().replace(/^heyan \S+: /, "");
      assert.throws(
        () => /** @type {any} */ (core)[c.method](...c.args),
        (/** @type {any} */ err) => {
          assert.equal(err.message.replace(/^heyanCore\.\w+: /, ""), cliMessage, c.name);
          return true;
        },
      );
      continue;
    }
    assert.equal(cli.status, 0, `${c.name}: heyan ${c.cli.join(" ")} exited ${cli.status}: ${cli.stderr}`);
    const want = JSON.parse(cli.stdout);
    const got = /** @type {any} */ (core)[c.method](...c.args);
    // Round-trip through JSON so that both sides are plain data.
    assert.deepEqual(JSON.parse(JSON.stringify(got)), want, c.name);
  }
});

/** Every method with wrong arguments, and the words its error must contain. */
const wrongCalls = [
  ["diagnose", [], "heyanCore.diagnose: expected (text: string, lang?: string), got 0 arguments"],
  ["diagnose", [42], "but text is a number"],
  ["diagnose", ["x", "en", "extra"], "got 3 arguments"],
  ["diagnose", ["x", "fr"], "unknown language"],
  [
    "who",
    ["douyin-miniapp"],
    "heyanCore.who: expected (platform: string, scenario: string, lang?: string), got 1 argument",
  ],
  ["who", ["wechat", "first-filing", "en"], "valid platforms: douyin-miniapp, website, app"],
  ["who", ["website", "renamed", "en"], "valid scenarios: first-filing, new-service"],
  ["questions", [null], "but platform is null"],
  ["questions", ["tiktok", "en"], "unknown platform"],
  ["checkPhone", [13800138000], "heyanCore.checkPhone: expected (value: string, lang?: string), but value is a number"],
  [
    "checkId",
    [],
    "heyanCore.checkId: expected (value: string, docType?: string, province?: string, lang?: string), got 0 arguments",
  ],
  ["checkId", ["31002X", "licence", "", "en"], "valid types: resident-id, hk-macau-permit, passport, other"],
  ["checkId", ["31002X", {}], "but docType is an object"],
  ["checkCode", [undefined], "but value is undefined"],
  ["track", [], "heyanCore.track: expected (events: array, nowISO: string, lang?: string), got 0 arguments"],
  ["track", ["[]", "2026-05-01T09:00:00Z"], "but events is a string"],
  ["track", [[], "tomorrow", "en"], "nowISO is not an RFC 3339 time"],
  ["track", [[42], "2026-05-01T09:00:00Z"], "events[0] must be an object"],
  [
    "track",
    [[{ type: "sms-received", at: 5 }], "2026-05-01T09:00:00Z"],
    "events[0].at must be an RFC 3339 string, not a number",
  ],
  [
    "track",
    [[{ type: "verify-result", at: "2026-05-01T09:00:00Z", status: "2" }], "2026-05-01T09:00:00Z"],
    "events[0].status must be a number",
  ],
  [
    "track",
    [[{ type: "verify-result", at: "2026-05-01T09:00:00Z" }], "2026-05-01T09:00:00Z", "en"],
    "verify-result needs a status",
  ],
  ["track", [[{ type: "sms", at: "2026-05-01T09:00:00Z" }], "2026-05-01T09:00:00Z", "en"], 'unknown type "sms"'],
  ["kb", [], "heyanCore.kb: expected (id: string, lang?: string), got 0 arguments"],
  ["kb", ["no-such-id"], '没有这个知识条目："no-such-id"'],
  ["kb", ["no-such-id", "en"], 'no knowledge entry "no-such-id"'],
  ["rules", ["fr"], 'heyanCore.rules: unknown language "fr"'],
  ["rules", [1], "heyanCore.rules: expected (lang?: string), but lang is a number"],
  ["rules", ["en", "x"], "got 2 arguments"],
  [
    "track",
    [[{ type: "sms-received", at: "2026-05-01T09:00:00Z", phone: "13800138000" }], "2026-05-01T09:00:00Z"],
    'events[0]: unknown field "phone"',
  ],
  [
    "track",
    [
      [
        {
          get type() {
            throw new Error("getter");
          },
          at: "x",
        },
      ],
      "2026-05-01T09:00:00Z",
    ],
    "events could not be read: getter",
  ],
  [
    "track",
    [
      new Proxy([], {
        get(t, k) {
          if (k === "length") throw new Error("trap");
          return Reflect.get(t, k);
        },
      }),
      "2026-05-01T09:00:00Z",
    ],
    "events could not be read",
  ],
  [
    "track",
    [[{ type: Symbol("x"), at: "2026-05-01T09:00:00Z" }], "2026-05-01T09:00:00Z"],
    "events[0].type must be a string, not an object",
  ],
  ["checkPhone", [() => 1], "but value is an object"],
  [
    "diagnose",
    [
      {
        toString() {
          throw new Error("x");
        },
      },
    ],
    "but text is an object",
  ],
];

/** @param {unknown} v JSON where it can be, for hostile values too. */
function describe(v) {
  try {
    return JSON.stringify(v);
  } catch {
    return String(typeof v);
  }
}

test("every method throws a clear Error on a wrong call, and keeps serving", async () => {
  const core = /** @type {any} */ (await corePromise);
  for (const [method, args, words] of wrongCalls) {
    assert.throws(
      () => core[method](...args),
      (/** @type {any} */ err) => {
        assert.ok(err instanceof Error, `${method}: threw a non-Error`);
        assert.ok(
          err.message.includes(/** @type {string} */ (words)),
          `${method}(${describe(args)}): message ${JSON.stringify(err.message)} lacks ${JSON.stringify(words)}`,
        );
        assert.equal(typeof err.code, "string");
        return true;
      },
    );
  }
  const ok = core.checkCode("123456");
  assert.equal(ok.valid, true);
  assert.equal(core.diagnose("您的短信核验失败,请您重新验证。").matches[0].id, "verify-failed-retry");
});

test("10,000 mixed calls keep memory bounded", async () => {
  const core = /** @type {any} */ (await corePromise);
  const page = fs.readFileSync(path.join(root, "core", "testdata", "pages", "miit-home-wrong-info.txt"), "utf8");
  const events = [
    { type: "sms-received", at: "2026-05-01T09:00:00+08:00" },
    { type: "verify-result", status: 2, at: "2026-05-01T09:05:00+08:00" },
  ];
  const calls = [
    () => core.diagnose(page),
    () => core.checkPhone("+86 138 0013 8000", "en"),
    () => core.checkId("11010519491231002X"),
    () => core.checkCode("12345"),
    () => core.track(events, "2026-05-01T10:00:00+08:00"),
    () => core.who("douyin-miniapp", "renamed"),
    () => core.kb("faq-no-sms", "en"),
    () => core.questions("website"),
    () => core.rules("en"),
    () => core.who("nope", "nope"),
    () => core.track("bad", "bad"),
    () => core.checkId(),
    () => core.kb(1),
    () =>
      core.track(
        [
          {
            get type() {
              throw new Error("getter");
            },
            at: "x",
          },
        ],
        "2026-05-01T10:00:00+08:00",
      ),
    () =>
      core.track([{ type: "sms-received", at: "2026-05-01T09:00:00+08:00", extra: 1 }], "2026-05-01T10:00:00+08:00"),
  ];
  /** @param {number} n */
  const batch = (n) => {
    let failures = 0;
    for (let i = 0; i < n; i++) {
      try {
        calls[i % calls.length]();
      } catch {
        failures++;
      }
    }
    return failures;
  };
  const stats = () => /** @type {any} */ (globalThis).__heyanCoreStats();
  // Warm up until the Go heap has reached its working size: calls allocate
  // little, so that takes a few garbage collections. A leak never gets there.
  for (let i = 0; i < 5; i++) {
    const m = stats().memoryBytes;
    batch(10000);
    if (stats().memoryBytes === m) break;
  }
  const before = stats();
  const failures = batch(10000);
  const after = stats();
  const bad = 6; // the last six calls fail
  const good = calls.length - bad;
  assert.equal(failures, Math.floor(10000 / calls.length) * bad + Math.max(0, (10000 % calls.length) - good));
  // Linear memory only grows: a leak of even 100 bytes a call would add 1 MB.
  assert.ok(
    after.memoryBytes - before.memoryBytes < 1 << 20,
    `Go memory grew by ${after.memoryBytes - before.memoryBytes} bytes over 10,000 calls`,
  );
  // Every JS value Go holds is an entry in this table; released ones are reused.
  assert.ok(
    after.jsValues - before.jsValues < 100,
    `Go holds ${after.jsValues - before.jsValues} more JS values after 10,000 calls`,
  );
  assert.equal(core.checkCode("654321").valid, true);
});
