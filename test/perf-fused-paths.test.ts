import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { torch } from "../kernel-lib/src/index";
import { setWasmMode, wasmMode } from "../kernel-lib/src/backends/cpu/wasm/index";
import { setNativeBlasEnabled } from "../kernel-lib/src/backends/cpu/native";
import { EPS32, filled, relaxedFlagWorks, RELAXED_FLAG } from "./wasm-helpers";

/**
 * The float32 training ops take wasm paths (fused linear, fused softmax-cross-entropy, SIMD relu, GEMM, Adam)
 * where the runtime has wasm SIMD and TypeScript paths otherwise. Both must give the same results to float32
 * rounding; SGD stays bit-exact. Each case runs once per mode and compares.
 */
const F = torch.nn.functional;
const T = (data: Float32Array, shape: number[], requiresGrad = false): torch.Tensor =>
  torch.fromTypedArray(data.slice(), shape).requiresGrad_(requiresGrad);

afterAll(() => {
  setWasmMode("auto");
});

interface Result {
  out: number[];
  grads: number[][];
}

function inModes(run: () => Result): Record<string, Result> {
  const results: Record<string, Result> = {};
  // The WebAssembly and TypeScript kernels are what these tests compare: keep the native GEMM out of the way.
  const native = setNativeBlasEnabled(false);
  try {
    for (const mode of ["off", "simd"] as const) {
      setWasmMode(mode);
      expect(wasmMode()).toBe(mode);
      results[mode] = run();
    }
  } finally {
    setWasmMode("auto");
    setNativeBlasEnabled(native);
  }
  return results;
}

/** |a − b| ≤ tol·(scale) elementwise, where scale is the magnitude the value was summed from. */
function expectClose(a: number[], b: number[], tol: (i: number) => number, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(b[i])) expect(a[i], `${what}[${i}]`).toBeNaN();
    else if (!Number.isFinite(b[i])) expect(a[i], `${what}[${i}]`).toBe(b[i]);
    else expect(Math.abs(a[i] - b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol(i));
  }
}

describe("float32 fused paths equal the TypeScript paths", () => {
  for (const [batch, inF, outF, bias] of [[12, 784, 512, true], [3, 5, 7, true], [256, 64, 10, false], [1, 1, 1, true]] as const) {
    it(`linear [${batch},${inF}]·[${outF},${inF}]ᵀ bias=${bias}: output and all three gradients`, () => {
      const xs = filled(batch * inF, 1), ws = filled(outF * inF, 2), bs = filled(outF, 3), gs = filled(batch * outF, 4);
      const r = inModes(() => {
        const x = T(xs, [batch, inF], true), w = T(ws, [outF, inF], true), b = bias ? T(bs, [outF], true) : null;
        const y = F.linear(x, w, b);
        y.backward(T(gs, [batch, outF]));
        const grads = [x.grad!, w.grad!, ...(b ? [b.grad!] : [])].map((t) => Array.from(t.dataSync()));
        return { out: Array.from(y.dataSync()), grads };
      });
      // sums of inF (forward, grad_x: outF) products of values in [-1, 1): rounding error ≤ k·eps·Σ|terms|
      expectClose(r.simd.out, r.off.out, () => (inF + 2) * EPS32 * (inF + 1), "y");
      expectClose(r.simd.grads[0], r.off.grads[0], () => (outF + 1) * EPS32 * outF, "grad x");
      expectClose(r.simd.grads[1], r.off.grads[1], () => (batch + 1) * EPS32 * batch, "grad W");
      if (bias) expectClose(r.simd.grads[2], r.off.grads[2], () => (batch + 1) * EPS32 * batch, "grad b");
    });
  }

  it("linear: a 1-D input and a float64 input take the composed path and agree", () => {
    const w = T(filled(12, 5), [3, 4], true);
    const y1 = F.linear(T(filled(4, 6), [4]), w);
    const y2 = F.linear(T(filled(4, 6), [1, 4]), w);
    expect(y1.shape).toEqual([3]);
    expect(Array.from(y1.dataSync())).toEqual(Array.from(y2.dataSync()));
    const y64 = F.linear(T(filled(8, 6), [2, 4]).double(), w.double());
    expect(y64.dtype).toBe("float64");
  });

  for (const reduction of ["mean", "sum"] as const) {
    for (const [n, c] of [[12, 10], [256, 10], [5, 3], [1, 1]] as const) {
      it(`crossEntropy ${reduction} [${n},${c}]: loss and gradient`, () => {
        const logits = filled(n * c, 7).map((v) => v * 8);
        const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % c);
        const r = inModes(() => {
          const x = T(logits, [n, c], true);
          const loss = F.crossEntropy(x, torch.fromTypedArray(labels.slice(), [n]), { reduction });
          loss.backward(torch.tensor(0.5));
          return { out: [loss.item()], grads: [Array.from(x.grad!.dataSync())] };
        });
        expectClose(r.simd.out, r.off.out, () => 8 * EPS32 * n * (Math.abs(r.off.out[0]) + 1), "loss");
        expectClose(r.simd.grads[0], r.off.grads[0], () => 8 * EPS32, "grad");
      });
    }
  }

  it("crossEntropy: uint8 labels, reduction none and a bad label behave as before", () => {
    const x = T(filled(6, 8), [2, 3], true);
    const a = F.crossEntropy(x, torch.fromTypedArray(new Uint8Array([2, 0]), [2]));
    const b = F.crossEntropy(x, torch.fromTypedArray(new Int32Array([2, 0]), [2]));
    expect(a.item()).toBe(b.item());
    expect(F.crossEntropy(x, torch.fromTypedArray(new Int32Array([2, 0]), [2]), { reduction: "none" }).shape).toEqual([2]);
    expect(() => F.crossEntropy(x, torch.fromTypedArray(new Int32Array([3, 0]), [2]))).toThrow(/label 3 .*out of range for 3 classes/);
  });

  for (const n of [100, 512, 4099]) {
    it(`relu on ${n} elements: forward and backward, NaN kept (as PyTorch), derivative 0 at 0`, () => {
      const xs = filled(n, 9);
      xs[0] = NaN; xs[1] = 0; xs[2] = -0; xs[3] = Infinity; xs[4] = -Infinity;
      const gs = filled(n, 10);
      const r = inModes(() => {
        const x = T(xs, [n], true);
        const y = F.relu(x);
        y.backward(T(gs, [n]));
        return { out: Array.from(y.dataSync()), grads: [Array.from(x.grad!.dataSync())] };
      });
      expectClose(r.simd.out, r.off.out, () => 0, "relu");
      expectClose(r.simd.grads[0], r.off.grads[0], () => 0, "relu grad");
      expect(r.simd.out[0]).toBeNaN();
      expect(r.simd.out.slice(1, 5)).toEqual([0, 0, Infinity, 0]);
      expect(r.simd.grads[0].slice(1, 3)).toEqual([0, 0]);
    });
  }

  for (const kind of ["SGD", "SGD momentum", "Adam", "AdamW", "Adam amsgrad"] as const) {
    it(`${kind}: three steps on the same gradients agree${kind === "SGD" ? " bit for bit" : ""}`, () => {
      const n = 1031;
      const r = inModes(() => {
        const p = T(filled(n, 11), [n], true);
        const opt = kind === "SGD" ? new torch.optim.SGD([p], { lr: 0.01 })
          : kind === "SGD momentum" ? new torch.optim.SGD([p], { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 })
            : kind === "AdamW" ? new torch.optim.AdamW([p], { lr: 1e-3 })
              : new torch.optim.Adam([p], { lr: 1e-3, weightDecay: 1e-4, amsgrad: kind === "Adam amsgrad" });
        for (let s = 0; s < 3; s++) {
          p.grad = T(filled(n, 20 + s), [n]);
          opt.step();
        }
        return { out: Array.from(p.dataSync()), grads: [] };
      });
      if (kind.startsWith("SGD")) expect(r.simd.out).toEqual(r.off.out);
      // Adam: the wasm kernel rounds m and v in PyTorch's lerp order, the TypeScript loop in the textbook order
      else expectClose(r.simd.out, r.off.out, (i) => 1e-7 + 1e-6 * Math.abs(r.off.out[i]), "param");
    });
  }
});

/** Transpiles kernel-lib/src to CommonJS in a temp dir (for a child Node with extra V8 flags). */
function transpiledKernelLib(): string {
  const src = join(__dirname, "../kernel-lib/src");
  const out = mkdtempSync(join(tmpdir(), "kl-src-"));
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name), join(rel, entry.name));
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const code = ts.sys.readFile(join(dir, entry.name)) ?? "";
        const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true, resolveJsonModule: true } }).outputText;
        mkdirSync(join(out, rel), { recursive: true });
        writeFileSync(join(out, rel, entry.name.replace(/\.ts$/, ".js")), js);
      } else if (entry.name.endsWith(".json")) {
        mkdirSync(join(out, rel), { recursive: true });
        copyFileSync(join(dir, entry.name), join(out, rel, entry.name));
      }
    }
  };
  walk(src, "");
  return out;
}

describe.runIf(relaxedFlagWorks())("relaxed-SIMD mode (child Node with " + RELAXED_FLAG + ")", () => {
  it("the PyTorch optimizer fixture: SGD bit for bit given PyTorch's gradients, whole training steps to float32 rounding", () => {
    const lib = transpiledKernelLib();
    const fixture = join(__dirname, "fixtures/optim-mlp.json");
    const script = `
      const { Tensor } = require(${JSON.stringify(join(lib, "tensor/tensor.js"))});
      const nn = require(${JSON.stringify(join(lib, "nn/index.js"))});
      const optim = require(${JSON.stringify(join(lib, "optim/index.js"))});
      const { wasmMode } = require(${JSON.stringify(join(lib, "backends/cpu/wasm/index.js"))});
      const fx = require(${JSON.stringify(fixture)});
      const names = Object.keys(fx.shapes);
      const t = (a, s) => Tensor.fromTypedArray(Float32Array.from(a), s);
      const make = (kind, ps, o) => kind === "SGD" ? new optim.SGD(ps, o) : kind === "Adam" ? new optim.Adam(ps, o) : new optim.AdamW(ps, o);
      const worst = (got, want, atol, rtol) => { let w = 0; for (let i = 0; i < want.length; i++) w = Math.max(w, Math.abs(got[i] - want[i]) - (atol + rtol * Math.abs(want[i]))); return w; };
      const report = [];
      const X = t(fx.X.data, fx.X.shape), y = Tensor.fromTypedArray(Int32Array.from(fx.y), [fx.y.length]);
      for (const run of fx.runs) {
        const [atol, rtol] = run.optimizer === "SGD" ? [0, 0] : [1e-7, 1e-6];
        const params = Object.fromEntries(names.map((k) => [k, new nn.Parameter(t(fx.initial[k], fx.shapes[k]))]));
        const opt = make(run.optimizer, names.map((k) => params[k]), run.options);
        let given = 0;
        run.steps.forEach((step) => {
          opt.zeroGrad();
          for (const k of names) params[k].grad = t(step.grads[k], fx.shapes[k]);
          opt.step();
          for (const k of names) given = Math.max(given, worst(params[k].dataSync(), step.params[k], atol, rtol));
        });
        const net = new nn.Sequential(new nn.Linear(4, 5), new nn.ReLU(), new nn.Linear(5, 3));
        net.loadStateDict(Object.fromEntries(names.map((k) => [k, t(fx.initial[k], fx.shapes[k])])));
        const opt2 = make(run.optimizer, net.parameters(), run.options);
        const named = Object.fromEntries(net.namedParameters());
        let whole = 0;
        run.steps.forEach((step) => {
          opt2.zeroGrad();
          const loss = nn.functional.crossEntropy(net.forward(X), y);
          whole = Math.max(whole, Math.abs(loss.item() - step.loss) - 1e-6 * Math.abs(step.loss));
          loss.backward();
          for (const k of names) whole = Math.max(whole, worst(named[k].grad.dataSync(), step.grads[k], 3e-7, 1e-6));
          opt2.step();
          for (const k of names) whole = Math.max(whole, worst(named[k].dataSync(), step.params[k], 3e-7, 1e-6));
        });
        report.push({ name: run.name, given, whole });
      }
      console.log(JSON.stringify({ mode: wasmMode(), report }));
    `;
    const file = join(lib, "child-optim.js");
    writeFileSync(file, script);
    // This child tests the relaxed-SIMD WebAssembly kernels, so the native GEMM stays off there.
    const r = spawnSync(process.execPath, [RELAXED_FLAG, file], { encoding: "utf8", timeout: 60_000, env: { ...process.env, KERNEL_LIB_BLAS: "off" } });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { mode: string; report: { name: string; given: number; whole: number }[] };
    expect(out.mode).toBe("relaxed-simd");
    expect(out.report.length).toBeGreaterThan(0);
    for (const run of out.report) {
      expect(run.given, `${run.name}: given PyTorch's gradients`).toBe(0);
      expect(run.whole, `${run.name}: whole training steps`).toBe(0);
    }
  });
});

