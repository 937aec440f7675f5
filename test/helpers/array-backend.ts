import type { Backend, Storage } from "../../kernel-lib/src/backends/backend";
import { cpuBackend } from "../../kernel-lib/src/backends/cpu/index";
import { DType, TypedArray, allocate, dtypeOfArray } from "../../kernel-lib/src/tensor/dtype";

/**
 * A test-only backend that is deliberately unlike the CPU one: its storage is an `ArrayStorage` (a plain JS
 * number array with a dtype), not a TypedArray, so any code that indexes a tensor's storage, asks for its
 * `.length`, or dispatches on `instanceof Float32Array` outside the backend gets undefined/NaN or an error
 * instead of the right answer. Each kernel converts its operands to typed arrays, runs the CPU kernel, and
 * writes the result back (slow, and only for tests). Never registered by the library itself.
 */
export class ArrayStorage {
  freed = false;
  constructor(readonly dtype: DType, public values: number[]) {}
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
  if (a.freed) throw new Error("array backend: storage used after it was freed");
  const t = allocate(a.dtype, a.values.length);
  for (let i = 0; i < t.length; i++) t[i] = a.values[i];
  return t;
}

function store(s: Storage, host: TypedArray): void {
  (s as unknown as ArrayStorage).values = Array.from(host);
}

const wrap = (dtype: DType, values: ArrayLike<number>): Storage => {
  arrayMemory.allocated += 1;
  return new ArrayStorage(dtype, Array.from(values)) as unknown as Storage;
};

/** Runs a CPU kernel whose last storage argument(s) are written (`outs` lists their positions). */
function viaCpu<A extends unknown[]>(args: A, storageAt: number[], outs: number[], run: (...a: A) => unknown): unknown {
  const hostArgs = [...args] as A;
  for (const i of storageAt) if (args[i] !== null && args[i] !== undefined) hostArgs[i] = toHost(args[i] as Storage);
  const result = run(...hostArgs);
  for (const i of outs) if (args[i] !== null && args[i] !== undefined) store(args[i] as Storage, hostArgs[i] as TypedArray);
  return result;
}

export const arrayBackend: Backend = {
  device: "cpu",
  managesMemory: true,
  alloc: (dtype, length) => wrap(dtype, new Array<number>(length).fill(0)),
  upload: (data) => wrap(dtypeOfArray(data), data),
  readSync: (s) => toHost(s),
  read: (s) => Promise.resolve(toHost(s)),
  write: (s, offset, data) => {
    const host = toHost(s);
    host.set(data, offset);
    store(s, host);
  },
  free: (s) => {
    const a = s as unknown as ArrayStorage;
    if (a.freed) throw new Error("array backend: storage freed twice");
    a.freed = true;
    a.values = [];
    arrayMemory.freed += 1;
  },
  fill: (out, value) => void viaCpu([out, value], [0], [0], cpuBackend.fill),
  copy: (...a) => void viaCpu(a, [0, 2], [2], cpuBackend.copy),
  strided: (...a) => void viaCpu(a, [0, 4], [4], cpuBackend.strided),
  unary: (...a) => void viaCpu(a, [1, 2], [2], cpuBackend.unary),
  binary: (...a) => void viaCpu(a, [1, 2, 3], [3], cpuBackend.binary),
  where: (...a) => void viaCpu(a, [0, 1, 2, 3], [3], cpuBackend.where),
  reduce: (...a) => void viaCpu(a, [1, 5], [5], cpuBackend.reduce),
  softmax: (...a) => void viaCpu(a, [0, 4], [4], cpuBackend.softmax),
  matmul: (...a) => void viaCpu(a, [0, 1, 2], [2], cpuBackend.matmul),
  indexSelect: (...a) => void viaCpu(a, [0, 4, 5], [5], cpuBackend.indexSelect),
  indexAdd: (...a) => void viaCpu(a, [0, 4, 5], [5], cpuBackend.indexAdd),
  gather: (...a) => void viaCpu(a, [0, 4, 6], [6], cpuBackend.gather),
  scatterAdd: (...a) => void viaCpu(a, [0, 4, 6], [6], cpuBackend.scatterAdd),
  uniform: (...a) => void viaCpu(a, [0], [0], cpuBackend.uniform),
  normal: (...a) => void viaCpu(a, [0], [0], cpuBackend.normal),
  // the fused paths are left out on purpose: ops and optimizers must fall back to (or name) the primitives
};
