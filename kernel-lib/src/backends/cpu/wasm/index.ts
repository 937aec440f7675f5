// WebAssembly SIMD kernels for the CPU backend (float32): GEMM, fused Linear, loss and optimizer steps,
// elementwise ops. Relaxed-SIMD FMA where the runtime validates it, plain SIMD otherwise, TypeScript last.
import { detectWasmSupport, getRuntime, setWasmMode, wasmMode, WasmMode } from "./runtime";
import { readyWorkerCount, shutdownThreads, startThreads } from "./threads";

export { wasmGemmF32, wasmLinearF32, THREAD_MIN_MACS, SPLIT_FINE_MACS } from "./gemm";
export { wasmSoftmaxCrossEntropyF32, wasmSgdStepF32, wasmAdamStepF32, wasmAdamStepPrecomputedF32 } from "./training";
export type { SgdOptions, AdamOptions, AdamCoefficients } from "./training";
export { wasmReluF32, wasmReluBackwardF32, wasmAddBiasF32, wasmSumRowsF32 } from "./elementwise";
export { gemmF32Ts } from "./fallback";
export { setWasmMode, wasmMode, detectWasmSupport };
export type { WasmMode };

export interface WasmKernelInfo {
  /** The kernel path in effect. */
  mode: WasmMode;
  /** Whether this runtime validates the relaxed-SIMD build (Node 20: --experimental-wasm-relaxed-simd). */
  relaxedSimdAvailable: boolean;
  simdAvailable: boolean;
  /** Worker threads ready to take GEMM column ranges (the calling thread always takes one more). */
  workers: number;
}

export function wasmKernelInfo(): WasmKernelInfo {
  const support = detectWasmSupport();
  const rt = getRuntime();
  return { mode: wasmMode(), relaxedSimdAvailable: support.relaxedSimd, simdAvailable: support.simd, workers: rt ? readyWorkerCount(rt) : 0 };
}

/** Starts the GEMM worker threads now (otherwise the first large product starts them) and waits until they are ready. */
export function wasmThreadsReady(): Promise<number> {
  return startThreads(getRuntime());
}

/** Terminates the worker threads (they are unref'd, so a process exits without this). */
export function shutdownWasmThreads(): Promise<void> {
  return shutdownThreads();
}
