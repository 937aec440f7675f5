// TensorFlow.js matmul GFLOP/s. Usage: node bench/matmul_tfjs.mjs wasm|cpu M,K,N...
// The wasm backend loads its .wasm files from node_modules (offline).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { filled, gflops, bestSeconds } from "./lib/timing.mjs";

const require = createRequire(import.meta.url);
const tf = require("@tensorflow/tfjs");
const [backend, ...shapes] = process.argv.slice(2);
let threads = 1;
if (backend === "wasm") {
  const tfw = require("@tensorflow/tfjs-backend-wasm");
  tfw.setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), "/"));
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs wasm backend failed to initialise");
  await tf.ready();
  threads = tfw.getThreadsCount();
} else {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
}
const results = [];
for (const spec of shapes) {
  const [m, k, n] = spec.split(",").map(Number);
  const a = tf.tensor2d(filled(m * k, 1), [m, k]), b = tf.tensor2d(filled(k * n, 2), [k, n]);
  const slow = backend === "cpu" && m * k * n > 1e8;
  const seconds = bestSeconds(() => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }, { warmup: slow ? 1 : 3, minReps: slow ? 2 : 5, budgetSeconds: slow ? 0 : 1 });
  a.dispose(); b.dispose();
  results.push({ shape: [m, k, n], seconds, gflops: gflops(m, k, n, seconds) });
}
const simd = backend === "wasm" ? await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT") : false;
const multithread = backend === "wasm" ? await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT") : false;
console.log(JSON.stringify({ backend, version: tf.version.tfjs, threads, simd, multithread, matmul: results }));
