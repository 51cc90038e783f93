// @ts-check
// The vault (core/vault compiled to WebAssembly) in the service worker, for
// what takes well under a millisecond: sealing and opening sync records,
// wrapping and unwrapping the vault key. Argon2id never runs here: the
// options page derives the keys in a Worker of its own, so that this worker
// keeps answering the MIIT page. Loaded on first use by sync only; the MIIT
// page never loads it.
//
// Also the encryption of the local copy while an account is signed in: the
// whole state, sealed with AES-256-GCM (WebCrypto) under a key derived from
// the vault key by HKDF, as docs/VAULT.md ("The local copy") specifies.

import { ERROR_CODES } from "../messages.js";
import { ExtensionError, errorMessage } from "../errors.js";

/** @typedef {import("../../wasm/vault/heyan-vault").HeyanVault} HeyanVault */

/** Where the build puts the vault module (scripts/bundle). */
export const VAULT_WASM = "core/heyan-vault.wasm";

/** @type {Promise<HeyanVault> | null} */
let loading = null;

/**
 * workerVault gives the vault, loading it on first use; a failed load is
 * forgotten, so the next call tries again.
 * @returns {Promise<HeyanVault>}
 */
export function workerVault() {
  if (!loading) {
    loading = loadHeyanVault(chrome.runtime.getURL(VAULT_WASM)).catch((err) => {
      loading = null;
      throw new ExtensionError(
        ERROR_CODES.coreUnavailable,
        `heyan: the vault did not start (${errorMessage(err)}); it is tried again with the next request`,
      );
    });
  }
  return loading;
}

/** The envelope version of the local copy, and its associated data. */
const LOCAL_V = 1;
const LOCAL_AD = new TextEncoder().encode("heyan-local-state/v1");
const HKDF_SALT = new TextEncoder().encode("heyan-vault/v1");
const HKDF_INFO = new TextEncoder().encode("heyan-vault/v1 local-state");

/**
 * The local copy as stored while an account is signed in.
 * @typedef {{v: number, iv: string, data: string}} SealedState
 */

/** @type {{vaultKey: string, key: Promise<CryptoKey>} | null} */
let cached = null;

/**
 * localKey is the AES-GCM key of the local copy for a vault key.
 * @param {string} vaultKey base64url
 * @returns {Promise<CryptoKey>}
 */
function localKey(vaultKey) {
  if (!cached || cached.vaultKey !== vaultKey) {
    const key = (async () => {
      const ikm = await crypto.subtle.importKey("raw", fromB64u(vaultKey), "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: HKDF_SALT, info: HKDF_INFO },
        ikm,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    })();
    cached = { vaultKey, key };
  }
  return cached.key;
}

/**
 * sealState encrypts the state's JSON under the vault key.
 * @param {string} vaultKey
 * @param {unknown} state
 * @returns {Promise<SealedState>}
 */
export async function sealState(vaultKey, state) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(state));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: LOCAL_AD },
    await localKey(vaultKey),
    plain,
  );
  return { v: LOCAL_V, iv: b64u(iv), data: b64u(new Uint8Array(ct)) };
}

/**
 * openState decrypts a sealed local copy; a wrong key or an altered copy is
 * refused (vault-locked names what to do).
 * @param {string} vaultKey
 * @param {SealedState} sealed
 * @returns {Promise<any>}
 */
export async function openState(vaultKey, sealed) {
  if (!sealed || sealed.v !== LOCAL_V || typeof sealed.iv !== "string" || typeof sealed.data !== "string") {
    throw new ExtensionError(
      ERROR_CODES.internal,
      `heyan: the encrypted local copy has a format this version does not know (${String(sealed?.v)})`,
    );
  }
  let plain;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromB64u(sealed.iv), additionalData: LOCAL_AD },
      await localKey(vaultKey),
      fromB64u(sealed.data),
    );
  } catch {
    throw new ExtensionError(
      ERROR_CODES.vaultLocked,
      "heyan: the local copy does not open with this account's key: sign in again with the account it belongs to",
    );
  }
  return JSON.parse(new TextDecoder().decode(plain));
}

/** @param {Uint8Array} bytes */
export function b64u(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** @param {string} text */
export function fromB64u(text) {
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
