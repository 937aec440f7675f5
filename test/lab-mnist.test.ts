import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureWorkbookBuilt, NOTEBOOKS, readJson, runWorkbook, tempDir } from "./runner-helpers";

// The course's lab notebook must be ready to hand out: `workbook lab check` in quick mode (the notebook's
// metadata.workbook.quick values). Skipped only while the notebook is not in the tree yet.
const LAB = path.join(NOTEBOOKS, "09-mnist-lab.ipynb");

describe.skipIf(!fs.existsSync(LAB))("notebooks/09-mnist-lab.ipynb", () => {
  beforeAll(() => ensureWorkbookBuilt());

  it("passes workbook lab check --quick: the solution gets full marks, the blank copy zero", async () => {
    const report = path.join(tempDir("lab-mnist-"), "check.json");
    const r = await runWorkbook(["lab", "check", LAB, "--quick", "--timeout", "300", "--report", report]);
    expect(r.code, r.stderr).toBe(0);
    const j = readJson<{ ok: boolean; problems: string[]; blanks: number; solution: { score: number; max_score: number }; blank: { score: number } }>(report);
    expect(j.problems).toEqual([]);
    expect(j.blanks).toBeGreaterThan(0);
    expect(j.solution.score).toBe(j.solution.max_score);
    expect(j.solution.max_score).toBeGreaterThan(0);
    expect(j.blank.score).toBe(0);
  }, 600_000);
});
