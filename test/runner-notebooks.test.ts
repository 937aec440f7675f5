// Every notebook in notebooks/ runs in quick mode (`workbook run --quick`: the values in metadata.workbook.quick),
// all in one run, in parallel up to the number of cores; each notebook is reported as its own test.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { declaredParameters, quickParameters } from "../tools/workbook/src/parameters";
import type { Notebook } from "../tools/workbook/src/notebook-types";
import { Completed, ensureWorkbookBuilt, LooseNotebook, NOTEBOOKS, readJson, ROOT, runWorkbook } from "./runner-helpers";

const OUT = path.join(ROOT, ".out", "notebooks");
const REPORT = path.join(OUT, "report.json");
const files = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

interface ReportRow {
  file: string;
  status: string;
  message?: string;
  cellsOk: number;
  cellsTotal: number;
  elapsedMs: number;
}

let run: Completed;
let report: ReportRow[] = [];

beforeAll(async () => {
  ensureWorkbookBuilt();
  fs.rmSync(REPORT, { force: true });
  const jobs = String(Math.max(1, os.cpus().length));
  run = await runWorkbook(["run", "--quick", ...files.map((f) => path.join("notebooks", f)), "--out", OUT, "--report", REPORT, "--jobs", jobs, "--timeout", "900"]);
  if (fs.existsSync(REPORT)) report = readJson<ReportRow[]>(REPORT);
}, 40 * 60_000);

describe("notebooks run in quick mode", () => {
  it("the runner finished and reported every notebook", () => {
    expect(report.map((r) => path.basename(r.file)), run.stderr).toEqual(files);
  });

  it.each(files)("%s", (file) => {
    const row = report.find((r) => path.basename(r.file) === file);
    expect(row, `no result for ${file}; runner output:\n${run.stderr}`).toBeDefined();
    expect(row!.status, `${file}: ${row!.message}`).toBe("ok");
    expect(row!.cellsOk).toBe(row!.cellsTotal);
  });
});

describe("notebook conventions", () => {
  it.each(files)("%s: our kernel, a parameters cell with quick values for what it declares, committed without outputs", (file) => {
    const nb = readJson<LooseNotebook>(path.join(NOTEBOOKS, file));
    expect(nb.metadata.kernelspec).toMatchObject({ name: "kernel-lib-ts", language: "typescript" });
    const params = nb.cells.filter((c) => c.cell_type === "code" && c.metadata.tags?.includes("parameters"));
    expect(params, "exactly one code cell tagged parameters").toHaveLength(1);
    const source = Array.isArray(params[0].source) ? params[0].source.join("") : params[0].source;
    const declared = declaredParameters(source).map((d) => d.name);
    const quick = quickParameters(nb as unknown as Notebook, file);
    expect(Object.keys(quick).length, "metadata.workbook.quick names at least one parameter").toBeGreaterThan(0);
    for (const name of Object.keys(quick)) expect(declared, `quick value for ${name}`).toContain(name);
    for (const [i, c] of nb.cells.entries()) {
      if (c.cell_type !== "code") continue;
      expect(c.outputs, `cell ${i} has outputs`).toEqual([]);
      expect(c.execution_count, `cell ${i} has an execution count`).toBeNull();
    }
  });
});
