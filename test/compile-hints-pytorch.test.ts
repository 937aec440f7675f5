// Issue 12: where TypeScript cannot take the PyTorch spelling, the compile error says what to write instead.
// The diagnostics come from tslab's own TypeScript compiling the student's line; the hint from compile-hints.ts.
import { describe, expect, it } from "vitest";
import { compileHint } from "../tools/workbook/src/compile-hints";

type TS = typeof import("typescript");
const ts = require("@tslab/typescript-for-tslab") as TS;

/** The first diagnostic of a cell and the hint for it, as the kernel shows it. */
function hintFor(cell: string): { message: string; hint: string | null } {
  const file = "cell.ts";
  const host = ts.createCompilerHost({ noEmit: true, target: ts.ScriptTarget.ES2022 });
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (name, lang) => (name === file ? ts.createSourceFile(file, cell, lang) : getSourceFile(name, lang));
  const program = ts.createProgram([file], { noEmit: true, target: ts.ScriptTarget.ES2022, types: [] }, host);
  const d = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()].find((x) => x.file?.fileName === file);
  if (!d || d.start === undefined) throw new Error(`no diagnostic for ${cell}`);
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  const { line } = d.file!.getLineAndCharacterOfPosition(d.start);
  const lineText = cell.split("\n")[line];
  const lineStart = d.file!.getPositionOfLineAndCharacter(line, 0);
  const start = d.start - lineStart;
  const at = { span: cell.slice(d.start, d.start + (d.length ?? 0)), line: lineText, start, end: start + (d.length ?? 0) };
  return { message, hint: compileHint(d.code, message, at) };
}

const PRELUDE = "declare namespace torch { class Tensor { [i: number]: Tensor; } namespace nn { class Linear {} } function tensor(v: number): Tensor; }\n";

describe("compile hints for the PyTorch spellings TypeScript cannot take", () => {
  it("const nn = torch.nn used as a type: import nn = torch.nn", () => {
    const r = hintFor(`${PRELUDE}const nn = torch.nn;\nlet fc1: nn.Linear;`);
    expect(r.message).toBe("Cannot find namespace 'nn'.");
    expect(r.hint).toMatch(/import nn = torch\.nn; or import \{ nn \} from "kernel-lib"/);
  });

  it("return logits, probas: return [logits, probas]", () => {
    const r = hintFor(`${PRELUDE}function forward(logits: torch.Tensor, probas: torch.Tensor) {\n  return logits, probas;\n}`);
    expect(r.message).toMatch(/Left side of comma operator/);
    expect(r.hint).toMatch(/return \[logits, probas\]/);
  });

  it("x[0, 1]: x[0][1]", () => {
    const r = hintFor(`${PRELUDE}declare const x: torch.Tensor;\nconst v = x[0, 1];`);
    expect(r.hint).toMatch(/write x\[i\]\[j\]/);
  });

  it("x[1:3]: x.narrow(0, 1, 2)", () => {
    const r = hintFor(`${PRELUDE}declare const x: torch.Tensor;\nconst v = x[1:3];`);
    expect(r.message).toBe("']' expected.");
    expect(r.hint).toMatch(/x\.narrow\(0, 1, 2\)/);
  });

  it("utils.make_grid(images): utils.makeGrid", () => {
    const r = hintFor(`${PRELUDE}declare namespace utils { function makeGrid(x: torch.Tensor): torch.Tensor; }\ndeclare const x: torch.Tensor;\nutils.make_grid(x);`);
    expect(r.message).toMatch(/^Property 'make_grid' does not exist on type/);
    expect(r.hint).toBe("kernel-lib spells PyTorch's snake_case names in camelCase: write makeGrid.");
  });

  it("t[0] = 5: t[0] = torch.tensor(5)", () => {
    const r = hintFor(`${PRELUDE}declare const t: torch.Tensor;\nt[0] = 5;`);
    expect(r.hint).toMatch(/torch\.tensor\(v\)/);
  });
});
