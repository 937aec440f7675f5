// Elementwise and reduction kernels on the wasm runtime, with TypeScript fallbacks.
import { checkFloat32, checkSameLength, checkDims } from "./check";
import { addBiasTs, reluBackwardTs, reluTs, sumRowsTs } from "./fallback";
import { getRuntime } from "./runtime";

type F32 = Float32Array;

/** out = max(x, 0) (NaN stays NaN); out may be x. */
export function wasmReluF32(x: F32, out: F32): void {
  const op = "wasmReluF32";
  checkFloat32(op, "x", x); checkFloat32(op, "out", out);
  const n = checkSameLength(op, { x, out });
  const rt = getRuntime();
  if (!rt) return reluTs(x, out);
  rt.resetArena();
  const p = rt.alloc(n * 4);
  rt.reserve();
  rt.f32().set(x, p >> 2);
  rt.exports.relu(p, p, n);
  out.set(rt.f32().subarray(p >> 2, (p >> 2) + n));
}

/** gx = x > 0 ? gy : 0 (the derivative at 0 is 0); x may be ReLU's input or output; gx may be gy. */
export function wasmReluBackwardF32(gy: F32, x: F32, gx: F32): void {
  const op = "wasmReluBackwardF32";
  checkFloat32(op, "gy", gy); checkFloat32(op, "x", x); checkFloat32(op, "gx", gx);
  const n = checkSameLength(op, { gy, x, gx });
  const rt = getRuntime();
  if (!rt) return reluBackwardTs(gy, x, gx);
  rt.resetArena();
  const g = rt.alloc(n * 4), xp = rt.alloc(n * 4);
  rt.reserve();
  const heap = rt.f32();
  heap.set(gy, g >> 2);
  heap.set(x, xp >> 2);
  rt.exports.reluBackward(g, xp, g, n);
  gx.set(heap.subarray(g >> 2, (g >> 2) + n));
}

/** out[r,c] = x[r,c] + bias[c] for x [rows, cols]; out may be x. */
export function wasmAddBiasF32(x: F32, bias: F32, out: F32, rows: number, cols: number): void {
  const op = "wasmAddBiasF32";
  checkDims(op, { rows, cols });
  checkFloat32(op, "x", x); checkFloat32(op, "bias", bias); checkFloat32(op, "out", out);
  checkSameLength(op, { x, out });
  if (x.length !== rows * cols) throw new Error(`${op}: x has ${x.length} elements, expected [${rows},${cols}]`);
  if (bias.length !== cols) throw new Error(`${op}: bias has ${bias.length} elements, expected [${cols}] for x [${rows},${cols}]`);
  const rt = getRuntime();
  if (!rt) return addBiasTs(x, bias, out, rows, cols);
  rt.resetArena();
  const xp = rt.alloc(rows * cols * 4), bp = rt.alloc(cols * 4);
  rt.reserve();
  const heap = rt.f32();
  heap.set(x, xp >> 2);
  heap.set(bias, bp >> 2);
  rt.exports.addBias(xp, bp, xp, rows, cols);
  out.set(heap.subarray(xp >> 2, (xp >> 2) + rows * cols));
}

/** out[c] = Σ_r x[r,c] for x [rows, cols], summed in row order (the bias gradient of a Linear layer). */
export function wasmSumRowsF32(x: F32, out: F32, rows: number, cols: number): void {
  const op = "wasmSumRowsF32";
  checkDims(op, { rows, cols });
  checkFloat32(op, "x", x); checkFloat32(op, "out", out);
  if (x.length !== rows * cols) throw new Error(`${op}: x has ${x.length} elements, expected [${rows},${cols}]`);
  if (out.length !== cols) throw new Error(`${op}: out has ${out.length} elements, expected [${cols}]`);
  const rt = getRuntime();
  if (!rt) return sumRowsTs(x, out, rows, cols);
  rt.resetArena();
  const xp = rt.alloc(rows * cols * 4), op2 = rt.alloc(cols * 4);
  rt.reserve();
  rt.f32().set(x, xp >> 2);
  rt.exports.sumRows(xp, op2, rows, cols);
  out.set(rt.f32().subarray(op2 >> 2, (op2 >> 2) + cols));
}
