// The Firefox package in Debian's firefox-esr (headless, zh-CN), installed
// as a temporary add-on, against the MIIT page replica: what a user sees
// after a wrong try, the bar filling the form, and the popup's who-verifies
// answer. The Chromium tests (Go, extension/e2e/) cover the rest; these
// show that the same package works in Firefox, whose extension platform is
// its own (background scripts instead of a service worker, its own content
// script worlds and messaging).
//
//   scripts/package-extension && node --test extension/e2e/firefox/firefox.test.js

import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import {
  ADDON_UUID,
  Page,
  firefoxPackage,
  heyan,
  launchFirefox,
  manifestWarnings,
  startReplica,
  unpack,
} from "./harness.js";

let replica, browser, addonID, addonDir;

before(async () => {
  addonDir = unpack(firefoxPackage());
  replica = await startReplica();
  ({ browser, id: addonID } = await launchFirefox(addonDir));
});

after(async () => {
  await browser?.close();
  await replica?.stop();
  if (addonDir) fs.rmSync(addonDir, { recursive: true, force: true });
});

/** miit is the replica's URL for a route: the page's host at the replica's port (Firefox maps only the address). */
const miit = (route, query = "") => `https://beian.miit.gov.cn:${replica.port}/${query ? `?${query}` : ""}#${route}`;

const BAR = `.tab-card[style*="block"] heyan-bar`;
const CARD = "heyan-result";

/** openForm opens the SMS page and waits for our bar and for the core to be up. */
async function openForm(p, query = "lockms=300") {
  await p.go(miit("/Integrated/ComplaintA", query));
  await p.waitFor("our bar", () => p.inShadow(BAR, (r) => !!r.querySelector(".bar")));
  await p.waitFor("the core", () => p.call(() => document.querySelector("heyan-result")?.getAttribute("data-core")));
}

/** cardText is the shown card's text ("" when none is shown). */
const cardText = (p) =>
  p.inShadow(CARD, (r) => r.querySelector(".card:not([hidden])")?.textContent || "").then((t) => t || "");

/** waitText waits until read() gives a text containing want, and says what it gave when it never does. */
async function waitText(p, what, read, want) {
  let last = "";
  try {
    await p.waitFor(`${what} to say ${want}`, async () => {
      last = (await read()) || "";
      return last.includes(want);
    });
  } catch (err) {
    throw new Error(`${err.message}; ${what} said: ${JSON.stringify(last)}`);
  }
}

test("Firefox loads the package without a warning about its manifest", async () => {
  // The source manifest's use_dynamic_url (Chromium's) would be one.
  assert.deepEqual(await manifestWarnings(browser, addonID), { warnings: [], errors: [] });
});

test("a wrong try shows its card with the tries left, in closed shadow roots", async () => {
  const p = await Page.open(browser);
  await openForm(p);
  const phone = "13800138201";
  await p.typeInto("请输短信验证码", "123456");
  await p.typeInto("请输入手机号", phone);
  await p.typeInto("请输入证件号码后6位", "150012");
  await replica.script(phone, { Status: 2 });
  await p.page.click(`.tab-card[style*="block"] .Submission`);
  await p.solveCaptcha();
  const want = heyan("kb", "verify-wrong-info").title;
  const title = () => p.inShadow(CARD, (r) => r.querySelector(".card:not([hidden]) h2")?.textContent);
  await waitText(p, "the card's title", title, want);
  assert.equal(await title(), want);
  // Exact, from the network answer the MAIN-world script read: not "最多 4/5"
  // (the most it can be, from the banner's text alone).
  await waitText(p, "the card", () => cardText(p), "剩余核验机会：4/5");
  assert.equal(
    await p.evalPage(
      `document.querySelector("heyan-result").shadowRoot === null && document.querySelector("heyan-bar").shadowRoot === null`,
    ),
    true,
    "the page's own scripts can open our shadow roots",
  );
  await p.page.close();
});

test("the bar saves a person and fills the form with them", async () => {
  const p = await Page.open(browser);
  await openForm(p);
  await p.clickIn(BAR, (r) => r.querySelector(".row button:not(.primary)")); // + 添加人员
  await p.waitFor("the save-a-person form", () => p.inShadow(BAR, (r) => !r.querySelector(".save").hidden));
  await p.inShadow(BAR, (r) => {
    const set = (name, v, ev) => {
      const el = r.querySelector(`.save [data-field="${name}"]`);
      el.value = v;
      el.dispatchEvent(new Event(ev, { bubbles: true }));
    };
    set("name", "张三", "input");
    set("phone", "138 0013 8202", "input");
    set("idLast6", "15002x", "input"); // the bar reads x as the X the site wants
  });
  await p.clickIn(BAR, (r) => r.querySelector(".save .primary")); // 保存: a real click only
  await p.waitFor("the form to close", () => p.inShadow(BAR, (r) => r.querySelector(".save").hidden));
  await p.waitFor("the person in the bar", () =>
    p.inShadow(BAR, (r) =>
      [...r.querySelector("select").options].some((o) => o.selected && o.textContent.startsWith("张三 ·")),
    ),
  );
  await p.clickIn(BAR, (r) => r.querySelector(".row .primary")); // 填入
  const model = await p.waitFor("the page's model to hold the person", async () => {
    const m = JSON.parse(await p.evalPage(`JSON.stringify(document.querySelector(".sms-box").__vue__.verifyForm)`));
    return m.certNum === "15002X" && m;
  });
  // What the site would send: the phone as the number v-model.number makes, the ID's X upper-case, no code.
  assert.deepEqual(model, { smsValidCode: "", mobileNum: 13800138202, certNum: "15002X" });
  await p.page.close();
});

test("the popup's who-verifies answers a renamed Douyin mini-program", async () => {
  const p = await Page.open(browser);
  await p.page.setViewport({ width: 380, height: 600 });
  await p.go(`moz-extension://${ADDON_UUID}/pages/popup/popup.html#who`);
  await p.waitFor("the platforms", () =>
    p.call(() => !!document.querySelector('#panel-who [data-platform="douyin-miniapp"]')),
  );
  await p.page.click('#panel-who [data-platform="douyin-miniapp"]');
  await p.waitFor("the first question", () => p.call(() => !!document.querySelector("#panel-who .question")));
  await p.page.click("#panel-who .answer-yes");
  const scenario = await p.waitFor("a scenario", () =>
    p.call(() => document.querySelector("#panel-who .scenario")?.dataset.scenario),
  );
  assert.equal(scenario, "renamed");
  const want = heyan("who", "--platform", "douyin-miniapp", "--scenario", "renamed");
  const got = await p.call(() =>
    [...document.querySelectorAll("#panel-who .verifier")].map((s) => ({
      role: s.dataset.role,
      title: s.querySelector("h3").textContent,
      where: s.querySelector(".where").textContent,
    })),
  );
  assert.deepEqual(
    got,
    want.verifiers.map((v) => ({ role: v.role, title: v.title, where: v.whereToFind })),
  );
  assert.deepEqual(
    got.map((v) => v.title),
    ["主办单位负责人", "小程序负责人"],
  );
  await p.page.close();
});

test("the Douyin console hints: turned on from the options page, the card on the console, turned off again", async () => {
  const console_ = (query) =>
    `https://developer.open-douyin.com:${replica.port}/console/app?${new URLSearchParams(query)}#/overview`;
  const walk = async (p) => {
    for (const sel of ['nav a[href="#/settings"]', "#tab-filing", "#details"]) {
      await p.waitFor(sel, () => p.call((s) => !!document.querySelector(s), sel));
      await p.page.click(sel);
    }
    await p.waitFor("the status", () => p.call(() => !!document.querySelector("#status")));
  };
  const options = await Page.open(browser);
  await options.page.setViewport({ width: 1100, height: 900 });
  await options.go(`moz-extension://${ADDON_UUID}/pages/options/options.html#settings`);
  await options.waitFor("the options page", () => options.call(() => document.documentElement.dataset.ready === "1"));
  const box = () => options.call(() => document.querySelector("#setting-douyin-console").checked);
  const note = () => options.call(() => document.querySelector("#douyin-console-note").textContent);
  assert.equal(await box(), false, "on before it was asked for");

  // The console open before the hints are on: nothing of ours there.
  const p = await Page.open(browser);
  await p.page.setViewport({ width: 1280, height: 900 });
  await p.go(console_({ status: "审核未通过", reason: "工信部短信核验失败：短信验证未通过" }));
  await walk(p);
  assert.equal(
    await p.call(() => !!document.querySelector("heyan-result")),
    false,
    "a card before the hints were turned on",
  );

  // The user's click asks for the permission (Firefox answers it here); the
  // open console gets the hints without a reload.
  await options.page.click("#setting-douyin-console");
  await waitText(options, "the switch's note", note, "已开启");
  assert.equal(await box(), true);
  const want = heyan("kb", "platform-sms-rejected").title;
  await waitText(
    p,
    "the console's card",
    () => p.inShadow(CARD, (r) => r.querySelector(".card:not([hidden]) h2")?.textContent),
    want,
  );
  await waitText(p, "the console's card", () => cardText(p), "重新发送短信");

  // Turned off from the same switch: the permission goes, the open card with it.
  await options.page.click("#setting-douyin-console");
  await waitText(options, "the switch's note", note, "已关闭");
  assert.equal(await box(), false);
  await p.waitFor("the card to go", () => p.call(() => !document.querySelector("heyan-result")));
  await p.go(console_({ status: "审核未通过", reason: "工信部短信核验失败：短信验证未通过" }));
  await walk(p);
  await new Promise((r) => setTimeout(r, 2000)); // the script, if any, reads the page well within this
  assert.equal(
    await p.call(() => !!document.querySelector("heyan-result")),
    false,
    "a card after turning the hints off",
  );
  await p.page.close();
  await options.page.close();
});

test("sync: the Sync tab asks for the server's origin, and a person reaches the account encrypted", async () => {
  // A real server on loopback with no CORS allowance: only the host
  // permission the page asks for lets the extension reach it.
  const { spawn, execFileSync } = await import("node:child_process");
  const os = await import("node:os");
  const path = await import("node:path");
  const root = path.resolve(import.meta.dirname, "../../..");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "heyan-ff-sync-"));
  fs.chmodSync(dir, 0o700);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(
    path.join(root, "bin/heyan"),
    [
      "serve",
      "--addr",
      `127.0.0.1:${port}`,
      "--db",
      `sqlite:${dir}/heyan.db`,
      "--data-dir",
      dir,
      "--log-level",
      "warn",
    ],
    { stdio: "inherit" },
  );
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/readyz`)).ok) break;
      } catch {
        // not listening yet: poll again
      }
      if (i > 200) throw new Error("heyan serve did not start");
      await new Promise((r) => setTimeout(r, 50));
    }
    const p = await Page.open(browser);
    await p.page.setViewport({ width: 1100, height: 900 });
    await p.go(`moz-extension://${ADDON_UUID}/pages/options/options.html#sync`);
    await p.waitFor("the options page", () => p.call(() => document.documentElement.dataset.ready === "1"));
    const password = "correct horse battery staple";
    await p.page.type("#sync-server", url);
    await p.page.type("#sync-email", "firefox@example.com");
    await p.page.type("#sync-password", password);
    await p.page.type("#sync-password2", password);
    await p.page.click("#panel-sync .register");
    await p.waitFor(
      "signed in",
      () => p.call(() => document.querySelector("#panel-sync .sync-panel")?.dataset.state === "ready"),
      60000,
    );
    assert.equal(
      await p.evalPage(`chrome.permissions.contains({origins: ["http://127.0.0.1/*"]})`),
      true,
      "the server's origin was not granted",
    );
    const saved = await p.evalPage(
      `chrome.runtime.sendMessage({type: "save-person", id: "", lang: "zh-CN", person: {name: "火狐同步人", role: "principal", phone: "13800138000", docType: "resident-id", province: "", idLast6: "12345X", filing: ""}})`,
    );
    assert.ok(saved.ok && saved.value.saved, JSON.stringify(saved));
    await p.waitFor(
      "the person to go out",
      async () => {
        const st = await p.evalPage(`chrome.runtime.sendMessage({type: "sync-status"})`);
        return (
          st.ok && st.value.pending === 0 && st.value.lastSyncAt && !st.value.live.running && !st.value.live.lastError
        );
      },
      30000,
    );
    // The account, decrypted on this computer by the heyan command, holds the person.
    const pwFile = path.join(dir, "password");
    fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    const out = JSON.parse(
      execFileSync(
        path.join(root, "bin/heyan"),
        ["vault", "export", "--server", url, "--email", "firefox@example.com", "--password-file", pwFile],
        { encoding: "utf8" },
      ),
    );
    // Everyone saved in this browser before went up with the sign-up too
    // (the bar's test saved one).
    const names = out.people.map((x) => [x.name, x.phone, x.idLast6]);
    assert.ok(
      names.some((n) => n.join() === "火狐同步人,13800138000,12345X"),
      JSON.stringify(names),
    );
    const db = Buffer.concat(
      ["heyan.db", "heyan.db-wal"]
        .filter((f) => fs.existsSync(path.join(dir, f)))
        .map((f) => fs.readFileSync(path.join(dir, f))),
    );
    for (const v of ["火狐同步人", "13800138000", "12345X"])
      assert.equal(db.includes(Buffer.from(v)), false, `${v} in the server's database`);
    // Signing out (keeping a plain copy) gives the origin back.
    await p.page.click("#sync-keep");
    await p.page.click("#panel-sync .sign-out");
    await p.waitFor("signed out", () =>
      p.call(() => document.querySelector("#panel-sync .sync-panel")?.dataset.state === "signed-out"),
    );
    await p.waitFor(
      "the origin given back",
      async () => !(await p.evalPage(`chrome.permissions.contains({origins: ["http://127.0.0.1/*"]})`)),
    );
    await p.page.close();
  } finally {
    server.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
