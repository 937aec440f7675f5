import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildKernelSpec, jupyterDataDir, KERNEL_NAME } from "../tools/workbook/src/kernelspec";
import { Kernel } from "../tools/workbook/src/kernel";
import { nodeAcceptsFlag } from "../tools/workbook/src/node-flags";
import { cleanupTempDirs, ensureWorkbookBuilt, NOTEBOOKS, readJson, ROOT, runWorkbook, tempDir } from "./runner-helpers";

afterAll(cleanupTempDirs);

beforeAll(() => ensureWorkbookBuilt());

describe("kernel spec", () => {
  it("starts this project's kernel (on tslab's compiler) with this Node and the library's node flags", () => {
    const spec = buildKernelSpec();
    expect(spec.display_name).toBe("TypeScript (kernel-lib)");
    expect(spec.language).toBe("typescript");
    expect(spec.argv[0]).toBe(process.execPath);
    expect(spec.argv).toContain("--max-old-space-size=8192");
    expect(spec.argv.includes("--experimental-wasm-relaxed-simd")).toBe(nodeAcceptsFlag("--experimental-wasm-relaxed-simd"));
    expect(spec.argv.slice(-3)).toEqual([path.join(ROOT, "tools", "workbook", "bin", "kernel.js"), "--config-path", "{connection_file}"]);
  });

  it("Node 20 accepts the relaxed-SIMD flag; an unknown flag is detected", () => {
    if (process.versions.node.startsWith("20.")) expect(nodeAcceptsFlag("--experimental-wasm-relaxed-simd")).toBe(true);
    expect(nodeAcceptsFlag("--no-such-flag-anywhere")).toBe(false);
  });

  it("finds Jupyter's data folder like jupyter_core does", () => {
    expect(jupyterDataDir({ JUPYTER_DATA_DIR: "/x/data", HOME: "/home/u" })).toBe("/x/data");
    if (process.platform === "linux") {
      expect(jupyterDataDir({ HOME: "/home/u" })).toBe("/home/u/.local/share/jupyter");
      expect(jupyterDataDir({ HOME: "/home/u", XDG_DATA_HOME: "/xdg" })).toBe("/xdg/jupyter");
    }
  });

  it("its argv, run as Jupyter would from notebooks/, gives a kernel that imports kernel-lib", async () => {
    const spec = buildKernelSpec();
    const kernel = await Kernel.start({ cwd: NOTEBOOKS, argv: (file) => spec.argv.map((a) => (a === "{connection_file}" ? file : a)) });
    try {
      const r = await kernel.execute('import { torch, d2l } from "kernel-lib";\nconsole.log(typeof torch.Tensor.fromTypedArray, typeof d2l);');
      expect(r.status).toBe("ok");
      expect(r.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "function object\n" }]);
    } finally {
      await kernel.shutdown();
    }
  });
});

describe("workbook kernel install / uninstall", () => {
  it("writes kernels/kernel-lib-ts/kernel.json into JUPYTER_DATA_DIR, harmlessly twice, and removes it", async () => {
    const data = tempDir("wb-jupyter-data-");
    const env = { ...process.env, JUPYTER_DATA_DIR: data };
    const file = path.join(data, "kernels", KERNEL_NAME, "kernel.json");
    for (let i = 0; i < 2; i++) {
      const r = await runWorkbook(["kernel", "install"], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(`workbook: registered Jupyter kernel "TypeScript (kernel-lib)": ${file} (data folder from JUPYTER_DATA_DIR)`);
    }
    expect(readJson(file)).toEqual(buildKernelSpec());
    expect(fs.readdirSync(path.join(data, "kernels"))).toEqual([KERNEL_NAME]);
    const removed = await runWorkbook(["kernel", "uninstall"], { env });
    expect(removed.stdout.trim()).toBe(`workbook: removed ${path.dirname(file)}`);
    expect(fs.existsSync(path.dirname(file))).toBe(false);
    const again = await runWorkbook(["kernel", "uninstall"], { env });
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe(`workbook: no kernel spec at ${path.dirname(file)}`);
  });

  it("--data-dir chooses the folder; the npm scripts do the same as the command", async () => {
    const data = tempDir("wb-jupyter-dir-");
    const r = await runWorkbook(["kernel", "install", "--data-dir", data]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(data, "kernels", KERNEL_NAME, "kernel.json"))).toBe(true);
    const pkg = readJson<{ scripts: Record<string, string>; bin: Record<string, string> }>(path.join(ROOT, "package.json"));
    expect(pkg.scripts["kernel:install"]).toBe("node tools/workbook/bin/workbook.js kernel install");
    expect(pkg.scripts["kernel:uninstall"]).toBe("node tools/workbook/bin/workbook.js kernel uninstall");
    expect(pkg.scripts.prepare).toContain("kernel install --best-effort");
    expect(pkg.bin.workbook).toBe("tools/workbook/bin/workbook.js");
  });

  it("--best-effort (npm install) skips in CI and never fails the install", async () => {
    const data = tempDir("wb-jupyter-ci-");
    const ci = await runWorkbook(["kernel", "install", "--best-effort"], { env: { ...process.env, CI: "true", JUPYTER_DATA_DIR: data } });
    expect(ci.code).toBe(0);
    expect(ci.stdout).toContain("CI detected, not registering the Jupyter kernel");
    expect(fs.existsSync(path.join(data, "kernels"))).toBe(false);

    const blocked = path.join(tempDir("wb-jupyter-ro-"), "a-file");
    fs.writeFileSync(blocked, "not a folder");
    const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_DATA_DIR: blocked };
    delete env.CI;
    const failed = await runWorkbook(["kernel", "install", "--best-effort"], { env });
    expect(failed.code).toBe(0);
    expect(failed.stdout).toMatch(/could not register the Jupyter kernel \(.*\); run `npm run kernel:install` later/);
    const strict = await runWorkbook(["kernel", "install"], { env });
    expect(strict.code).not.toBe(0);
  });
});
