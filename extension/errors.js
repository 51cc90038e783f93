// @ts-check
// The error a refused message becomes, and reading any thrown value.

import { ERROR_CODES } from "./messages.js";

/**
 * ExtensionError is an error with one of the codes above (or a core code):
 * what a refused message becomes on the sending side, and what the worker
 * throws to refuse one.
 */
export class ExtensionError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = "ExtensionError";
    /** @type {string} */
    this.code = code;
  }
}

/**
 * errorCode is the code of any thrown value: its own code, else internal.
 * @param {unknown} err
 * @returns {string}
 */
export function errorCode(err) {
  const code = err && typeof err === "object" ? /** @type {{code?: unknown}} */ (err).code : undefined;
  return typeof code === "string" && code ? code : ERROR_CODES.internal;
}

/**
 * errorMessage is the message of any thrown value.
 * @param {unknown} err
 * @returns {string}
 */
export function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}
