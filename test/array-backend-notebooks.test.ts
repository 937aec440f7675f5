// Every notebook again in quick mode, with the kernel-lib in each kernel running on the test-only array backend
// (storage that is not a TypedArray, reads that copy, managed memory: helpers/array-backend.ts), registered through
// KERNEL_LIB_BACKEND_MODULE. A notebook, d2l helper, dataset or data loader that reaches a tensor's elements
// without going through the backend passes on the CPU and fails here.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArrayBackendModule } from "./helpers/array-backend-module";
import { cleanupTempDirs, Completed, ensureWorkbookBuilt, notebookFiles, readJson, ReportRow, runWorkbook, tempDir } from "./runner-helpers";

const files = notebookFiles();


let run: Completed;
let report: ReportRow[] = [];
let memory: Array<{ allocated: number; freed: number }> = [];

beforeAll(async () => {
  ensureWorkbookBuilt();
  const work = tempDir("array-notebooks-");
  const backendModule = buildArrayBackendModule(path.join(work, "backend"));
  const reports = path.join(work, "memory");
  fs.mkdirSync(reports);
  const reportFile = path.join(work, "report.json");
  const jobs = String(Math.max(1, os.cpus().length));
  run = await runWorkbook(
    // device=cpu: the array backend stands in for the CPU one; a GPU default would bypass it
    ["run", "--quick", "--set", "device=cpu", ...files.map((f) => path.join("notebooks", f)), "--out", path.join(work, "out"), "--report", reportFile, "--jobs", jobs, "--timeout", "900"],
    { env: { ...process.env, KERNEL_LIB_BACKEND_MODULE: backendModule, ARRAY_BACKEND_REPORT_DIR: reports } },
  );
  if (fs.existsSync(reportFile)) report = readJson<ReportRow[]>(reportFile);
  memory = fs.readdirSync(reports).map((f) => readJson<{ allocated: number; freed: number }>(path.join(reports, f)));
}, 40 * 60_000);

afterAll(cleanupTempDirs);

describe("notebooks in quick mode on the array backend", () => {
  it("ran in kernels that loaded the array backend", () => {
    expect(report.map((r) => path.basename(r.file)), run.stderr).toEqual(files);
    // One kernel per notebook loaded the module and allocated through it.
    expect(memory.filter((m) => m.allocated > 0).length, run.stderr).toBeGreaterThanOrEqual(files.length);
  });

  it.each(files)("%s", (file) => {
    const row = report.find((r) => path.basename(r.file) === file);
    expect(row, `no result for ${file}; runner output:\n${run.stderr}`).toBeDefined();
    expect(row!.status, `${file}: ${row!.message}`).toBe("ok");
    expect(row!.cellsOk).toBe(row!.cellsTotal);
  });
});
