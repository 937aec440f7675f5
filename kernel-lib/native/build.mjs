// Best-effort build of the optional native BLAS addon (dist/native/blas.node): needs a C compiler, Node's headers
// and a BLAS (Accelerate on macOS, else OpenBLAS; the platform logic is plan.mjs). Any missing piece prints one
// line and exits 0; kernel-lib then uses its WebAssembly kernels.
// KERNEL_LIB_NATIVE_CC picks the compiler (default cc); KERNEL_LIB_BLAS=off skips the build, =require fails it;
// KERNEL_LIB_BLAS_LIB=accelerate|openblas picks the macOS library; KERNEL_LIB_NATIVE_OUT writes the addon
// elsewhere (the tests build into a temp dir).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { failureReason, nativeBuildPlan } from "./plan.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.env.KERNEL_LIB_NATIVE_OUT || join(here, "..", "dist", "native", "blas.node");
const outDir = dirname(out);

function skip(reason) {
  rmSync(out, { force: true }); // never leave a stale addon behind
  if (process.env.KERNEL_LIB_BLAS === "require") {
    console.error(`native BLAS not built: ${reason}; KERNEL_LIB_BLAS=require makes this an error`);
    process.exit(1);
  }
  console.log(`native BLAS not built: ${reason}; using WebAssembly kernels`);
  process.exit(0);
}

function nodeIncludeDir() {
  const candidates = [join(dirname(dirname(process.execPath)), "include", "node")];
  if (existsSync(join(candidates[0], "node_api.h"))) return candidates[0];
  try {
    const nodedir = execFileSync("npm", ["config", "get", "nodedir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (nodedir && nodedir !== "undefined" && nodedir !== "null") candidates.push(join(nodedir, "include", "node"));
  } catch { /* npm not callable: the first candidate only */ }
  return candidates.find((dir) => existsSync(join(dir, "node_api.h"))) ?? null;
}

// (KERNEL_LIB_BLAS=require, as CI sets, turns any reason below into a failed build.)
const plan = nativeBuildPlan({
  platform: process.platform,
  env: process.env,
  exists: existsSync,
  source: join(here, "blas.c"),
  include: process.env.KERNEL_LIB_BLAS === "off" || process.platform === "win32" ? null : nodeIncludeDir(),
  out,
});
if ("skip" in plan) skip(plan.skip);
mkdirSync(outDir, { recursive: true });
const failures = [];
for (const attempt of plan.attempts) {
  const result = spawnSync(attempt.cc, attempt.args, { encoding: "utf8" });
  if (!result.error && result.status === 0) {
    console.log(`native BLAS built on ${attempt.library}: ${out}`);
    process.exit(0);
  }
  failures.push(failureReason(attempt, result));
  if (result.error) break; // no compiler: the next library would fail the same way
}
skip(failures.join("; then "));
