// @ts-check
// Sync of the saved people and filings between this browser and the user's
// other ones, through the sync server, end-to-end encrypted (docs/VAULT.md,
// docs/SERVER.md). Every person and filing is one server record under its own
// random ID, sealed by the vault. What this device last agreed with the
// server is kept per record (state.sync.records: the server's revision and
// the content, the base of a merge), so the outbox is every record that
// differs from its base, and every base whose record was deleted here. A
// sync pulls what changed since the cursor, then pushes the outbox with
// If-Match / If-None-Match; a 412 merges field by field against the base
// and tries again; a 410 starts a full sync. Both sides changing one field
// differently keeps both values for the user to choose (state.sync.conflicts).

import { ERROR_CODES } from "../messages.js";
import { ExtensionError, errorCode, errorMessage } from "../errors.js";
import { normalizeServer } from "../server-address.js";
import { readState, updateState, wipeState } from "./store.js";
import { forgetUndo } from "./undo.js";
import { takeKept } from "./locked.js";
import { REMINDER_PREFIX } from "./reminders.js";
import { deletePerson } from "./people.js";
import { workerVault } from "./vault.js";
import { ServerError, authed, call, tokens } from "./sync-api.js";
import { readAccount, readSession, writeAccount, writeSession } from "./sync-session.js";
import { changedFrom, content, merge3 } from "./sync-merge.js";

/** @typedef {import("./store.js").State} State */
/** @typedef {import("./sync-merge.js").Kind} Kind */
/** @typedef {import("../messages.js").FieldConflict} FieldConflict */
/** @typedef {import("../messages.js").LiveStatus} LiveStatus */
/** @typedef {import("../messages.js").SyncStatus} SyncStatus */
/** @typedef {import("../../wasm/vault/heyan-vault").HeyanVault} HeyanVault */

/**
 * What sync keeps in the state (encrypted with it):
 * records: per record ID, its kind, the server's revision and the content
 * this device last agreed with the server on; seen: per ID, the newest
 * sealed version applied (kept after a delete and across a full sync, so a
 * server cannot roll a record back); conflicts: fields both sides changed;
 * problems: records that did not open (moved, rolled back, another key).
 * @typedef {{
 *   accountId: string, cursor: string,
 *   records: Record<string, {kind: Kind, rev: number, base: Record<string, any>}>,
 *   seen: Record<string, number>,
 *   conflicts: Record<string, {kind: Kind, name: string, fields: FieldConflict[], at: string}>,
 *   problems: Record<string, {code: string, at: string}>,
 *   lastSyncAt: string | null
 * }} SyncState
 */

/** The key of the live sync status in chrome.storage.session (the options page watches it). */
export const STATUS_KEY = "heyan-sync-status";
/** The alarm that pulls other devices' changes while signed in, and retries after a failure. */
export const SYNC_ALARM = "heyan-sync";
/** Records per page of a pull. */
const PAGE = 200;

/** @type {LiveStatus} */
let live = { running: false, full: false, done: 0, total: 0, lastError: null, offlineSince: null, lastRun: null };

/** @param {Partial<LiveStatus>} change */
async function setLive(change) {
  live = { ...live, ...change };
  await chrome.storage.session.set({ [STATUS_KEY]: live });
}

/**
 * syncOf is the state's sync part for the account, made empty when missing
 * or of another account.
 * @param {State & {sync?: SyncState}} state
 * @param {string} accountId
 * @returns {SyncState}
 */
function syncOf(state, accountId) {
  if (!state.sync || state.sync.accountId !== accountId) {
    state.sync = { accountId, cursor: "", records: {}, seen: {}, conflicts: {}, problems: {}, lastSyncAt: null };
  }
  return state.sync;
}

/**
 * The outbox: what this device changed that the server does not have yet.
 * @param {State & {sync?: SyncState}} state
 * @returns {{id: string, kind: Kind, op: "put" | "delete"}[]}
 */
export function outbox(state) {
  const sync = state.sync;
  const records = sync ? sync.records : {};
  /** @type {{id: string, kind: Kind, op: "put" | "delete"}[]} */
  const out = [];
  for (const [kind, area] of /** @type {[Kind, Record<string, any>][]} */ ([
    ["person", state.people],
    ["filing", state.filings],
  ])) {
    for (const r of Object.values(area)) {
      const meta = records[r.id];
      if (!meta || changedFrom(kind, meta.base, content(kind, r))) out.push({ id: r.id, kind, op: "put" });
    }
  }
  for (const [id, meta] of Object.entries(records)) {
    if (!state.people[id] && !state.filings[id]) out.push({ id, kind: meta.kind, op: "delete" });
  }
  return out;
}

/** @returns {Promise<SyncStatus>} */
export async function syncStatus() {
  const account = await readAccount();
  const session = await readSession();
  /** @type {SyncStatus} */
  const status = {
    account: account && { server: account.server, email: account.email },
    state: "signed-out",
    pending: 0,
    lastSyncAt: null,
    conflicts: [],
    problems: [],
    live,
  };
  if (!account) return status;
  if (!session) return { ...status, state: "locked" };
  const state = /** @type {State & {sync?: SyncState}} */ (await readState());
  const sync = syncOf(state, account.accountId);
  return {
    ...status,
    state: session.refreshToken ? "ready" : "session-ended",
    pending: outbox(state).length,
    lastSyncAt: sync.lastSyncAt,
    conflicts: Object.entries(sync.conflicts).map(([id, c]) => ({ id, kind: c.kind, name: c.name, fields: c.fields })),
    problems: Object.entries(sync.problems).map(([id, p]) => ({ id, code: p.code })),
  };
}

/** The running sync, so that two never overlap; again: run once more after it. */
/** @type {Promise<void> | null} */
let running = null;
let again = false;

/**
 * syncNow runs one sync (or joins the one running, and runs once more after
 * it, so a change made meanwhile goes out). Failures are kept in the status
 * and rethrown; an unreachable server leaves the outbox as it is, and the
 * alarm tries again.
 * @returns {Promise<void>}
 */
export function syncNow() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      /** @type {NonNullable<LiveStatus["lastRun"]>} */
      const total = { ms: 0, pulled: 0, pushed: 0, full: false };
      do {
        again = false;
        const run = await syncOnce();
        total.ms += run.ms;
        total.pulled += run.pulled;
        total.pushed += run.pushed;
        total.full = total.full || run.full;
      } while (again);
      await setLive({ lastRun: total });
      await setLive({ running: false, lastError: null, offlineSince: null });
    } catch (err) {
      const code = errorCode(err);
      await setLive({
        running: false,
        full: false,
        lastError: { code, message: errorMessage(err) },
        offlineSince: code === ERROR_CODES.syncOffline ? live.offlineSince || new Date().toISOString() : null,
      });
      if (code === ERROR_CODES.syncOffline) await chrome.alarms.create(`${SYNC_ALARM}-retry`, { delayInMinutes: 1 });
      throw err;
    }
  })().finally(() => {
    running = null;
  });
  return running;
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let soonTimer;

/**
 * syncSoon runs a sync a moment after the last of a burst of local changes
 * (signed in only; errors stay in the status).
 */
export function syncSoon() {
  clearTimeout(soonTimer);
  soonTimer = setTimeout(async () => {
    if (!(await readSession())?.refreshToken || !(await readAccount())) return;
    if (!running && !outbox(await readState()).length) return;
    syncNow().catch((err) => console.warn("heyan: sync:", errorCode(err)));
  }, 800);
}

/**
 * One pull, then one push of the outbox.
 * @returns {Promise<NonNullable<LiveStatus["lastRun"]>>}
 */
async function syncOnce() {
  const account = await readAccount();
  const session = await readSession();
  if (!account || !session)
    throw new ExtensionError(ERROR_CODES.signedOut, "heyan: not signed in to sync: sign in on the options page");
  const started = performance.now();
  const vault = await workerVault();
  await setLive({ running: true });
  const { pulled, full } = await pull(account, session.vaultKey, vault);
  const pushed = await push(account, session.vaultKey, vault);
  await updateState((state) => {
    syncOf(state, account.accountId).lastSyncAt = new Date().toISOString();
  });
  return { ms: Math.round(performance.now() - started), pulled, pushed, full };
}

/**
 * pull applies what changed on the server since the cursor. A 410 (or no
 * cursor) is a full sync: every record from the start, with a progress bar;
 * a record this device had agreed on that the full listing no longer holds
 * was deleted long ago, and goes here too (unless changed here since).
 * @param {import("./sync-session.js").Account} account
 * @param {string} vaultKey
 * @param {HeyanVault} vault
 * @returns {Promise<{pulled: number, full: boolean}>}
 */
async function pull(account, vaultKey, vault) {
  let pulled = 0;
  let cursor = syncOf(await readState(), account.accountId).cursor;
  let full = !cursor;
  /** @type {Set<string>} */
  let listed = new Set();
  if (full) await startFull(account);
  for (;;) {
    let page;
    try {
      page = (
        await authed(
          account.server,
          "GET",
          `/api/v1/records?limit=${PAGE}${cursor ? `&since=${encodeURIComponent(cursor)}` : ""}`,
        )
      ).body;
    } catch (err) {
      if (err instanceof ServerError && err.serverCode === "cursor_expired" && cursor) {
        cursor = "";
        full = true;
        listed = new Set();
        await startFull(account);
        continue;
      }
      throw err;
    }
    const records = Array.isArray(page.records) ? page.records : [];
    pulled += records.length;
    for (const r of records) listed.add(String(r.id));
    const next = String(page.cursor || cursor);
    await updateState((state) => {
      const sync = syncOf(state, account.accountId);
      for (const r of records) applyRemote(state, sync, r, vault, vaultKey, account.accountId);
      sync.cursor = next;
    });
    cursor = next;
    if (full) await setLive({ done: live.done + records.length });
    if (!page.more) break;
  }
  if (full) {
    await updateState((state) => {
      const sync = syncOf(state, account.accountId);
      for (const id of Object.keys(sync.records)) {
        if (!listed.has(id))
          applyRemote(
            state,
            sync,
            { id, rev: sync.records[id].rev, deleted: true, data: null },
            vault,
            vaultKey,
            account.accountId,
          );
      }
    });
    await setLive({ full: false });
  }
  return { pulled, full };
}

/** @param {import("./sync-session.js").Account} account */
async function startFull(account) {
  let total = 0;
  try {
    const usage = (await authed(account.server, "GET", "/api/v1/account")).body;
    total = Number(usage?.usage?.records) || 0;
  } catch (err) {
    if (errorCode(err) === ERROR_CODES.syncOffline) throw err;
  }
  await setLive({ full: true, done: 0, total });
}

/**
 * applyRemote applies one server record (from a pull or a 412's current) to
 * the state. A tombstone deletes the record here unless it changed here
 * since the base (then it goes out again as new). Data is opened with the
 * version last seen; one that does not open is flagged, not applied. A
 * record unchanged here takes the server's copy; one changed here is merged
 * field by field against the base.
 * @param {State & {sync?: SyncState}} state
 * @param {SyncState} sync
 * @param {{id: string, rev: number, deleted: boolean, data: string | null}} r
 * @param {HeyanVault} vault
 * @param {string} vaultKey
 * @param {string} accountId
 */
export function applyRemote(state, sync, r, vault, vaultKey, accountId) {
  const id = String(r.id);
  const meta = sync.records[id];
  const now = new Date().toISOString();
  /** @type {Kind | null} */
  const localKind = state.people[id] ? "person" : state.filings[id] ? "filing" : null;
  const local = localKind === "person" ? state.people[id] : localKind === "filing" ? state.filings[id] : null;
  if (r.deleted || !r.data) {
    if (local && localKind && (!meta || changedFrom(localKind, meta.base, content(localKind, local)))) {
      // Changed here since: kept, and created again by the next push.
    } else if (localKind === "person") {
      deletePerson(state, id, now);
    } else if (localKind === "filing") {
      for (const round of Object.values(state.rounds)) if (round.filingId === id) delete state.rounds[round.id];
      delete state.filings[id];
    }
    delete sync.records[id];
    delete sync.conflicts[id];
    return;
  }
  let opened;
  try {
    opened = vault.open({ vaultKey, accountId, recordId: id, data: r.data, lastVersion: sync.seen[id] || 0 });
  } catch (err) {
    sync.problems[id] = { code: errorCode(err), at: now };
    return;
  }
  let body;
  try {
    body = JSON.parse(opened.plaintext);
  } catch {
    sync.problems[id] = { code: "bad-format", at: now };
    return;
  }
  if (
    body?.v !== 1 ||
    (body.kind !== "person" && body.kind !== "filing") ||
    !body.record ||
    typeof body.record !== "object"
  ) {
    sync.problems[id] = { code: "bad-format", at: now };
    return;
  }
  /** @type {Kind} */
  const kind = body.kind;
  const remote = content(kind, { ...body.record, id });
  delete sync.problems[id];
  sync.seen[id] = opened.version;
  const area = kind === "person" ? state.people : state.filings;
  if (!local) {
    // Deleted here while it changed there: the change wins, nothing is lost.
    if (!meta || changedFrom(kind, meta.base, remote)) put(area, id, remote, null);
    sync.records[id] = { kind, rev: r.rev, base: remote };
    return;
  }
  const mine = content(kind, local);
  if (!meta || changedFrom(kind, meta.base, mine)) {
    const { merged, conflicts } = merge3(kind, meta ? meta.base : null, mine, remote);
    put(area, id, merged, local);
    if (conflicts.length) {
      const known = sync.conflicts[id]
        ? sync.conflicts[id].fields.filter((c) => !conflicts.some((n) => n.field === c.field))
        : [];
      sync.conflicts[id] = { kind, name: String(merged.name || ""), fields: [...known, ...conflicts], at: now };
    }
  } else {
    put(area, id, remote, local);
  }
  sync.records[id] = { kind, rev: r.rev, base: remote };
}

/**
 * put stores a record's content here, its local revision one above both.
 * @param {Record<string, any>} area
 * @param {string} id
 * @param {Record<string, any>} value
 * @param {Record<string, any> | null} local
 */
function put(area, id, value, local) {
  const rev = Math.max(Number(value.rev) || 1, local ? (Number(local.rev) || 0) + 1 : 1);
  area[id] = { ...value, id, rev };
}

/** Writes in flight at once, and writes whose results are stored together. */
const PUSH_PARALLEL = 8;
const PUSH_BATCH = 50;

/**
 * What became of one write of the outbox.
 * @typedef {{id: string, kind: Kind, op: "put", rev: number, base: Record<string, any>, version: number} |
 *   {id: string, kind: Kind, op: "delete"} | {id: string, kind: Kind, op: "conflict", current: any}} Pushed
 */

/**
 * push sends the outbox: a batch of records at a time, several writes in
 * flight (the server commits writes that arrive together in one
 * transaction), their results stored together. A 412 applies the server's
 * current copy (a merge) and the record goes again, a few times at most. A
 * failure other than a 412 stops the push after the results of the writes
 * that succeeded are stored.
 * @param {import("./sync-session.js").Account} account
 * @param {string} vaultKey
 * @param {HeyanVault} vault
 * @returns {Promise<number>} how many records went out
 */
async function push(account, vaultKey, vault) {
  /** @type {Map<string, number>} */
  const tries = new Map();
  let pushed = 0;
  for (;;) {
    const state = /** @type {State & {sync?: SyncState}} */ (await readState());
    const sync = syncOf(state, account.accountId);
    const batch = outbox(state)
      .filter((o) => (tries.get(o.id) || 0) < 4)
      .slice(0, PUSH_BATCH);
    if (!batch.length) return pushed;
    for (const o of batch) tries.set(o.id, (tries.get(o.id) || 0) + 1);
    /** @type {Pushed[]} */
    const done = [];
    /** @type {unknown} */
    let failure = null;
    let next = 0;
    const lane = async () => {
      while (next < batch.length && !failure) {
        const o = batch[next++];
        try {
          done.push(await pushOne(account, vaultKey, vault, state, sync, o));
        } catch (err) {
          failure = failure || err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PUSH_PARALLEL, batch.length) }, lane));
    await updateState((st) => {
      const s = syncOf(st, account.accountId);
      for (const d of done) {
        if (d.op === "put") {
          s.records[d.id] = { kind: d.kind, rev: d.rev, base: d.base };
          s.seen[d.id] = Math.max(s.seen[d.id] || 0, d.version);
        } else if (d.op === "delete") {
          if (!st.people[d.id] && !st.filings[d.id]) {
            delete s.records[d.id];
            delete s.conflicts[d.id];
          }
        } else if (d.current && d.current.id === d.id) {
          applyRemote(st, s, d.current, vault, vaultKey, account.accountId);
        } else {
          delete s.records[d.id]; // gone on the server: created again
        }
      }
    });
    pushed += done.filter((d) => d.op !== "conflict").length;
    if (failure) throw failure;
  }
}

/**
 * pushOne sends one record of the outbox: a PUT of its sealed content, or a
 * DELETE; a 412 comes back as a conflict with the server's current copy.
 * @param {import("./sync-session.js").Account} account
 * @param {string} vaultKey
 * @param {HeyanVault} vault
 * @param {State} state
 * @param {SyncState} sync
 * @param {{id: string, kind: Kind, op: "put" | "delete"}} o
 * @returns {Promise<Pushed>}
 */
async function pushOne(account, vaultKey, vault, state, sync, o) {
  const meta = sync.records[o.id];
  try {
    if (o.op === "delete") {
      await authed(account.server, "DELETE", `/api/v1/records/${o.id}`, {
        headers: { "If-Match": `"${meta.rev}"` },
      });
      return { id: o.id, kind: o.kind, op: "delete" };
    }
    const record = o.kind === "person" ? state.people[o.id] : state.filings[o.id];
    const sent = content(o.kind, record);
    const plaintext = JSON.stringify({ v: 1, kind: o.kind, record: sent });
    const sealed = vault.seal({
      vaultKey,
      accountId: account.accountId,
      recordId: o.id,
      plaintext,
      lastVersion: sync.seen[o.id] || 0,
      now: Date.now(),
    });
    /** @type {Record<string, string>} */
    const headers = meta ? { "If-Match": `"${meta.rev}"` } : { "If-None-Match": "*" };
    const res = await authed(account.server, "PUT", `/api/v1/records/${o.id}`, {
      body: { data: sealed.data },
      headers,
    });
    return { id: o.id, kind: o.kind, op: "put", rev: Number(res.body.rev), base: sent, version: sealed.version };
  } catch (err) {
    if (!(err instanceof ServerError) || err.serverCode !== "rev_mismatch") throw err;
    return { id: o.id, kind: o.kind, op: "conflict", current: err.body?.current };
  }
}

/**
 * The keys the options page derived from the password (argon2id runs in its
 * Worker, never here).
 * @typedef {{authKey: string, wrapKey: string}} Keys
 */

/**
 * register makes an account: a new vault key, wrapped by wrapKey; then signs
 * in with it.
 * @param {string} serverText
 * @param {string} email
 * @param {Keys} keys
 * @param {import("../../wasm/vault/heyan-vault").AccountKdf} kdf the published parameters with the salt the keys came from
 */
export async function register(serverText, email, keys, kdf) {
  const server = normalizeServer(serverText);
  const vault = await workerVault();
  await refuseOtherAccount(server, email);
  const wrappedKey = vault.wrapVaultKey(keys.wrapKey, vault.newVaultKey());
  await call(server, "POST", "/api/v1/accounts", { body: { email, authKey: keys.authKey, wrappedKey, kdf } });
  return signIn(server, email, keys);
}

/**
 * kdfFor gives what the options page derives the keys with: the published
 * parameters for a new account, the account's (prelogin) for a sign-in.
 * @param {string} serverText
 * @param {string} email "" for the published ones
 */
export async function kdfFor(serverText, email) {
  const server = normalizeServer(serverText);
  if (!email) return (await call(server, "GET", "/api/v1/kdf")).body.kdf;
  return (await call(server, "POST", "/api/v1/prelogin", { body: { email } })).body.kdf;
}

/**
 * A device whose data is encrypted for one account cannot sign in to
 * another without first signing out (which offers to keep a plain copy).
 * @param {string} server
 * @param {string} email
 */
async function refuseOtherAccount(server, email) {
  const known = await readAccount();
  if (known && (known.server !== server || known.email.toLowerCase() !== email.trim().toLowerCase())) {
    throw new ExtensionError(
      ERROR_CODES.badInput,
      "heyan: this browser's data belongs to the sync account " +
        known.email +
        ": sign in to it, or sign out of it first",
    );
  }
}

/** @type {(() => Promise<void>)[]} */
const unlockedHooks = [];

/**
 * onUnlocked calls f after every sign-in, once the local copy is readable
 * (the MIIT page's answers kept while it was locked are counted then).
 * @param {() => Promise<void>} f
 */
export function onUnlocked(f) {
  unlockedHooks.push(f);
}

/**
 * signIn starts a session, unwraps the vault key (the password is checked
 * twice: by the server, then by the wrapped key opening), encrypts the local
 * copy under it and starts a full sync. Nothing is stored until every step
 * passed: a wrong password leaves the device as it was.
 * @param {string} serverText
 * @param {string} email
 * @param {Keys} keys
 */
export async function signIn(serverText, email, keys) {
  const server = normalizeServer(serverText);
  await refuseOtherAccount(server, email);
  const vault = await workerVault();
  let res;
  try {
    res = (await call(server, "POST", "/api/v1/sessions", { body: { email, authKey: keys.authKey } })).body;
  } catch (err) {
    if (err instanceof ServerError && err.status === 401) {
      throw new ExtensionError(
        ERROR_CODES.wrongPassword,
        "heyan: wrong email or password (nothing was changed on this browser)",
      );
    }
    throw err;
  }
  const pair = tokens(res);
  let vaultKey;
  try {
    vaultKey = vault.unwrapVaultKey(keys.wrapKey, String(res.wrappedKey));
  } catch (err) {
    await call(server, "DELETE", "/api/v1/sessions/current", { token: pair.accessToken }).catch(() => {
      // best effort: the unwrap error below is what the user must see; the session expires anyway
    });
    throw err;
  }
  const who = (await call(server, "GET", "/api/v1/sessions/current", { token: pair.accessToken })).body;
  const accountId = String(who.accountId);
  // The local copy, as it is (plain, or sealed under this account's key
  // after a browser restart), is written again sealed under the vault key.
  const before = await readSession();
  await writeSession({ ...pair, vaultKey });
  try {
    await updateState((st) => {
      syncOf(st, accountId);
    });
  } catch (err) {
    await writeSession(before);
    throw err;
  }
  await writeAccount({ server, email: email.trim(), accountId });
  for (const f of unlockedHooks) await f();
  await chrome.alarms.create(SYNC_ALARM, { periodInMinutes: 10 });
  syncNow().catch((err) => console.warn("heyan: sync after sign-in:", errorCode(err)));
  return syncStatus();
}

/**
 * signOut ends the session on the server (when it answers) and here. keep:
 * the people and filings stay on this browser, decrypted; else they are
 * wiped from it (the account keeps them).
 * @param {boolean} keep
 */
export async function signOut(keep) {
  const account = await readAccount();
  const session = await readSession();
  if (account && session?.accessToken) {
    await call(account.server, "DELETE", "/api/v1/sessions/current", { token: session.accessToken }).catch(() => {
      // best effort: signing out goes on offline; the server lets the session expire
    });
  }
  await leave(keep);
  return syncStatus();
}

/**
 * leave forgets the account here: the state is written plain without its
 * sync part (keep) or removed, then the session and account go.
 * @param {boolean} keep
 */
async function leave(keep) {
  if (keep) {
    // Inside one change: the session goes before the write, so the state
    // is written plain. Keeping needs the data unlocked (it is decrypted).
    await updateState(async (st) => {
      const s = /** @type {State & {sync?: SyncState}} */ (st);
      delete s.sync;
      await writeSession(null);
    });
  } else {
    // A wipe reads nothing, so it works while the data is locked, and
    // leaves no personal data in either storage area: the records, the
    // damaged copies, the deletes waiting for their undo, the answers kept
    // while locked, and the reminders of the wiped filings.
    await wipeState(() => writeSession(null));
    await forgetUndo();
    await takeKept();
    for (const a of await chrome.alarms.getAll()) {
      if (a.name.startsWith(REMINDER_PREFIX)) await chrome.alarms.clear(a.name);
    }
  }
  await writeAccount(null);
  await chrome.alarms.clear(SYNC_ALARM);
  await chrome.alarms.clear(`${SYNC_ALARM}-retry`);
  await setLive({ running: false, full: false, done: 0, total: 0, lastError: null, offlineSince: null, lastRun: null });
}

/**
 * changePassword re-wraps the vault key under the new password's wrapKey;
 * no record is encrypted again. Every other session of the account ends.
 * @param {Keys} current
 * @param {Keys} next
 * @param {import("../../wasm/vault/heyan-vault").AccountKdf} newKdf
 */
export async function changePassword(current, next, newKdf) {
  const account = await readAccount();
  const session = await readSession();
  if (!account || !session) throw new ExtensionError(ERROR_CODES.signedOut, "heyan: sign in first");
  const vault = await workerVault();
  // The current password must open this account's vault key.
  const newWrappedKey = vault.wrapVaultKey(next.wrapKey, session.vaultKey);
  const res = await authed(account.server, "POST", "/api/v1/account/password", {
    body: { authKey: current.authKey, newAuthKey: next.authKey, newWrappedKey, newKdf },
  }).catch((err) => {
    if (err instanceof ServerError && err.status === 401)
      throw new ExtensionError(ERROR_CODES.wrongPassword, "heyan: the current password is wrong (nothing was changed)");
    throw err;
  });
  await writeSession({ ...((await readSession()) || session), ...tokens(res.body) });
  return syncStatus();
}

/**
 * deleteAccount erases the account and its records on the server; this
 * browser keeps its people and filings, decrypted.
 * @param {Keys} keys
 */
export async function deleteAccount(keys) {
  const account = await readAccount();
  if (!account) throw new ExtensionError(ERROR_CODES.signedOut, "heyan: sign in first");
  await authed(account.server, "DELETE", "/api/v1/accounts/current", { body: { authKey: keys.authKey } }).catch(
    (err) => {
      if (err instanceof ServerError && err.status === 401 && err.serverCode === "unauthorized")
        throw new ExtensionError(
          ERROR_CODES.wrongPassword,
          "heyan: the password is wrong (the account was not deleted)",
        );
      throw err;
    },
  );
  await leave(true);
  return syncStatus();
}

/**
 * resolve settles one field both sides changed: theirs keeps the value the
 * record has now (the server's); mine puts this device's value back, which
 * the next sync sends.
 * @param {string} id
 * @param {string} field
 * @param {"mine" | "theirs"} pick
 */
export async function resolve(id, field, pick) {
  const account = await readAccount();
  if (!account) throw new ExtensionError(ERROR_CODES.signedOut, "heyan: sign in first");
  await updateState((state) => {
    const sync = syncOf(state, account.accountId);
    const c = sync.conflicts[id];
    const f = c?.fields.find((x) => x.field === field);
    if (!c || !f) throw new ExtensionError(ERROR_CODES.notFound, "heyan: that conflict is already settled");
    if (pick === "mine") {
      const area = c.kind === "person" ? state.people : state.filings;
      const rec = /** @type {Record<string, any>} */ (area[id]);
      if (rec) {
        rec[field] = f.mine;
        rec.rev = (Number(rec.rev) || 0) + 1;
        rec.updatedAt = new Date().toISOString();
      }
    }
    c.fields = c.fields.filter((x) => x !== f);
    if (!c.fields.length) delete sync.conflicts[id];
  });
  syncSoon();
  return syncStatus();
}
