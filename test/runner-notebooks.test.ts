// Every notebook in notebooks/ runs in quick mode (`workbook run --quick`: the values in metadata.workbook.quick),
// all in one run, in parallel up to the number of cores; each notebook is reported as its own test. The first run
// uses each notebook's default `device` (the GPU when WebGPU finds a hardware adapter, else the CPU); then the
// notebooks run again with `--set device=...` on each other device there is ("cpu", and "webgpu" when an adapter is
// there for tests: SwiftShader on a machine without a GPU, see helpers/webgpu.ts), with the same assertions.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { declaredParameters, quickParameters } from "../tools/workbook/src/parameters";
import type { Notebook } from "../tools/workbook/src/notebook-types";
import { testWebgpuBackend, webgpuTestEnv } from "./helpers/webgpu";
import { Completed, ensureWorkbookBuilt, LooseNotebook, NOTEBOOKS, notebookFiles, readJson, ReportRow, ROOT, runWorkbook, streamText } from "./runner-helpers";

const OUT = path.join(ROOT, ".out", "notebooks");
const files = notebookFiles();


type Device = "cpu" | "webgpu";
interface Plan {
  label: string;
  device: Device;
  files: string[];
  set: string[];
  env: NodeJS.ProcessEnv;
  out: string;
  run?: Completed;
  report: ReportRow[];
  wallMs: number;
}

// Taken before testWebgpuBackend() adds the software-adapter settings to this process's environment.
const baseEnv: NodeJS.ProcessEnv = { ...process.env };

/** What `torch.webgpu.isAvailable() ? "webgpu" : "cpu"` gives in a kernel started with `env`. */
function defaultDevice(env: NodeJS.ProcessEnv): Device {
  const probe = `process.stdout.write(require(${JSON.stringify(path.join(ROOT, "kernel-lib"))}).torch.webgpu.isAvailable() ? "webgpu" : "cpu")`;
  const r = spawnSync(process.execPath, ["-e", probe], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`probing the default device failed: ${r.stderr}`);
  return r.stdout === "webgpu" ? "webgpu" : "cpu";
}

// Every notebook runs on the GPU too, SwiftShader included. With the registers matmul kernel a software adapter gets
// (kernels/matmul.ts), the forced-webgpu pass took 202 s wall in CI for all but 06-dropout (02 the longest, 103 s),
// and 06 252 s on its own; with the tiled kernel before it, 02, 03, 06, 08, 09, 10 and 11 each took 262 to over 400 s.

const byDefault = defaultDevice(baseEnv);
const gpuForTests = testWebgpuBackend() !== null; // throws under REQUIRE_WEBGPU=1 without an adapter
const plans: Plan[] = [{ label: `default device (${byDefault})`, device: byDefault, files, set: [], env: baseEnv, out: OUT, report: [], wallMs: 0 }];
for (const device of ["cpu", "webgpu"] as const) {
  if (device === byDefault || (device === "webgpu" && !gpuForTests)) continue;
  plans.push({
    label: `device forced to ${device}`, device, files,
    set: ["--set", `device=${device}`],
    env: device === "webgpu" ? webgpuTestEnv(baseEnv) : baseEnv, out: `${OUT}-${device}`, report: [], wallMs: 0,
  });
}

/** The device each executed notebook says it uses ("using device: X", printed right after its parameters). */
function usedDevice(out: string, file: string): string | undefined {
  const executed = path.join(out, file);
  if (!fs.existsSync(executed)) return undefined;
  const nb = readJson<LooseNotebook>(executed);
  for (const cell of nb.cells) {
    const m = /using device: (\S+)/.exec(streamText(cell));
    if (m) return m[1];
  }
  return undefined;
}

beforeAll(async () => {
  ensureWorkbookBuilt();
  const jobs = String(Math.max(1, os.cpus().length));
  for (const plan of plans) {
    const reportFile = path.join(plan.out, "report.json");
    fs.rmSync(reportFile, { force: true });
    const started = Date.now();
    plan.run = await runWorkbook(
      ["run", "--quick", ...plan.set, ...plan.files.map((f) => path.join("notebooks", f)), "--out", plan.out, "--report", reportFile, "--jobs", jobs, "--timeout", "900"],
      { env: plan.env },
    );
    plan.wallMs = Date.now() - started;
    if (fs.existsSync(reportFile)) plan.report = readJson<ReportRow[]>(reportFile);
    const times = plan.report.map((r) => `${path.basename(r.file)} ${(r.elapsedMs / 1000).toFixed(1)} s`).join(", ");
    console.log(`notebooks, ${plan.label}: ${(plan.wallMs / 1000).toFixed(1)} s wall (${times})`);
  }
}, 60 * 60_000);

describe.each(plans)("notebooks run in quick mode, $label", (plan) => {
  it("the runner finished and reported every notebook", () => {
    expect(plan.report.map((r) => path.basename(r.file)), plan.run?.stderr).toEqual(plan.files);
  });

  it.each(plan.files)("%s", (file) => {
    const row = plan.report.find((r) => path.basename(r.file) === file);
    expect(row, `no result for ${file}; runner output:\n${plan.run?.stderr}`).toBeDefined();
    expect(row!.status, `${file}: ${row!.message}`).toBe("ok");
    expect(row!.cellsOk).toBe(row!.cellsTotal);
    expect(usedDevice(plan.out, file), `${file} should say it uses ${plan.device}`).toBe(plan.device);
  });
});

describe("notebook conventions", () => {
  it.each(files)("%s: our kernel, a parameters cell with a device and quick values for what it declares, committed without outputs", (file) => {
    const nb = readJson<LooseNotebook>(path.join(NOTEBOOKS, file));
    expect(nb.metadata.kernelspec).toMatchObject({ name: "kernel-lib-ts", language: "typescript" });
    const params = nb.cells.filter((c) => c.cell_type === "code" && c.metadata.tags?.includes("parameters"));
    expect(params, "exactly one code cell tagged parameters").toHaveLength(1);
    const source = Array.isArray(params[0].source) ? params[0].source.join("") : params[0].source;
    const declared = declaredParameters(source).map((d) => d.name);
    const quick = quickParameters(nb as unknown as Notebook, file);
    expect(Object.keys(quick).length, "metadata.workbook.quick names at least one parameter").toBeGreaterThan(0);
    for (const name of Object.keys(quick)) expect(declared, `quick value for ${name}`).toContain(name);
    // the lecture's idiom; a software adapter counts only when KERNEL_LIB_WEBGPU asks for it
    expect(source).toMatch(/^let device = torch\.webgpu\.isAvailable\(\) \? "webgpu" : "cpu";/m);
    expect(quick, "quick mode keeps the default device").not.toHaveProperty("device");
    for (const [i, c] of nb.cells.entries()) {
      if (c.cell_type !== "code") continue;
      expect(c.outputs, `cell ${i} has outputs`).toEqual([]);
      expect(c.execution_count, `cell ${i} has an execution count`).toBeNull();
    }
  });
});
