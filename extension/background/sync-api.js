// @ts-check
// The sync server's HTTP API (docs/SERVER.md) as the service worker calls
// it, and the client side of its token contract: this worker is the only
// place that refreshes, one refresh is in flight at a time, a retry is sent
// only after an attempt got no answer, the newest pair is kept, and a 401
// from refresh ends the session.

import { ERROR_CODES } from "../messages.js";
import { ExtensionError, errorMessage } from "../errors.js";
import { readSession, writeSession } from "./sync-session.js";

/** @typedef {import("./sync-session.js").Session} Session */

/** How long one request may take before it counts as unanswered. */
const TIMEOUT_MS = 20000;

/**
 * The server's codes (docs/SERVER.md, Errors) the user is told about in
 * words of their own; the rest are sync-refused with the server's message.
 * @type {Record<string, string>}
 */
const CODES = {
  unauthorized: ERROR_CODES.signedOut,
  email_taken: ERROR_CODES.emailTaken,
  throttled: ERROR_CODES.throttled,
  quota_exceeded: ERROR_CODES.quotaExceeded,
  unavailable: ERROR_CODES.syncOffline,
};

/**
 * A refusal by the server, with its code (docs/SERVER.md, Errors).
 */
export class ServerError extends ExtensionError {
  /**
   * @param {number} status
   * @param {string} serverCode
   * @param {string} message
   * @param {any} body
   */
  constructor(status, serverCode, message, body) {
    super(CODES[serverCode] || (status >= 500 ? ERROR_CODES.syncOffline : ERROR_CODES.syncRefused), message);
    this.status = status;
    this.serverCode = serverCode;
    this.body = body;
  }
}

/**
 * call makes one request to the server and gives its JSON body (null for
 * 204). No answer (offline, a wrong address, a timeout) is sync-offline; a
 * refusal is a ServerError with the server's code and message.
 * @param {string} server
 * @param {string} method
 * @param {string} path
 * @param {{body?: unknown, token?: string, headers?: Record<string, string>}} [opts]
 * @returns {Promise<{status: number, body: any}>}
 */
export async function call(server, method, path, opts = {}) {
  /** @type {Record<string, string>} */
  const headers = { ...(opts.headers || {}) };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(server + path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: "omit",
      cache: "no-store",
      redirect: "error",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new ExtensionError(
      ERROR_CODES.syncOffline,
      `heyan: the sync server did not answer (${errorMessage(err)}); changes wait and go out when it is back`,
    );
  }
  const text = await res.text().catch(() => "");
  /** @type {any} */
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (res.ok) return { status: res.status, body };
  const code = body?.error && typeof body.error.code === "string" ? body.error.code : `http-${res.status}`;
  const message = body?.error && typeof body.error.message === "string" ? body.error.message : `HTTP ${res.status}`;
  const retry = res.headers.get("Retry-After");
  throw new ServerError(
    res.status,
    code,
    `heyan: the sync server refused (${code}): ${message}${retry ? ` (try again in ${retry} s)` : ""}`,
    body,
  );
}

/** @type {Promise<Session> | null} */
let refreshing = null;

/**
 * refresh exchanges the session's refresh token for a new pair, once at a
 * time: callers that arrive while one is in flight share it. One retry, and
 * only when the first attempt got no answer (the server's 30 s grace is for
 * that). A 401 ends the session: the tokens go, the vault key stays (the
 * local copy stays readable), and the user signs in again.
 * @param {string} server
 * @returns {Promise<Session>}
 */
export function refresh(server) {
  if (!refreshing) {
    refreshing = (async () => {
      const session = await readSession();
      if (!session?.refreshToken)
        throw new ExtensionError(ERROR_CODES.signedOut, "heyan: the sync session ended: sign in again");
      let res;
      for (let attempt = 0; ; attempt++) {
        try {
          res = await call(server, "POST", "/api/v1/sessions/refresh", {
            body: { refreshToken: session.refreshToken },
          });
          break;
        } catch (err) {
          if (err instanceof ServerError) {
            if (err.status === 401) await writeSession({ ...session, accessToken: "", refreshToken: "", expiresAt: 0 });
            throw err;
          }
          if (attempt >= 1) throw err;
        }
      }
      const next = { ...session, ...tokens(res.body) };
      await writeSession(next);
      return next;
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/**
 * tokens is a token pair from a sign-in, refresh or password change.
 * @param {any} body
 */
export function tokens(body) {
  return {
    accessToken: String(body.accessToken),
    refreshToken: String(body.refreshToken),
    expiresAt: Date.now() + Number(body.expiresIn) * 1000,
  };
}

/**
 * authed makes a request with the session's access token, refreshing it
 * first when it is about to expire, and once more after a 401 (the token
 * may have been refused for its age).
 * @param {string} server
 * @param {string} method
 * @param {string} path
 * @param {{body?: unknown, headers?: Record<string, string>}} [opts]
 */
export async function authed(server, method, path, opts = {}) {
  let session = await readSession();
  if (!session?.refreshToken)
    throw new ExtensionError(ERROR_CODES.signedOut, "heyan: not signed in to sync: sign in on the options page");
  if (session.expiresAt - Date.now() < 60000) session = await refresh(server);
  try {
    return await call(server, method, path, { ...opts, token: session.accessToken });
  } catch (err) {
    if (!(err instanceof ServerError) || err.status !== 401) throw err;
    session = await refresh(server);
    return call(server, method, path, { ...opts, token: session.accessToken });
  }
}
