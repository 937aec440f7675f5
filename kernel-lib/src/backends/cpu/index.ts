import { Backend, BroadcastPlan, ElementwiseKernel, MatmulPlan, ReduceOp, asOpaqueBackend } from "../backend";
import { DType, TypedArray, allocate } from "../../tensor/dtype";
import type { Generator } from "../../tensor/random";
import { binary, unary, where } from "./elementwise";
import { reduce, softmax } from "./reduce";
import { gather, indexAdd, indexSelect, scatterAdd, strided } from "./indexing";
import { FloatArray, gemm, linearF32 } from "./gemm";
import { wasmReluBackwardF32, wasmReluF32, wasmSumRowsF32 } from "./wasm/elementwise";
import { wasmSoftmaxCrossEntropyF32 } from "./wasm/training";
import { getRuntime } from "./wasm/runtime";
import { adamStep, sgdStep } from "./optim";
import { allocUninitialized, allocZeroed, recycleArray } from "./pool";
import { nativeReluBackwardF32, nativeReluF32, nativeSgemm } from "./native";

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

/**
 * Long-lived float32 storage (a module's parameters, an optimizer's state) of at least this many elements is
 * allocated in wasm memory when the wasm kernels run the products, i.e. when the native addon is absent or off
 * (WasmRuntime.residentF32): the products and the optimizer steps then read it in place, where each call copied
 * it in (and the step copied it out) before. Smaller arrays cost little to copy and stay ordinary arrays.
 */
const RESIDENT_MIN = 4096;

function allocLongLived(dtype: DType, length: number): TypedArray {
  if (dtype === "float32" && length >= RESIDENT_MIN && nativeSgemm() === null) {
    try {
      const resident = getRuntime()?.residentF32(length);
      if (resident) return resident;
    } catch {
      // past the 2 GiB of wasm memory: an ordinary array, which the kernels copy in as before
    }
  }
  return allocate(dtype, length);
}

/**
 * The CPU backend: storage is a TypedArray, every kernel is a synchronous loop. Written against its own storage
 * type; `cpuBackend` below is the same object with opaque storage, as ops see it.
 */
export const cpuHostBackend: Backend<TypedArray> = {
  device: "cpu",
  alloc: allocZeroed,
  allocLongLived,
  allocUninitialized,
  recycle: recycleArray,
  upload: (data: TypedArray) => data,
  readSync: (s: TypedArray) => s,
  read: (s: TypedArray) => Promise.resolve(s),
  write: (s: TypedArray, offset: number, data: TypedArray | readonly number[]) => s.set(data, offset),
  free: () => undefined,
  fill: (out, value) => { out.fill(value); },
  copy(x, xOffset, out, outOffset, n) {
    if (x.constructor === out.constructor) out.set(x.subarray(xOffset, xOffset + n), outOffset);
    else for (let i = 0; i < n; i++) out[outOffset + i] = x[xOffset + i];
  },
  strided,
  // relu and its derivative (ops/defs/activations.ts) have SIMD kernels
  unary(kernel: ElementwiseKernel, x, out, p0, p1) {
    // the native loop works on the arrays in place; the wasm kernel copies both through wasm memory
    if (kernel.name === "relu" && x.length >= WASM_ELEMENTWISE_MIN && x instanceof Float32Array && out instanceof Float32Array) {
      if (nativeReluF32(x, out)) return;
      if (useWasmF32(x, out)) return wasmReluF32(x, out);
    }
    unary(kernel, x, out, p0, p1);
  },
  binary(kernel: ElementwiseKernel, a, b, out, plan: BroadcastPlan, p0, p1) {
    if (kernel.name === "reluGrad" && out.length >= WASM_ELEMENTWISE_MIN && a instanceof Float32Array && b instanceof Float32Array &&
        out instanceof Float32Array && a.length === out.length && b.length === out.length) {
      if (nativeReluBackwardF32(a, b, out)) return;
      if (useWasmF32(a, out)) return wasmReluBackwardF32(a, b, out);
    }
    binary(kernel, a, b, out, plan, p0, p1);
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
  // fused paths: float32 on the native/wasm GEMM and the wasm training kernels (need the wasm runtime)
  linear(x, w, bias, out, batch, inFeatures, outFeatures) {
    if (!(x instanceof Float32Array && w instanceof Float32Array && out instanceof Float32Array) ||
        (bias !== null && !(bias instanceof Float32Array)) || getRuntime() === null) return false;
    linearF32(x, w, bias, out, batch, inFeatures, outFeatures, false);
    return true;
  },
  sumRows(x, out, rows, cols) {
    if (!(x instanceof Float32Array && out instanceof Float32Array) || getRuntime() === null) return false;
    wasmSumRowsF32(x, out, rows, cols);
    return true;
  },
  softmaxCrossEntropy(logits, labels, rows, cols, scale, loss, grad) {
    if (!(logits instanceof Float32Array) || (grad !== null && !(grad instanceof Float32Array)) || getRuntime() === null) return false;
    const lab = labels instanceof Int32Array ? labels : Int32Array.from(labels);
    const total = wasmSoftmaxCrossEntropyF32(logits, lab, rows, cols, null, grad as Float32Array | null, scale);
    loss[0] = total * scale;
    return true;
  },
  sgdStep,
  adamStep,
};

export const cpuBackend: Backend = asOpaqueBackend(cpuHostBackend);
