// @ts-check
// Where the sync account lives on this device. The account (server address,
// email, account ID) is remembered in chrome.storage.local, so the options
// page can say whose it is and sign in again; the session (the token pair
// and the unlocked vault key) only in chrome.storage.session, which the
// browser keeps in memory and drops when it closes, and which content
// scripts cannot read. After a browser restart the account is locked until
// the user signs in again. Only the service worker writes either.

/** The key of the remembered account in chrome.storage.local. */
export const ACCOUNT_KEY = "heyan-account";
/** The key of the session in chrome.storage.session. */
export const SESSION_KEY = "heyan-sync-session";

/**
 * @typedef {{server: string, email: string, accountId: string}} Account
 * @typedef {{accessToken: string, refreshToken: string, expiresAt: number, vaultKey: string}} Session
 * expiresAt: when the access token stops working, in Unix ms (refreshed a
 * minute before).
 */

/** @returns {Promise<Account | null>} */
export async function readAccount() {
  const got = await chrome.storage.local.get(ACCOUNT_KEY);
  const a = got[ACCOUNT_KEY];
  return a && typeof a.server === "string" && typeof a.accountId === "string" ? a : null;
}

/** @param {Account | null} account */
export async function writeAccount(account) {
  if (account) await chrome.storage.local.set({ [ACCOUNT_KEY]: account });
  else await chrome.storage.local.remove(ACCOUNT_KEY);
}

/** @returns {Promise<Session | null>} */
export async function readSession() {
  const got = await chrome.storage.session.get(SESSION_KEY);
  const s = got[SESSION_KEY];
  return s && typeof s.vaultKey === "string" ? s : null;
}

/** @param {Session | null} session */
export async function writeSession(session) {
  if (session) await chrome.storage.session.set({ [SESSION_KEY]: session });
  else await chrome.storage.session.remove(SESSION_KEY);
}

/**
 * vaultKeyNow is the unlocked vault key, or "" when no account is unlocked.
 * @returns {Promise<string>}
 */
export async function vaultKeyNow() {
  const s = await readSession();
  return s ? s.vaultKey : "";
}
