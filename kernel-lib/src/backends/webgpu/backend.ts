/**
 * The WebGPU backend: storage is a GPU buffer held by the device thread, named here by a number. Every kernel is a
 * KernelLaunch queued for the device thread; reads flush the queue and wait (readSync) or resolve later (read).
 * Freed buffers go to a pool by size and are cleared when reused (alloc promises zeros); emptyCache() destroys
 * the pool. The fused training paths (linear with its bias, softmax-cross-entropy, SGD/Adam steps) are kernels too.
 */
import type { AdamStepArgs, Backend, BroadcastPlan, ElementwiseKernel, MatmulPlan, ReduceOp, SgdStepArgs } from "../backend";
import { asOpaqueBackend } from "../backend";
import { DType, TypedArray, allocate, dtypeOfArray } from "../../tensor/dtype";
import type { Generator } from "../../tensor/random";
import type { DeviceClient } from "./client";
import type { KernelLaunch } from "./launch";
import { copyLaunch, fillLaunch, mapLaunch, stridedLaunch, walksContiguously, whereLaunch } from "./kernels/elementwise";
import { addAtLaunch, selectLaunch } from "./kernels/indexing";
import { MatmulStyle, matmulLaunches } from "./kernels/matmul";
import { reduceLaunch, softmaxLaunch } from "./kernels/reduce";
import { adamLaunch, crossEntropyRowsLaunch, sgdLaunch } from "./kernels/training";
import { float64Error, wgslType } from "./wgsl/common";

export interface GpuStorage {
  readonly id: number;
  readonly dtype: DType;
  readonly length: number;
  /** the buffer's size: 4 bytes per element, at least 16, a multiple of 16 */
  readonly bytes: number;
  freed: boolean;
}

export interface GpuMemory {
  /** bytes of buffers that hold a live tensor's storage */
  allocated: number;
  /** bytes of freed buffers kept for reuse */
  cached: number;
}

const SCALE: ElementwiseKernel = { name: "webgpuScale", args: ["x"], expr: "x * p0" };

const bytesFor = (length: number): number => Math.max(16, Math.ceil((length * 4) / 16) * 16);

/** Host elements in the storage type's layout (4 bytes each). */
function toWords(dtype: DType, data: TypedArray | readonly number[]): ArrayBuffer {
  switch (wgslType(dtype)) {
    case "f32":
      return Float32Array.from(data as ArrayLike<number>).buffer;
    case "i32":
      return Int32Array.from(data as ArrayLike<number>).buffer;
    case "u32": {
      const bytes = data instanceof Uint8Array ? data : Uint8Array.from(data as ArrayLike<number>);
      return Uint32Array.from(bytes).buffer;
    }
  }
}

function fromWords(dtype: DType, words: ArrayBuffer, length: number): TypedArray {
  switch (wgslType(dtype)) {
    case "f32":
      return new Float32Array(words, 0, length);
    case "i32":
      return new Int32Array(words, 0, length);
    case "u32":
      return Uint8Array.from(new Uint32Array(words, 0, length));
  }
}

function matmulStyleFor(software: boolean): MatmulStyle {
  const v = process.env.KERNEL_LIB_WEBGPU_MATMUL;
  if (v === undefined || v === "" || v === "auto") return software ? "registers" : "tiled";
  if (v === "tiled" || v === "registers") return v;
  throw new Error(`KERNEL_LIB_WEBGPU_MATMUL=${v}: expected auto, tiled or registers`);
}

export class WebGpuBackend implements Backend<GpuStorage> {
  readonly device = "webgpu" as const;
  readonly managesMemory = true;
  /** no float64: WGSL has no 64-bit floats */
  readonly dtypes: readonly DType[] = ["float32", "int32", "uint8", "bool"];
  readonly memory: GpuMemory = { allocated: 0, cached: 0 };
  private readonly pool = new Map<number, number[]>();
  /**
   * Which matmul kernel runs: shared-memory tiles on a GPU, barrier-free register blocks on a software adapter
   * (kernels/matmul.ts says why). KERNEL_LIB_WEBGPU_MATMUL=tiled|registers overrides it; tests switch it to cover
   * both kernels on whichever adapter they have.
   */
  matmulStyle: MatmulStyle;

  constructor(private readonly client: DeviceClient) {
    this.matmulStyle = matmulStyleFor(client.adapter?.software ?? false);
  }

  private check(s: GpuStorage): GpuStorage {
    if (s.freed) throw new Error("webgpu: a tensor's storage was used after it was freed (dispose())");
    return s;
  }

  private run(launch: KernelLaunch | null): void {
    if (launch) this.client.launch(launch);
  }

  /**
   * Runs `launch(o)` writing `out`, through a temporary when `out` is also one of the inputs (WebGPU forbids a
   * buffer bound writable and readable in one dispatch; in-place ops do this). The temporary starts as a copy of
   * out, so kernels that write only part of it (copy at an offset, batched products) or add into it keep the rest.
   */
  private into(out: GpuStorage, inputs: readonly GpuStorage[], launch: (o: GpuStorage) => KernelLaunch | KernelLaunch[] | null): void {
    this.check(out);
    for (const x of inputs) this.check(x);
    const aliased = inputs.some((x) => x.id === out.id);
    const target = aliased ? this.alloc(out.dtype, out.length) : out;
    if (aliased) this.run(copyLaunch(out, 0, target, 0, out.length));
    const made = launch(target);
    for (const l of Array.isArray(made) ? made : made ? [made] : []) this.client.launch(l);
    if (aliased) {
      this.run(copyLaunch(target, 0, out, 0, out.length));
      this.free(target);
    }
  }

  alloc(dtype: DType, length: number): GpuStorage {
    if (dtype === "float64") throw float64Error();
    const bytes = bytesFor(length);
    const pooled = this.pool.get(bytes);
    let id: number;
    if (pooled && pooled.length > 0) {
      id = pooled.pop()!;
      this.memory.cached -= bytes;
      this.client.push({ op: "clear", id, bytes });
    } else {
      id = this.client.newBuffer(bytes);
    }
    this.memory.allocated += bytes;
    return { id, dtype, length, bytes, freed: false };
  }

  upload(data: TypedArray): GpuStorage {
    const dtype = dtypeOfArray(data);
    const s = this.alloc(dtype, data.length);
    this.write(s, 0, data);
    return s;
  }

  readSync(s: GpuStorage): TypedArray {
    this.check(s);
    if (s.length === 0) return allocate(s.dtype, 0);
    return fromWords(s.dtype, this.client.readSync(s.id, s.length * 4), s.length);
  }

  async read(s: GpuStorage): Promise<TypedArray> {
    this.check(s);
    if (s.length === 0) return allocate(s.dtype, 0);
    return fromWords(s.dtype, await this.client.read(s.id, s.length * 4), s.length);
  }

  write(s: GpuStorage, offset: number, data: TypedArray | readonly number[]): void {
    this.check(s);
    if (data.length === 0) return;
    if (offset < 0 || offset + data.length > s.length) {
      throw new Error(`webgpu: write of ${data.length} elements at ${offset} into a storage of ${s.length}`);
    }
    this.client.push({ op: "write", id: s.id, offset: offset * 4, data: toWords(s.dtype, data) });
  }

  free(s: GpuStorage): void {
    if (s.freed) return;
    s.freed = true;
    this.memory.allocated -= s.bytes;
    this.memory.cached += s.bytes;
    const list = this.pool.get(s.bytes);
    if (list) list.push(s.id);
    else this.pool.set(s.bytes, [s.id]);
  }

  /** Destroys the pooled buffers (torch.webgpu.emptyCache()). */
  emptyCache(): void {
    for (const ids of this.pool.values()) for (const id of ids) this.client.push({ op: "destroy", id });
    this.pool.clear();
    this.memory.cached = 0;
    this.client.flush();
  }

  /** Blocks until the device has run everything queued (a one-word read after it). */
  synchronize(): void {
    if (!this.syncBuffer) this.syncBuffer = this.client.newBuffer(16);
    this.client.readSync(this.syncBuffer, 4);
  }
  private syncBuffer: number | null = null;

  fill(out: GpuStorage, value: number): void {
    this.run(fillLaunch(this.check(out), out.length, value));
  }

  copy(x: GpuStorage, xOffset: number, out: GpuStorage, outOffset: number, n: number): void {
    this.into(out, [x], (o) => copyLaunch(x, xOffset, o, outOffset, n));
  }

  strided(x: GpuStorage, offset: number, shape: readonly number[], strides: readonly number[], out: GpuStorage): void {
    this.into(out, [x], (o) => stridedLaunch(x, offset, shape, strides, o));
  }

  unary(kernel: ElementwiseKernel, x: GpuStorage, out: GpuStorage, p0 = 0, p1 = 0): void {
    this.run(mapLaunch(kernel, [this.check(x)], this.check(out), { shape: [x.length], strides: [[1]] }, p0, p1));
  }

  binary(kernel: ElementwiseKernel, a: GpuStorage, b: GpuStorage, out: GpuStorage, plan: BroadcastPlan, p0 = 0, p1 = 0): void {
    if (walksContiguously(plan)) this.run(mapLaunch(kernel, [this.check(a), this.check(b)], this.check(out), plan, p0, p1));
    else this.into(out, [a, b], (o) => mapLaunch(kernel, [a, b], o, plan, p0, p1));
  }

  where(cond: GpuStorage, a: GpuStorage, b: GpuStorage, out: GpuStorage, plan: BroadcastPlan): void {
    if (walksContiguously(plan)) this.run(whereLaunch(this.check(cond), this.check(a), this.check(b), this.check(out), plan));
    else this.into(out, [cond, a, b], (o) => whereLaunch(cond, a, b, o, plan));
  }

  reduce(op: ReduceOp, x: GpuStorage, outer: number, size: number, inner: number, out: GpuStorage): void {
    this.into(out, [x], (o) => reduceLaunch(op, x, outer, size, inner, o));
  }

  softmax(x: GpuStorage, outer: number, size: number, inner: number, out: GpuStorage, log: boolean): void {
    this.into(out, [x], (o) => softmaxLaunch(x, outer, size, inner, o, log));
  }

  matmul(a: GpuStorage, b: GpuStorage, out: GpuStorage, plan: MatmulPlan): void {
    this.into(out, [a, b], (o) => matmulLaunches(a, b, o, plan, null, this.matmulStyle));
  }

  indexSelect(x: GpuStorage, outer: number, size: number, inner: number, index: GpuStorage, out: GpuStorage): void {
    this.into(out, [x, index], (o) => selectLaunch(x, outer, size, inner, index, index.length, o, false));
  }

  indexAdd(src: GpuStorage, outer: number, size: number, inner: number, index: GpuStorage, out: GpuStorage): void {
    this.into(out, [src, index], (o) => addAtLaunch(src, outer, size, inner, index, index.length, o, false));
  }

  gather(x: GpuStorage, outer: number, size: number, inner: number, index: GpuStorage, idxSize: number, out: GpuStorage): void {
    this.into(out, [x, index], (o) => selectLaunch(x, outer, size, inner, index, idxSize, o, true));
  }

  scatterAdd(src: GpuStorage, outer: number, size: number, inner: number, index: GpuStorage, idxSize: number, out: GpuStorage): void {
    this.into(out, [src, index], (o) => addAtLaunch(src, outer, size, inner, index, idxSize, o, true));
  }

  // ---- fused paths ------------------------------------------------------------------------------------------
  linear(x: GpuStorage, w: GpuStorage, bias: GpuStorage | null, out: GpuStorage, batch: number, inFeatures: number, outFeatures: number): boolean {
    if (x.dtype !== "float32" || w.dtype !== "float32" || (bias && bias.dtype !== "float32")) return false;
    const plan: MatmulPlan = {
      m: batch, n: outFeatures, k: inFeatures, transA: false, transB: true, accumulate: false, aOffsets: [0], bOffsets: [0], cOffsets: [0],
    };
    this.into(out, bias ? [x, w, bias] : [x, w], (o) => matmulLaunches(x, w, o, plan, bias, this.matmulStyle));
    return true;
  }

  sumRows(x: GpuStorage, out: GpuStorage, rows: number, cols: number): boolean {
    this.reduce("sum", x, 1, rows, cols, out);
    return true;
  }

  softmaxCrossEntropy(logits: GpuStorage, labels: GpuStorage, rows: number, cols: number, scale: number, loss: GpuStorage, grad: GpuStorage | null): boolean {
    if (logits.dtype !== "float32" || labels.dtype !== "int32") return false;
    const rowLoss = this.alloc("float32", rows);
    this.run(crossEntropyRowsLaunch(this.check(logits), this.check(labels), rows, cols, scale, rowLoss, grad ? this.check(grad) : null));
    const total = this.alloc("float32", 1);
    this.reduce("sum", rowLoss, 1, rows, 1, total);
    this.unary(SCALE, total, this.check(loss), scale);
    this.free(rowLoss);
    this.free(total);
    return true;
  }

  sgdStep(param: GpuStorage, grad: GpuStorage, buf: GpuStorage | null, args: SgdStepArgs): void {
    this.run(sgdLaunch(this.check(param), this.check(grad), buf ? this.check(buf) : null, param.length, args));
  }

  adamStep(param: GpuStorage, grad: GpuStorage, m: GpuStorage, v: GpuStorage, vmax: GpuStorage | null, args: AdamStepArgs): void {
    this.run(adamLaunch(this.check(param), this.check(grad), this.check(m), this.check(v), vmax ? this.check(vmax) : null, param.length, args));
  }

  // Random numbers are drawn on the host from the seeded generator, in the CPU backend's order and formula, and
  // uploaded: the same numbers on both devices.
  uniform(out: GpuStorage, low: number, high: number, gen: Generator): void {
    const host = allocate(out.dtype, out.length);
    for (let i = 0; i < host.length; i++) host[i] = low + (high - low) * gen.uniform();
    this.write(out, 0, host);
  }

  normal(out: GpuStorage, mean: number, std: number, gen: Generator): void {
    const host = allocate(out.dtype, out.length);
    for (let i = 0; i < host.length; i++) host[i] = mean + std * gen.normal();
    this.write(out, 0, host);
  }
}

export function opaque(backend: WebGpuBackend): Backend {
  return asOpaqueBackend(backend);
}
