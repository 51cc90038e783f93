// @ts-check
// 同步 / Sync: the sync account. Signed out: the server's address, email and
// password, to sign in or create an account. Locked (after a browser
// restart) or the session ended: the password again. Signed in: the state in
// plain words (last sync, changes waiting, the server unreachable, a full
// sync's progress), conflicts to settle field by field, records that did not
// open, and the account's actions (sync now, change password, sign out with
// or without a plain copy here, delete the account).
//
// The password never leaves this page: a Worker of its own (kdf-worker.js)
// turns it into the keys, with progress shown; the service worker gets the
// keys and does everything else. The server's origin is asked for as an
// optional host permission when the user signs in or registers.

import { normalizeServer, serverOrigins } from "../../server-address.js";
import { send } from "../../send.js";
import { el } from "../../ui/dom.js";
import { LANG } from "../../ui/i18n.js";
import { O } from "../../ui/i18n.js";

/** @typedef {import("./options.js").OptionsPanel} OptionsPanel */
/** @typedef {import("./options.js").PageTools} PageTools */
/** @typedef {import("../../messages.js").SyncStatus} SyncStatus */
/** @typedef {import("../../../wasm/vault/heyan-vault").AccountKdf} AccountKdf */
/** @typedef {{authKey: string, wrapKey: string}} Keys */

/** The shortest password the page accepts for a new account. */
const MIN_PASSWORD = 10;

/**
 * createSyncPanel makes the panel.
 * @param {PageTools} tools
 * @returns {OptionsPanel}
 */
export function createSyncPanel(tools) {
  const S = O.sync;
  const element = el("div", { class: "sync-panel" });
  const busy = el("div", { class: "notice", attrs: { role: "status" } });
  busy.hidden = true;
  const bar = el("progress", { attrs: { "aria-label": S.deriving } });
  const busyText = el("span", {});
  busy.append(busyText, el("br"), bar);
  const note = el("p", { class: "muted", attrs: { role: "status", "aria-live": "polite" } });

  /** @type {SyncStatus | null} */
  let status = null;

  /**
   * derive turns the password into keys in a Worker, showing progress.
   * @param {string} password
   * @param {any} kdf an account's parameters, or the published ones (saltBytes)
   * @returns {Promise<{keys: Keys, kdf: AccountKdf}>}
   */
  function derive(password, kdf) {
    busyText.textContent = S.deriving;
    bar.removeAttribute("value");
    busy.hidden = false;
    const worker = new Worker(new URL("./kdf-worker.js", import.meta.url), { type: "module" });
    return new Promise((resolve, reject) => {
      worker.addEventListener("message", (ev) => {
        const d = ev.data;
        if (d.progress) {
          if (d.progress.phase !== "argon2id") {
            bar.max = d.progress.steps;
            bar.value = d.progress.step;
          }
          return;
        }
        worker.terminate();
        busy.hidden = true;
        if (d.error) {
          const messages = d.error.messages;
          const err = Object.assign(new Error(messages ? messages[LANG] || messages.en : d.error.message), {
            code: d.error.code,
          });
          reject(err);
        } else resolve({ keys: d.keys, kdf: d.kdf });
      });
      worker.addEventListener("error", (ev) => {
        worker.terminate();
        busy.hidden = true;
        reject(new Error(ev.message || "kdf worker failed"));
      });
      worker.postMessage({ password, kdf, saltBytes: kdf.saltBytes || 0 });
    });
  }

  /** @param {string} label @param {string} id @param {string} type @param {string} [hint] */
  const field = (label, id, type, hint = "") => {
    const input = /** @type {HTMLInputElement} */ (
      el("input", {
        attrs: {
          id,
          type,
          "data-field": id,
          ...(hint ? { placeholder: hint } : {}),
          ...(type === "password"
            ? { autocomplete: id.includes("new") || id.includes("2") ? "new-password" : "current-password" }
            : {}),
        },
      })
    );
    return { input, row: el("div", { class: "field" }, [el("label", { text: label, attrs: { for: id } }), input]) };
  };

  /**
   * act runs a button's action with the page's error reporting, the button
   * off meanwhile.
   * @param {HTMLButtonElement} button
   * @param {() => Promise<void>} action
   */
  async function act(button, action) {
    button.disabled = true;
    try {
      await action();
    } catch (err) {
      tools.report(err);
    } finally {
      button.disabled = false;
      busy.hidden = true;
    }
  }

  /**
   * askOrigin asks for the server's origin. Called first thing in a click
   * handler: the browser grants an optional permission only during a user
   * gesture.
   * @param {string} server
   */
  function askOrigin(server) {
    return chrome.permissions.request({ origins: serverOrigins(server) }).then((granted) => {
      if (!granted) throw Object.assign(new Error(S.needPermission), { code: "bad-input" });
    });
  }

  /**
   * giveBack returns the server's origin once no account uses it (the
   * Douyin console's permission is another origin and stays).
   * @param {string} server
   */
  async function giveBack(server) {
    if (server) await chrome.permissions.remove({ origins: serverOrigins(server) }).catch(() => false);
  }

  function signedOutView() {
    const server = field(S.server, "sync-server", "url", S.serverHint);
    const email = field(S.email, "sync-email", "email");
    const password = field(S.password, "sync-password", "password");
    const password2 = field(S.password2, "sync-password2", "password");
    if (status?.account) {
      server.input.value = status.account.server;
      email.input.value = status.account.email;
    }
    const signIn = /** @type {HTMLButtonElement} */ (
      el("button", { class: "primary sign-in", text: S.signIn, attrs: { type: "button" } })
    );
    const register = /** @type {HTMLButtonElement} */ (
      el("button", { class: "register", text: S.register, attrs: { type: "button" } })
    );
    const problem = el("p", { class: "field-problem", attrs: { role: "alert" } });
    signIn.addEventListener("click", () => {
      problem.textContent = "";
      let addr;
      try {
        addr = normalizeServer(server.input.value);
      } catch (err) {
        problem.textContent = tools.say(err);
        return;
      }
      const asked = askOrigin(addr);
      act(signIn, async () => {
        await asked;
        const kdf = await send({ type: "sync-kdf", server: addr, email: email.input.value.trim() });
        const { keys } = await derive(password.input.value, kdf);
        status = await send({ type: "sync-sign-in", server: addr, email: email.input.value.trim(), keys });
        draw();
      });
    });
    register.addEventListener("click", () => {
      problem.textContent = "";
      let addr;
      try {
        addr = normalizeServer(server.input.value);
      } catch (err) {
        problem.textContent = tools.say(err);
        return;
      }
      if (password.input.value.length < MIN_PASSWORD) {
        problem.textContent = S.tooShort;
        password.input.focus();
        return;
      }
      if (password.input.value !== password2.input.value) {
        problem.textContent = S.mismatch;
        password2.input.focus();
        return;
      }
      const asked = askOrigin(addr);
      act(register, async () => {
        await asked;
        const published = await send({ type: "sync-kdf", server: addr, email: "" });
        const { keys, kdf } = await derive(password.input.value, published);
        status = await send({ type: "sync-register", server: addr, email: email.input.value.trim(), keys, kdf });
        draw();
      });
    });
    return el("div", { class: "card sync-sign-in" }, [
      el("p", { text: S.intro }),
      server.row,
      email.row,
      password.row,
      password2.row,
      problem,
      el("div", { class: "actions" }, [signIn, register]),
    ]);
  }

  /** @param {string} text */
  function lockedView(text) {
    const account = /** @type {NonNullable<SyncStatus["account"]>} */ (status?.account);
    const password = field(S.password, "sync-unlock-password", "password");
    const unlock = /** @type {HTMLButtonElement} */ (
      el("button", { class: "primary unlock", text: S.unlock, attrs: { type: "button" } })
    );
    unlock.addEventListener("click", () =>
      act(unlock, async () => {
        const kdf = await send({ type: "sync-kdf", server: account.server, email: account.email });
        const { keys } = await derive(password.input.value, kdf);
        status = await send({ type: "sync-sign-in", server: account.server, email: account.email, keys });
        draw();
      }),
    );
    return el("div", { class: "card sync-locked" }, [
      el("p", { text }),
      password.row,
      el("div", { class: "actions" }, [unlock]),
      signOutBox(),
    ]);
  }

  function signOutBox() {
    const keep = /** @type {HTMLInputElement} */ (
      el("input", { attrs: { type: "radio", name: "sync-leave", id: "sync-keep", value: "keep" } })
    );
    const wipe = /** @type {HTMLInputElement} */ (
      el("input", { attrs: { type: "radio", name: "sync-leave", id: "sync-wipe", value: "wipe" } })
    );
    const out = /** @type {HTMLButtonElement} */ (
      el("button", { class: "sign-out", text: S.signOut, attrs: { type: "button" } })
    );
    out.addEventListener("click", () =>
      act(out, async () => {
        // No default: each choice leaves something different on this device.
        if (!keep.checked && !wipe.checked) throw Object.assign(new Error(S.chooseLeave), { code: "bad-input" });
        const server = status?.account ? status.account.server : "";
        status = await send({ type: "sync-sign-out", keep: keep.checked });
        await giveBack(server);
        draw();
      }),
    );
    return el("fieldset", { class: "sync-leave" }, [
      el("legend", { text: S.signOut }),
      el("div", { class: "setting" }, [keep, el("label", { text: S.keepCopy, attrs: { for: keep.id } })]),
      el("div", { class: "setting" }, [wipe, el("label", { text: S.wipeCopy, attrs: { for: wipe.id } })]),
      out,
    ]);
  }

  /** @param {unknown} v */
  const shown = (v) =>
    v === null || v === undefined || v === ""
      ? "—"
      : typeof v === "string"
        ? v
        : Array.isArray(v)
          ? v.map((m) => m?.role || "").join("、")
          : JSON.stringify(v);

  /** The status part of the signed-in view: redrawn alone when the status changes. */
  const statusBox = el("div", { class: "sync-status" });

  function readyView() {
    drawStatus();
    return el("div", { class: "card sync-ready" }, [statusBox, passwordBox(), signOutBox(), deleteBox()]);
  }

  function drawStatus() {
    const st = /** @type {SyncStatus} */ (status);
    const account = /** @type {NonNullable<SyncStatus["account"]>} */ (st.account);
    const live = st.live;
    /** @type {HTMLElement[]} */
    const lines = [el("p", { class: "signed-in", text: S.signedInAs(account.email, account.server) })];
    const dl = el("dl", {}, [
      el("dt", { text: S.lastSync }),
      el("dd", { class: "last-sync", text: st.lastSyncAt ? new Date(st.lastSyncAt).toLocaleString(LANG) : S.never }),
      el("dt", { text: S.pending }),
      el("dd", { class: "pending", text: String(st.pending) }),
    ]);
    lines.push(dl);
    if (live.running) {
      const p = el("progress", { class: "full-sync", attrs: { "aria-label": S.syncing } });
      if (live.full && live.total) {
        /** @type {HTMLProgressElement} */ (p).max = live.total;
        /** @type {HTMLProgressElement} */
        (p).value = Math.min(live.done, live.total);
      }
      lines.push(
        el("p", { class: "notice syncing", attrs: { role: "status" } }, [
          el("span", { text: live.full ? S.fullSync(live.done, live.total) : S.syncing }),
          el("br"),
          p,
        ]),
      );
    } else if (live.offlineSince) {
      lines.push(
        el("p", {
          class: "alert offline",
          attrs: { role: "status" },
          text: S.offline(new Date(live.offlineSince).toLocaleString(LANG)),
        }),
      );
    } else if (live.lastError) {
      lines.push(
        el("p", {
          class: "alert sync-error",
          attrs: { role: "status" },
          text: tools.say(Object.assign(new Error(live.lastError.message), { code: live.lastError.code })),
        }),
      );
    } else if (!st.pending && st.lastSyncAt) {
      lines.push(el("p", { class: "muted up-to-date", text: S.upToDate }));
    }
    const now = /** @type {HTMLButtonElement} */ (
      el("button", { class: "primary sync-now", text: S.syncNow, attrs: { type: "button" } })
    );
    now.addEventListener("click", () =>
      act(now, async () => {
        try {
          await send({ type: "sync-now" });
        } finally {
          await refresh();
        }
      }),
    );
    lines.push(el("div", { class: "actions" }, [now]));

    if (st.conflicts.length) {
      const list = el("div", { class: "conflicts" }, [
        el("h3", { text: S.conflicts }),
        el("p", { class: "muted", text: S.conflictNote }),
      ]);
      for (const c of st.conflicts) {
        for (const f of c.fields) {
          const label = /** @type {Record<string, string>} */ (S.field)[f.field] || f.field;
          const mine = /** @type {HTMLButtonElement} */ (
            el("button", { class: "keep-mine", text: S.keepMine, attrs: { type: "button" } })
          );
          const theirs = /** @type {HTMLButtonElement} */ (
            el("button", { class: "keep-theirs", text: S.keepTheirs, attrs: { type: "button" } })
          );
          mine.addEventListener("click", () =>
            act(mine, async () => {
              status = await send({ type: "sync-resolve", id: c.id, field: f.field, pick: "mine" });
              draw();
            }),
          );
          theirs.addEventListener("click", () =>
            act(theirs, async () => {
              status = await send({ type: "sync-resolve", id: c.id, field: f.field, pick: "theirs" });
              draw();
            }),
          );
          list.append(
            el("div", { class: "card conflict", attrs: { "data-id": c.id, "data-field": f.field } }, [
              el("h4", { text: `${c.name} · ${label}` }),
              el("dl", {}, [
                el("dt", { text: S.mine }),
                el("dd", { class: "mine", text: shown(f.mine) }),
                el("dt", { text: S.theirs }),
                el("dd", { class: "theirs", text: shown(f.theirs) }),
              ]),
              el("div", { class: "actions" }, [mine, theirs]),
            ]),
          );
        }
      }
      lines.push(list);
    }
    if (st.problems.length) {
      lines.push(
        el("div", { class: "sync-problems" }, [
          el("h3", { text: S.problems }),
          el("p", { class: "muted", text: S.problemNote }),
          el(
            "ul",
            {},
            st.problems.map((p) =>
              el("li", {
                attrs: { "data-code": p.code },
                text: tools.say(Object.assign(new Error(p.id), { code: p.code })),
              }),
            ),
          ),
        ]),
      );
    }
    statusBox.replaceChildren(...lines);
  }

  function passwordBox() {
    const current = field(S.currentPassword, "sync-current", "password");
    const next = field(S.newPassword, "sync-new", "password");
    const next2 = field(S.newPassword2, "sync-new2", "password");
    const problem = el("p", { class: "field-problem", attrs: { role: "alert" } });
    const go = /** @type {HTMLButtonElement} */ (
      el("button", { class: "change-password", text: S.changePassword, attrs: { type: "button" } })
    );
    go.addEventListener("click", () => {
      problem.textContent = "";
      if (next.input.value.length < MIN_PASSWORD) {
        problem.textContent = S.tooShort;
        return;
      }
      if (next.input.value !== next2.input.value) {
        problem.textContent = S.mismatch;
        return;
      }
      const account = /** @type {NonNullable<SyncStatus["account"]>} */ (status?.account);
      act(go, async () => {
        const kdf = await send({ type: "sync-kdf", server: account.server, email: account.email });
        const cur = await derive(current.input.value, kdf);
        const published = await send({ type: "sync-kdf", server: account.server, email: "" });
        const fresh = await derive(next.input.value, published);
        status = await send({ type: "sync-change-password", current: cur.keys, next: fresh.keys, newKdf: fresh.kdf });
        for (const f of [current, next, next2]) f.input.value = "";
        draw();
        note.textContent = S.passwordChanged;
      });
    });
    return el("details", { class: "sync-password" }, [
      el("summary", { text: S.changePassword }),
      current.row,
      next.row,
      next2.row,
      problem,
      go,
    ]);
  }

  function deleteBox() {
    const password = field(S.password, "sync-delete-password", "password");
    const go = /** @type {HTMLButtonElement} */ (
      el("button", { class: "danger delete-account", text: S.deleteConfirm, attrs: { type: "button" } })
    );
    go.addEventListener("click", () => {
      const account = /** @type {NonNullable<SyncStatus["account"]>} */ (status?.account);
      act(go, async () => {
        const kdf = await send({ type: "sync-kdf", server: account.server, email: account.email });
        const { keys } = await derive(password.input.value, kdf);
        status = await send({ type: "sync-delete-account", keys });
        await giveBack(account.server);
        draw();
      });
    });
    return el("details", { class: "sync-delete" }, [
      el("summary", { text: S.deleteAccount }),
      el("p", { class: "muted", text: S.deleteNote }),
      password.row,
      go,
    ]);
  }

  /** The state the panel was last drawn in ("" before it was). */
  let drawn = "";

  /**
   * draw shows the view of the status's state. In the state it already
   * shows, only the signed-in status redraws: what is typed into a form
   * stays.
   */
  function draw() {
    const st = status;
    const state = st?.account ? st.state : "signed-out";
    if (state === drawn) {
      if (state === "ready") drawStatus();
      return;
    }
    drawn = state;
    /** @type {HTMLElement} */
    let view;
    if (!st || st.state === "signed-out" || !st.account) view = signedOutView();
    else if (st.state === "locked") view = lockedView(S.lockedNote(st.account.email));
    else if (st.state === "session-ended") view = lockedView(S.endedNote(st.account.email));
    else view = readyView();
    element.replaceChildren(busy, view, note);
    element.dataset.state = state;
  }

  async function refresh() {
    status = await send({ type: "sync-status" });
    draw();
  }

  // The worker's live status (progress, the server unreachable) and the
  // state it keeps (the outbox, conflicts) redraw this panel while shown.
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && element.isConnected && !element.closest("[hidden]"))
      refresh().catch(() => {
        // the next change redraws it; a failed redraw keeps the last view
      });
  });

  async function show() {
    await refresh();
    if (status && status.state === "ready")
      send({ type: "sync-now" })
        .catch(() => {
          // the status shown after refresh() reports what failed
        })
        .finally(() =>
          refresh().catch(() => {
            // a failed redraw keeps the last view
          }),
        );
  }
  return { element, show, changed: refresh };
}
