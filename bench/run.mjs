// `npm run bench`: kernel-lib vs TensorFlow.js (wasm, cpu) vs PyTorch, one run each, side by side.
// Each contender runs in its own child process (so flags, threads and warm-up do not interfere).
// Prints a markdown table and writes bench/results/latest.json.
// Options: --epochs N (MNIST epochs, default 3; use 10 for the memory-growth check), --no-mnist, --no-torch.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBenchPeers } from "./setup.mjs";

const here = dirname(fileURLToPath(import.meta.url));
ensureBenchPeers(); // TensorFlow.js lives in bench/node_modules, installed on the first run
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const epochs = Number(opt("--epochs", "3"));
const withMnist = !args.includes("--no-mnist");
const PYTHON = "/usr/bin/python3";
const withTorch = !args.includes("--no-torch") && existsSync(PYTHON) &&
  spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;

const loadAtStart = os.loadavg()[0];
const SHAPES = [[1024, 1024, 1024], [256, 784, 256], [12, 784, 512]];
const shapeArgs = SHAPES.map((s) => s.join(","));

// Node 20 ships relaxed SIMD behind a V8 flag; newer Node versions may not need (or know) it.
const RELAXED_FLAG = "--experimental-wasm-relaxed-simd";
const relaxedFlag = spawnSync(process.execPath, [RELAXED_FLAG, "-e", "0"], { stdio: "ignore" }).status === 0 ? [RELAXED_FLAG] : [];

function runJson(cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, { encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    const why = `${cmd} ${argv.join(" ")} exited ${r.status}: ${(r.stderr || "").trim().split("\n").slice(-5).join(" | ")}`;
    console.error(why);
    return { error: why };
  }
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

const node = (script, argv, env) => runJson(process.execPath, [...relaxedFlag, join(here, script), ...argv], env);

// The optional native GEMM (OpenBLAS addon): when built, it is kernel-lib's default float32 path, and the wasm
// path is measured beside it with KERNEL_LIB_BLAS=off.
const nativeInfo = spawnSync(process.execPath, ["-e",
  `console.log(JSON.stringify(require(${JSON.stringify(join(here, "..", "kernel-lib", "dist", "backends", "cpu", "native.js"))}).nativeBlasInfo()))`],
{ encoding: "utf8" });
const blas = nativeInfo.status === 0 ? JSON.parse(nativeInfo.stdout) : { available: false, reason: nativeInfo.stderr.trim() };

console.error("kernel-lib matmul ...");
const contenders = {
  ...(blas.available ? { "kernel-lib native": node("matmul_kernel_lib.mjs", ["native", ...shapeArgs]) } : {}),
  "kernel-lib relaxed-simd": node("matmul_kernel_lib.mjs", ["relaxed-simd", ...shapeArgs]),
  "kernel-lib simd": node("matmul_kernel_lib.mjs", ["simd", ...shapeArgs]),
  "kernel-lib relaxed-simd 1 thread": node("matmul_kernel_lib.mjs", ["relaxed-simd", ...shapeArgs], { KERNEL_LIB_THREADS: "1" }),
  "kernel-lib TypeScript": node("matmul_kernel_lib.mjs", ["off", ...shapeArgs], { KERNEL_LIB_THREADS: "1" }),
};
// The GPU column: only where torch.webgpu.isAvailable() in this environment (a hardware adapter unless
// KERNEL_LIB_WEBGPU says otherwise: a software adapter's numbers are not speed figures).
console.error("kernel-lib webgpu matmul ...");
const webgpuRun = node("matmul_webgpu.mjs", shapeArgs);
const webgpu = webgpuRun.unavailable === undefined && webgpuRun.matmul ? webgpuRun : null;
if (webgpu) contenders["kernel-lib webgpu"] = webgpu;
console.error("tfjs matmul ...");
contenders["tfjs-wasm"] = node("matmul_tfjs.mjs", ["wasm", ...shapeArgs]);
contenders["tfjs cpu"] = node("matmul_tfjs.mjs", ["cpu", ...shapeArgs]);
if (withTorch) {
  console.error("PyTorch matmul ...");
  contenders["PyTorch"] = runJson(PYTHON, [join(here, "torch_bench.py"), "matmul", ...shapeArgs]);
}

const gf = (name, i) => contenders[name]?.matmul?.[i]?.gflops;
const fmt = (x, d = 1) => (x === undefined || Number.isNaN(x) ? "n/a" : x.toFixed(d));
const names = Object.keys(contenders);
const best = blas.available ? "kernel-lib native" : "kernel-lib relaxed-simd";
let table = `| matmul GFLOP/s (best run) | ${names.join(" | ")} | kernel-lib / tfjs-wasm | kernel-lib / PyTorch |\n`;
table += `|---|${names.map(() => "---:").join("|")}|---:|---:|\n`;
SHAPES.forEach((s, i) => {
  const ours = gf(best, i);
  table += `| ${s.join("x")} | ${names.map((n) => fmt(gf(n, i))).join(" | ")} | ${fmt(ours / gf("tfjs-wasm", i), 2)}x | ${fmt(ours / gf("PyTorch", i), 2)}x |\n`;
});

const mnist = {};
if (withMnist) {
  for (const recipe of ["adam256", "sgd12"]) {
    console.error(`MNIST ${recipe} (${epochs} epochs) ...`);
    const train = (env) => runJson(process.execPath, [...relaxedFlag, "--expose-gc", join(here, "mnist_kernel_lib.mjs"), recipe, String(epochs)], env);
    mnist[recipe] = {
      ...(blas.available ? { "kernel-lib native": train({}), "kernel-lib wasm": train({ KERNEL_LIB_BLAS: "off" }) } : { "kernel-lib wasm": train({}) }),
      ...(webgpu ? { "kernel-lib webgpu": train({ KERNEL_LIB_BENCH_DEVICE: "webgpu" }) } : {}),
      ...(withTorch ? { PyTorch: runJson(PYTHON, [join(here, "torch_bench.py"), "mnist", recipe, String(epochs)]) } : {}),
    };
  }
  const rssAt = (r, e) => r.rss_mib[String(e)];
  table += `\n| MNIST recipe | library | s/epoch (mean) | s/epoch (best) | kernel-lib / PyTorch (mean) | test accuracy (last) | RSS MiB epoch 1 | RSS MiB epoch 3 | RSS MiB last (epoch ${epochs}) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n`;
  for (const [recipe, libs] of Object.entries(mnist)) {
    const meanOf = (r) => r?.epoch_seconds ? r.epoch_seconds.reduce((a, b) => a + b, 0) / r.epoch_seconds.length : NaN;
    for (const [lib, r] of Object.entries(libs)) {
      if (!r.epoch_seconds) {
        table += `| ${recipe} | ${lib} | error | | | | | | |\n`;
        continue;
      }
      const ratio = lib.startsWith("kernel-lib") ? `${fmt(meanOf(r) / meanOf(libs.PyTorch), 2)}x` : "";
      table += `| ${recipe} | ${lib} | ${fmt(meanOf(r), 2)} | ${fmt(Math.min(...r.epoch_seconds), 2)} | ${ratio} | ${fmt(r.test_accuracy.at(-1) * 100, 2)}% | ` +
        `${fmt(rssAt(r, 1), 0)} | ${fmt(rssAt(r, 3), 0)} | ${fmt(rssAt(r, r.epochs), 0)} |\n`;
    }
  }
}
// The lecture's own loop (seed 001): torchvision's MNIST + ToTensor + DataLoader(batch 12) against kernel-lib's
// DataLoader over torch.datasets.MNIST, 2000 mini-batches each (bench/lecture_loop.py, lecture_loop_kernel_lib.mjs).
const lecture = {};
if (withMnist) {
  console.error("lecture loop (2000 steps of batch 12) ...");
  const loop = (env) => runJson(process.execPath, [...relaxedFlag, join(here, "lecture_loop_kernel_lib.mjs"), "2000"], env);
  if (blas.available) {
    lecture["kernel-lib native"] = loop({});
    lecture["kernel-lib wasm"] = loop({ KERNEL_LIB_BLAS: "off" });
  } else {
    lecture["kernel-lib wasm"] = loop({});
  }
  if (withTorch) lecture["PyTorch + torchvision"] = runJson(PYTHON, [join(here, "lecture_loop.py"), "2000"]);
  const torchSeconds = lecture["PyTorch + torchvision"]?.train_seconds;
  table += `\n| lecture loop, 2000 steps of batch 12 | train s | eval s (10000 images) | threads | / PyTorch + torchvision (train) |\n|---|---:|---:|---:|---:|\n`;
  for (const [lib, r] of Object.entries(lecture)) {
    if (r.train_seconds === undefined) {
      table += `| ${lib} | error | | | |\n`;
      continue;
    }
    const ratio = lib.startsWith("kernel-lib") && torchSeconds ? `${fmt(r.train_seconds / torchSeconds, 2)}x` : "";
    table += `| ${lib} | ${fmt(r.train_seconds, 2)} | ${fmt(r.eval_seconds, 2)} | ${r.threads}${r.blas_threads ? ` (its OpenBLAS ${r.blas_threads})` : ""} | ${ratio} |\n`;
  }
}
const loadAtEnd = os.loadavg()[0];

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model ?? "unknown", cores: cpus.length, memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version, nodeFlags: relaxedFlag, platform: `${os.platform()} ${os.release()}`,
  loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAtEnd, kernelLibGemm: blas,
  webgpu: webgpu ? webgpu.adapter : { unavailable: webgpuRun.unavailable ?? webgpuRun.error ?? "unknown" },
};
const gemmLine = blas.available ? `native OpenBLAS (${blas.config}; kernels ${blas.core}; ${blas.threads} threads; small-side kernels ${blas.smallGemm ?? "absent"}; no-small-side kernels ${blas.midGemm ?? "absent"}), wasm beside it with KERNEL_LIB_BLAS=off`
  : `wasm (native BLAS not used: ${blas.reason})`;
const header = `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}` +
  ` (${relaxedFlag.join(" ") || "no extra flags"}), load average ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end; tfjs-wasm threads: ${contenders["tfjs-wasm"]?.threads ?? "n/a"}` +
  `; kernel-lib GEMM: ${gemmLine}; kernel-lib webgpu: ${webgpu ? `${webgpu.adapter.vendor} ${webgpu.adapter.description}` : `not measured (${machine.webgpu.unavailable})`}; kernel-lib wasm threads: ${contenders["kernel-lib relaxed-simd"]?.threads ?? "n/a"}; PyTorch ${contenders.PyTorch?.torch ?? "n/a"} threads: ${contenders.PyTorch?.threads ?? "n/a"} (torch.get_num_threads()), its OpenBLAS threads: ${contenders.PyTorch?.blas_threads ?? "n/a"}\n`;
console.log(header);
console.log(table);
mkdirSync(join(here, "results"), { recursive: true });
const out = join(here, "results", "latest.json");
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, shapes: SHAPES, matmul: contenders, mnist, lecture }, null, 2) + "\n");
console.error(`wrote ${out}`);
