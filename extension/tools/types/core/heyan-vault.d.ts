// The vault's loader as the build puts it beside the extension
// (core/heyan-vault.js, copied from wasm/vault/): imported for its side
// effect, it defines loadHeyanVault (declared in wasm/vault/heyan-vault.d.ts).
export {};
