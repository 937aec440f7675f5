/**
 * Batched C (+)= op(A)·op(B), float32. A workgroup of 16×16 threads computes a 64×64 tile of C, each thread a
 * 4×4 block in registers, stepping through k in slices of 16 that the workgroup stages in shared memory. The
 * transposes are read through indices (no transposed copy), and each staging load is laid out so that adjacent
 * threads read adjacent addresses for both layouts. Products too thin for tiles (m or n below 16) use one thread
 * per output. Batch offsets must step evenly (base + b·stride); uneven ones launch once per product.
 *
 * On a software adapter (SwiftShader, lavapipe) the "registers" style is used instead: no shared memory and no
 * barriers, each invocation an 8×8 block of C read straight from the storage buffers. A CPU driver runs a
 * workgroup's invocations a few lanes at a time and implements workgroupBarrier() by suspending and resuming
 * every lane group (coroutines in SwiftShader), so the tiled kernel's two barriers per slice dominate there.
 * Measured on SwiftShader, m×n×k = 256×256×784 (docs/webgpu.md): 0.26 GFLOP/s tiled,
 * 1.96 with 4×4 blocks, 3.34 with 8×8 blocks. On a GPU the tiled kernel's reuse through shared memory is the
 * right trade, so hardware adapters keep it.
 */
import type { MatmulPlan } from "../../backend";
import type { KernelLaunch } from "../launch";
import { Uniforms, entry1d, grid1d, storageDecl } from "../wgsl/common";
import type { Operand } from "./elementwise";

/** "tiled": shared-memory tiles (GPUs); "registers": barrier-free register blocks (CPU drivers). */
export type MatmulStyle = "tiled" | "registers";

const TILE = 64;
/** rows and columns of C per invocation in the registers style (columns in vec4 groups) */
const BLOCK = 8;
const BLOCK_WG = 8;
const SLICE = 16;
const THIN = 16;

interface Steps {
  base: number;
  stride: number;
}

function evenSteps(offsets: ArrayLike<number>): Steps | null {
  if (offsets.length === 1) return { base: offsets[0], stride: 0 };
  const stride = offsets[1] - offsets[0];
  for (let b = 2; b < offsets.length; b++) if (offsets[b] - offsets[b - 1] !== stride) return null;
  return { base: offsets[0], stride };
}

/** op(A)[r, c] and op(B)[r, c] as WGSL index expressions. */
function indexA(transA: boolean, r: string, c: string, m: string, k: string): string {
  return transA ? `${c} * ${m} + ${r}` : `${r} * ${k} + ${c}`;
}
function indexB(transB: boolean, r: string, c: string, k: string, n: string): string {
  return transB ? `${c} * ${k} + ${r}` : `${r} * ${n} + ${c}`;
}

/** With `bias` (linear's epilogue), C[r, c] = (op(A)·op(B))[r, c] + bias[c]. */
export function matmulLaunches(
  a: Operand, b: Operand, out: Operand, plan: MatmulPlan, bias: Operand | null = null, style: MatmulStyle = "tiled",
): KernelLaunch[] {
  for (const x of [a, b, out]) if (x.dtype !== "float32") throw new Error(`webgpu: matmul of ${x.dtype} tensors (float32 only on the GPU)`);
  const batches = plan.cOffsets.length;
  if (batches === 0 || plan.m === 0 || plan.n === 0) return [];
  const sa = evenSteps(plan.aOffsets), sb = evenSteps(plan.bOffsets), sc = evenSteps(plan.cOffsets);
  if (!sa || !sb || !sc || batches > 65535) {
    const launches: KernelLaunch[] = [];
    for (let i = 0; i < batches; i++) {
      launches.push(...matmulLaunches(a, b, out, { ...plan, aOffsets: [plan.aOffsets[i]], bOffsets: [plan.bOffsets[i]], cOffsets: [plan.cOffsets[i]] }, bias, style));
    }
    return launches;
  }
  const u = new Uniforms();
  const M = u.u32(plan.m), N = u.u32(plan.n), K = u.u32(plan.k);
  const aBase = u.u32(sa.base), aStride = u.u32(sa.stride), bBase = u.u32(sb.base), bStride = u.u32(sb.stride);
  const cBase = u.u32(sc.base), cStride = u.u32(sc.stride);
  if (bias && bias.dtype !== "float32") throw new Error(`webgpu: a ${bias.dtype} bias (float32 only on the GPU)`);
  const decls = `${storageDecl(0, "A", "f32", "read")}${storageDecl(1, "B", "f32", "read")}${storageDecl(2, "C", "f32", "read_write")}` +
    `${bias ? storageDecl(3, "bias", "f32", "read") : ""}${u.declaration(bias ? 4 : 3)}`;
  const bindings = [
    { buffer: a.id, access: "read" as const }, { buffer: b.id, access: "read" as const }, { buffer: out.id, access: "read_write" as const },
    ...(bias ? [{ buffer: bias.id, access: "read" as const }] : []),
  ];
  // the column of C an element lives in is `c` in both kernels' store loops
  const plusBias = (v: string): string => (bias ? `(${v} + bias[c])` : v);
  const store = (v: string, at: string): string => (plan.accumulate ? `C[${at}] = C[${at}] + ${plusBias(v)};` : `C[${at}] = ${plusBias(v)};`);
  const flags = `${plan.transA ? "T" : "N"}${plan.transB ? "T" : "N"}${plan.accumulate ? "+" : "="}${bias ? "b" : ""}`;
  if (style === "registers") {
    return [{
      key: `matmulRegisters:${flags}`, wgsl: registersWgsl(decls, plan, { M, N, K, aBase, aStride, bBase, bStride, cBase, cStride }, store),
      bindings, uniforms: u.bytes(),
      workgroups: [Math.ceil(plan.n / (BLOCK * BLOCK_WG)), Math.ceil(plan.m / (BLOCK * BLOCK_WG)), batches],
    }];
  }
  if (plan.m < THIN || plan.n < THIN) {
    const wgsl = `${decls}${entry1d()}
  let mn = ${M} * ${N};
  let batch = i / max(mn, 1u);
  let e = i % max(mn, 1u);
  if (batch >= ${u.u32(batches)}) { return; }
  let r = e / ${N};
  let c = e % ${N};
  let ao = ${aBase} + batch * ${aStride};
  let bo = ${bBase} + batch * ${bStride};
  var acc: f32 = 0.0;
  for (var t = 0u; t < ${K}; t = t + 1u) {
    acc = acc + A[ao + ${indexA(plan.transA, "r", "t", M, K)}] * B[bo + ${indexB(plan.transB, "t", "c", K, N)}];
  }
  ${store("acc", `${cBase} + batch * ${cStride} + r * ${N} + c`)}
}`;
    return [{ key: `matmulThin:${flags}`, wgsl, bindings, uniforms: u.bytes(), workgroups: grid1d(batches * plan.m * plan.n) }];
  }
  // Staging: As[kk * TILE + r] = op(A)[row0 + r, t + kk], Bs[kk * TILE + c] = op(B)[t + kk, col0 + c]. Element e of
  // the 1024 a thread group loads maps to (kk, r) so that consecutive e walk A's contiguous axis.
  const aMap = plan.transA ? "let kk = e / 64u; let r = e % 64u;" : "let r = e / 16u; let kk = e % 16u;";
  const bMap = plan.transB ? "let c = e / 16u; let kk = e % 16u;" : "let kk = e / 64u; let c = e % 64u;";
  const wgsl = `${decls}
var<workgroup> As: array<f32, ${TILE * SLICE}>;
var<workgroup> Bs: array<f32, ${TILE * SLICE}>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let batch = wid.z;
  let ao = ${aBase} + batch * ${aStride};
  let bo = ${bBase} + batch * ${bStride};
  let co = ${cBase} + batch * ${cStride};
  let row0 = wid.y * ${TILE}u;
  let col0 = wid.x * ${TILE}u;
  let tid = lid.y * 16u + lid.x;
  var acc: array<f32, 16>;
  for (var q = 0u; q < 16u; q = q + 1u) { acc[q] = 0.0; }
  for (var t = 0u; t < ${K}; t = t + ${SLICE}u) {
    for (var l = 0u; l < 4u; l = l + 1u) {
      let e = tid + l * 256u;
      {
        ${aMap}
        let gr = row0 + r;
        let gk = t + kk;
        var v: f32 = 0.0;
        if (gr < ${M} && gk < ${K}) { v = A[ao + ${indexA(plan.transA, "gr", "gk", M, K)}]; }
        As[kk * ${TILE}u + r] = v;
      }
      {
        ${bMap}
        let gc = col0 + c;
        let gk = t + kk;
        var v: f32 = 0.0;
        if (gc < ${N} && gk < ${K}) { v = B[bo + ${indexB(plan.transB, "gk", "gc", K, N)}]; }
        Bs[kk * ${TILE}u + c] = v;
      }
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${SLICE}u; kk = kk + 1u) {
      let a0 = As[kk * ${TILE}u + lid.y * 4u];
      let a1 = As[kk * ${TILE}u + lid.y * 4u + 1u];
      let a2 = As[kk * ${TILE}u + lid.y * 4u + 2u];
      let a3 = As[kk * ${TILE}u + lid.y * 4u + 3u];
      let bv = vec4<f32>(Bs[kk * ${TILE}u + lid.x * 4u], Bs[kk * ${TILE}u + lid.x * 4u + 1u], Bs[kk * ${TILE}u + lid.x * 4u + 2u], Bs[kk * ${TILE}u + lid.x * 4u + 3u]);
      for (var j = 0u; j < 4u; j = j + 1u) {
        acc[j] = acc[j] + a0 * bv[j];
        acc[4u + j] = acc[4u + j] + a1 * bv[j];
        acc[8u + j] = acc[8u + j] + a2 * bv[j];
        acc[12u + j] = acc[12u + j] + a3 * bv[j];
      }
    }
    workgroupBarrier();
  }
  for (var ii = 0u; ii < 4u; ii = ii + 1u) {
    let r = row0 + lid.y * 4u + ii;
    if (r >= ${M}) { continue; }
    for (var j = 0u; j < 4u; j = j + 1u) {
      let c = col0 + lid.x * 4u + j;
      if (c < ${N}) { ${store("acc[ii * 4u + j]", `co + r * ${N} + c`)} }
    }
  }
}`;
  return [{
    key: `matmulTiled:${flags}`, wgsl, bindings, uniforms: u.bytes(),
    workgroups: [Math.ceil(plan.n / TILE), Math.ceil(plan.m / TILE), batches],
  }];
}

interface MatmulRefs {
  M: string; N: string; K: string;
  aBase: string; aStride: string; bBase: string; bStride: string; cBase: string; cStride: string;
}

/**
 * The registers style, unrolled: invocation (x, y) of the grid owns rows r0..r0+7 and columns c0..c0+7 of C. Rows
 * and columns past the edge are clamped to the last one for the loads (valid addresses, values never stored), so
 * the inner loop has no branches.
 */
function registersWgsl(decls: string, plan: MatmulPlan, r: MatmulRefs, store: (v: string, at: string) => string): string {
  const rows = [...Array(BLOCK).keys()], cols = rows, groups = [...Array(BLOCK / 4).keys()], lanes = [0, 1, 2, 3];
  const lines: string[] = [];
  for (const i of rows) lines.push(`let ra${i} = min(r0 + ${i}u, ${r.M} - 1u);`);
  for (const c of cols) lines.push(`let cb${c} = min(c0 + ${c}u, ${r.N} - 1u);`);
  // op(A)[row, k] and op(B)[k, col] with the clamped indices hoisted out of the k loop where the layout allows
  if (!plan.transA) for (const i of rows) lines.push(`let ar${i} = ao + ra${i} * ${r.K};`);
  if (plan.transB) for (const c of cols) lines.push(`let bc${c} = bo + cb${c} * ${r.K};`);
  for (const i of rows) for (const g of groups) lines.push(`var acc${i}_${g} = vec4<f32>();`);
  const body: string[] = [];
  if (plan.transA) body.push(`let ak = ao + k * ${r.M};`);
  if (!plan.transB) body.push(`let bk = bo + k * ${r.N};`);
  for (const g of groups) {
    const at = (c: number): string => (plan.transB ? `B[bc${c} + k]` : `B[bk + cb${c}]`);
    body.push(`let b${g} = vec4<f32>(${lanes.map((l) => at(g * 4 + l)).join(", ")});`);
  }
  for (const i of rows) {
    body.push(`let a${i} = ${plan.transA ? `A[ak + ra${i}]` : `A[ar${i} + k]`};`);
    for (const g of groups) body.push(`acc${i}_${g} = acc${i}_${g} + a${i} * b${g};`);
  }
  const stores: string[] = [];
  for (const i of rows) {
    const inner: string[] = [];
    for (const g of groups) for (const l of lanes) {
      inner.push(`if (c0 + ${g * 4 + l}u < ${r.N}) { let c = c0 + ${g * 4 + l}u; ${store(`acc${i}_${g}[${l}]`, `co + (r0 + ${i}u) * ${r.N} + c`)} }`);
    }
    stores.push(`if (r0 + ${i}u < ${r.M}) {\n    ${inner.join("\n    ")}\n  }`);
  }
  return `${decls}
@compute @workgroup_size(${BLOCK_WG}, ${BLOCK_WG})
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let r0 = g.y * ${BLOCK}u;
  let c0 = g.x * ${BLOCK}u;
  if (r0 >= ${r.M} || c0 >= ${r.N}) { return; }
  let ao = ${r.aBase} + g.z * ${r.aStride};
  let bo = ${r.bBase} + g.z * ${r.bStride};
  let co = ${r.cBase} + g.z * ${r.cStride};
  ${lines.join("\n  ")}
  for (var k = 0u; k < ${r.K}; k = k + 1u) {
    ${body.join("\n    ")}
  }
  ${stores.join("\n  ")}
}`;
}
