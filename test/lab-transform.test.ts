import { extractAnswers } from "../tools/workbook/src/lab/answers";
import * as path from "path";
import { describe, expect, it } from "vitest";
import {
  assembleSubmission,
  blankSolutions,
  csvField,
  findRegions,
  generateLab,
  gradesCsv,
  LabError,
  quickValues,
  sourceChecksum,
  studentName,
} from "../tools/workbook/src/index";
import type { Bundle, Notebook, StudentResult } from "../tools/workbook/src/index";
import { LAB_FIXTURES, readNb } from "./lab-helpers";

const blank = (src: string) => blankSolutions(src, findRegions(src, "cell"), "cell", (k) => k + 1);
const code = (id: string, source: string, metadata: Record<string, unknown> = {}) => ({ cell_type: "code" as const, id, metadata, source, outputs: [], execution_count: null });
const nb = (...cells: Notebook["cells"]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
const test = (id: string, points: number, source: string) => code(`t-${id}`, source, { lab: { id, points } });

describe("markers", () => {
  it("finds solution and hidden regions with their hints and indentation", () => {
    const src = "a();\n  // BEGIN SOLUTION\n  // HINT: first\n  b();\n  // HINT: second\n  // END SOLUTION\n// BEGIN HIDDEN TESTS\nc();\n// END HIDDEN TESTS";
    expect(findRegions(src, "c")).toEqual([
      { kind: "solution", begin: 1, end: 5, indent: "  ", hint: "first second" },
      { kind: "hidden", begin: 6, end: 8, indent: "" },
    ]);
  });

  it("refuses unbalanced, nested, mismatched and misspelled markers", () => {
    expect(() => findRegions("// BEGIN SOLUTION\nx();", "c")).toThrow("c, line 1: BEGIN SOLUTION region is never closed (no \"// END SOLUTION\")");
    expect(() => findRegions("// END SOLUTION", "c")).toThrow('c, line 1: "// END SOLUTION" without a matching BEGIN marker');
    expect(() => findRegions("// BEGIN SOLUTION\n// BEGIN HIDDEN TESTS", "c")).toThrow("regions cannot nest");
    expect(() => findRegions("// BEGIN SOLUTION\n// END HIDDEN TESTS", "c")).toThrow('"// END HIDDEN TESTS" closes a BEGIN SOLUTION region');
    expect(() => findRegions("//BEGIN SOLUTION\nx();\n// END SOLUTION", "c")).toThrow('c, line 1: "//BEGIN SOLUTION" looks like a marker but is not one');
    expect(() => findRegions("// begin hidden tests", "c")).toThrow(LabError);
  });
});

describe("blanks", () => {
  it("replaces a region inside a function by a throw, keeping names used after it", () => {
    const src = "function f(x: number): number {\n  // BEGIN SOLUTION\n  const y = x * 2;\n  const unused = 1;\n  // END SOLUTION\n  return y;\n}";
    expect(blank(src)).toEqual({
      code: 'function f(x: number): number {\n  // FILL IN HERE\n  let y;\n  throw new Error("not implemented: fill in blank 1");\n  return y;\n}',
      messages: ["not implemented: fill in blank 1"],
      // the given lines around the blank, and the blank: what grading puts the student's answer between
      given: ["function f(x: number): number {\n", "  return y;\n}"],
      blanks: ['  // FILL IN HERE\n  let y;\n  throw new Error("not implemented: fill in blank 1");\n'],
    });
  });

  it("keeps every cell-level name, with the author's type annotation, and destructured names", () => {
    const src = "// BEGIN SOLUTION\n// HINT: two tensors\nconst w: torch.Tensor = torch.ones([2]);\nconst [a, { b }] = pair();\nfunction g() {}\n// END SOLUTION";
    expect(blank(src).code).toBe('// FILL IN HERE\nlet w: torch.Tensor;\nlet a;\nlet b;\nlet g;\nthrow new Error("not implemented: two tensors");');
  });

  it("numbers blanks and handles several in one cell", () => {
    const src = "// BEGIN SOLUTION\nx();\n// END SOLUTION\ny();\n// BEGIN SOLUTION\nz();\n// END SOLUTION";
    const r = blankSolutions(src, findRegions(src, "c"), "c", (k) => k + 3);
    expect(r.messages).toEqual(["not implemented: fill in blank 3", "not implemented: fill in blank 4"]);
    expect(r.code).toBe('// FILL IN HERE\nthrow new Error("not implemented: fill in blank 3");\ny();\n// FILL IN HERE\nthrow new Error("not implemented: fill in blank 4");');
    expect(r.given).toEqual(["", "y();\n", ""]);
    expect(extractAnswers(r.given, "a();\nb();\ny();\nc();")).toEqual(["a();\nb();\n", "c();"]);
    expect(extractAnswers(r.given, "a();\nz();\n")).toBeUndefined(); // the given y(); was edited away
  });

  it("refuses a region that is part of an expression, an import or a type in a region", () => {
    expect(() => blank("const x =\n  // BEGIN SOLUTION\n  42;\n  // END SOLUTION")).toThrow(/cell: the student version does not parse \(.*\); a solution region must hold whole statements/);
    expect(() => blank('// BEGIN SOLUTION\nimport { z } from "zod";\n// END SOLUTION')).toThrow("cell, line 1: an import inside a solution region");
    expect(() => blank("// BEGIN SOLUTION\ntype T = number;\n// END SOLUTION")).toThrow('type "T" is declared inside a solution region');
  });
});

describe("generateLab", () => {
  const source = readNb(path.join(LAB_FIXTURES, "mini-lab.ipynb")) as unknown as Notebook;

  it("builds student, solution and bundle from the fixture lab", () => {
    const lab = generateLab(source, "mini-lab");
    expect(lab.student.cells.map((c) => c.id)).toEqual(source.cells.map((c) => c.id));
    expect(lab.blanks).toEqual([
      { cell_id: "blank1", message: "not implemented: use torch.ones and mul" },
      { cell_id: "blank2", message: "not implemented: negative numbers become 0" },
    ]);
    expect(lab.solution.cells.find((c) => c.id === "blank2")!.source).toBe("function relu(x: number): number {\n  const y = x > 0 ? x : 0;\n  return y;\n}");
    expect(lab.bundle).toMatchObject({ format: "workbook-lab-bundle", version: 2, lab: "mini-lab", max_score: 5, quick: { size: 3 } });
    expect(lab.bundle.tests.map((t) => [t.id, t.points, t.hidden, t.cell_id, t.after_cell_id])).toEqual([
      ["doubled", 2, false, "test-doubled", "blank1"],
      ["relu", 3, true, "test-relu", "blank2"],
    ]);
    for (const t of lab.bundle.tests) expect(t.checksum).toBe(sourceChecksum(t.visible_source));
    expect(lab.student.metadata.lab).toEqual({ name: "mini-lab", max_score: 5, tests: lab.bundle.tests.map((t) => ({ id: t.id, points: t.points, checksum: t.checksum })) });
  });

  it("clears outputs and run metadata, drops injected cells, assigns missing ids", () => {
    const executed: Notebook = {
      nbformat: 4,
      nbformat_minor: 4,
      metadata: { workbook: { quick: { n: 1 }, status: "ok", elapsed_s: 3 } },
      cells: [
        { cell_type: "code", metadata: { tags: ["injected-parameters"] }, source: "let n = 1;", outputs: [], execution_count: 1 },
        { cell_type: "code", metadata: {}, source: "// BEGIN SOLUTION\nf();\n// END SOLUTION", outputs: [{ output_type: "stream", name: "stdout", text: "x" }], execution_count: 2 },
        { cell_type: "code", metadata: { lab: { points: 1 } }, source: "check();", outputs: [], execution_count: 3 },
      ],
    };
    const lab = generateLab(executed, "x");
    expect(lab.student.nbformat_minor).toBe(5);
    expect(lab.student.metadata.workbook).toEqual({ quick: { n: 1 } });
    expect(lab.student.cells).toHaveLength(2);
    expect(lab.student.cells[0]).toMatchObject({ id: "lab-cell-0", outputs: [], execution_count: null });
    // a test cell without lab.id takes its cell id
    expect(lab.bundle.tests[0].id).toBe("lab-cell-1");
  });

  it("refuses authoring mistakes with the cell named", () => {
    const ok = test("a", 1, "check();");
    expect(() => generateLab(nb(code("c", "// BEGIN HIDDEN TESTS\nx();\n// END HIDDEN TESTS"), ok), "l")).toThrow('l.ipynb cell 0 (id c): hidden tests outside a test cell would never be graded');
    expect(() => generateLab(nb(test("a", 1, "// BEGIN SOLUTION\nx();\n// END SOLUTION")), "l")).toThrow('test cell "a" contains a solution region');
    expect(() => generateLab(nb(test("a", 1, "x();"), { ...test("a", 2, "y();"), id: "other" }), "l")).toThrow('test id "a" is used by more than one cell');
    expect(() => generateLab(nb({ cell_type: "markdown", id: "m", metadata: {}, source: "// BEGIN SOLUTION\nanswer\n// END SOLUTION" }, ok), "l")).toThrow("markers only work in code cells");
    expect(() => generateLab(nb(code("c", "x();")), "l")).toThrow("l.ipynb: no test cells");
    expect(() => generateLab(nb(code("c", "x();", { lab: { points: -1, id: "a" } })), "l")).toThrow("lab.points must be a number >= 0, got -1");
  });
});

describe("checksums and submissions", () => {
  it("ignores line endings and trailing whitespace, not edits", () => {
    expect(sourceChecksum("a();\r\nb();  \n\n")).toBe(sourceChecksum("a();\nb();"));
    expect(sourceChecksum("a();\nb();")).not.toBe(sourceChecksum("a();\nb( );"));
  });

  const lab = generateLab(nb(code("s1", "// BEGIN SOLUTION\nconst x = 1;\n// END SOLUTION"), test("a", 1, "check(x);"), code("s2", "more();"), test("b", 2, "check2();")), "l");

  it("runs the bundle's tests wherever the submission has them, flags edits, puts deleted tests back", () => {
    const sub = JSON.parse(JSON.stringify(lab.student)) as Notebook;
    sub.cells[1].source = "// trust me";
    sub.cells.splice(3, 1); // test b deleted
    sub.cells.push(code("extra", "mine();"));
    const cells = assembleSubmission(lab.bundle, sub);
    expect(cells.map((c) => (c.role === "test" ? `${c.test.id}:${c.integrity}:${c.test.source}` : String(c.cell.id)))).toEqual(["s1", "a:modified:check(x);", "s2", "b:missing:check2();", "extra"]);
  });

  it("recognises a test cell by its cell id when its metadata was removed; a copy of a test is the student's own cell", () => {
    const sub = JSON.parse(JSON.stringify(lab.student)) as Notebook;
    sub.cells[1].metadata = {};
    sub.cells.push({ ...code("copy", "check2();"), metadata: { lab: { id: "b", points: 2 } } });
    const cells = assembleSubmission(lab.bundle, sub);
    expect(cells.map((c) => (c.role === "test" ? `${c.test.id}:${c.integrity}` : String(c.cell.id)))).toEqual(["s1", "a:ok", "s2", "b:ok", "copy"]);
  });
});

describe("reports and helpers", () => {
  const bundle = { tests: [{ id: "a" }, { id: "b" }] } as Bundle;
  const row = (student: string, points: number[], status: StudentResult["status"], integrity: string[] = ["ok", "ok"]): StudentResult => ({
    student, submission: "", lab: "l", score: points.reduce((s, x) => s + x, 0), max_score: 3, status, cell_errors: [], flags: [], flag_codes: [],
    tests: points.map((p, i) => ({ id: ["a", "b"][i], points: p, max_points: i + 1, passed: p > 0, status: "passed", error: null, integrity: integrity[i] as "ok", hidden: false })),
  });

  it("writes grades.csv with quoting and without spreadsheet formulas", () => {
    expect(gradesCsv(bundle, [row("ann", [1, 2], "completed"), row('o"neil, jr', [0, 0], "died", ["modified", "missing"]), row("=cmd()", [0.5, 0], "timeout")])).toBe(
      ["student,a,b,score,max_score,status,flags", "ann,1,2,3,3,completed,", '"o""neil, jr",0,0,0,3,died,modified:a missing:b', "'=cmd(),0.5,0,0.5,3,timeout,", ""].join("\n"),
    );
    expect(csvField("-3")).toBe("-3");
    expect(csvField("-x")).toBe("'-x");
  });

  it("reads quick parameters from metadata.workbook.quick", () => {
    expect(quickValues({ numEpochs: 1, trainLimit: 2000 })).toEqual({ numEpochs: 1, trainLimit: 2000 });
    expect(quickValues(undefined)).toEqual({});
    expect(() => quickValues([1])).toThrow("metadata.workbook.quick must be an object");
  });

  it("names a student by file, or by folder when the file keeps the lab's name", () => {
    expect(studentName("subs/alice.ipynb", "lab1")).toBe("alice");
    expect(studentName("subs/bob/lab1.ipynb", "lab1")).toBe("bob");
  });
});
