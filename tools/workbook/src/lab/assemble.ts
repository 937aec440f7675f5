import type { Cell, Notebook } from "../notebook-types";
import { sourceText } from "../notebook-types";
import { sourceChecksum } from "./checksum";
import { hasTag, INJECTED_TAG } from "../parameters";
import { extractAnswers, fillAnswers } from "./answers";
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

/** What assembling a submission from the bundle's cells found, besides the cells to run. */
export interface Assembly {
  cells: GradingCell[];
  /** One line each for the instructor and the student (also in the feedback). */
  flags: string[];
  /** Short codes for the CSV's flags column: extra:ID, edited:ID, unanswered:ID, deleted:ID, moved. */
  codes: string[];
}

/**
 * Only the blanks are the student's: the notebook graded is built from the bundle's cells, in the bundle's
 * order. Given cells are the instructor's text, whatever the submission holds; a cell with blanks is the
 * instructor's lines with the student's answers put in (see answers.ts); tests come from the bundle. Cells the
 * student added do not run; edited, deleted or moved cells change nothing. Each of these is reported.
 */
export function assembleFromBundle(bundle: Bundle, nb: Notebook): Assembly {
  if (!bundle.cells) throw new Error("assembleFromBundle: the bundle has no cells");
  const flags: string[] = [];
  const codes: string[] = [];
  const byId = new Map<string, Cell>();
  for (const c of nb.cells) if (typeof c.id === "string" && !byId.has(c.id)) byId.set(c.id, c);
  const matched = new Set<Cell>();
  const matchedTests = new Set<string>();
  const order: number[] = [];
  const out: GradingCell[] = [];
  for (const bc of bundle.cells) {
    if (bc.kind === "test") {
      const test = bundle.tests.find((t) => t.id === bc.test);
      if (!test) throw new Error(`assembleFromBundle: the bundle's cell ${bc.id} names test ${bc.test}, which it does not have`);
      const sub = nb.cells.find((c) => c.cell_type === "code" && !matched.has(c) && matchTest(bundle, c, matchedTests)?.id === test.id);
      const cell: Cell = { cell_type: "code", id: test.cell_id, metadata: { lab: { id: test.id, points: test.points } }, source: test.visible_source, outputs: [], execution_count: null };
      if (!sub) {
        out.push({ role: "test", test, integrity: "missing", cell });
        continue;
      }
      matched.add(sub);
      matchedTests.add(test.id);
      order.push(nb.cells.indexOf(sub));
      const integrity: Integrity = sourceChecksum(sourceText(sub.source)) === test.checksum ? "ok" : "modified";
      out.push({ role: "test", test, integrity, cell });
      continue;
    }
    const sub = byId.get(bc.id);
    if (sub && !matched.has(sub)) {
      matched.add(sub);
      order.push(nb.cells.indexOf(sub));
    }
    const present = sub && sub.cell_type === (bc.kind === "blanks" ? "code" : bc.cell_type) ? sub : undefined;
    if (bc.kind === "given") {
      const cell = givenCell(bc.id, bc.cell_type, bc.source, bc.metadata);
      if (bc.cell_type === "code" && bc.source.trim() !== "") {
        if (!present) {
          flags.push(`cell ${bc.id}: a given cell was deleted; the handed-out version was run`);
          codes.push(`deleted:${bc.id}`);
        } else if (normalized(sourceText(present.source)) !== normalized(bc.source)) {
          flags.push(`cell ${bc.id}: a given cell was edited; the handed-out version was run (only the blanks are graded)`);
          codes.push(`edited:${bc.id}`);
        }
      }
      out.push({ role: "student", cell });
      continue;
    }
    let answers = present ? extractAnswers(bc.given, sourceText(present.source)) : undefined;
    if (!present) {
      flags.push(`cell ${bc.id}: the cell with ${plural(bc.blanks.length, "blank")} was deleted; graded as unanswered`);
      codes.push(`unanswered:${bc.id}`);
    } else if (!answers) {
      flags.push(`cell ${bc.id}: the given lines around its ${plural(bc.blanks.length, "blank")} were edited, so the answers cannot be told apart; graded as unanswered (edit only between the given lines)`);
      codes.push(`unanswered:${bc.id}`);
    }
    answers = answers ?? bc.blanks;
    out.push({ role: "student", cell: givenCell(bc.id, "code", fillAnswers(bc.given, answers), bc.metadata) });
  }
  const extra = nb.cells.filter((c) => !matched.has(c) && c.cell_type === "code" && sourceText(c.source).trim() !== "" && !hasTag(c, INJECTED_TAG));
  if (extra.length) {
    const ids = extra.map((c) => (typeof c.id === "string" ? c.id : `#${nb.cells.indexOf(c)}`));
    flags.push(`${plural(extra.length, "code cell")} added to the notebook did not run (only the blanks are graded): ${ids.join(", ")}`);
    codes.push(...ids.map((id) => `extra:${id}`));
  }
  if (order.some((v, i) => i > 0 && v < order[i - 1])) {
    flags.push("cells were moved; graded in the handed-out order");
    codes.push("moved");
  }
  return { cells: out, flags, codes };
}

function givenCell(id: string, type: "code" | "markdown" | "raw", source: string, metadata: Record<string, unknown>): Cell {
  const meta = JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>;
  if (type === "code") return { cell_type: "code", id, metadata: meta, source, outputs: [], execution_count: null };
  return { cell_type: type, id, metadata: meta, source } as Cell;
}

function normalized(s: string): string {
  return s.replace(/\r\n?/g, "\n").replace(/[ \t]+$/gm, "").trimEnd();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
