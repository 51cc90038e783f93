// @ts-check
// A sync server's address as the user types it, and the host permission it
// needs.

import { ERROR_CODES } from "./messages.js";
import { ExtensionError } from "./errors.js";

/**
 * normalizeServer checks a sync server's address as typed and gives it
 * without a trailing slash: https everywhere, plain http only on this
 * computer (loopback), where nothing crosses a network.
 * @param {string} text
 * @returns {string}
 */
export function normalizeServer(text) {
  let url;
  try {
    url = new URL(String(text).trim());
  } catch {
    throw new ExtensionError(
      ERROR_CODES.badInput,
      "heyan: the server address is not a URL; type it as https://sync.example.com",
    );
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ExtensionError(
      ERROR_CODES.badInput,
      "heyan: the server address must start with https:// (plain http:// only for a server on this computer)",
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ExtensionError(
      ERROR_CODES.badInput,
      "heyan: the server address must not carry a user, a query or a #fragment",
    );
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/**
 * serverOrigins is the optional host permission a sync server's address
 * needs (requested by the options page when the user signs in).
 * @param {string} server normalized
 * @returns {string[]}
 */
export function serverOrigins(server) {
  const url = new URL(server);
  return [`${url.protocol}//${url.hostname}/*`];
}
