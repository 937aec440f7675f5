/**
 * Jupyter `error` content (ename, evalue, traceback) for a failed cell, in the shape IPython uses: the
 * library's message first, then each of the student's cell lines on the stack (outermost first), quoted
 * with a little context. Frames of kernel-lib, other packages, tslab and Node are left out unless
 * KERNEL_LIB_TRACEBACK=full, which appends the whole JavaScript stack.
 */
import { inspect } from "util";
import { compileHint } from "../compile-hints";
import { alignLines, cellLineOf } from "./line-map";

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** What the kernel remembers of each executed cell to point at its lines. */
export interface CellRecord {
  count: number;
  source: string;
  /** The JavaScript tslab compiled it to (line numbers in stacks refer to it). */
  js: string;
  lineMap?: number[];
}

export interface Diagnostic {
  line: number; // 0-based
  character: number; // 0-based
  endLine: number;
  endCharacter: number;
  message: string;
  code?: number;
  fileName?: string;
}

/** The file name each cell's script gets, so that its frames can be told apart: `kernel-lib-cell-3`. */
export function cellFileName(count: number): string {
  return `kernel-lib-cell-${count}`;
}
const CELL_FILE = /kernel-lib-cell-(\d+)/;

export function fullTraceback(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.KERNEL_LIB_TRACEBACK === "full";
}

/** Lines `----> 3 | text` with `context` lines around, numbered as the cell's lines. */
function quote(source: string, line: number, before = 2, after = 1): string[] {
  const lines = source.split("\n");
  const width = String(Math.min(lines.length, line + after)).length;
  const out: string[] = [];
  for (let l = Math.max(1, line - before); l <= Math.min(lines.length, line + after); l++) {
    const arrow = l === line ? "---->" : "     ";
    out.push(`${arrow} ${String(l).padStart(width)} | ${lines[l - 1]}`);
  }
  return out;
}

interface Frame {
  fn: string | null;
  file: string;
  line: number;
  column: number;
}

const FRAME = /^\s+at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

function frames(stack: string): Frame[] {
  const out: Frame[] = [];
  for (const l of stack.split("\n")) {
    const m = l.match(FRAME);
    if (m) out.push({ fn: m[1] ?? null, file: m[2], line: Number(m[3]), column: Number(m[4]) });
  }
  return out;
}

function describe(thrown: unknown): { ename: string; evalue: string; stack: string } {
  if (thrown instanceof Error) {
    const interrupted = (thrown as NodeJS.ErrnoException).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED" || thrown.message === "Interrupted asynchronously";
    if (interrupted) return { ename: "KeyboardInterrupt", evalue: "the cell was interrupted", stack: thrown.stack ?? "" };
    const name = thrown.name && thrown.name !== "Error" ? thrown.name : thrown.constructor?.name || "Error";
    return { ename: name, evalue: thrown.message, stack: thrown.stack ?? "" };
  }
  return { ename: "Error", evalue: `a value was thrown: ${inspect(thrown)}`, stack: "" };
}

/** The error content for an exception thrown by a cell. */
export function runtimeError(thrown: unknown, cells: ReadonlyMap<number, CellRecord>, env: NodeJS.ProcessEnv = process.env): ErrorContent {
  const { ename, evalue, stack } = describe(thrown);
  const traceback = [`${ename}: ${evalue}`];
  const cellFrames = frames(stack).filter((f) => CELL_FILE.test(f.file)).reverse();
  for (const f of cellFrames) {
    const cell = cells.get(Number(f.file.match(CELL_FILE)![1]));
    // The last line of a cell's script is tslab's wrapper calling the cell's function: not the student's line.
    if (!cell || f.line > cell.js.replace(/\n$/, "").split("\n").length) continue;
    cell.lineMap ??= alignLines(cell.js, cell.source);
    const line = cellLineOf(cell.lineMap, f.line);
    if (line === null) continue;
    const where = f.fn && !/^(exports\.)?<anonymous>$|^Object\.<anonymous>$/.test(f.fn) ? `, in ${f.fn.replace(/^(Object|exports|Proxy)\./, "")}` : "";
    traceback.push("", `Cell In[${cell.count}], line ${line}${where}`, ...quote(cell.source, line));
  }
  if (fullTraceback(env) && stack) {
    traceback.push("", "JavaScript stack (KERNEL_LIB_TRACEBACK=full):", stack);
  } else if (cellFrames.length === 0 && stack && ename !== "KeyboardInterrupt") {
    traceback.push("", "(no line of a cell is on the stack; set KERNEL_LIB_TRACEBACK=full in the kernel's environment to see it all)");
  }
  return { ename, evalue, traceback };
}

/** The error content for TypeScript diagnostics of a cell: each with its cell line, the span marked, and a hint. */
export function compileError(diagnostics: readonly Diagnostic[], count: number, source: string): ErrorContent {
  const lines = source.split("\n");
  const traceback: string[] = [];
  for (const d of diagnostics) {
    const code = d.code !== undefined ? ` TS${d.code}` : "";
    if (d.fileName) {
      traceback.push(`${d.fileName}:${d.line + 1}:${d.character + 1} - error${code}: ${readable(d.message)}`);
      continue;
    }
    const line = d.line + 1;
    traceback.push(`Cell In[${count}], line ${line}, column ${d.character + 1} - error${code}: ${readable(d.message)}`);
    traceback.push(...quote(source, line, 1, 0));
    const text = lines[d.line] ?? "";
    const end = d.endLine === d.line ? Math.max(d.endCharacter, d.character + 1) : text.length;
    const gutter = " ".repeat(6 + String(line).length) + " | ";
    traceback.push(gutter + " ".repeat(d.character) + "^".repeat(Math.max(1, Math.min(end, text.length) - d.character)));
    const hint = compileHint(d.code, d.message, { span: spanText(lines, d), line: text, start: d.character, end: d.endLine === d.line ? d.endCharacter : text.length });
    if (hint) traceback.push(`Hint: ${hint}`);
    traceback.push("");
  }
  while (traceback.length && traceback[traceback.length - 1] === "") traceback.pop();
  // evalue as tsc prints a diagnostic, `LINE:COLUMN - message` (cell line and column, 1-based).
  const first = diagnostics[0];
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "";
  const evalue = first ? `${first.fileName ? first.fileName + " " : ""}${first.line + 1}:${first.character + 1} - ${readable(first.message)}${more}` : "the cell does not compile";
  return { ename: "CompileError", evalue, traceback: [`CompileError: ${evalue}`, "", ...traceback] };
}

/** `import("/abs/kernel-lib/dist/tensor/tensor").Tensor` reads as `Tensor`. */
function readable(message: string): string {
  return message.replace(/import\("[^"]*"\)\./g, "");
}

function spanText(lines: readonly string[], d: Diagnostic): string {
  if (d.endLine === d.line) return (lines[d.line] ?? "").slice(d.character, d.endCharacter);
  const out = [(lines[d.line] ?? "").slice(d.character), ...lines.slice(d.line + 1, d.endLine), (lines[d.endLine] ?? "").slice(0, d.endCharacter)];
  return out.join("\n");
}
