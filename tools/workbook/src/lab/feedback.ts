import type { Cell, Notebook, Output } from "../notebook-types";
import type { GradingCell } from "./assemble";
import type { Bundle } from "./format";
import type { StudentResult, TestResult } from "./grade";
import type { LabCellResult } from "./run-cells";

/**
 * The notebook returned to a student: a summary table on top, then the submission as graded with its
 * outputs. Test cells show their visible source only, and only what they printed to stdout: a traceback
 * or stderr echo could quote a line of a hidden test. A test with hidden parts shows no output at all, and
 * cells that ran after the first hidden test show none either: student code running there could print what
 * it saw of the hidden tests. Each test is followed by its result.
 */
export function buildFeedback(bundle: Bundle, nb: Notebook, cells: GradingCell[], runs: LabCellResult[], result: StudentResult): Notebook {
  const out: Cell[] = [markdown("lab-feedback-summary", summary(result))];
  let afterHidden = false;
  cells.forEach((c, i) => {
    const r = runs[i];
    if (c.role === "student") {
      if (c.cell.cell_type !== "code") return out.push(c.cell);
      const outputs: Output[] = afterHidden ? (r.outputs.length ? [withheld()] : []) : [...r.outputs];
      if (r.status !== "ok" && r.status !== "error") outputs.push({ output_type: "error", ename: r.status === "not-run" ? "NotRun" : r.status === "timeout" ? "CellTimeoutError" : "DeadKernelError", evalue: r.message ?? "", traceback: [r.message ?? ""] });
      return out.push({ ...c.cell, outputs, execution_count: r.executionCount });
    }
    const hidden = c.test.hidden;
    const printed = r.outputs.filter((o) => o.output_type === "stream" && o.name === "stdout");
    const outputs = hidden || afterHidden ? (printed.length ? [withheld()] : []) : printed;
    if (hidden) afterHidden = true;
    out.push({ cell_type: "code", id: c.cell.id, metadata: { lab: { id: c.test.id, points: c.test.points } }, source: c.test.visible_source, outputs, execution_count: r.executionCount });
    const t = result.tests.find((x) => x.id === c.test.id)!;
    out.push(markdown(`lab-feedback-${c.test.id}`, testLine(t)));
  });
  return {
    nbformat: 4,
    nbformat_minor: Math.max(nb.nbformat_minor ?? 0, 5),
    metadata: { ...nb.metadata, lab_feedback: { lab: bundle.lab, student: result.student, score: result.score, max_score: result.max_score, status: result.status } },
    cells: out,
  };
}

function summary(r: StudentResult): string {
  const lines = [`# Feedback: ${r.lab}`, "", `**${r.student}: ${r.score} / ${r.max_score} points**${r.status === "completed" ? "" : ` (grading ${r.status})`}`, ""];
  lines.push("| test | points | result |", "|---|---|---|");
  for (const t of r.tests) lines.push(`| \`${t.id}\` | ${t.points} / ${t.max_points} | ${escape(resultText(t))} |`);
  if (r.flags.length) lines.push("", "**Flags**", "", ...r.flags.map((f) => `- ${escape(f)}`));
  if (r.cell_errors.length) lines.push("", "**Cells that failed** (grading went on after them)", "", ...r.cell_errors.map((e) => `- cell ${e.cell} \`${escape(e.first_line)}\`: ${escape(e.message)}`));
  return lines.join("\n");
}

function testLine(t: TestResult): string {
  const mark = t.points === t.max_points && t.passed ? "✅" : "❌";
  return `${mark} **Test \`${t.id}\`: ${t.points} / ${t.max_points}**: ${escape(resultText(t))}`;
}

function resultText(t: TestResult): string {
  const base = t.passed ? "passed" : `${t.status}: ${t.error ?? ""}`;
  if (t.integrity === "modified") return `${base} (the test cell was modified: scored 0)`;
  if (t.integrity === "missing") return `${base} (the test cell was deleted: scored 0)`;
  return t.hidden && t.passed ? "passed (hidden tests included)" : base;
}

function escape(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function withheld(): Output {
  return { output_type: "stream", name: "stdout", text: "[output withheld: it ran with or after hidden tests]\n" };
}

function markdown(id: string, text: string): Cell {
  return { cell_type: "markdown", id, metadata: {}, source: text };
}
