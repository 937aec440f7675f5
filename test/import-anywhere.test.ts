// A notebook saved outside the project (a student's ~/homework/lab1.ipynb) imports kernel-lib, values and types,
// both through `workbook run` and through the kernel spec Jupyter would start; a package in the notebook's own
// node_modules still wins. Also the resolver's path mapping on its own.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kernel } from "../tools/workbook/src/kernel";
import { projectFallback } from "../tools/workbook/src/kernel-resolve";
import { KernelSpec } from "../tools/workbook/src/kernelspec";
import { cleanupTempDirs, ensureWorkbookBuilt, LooseNotebook, readJson, ROOT, runWorkbook, streamText, tempDir } from "./runner-helpers";

afterAll(cleanupTempDirs);
const hasNbconvert = spawnSync("jupyter", ["nbconvert", "--version"], { stdio: "ignore" }).status === 0;
beforeAll(() => ensureWorkbookBuilt());

/** A folder outside the project (the system temp folder), checked to be outside. */
function homework(): string {
  const dir = tempDir("wb-homework-");
  expect(path.relative(ROOT, dir).startsWith("..")).toBe(true);
  expect(fs.existsSync(path.join(path.dirname(dir), "node_modules", "kernel-lib"))).toBe(false);
  return dir;
}

// Values (torch.ones), types (torch.Tensor annotations), and a type error only kernel-lib's declarations can find.
const VALUES = 'import { torch, d2l } from "kernel-lib";\nconst t: torch.Tensor = torch.ones([2, 3]);\nconsole.log(t.sum().item(), typeof d2l.plot);';
const TYPE_ERROR = 'const s: string = torch.ones([1]).shape;';

function notebook(sources: string[]): string {
  return JSON.stringify({
    cells: sources.map((source, i) => ({ cell_type: "code", execution_count: null, id: `c${i}`, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: "TypeScript (kernel-lib)", language: "typescript", name: "kernel-lib-ts" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

describe("kernel-lib from a notebook in any folder", () => {
  it("workbook run: a notebook in a temporary folder outside the project imports kernel-lib's values and types", async () => {
    const dir = homework();
    const file = path.join(dir, "lab1.ipynb");
    fs.writeFileSync(file, notebook([VALUES]));
    const out = path.join(dir, "out");
    const r = await runWorkbook(["run", file, "--out", out], { cwd: os.tmpdir() });
    expect(r.code, r.stderr).toBe(0);
    expect(streamText(readJson<LooseNotebook>(path.join(out, "lab1.ipynb")).cells[0])).toBe("6 function\n");
  });

  it("the registered kernel spec, started in that folder as Jupyter does, type-checks cells against kernel-lib", async () => {
    const data = tempDir("wb-anywhere-data-");
    const installed = await runWorkbook(["kernel", "install", "--data-dir", data]);
    expect(installed.code, installed.stderr).toBe(0);
    const spec = readJson<KernelSpec>(path.join(data, "kernels", "kernel-lib-ts", "kernel.json"));
    const kernel = await Kernel.start({ cwd: homework(), argv: (file) => spec.argv.map((a) => (a === "{connection_file}" ? file : a)) });
    try {
      const ok = await kernel.execute(VALUES);
      expect(ok.status, ok.message).toBe("ok");
      expect(ok.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "6 function\n" }]);
      const bad = await kernel.execute(TYPE_ERROR);
      expect(bad.status).toBe("error");
      expect(bad.message).toMatch(/Type 'number\[\]' is not assignable to type 'string'/);
      expect(bad.message).not.toMatch(/Cannot find module/);
    } finally {
      await kernel.shutdown();
    }
  });

  it("Jupyter itself (nbconvert --execute with the installed kernel spec) runs such a notebook", async (ctx) => {
    if (!hasNbconvert) {
      if (process.env.REQUIRE_JUPYTER === "1") throw new Error("REQUIRE_JUPYTER=1 but `jupyter nbconvert` is not installed (apt-get install jupyter-nbconvert python3-nbclient)");
      ctx.skip("jupyter nbconvert is not installed (apt-get install jupyter-nbconvert python3-nbclient); set REQUIRE_JUPYTER=1 to make this a failure");
    }
    const data = tempDir("wb-anywhere-jupyter-");
    const env = { ...process.env, JUPYTER_DATA_DIR: data, JUPYTER_RUNTIME_DIR: path.join(data, "runtime") };
    expect((await runWorkbook(["kernel", "install"], { env })).code).toBe(0);
    const dir = homework();
    fs.writeFileSync(path.join(dir, "lab1.ipynb"), notebook([VALUES]));
    const r = spawnSync("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300", "--output-dir", path.join(dir, "out"), path.join(dir, "lab1.ipynb")], {
      env, cwd: os.tmpdir(), encoding: "utf8", timeout: 600_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(streamText(readJson<LooseNotebook>(path.join(dir, "out", "lab1.ipynb")).cells[0])).toBe("6 function\n");
  });

  it("a kernel-lib in the notebook's own node_modules wins over the project's", async () => {
    const dir = homework();
    const own = path.join(dir, "node_modules", "kernel-lib");
    fs.mkdirSync(own, { recursive: true });
    fs.writeFileSync(path.join(own, "package.json"), JSON.stringify({ name: "kernel-lib", main: "index.js", types: "index.d.ts" }));
    fs.writeFileSync(path.join(own, "index.js"), "exports.whose = 'mine';\n");
    fs.writeFileSync(path.join(own, "index.d.ts"), "export declare const whose: 'mine';\n");
    const file = path.join(dir, "own.ipynb");
    fs.writeFileSync(file, notebook(['import { whose } from "kernel-lib";\nconst w: "mine" = whose;\nconsole.log(w);']));
    const r = await runWorkbook(["run", file, "--out", path.join(dir, "out")]);
    expect(r.code, r.stderr).toBe(0);
    expect(streamText(readJson<LooseNotebook>(path.join(dir, "out", "own.ipynb")).cells[0])).toBe("mine\n");
  });
});

describe("projectFallback", () => {
  const project = "/work/p/node_modules";
  const files = new Set(["/work/p/node_modules/kernel-lib/package.json", "/home/ana/hw/node_modules/left-pad/index.js", "/work/p/node_modules/left-pad/index.js"]);
  const exists = (f: string) => files.has(f);
  it("maps a missing <cwd>/node_modules path to the project's, and nothing else", () => {
    const cwd = "/home/ana/hw/node_modules";
    expect(projectFallback("/home/ana/hw/node_modules/kernel-lib/package.json", cwd, project, exists)).toBe("/work/p/node_modules/kernel-lib/package.json");
    expect(projectFallback("/home/ana/hw/node_modules/left-pad/index.js", cwd, project, exists)).toBeUndefined(); // the notebook's own
    expect(projectFallback("/home/ana/hw/node_modules/absent/index.d.ts", cwd, project, exists)).toBeUndefined(); // in neither
    expect(projectFallback("/home/ana/hw/data.csv", cwd, project, exists)).toBeUndefined(); // not under node_modules
    expect(projectFallback("/home/ana/hw/node_modules_x/kernel-lib/package.json", cwd, project, exists)).toBeUndefined();
  });
  it("Windows paths in either spelling map the same way", () => {
    const win = new Set(["C:/p/node_modules/kernel-lib/package.json"]);
    expect(projectFallback("C:\\hw\\node_modules\\kernel-lib\\package.json", "C:/hw/node_modules", "C:/p/node_modules", (f) => win.has(f))).toBe("C:/p/node_modules/kernel-lib/package.json");
  });
});
