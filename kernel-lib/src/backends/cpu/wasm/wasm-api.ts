// The slice of the WebAssembly JS API these kernels use, typed locally: the project's lib (ES2022, no DOM) and
// @types/node 20 do not declare the WebAssembly global, and declaring it globally would clash with lib.dom.
export interface WasmModule { readonly __brand: "WebAssembly.Module" }
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmInstance { readonly exports: Record<string, unknown> }
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (desc: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
}

/** The WebAssembly global, or undefined where the runtime has none. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
