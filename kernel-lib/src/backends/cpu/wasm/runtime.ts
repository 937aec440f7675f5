// The wasm kernel instance of the calling thread: mode detection, shared memory layout, a bump arena that each
// kernel call resets (nothing is cached across calls, so nothing can go stale), and below it the resident region:
// arrays that live in wasm memory as a parameter's own storage (residentF32), which the kernels read in place.
import { KERNELS_RELAXED_SIMD_BASE64, KERNELS_SIMD_BASE64 } from "./generated/binaries";
import { ResidentRegion } from "./resident";
import { wasmApi, WasmMemory, WasmModule } from "./wasm-api";

export type WasmMode = "relaxed-simd" | "simd" | "off";

/** The functions of kernel-lib/wasm/kernels.ts; pointers are byte offsets, bools are 0/1. */
export interface KernelExports {
  heapBase(): number;
  packBytesA(): number;
  packBytesB(): number;
  gemmRange(
    transA: number, transB: number, m: number, n: number, k: number, a: number, b: number, c: number,
    accumulate: number, bias: number, relu: number, n0: number, n1: number, scratchA: number, scratchB: number, tmp: number,
  ): void;
  softmaxCrossEntropy(logits: number, labels: number, rows: number, cols: number, losses: number, grad: number, gradScale: number): number;
  sgdStep(p: number, g: number, buf: number, n: number, lr: number, momentum: number, weightDecay: number, nesterov: number, first: number): void;
  sgdPlainF32(p: number, g: number, n: number, lr: number): void;
  adamStep(
    p: number, g: number, m: number, v: number, n: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
    eps: number, weightDecay: number, decoupled: number, decay: number, stepSize: number, bc2Sqrt: number,
  ): void;
  relu(x: number, out: number, n: number): void;
  reluBackward(gy: number, x: number, gx: number, n: number): void;
  addBias(x: number, bias: number, out: number, rows: number, cols: number): void;
  sumRows(x: number, out: number, rows: number, cols: number): void;
}

const PAGE = 65536;
const MAX_PAGES = 32768; // must match --maximumMemory in kernel-lib/wasm/build.mjs
/** Thread slots with their own packing scratch: the calling thread is slot 0, workers 1.. */
export const MAX_SLOTS = 8;
export const CTRL_WORDS = 256;

function decodeBase64(text: string): Uint8Array {
  if (typeof Buffer !== "undefined") return new Uint8Array(Buffer.from(text, "base64"));
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let simdBytes: Uint8Array | undefined;
let relaxedBytes: Uint8Array | undefined;
function binary(mode: "simd" | "relaxed-simd"): Uint8Array {
  if (mode === "simd") return (simdBytes ??= decodeBase64(KERNELS_SIMD_BASE64));
  return (relaxedBytes ??= decodeBase64(KERNELS_RELAXED_SIMD_BASE64));
}

/** Which wasm builds this runtime can run: validated against the actual binaries, not guessed from versions. */
export function detectWasmSupport(): { simd: boolean; relaxedSimd: boolean } {
  const api = wasmApi;
  if (!api || typeof SharedArrayBuffer !== "function") return { simd: false, relaxedSimd: false };
  const ok = (mode: "simd" | "relaxed-simd"): boolean => {
    try {
      return api.validate(binary(mode));
    } catch {
      return false;
    }
  };
  return { simd: ok("simd"), relaxedSimd: ok("relaxed-simd") };
}

export class WasmRuntime {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly exports: KernelExports;
  /** Byte offset of the Int32 control block shared with the worker threads. */
  readonly ctrlOffset: number;
  readonly slotBytes: number;
  private readonly slotsBase: number;
  /** Blocks that outlive a call (residentF32); the per-call arena starts at its top. */
  private readonly resident: ResidentRegion;
  private readonly residentPtrs = new WeakMap<Float32Array, number>();
  private arenaTop: number;
  private heapF32: Float32Array;
  private heapI32: Int32Array;

  constructor(readonly mode: "simd" | "relaxed-simd") {
    const api = wasmApi;
    if (!api) throw new Error("wasm kernels: this runtime has no WebAssembly");
    this.module = new api.Module(binary(mode));
    this.memory = new api.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    this.exports = new api.Instance(this.module, { env: { memory: this.memory } }).exports as unknown as KernelExports;
    const align = (x: number): number => Math.ceil(x / 64) * 64;
    this.ctrlOffset = align(this.exports.heapBase());
    this.slotBytes = align(this.exports.packBytesA()) + align(this.exports.packBytesB()) + 256;
    this.slotsBase = this.ctrlOffset + CTRL_WORDS * 4;
    this.resident = new ResidentRegion(align(this.slotsBase + MAX_SLOTS * this.slotBytes));
    this.arenaTop = this.resident.top;
    this.reserve();
    this.heapF32 = new Float32Array(this.memory.buffer);
    this.heapI32 = new Int32Array(this.memory.buffer);
  }

  /** Packing scratch of one thread slot: [scratchA, scratchB, tmp] byte offsets. */
  slot(index: number): [number, number, number] {
    const base = this.slotsBase + index * this.slotBytes;
    const a = Math.ceil(this.exports.packBytesA() / 64) * 64;
    const b = Math.ceil(this.exports.packBytesB() / 64) * 64;
    return [base, base + a, base + a + b];
  }

  /** Starts a kernel call: forgets every buffer of the previous call. */
  resetArena(): void {
    this.arenaTop = this.resident.top;
  }

  /**
   * A zero-filled Float32Array of `length` elements that lives in this runtime's memory until the garbage collector
   * takes it (then its block is returned), or null where there is no FinalizationRegistry to return it with. The
   * kernels read it in place (residentOffset) instead of copying it in on every call. The memory is shared, so the
   * view stays valid when the memory grows. Only called between kernel calls (the arena moves up past it).
   */
  residentF32(length: number): Float32Array | null {
    if (!residentRegistry) return null;
    const bytes = residentBlockBytes(length);
    const ptr = this.resident.alloc(bytes);
    try {
      this.arenaTop = Math.max(this.arenaTop, this.resident.top);
      this.reserve();
    } catch (e) {
      this.resident.release(ptr, bytes);
      throw e;
    }
    const view = new Float32Array(this.memory.buffer, ptr, length);
    view.fill(0); // a reused block holds what its last owner left
    this.residentPtrs.set(view, ptr);
    residentRegistry.register(view, { rt: this, ptr, bytes }, view);
    return view;
  }

  /**
   * Returns the block of a residentF32 array now instead of when it is collected; the array must not be used
   * afterwards (its memory is handed out again). False when `a` is not a resident array of this runtime.
   */
  freeResident(a: Float32Array): boolean {
    const ptr = this.residentPtrs.get(a);
    if (ptr === undefined || !residentRegistry) return false;
    residentRegistry.unregister(a);
    this.residentPtrs.delete(a);
    this.resident.release(ptr, residentBlockBytes(a.length));
    return true;
  }

  /** Byte offset of `a` in this runtime's memory when residentF32 made it, else -1. */
  residentOffset(a: Float32Array): number {
    return this.residentPtrs.get(a) ?? -1;
  }

  /** Bytes of the resident region in use and in holes (diagnostics and tests). */
  residentBytes(): { top: number; holes: number } {
    return { top: this.resident.top - this.resident.base, holes: this.resident.holeBytes() };
  }

  /** Returns the block of a collected resident array (the FinalizationRegistry calls it, between kernel calls). */
  releaseResident(ptr: number, bytes: number): void {
    this.resident.release(ptr, bytes);
  }

  /** Reserves bytes (64-byte aligned) in the arena; call reserve() before touching them. */
  alloc(bytes: number): number {
    const ptr = this.arenaTop;
    this.arenaTop += Math.ceil(bytes / 64) * 64 + 64; // 64 bytes of slack for in-place vector reads past the end
    return ptr;
  }

  /** Grows memory to cover everything allocated so far. */
  reserve(): void {
    const end = Math.max(this.arenaTop, this.resident.top);
    const need = Math.ceil(end / PAGE);
    const have = this.memory.buffer.byteLength / PAGE;
    if (need > MAX_PAGES) throw new Error(`wasm kernels: ${end} bytes exceed the 2 GiB kernel memory`);
    if (need > have) this.memory.grow(need - have);
  }

  f32(): Float32Array {
    if (this.heapF32.buffer.byteLength !== this.memory.buffer.byteLength) this.refreshViews();
    return this.heapF32;
  }

  i32(): Int32Array {
    if (this.heapI32.buffer.byteLength !== this.memory.buffer.byteLength) this.refreshViews();
    return this.heapI32;
  }

  private refreshViews(): void {
    this.heapF32 = new Float32Array(this.memory.buffer);
    this.heapI32 = new Int32Array(this.memory.buffer);
  }
}

/** Bytes of the block behind a resident array: 64 of slack for vector reads past the end, as in the arena. */
function residentBlockBytes(length: number): number {
  return length * 4 + 64;
}

interface ResidentBlock {
  rt: WasmRuntime;
  ptr: number;
  bytes: number;
}
const residentRegistry = typeof FinalizationRegistry === "function"
  ? new FinalizationRegistry<ResidentBlock>((block) => block.rt.releaseResident(block.ptr, block.bytes))
  : null;

function modeFromEnv(): WasmMode | "auto" {
  const value = typeof process !== "undefined" ? process.env.KERNEL_LIB_WASM : undefined;
  if (value === undefined || value === "" || value === "auto") return "auto";
  if (value === "off" || value === "simd" || value === "relaxed-simd") return value;
  throw new Error(`KERNEL_LIB_WASM must be auto, relaxed-simd, simd or off, got "${value}"`);
}

let current: WasmRuntime | null | undefined;
const listeners: Array<() => void> = [];

/** Called before the runtime is replaced (the thread pool shuts down its workers). */
export function onRuntimeReplaced(fn: () => void): void {
  listeners.push(fn);
}

function create(requested: WasmMode | "auto"): WasmRuntime | null {
  const support = detectWasmSupport();
  if (requested === "off") return null;
  if (requested === "relaxed-simd" && !support.relaxedSimd) {
    throw new Error("wasm mode relaxed-simd is not available in this runtime (Node 20 needs --experimental-wasm-relaxed-simd)");
  }
  if (requested === "simd" && !support.simd) throw new Error("wasm mode simd is not available in this runtime");
  if (requested === "auto") {
    if (support.relaxedSimd) return new WasmRuntime("relaxed-simd");
    return support.simd ? new WasmRuntime("simd") : null;
  }
  return new WasmRuntime(requested);
}

/** The runtime of the calling thread, created on first use; null when kernels run in TypeScript. */
export function getRuntime(): WasmRuntime | null {
  if (current === undefined) current = create(modeFromEnv());
  return current;
}

/**
 * Chooses the kernel path for this process ("auto": relaxed SIMD, else SIMD, else TypeScript).
 * Throws when the requested path is unavailable. Returns the mode now in effect.
 */
export function setWasmMode(mode: WasmMode | "auto"): WasmMode {
  for (const fn of listeners) fn();
  current = create(mode);
  return current ? current.mode : "off";
}

export function wasmMode(): WasmMode {
  const rt = getRuntime();
  return rt ? rt.mode : "off";
}
