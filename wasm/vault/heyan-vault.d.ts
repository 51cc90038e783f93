// The contract between the vault compiled to WebAssembly (wasm/vault/main.go,
// core/vault) and the extension's JavaScript. The format behind it is
// docs/VAULT.md.
//
// Loading: scripts/build-wasm writes dist/wasm/{heyan-vault.wasm,
// wasm_exec.js, heyan-vault.js, heyan-vault.d.ts}. Load wasm_exec.js, then
// heyan-vault.js, then call loadHeyanVault(urlOrBytes): the promise resolves
// with the vault once Go's main has registered every method; it is also left
// at globalThis.heyanVault. In Node: require both files and pass the .wasm
// bytes. The vault is a module of its own, apart from heyan-core.wasm: the
// MIIT page never loads it.
//
// Where to run it: deriveKeys runs argon2id at 64 MiB for about half a
// second and blocks its thread meanwhile, so run it in a dedicated Worker
// (new Worker(...) from an extension page, or an offscreen document), never in
// the service worker that answers the MIIT page; the module uses no DOM.
// WebAssembly memory grows to about 67 MiB with it and never shrinks (later
// derivations reuse it): a Worker that only derives keys can be terminated
// when done. The other methods take well under a millisecond and can run
// anywhere, the service worker included.
//
// Byte strings are base64url without padding (RFC 4648 §5), as the sync
// server's API sends and takes them, so results go into requests and
// chrome.storage as they are. Keep wrapKey and the vault key on the device
// (memory or chrome.storage.session); only authKey, wrappedKey, salt and
// record data go to the server.
//
// Errors: every method throws a HeyanVaultError. A wrong argument count or
// type, or an unknown field in an object argument, has code "usage" and a
// message naming the method and what it expected ("heyanVault.open: expected
// (input: object), got 0 arguments"; "heyanVault.open: input.lastVersion must
// be a number, not undefined"). Bad content has a vault code (below) and the
// message in both languages in `messages`. A panic inside a call is
// recovered and thrown with code "internal"; later calls keep working. If the
// Go program itself stopped (out of memory), calls throw code "exited" and the
// next loadHeyanVault starts a new one.

/** The error codes of core/vault (docs/VAULT.md, Errors), and the glue's own. */
export type VaultErrorCode =
  | "kdf-too-weak"
  | "kdf-unsupported"
  | "password-invalid"
  | "wrong-password"
  | "wrong-key"
  | "record-moved"
  | "record-rolled-back"
  | "bad-format"
  | "unsupported-version"
  | "bad-input"
  | "too-large"
  | "random-failed"
  | "internal"
  | "usage"
  | "exited";

/** Thrown by every heyanVault method. */
export interface HeyanVaultError extends Error {
  code: VaultErrorCode;
  /** What was wrong and what to do, for the user, without the method prefix. */
  messages: { "zh-CN": string; en: string };
}

/** GET /api/v1/kdf: the parameters for sign-up and password change. */
export interface PublishedKdf {
  alg: string;
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  /** The size of the salt to draw with newSalt. */
  saltBytes: number;
}

/** POST /api/v1/prelogin's kdf, or a published one with a fresh salt. */
export interface AccountKdf {
  alg: string;
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  /** base64url */
  salt: string;
}

export interface DerivedKeys {
  /** base64url, 32 bytes: the authKey of sign-up, sign-in, password change and account deletion. */
  authKey: string;
  /** base64url, 32 bytes: wraps and unwraps the vault key. Never send it. */
  wrapKey: string;
}

/**
 * Phase progress of deriveKeys: argon2id (step 1 of 3, nearly all the time),
 * hkdf (2), done (3). Go's argon2id reports nothing while it runs, so show an
 * indeterminate bar during argon2id.
 */
export interface DeriveProgress {
  phase: "argon2id" | "hkdf" | "done";
  step: 1 | 2 | 3;
  steps: 3;
}

export interface SealInput {
  /** base64url, 32 bytes */
  vaultKey: string;
  /** The account's ID from the server (sign-up, GET /api/v1/sessions/current). */
  accountId: string;
  /** The record's ID: 1 to 64 of A-Z a-z 0-9 _ - (choose it at random). */
  recordId: string;
  /** The record plaintext: JSON {"v":1,"kind":"person"|"filing","record":{…}} (docs/VAULT.md). */
  plaintext: string;
  /**
   * The newest version of this record ID the sync engine applied (kept per
   * ID, tombstones included), or 0 for an ID it never saw. Required.
   */
  lastVersion: number;
  /** The clock, in Unix milliseconds: Date.now(). */
  now: number;
}

export interface Sealed {
  /** base64url: the record's data for PUT /api/v1/records/{id}. 1 KiB to 64 KiB decoded. */
  data: string;
  /** The record's new version, max(lastVersion + 1, now): keep it as the ID's lastVersion once the server accepts the write. */
  version: number;
}

export interface OpenInput {
  /** base64url, 32 bytes */
  vaultKey: string;
  accountId: string;
  recordId: string;
  /** base64url: the record's data from GET /api/v1/records or a 412's current. */
  data: string;
  /**
   * The newest version of this record ID the sync engine applied, or 0 for
   * an ID it never saw. Required: an older sealed version throws
   * record-rolled-back and is not returned.
   */
  lastVersion: number;
}

export interface Opened {
  plaintext: string;
  /** The sealed version: keep it as the ID's lastVersion once the plaintext is applied. */
  version: number;
}

/** The client's built-in bounds (docs/VAULT.md, KDF parameter bounds). */
export interface VaultLimits {
  alg: "argon2id";
  minMemoryKiB: number;
  maxMemoryKiB: number;
  minIterations: number;
  maxIterations: number;
  minParallelism: number;
  maxParallelism: number;
  minSaltBytes: number;
  maxSaltBytes: number;
  /** After normalization, in UTF-8 bytes. */
  maxPasswordBytes: number;
  /** The largest plaintext seal takes, in UTF-8 bytes. */
  maxPlaintextBytes: number;
  /** 2^53 − 1 */
  maxVersion: number;
}

export interface HeyanVault {
  version: string;
  limits: VaultLimits;
  /**
   * Refuses parameters below the client's floor (kdf-too-weak) or outside its
   * other bounds (kdf-unsupported). Takes GET /api/v1/kdf's object (with
   * saltBytes) or an account's (with salt): check the published parameters
   * before sign-up. deriveKeys checks them again itself.
   */
  checkKdf(kdf: PublishedKdf | AccountKdf): void;
  /**
   * Password → argon2id → HKDF. The password is normalized (NFC, space
   * separators to U+0020, control characters refused: password-invalid).
   * Throws kdf-too-weak / kdf-unsupported before any work.
   */
  deriveKeys(password: string, kdf: AccountKdf, onProgress?: (p: DeriveProgress) => void): DerivedKeys;
  /** A random salt of saltBytes bytes (16 to 64), base64url. */
  newSalt(saltBytes: number): string;
  /** A random vault key, base64url: once per account, at sign-up. */
  newVaultKey(): string;
  /** The account's wrappedKey: at sign-up, and at password change with the new wrapKey. */
  wrapVaultKey(wrapKey: string, vaultKey: string): string;
  /** The vault key from a sign-in's wrappedKey; wrong-password when it does not open. */
  unwrapVaultKey(wrapKey: string, wrappedKey: string): string;
  seal(input: SealInput): Sealed;
  /**
   * Throws wrong-key (another vault's record), record-moved (sealed for
   * another account or ID, or altered), record-rolled-back (older than
   * lastVersion), bad-format or unsupported-version: flag the record to the
   * user and do not apply it.
   */
  open(input: OpenInput): Opened;
}

export type VaultSource = string | URL | BufferSource | WebAssembly.Module | Response | Promise<Response>;

declare global {
  var heyanVault: HeyanVault | undefined;
  /** Defined by heyan-vault.js. */
  function loadHeyanVault(source: VaultSource): Promise<HeyanVault>;
}
