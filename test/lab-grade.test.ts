import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { copyNb, DOUBLED, fillBlank, insertAfter, LAB_FIXTURES, Nb, readNb, RELU, setSource, solved, text, writeNb } from "./lab-helpers";
import { ensureWorkbookBuilt, readJson, ROOT, runWorkbook, streamText, tempDir } from "./runner-helpers";

const SOURCE = path.join(LAB_FIXTURES, "mini-lab.ipynb");
let gen: string;
let student: Nb;
let bundleFile: string;

beforeAll(async () => {
  ensureWorkbookBuilt();
  gen = tempDir("lab-gen-");
  const r = await runWorkbook(["lab", "generate", SOURCE, "--out", gen]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toContain("mini-lab: 2 blank(s), 2 test(s), 5 point(s)");
  student = readNb(path.join(gen, "student", "mini-lab.ipynb"));
  bundleFile = path.join(gen, "bundle", "mini-lab.bundle.json");
});

describe("workbook lab generate", () => {
  it("writes the student copy and the bundle apart; the student copy holds no solution and no hidden test", () => {
    expect(fs.readdirSync(gen).sort()).toEqual(["bundle", "student"]);
    expect(fs.readdirSync(path.join(gen, "student"))).toEqual(["mini-lab.ipynb"]);
    const all = JSON.stringify(student);
    expect(all).not.toContain("torch.ones([size]).mul(2)");
    expect(all).not.toContain("x > 0 ? x : 0");
    expect(all).not.toContain("relu(-2)");
    expect(all).not.toContain("SOLUTION");
    const blank1 = text(student.cells.find((c) => c.id === "blank1")!.source);
    expect(blank1).toBe('// FILL IN HERE\nlet doubled: torch.Tensor;\nthrow new Error("not implemented: use torch.ones and mul");\nconsole.log(doubled.tolist());');
    const relu = student.cells.find((c) => c.id === "test-relu")!;
    expect(text(relu.source)).toBe('if (relu(3) !== 3) throw new Error("relu(3) should be 3");\n// (hidden tests: run only when grading)\nconsole.log("relu: ok");');
    expect(relu.metadata.lab).toEqual({ id: "relu", points: 3, checksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    const bundle = readJson<{ tests: Array<{ id: string; source: string }> }>(bundleFile);
    expect(bundle.tests.map((t) => t.id)).toEqual(["doubled", "relu"]);
    expect(bundle.tests[1].source).toContain("relu(-2)");
  });
});

describe("workbook lab check", () => {
  it("gives the solution full marks and the blank copy zero, failing with not implemented", async () => {
    const report = path.join(tempDir("lab-check-"), "check.json");
    const r = await runWorkbook(["lab", "check", SOURCE, "--timeout", "30", "--report", report]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/mini-lab: solution 5\/5 points .*, blank copy 0\/5 points .*, 2 blank\(s\), 2 "not implemented" failure\(s\)/);
    expect(r.stderr).toContain("ok: ready to hand out");
    const j = readJson<{ ok: boolean; problems: string[]; solution: { score: number }; blank: { score: number; tests: Array<{ id: string; error: string }> } }>(report);
    expect(j.ok).toBe(true);
    expect(j.problems).toEqual([]);
    expect(j.solution.score).toBe(5);
    expect(j.blank.score).toBe(0);
    expect(j.blank.tests.map((t) => [t.id, t.error])).toEqual([
      ["doubled", "CompileError: 1:13 - Cannot find name 'doubled'."],
      ["relu", "Error: not implemented: negative numbers become 0"],
    ]);
  });

  it("fails a lab whose test passes without a solution", async () => {
    const dir = tempDir("lab-check-bad-");
    const nb = readNb(SOURCE);
    const t = nb.cells.find((c) => c.id === "test-doubled")!;
    t.source = 'console.log("this test checks nothing");';
    const file = writeNb(dir, "weak-lab.ipynb", nb);
    const r = await runWorkbook(["lab", "check", file, "--timeout", "30"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("PROBLEM: blank copy: 2/5 points, expected 0 (doubled pass without a solution)");
  });
});

describe("workbook lab check: blanks that fail for want of an earlier blank's names", () => {
  it("runs such a blank again after the solution's earlier cells; a blank that does not type-check is reported", async () => {
    const dir = tempDir("lab-check-cascade-");
    const nb = readNb(SOURCE);
    const cell = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, source, outputs: [], execution_count: null });
    nb.cells.push(
      // uses `doubled` from blank 1: in the blank copy it fails with "Cannot find name", alone with "not implemented"
      cell("blank3", "// BEGIN SOLUTION\nconst total = doubled.sum().item();\n// END SOLUTION\nconsole.log(total);"),
      // calls a function declared (hoisted) in its region: the student version cannot type-check
      cell("blank4", "console.log(triple(2));\n// BEGIN SOLUTION\nfunction triple(x: number): number { return 3 * x; }\n// END SOLUTION"),
    );
    const report = path.join(dir, "check.json");
    const r = await runWorkbook(["lab", "check", writeNb(dir, "cascade-lab.ipynb", nb), "--timeout", "30", "--report", report]);
    expect(r.code).toBe(1);
    const problems = readJson<{ problems: string[] }>(report).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^blank copy: cell blank4 \(a blank, run after the solution's earlier cells\) fails with ".*'triple'.*" instead of "not implemented: \.\.\."$/);
  });
});

describe("workbook lab grade: four submissions", () => {
  it("grades correct, partly correct, infinite-loop and tampered submissions; exact CSV and JSON", async () => {
    const subs = tempDir("lab-subs-");
    const out = tempDir("lab-grades-");
    const alice = writeNb(subs, "alice.ipynb", fillBlank(fillBlank(copyNb(student), "blank1", `${DOUBLED}\nconsole.warn("alice: a warning on stderr");\nconsole.log("cwd", process.cwd());`), "blank2", RELU));
    const bob = writeNb(subs, "bob.ipynb", insertAfter(fillBlank(fillBlank(copyNb(student), "blank1", DOUBLED), "blank2", "const y = x;"), "blank1", 'throw new Error("bob was here");', "bob-extra"));
    const carol = writeNb(subs, "carol.ipynb", fillBlank(fillBlank(copyNb(student), "blank1", DOUBLED), "blank2", "const y = x;\nwhile (y < 0) {}"));
    const dave = writeNb(subs, "dave.ipynb", setSource(solved(student), "test-doubled", 'console.log("doubled: ok");'));
    const r = await runWorkbook(["lab", "grade", "--bundle", bundleFile, alice, bob, carol, dave, "--out", out, "--timeout", "5", "--jobs", "2"]);
    expect(r.code, r.stderr).toBe(0);

    expect(fs.readFileSync(path.join(out, "grades.csv"), "utf8")).toBe(
      [
        "student,doubled,relu,score,max_score,status,flags",
        "alice,2,3,5,5,completed,",
        "bob,2,0,2,5,completed,extra:bob-extra",
        "carol,2,0,2,5,timeout,",
        "dave,0,3,3,5,completed,modified:doubled",
        "",
      ].join("\n"),
    );
    const json = (name: string) => readJson<Record<string, unknown>>(path.join(out, "students", `${name}.json`));
    const test = (id: string, points: number, max: number, passed: boolean, status: string, error: string | null, integrity = "ok") =>
      ({ id, points, max_points: max, passed, status, error, integrity, hidden: id === "relu" });
    const common = { lab: "mini-lab", max_score: 5 };
    expect(json("alice")).toEqual({ student: "alice", submission: alice, ...common, score: 5, status: "completed", tests: [test("doubled", 2, 2, true, "passed", null), test("relu", 3, 3, true, "passed", null)], cell_errors: [], flags: [], flag_codes: [] });
    expect(json("bob")).toEqual({
      student: "bob", submission: bob, ...common, score: 2, status: "completed",
      tests: [test("doubled", 2, 2, true, "passed", null), test("relu", 0, 3, false, "failed", "Error: relu(-2) should be 0, got -2")],
      // bob's own extra cell is not one of the blanks: it does not run, and it is reported
      cell_errors: [],
      flags: ["1 code cell added to the notebook did not run (only the blanks are graded): bob-extra"],
      flag_codes: ["extra:bob-extra"],
    });
    expect(json("carol")).toEqual({
      student: "carol", submission: carol, ...common, score: 2, status: "timeout",
      tests: [test("doubled", 2, 2, true, "passed", null), test("relu", 0, 3, false, "timeout", "timed out after 5s (cell timeout); interrupted, kernel kept")],
      cell_errors: [], flags: [], flag_codes: [],
    });
    expect(json("dave")).toEqual({
      student: "dave", submission: dave, ...common, score: 3, status: "completed",
      tests: [test("doubled", 0, 2, true, "passed", null, "modified"), test("relu", 3, 3, true, "passed", null)],
      cell_errors: [],
      flags: ["test doubled: the test cell was modified (checksum mismatch); scored 0, the original test was run"],
      flag_codes: ["modified:doubled"],
    });

    // Feedback notebooks: results shown, hidden test source never; alice's stderr did not cost her anything.
    expect(fs.readdirSync(path.join(out, "feedback")).sort()).toEqual(["alice.ipynb", "bob.ipynb", "carol.ipynb", "dave.ipynb"]);
    const fb = readNb(path.join(out, "feedback", "bob.ipynb"));
    expect(text(fb.cells[0].source)).toContain("**bob: 2 / 5 points**");
    expect(text(fb.cells[0].source)).toContain("| `relu` | 0 / 3 | failed: Error: relu(-2) should be 0, got -2 |");
    expect(JSON.stringify(fb)).not.toContain("relu(0) !== 0");
    expect(fb.cells.map((c) => text(c.source)).find((s) => s.startsWith("❌ **Test `relu`: 0 / 3**"))).toBeDefined();
    const fa = readNb(path.join(out, "feedback", "alice.ipynb"));
    const aliceBlank = fa.cells.find((c) => c.id === "blank1")!;
    expect(streamText(aliceBlank as never, "stderr")).toBe("alice: a warning on stderr\n");
    // Graded in a scratch folder under the project (so kernel-lib resolves), removed afterwards; nothing lands next to the submissions.
    const cwd = /cwd (.*)\n/.exec(streamText(aliceBlank as never))![1];
    expect(cwd.startsWith(path.join(ROOT, ".out", "grading", "alice-"))).toBe(true);
    expect(fs.existsSync(cwd)).toBe(false);
    expect(fs.readdirSync(subs).sort()).toEqual(["alice.ipynb", "bob.ipynb", "carol.ipynb", "dave.ipynb"]);

    // The same submission gets the same grade twice.
    const again = tempDir("lab-grades-again-");
    const r2 = await runWorkbook(["lab", "grade", "--bundle", bundleFile, bob, dave, "--out", again, "--timeout", "5"]);
    expect(r2.code, r2.stderr).toBe(0);
    for (const name of ["bob", "dave"]) expect(readJson(path.join(again, "students", `${name}.json`))).toEqual(json(name));
  });
});

describe("workbook lab validate", () => {
  it("passes a solved copy, fails the blank one, and reports an edited test cell", async () => {
    const dir = tempDir("lab-validate-");
    const ok = await runWorkbook(["lab", "validate", writeNb(dir, "solved.ipynb", solved(student)), "--timeout", "30"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain("doubled (2 points): passes\n");
    expect(ok.stderr).toContain("relu (3 points): passes (visible part)\n");
    expect(ok.stderr).toContain("mini-lab: 2/2 visible tests pass (hidden tests run only when grading)");

    const blank = await runWorkbook(["lab", "validate", path.join(gen, "student", "mini-lab.ipynb"), "--timeout", "30"]);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain("relu (3 points): failed: Error: not implemented: negative numbers become 0");
    expect(blank.stderr).toContain("mini-lab: 0/2 visible tests pass");
    expect(blank.stderr).toContain("cell 4 `// FILL IN HERE`: Error: not implemented: use torch.ones and mul");

    const edited = setSource(solved(student), "test-relu", 'if (relu(3) !== 3) throw new Error("relu(3) should be 3");');
    const bad = await runWorkbook(["lab", "validate", writeNb(dir, "edited.ipynb", edited), "--timeout", "30"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("PROBLEM: test relu: the test cell was changed since it was handed out; a changed test scores 0 when graded (restore the original)");
  });
});

describe("workbook lab: usage and authoring errors", () => {
  it("exit 2 for usage mistakes, 1 with the cell named for a broken lab or bundle", async () => {
    const none = await runWorkbook(["lab", "frobnicate"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('workbook lab: unknown subcommand "frobnicate" (generate, check, validate, grade, merge)');
    const noOut = await runWorkbook(["lab", "generate", SOURCE]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr.trim()).toBe("workbook lab generate: --out DIR is required");
    const dir = tempDir("lab-bad-");
    const nb = readNb(SOURCE);
    nb.cells.find((c) => c.id === "blank2")!.source = "function relu(x: number): number {\n  // BEGIN SOLUTION\n  return x;\n}";
    const broken = await runWorkbook(["lab", "generate", writeNb(dir, "broken.ipynb", nb), "--out", dir]);
    expect(broken.code).toBe(1);
    expect(broken.stderr.trim()).toBe('workbook lab generate: broken.ipynb cell 7 (id blank2), line 2: BEGIN SOLUTION region is never closed (no "// END SOLUTION")');
    expect(fs.existsSync(path.join(dir, "student"))).toBe(false);
    const noBundle = await runWorkbook(["lab", "grade", "--bundle", path.join(dir, "nope.json"), SOURCE, "--out", dir]);
    expect(noBundle.code).toBe(1);
    expect(noBundle.stderr.trim()).toBe(`workbook lab grade: ${path.join(dir, "nope.json")}: cannot read the bundle (ENOENT)`);
  });
});
