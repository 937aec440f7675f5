import { LabError } from "./format";

/**
 * The authoring markers, each alone on its line (leading indentation and trailing spaces allowed):
 * a solution region is replaced in the student copy, a hidden-tests region is removed from it.
 */
export const MARKERS = {
  beginSolution: "// BEGIN SOLUTION",
  endSolution: "// END SOLUTION",
  beginHidden: "// BEGIN HIDDEN TESTS",
  endHidden: "// END HIDDEN TESTS",
} as const;

export const HINT_PREFIX = "// HINT:";
export const FILL_IN = "// FILL IN HERE";
export const HIDDEN_PLACEHOLDER = "// (hidden tests: run only when grading)";
export const NOT_IMPLEMENTED = "not implemented: ";

export type RegionKind = "solution" | "hidden";

export interface Region {
  kind: RegionKind;
  /** Line numbers (0-based) of the BEGIN and END marker lines. */
  begin: number;
  end: number;
  /** Indentation of the BEGIN marker line. */
  indent: string;
  /** The `// HINT: ...` lines inside a solution region, joined with spaces. */
  hint?: string;
}

/** A line that looks like a marker but is not exactly one: refused, so a typo cannot leak a solution. */
const NEAR_MISS = /\b(BEGIN|END)\s*(SOLUTION|HIDDEN\s*TESTS?)\b/i;

/** Finds the marker regions of a cell's source; throws LabError for unbalanced, nested or misspelled markers. */
export function findRegions(source: string, where: string): Region[] {
  const lines = source.split("\n");
  const regions: Region[] = [];
  let open: Region | undefined;
  lines.forEach((line, i) => {
    const t = line.trim();
    const at = `${where}, line ${i + 1}`;
    const begin = t === MARKERS.beginSolution ? "solution" : t === MARKERS.beginHidden ? "hidden" : undefined;
    const end = t === MARKERS.endSolution ? "solution" : t === MARKERS.endHidden ? "hidden" : undefined;
    if (begin) {
      if (open) throw new LabError(`${at}: "${t}" inside an open ${describe(open)} region (started on line ${open.begin + 1}); regions cannot nest`);
      open = { kind: begin, begin: i, end: -1, indent: /^\s*/.exec(line)![0] };
    } else if (end) {
      if (!open) throw new LabError(`${at}: "${t}" without a matching BEGIN marker`);
      if (open.kind !== end) throw new LabError(`${at}: "${t}" closes a ${describe(open)} region (started on line ${open.begin + 1})`);
      open.end = i;
      regions.push(open);
      open = undefined;
    } else if (NEAR_MISS.test(line)) {
      throw new LabError(`${at}: "${t}" looks like a marker but is not one; write exactly ${Object.values(MARKERS).map((m) => `"${m}"`).join(", ")} on a line of its own`);
    } else if (open?.kind === "solution" && t.startsWith(HINT_PREFIX)) {
      const hint = t.slice(HINT_PREFIX.length).trim();
      open.hint = open.hint ? `${open.hint} ${hint}` : hint;
    }
  });
  if (open) throw new LabError(`${where}, line ${open.begin + 1}: ${describe(open)} region is never closed (no "${open.kind === "solution" ? MARKERS.endSolution : MARKERS.endHidden}")`);
  return regions;
}

function describe(r: Region): string {
  return r.kind === "solution" ? "BEGIN SOLUTION" : "BEGIN HIDDEN TESTS";
}

/** The source with every region's marker lines dropped and its content kept (solution regions: hints dropped too). */
export function keepRegions(source: string, regions: Region[], kinds: RegionKind[]): string {
  const lines = source.split("\n");
  const out: string[] = [];
  lines.forEach((line, i) => {
    const r = regions.find((x) => i >= x.begin && i <= x.end);
    if (!r) return out.push(line);
    if (!kinds.includes(r.kind)) return out.push(line);
    if (i === r.begin || i === r.end) return;
    if (r.kind === "solution" && line.trim().startsWith(HINT_PREFIX)) return;
    out.push(line);
  });
  return out.join("\n");
}

/** The source with hidden-test regions replaced by a one-line placeholder comment. */
export function removeHidden(source: string, regions: Region[]): string {
  const lines = source.split("\n");
  const out: string[] = [];
  lines.forEach((line, i) => {
    const r = regions.find((x) => x.kind === "hidden" && i >= x.begin && i <= x.end);
    if (!r) out.push(line);
    else if (i === r.begin) out.push(r.indent + HIDDEN_PLACEHOLDER);
  });
  return out.join("\n");
}

/** The error message a blank throws: "not implemented: <hint>". */
export function notImplementedMessage(hint: string | undefined, fallback: string): string {
  return NOT_IMPLEMENTED + (hint && hint !== "" ? hint : fallback);
}
