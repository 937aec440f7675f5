/**
 * Runs cells with tslab's own compiler and executor (so cells compile and behave exactly as in tslab) and
 * turns what tslab reports into structured outcomes: the last expression's value, the thrown value, or
 * the compile diagnostics. tslab's executor reports all three through the `console` it is given; its
 * converter is wrapped to keep the full diagnostics and the compiled JavaScript (for cell line numbers).
 */
import type { Converter, ConvertResult } from "tslab/dist/converter";
import type { ConverterSet, Executor } from "tslab/dist/executor";
import { CellRequire, gradingApi, lockKernelGlobals, restrictedRequire, strictCell, VERDICT_CALL } from "./grading";
import { cellFileName, compileError, runtimeError, type CellRecord, type ErrorContent } from "./traceback";

export type CellOutcome =
  | { kind: "ok"; hasValue: boolean; value: unknown }
  | { kind: "error"; error: ErrorContent };

/** tslab's executor prints diagnostics of `//@module` cells with this format (and still succeeds). */
const DIAGNOSTIC_FORMAT = "%s%d:%d - %s";

interface Capture {
  value?: { v: unknown };
  thrown?: { e: unknown };
  /** Diagnostics tslab printed: shown only for cells that still ran (a failed cell reports them as its error). */
  printed: string[];
}

export class CellRunner {
  private readonly executor: Executor;
  private lastConverted: ConvertResult | undefined;
  private capture: Capture = { printed: [] };
  private serial = 0;
  /** Set in grading mode (kernel/grading.ts): the cells' restricted require. */
  private readonly grading: CellRequire | undefined;
  /** Every cell that compiled, by serial number (the number in its script's file name). */
  readonly cells = new Map<number, CellRecord>();

  /** `writeStderr` receives diagnostics tslab prints for cells that still run (`//@module` cells). */
  constructor(rootDir: string, private readonly writeStderr: (text: string) => void) {
    // Loaded here, not at the top: tslab's modules are only needed by the kernel's main thread.
    const { createConverter } = require("tslab/dist/converter") as typeof import("tslab/dist/converter");
    const { createExecutor } = require("tslab/dist/executor") as typeof import("tslab/dist/executor");
    const inner = createConverter({ isJS: false, isBrowser: false });
    const node: Converter = {
      ...inner,
      convert: (prevDecl, src) => {
        const r = inner.convert(prevDecl, src);
        this.lastConverted = r;
        return r;
      },
    };
    let browser: Converter | undefined;
    const convs: ConverterSet = {
      node,
      get browser() {
        return (browser ??= createConverter({ isJS: false, isBrowser: true }));
      },
      close: () => {
        inner.close();
        browser?.close();
      },
    };
    this.executor = createExecutor(rootDir, convs, {
      log: (value: unknown) => {
        this.capture.value = { v: value };
      },
      error: (first: unknown, ...rest: unknown[]) => {
        if (first === DIAGNOSTIC_FORMAT) {
          const [file, line, column, text] = rest;
          this.capture.printed.push(`${String(file)}${String(line)}:${String(column)} - ${String(text)}\n`);
        } else {
          this.capture.thrown = { e: first };
        }
      },
    });
    const api = gradingApi();
    if (api) {
      const tslabGlobal = (globalThis as unknown as { __tslab__: { require: Parameters<typeof restrictedRequire>[1] } }).__tslab__;
      this.grading = restrictedRequire(api, tslabGlobal.require);
      lockKernelGlobals(this.grading.require);
    }
  }

  async run(code: string, count: number): Promise<CellOutcome> {
    const serial = ++this.serial;
    this.lastConverted = undefined;
    this.capture = { printed: [] };
    // Name the cell's script so that its frames can be found in stacks; tslab passes no file name.
    const vm = require("vm") as typeof import("vm");
    const original = vm.runInThisContext;
    this.grading?.hardenLoaded();
    // The grader's test cells (they report a verdict) run strict: a function they call cannot reach them through `fn.caller`.
    const strict = this.grading !== undefined && code.includes(VERDICT_CALL);
    vm.runInThisContext = ((src: string, options?: import("vm").RunningScriptOptions | string) =>
      original.call(vm, strict ? strictCell(src) : src, { ...(typeof options === "object" ? options : {}), filename: cellFileName(serial) })) as typeof original;
    let pending: Promise<boolean>;
    try {
      pending = this.executor.execute(code); // runs the cell's synchronous part before returning
    } finally {
      vm.runInThisContext = original;
    }
    const converted = this.lastConverted as ConvertResult | undefined;
    if (converted?.output) this.cells.set(serial, { count, source: code, js: converted.output });
    let ok: boolean;
    try {
      ok = await pending;
    } catch (e) {
      return { kind: "error", error: runtimeError(e, this.cells) };
    }
    if (ok) {
      if (this.capture.printed.length > 0) this.writeStderr(this.capture.printed.join(""));
      const v = this.capture.value;
      return { kind: "ok", hasValue: v !== undefined, value: v?.v };
    }
    if (converted && converted.diagnostics.length > 0) {
      const diags = converted.diagnostics.map((d) => ({
        line: d.start.line,
        character: d.start.character,
        endLine: d.end.line,
        endCharacter: d.end.character,
        message: d.messageText,
        code: d.code,
        fileName: d.fileName,
      }));
      return { kind: "error", error: compileError(diags, count, code) };
    }
    if (this.capture.thrown) return { kind: "error", error: runtimeError(this.capture.thrown.e, this.cells) };
    return { kind: "error", error: { ename: "Error", evalue: "the cell failed", traceback: ["Error: the cell failed"] } };
  }

  complete(code: string, cursor: number): { start: number; end: number; candidates: string[] } {
    return this.executor.complete(code, cursor);
  }

  inspect(code: string, cursor: number): ReturnType<Executor["inspect"]> {
    return this.executor.inspect(code, cursor);
  }

  /** Stops a cell waiting on a promise (a synchronous cell is stopped by SIGINT itself, see breakOnSigint). */
  interrupt(): void {
    this.executor.interrupt();
  }

  close(): void {
    this.executor.close();
  }
}
