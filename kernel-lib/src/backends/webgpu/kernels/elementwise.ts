/**
 * Elementwise launches: unary and binary kernels compiled from their ops/defs declaration, where, fill, copy
 * (with dtype conversion) and strided gathers. Broadcast and strided operands index through their strides over
 * the collapsed output shape (uniforms); each distinct (kernel, dtypes, rank) is one shader.
 */
import type { BroadcastPlan, ElementwiseKernel } from "../../backend";
import type { DType } from "../../../tensor/dtype";
import type { BufferRef, KernelLaunch } from "../launch";
import { compileExpression } from "../wgsl/expression";
import { WGSL_LIBRARY, WGSL_STORE_LIBRARY } from "../wgsl/library";
import { Uniforms, collapseDims, entry1d, grid1d, loadF32, storageDecl, storeFromF32, wgslType } from "../wgsl/common";

export interface Operand {
  readonly id: BufferRef;
  readonly dtype: DType;
}

/** The 6 dims a strided index walks at most, after collapsing. */
const MAX_DIMS = 6;

/** WGSL computing `off{k}` for each operand from the thread index `i` over `shape` (uniform words). */
function stridedOffsets(u: Uniforms, shape: readonly number[], strides: readonly (readonly number[])[], bases: readonly number[]): string {
  if (shape.length > MAX_DIMS) throw new Error(`webgpu: an elementwise operand walks ${shape.length} dims after collapsing (at most ${MAX_DIMS})`);
  const lines: string[] = [];
  strides.forEach((_, k) => lines.push(`  var off${k}: i32 = ${u.i32(bases[k])};`));
  lines.push("  var rem = i;");
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = u.u32(shape[d]);
    lines.push(`  { let c = i32(rem % ${size}); rem = rem / ${size};`);
    strides.forEach((s, k) => lines.push(`    off${k} = off${k} + c * ${u.i32(s[d])};`));
    lines.push("  }");
  }
  return lines.join("\n");
}

/** Whether a launch over `plan` walks every operand contiguously (what an in-place launch needs). */
export function walksContiguously(plan: BroadcastPlan): boolean {
  const { shape, strides } = collapseDims(plan.shape, plan.strides);
  return shapeKey(shape, strides) === "c";
}

function shapeKey(shape: readonly number[], strides: readonly (readonly number[])[]): string {
  // the rank and which operands are plainly contiguous decide the code; sizes and strides are uniforms
  const contiguous = shape.length === 1 && (shape[0] === 1 || strides.every((s) => s[0] === 1));
  return contiguous ? "c" : `r${shape.length}`;
}

function names(kernel: ElementwiseKernel, u: Uniforms, p0: number, p1: number): Map<string, string> {
  const m = new Map<string, string>();
  kernel.args.forEach((a, k) => m.set(a, `v${k}`));
  m.set("p0", u.f32(p0));
  m.set("p1", u.f32(p1));
  for (const [name] of kernel.lets ?? []) m.set(name, `l_${name}`);
  return m;
}

function body(kernel: ElementwiseKernel, map: Map<string, string>): string {
  const lets = (kernel.lets ?? []).map(([name, expr]) => `  let l_${name} = ${compileExpression(expr, map)};`);
  return `${lets.join("\n")}\n  let r = ${compileExpression(kernel.expr, map)};`;
}

/** out = kernel(inputs...) with inputs indexed by `plan` (strides over the output shape). */
export function mapLaunch(kernel: ElementwiseKernel, inputs: readonly Operand[], out: Operand, plan: BroadcastPlan, p0 = 0, p1 = 0): KernelLaunch | null {
  const n = plan.shape.reduce((a, b) => a * b, 1);
  if (n === 0) return null;
  const { shape, strides } = collapseDims(plan.shape, plan.strides);
  const u = new Uniforms();
  const total = u.u32(n);
  const map = names(kernel, u, p0, p1);
  const contiguous = shapeKey(shape, strides) === "c";
  const offsets = contiguous ? "" : stridedOffsets(u, shape, strides, inputs.map(() => 0));
  // An input that is the output buffer (in-place ops) is read through the output's binding: WebGPU forbids one
  // buffer bound writable and readable in one dispatch. Each thread reads element i before writing it, so this is
  // only done when the walk is contiguous; the backend stages other aliased launches through a temporary.
  const aliased = inputs.map((x) => x.id === out.id);
  if (aliased.some(Boolean) && !contiguous) throw new Error("webgpu: internal: an aliased elementwise launch must be contiguous");
  const boundAt = inputs.map((_, k) => k).filter((k) => !aliased[k]);
  const bound = boundAt.map((k) => inputs[k]);
  const decls = boundAt.map((k, j) => storageDecl(j, `x${k}`, wgslType(inputs[k].dtype), "read")).join("") +
    storageDecl(bound.length, "out", wgslType(out.dtype), "read_write");
  const loads = inputs
    .map((x, k) => `  let v${k} = ${aliased[k] ? loadF32("out", out.dtype, "i") : loadF32(`x${k}`, x.dtype, contiguous ? "i" : `off${k}`)};`)
    .join("\n");
  const wgsl = `${WGSL_LIBRARY}${WGSL_STORE_LIBRARY}${decls}${u.declaration(bound.length + 1)}${entry1d()}
  if (i >= ${total}) { return; }
${offsets}
${loads}
${body(kernel, map)}
  out[i] = ${storeFromF32(out.dtype, "r")};
}`;
  return {
    key: `map:${kernel.name}:${inputs.map((x, k) => (aliased[k] ? "out" : x.dtype)).join(",")}>${out.dtype}:${shapeKey(shape, strides)}`,
    wgsl,
    bindings: [...bound.map((x) => ({ buffer: x.id, access: "read" as const })), { buffer: out.id, access: "read_write" }],
    uniforms: u.bytes(),
    workgroups: grid1d(n),
  };
}

const WHERE: ElementwiseKernel = { name: "where", args: ["c", "a", "b"], expr: "c ? a : b" };

export function whereLaunch(cond: Operand, a: Operand, b: Operand, out: Operand, plan: BroadcastPlan): KernelLaunch | null {
  return mapLaunch(WHERE, [cond, a, b], out, plan);
}

/** out[outOffset + j] = x[xOffset + j] for j < n, converting dtype; bit-exact when the storage types agree. */
export function copyLaunch(x: Operand, xOffset: number, out: Operand, outOffset: number, n: number): KernelLaunch | null {
  if (n === 0) return null;
  const u = new Uniforms();
  const total = u.u32(n), xo = u.u32(xOffset), oo = u.u32(outOffset);
  const raw = wgslType(x.dtype) === wgslType(out.dtype);
  const value = raw ? `x[${xo} + i]` : storeFromF32(out.dtype, loadF32("x", x.dtype, `${xo} + i`));
  const wgsl = `${WGSL_LIBRARY}${WGSL_STORE_LIBRARY}${storageDecl(0, "x", wgslType(x.dtype), "read")}${storageDecl(1, "out", wgslType(out.dtype), "read_write")}${u.declaration(2)}${entry1d()}
  if (i >= ${total}) { return; }
  out[${oo} + i] = ${value};
}`;
  return {
    key: `copy:${x.dtype}>${out.dtype}`, wgsl,
    bindings: [{ buffer: x.id, access: "read" }, { buffer: out.id, access: "read_write" }],
    uniforms: u.bytes(), workgroups: grid1d(n),
  };
}

/** out = contiguous copy of the strided view (offset, shape, strides) of x, same dtype. */
export function stridedLaunch(x: Operand, offset: number, shape: readonly number[], strides: readonly number[], out: Operand): KernelLaunch | null {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return null;
  const collapsed = collapseDims(shape, [strides]);
  const u = new Uniforms();
  const total = u.u32(n);
  const offsets = stridedOffsets(u, collapsed.shape, collapsed.strides, [offset]);
  const t = wgslType(x.dtype);
  const wgsl = `${storageDecl(0, "x", t, "read")}${storageDecl(1, "out", wgslType(out.dtype), "read_write")}${u.declaration(2)}${entry1d()}
  if (i >= ${total}) { return; }
${offsets}
  out[i] = x[off0];
}`;
  return {
    key: `strided:${t}:r${collapsed.shape.length}`, wgsl,
    bindings: [{ buffer: x.id, access: "read" }, { buffer: out.id, access: "read_write" }],
    uniforms: u.bytes(), workgroups: grid1d(n),
  };
}

/** Every element of out (length n) set to value, exactly for int32 (the bits travel as a word). */
export function fillLaunch(out: Operand, n: number, value: number): KernelLaunch | null {
  if (n === 0) return null;
  const u = new Uniforms();
  const total = u.u32(n);
  const t = wgslType(out.dtype);
  let word: string;
  if (t === "f32") word = u.f32(value);
  else if (t === "i32") word = Number.isFinite(value) ? u.i32(Math.trunc(value)) : u.i32(0);
  else word = u.u32(out.dtype === "bool" ? (value !== 0 ? 1 : 0) : Number.isFinite(value) ? Math.trunc(value) & 255 : 0);
  const wgsl = `${storageDecl(0, "out", t, "read_write")}${u.declaration(1)}${entry1d()}
  if (i >= ${total}) { return; }
  out[i] = ${word};
}`;
  return { key: `fill:${t}`, wgsl, bindings: [{ buffer: out.id, access: "read_write" }], uniforms: u.bytes(), workgroups: grid1d(n) };
}
