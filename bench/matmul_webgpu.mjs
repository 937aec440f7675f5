// kernel-lib matmul GFLOP/s on the WebGPU device. Usage: node bench/matmul_webgpu.mjs M,K,N...
// Prints {unavailable: reason} where torch.webgpu.isAvailable() is false (KERNEL_LIB_WEBGPU decides whether a
// software adapter counts; `npm run bench` leaves it at auto: hardware only). Each timed call is one product
// followed by torch.webgpu.synchronize(), so the time includes the GPU's work, not only its queueing.
import { createRequire } from "node:module";
import { bestSeconds, gflops } from "./lib/timing.mjs";

const require = createRequire(import.meta.url);
const { torch } = require("../kernel-lib/dist/index.js");

if (!torch.webgpu.isAvailable()) {
  console.log(JSON.stringify({ unavailable: torch.webgpu.unavailableReason() }));
  process.exit(0);
}
const adapter = torch.webgpu.adapterInfo();
const results = [];
for (const spec of process.argv.slice(2)) {
  const [m, k, n] = spec.split(",").map(Number);
  torch.manualSeed(0);
  const a = torch.randn([m, k]).to("webgpu"), b = torch.randn([k, n]).to("webgpu");
  const seconds = bestSeconds(() => {
    a.matmul(b);
    torch.webgpu.synchronize();
  }, { minReps: 5, warmup: 2, budgetSeconds: 2 });
  results.push({ shape: [m, k, n], seconds, gflops: gflops(m, k, n, seconds) });
}
console.log(JSON.stringify({ adapter, matmul: results }));
