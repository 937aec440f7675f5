// Best-effort build of the optional native BLAS addon (dist/native/blas.node): needs a C compiler, Node's headers
// and libopenblas. Any missing piece prints one line and exits 0; kernel-lib then uses its WebAssembly kernels.
// KERNEL_LIB_NATIVE_CC picks the compiler (default cc); KERNEL_LIB_BLAS=off skips the build, =require fails it;
// KERNEL_LIB_NATIVE_OUT writes the addon elsewhere (the tests build into a temp dir).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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

if (process.env.KERNEL_LIB_BLAS === "off") skip("KERNEL_LIB_BLAS=off");
// (KERNEL_LIB_BLAS=require, as CI sets, turns any reason below into a failed build.)
const cc = process.env.KERNEL_LIB_NATIVE_CC || "cc";
const include = nodeIncludeDir();
if (!include) skip("Node's headers (node_api.h) not found");
mkdirSync(outDir, { recursive: true });
const args = ["-O2", "-shared", "-fPIC", `-I${include}`, join(here, "blas.c"), "-lopenblas", "-o", out];
const result = spawnSync(cc, args, { encoding: "utf8" });
if (result.error) skip(`compiler ${cc} not usable (${result.error.code ?? result.error.message})`);
if (result.status !== 0) {
  const lines = (result.stderr || "").split("\n");
  const firstError = lines.find((line) => /cannot find|fatal error/i.test(line)) ?? lines.find((line) => /error/i.test(line)) ?? `exit ${result.status}`;
  skip(`${cc} failed (${firstError.trim()}); libopenblas-dev may be missing`);
}
console.log(`native BLAS built: ${out}`);
