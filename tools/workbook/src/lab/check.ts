import type { Notebook } from "../notebook-types";
import { assertNoMarkers, generateLab, GeneratedLab } from "./generate";
import { GradedNotebook, GradeOptions, gradeNotebook } from "./grade";
import type { LabCellResult } from "./run-cells";
import { NOT_IMPLEMENTED } from "./markers";

export interface CheckReport {
  lab: string;
  ok: boolean;
  /** What keeps the lab from being handed out, one line each. */
  problems: string[];
  solution: GradedNotebook;
  blank: GradedNotebook;
  blanks: number;
  /** Cells and tests of the blank copy that failed with "not implemented: ...". */
  notImplementedFailures: number;
}

/**
 * An instructor's check before handing a lab out: the solution (the student copy with the solutions filled
 * in, graded like a submission) gets full marks with no failing cell, and the blank student copy gets zero,
 * its blanks failing with "not implemented" rather than a type error from the transform.
 */
export async function checkLab(source: Notebook, name: string, options: GradeOptions & { jobs?: number } = {}): Promise<CheckReport> {
  const lab: GeneratedLab = generateLab(source, name);
  assertNoMarkers(lab.student);
  const grade = (nb: Notebook, who: string) => gradeNotebook(lab.bundle, nb, who, `${name}.ipynb (${who})`, options);
  const [solution, blank] =
    (options.jobs ?? 2) > 1
      ? await Promise.all([grade(lab.solution, "solution"), grade(lab.student, "blank")])
      : [await grade(lab.solution, "solution"), await grade(lab.student, "blank")];
  const problems: string[] = [];

  const s = solution.result;
  solution.cells.forEach((c, i) => {
    const r = solution.runs[i];
    if (r.status !== "ok") problems.push(`solution: ${c.role === "test" ? `test ${c.test.id}` : `cell ${i}`} ${r.status}: ${r.message ?? ""}`);
  });
  if (s.score !== s.max_score) problems.push(`solution: ${s.score}/${s.max_score} points, expected full marks`);
  for (const f of s.flags) problems.push(`solution: ${f}`);

  const b = blank.result;
  if (b.score !== 0) problems.push(`blank copy: ${b.score}/${b.max_score} points, expected 0 (${b.tests.filter((t) => t.passed).map((t) => t.id).join(", ")} pass without a solution)`);
  else for (const t of b.tests.filter((x) => x.passed)) problems.push(`blank copy: test ${t.id} passes without a solution`);
  let notImplemented = 0;
  const suspects: string[] = [];
  blank.cells.forEach((c, i) => {
    const r = blank.runs[i];
    if (r.message?.includes(NOT_IMPLEMENTED)) notImplemented++;
    const isBlank = c.role === "student" && lab.blanks.some((x) => x.cell_id === c.cell.id);
    if (isBlank && r.status !== "ok" && !r.message?.includes(NOT_IMPLEMENTED)) suspects.push(String(c.cell.id));
  });
  // A blank cell can fail for want of a name an earlier blank did not define. Run each such cell again after
  // the solution's earlier cells: alone, it must fail with "not implemented" (or run, for a blank in a function).
  const alone = await Promise.all(suspects.map((id) => blankAlone(lab, id, options)));
  suspects.forEach((id, k) => {
    const r = alone[k];
    if (r.status !== "ok" && !r.message?.includes(NOT_IMPLEMENTED)) {
      problems.push(`blank copy: cell ${id} (a blank, run after the solution's earlier cells) fails with "${r.message ?? r.status}" instead of "${NOT_IMPLEMENTED}..."`);
    }
  });
  if (lab.blanks.length === 0) problems.push("the source has no solution regions (// BEGIN SOLUTION ... // END SOLUTION)");
  else if (notImplemented === 0) problems.push(`blank copy: no cell or test failed with "${NOT_IMPLEMENTED}..."; are the blanks ever run?`);
  for (const f of b.flags) problems.push(`blank copy: ${f}`);
  return { lab: name, ok: problems.length === 0, problems, solution, blank, blanks: lab.blanks.length, notImplementedFailures: notImplemented };
}

/** Runs the solution's cells up to one blank cell, that cell in its student version; returns that cell's result. */
async function blankAlone(lab: GeneratedLab, cellId: string, options: GradeOptions): Promise<LabCellResult> {
  const at = lab.solution.cells.findIndex((c) => c.id === cellId);
  const cells = [...lab.solution.cells.slice(0, at), lab.student.cells.find((c) => c.id === cellId)!];
  const graded = await gradeNotebook({ ...lab.bundle, tests: [], cells: undefined }, { ...lab.solution, cells }, `blank-${cellId}`, `${lab.bundle.lab}.ipynb (blank ${cellId})`, options);
  return graded.runs[graded.runs.length - 1];
}
