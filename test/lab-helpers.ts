// Shared by the lab tests (not a test file itself): build submissions from a generated student copy.
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./runner-helpers";

export const LAB_FIXTURES = path.join(ROOT, "test", "fixtures", "labs");

export interface Nb {
  cells: Array<{ cell_type: string; id?: string; metadata: Record<string, unknown>; source: string | string[]; outputs?: Array<Record<string, unknown>> }>;
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export const text = (s: string | string[]) => (Array.isArray(s) ? s.join("") : s);

export function readNb(file: string): Nb {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Nb;
}

export function copyNb(nb: Nb): Nb {
  return JSON.parse(JSON.stringify(nb)) as Nb;
}

function cell(nb: Nb, id: string) {
  const c = nb.cells.find((x) => x.id === id);
  if (!c) throw new Error(`no cell ${id}`);
  return c;
}

/** What a student does: replace a blank (from "// FILL IN HERE" through its throw line) with code. */
export function fillBlank(nb: Nb, id: string, code: string): Nb {
  const c = cell(nb, id);
  const lines = text(c.source).split("\n");
  const start = lines.findIndex((l) => l.trim() === "// FILL IN HERE");
  const end = lines.findIndex((l, i) => i > start && l.includes('throw new Error("not implemented: '));
  if (start < 0 || end < 0) throw new Error(`cell ${id} has no blank left`);
  const indent = /^\s*/.exec(lines[start])![0];
  lines.splice(start, end - start + 1, ...code.split("\n").map((l) => indent + l));
  c.source = lines.join("\n");
  return nb;
}

export function setSource(nb: Nb, id: string, source: string): Nb {
  cell(nb, id).source = source;
  return nb;
}

export function insertAfter(nb: Nb, id: string, source: string, newId: string): Nb {
  const at = nb.cells.findIndex((x) => x.id === id);
  nb.cells.splice(at + 1, 0, { cell_type: "code", id: newId, metadata: {}, source, outputs: [], execution_count: null } as Nb["cells"][number]);
  return nb;
}

export function removeCell(nb: Nb, id: string): Nb {
  nb.cells = nb.cells.filter((x) => x.id !== id);
  return nb;
}

export function writeNb(dir: string, name: string, nb: Nb): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(nb, null, 1));
  return file;
}

/** The correct answers to the mini lab's two blanks. */
export const DOUBLED = "const doubled = torch.ones([size]).mul(2);";
export const RELU = "const y = Math.max(0, x);";

/** The student copy with both blanks filled correctly. */
export function solved(student: Nb): Nb {
  return fillBlank(fillBlank(copyNb(student), "blank1", DOUBLED), "blank2", RELU);
}
