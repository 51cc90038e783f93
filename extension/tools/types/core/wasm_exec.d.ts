// Go's wasm_exec.js as the build puts it beside the extension (core/):
// imported for its side effect, it defines globalThis.Go, which only the
// core's loader uses.
export {};
