// CPU time (user + system, all threads) of the MNIST recipes' training steps, for comparing two builds on a
// shared machine where wall time is too noisy (issue 12's overhead check).
// Usage: node --expose-gc --experimental-wasm-relaxed-simd bench/api_overhead_mnist.mjs BENCH_DIR RECIPE STEPS
// BENCH_DIR holds the mnist_kernel_lib.mjs of the build to measure (e.g. bench, or an old checkout's bench).
import * as path from "node:path";
import { pathToFileURL } from "node:url";

const [dir, recipe, steps] = process.argv.slice(2);
const { trainKernelLibMnist } = await import(pathToFileURL(path.resolve(dir, "mnist_kernel_lib.mjs")).href);
// a short run first loads the data and warms the code; the measured run repeats it with maxSteps steps
await trainKernelLibMnist(recipe, 1, { maxSteps: 20 });
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await trainKernelLibMnist(recipe, 1, { maxSteps: Number(steps) });
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ dir, recipe, steps: Number(steps), cpu_s: (cpu.user + cpu.system) / 1e6, wall_s: (performance.now() - t0) / 1000, epoch_s: r.epoch_seconds[0] }));
