import type { Cell, Notebook } from "../notebook-types";
import { sourceText } from "../notebook-types";
import { sourceChecksum } from "./checksum";
import type { Bundle, BundleTest } from "./format";

export type Integrity = "ok" | "modified" | "missing";

/** A cell of the notebook the grader runs: the student's own cells in their order, tests from the bundle. */
export type GradingCell =
  | { role: "student"; cell: Cell }
  | { role: "test"; test: BundleTest; integrity: Integrity; cell: Cell };

/**
 * Lines a submission up with the bundle. A test cell is recognised by its lab.id metadata, or by its
 * nbformat cell id when the metadata was removed. Whatever the submission holds there, the grader runs the
 * bundle's original source (hidden tests in place); an edited test is "modified", one that is gone is
 * "missing" and is put back after the cell that preceded it in the student copy (else at the end).
 * Cells of other kinds stay for the feedback notebook.
 */
export function assembleSubmission(bundle: Bundle, nb: Notebook): GradingCell[] {
  const out: GradingCell[] = [];
  const matched = new Set<string>();
  for (const cell of nb.cells) {
    const test = cell.cell_type === "code" ? matchTest(bundle, cell, matched) : undefined;
    if (!test) {
      out.push({ role: "student", cell });
      continue;
    }
    matched.add(test.id);
    const integrity: Integrity = sourceChecksum(sourceText(cell.source)) === test.checksum ? "ok" : "modified";
    out.push({ role: "test", test, integrity, cell });
  }
  for (const test of bundle.tests) {
    if (matched.has(test.id)) continue;
    const cell: Cell = { cell_type: "code", id: test.cell_id, metadata: { lab: { id: test.id, points: test.points } }, source: test.visible_source, outputs: [], execution_count: null };
    const after = test.after_cell_id === null ? -1 : out.findIndex((c) => c.cell.id === test.after_cell_id);
    const at = test.after_cell_id === null ? 0 : after >= 0 ? after + 1 : out.length;
    out.splice(at, 0, { role: "test", test, integrity: "missing", cell });
  }
  return out;
}

function matchTest(bundle: Bundle, cell: Cell, matched: Set<string>): BundleTest | undefined {
  const lab = cell.metadata.lab;
  const labId = lab && typeof lab === "object" && typeof (lab as Record<string, unknown>).id === "string" ? ((lab as Record<string, unknown>).id as string) : undefined;
  const byLabId = labId === undefined ? undefined : bundle.tests.find((t) => t.id === labId && !matched.has(t.id));
  if (byLabId) return byLabId;
  if (labId !== undefined) return undefined;
  return bundle.tests.find((t) => typeof cell.id === "string" && t.cell_id === cell.id && !matched.has(t.id));
}

/** What the kernel runs for a grading cell. */
export function sourceToRun(c: GradingCell): string {
  if (c.role === "test") return c.test.source;
  return c.cell.cell_type === "code" ? sourceText(c.cell.source) : "";
}
