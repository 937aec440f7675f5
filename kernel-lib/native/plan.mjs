// The platform logic of the native BLAS build, as a pure function (unit-tested for darwin, win32 and linux in
// test/native-build-plan.test.ts): which BLAS to link, with which compiler flags, in which order to try them,
// or why nothing is built. build.mjs runs the attempts; the first that compiles wins.
//
// - macOS: Apple's Accelerate framework (always present, cblas_sgemm; on Apple silicon it uses the matrix units),
//   then Homebrew's OpenBLAS where it is installed (keg-only under /opt/homebrew or /usr/local, so -I/-L/rpath).
//   KERNEL_LIB_BLAS_LIB=openblas tries OpenBLAS first, =accelerate only Accelerate.
//   A Node addon on macOS is a bundle whose N-API symbols resolve from the node binary at load time.
// - Linux (and other Unixes): the system OpenBLAS (Debian/Ubuntu libopenblas-dev; Fedora's headers live in
//   /usr/include/openblas).
// - Windows: not built (no C toolchain or BLAS to assume); kernel-lib uses its WebAssembly kernels.
import { join } from "node:path";

/**
 * @typedef {{ library: string, cc: string, args: string[], hint: string, noCompiler: string }} BuildAttempt
 * @typedef {{ attempts: BuildAttempt[] } | { skip: string }} BuildPlan
 * @typedef {{ platform: string, env: Record<string, string | undefined>, exists: (file: string) => boolean,
 *             source: string, include: string | null, out: string }} PlanInput
 */

const HOMEBREW_PREFIXES = ["/opt/homebrew", "/usr/local"];
const XCODE = "install Xcode's command line tools with `xcode-select --install`";

/** @param {PlanInput} input @returns {BuildPlan} */
export function nativeBuildPlan({ platform, env, exists, source, include, out }) {
  if (env.KERNEL_LIB_BLAS === "off") return { skip: "KERNEL_LIB_BLAS=off" };
  if (platform === "win32") return { skip: "no native build on Windows (it would need a C toolchain and a BLAS)" };
  if (!include) return { skip: "Node's headers (node_api.h) not found" };
  const cc = env.KERNEL_LIB_NATIVE_CC || "cc";
  const common = ["-O3", "-ffp-contract=off", "-fno-math-errno", `-I${include}`, source, "-o", out];
  if (platform === "darwin") {
    const bundle = ["-bundle", "-undefined", "dynamic_lookup"];
    const accelerate = {
      library: "Apple Accelerate",
      cc,
      args: [...bundle, "-DKERNEL_LIB_ACCELERATE", ...common, "-framework", "Accelerate"],
      hint: "Xcode's command line tools may be missing (`xcode-select --install`)",
      noCompiler: XCODE,
    };
    const brew = HOMEBREW_PREFIXES.map((prefix) => join(prefix, "opt", "openblas"))
      .filter((dir) => exists(join(dir, "include", "cblas.h")))
      .map((dir) => ({
        library: `Homebrew OpenBLAS (${dir})`,
        cc,
        args: [...bundle, `-I${join(dir, "include")}`, ...common, `-L${join(dir, "lib")}`, "-lopenblas", `-Wl,-rpath,${join(dir, "lib")}`],
        hint: "`brew reinstall openblas` may help",
        noCompiler: XCODE,
      }));
    const choice = env.KERNEL_LIB_BLAS_LIB;
    if (choice === "accelerate") return { attempts: [accelerate] };
    if (choice === "openblas") {
      return brew.length ? { attempts: [...brew, accelerate] } : { skip: "KERNEL_LIB_BLAS_LIB=openblas but no Homebrew OpenBLAS found (`brew install openblas`)" };
    }
    return { attempts: [accelerate, ...brew] };
  }
  // Linux and other Unixes: the system OpenBLAS. -pthread for the helper thread of mid_gemm.h (glibc before 2.34
  // keeps pthread_create in libpthread).
  const extra = exists("/usr/include/openblas/cblas.h") ? ["-I/usr/include/openblas"] : [];
  return {
    attempts: [{
      library: "OpenBLAS",
      cc,
      args: ["-shared", "-fPIC", "-pthread", ...extra, ...common, "-lopenblas"],
      hint: "libopenblas-dev (Debian/Ubuntu) or openblas-devel (Fedora) may be missing",
      noCompiler: "install a C compiler (Debian/Ubuntu: build-essential) or set KERNEL_LIB_NATIVE_CC",
    }],
  };
}

/** Why an attempt did not build, in one line: the compiler's first error and what may fix it. */
export function failureReason(attempt, result) {
  if (result.error) return `compiler ${attempt.cc} not usable (${result.error.code ?? result.error.message}); ${attempt.noCompiler}`;
  const lines = (result.stderr || "").split("\n");
  const first = lines.find((line) => /cannot find|fatal error|not found/i.test(line)) ?? lines.find((line) => /error/i.test(line)) ?? `exit ${result.status}`;
  return `${attempt.library}: ${attempt.cc} failed (${first.trim()}); ${attempt.hint}`;
}
