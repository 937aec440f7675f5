import { NotebookError } from "./notebook-io";
import { CodeCell, Notebook, sourceText } from "./notebook-types";

/**
 * Papermill's convention for TypeScript: the code cell tagged `parameters` declares the notebook's
 * parameters (`const FULL = false;`, `let EPOCHS: number = 2;`); overrides are written into a new cell
 * tagged `injected-parameters` right after it, redeclaring each name with the same keyword and type
 * annotation (tslab lets a later cell redeclare a top-level name), so every later cell sees the new value.
 */
export type ParameterValue = string | number | boolean | null | ParameterValue[] | { [key: string]: ParameterValue };
export type Parameters = Record<string, ParameterValue>;

export const PARAMETERS_TAG = "parameters";
export const INJECTED_TAG = "injected-parameters";

export interface Declaration {
  keyword: "const" | "let" | "var";
  name: string;
  /** The type annotation without the colon, if any. */
  type?: string;
}

/** Parses `NAME=VALUE`; VALUE is JSON when it parses as JSON (3, true, "x", [1,2]), else a plain string. */
export function parseAssignment(text: string): [string, ParameterValue] {
  const at = text.indexOf("=");
  const name = at > 0 ? text.slice(0, at).trim() : "";
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
    throw new NotebookError(`--set ${text}: expected NAME=VALUE with NAME a TypeScript identifier`);
  }
  const raw = text.slice(at + 1);
  try {
    return [name, JSON.parse(raw) as ParameterValue];
  } catch {
    return [name, raw];
  }
}

export function hasTag(cell: { metadata: { tags?: string[] } }, tag: string): boolean {
  return Array.isArray(cell.metadata.tags) && cell.metadata.tags.includes(tag);
}

/** The top-level declarations of a parameters cell. */
export function declaredParameters(source: string): Declaration[] {
  const found: Declaration[] = [];
  const re = /^[ \t]*(?:export\s+)?(const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*([^=]+?))?\s*=/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    found.push({ keyword: m[1] as Declaration["keyword"], name: m[2], type: m[3]?.trim() });
  }
  return found;
}

/**
 * Quick-mode values a notebook keeps in its metadata (`metadata.workbook.quick`, e.g. `{"numEpochs": 1}`):
 * `workbook run --quick` injects them like --set, so tests run small while students see the lecture's sizes.
 */
export function quickParameters(nb: Notebook, file = "notebook"): Parameters {
  const workbook = nb.metadata.workbook;
  if (workbook === undefined) return {};
  if (typeof workbook !== "object" || workbook === null || Array.isArray(workbook)) {
    throw new NotebookError(`${file}: metadata.workbook must be an object`);
  }
  const quick = (workbook as Record<string, unknown>).quick;
  if (quick === undefined) return {};
  if (typeof quick !== "object" || quick === null || Array.isArray(quick)) {
    throw new NotebookError(`${file}: metadata.workbook.quick must be an object of parameter values, got ${JSON.stringify(quick)}`);
  }
  return quick as Parameters;
}

/** The parameters the notebook declares (empty when it has no parameters cell). */
export function notebookParameters(nb: Notebook): Declaration[] {
  const cell = nb.cells.find((c) => c.cell_type === "code" && hasTag(c, PARAMETERS_TAG));
  return cell ? declaredParameters(sourceText(cell.source)) : [];
}

/**
 * Returns a copy of the notebook with an injected-parameters cell after the parameters cell (replacing
 * one left by an earlier run). Unknown names and a missing parameters cell are errors.
 */
export function injectParameters(nb: Notebook, params: Parameters, file = "notebook"): Notebook {
  const names = Object.keys(params);
  const cells = nb.cells.filter((c) => !hasTag(c, INJECTED_TAG));
  if (names.length === 0) return { ...nb, cells };
  const at = cells.findIndex((c) => c.cell_type === "code" && hasTag(c, PARAMETERS_TAG));
  if (at < 0) throw new NotebookError(`${file}: --set ${names.join(", ")}: the notebook has no cell tagged "${PARAMETERS_TAG}"`);
  const declared = declaredParameters(sourceText(cells[at].source));
  const lines = ["// Injected by workbook run --set (overrides the parameters cell above)"];
  for (const name of names) {
    const d = declared.find((x) => x.name === name);
    if (!d) {
      const known = declared.map((x) => x.name).join(", ") || "none";
      throw new NotebookError(`${file}: --set ${name}: not declared in the parameters cell (it declares: ${known})`);
    }
    lines.push(`${d.keyword} ${name}${d.type ? `: ${d.type}` : ""} = ${JSON.stringify(params[name])};`);
  }
  const injected: CodeCell = {
    cell_type: "code",
    metadata: { tags: [INJECTED_TAG] },
    source: lines.join("\n"),
    execution_count: null,
    outputs: [],
  };
  if (cells.some((c) => typeof c.id === "string")) injected.id = `injected-parameters-${at}`;
  return { ...nb, cells: [...cells.slice(0, at + 1), injected, ...cells.slice(at + 1)] };
}
