// Jupyter's own kernel test suite (Debian's python3-jupyter-kernel-test, module jupyter_kernel_test) against
// kernel-lib's kernel, with samples for every test it has, plus stop_on_error, error content and interrupts
// (test/kernel/conformance.py). CI sets REQUIRE_JUPYTER=1: a missing suite is then a failure.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildKernelSpec, KERNEL_NAME } from "../tools/workbook/src/kernelspec";
import { cleanupTempDirs, ensureWorkbookBuilt, ROOT, tempDir } from "./runner-helpers";

const PYTHON = "/usr/bin/python3";
const INSTALL = "apt-get install python3-jupyter-kernel-test";
const hasSuite = fs.existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import jupyter_kernel_test"], { stdio: "ignore" }).status === 0;
const required = process.env.REQUIRE_JUPYTER === "1";

beforeAll(() => ensureWorkbookBuilt());
afterAll(cleanupTempDirs);

describe("jupyter_kernel_test against kernel-lib's kernel", () => {
  it("passes every test of the suite (the pager aside: TypeScript has none) and the extra protocol tests", (ctx) => {
    if (!hasSuite) {
      if (required) throw new Error(`REQUIRE_JUPYTER=1 but ${PYTHON} cannot import jupyter_kernel_test (${INSTALL})`);
      ctx.skip(`${PYTHON} cannot import jupyter_kernel_test (${INSTALL}); set REQUIRE_JUPYTER=1 to make this a failure`);
    }
    const jupyterPath = tempDir("kernel-conformance-");
    const specDir = path.join(jupyterPath, "kernels", KERNEL_NAME);
    fs.mkdirSync(specDir, { recursive: true });
    fs.writeFileSync(path.join(specDir, "kernel.json"), JSON.stringify(buildKernelSpec()));
    const r = spawnSync(PYTHON, [path.join(ROOT, "test", "kernel", "conformance.py")], {
      cwd: ROOT,
      env: { ...process.env, JUPYTER_PATH: jupyterPath, JUPYTER_RUNTIME_DIR: path.join(jupyterPath, "runtime"), PYTHONDONTWRITEBYTECODE: "1" },
      encoding: "utf8",
      timeout: 600_000,
    });
    const report = `${r.stdout}\n${r.stderr}`;
    expect(r.status, report).toBe(0);
    const results = [...report.matchAll(/^(test_\w+) \(.*?\) \.\.\. (\w+)/gm)].map((m) => [m[1], m[2]]);
    for (const name of ["test_kernel_info", "test_execute_stdout", "test_execute_stderr", "test_completion", "test_is_complete", "test_error", "test_execute_result", "test_display_data", "test_history", "test_inspect", "test_clear_output"]) {
      expect(results, report).toContainEqual([name, "ok"]);
    }
    expect(results.filter(([, outcome]) => outcome !== "ok"), report).toEqual([["test_pager", "skipped"]]);
  }, 660_000);
});
