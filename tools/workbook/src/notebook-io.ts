import * as fs from "fs";
import { writeFileAtomic } from "./files";
import { KERNEL_LANGUAGE, KERNEL_NAME } from "./kernelspec";
import type { Cell, MultilineString, Notebook, Output } from "./notebook-types";

/** A problem with a notebook file; its message is one line meant for the user (no stack trace needed). */
export class NotebookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotebookError";
  }
}

/** Reads and checks an .ipynb: it must exist, be nbformat 4 JSON and be written for a TypeScript kernel. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new NotebookError(`${file}: no such file`);
    if (code === "EISDIR") throw new NotebookError(`${file}: is a directory, not a notebook`);
    throw new NotebookError(`${file}: cannot read (${code ?? String(e)})`);
  }
  return parseNotebook(text, file);
}

export function parseNotebook(text: string, file = "notebook"): Notebook {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NotebookError(`${file}: invalid JSON (${(e as Error).message})`);
  }
  if (!json || typeof json !== "object" || !Array.isArray((json as Notebook).cells)) {
    throw new NotebookError(`${file}: not a Jupyter notebook (no "cells" list)`);
  }
  const nb = json as Notebook;
  if (nb.nbformat !== 4) throw new NotebookError(`${file}: nbformat ${String(nb.nbformat)} is not supported (need 4)`);
  nb.metadata = nb.metadata ?? {};
  nb.cells.forEach((cell, i) => checkCell(cell, i, file));
  const other = foreignKernel(nb);
  if (other) {
    throw new NotebookError(`${file}: written for the ${other} kernel; workbook runs TypeScript notebooks (kernel ${KERNEL_NAME})`);
  }
  return nb;
}

function checkCell(cell: Cell, i: number, file: string): void {
  if (!cell || typeof cell !== "object" || !["code", "markdown", "raw"].includes(cell.cell_type)) {
    throw new NotebookError(`${file}: cell ${i} has no valid cell_type`);
  }
  if (typeof cell.source !== "string" && !Array.isArray(cell.source)) {
    throw new NotebookError(`${file}: cell ${i} has no source`);
  }
  cell.metadata = cell.metadata ?? {};
  if (cell.cell_type === "code") {
    cell.outputs = cell.outputs ?? [];
    cell.execution_count = cell.execution_count ?? null;
  }
}

/** The name of the notebook's kernel if it is clearly not a TypeScript one, else undefined. */
function foreignKernel(nb: Notebook): string | undefined {
  const spec = nb.metadata.kernelspec;
  const lang = (spec?.language ?? nb.metadata.language_info?.name ?? "").toLowerCase();
  if (spec?.name === KERNEL_NAME || spec?.name === "tslab") return undefined;
  if (lang === "" || lang === KERNEL_LANGUAGE) return undefined;
  return `${spec?.display_name ?? spec?.name ?? lang} (${lang})`;
}

/** Writes a notebook (atomically: temp file and rename; OutputError on failure) the way Jupyter does: sorted keys, one-space indentation, multiline strings as line lists. */
export function writeNotebook(file: string, nb: Notebook): void {
  writeFileAtomic(file, serializeNotebook(nb));
}

export function serializeNotebook(nb: Notebook): string {
  const cells = nb.cells.map((cell) => {
    const out: Cell = { ...cell, source: splitLines(cell.source) };
    if (out.cell_type === "code") out.outputs = out.outputs.map(normalizeOutput);
    return out;
  });
  return JSON.stringify(sortKeys({ ...nb, cells }), null, 1) + "\n";
}

/** nbformat writes keys sorted (json.dumps(sort_keys=True)); doing the same keeps diffs small. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]));
  }
  return v;
}

function normalizeOutput(o: Output): Output {
  if (o.output_type === "stream") return { ...o, text: splitLines(o.text) };
  if (o.output_type === "display_data" || o.output_type === "execute_result") {
    const data: Record<string, unknown> = {};
    for (const [mime, v] of Object.entries(o.data)) {
      data[mime] = typeof v === "string" && isTextMime(mime) ? splitLines(v) : v;
    }
    return { ...o, data };
  }
  return o;
}

function isTextMime(mime: string): boolean {
  return mime.startsWith("text/") || mime === "image/svg+xml" || mime === "application/javascript";
}

export function splitLines(s: MultilineString): string[] {
  const text = Array.isArray(s) ? s.join("") : s;
  if (text === "") return [];
  return text.split(/(?<=\n)/);
}
