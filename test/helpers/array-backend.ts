import type { Backend, Storage } from "../../kernel-lib/src/backends/backend";
import { cpuBackend } from "../../kernel-lib/src/backends/cpu/index";
import { DType, TypedArray, allocate, dtypeOfArray } from "../../kernel-lib/src/tensor/dtype";

/**
 * A test-only backend that is deliberately unlike the CPU one: its storage is an `ArrayStorage`, an object whose
 * elements sit in a private field, not a TypedArray, so any code that indexes a tensor's storage, asks for its
 * `.length`, or dispatches on `instanceof Float32Array` outside the backend gets undefined/NaN or an error
 * instead of the right answer. Reads hand out copies, so code that writes into what `dataSync()` returned (which
 * the CPU backend would let through) changes nothing here. Each kernel runs the CPU kernel on the private arrays
 * (no copies, so whole notebooks run at nearly the CPU's speed). Never registered by the library itself: tests
 * select it with KERNEL_LIB_TEST_BACKEND=array (vitest) or KERNEL_LIB_BACKEND_MODULE (a notebook kernel).
 */
export class ArrayStorage {
  #host: TypedArray | null;
  constructor(readonly dtype: DType, host: TypedArray) {
    this.#host = host;
  }
  get freed(): boolean {
    return this.#host === null;
  }
  /** The elements, for this backend's kernels only. */
  host(): TypedArray {
    if (this.#host === null) throw new Error("array backend: storage used after it was freed");
    return this.#host;
  }
  release(): void {
    if (this.#host === null) throw new Error("array backend: storage freed twice");
    this.#host = null;
  }
}

/**
 * The array backend declares that it manages memory, so tensors free its storage when collected (or at
 * dispose()); these counters let tests check that they do. A freed storage throws when used again.
 */
export const arrayMemory = { allocated: 0, freed: 0 };

function toHost(s: Storage | null): TypedArray {
  const a = s as unknown;
  if (!(a instanceof ArrayStorage)) {
    throw new Error(`array backend: got ${a?.constructor?.name ?? String(a)} storage, not an ArrayStorage: some code bypassed the backend`);
  }
  return a.host();
}

const wrap = (host: TypedArray, dtype: DType = dtypeOfArray(host)): Storage => {
  arrayMemory.allocated += 1;
  return new ArrayStorage(dtype, host) as unknown as Storage;
};

/** Runs a CPU kernel on the private arrays of the storage arguments (at the positions `storageAt`). */
function viaCpu<A extends unknown[]>(args: A, storageAt: number[], run: (...a: A) => unknown): unknown {
  const hostArgs = [...args] as A;
  for (const i of storageAt) if (args[i] !== null && args[i] !== undefined) hostArgs[i] = toHost(args[i] as Storage);
  return run(...hostArgs);
}

export const arrayBackend: Backend = {
  device: "cpu",
  managesMemory: true,
  alloc: (dtype, length) => wrap(allocate(dtype, length), dtype),
  upload: (data) => wrap(data.slice()),
  readSync: (s) => toHost(s).slice(),
  read: (s) => Promise.resolve(toHost(s).slice()),
  write: (s, offset, data) => toHost(s).set(data, offset),
  free: (s) => {
    (s as unknown as ArrayStorage).release();
    arrayMemory.freed += 1;
  },
  fill: (out, value) => void viaCpu([out, value], [0], cpuBackend.fill),
  copy: (...a) => void viaCpu(a, [0, 2], cpuBackend.copy),
  strided: (...a) => void viaCpu(a, [0, 4], cpuBackend.strided),
  unary: (...a) => void viaCpu(a, [1, 2], cpuBackend.unary),
  binary: (...a) => void viaCpu(a, [1, 2, 3], cpuBackend.binary),
  where: (...a) => void viaCpu(a, [0, 1, 2, 3], cpuBackend.where),
  reduce: (...a) => void viaCpu(a, [1, 5], cpuBackend.reduce),
  softmax: (...a) => void viaCpu(a, [0, 4], cpuBackend.softmax),
  matmul: (...a) => void viaCpu(a, [0, 1, 2], cpuBackend.matmul),
  indexSelect: (...a) => void viaCpu(a, [0, 4, 5], cpuBackend.indexSelect),
  indexAdd: (...a) => void viaCpu(a, [0, 4, 5], cpuBackend.indexAdd),
  gather: (...a) => void viaCpu(a, [0, 4, 6], cpuBackend.gather),
  scatterAdd: (...a) => void viaCpu(a, [0, 4, 6], cpuBackend.scatterAdd),
  uniform: (...a) => void viaCpu(a, [0], cpuBackend.uniform),
  normal: (...a) => void viaCpu(a, [0], cpuBackend.normal),
  // the fused paths are left out on purpose: ops and optimizers must fall back to (or name) the primitives
};
