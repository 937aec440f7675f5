import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { torch } from "../kernel-lib/src/index";
import { copyNb, DOUBLED, fillBlank, LAB_FIXTURES, Nb, readNb, removeCell, solved, writeNb } from "./lab-helpers";
import { ensureWorkbookBuilt, readJson, runWorkbook, tempDir } from "./runner-helpers";

// Submissions that kill, starve or stall their kernel, delete a test, or are not notebooks at all: each scores
// what it earned before, and the class file is written regardless.
const SOURCE = path.join(LAB_FIXTURES, "mini-lab.ipynb");
let student: Nb;
let bundleFile: string;

beforeAll(async () => {
  ensureWorkbookBuilt();
  const gen = tempDir("lab-faults-gen-");
  const r = await runWorkbook(["lab", "generate", SOURCE, "--out", gen]);
  expect(r.code, r.stderr).toBe(0);
  student = readNb(path.join(gen, "student", "mini-lab.ipynb"));
  bundleFile = path.join(gen, "bundle", "mini-lab.bundle.json");
});

interface Result {
  score: number;
  status: string;
  tests: Array<{ id: string; points: number; passed: boolean; status: string; error: string | null; integrity: string }>;
  flags: string[];
}

describe("workbook lab grade: faults", () => {
  it("process.exit, memory exhaustion, a deleted test and an unreadable file", async () => {
    const subs = tempDir("lab-faults-subs-");
    const out = tempDir("lab-faults-out-");
    // frank: the kernel exits after the first test (his relu, which the second test calls, exits)
    const frank = writeNb(subs, "frank.ipynb", fillBlank(fillBlank(copyNb(student), "blank1", DOUBLED), "blank2", "process.exit(1);\nconst y = x;"));
    // grace: her relu allocates until the memory limit kills the kernel
    const hog = "const hog: Float64Array[] = [];\nwhile (true) hog.push(new Float64Array(2 ** 24).fill(1));\nconst y = x;";
    const grace = writeNb(subs, "grace.ipynb", fillBlank(fillBlank(copyNb(student), "blank1", DOUBLED), "blank2", hog));
    // heidi: deleted the doubled test and stripped the relu test's metadata (still found by its cell id)
    const h = removeCell(solved(student), "test-doubled");
    h.cells.find((c) => c.id === "test-relu")!.metadata = {};
    const heidi = writeNb(subs, "heidi.ipynb", h);
    const judy = path.join(subs, "judy.ipynb");
    fs.writeFileSync(judy, "{ not json");
    const r = await runWorkbook(["lab", "grade", "--bundle", bundleFile, frank, grace, heidi, judy, "--out", out, "--timeout", "20", "--memory", "700", "--jobs", "2"]);
    expect(r.code).toBe(1); // an invalid submission makes the exit code 1, after everything was graded
    expect(fs.readFileSync(path.join(out, "grades.csv"), "utf8")).toBe(
      [
        "student,doubled,relu,score,max_score,status,flags",
        "frank,2,0,2,5,died,",
        "grace,2,0,2,5,died,",
        "heidi,0,3,3,5,completed,missing:doubled",
        "judy,0,0,0,5,invalid,",
        "",
      ].join("\n"),
    );
    const json = (name: string) => readJson<Result>(path.join(out, "students", `${name}.json`));
    expect(json("frank").tests[1]).toMatchObject({ id: "relu", points: 0, status: "died" });
    const g = json("grace");
    expect(g.tests[0]).toMatchObject({ id: "doubled", points: 2, passed: true });
    expect(g.tests[1]).toMatchObject({ id: "relu", points: 0, status: "died" });
    const hogError = g.tests[1].error;
    expect(hogError).toMatch(/^the kernel was killed: it used \d+ MB, over the 700 MB memory limit$/);
    expect(json("heidi").tests).toEqual([
      { id: "doubled", points: 0, max_points: 2, passed: true, status: "passed", error: null, integrity: "missing", hidden: false },
      { id: "relu", points: 3, max_points: 3, passed: true, status: "passed", error: null, integrity: "ok", hidden: true },
    ]);
    expect(json("heidi").flags).toEqual(["test doubled: the test cell was deleted; scored 0, the original test was run"]);
    expect(json("judy").status).toBe("invalid");
    expect(json("judy").flags[0]).toMatch(/judy\.ipynb: invalid JSON/);
    expect(fs.existsSync(path.join(out, "feedback", "judy.ipynb"))).toBe(false);
    expect(r.stderr).toMatch(/heidi\s+3\/5\s+completed/);
  });

  it("a notebook past its time limit is stopped; what it earned before counts", async () => {
    const subs = tempDir("lab-faults-slow-");
    const out = tempDir("lab-faults-slow-out-");
    // ivan's second blank loops; the per-cell limit is generous, the notebook's is not
    const ivan = writeNb(subs, "ivan.ipynb", fillBlank(fillBlank(copyNb(student), "blank1", DOUBLED), "blank2", "while (true) {}\nconst y = x;"));
    const r = await runWorkbook(["lab", "grade", "--bundle", bundleFile, ivan, "--out", out, "--timeout", "120", "--notebook-timeout", "40"]);
    expect(r.code, r.stderr).toBe(0);
    const j = readJson<Result & { cell_errors: Array<{ message: string }> }>(path.join(out, "students", "ivan.json"));
    expect(j.status).toBe("timeout");
    expect(j.score).toBe(2);
    expect(j.tests[1]).toMatchObject({ id: "relu", status: "timeout", error: "timed out: the notebook exceeded its 40s limit" });
  });

  it("seeds kernel-lib (--seed) before the first cell, so a submission without its own seed grades the same twice", async () => {
    torch.manualSeed(7);
    const expected = torch.rand([1]).item();
    torch.manualSeed(0);
    const subs = tempDir("lab-faults-seed-");
    // a lab whose setup does not seed: the grader's --seed decides the first torch.rand value
    const source = readNb(SOURCE);
    source.cells.find((c) => c.id === "setup")!.source = 'import { torch } from "kernel-lib";';
    const gen = tempDir("lab-faults-seed-gen-");
    const g = await runWorkbook(["lab", "generate", writeNb(subs, "mini-lab.ipynb", source), "--out", gen]);
    expect(g.code, g.stderr).toBe(0);
    const seedBundle = path.join(gen, "bundle", "mini-lab.bundle.json");
    const nb = readNb(path.join(gen, "student", "mini-lab.ipynb"));
    // passes only with the grader's seed: the first torch.rand value after manualSeed(7)
    fillBlank(nb, "blank1", `${DOUBLED}\nconst r0 = torch.rand([1]).item();\nif (r0 !== ${expected}) throw new Error("not seeded with 7: " + r0);`);
    fillBlank(nb, "blank2", "const y = Math.max(0, x);");
    const kim = writeNb(subs, "kim.ipynb", nb);
    const runs = await Promise.all([0, 1].map(async () => {
      const out = tempDir("lab-faults-seed-out-");
      const r = await runWorkbook(["lab", "grade", "--bundle", seedBundle, kim, "--out", out, "--timeout", "30", "--seed", "7"]);
      expect(r.code, r.stderr).toBe(0);
      return readJson<Result>(path.join(out, "students", "kim.json"));
    }));
    expect(runs[0].score).toBe(5);
    expect(runs[1]).toEqual(runs[0]);
  });
});
