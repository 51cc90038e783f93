// The core's loader as the build puts it beside the extension
// (core/heyan-core.js, copied from wasm/): imported for its side effect, it
// defines loadHeyanCore (declared in wasm/heyan-core.d.ts).
export {};
