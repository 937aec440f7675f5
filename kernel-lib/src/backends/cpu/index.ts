import type { Backend, BroadcastPlan, ElementwiseKernel, MatmulPlan, ReduceOp, Storage } from "../backend";
import { DType, TypedArray, allocate } from "../../tensor/dtype";
import type { Generator } from "../../tensor/random";
import { binary, unary, where } from "./elementwise";
import { reduce, softmax } from "./reduce";
import { gather, indexAdd, indexSelect, scatterAdd, strided } from "./indexing";
import { FloatArray, gemm } from "./gemm";
import { wasmReluBackwardF32, wasmReluF32 } from "./wasm/elementwise";
import { getRuntime } from "./wasm/runtime";

/**
 * Below this many elements the TypeScript loop beats the wasm call with its copies (measured: relu at 768
 * elements 0.69 µs TypeScript vs 0.59 µs wasm, at 120 elements 0.09 vs 0.30; 10x faster wasm at 65536).
 */
const WASM_ELEMENTWISE_MIN = 512;

function useWasmF32(x: TypedArray, out: TypedArray): boolean {
  return x instanceof Float32Array && out instanceof Float32Array && getRuntime() !== null;
}

function asFloat(op: string, x: TypedArray): FloatArray {
  if (x instanceof Float32Array || x instanceof Float64Array) return x;
  throw new Error(`${op}: the CPU kernel needs float32 or float64 storage`);
}

/** The CPU backend: storage is a TypedArray, every kernel is a synchronous loop. */
export const cpuBackend: Backend = {
  device: "cpu",
  alloc: (dtype: DType, length: number) => allocate(dtype, length),
  upload: (data: TypedArray) => data,
  readSync: (s: Storage) => s,
  read: (s: Storage) => Promise.resolve(s),
  free: () => undefined,
  fill: (out, value) => { out.fill(value); },
  copy(x, xOffset, out, outOffset, n) {
    if (x.constructor === out.constructor) out.set(x.subarray(xOffset, xOffset + n), outOffset);
    else for (let i = 0; i < n; i++) out[outOffset + i] = x[xOffset + i];
  },
  strided,
  // relu and its derivative (ops/defs/activations.ts) have SIMD kernels
  unary(kernel: ElementwiseKernel, x, out, p0, p1) {
    if (kernel.name === "relu" && useWasmF32(x, out) && x.length >= WASM_ELEMENTWISE_MIN) wasmReluF32(x as Float32Array, out as Float32Array);
    else unary(kernel, x, out, p0, p1);
  },
  binary(kernel: ElementwiseKernel, a, b, out, plan: BroadcastPlan, p0, p1) {
    if (kernel.name === "reluGrad" && out.length >= WASM_ELEMENTWISE_MIN && useWasmF32(a, out) && b instanceof Float32Array &&
        a.length === out.length && b.length === out.length) {
      wasmReluBackwardF32(a as Float32Array, b, out as Float32Array);
    } else binary(kernel, a, b, out, plan, p0, p1);
  },
  where,
  reduce: (op: ReduceOp, x, outer, size, inner, out) => reduce(op, x, outer, size, inner, out),
  softmax,
  matmul(a, b, out, plan: MatmulPlan) {
    const A = asFloat("matmul", a), B = asFloat("matmul", b), C = asFloat("matmul", out);
    for (let i = 0; i < plan.cOffsets.length; i++) {
      gemm(plan.transA, plan.transB, plan.m, plan.n, plan.k, A, plan.aOffsets[i], B, plan.bOffsets[i], C, plan.cOffsets[i], plan.accumulate);
    }
  },
  indexSelect,
  indexAdd,
  gather,
  scatterAdd,
  uniform(out, low, high, gen: Generator) {
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * gen.uniform();
  },
  normal(out, mean, std, gen: Generator) {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * gen.normal();
  },
};
