import { describe, expect, it } from "vitest";
import type { Backend, ElementwiseKernel, Storage } from "../kernel-lib/src/backends/backend";
import { listBackends } from "../kernel-lib/src/backends/registry";
import { BINARY, UNARY, UNARY_DEFS } from "../kernel-lib/src/ops/defs/index";
import { DType, TypedArray, allocate } from "../kernel-lib/src/tensor/dtype";
import { Generator } from "../kernel-lib/src/tensor/random";
import { broadcastShapes, broadcastStrides, numelOf } from "../kernel-lib/src/tensor/shape";
import "../kernel-lib/src/index";
import { arrayBackend } from "./helpers/array-backend";
import { testWebgpuBackend } from "./helpers/webgpu";

/**
 * Every Backend method against a naive reference written here (plain loops over index arithmetic, float64
 * math), for every registered backend: the suite only moves data in and out with upload/readSync/read, so it
 * runs unchanged on any backend. Optional fused methods are checked where a backend has them. The test-only
 * array backend (storage not a TypedArray, test/helpers/array-backend.ts) is checked beside the registered ones.
 */

const webgpu = testWebgpuBackend();
const backends: [string, Backend][] = [
  ...listBackends().map((b): [string, Backend] => [b.device, b]),
  ["array (test-only)", arrayBackend],
  ...(webgpu && !listBackends().includes(webgpu) ? [["webgpu", webgpu] as [string, Backend]] : []),
];
const ALL_DTYPES: DType[] = ["float32", "float64", "int32", "uint8", "bool"];
/** the dtypes a backend holds, of those asked for */
const held = (be: Backend, dtypes: DType[]): DType[] => dtypes.filter((d) => (be.dtypes ?? ALL_DTYPES).includes(d));

// ---- helpers ---------------------------------------------------------------------------------------------
function host(dtype: DType, values: ArrayLike<number>): TypedArray {
  const a = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) a[i] = values[i];
  return a;
}
const up = (be: Backend, dtype: DType, values: ArrayLike<number>): Storage => be.upload(host(dtype, values));
const down = (be: Backend, s: Storage): number[] => Array.from(be.readSync(s));
/** deterministic values in [-3, 3) (a fixed LCG, so the suite needs no generator of its own) */
function values(n: number, seed = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.fround((s / 2 ** 32) * 6 - 3);
  });
}
/** float32 results against a float64 reference: within a few float32 ulps (relative), NaN matching NaN */
function expectClose(actual: number[], expected: number[], what: string, rel = 4e-6): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e)) {
      expect(a, `${what}[${i}]`).toBeNaN();
      continue;
    }
    if (!Number.isFinite(e)) {
      expect(a, `${what}[${i}]`).toBe(e);
      continue;
    }
    expect(Math.abs(a - e), `${what}[${i}]: ${a} vs ${e}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(e)));
  }
}
/** multi-index of flat position i in shape */
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}
const dotIdx = (idx: readonly number[], strides: readonly number[]) => idx.reduce((s, v, d) => s + v * strides[d], 0);

// ---- the reference for the kernel expression language ---------------------------------------------------
/** erf by its Maclaurin series / continued fraction, independent of the backends' approximation */
function refErf(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 3) {
    let term = z, sum = z;
    for (let n = 1; n < 60; n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    r = 1;
  }
  return x < 0 ? -r : r;
}
const refSigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const LIBRARY: Record<string, unknown> = {
  exp: Math.exp, log: Math.log, sqrt: Math.sqrt, abs: Math.abs, sin: Math.sin, cos: Math.cos, tanh: Math.tanh,
  floor: Math.floor, ceil: Math.ceil, trunc: Math.trunc, pow: Math.pow, min: Math.min, max: Math.max,
  log1p: Math.log1p, expm1: Math.expm1, erf: refErf, sigmoid: refSigmoid,
  softplus: (x: number, beta: number, threshold: number) => (beta * x > threshold ? x : Math.log(1 + Math.exp(beta * x)) / beta),
  logsigmoid: (x: number) => Math.log(refSigmoid(x)),
  round: (x: number) => {
    const f = Math.floor(x), d = x - f;
    return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  },
  SQRT_2_OVER_PI: Math.sqrt(2 / Math.PI), INV_SQRT_2: Math.SQRT1_2, INV_SQRT_2PI: 1 / Math.sqrt(2 * Math.PI),
};
/** Evaluates a kernel at one point: lets in order, then the expression (the language is JavaScript syntax). */
function evalKernel(k: ElementwiseKernel, args: number[], p0: number, p1: number): number {
  const names = [...Object.keys(LIBRARY), "p0", "p1", ...k.args];
  const env = [...Object.values(LIBRARY), p0, p1, ...args];
  const lets = (k.lets ?? []).map(([n, e]) => `const ${n} = ${e};`).join(" ");
  return Number(new Function(...names, `${lets} return (${k.expr});`)(...env));
}

/** p0/p1 that keep each kernel in its interesting range */
const PARAMS: Record<string, [number, number]> = {
  leakyRelu: [0.1, 0], leakyReluGrad: [0.1, 0], elu: [1.3, 0], eluGrad: [1.3, 0], softplus: [1.5, 4], softplusGrad: [1.5, 4],
  hardtanh: [-1, 1], hardtanhGrad: [-1, 1], clamp: [-0.75, 1.5], clampGrad: [-0.75, 1.5], addScalar: [2.5, 0], powGradBase: [3, 0],
};

for (const [label, be] of backends) {
  describe(`backend conformance: ${label}`, () => {
    it("upload, readSync, read and free round-trip every dtype; alloc gives zeros of the length asked for; fill and write set elements", async () => {
      for (const dtype of ALL_DTYPES.filter((d) => !held(be, ALL_DTYPES).includes(d))) {
        expect(() => be.alloc(dtype, 3), `${dtype} is not held`).toThrow(new RegExp(dtype));
        expect(() => be.upload(host(dtype, [1, 2])), `${dtype} is not held`).toThrow(new RegExp(dtype));
      }
      for (const dtype of held(be, ALL_DTYPES)) {
        const v = dtype === "bool" ? [1, 0, 1] : [1, 2, 250];
        const s = up(be, dtype, v);
        expect(down(be, s), dtype).toEqual(v);
        expect(Array.from(await be.read(s)), dtype).toEqual(v);
        const a = be.alloc(dtype, 5);
        expect(down(be, a), `${dtype}: alloc gives zeros`).toEqual([0, 0, 0, 0, 0]);
        be.fill(a, 1);
        expect(down(be, a), dtype).toEqual([1, 1, 1, 1, 1]);
        be.write(a, 3, [0, 1]);
        be.write(a, 0, host(dtype, [0]));
        expect(down(be, a), `${dtype}: write`).toEqual([0, 1, 1, 0, 1]);
        be.free(a);
        be.free(s);
      }
    });

    it("copy converts dtype between offsets; strided gathers transposes, expands and narrows", () => {
      const x = up(be, "float32", [1.5, -2.5, 3, 4, 5, 6]);
      const out = up(be, "int32", [9, 9, 9, 9]);
      be.copy(x, 1, out, 2, 2);
      expect(down(be, out)).toEqual([9, 9, -2, 3]);
      const cases: { shape: number[]; strides: number[]; offset: number }[] = [
        { shape: [3, 2], strides: [1, 3], offset: 0 }, // transpose of [2, 3]
        { shape: [2, 2, 3], strides: [0, 3, 1], offset: 0 }, // expand a leading dim
        { shape: [2, 1], strides: [3, 1], offset: 1 }, // narrow
        { shape: [], strides: [], offset: 4 },
      ];
      for (const c of cases) {
        const o = be.alloc("float32", numelOf(c.shape));
        be.strided(x, c.offset, c.shape, c.strides, o);
        const src = down(be, x);
        const ref = Array.from({ length: numelOf(c.shape) }, (_, i) => src[c.offset + dotIdx(unravel(i, c.shape), c.strides)]);
        expect(down(be, o), JSON.stringify(c)).toEqual(ref);
      }
    });

    // 600 elements reach the CPU backend's SIMD paths (from 512), 7 the scalar loops
    for (const [name, k] of Object.entries(UNARY)) {
      it(`unary ${name} matches the expression evaluated element by element`, () => {
        const [p0, p1] = PARAMS[name] ?? [0, 0];
        for (const n of [7, 600]) {
          const v = values(n, n + name.length);
          v[0] = 0;
          if (n > 3) v[3] = NaN;
          const out = be.alloc("float32", n);
          be.unary(k, up(be, "float32", v), out, p0, p1);
          expectClose(down(be, out), v.map((x) => Math.fround(evalKernel(k, [x], p0, p1))), `${name}[${n}]`);
        }
      });
    }

    const gradKernels = Object.values(UNARY_DEFS).map((d) => d.gradKernel);
    const broadcasts: [number[], number[]][] = [[[600], [600]], [[4, 5], [1, 5]], [[4, 5], []], [[], [3, 2]], [[3, 1, 5], [1, 4, 1]], [[2, 3], [2, 1]]];
    for (const k of [...Object.values(BINARY), ...gradKernels]) {
      it(`binary ${k.name} matches the expression on every broadcast plan`, () => {
        const [p0, p1] = PARAMS[k.name] ?? [0, 0];
        for (const [sa, sb] of broadcasts) {
          const shape = broadcastShapes(k.name, sa, sb);
          const stridesA = broadcastStrides(sa, shape), stridesB = broadcastStrides(sb, shape);
          const va = values(numelOf(sa), 3), vb = values(numelOf(sb), 5);
          if (k.name === "pow") vb.forEach((_, i) => (vb[i] = Math.round(vb[i])));
          const out = be.alloc("float32", numelOf(shape));
          be.binary(k, up(be, "float32", va), up(be, "float32", vb), out, { shape, strides: [stridesA, stridesB] }, p0, p1);
          const ref = Array.from({ length: numelOf(shape) }, (_, i) => {
            const idx = unravel(i, shape);
            return Math.fround(evalKernel(k, [va[dotIdx(idx, stridesA)], vb[dotIdx(idx, stridesB)]], p0, p1));
          });
          expectClose(down(be, out), ref, `${k.name} ${JSON.stringify([sa, sb])}`);
        }
      });
    }

    it("binary writes integer and bool outputs (comparisons as 0/1, int arithmetic exact)", () => {
      const a = up(be, "int32", [1, 5, -3, 7]), b = up(be, "int32", [2, 5, 4, -7]);
      const plan = { shape: [4], strides: [[1], [1]] };
      const sum = be.alloc("int32", 4), eq = be.alloc("bool", 4);
      be.binary(BINARY.add, a, b, sum, plan);
      be.binary(BINARY.eq, a, b, eq, plan);
      expect(down(be, sum)).toEqual([3, 10, 1, 0]);
      expect(down(be, eq)).toEqual([0, 1, 0, 0]);
    });

    it("where picks by a broadcast condition", () => {
      const shape = [2, 3];
      const cond = up(be, "bool", [1, 0, 1]), a = up(be, "float32", [1, 2, 3, 4, 5, 6]), b = up(be, "float32", [-1]);
      const strides = [broadcastStrides([3], shape), broadcastStrides(shape, shape), broadcastStrides([], shape)];
      const out = be.alloc("float32", 6);
      be.where(cond, a, b, out, { shape, strides });
      expect(down(be, out)).toEqual([1, -1, 3, 4, -1, 6]);
    });

    it("reduce (every op) and softmax/logSoftmax over the middle axis", () => {
      const [outer, size, inner] = [3, 5, 4];
      const v = values(outer * size * inner, 11);
      v[7] = NaN; // a NaN wins max/min/argmax/argmin of its column, as in PyTorch
      const x = up(be, "float32", v);
      for (const op of ["sum", "prod", "max", "min", "argmax", "argmin"] as const) {
        const out = be.alloc(op.startsWith("arg") ? "int32" : "float32", outer * inner);
        be.reduce(op, x, outer, size, inner, out);
        const ref: number[] = [];
        for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
          const col = Array.from({ length: size }, (_, s) => v[(o * size + s) * inner + i]);
          const nanAt = col.findIndex(Number.isNaN);
          if (op === "sum") ref.push(Math.fround(col.reduce((p, c) => p + c, 0)));
          else if (op === "prod") ref.push(Math.fround(col.reduce((p, c) => p * c, 1)));
          else if (nanAt >= 0) ref.push(op.startsWith("arg") ? nanAt : NaN);
          else {
            const best = op.includes("max") ? Math.max(...col) : Math.min(...col);
            ref.push(op.startsWith("arg") ? col.indexOf(best) : best);
          }
        }
        expectClose(down(be, out), ref, op);
      }
      const clean = up(be, "float32", values(outer * size * inner, 12));
      const cv = down(be, clean);
      for (const log of [false, true]) {
        const out = be.alloc("float32", outer * size * inner);
        be.softmax(clean, outer, size, inner, out, log);
        const ref = cv.map((_, j) => {
          const o = Math.floor(j / (size * inner)), i = j % inner;
          const col = Array.from({ length: size }, (_, s) => cv[(o * size + s) * inner + i]);
          const lse = Math.log(col.reduce((p, c) => p + Math.exp(c), 0));
          return log ? cv[j] - lse : Math.exp(cv[j] - lse);
        });
        expectClose(down(be, out), ref, log ? "logSoftmax" : "softmax");
      }
    });

    it("matmul: every transpose, accumulate, batched offsets, float32 and float64", () => {
      const [m, n, k] = [13, 9, 70];
      for (const dtype of held(be, ["float32", "float64"])) {
        for (const transA of [false, true]) for (const transB of [false, true]) for (const accumulate of [false, true]) {
          const batch = 2;
          const va = values(batch * m * k, 21), vb = values(batch * k * n, 22), vc = values(batch * m * n, 23);
          const c = up(be, dtype, vc);
          be.matmul(up(be, dtype, va), up(be, dtype, vb), c, {
            m, n, k, transA, transB, accumulate,
            aOffsets: [0, m * k], bOffsets: [0, k * n], cOffsets: [0, m * n],
          });
          const ref: number[] = [];
          for (let bi = 0; bi < batch; bi++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
            let s = accumulate ? vc[bi * m * n + i * n + j] : 0;
            for (let p = 0; p < k; p++) {
              const av = va[bi * m * k + (transA ? p * m + i : i * k + p)];
              const bv = vb[bi * k * n + (transB ? j * k + p : p * n + j)];
              s += av * bv;
            }
            ref.push(s);
          }
          expectClose(down(be, c), ref, `${dtype} transA=${transA} transB=${transB} acc=${accumulate}`, dtype === "float32" ? 2e-5 : 1e-12);
        }
      }
    });

    it("indexSelect, indexAdd, gather and scatterAdd over [outer, size, inner]", () => {
      const [outer, size, inner] = [2, 4, 3];
      const v = values(outer * size * inner, 31);
      const x = up(be, "float32", v);
      const index = [3, 0, 3];
      const sel = be.alloc("float32", outer * index.length * inner);
      be.indexSelect(x, outer, size, inner, up(be, "int32", index), sel);
      const refSel: number[] = [];
      for (let o = 0; o < outer; o++) for (const j of index) for (let i = 0; i < inner; i++) refSel.push(v[(o * size + j) * inner + i]);
      expect(down(be, sel)).toEqual(refSel);

      const acc = up(be, "float32", new Array(outer * size * inner).fill(1));
      be.indexAdd(sel, outer, size, inner, up(be, "int32", index), acc);
      const refAdd = new Array(outer * size * inner).fill(1);
      for (let o = 0; o < outer; o++) index.forEach((j, jj) => {
        for (let i = 0; i < inner; i++) refAdd[(o * size + j) * inner + i] += refSel[(o * index.length + jj) * inner + i];
      });
      expectClose(down(be, acc), refAdd, "indexAdd");

      const idxSize = 2;
      const gi = [0, 3, 1, 2, 2, 2, 1, 0, 3, 3, 0, 1];
      const g = be.alloc("float32", outer * idxSize * inner);
      be.gather(x, outer, size, inner, up(be, "int32", gi), idxSize, g);
      const refG = gi.map((j, p) => {
        const o = Math.floor(p / (idxSize * inner)), i = p % inner;
        return v[(o * size + j) * inner + i];
      });
      expect(down(be, g)).toEqual(refG);

      const sc = up(be, "float32", new Array(outer * size * inner).fill(0));
      be.scatterAdd(g, outer, size, inner, up(be, "int32", gi), idxSize, sc);
      const refSc = new Array(outer * size * inner).fill(0);
      gi.forEach((j, p) => {
        const o = Math.floor(p / (idxSize * inner)), i = p % inner;
        refSc[(o * size + j) * inner + i] += refG[p];
      });
      expectClose(down(be, sc), refSc, "scatterAdd");
    });

    it("uniform and normal draw the seeded generator's numbers in order", () => {
      const normalType: DType = held(be, ["float64"]).length ? "float64" : "float32";
      const u = be.alloc("float32", 10), nrm = be.alloc(normalType, 10);
      be.uniform(u, -2, 3, new Generator(7));
      be.normal(nrm, 1, 0.5, new Generator(8));
      const gu = new Generator(7), gn = new Generator(8);
      expectClose(down(be, u), Array.from({ length: 10 }, () => Math.fround(-2 + 5 * gu.uniform())), "uniform");
      const round = normalType === "float32" ? Math.fround : (v: number) => v;
      expectClose(down(be, nrm), Array.from({ length: 10 }, () => round(1 + 0.5 * gn.normal())), "normal", 1e-15);
    });

    // ---- optional fused methods ----------------------------------------------------------------------
    it("linear and sumRows, where the backend has them, equal x·Wᵀ + b and column sums", () => {
      const [batch, inF, outF] = [12, 70, 9];
      const vx = values(batch * inF, 41), vw = values(outF * inF, 42), vb = values(outF, 43);
      if (be.linear) {
        const out = be.alloc("float32", batch * outF);
        if (be.linear(up(be, "float32", vx), up(be, "float32", vw), up(be, "float32", vb), out, batch, inF, outF)) {
          const ref: number[] = [];
          for (let r = 0; r < batch; r++) for (let j = 0; j < outF; j++) {
            let s = 0;
            for (let p = 0; p < inF; p++) s += vx[r * inF + p] * vw[j * inF + p];
            ref.push(s + vb[j]);
          }
          expectClose(down(be, out), ref, "linear", 2e-5);
        }
      }
      if (be.sumRows) {
        const out = be.alloc("float32", inF);
        if (be.sumRows(up(be, "float32", vx), out, batch, inF)) {
          expectClose(down(be, out), Array.from({ length: inF }, (_, j) => vx.reduce((s, x, i) => (i % inF === j ? s + x : s), 0)), "sumRows", 1e-5);
        }
      }
    });

    it("softmaxCrossEntropy, where the backend has it, gives the scaled loss and (softmax − onehot)·scale", () => {
      if (!be.softmaxCrossEntropy) return;
      const [rows, cols] = [6, 5];
      const v = values(rows * cols, 51), labels = [0, 4, 2, 2, 1, 3], scale = 1 / rows;
      const loss = be.alloc("float32", 1), grad = be.alloc("float32", rows * cols);
      if (!be.softmaxCrossEntropy(up(be, "float32", v), up(be, "int32", labels), rows, cols, scale, loss, grad)) return;
      let total = 0;
      const refGrad: number[] = [];
      for (let r = 0; r < rows; r++) {
        const row = v.slice(r * cols, (r + 1) * cols);
        const lse = Math.log(row.reduce((s, x) => s + Math.exp(x), 0));
        total += lse - row[labels[r]];
        row.forEach((x, c) => refGrad.push((Math.exp(x - lse) - (c === labels[r] ? 1 : 0)) * scale));
      }
      expectClose(down(be, loss), [total * scale], "loss", 1e-5);
      expectClose(down(be, grad), refGrad, "grad", 1e-5);
    });

    it("sgdStep and adamStep, where the backend has them, follow PyTorch's update rules", () => {
      const n = 600;
      const vp = values(n, 61), vg = values(n, 62);
      for (const dtype of held(be, ["float32", "float64"])) {
        const rel = dtype === "float32" ? 1e-5 : 1e-12;
        if (be.sgdStep) {
          const args = { lr: 0.1, weightDecay: 0.01, momentum: 0.9, keep: 1, nesterov: true, sign: 1, first: false };
          const vbuf = values(n, 63);
          const p = up(be, dtype, vp), buf = up(be, dtype, vbuf);
          be.sgdStep(p, up(be, dtype, vg), buf, args);
          const ref = vp.map((x, i) => {
            const d = vg[i] + args.weightDecay * x;
            const b = vbuf[i] * args.momentum + args.keep * d;
            return x - args.lr * (d + args.momentum * b);
          });
          expectClose(down(be, p), ref, `sgd ${dtype}`, rel);
          const plain = up(be, dtype, vp);
          be.sgdStep(plain, up(be, dtype, vg), null, { ...args, weightDecay: 0, momentum: 0 });
          expectClose(down(be, plain), vp.map((x, i) => x - 0.1 * vg[i]), `plain sgd ${dtype}`, rel);
        }
        if (be.adamStep) {
          for (const amsgrad of [false, true]) {
            const step = 3, beta1 = 0.9, beta2 = 0.999, lr = 1e-2, eps = 1e-8;
            const args = { beta1, beta2, stepSize: lr / (1 - beta1 ** step), bc2Sqrt: Math.sqrt(1 - beta2 ** step), eps, weightDecay: 0, shrink: 1 - lr * 0.01, sign: 1 };
            const vm = values(n, 64).map((x) => x * 0.1), vv = values(n, 65).map((x) => x * x * 0.01), vmax = vv.map((x) => x * 1.5);
            const p = up(be, dtype, vp), m = up(be, dtype, vm), v = up(be, dtype, vv), mx = amsgrad ? up(be, dtype, vmax) : null;
            be.adamStep(p, up(be, dtype, vg), m, v, mx, args);
            const ref = vp.map((x, i) => {
              const q = x * args.shrink, g = vg[i];
              const mi = vm[i] * beta1 + (1 - beta1) * g, vi = vv[i] * beta2 + (1 - beta2) * g * g;
              const second = amsgrad ? Math.max(vmax[i], vi) : vi;
              return q - (args.stepSize * mi) / (Math.sqrt(second) / args.bc2Sqrt + eps);
            });
            expectClose(down(be, p), ref, `adam ${dtype} amsgrad=${amsgrad}`, dtype === "float32" ? 2e-5 : 1e-12);
          }
        }
      }
    });
  });
}

it("at least the CPU backend is registered", () => {
  expect(listBackends().map((b) => b.device)).toContain("cpu");
});
