// The native BLAS build's platform logic (kernel-lib/native/plan.mjs) for macOS, Windows and Linux, decided here
// for each platform without its compiler; and the macOS (Accelerate) variant of blas.c compiled and checked on this
// machine with OpenBLAS's cblas_sgemm standing in for Accelerate's.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuildAttempt, failureReason, nativeBuildPlan, PlanInput } from "../kernel-lib/native/plan.mjs";
import type { NativeSgemm } from "../kernel-lib/src/backends/cpu/native";
import { checkGemmAll } from "./wasm-helpers";

const ROOT = join(__dirname, "..");
const SOURCE = join(ROOT, "kernel-lib", "native", "blas.c");

function plan(platform: string, env: Record<string, string> = {}, files: string[] = []) {
  const input: PlanInput = { platform, env, exists: (f) => files.includes(f), source: "/k/blas.c", include: "/node/include/node", out: "/k/blas.node" };
  return nativeBuildPlan(input);
}
function attempts(p: ReturnType<typeof plan>): BuildAttempt[] {
  if ("skip" in p) throw new Error(`expected attempts, got skip: ${p.skip}`);
  return p.attempts;
}

describe("native build plan", () => {
  it("macOS: Accelerate, linked as a Node bundle with -framework Accelerate; no OpenBLAS needed", () => {
    const [accelerate, ...rest] = attempts(plan("darwin"));
    expect(rest).toEqual([]);
    expect(accelerate.library).toBe("Apple Accelerate");
    expect(accelerate.cc).toBe("cc");
    expect(accelerate.args).toEqual([
      "-bundle", "-undefined", "dynamic_lookup", "-DKERNEL_LIB_ACCELERATE", "-O3", "-ffp-contract=off", "-fno-math-errno", "-I/node/include/node", "/k/blas.c", "-o", "/k/blas.node", "-framework", "Accelerate",
    ]);
    expect(accelerate.args.join(" ")).not.toMatch(/openblas/);
    expect(accelerate.hint + accelerate.noCompiler).not.toMatch(/libopenblas-dev/);
    expect(accelerate.noCompiler).toContain("xcode-select --install");
  });

  it("macOS: Homebrew's keg-only OpenBLAS (Apple silicon and Intel prefixes) comes after Accelerate, or first on request", () => {
    const files = ["/opt/homebrew/opt/openblas/include/cblas.h", "/usr/local/opt/openblas/include/cblas.h"];
    const all = attempts(plan("darwin", {}, files));
    expect(all.map((a) => a.library)).toEqual(["Apple Accelerate", "Homebrew OpenBLAS (/opt/homebrew/opt/openblas)", "Homebrew OpenBLAS (/usr/local/opt/openblas)"]);
    expect(all[1].args).toEqual([
      "-bundle", "-undefined", "dynamic_lookup", "-I/opt/homebrew/opt/openblas/include", "-O3", "-ffp-contract=off", "-fno-math-errno", "-I/node/include/node", "/k/blas.c", "-o", "/k/blas.node",
      "-L/opt/homebrew/opt/openblas/lib", "-lopenblas", "-Wl,-rpath,/opt/homebrew/opt/openblas/lib",
    ]);
    expect(attempts(plan("darwin", { KERNEL_LIB_BLAS_LIB: "openblas" }, files.slice(1))).map((a) => a.library)).toEqual(["Homebrew OpenBLAS (/usr/local/opt/openblas)", "Apple Accelerate"]);
    expect(attempts(plan("darwin", { KERNEL_LIB_BLAS_LIB: "accelerate" }, files)).map((a) => a.library)).toEqual(["Apple Accelerate"]);
    expect(plan("darwin", { KERNEL_LIB_BLAS_LIB: "openblas" })).toEqual({ skip: "KERNEL_LIB_BLAS_LIB=openblas but no Homebrew OpenBLAS found (`brew install openblas`)" });
  });

  it("Windows: nothing is built, and the reason says so plainly", () => {
    expect(plan("win32")).toEqual({ skip: "no native build on Windows (it would need a C toolchain and a BLAS)" });
  });

  it("Linux: the system OpenBLAS as a shared object; Fedora's header folder when present", () => {
    const [openblas] = attempts(plan("linux", { KERNEL_LIB_NATIVE_CC: "gcc-12" }));
    expect(openblas).toMatchObject({ library: "OpenBLAS", cc: "gcc-12" });
    expect(openblas.args).toEqual(["-shared", "-fPIC", "-pthread", "-O3", "-ffp-contract=off", "-fno-math-errno", "-I/node/include/node", "/k/blas.c", "-o", "/k/blas.node", "-lopenblas"]);
    expect(openblas.hint).toContain("libopenblas-dev");
    expect(attempts(plan("linux", {}, ["/usr/include/openblas/cblas.h"]))[0].args).toContain("-I/usr/include/openblas");
  });

  it("KERNEL_LIB_BLAS=off and missing Node headers skip on every platform", () => {
    for (const platform of ["darwin", "linux", "win32"]) expect(plan(platform, { KERNEL_LIB_BLAS: "off" })).toEqual({ skip: "KERNEL_LIB_BLAS=off" });
    const input: PlanInput = { platform: "darwin", env: {}, exists: () => false, source: "s", include: null, out: "o" };
    expect(nativeBuildPlan(input)).toEqual({ skip: "Node's headers (node_api.h) not found" });
  });

  it("a failed attempt is one line naming the library, the compiler's first error and the platform's fix", () => {
    const [accelerate] = attempts(plan("darwin"));
    expect(failureReason(accelerate, { error: { code: "ENOENT", message: "spawn cc ENOENT" }, status: null })).toBe(
      "compiler cc not usable (ENOENT); install Xcode's command line tools with `xcode-select --install`",
    );
    const stderr = "blas.c:20:10: fatal error: 'Accelerate/Accelerate.h' file not found\n1 error generated.\n";
    expect(failureReason(accelerate, { status: 1, stderr })).toBe(
      "Apple Accelerate: cc failed (blas.c:20:10: fatal error: 'Accelerate/Accelerate.h' file not found); Xcode's command line tools may be missing (`xcode-select --install`)",
    );
    const [openblas] = attempts(plan("linux"));
    expect(failureReason(openblas, { status: 1, stderr: "/usr/bin/ld: cannot find -lopenblas\ncollect2: error" })).toBe(
      "OpenBLAS: cc failed (/usr/bin/ld: cannot find -lopenblas); libopenblas-dev (Debian/Ubuntu) or openblas-devel (Fedora) may be missing",
    );
  });
});

// The addon built as on macOS (-DKERNEL_LIB_ACCELERATE), with an Accelerate.h that forwards to OpenBLAS's cblas.h.
const canCompile = existsSync(join(ROOT, "kernel-lib", "dist", "native", "blas.node")) && process.platform === "linux";

describe("blas.c's Accelerate variant", () => {
  it.skipIf(!canCompile)("compiles, reports Accelerate and computes every GEMM form (needs cc and OpenBLAS; skipped where the addon is not built)", () => {
    const dir = mkdtempSync(join(tmpdir(), "native-accelerate-"));
    mkdirSync(join(dir, "Accelerate"));
    writeFileSync(join(dir, "Accelerate", "Accelerate.h"), "/* stand-in for Apple's header */\n#include <cblas.h>\n");
    const out = join(dir, "blas.node");
    const include = join(dirname(dirname(process.execPath)), "include", "node");
    const r = spawnSync("cc", ["-O2", "-shared", "-fPIC", "-Wall", "-Werror", "-DKERNEL_LIB_ACCELERATE", `-I${dir}`, `-I${include}`, SOURCE, "-lopenblas", "-o", out], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const addon = createRequire(__filename)(out) as { sgemm: NativeSgemm; info(): { config: string; core: string; threads: number; cores: number }; setThreads(n: number): void };
    expect(addon.info()).toMatchObject({ config: expect.stringMatching(/^Apple Accelerate/), core: "Accelerate", threads: 1 });
    // Accelerate keeps the products with no small side (it picks its own threads)
    expect((addon.info() as { midGemm?: string }).midGemm).toMatch(/^off \(Accelerate picks its own threads\)$/);
    expect(addon.info().cores).toBeGreaterThanOrEqual(1);
    addon.setThreads(2);
    expect(addon.info().threads).toBe(2);
    checkGemmAll(addon.sgemm, [[1, 1, 1], [3, 5, 2], [13, 300, 19], [6, 0, 5], [0, 3, 4]], (ok, label) => expect(ok, label).toBe(true));
  });
});
