// What the Firefox test needs around it: the MIIT page replica served by
// extension/e2e/cmd/replica, Debian's firefox-esr driven by puppeteer-core
// over WebDriver BiDi with the packaged add-on installed, the core's own
// answers (the heyan command) to compare with, and a way into our closed
// shadow roots.
//
// Closed shadow roots: the page's scripts cannot reach our bar and card, and
// neither can a test evaluating as the page. WebDriver BiDi can: asked to
// serialize an element with includeShadowTree "all", it returns the
// element's shadow root, open or closed, as a node reference, which a
// function called over BiDi then receives as its argument. The test's
// functions run in a WebDriver sandbox of the page (the page's DOM, none of
// its globals), so nothing of ours is put where the page's scripts could
// see it. Clicks are real input (input.performActions), as our controls act
// only on trusted events.

import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { once } from "node:events";
import readline from "node:readline";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");
const require = createRequire(path.join(root, "extension/tools/package.json"));
const puppeteer = require("puppeteer-core");

/** The UUID the add-on's moz-extension:// origin gets: set before it is installed, so the popup's URL is known. */
export const ADDON_UUID = "5f0e2c1a-8b3d-4c6e-9a71-3d2b8e4f6a10";

/** Where each wait gives up: generous for a shared 2-core machine; waits return as soon as the condition holds. */
export const WAIT_MS = 15000;

/** version reads the project's version from its one place. */
export function version() {
  return fs.readFileSync(path.join(root, "VERSION"), "utf8").trim();
}

/** firefoxPackage is the store package under test, as scripts/package-extension wrote it. */
export function firefoxPackage() {
  const zip = process.env.HEYAN_FIREFOX_PACKAGE || path.join(root, "dist", `heyan-firefox-${version()}.zip`);
  if (!fs.existsSync(zip)) throw new Error(`${zip} is missing: run scripts/package-extension`);
  return zip;
}

/**
 * unpack extracts the package into a fresh folder, as about:debugging's
 * "Load Temporary Add-on" wants it (with the project's own unzipper: no
 * unzip on a fresh machine).
 */
export function unpack(zip) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "heyan-firefox-addon-"));
  execFileSync("go", ["run", "./scripts/package", "-unpack", zip, "-to", dir], { cwd: root, stdio: "inherit" });
  return dir;
}

/** heyan runs the heyan command (the core, natively) and parses its --json answer. */
export function heyan(...args) {
  const out = execFileSync("go", ["run", "./cmd/heyan", ...args, "--json"], { cwd: root, encoding: "utf8" });
  return JSON.parse(out);
}

/**
 * startReplica starts the replica server; script(phone, ...answers) queues
 * the API's next answers for a phone, as the Go tests' Replica.Script does.
 */
export async function startReplica() {
  const child = spawn("go", ["run", "./extension/e2e/cmd/replica"], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout });
  const next = () =>
    new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`replica exited (${code})`));
      child.once("exit", onExit);
      lines.once("line", (l) => {
        child.off("exit", onExit);
        resolve(JSON.parse(l));
      });
    });
  const { port } = await next();
  return {
    port,
    async script(phone, ...answers) {
      child.stdin.write(`${JSON.stringify({ script: { phone, answers } })}\n`);
      const r = await next();
      if (!r.ok) throw new Error(`replica: ${JSON.stringify(r)}`);
    },
    async stop() {
      child.stdin.end();
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

/**
 * launchFirefox starts headless firefox-esr in zh-CN (the extension speaks
 * the browser's language) with every host name resolved to 127.0.0.1 (so
 * beian.miit.gov.cn:port is the replica), its self-signed certificate
 * accepted, optional permissions granted when asked for (no prompt), and
 * the add-on installed as a temporary add-on from dir.
 */
export async function launchFirefox(dir) {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
    headless: true,
    acceptInsecureCerts: true,
    // The popup is an extension page (moz-extension://): WebDriver BiDi
    // navigates a tab there only with system access allowed, which also
    // lets manifestWarnings read the browser's own view of the add-on.
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: {
      "network.dns.forceResolve": "127.0.0.1",
      "intl.locale.requested": "zh-CN", // with Debian's firefox-esr-l10n-zh-cn
      "intl.accept_languages": "zh-CN, zh",
      "extensions.webextensions.uuids": JSON.stringify({ [addonID(dir)]: ADDON_UUID }),
      // permissions.request is answered "allow" without its prompt (which a
      // headless browser cannot show): the call, its user-gesture rule and
      // the grant are Firefox's own.
      "extensions.webextOptionalPermissionPrompts": false,
    },
  });
  const id = await browser.installExtension(dir);
  return { browser, id };
}

/**
 * manifestWarnings is what Firefox said about the add-on's manifest when it
 * loaded it (what about:debugging shows under the add-on), read in the
 * browser's own chrome window: BiDi reaches it with system access allowed.
 */
export async function manifestWarnings(browser, id) {
  const c = browser.connection;
  const { contexts } = (await c.send("browsingContext.getTree", { "moz:scope": "chrome" })).result;
  const res = (
    await c.send("script.evaluate", {
      expression: `(() => {
      const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
      const ext = ExtensionParent.GlobalManager.getExtension(${JSON.stringify(id)});
      return ext ? JSON.stringify({ warnings: ext.warnings, errors: ext.errors }) : "";
    })()`,
      target: { context: contexts[0].context },
      awaitPromise: false,
    })
  ).result;
  if (res.type === "exception") throw new Error(`in the browser: ${res.exceptionDetails.text}`);
  if (!res.result.value) throw new Error(`Firefox has no add-on ${id}`);
  return JSON.parse(res.result.value);
}

function addonID(dir) {
  const m = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  return m.browser_specific_settings.gecko.id;
}

/** Page is one tab, with the BiDi calls the tests need. */
export class Page {
  constructor(browser, page) {
    this.browser = browser;
    this.page = page;
  }

  static async open(browser) {
    return new Page(browser, await browser.newPage());
  }

  get context() {
    return this.page.mainFrame()._id;
  }

  bidi(method, params) {
    return this.browser.connection.send(method, params).then((r) => r.result);
  }

  /**
   * go starts a navigation and returns without waiting for the page to
   * load (callers wait for what they need): Firefox reports no load of an
   * extension page over BiDi.
   */
  async go(url) {
    await this.bidi("browsingContext.navigate", { context: this.context, url, wait: "none" });
  }

  /** call runs fn(...args) in the test's sandbox of the page; an arg may be {sharedId} (a node). */
  async call(fn, ...args) {
    const res = await this.bidi("script.callFunction", {
      functionDeclaration: fn.toString(),
      arguments: args.map((a) => (a?.sharedId ? { sharedId: a.sharedId } : serialize(a))),
      target: { context: this.context, sandbox: "heyan-e2e" },
      awaitPromise: true,
      resultOwnership: "none",
    });
    if (res.type === "exception") throw new Error(`in the page: ${res.exceptionDetails.text}`);
    return deserialize(res.result);
  }

  /** evalPage evaluates js as the page's own scripts do (their globals: Vue's model). */
  async evalPage(js) {
    const res = await this.bidi("script.evaluate", {
      expression: js,
      target: { context: this.context },
      awaitPromise: true,
      resultOwnership: "none",
    });
    if (res.type === "exception") throw new Error(`in the page: ${res.exceptionDetails.text}`);
    return deserialize(res.result);
  }

  /**
   * shadowRoot is the shadow root, open or closed, of the first element
   * matching sel (null when there is no such element or root), as a node
   * reference for call().
   */
  async shadowRoot(sel) {
    const res = await this.bidi("script.callFunction", {
      functionDeclaration: "(sel) => document.querySelector(sel)",
      arguments: [serialize(sel)],
      target: { context: this.context, sandbox: "heyan-e2e" },
      awaitPromise: false,
      resultOwnership: "none",
      serializationOptions: { includeShadowTree: "all", maxDomDepth: 0 },
    });
    const host = res.result;
    if (host.type !== "node" || !host.value.shadowRoot) return null;
    return { sharedId: host.value.shadowRoot.sharedId };
  }

  /** inShadow runs fn(root, ...args) on the shadow root of sel; null when there is none yet. */
  async inShadow(sel, fn, ...args) {
    const r = await this.shadowRoot(sel);
    return r ? this.call(fn, r, ...args) : null;
  }

  /** waitFor polls check (an async function) until it gives a truthy value, which it returns. */
  async waitFor(what, check, limit = WAIT_MS) {
    const deadline = Date.now() + limit;
    let last;
    for (;;) {
      try {
        const v = await check();
        if (v) return v;
        last = v;
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * clickIn clicks, with the real mouse, the centre of the element that
   * find(root, ...args) returns in the shadow root of sel.
   */
  async clickIn(sel, find, ...args) {
    const box = await this.waitFor(`something to click in ${sel}`, () =>
      this.inShadow(
        sel,
        `(root, ...args) => {
      const el = (${find})(root, ...args);
      if (!el) return null;
      el.scrollIntoView({ block: "center" });
      const r = el.getBoundingClientRect();
      return r.width && r.height ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
    }`,
        ...args,
      ),
    );
    await this.page.mouse.click(box.x, box.y);
  }

  /** typeInto types into the visible form's field, with real key presses. */
  async typeInto(placeholder, text) {
    const sel = `.tab-card[style*="block"] input[placeholder="${placeholder}"]`;
    await this.page.click(sel);
    await this.page.type(sel, text);
  }

  /** solveCaptcha drags the replica's slider onto the gap, as a person does. */
  async solveCaptcha() {
    const g = await this.waitFor("the captcha", () =>
      this.call(() => {
        const b = document.querySelector(".verify-move-block");
        const gap = document.querySelector(".verify-gap");
        if (!b || !gap) return null;
        const r = b.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2, gap: parseFloat(gap.style.left) };
      }),
    );
    const m = this.page.mouse;
    await m.move(g.x, g.y);
    await m.down();
    for (let i = 1; i <= 5; i++) await m.move(g.x + (g.gap * i) / 5, g.y);
    await m.up();
    await this.waitFor("the captcha to close", () => this.call(() => !document.querySelector(".verify-mask")));
  }
}

// serialize and deserialize: the few BiDi local and remote values the tests pass.
function serialize(v) {
  if (v === undefined) return { type: "undefined" };
  if (v === null) return { type: "null" };
  if (typeof v === "string") return { type: "string", value: v };
  if (typeof v === "number") return { type: "number", value: v };
  if (typeof v === "boolean") return { type: "boolean", value: v };
  throw new Error(`cannot pass ${typeof v}`);
}

function deserialize(r) {
  switch (r.type) {
    case "undefined":
    case "null":
      return null;
    case "string":
    case "number":
    case "boolean":
      return r.value;
    case "array":
      return r.value.map(deserialize);
    case "object":
      return Object.fromEntries(r.value.map(([k, v]) => [typeof k === "string" ? k : deserialize(k), deserialize(v)]));
    default:
      return r;
  }
}
