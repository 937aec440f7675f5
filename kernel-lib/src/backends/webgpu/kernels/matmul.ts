/**
 * Batched C (+)= op(A)·op(B), float32. A workgroup of 16×16 threads computes a 64×64 tile of C, each thread a
 * 4×4 block in registers, stepping through k in slices of 16 that the workgroup stages in shared memory. The
 * transposes are read through indices (no transposed copy), and each staging load is laid out so that adjacent
 * threads read adjacent addresses for both layouts. Products too thin for tiles (m or n below 16) use one thread
 * per output. Batch offsets must step evenly (base + b·stride); uneven ones launch once per product.
 */
import type { MatmulPlan } from "../../backend";
import type { KernelLaunch } from "../launch";
import { Uniforms, entry1d, grid1d, storageDecl } from "../wgsl/common";
import type { Operand } from "./elementwise";

const TILE = 64;
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
export function matmulLaunches(a: Operand, b: Operand, out: Operand, plan: MatmulPlan, bias: Operand | null = null): KernelLaunch[] {
  for (const x of [a, b, out]) if (x.dtype !== "float32") throw new Error(`webgpu: matmul of ${x.dtype} tensors (float32 only on the GPU)`);
  const batches = plan.cOffsets.length;
  if (batches === 0 || plan.m === 0 || plan.n === 0) return [];
  const sa = evenSteps(plan.aOffsets), sb = evenSteps(plan.bOffsets), sc = evenSteps(plan.cOffsets);
  if (!sa || !sb || !sc || batches > 65535) {
    const launches: KernelLaunch[] = [];
    for (let i = 0; i < batches; i++) {
      launches.push(...matmulLaunches(a, b, out, { ...plan, aOffsets: [plan.aOffsets[i]], bOffsets: [plan.bOffsets[i]], cOffsets: [plan.cOffsets[i]] }, bias));
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
