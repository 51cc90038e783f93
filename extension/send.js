// @ts-check
// Sending one message to the service worker and unwrapping its reply,
// from a content script or an extension page.

import { ERROR_CODES } from "./messages.js";
import { ExtensionError, errorMessage } from "./errors.js";

/** @typedef {import("./messages.js").Message} Message */
/** @typedef {import("./messages.js").Replies} Replies */
/** @typedef {import("./messages.js").Envelope} Envelope */

/**
 * Told of every failure to reach the service worker: the content scripts use
 * it to notice that the extension was updated or reloaded.
 * @type {(err: unknown) => void}
 */
let onSendError = () => {
  // no reporter until a page sets one
};

/**
 * setSendErrorHandler names who is told when the worker cannot be reached.
 * @param {(err: unknown) => void} handler
 */
export function setSendErrorHandler(handler) {
  onSendError = handler;
}

/**
 * The pauses before a message is sent again when the service worker went
 * away before it replied. The browser stops the worker when it is idle (or
 * a debugger closes it) and starts it again for the next message; a message
 * that reached it while it was stopping is lost ("the message channel
 * closed before a response was received", "Receiving end does not exist").
 * Every message may be sent again: each is a read, an idempotent change, or
 * (record-result) carries the ID that makes the worker count it once.
 */
const RESEND_AFTER_MS = [100, 400, 1500];

/**
 * extensionAlive tells whether this script still belongs to a loaded
 * extension (chrome.runtime.id goes away when it is updated or removed).
 */
export function extensionAlive() {
  try {
    return !!chrome.runtime?.id;
  } catch {
    return false; // reading chrome.runtime itself threw: the context is gone
  }
}

/**
 * workerWentAway tells whether a failed sendMessage lost the worker in
 * passing (worth sending again) rather than the extension itself (updated,
 * reloaded or removed: this script is orphaned) or the message being refused.
 * @param {unknown} err
 */
function workerWentAway(err) {
  return (
    extensionAlive() &&
    /message channel closed|message port closed|Receiving end does not exist/i.test(errorMessage(err))
  );
}

/**
 * send delivers one message to the service worker and unwraps its reply. A
 * message the worker could not answer because it went away is sent again. A
 * refusal is thrown as an ExtensionError with the worker's code.
 * @template {Message} M
 * @param {M} message
 * @returns {Promise<Replies[M["type"]]>}
 */
export async function send(message) {
  /** @type {Envelope | undefined} */
  let reply;
  for (let attempt = 0; ; attempt++) {
    try {
      reply = await chrome.runtime.sendMessage(message);
      break;
    } catch (err) {
      if (attempt < RESEND_AFTER_MS.length && workerWentAway(err)) {
        await new Promise((resolve) => setTimeout(resolve, RESEND_AFTER_MS[attempt]));
        continue;
      }
      onSendError(err);
      const code = extensionAlive() ? ERROR_CODES.workerUnreachable : ERROR_CODES.extensionGone;
      throw new ExtensionError(code, `heyan: ${message.type}: ${errorMessage(err)}`);
    }
  }
  if (!reply) throw new ExtensionError(ERROR_CODES.workerUnreachable, `heyan: no reply to ${message.type}`);
  if (!reply.ok) throw new ExtensionError(reply.code || ERROR_CODES.internal, reply.message);
  return /** @type {Replies[M["type"]]} */ (reply.value);
}
