import { describe, expect, it } from "vitest";
import { errorSummary } from "../tools/workbook/src/kernel";
import { newMessage } from "../tools/workbook/src/jupyter/wire";
import { decode, encode } from "../tools/workbook/src/jupyter/wire";
import { NotebookError, parseNotebook, serializeNotebook } from "../tools/workbook/src/notebook-io";
import type { Notebook } from "../tools/workbook/src/notebook-types";
import { OutputCollector } from "../tools/workbook/src/outputs";
import { quickParameters, declaredParameters, injectParameters, parseAssignment } from "../tools/workbook/src/parameters";

const iopub = (type: string, content: Record<string, unknown>) => {
  const m = newMessage(type, content, "s");
  return m;
};

describe("OutputCollector", () => {
  it("merges consecutive writes to one stream and keeps stdout and stderr apart", () => {
    const c = new OutputCollector();
    const outs = c.begin();
    c.handle(iopub("stream", { name: "stdout", text: "a" }));
    c.handle(iopub("stream", { name: "stdout", text: "b\n" }));
    c.handle(iopub("stream", { name: "stderr", text: "warn\n" }));
    c.handle(iopub("stream", { name: "stdout", text: "c\n" }));
    expect(outs).toEqual([
      { output_type: "stream", name: "stdout", text: "ab\n" },
      { output_type: "stream", name: "stderr", text: "warn\n" },
      { output_type: "stream", name: "stdout", text: "c\n" },
    ]);
  });

  it("applies update_display_data to the output with that display id, also in an earlier cell", () => {
    const c = new OutputCollector();
    const first = c.begin();
    c.handle(iopub("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "p" } }));
    c.handle(iopub("display_data", { data: { "text/plain": "other" }, metadata: {}, transient: { display_id: "q" } }));
    const second = c.begin();
    c.handle(iopub("update_display_data", { data: { "text/plain": "100%", "text/html": "<b>100%</b>" }, metadata: { a: 1 }, transient: { display_id: "p" } }));
    c.handle(iopub("update_display_data", { data: { "text/plain": "nobody" }, metadata: {}, transient: { display_id: "unknown" } }));
    expect(first).toEqual([
      { output_type: "display_data", data: { "text/plain": "100%", "text/html": "<b>100%</b>" }, metadata: { a: 1 } },
      { output_type: "display_data", data: { "text/plain": "other" }, metadata: {} },
    ]);
    expect(second).toEqual([]);
  });

  it("clear_output empties the cell, at once or (wait) before the next output", () => {
    const c = new OutputCollector();
    const outs = c.begin();
    c.handle(iopub("stream", { name: "stdout", text: "1\n" }));
    c.handle(iopub("clear_output", { wait: true }));
    expect(outs).toHaveLength(1);
    c.handle(iopub("stream", { name: "stdout", text: "2\n" }));
    expect(outs).toEqual([{ output_type: "stream", name: "stdout", text: "2\n" }]);
    c.handle(iopub("clear_output", { wait: false }));
    expect(outs).toEqual([]);
  });

  it("records execute_result and error messages as nbformat outputs", () => {
    const c = new OutputCollector();
    const outs = c.begin();
    c.handle(iopub("execute_input", { code: "1", execution_count: 7 }));
    c.handle(iopub("execute_result", { data: { "text/plain": "1" }, metadata: {} }));
    c.handle(iopub("error", { ename: "TypeError", evalue: "x is undefined", traceback: ["tb"] }));
    expect(outs).toEqual([
      { output_type: "execute_result", execution_count: 7, data: { "text/plain": "1" }, metadata: {} },
      { output_type: "error", ename: "TypeError", evalue: "x is undefined", traceback: ["tb"] },
    ]);
    expect(c.executionCount).toBe(7);
  });
});

describe("wire format", () => {
  it("signs with HMAC-SHA256 and rejects a tampered message", () => {
    const msg = newMessage("execute_request", { code: "1+1" }, "session");
    const frames = encode(msg, "secret");
    expect(decode([Buffer.from("identity"), ...frames], "secret")).toEqual(msg);
    const tampered = [...frames];
    tampered[5] = Buffer.from(JSON.stringify({ code: "evil()" }));
    expect(() => decode(tampered, "secret")).toThrow(/invalid HMAC signature/);
    expect(() => decode(frames, "other key")).toThrow(/invalid HMAC signature/);
  });
});

describe("errorSummary", () => {
  it("takes the thrown error's line from tslab's stderr, without the code echo and stack", () => {
    const stderr = ['evalmachine.<anonymous>:2\nthrow new Error("boom");\n^\n\nError: boom\n    at evalmachine.<anonymous>:2:7\n'];
    expect(errorSummary({ status: "error" }, stderr)).toBe("Error: boom");
    expect(errorSummary({}, ["RangeError [ERR_X]: bad range\n    at f (x.js:1:1)\n"])).toBe("RangeError [ERR_X]: bad range");
  });
  it("joins type-check diagnostics and prefers a kernel error message", () => {
    expect(errorSummary({}, ["1:7 - Type 'string' is not assignable to type 'number'.\n", "2:1 - Cannot find name 'y'.\n"])).toBe(
      "1:7 - Type 'string' is not assignable to type 'number'. / 2:1 - Cannot find name 'y'.",
    );
    expect(errorSummary({ ename: "ValueError", evalue: "bad" }, ["ignored"])).toBe("ValueError: bad");
    expect(errorSummary({}, [])).toBe("the kernel reported an error without a message");
  });
});

const nb = (cells: Notebook["cells"], metadata: Notebook["metadata"] = {}): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata, cells });
const code = (source: string, tags?: string[]) => ({ cell_type: "code" as const, id: `c${source.length}`, metadata: tags ? { tags } : {}, source, outputs: [], execution_count: null });

describe("parameters", () => {
  it("parses NAME=VALUE as JSON when it is JSON, else as a string", () => {
    expect(parseAssignment("EPOCHS=3")).toEqual(["EPOCHS", 3]);
    expect(parseAssignment("FULL=true")).toEqual(["FULL", true]);
    expect(parseAssignment('NAME="a=b"')).toEqual(["NAME", "a=b"]);
    expect(parseAssignment("DIMS=[1,2]")).toEqual(["DIMS", [1, 2]]);
    expect(parseAssignment("MODE=fast")).toEqual(["MODE", "fast"]);
    expect(() => parseAssignment("3x=1")).toThrow(/expected NAME=VALUE/);
    expect(() => parseAssignment("novalue")).toThrow(NotebookError);
  });

  it("finds the declarations of a parameters cell with keyword and type", () => {
    expect(declaredParameters("// comment\nconst FULL = false;\nlet LR: number = 0.1; // rate\nexport var TAGS: string[] = [];\n  const inner = 1;")).toEqual([
      { keyword: "const", name: "FULL", type: undefined },
      { keyword: "let", name: "LR", type: "number" },
      { keyword: "var", name: "TAGS", type: "string[]" },
      { keyword: "const", name: "inner", type: undefined },
    ]);
  });

  it("inserts one injected cell after the parameters cell and replaces an earlier one", () => {
    const source = nb([code("import x"), code("const FULL = false;\nlet N: number = 2;", ["parameters"]), code("use(N)")]);
    const once = injectParameters(source, { N: 5, FULL: true });
    expect(once.cells.map((c) => c.metadata.tags ?? [])).toEqual([[], ["parameters"], ["injected-parameters"], []]);
    expect(once.cells[2].source).toBe("// Injected by workbook run --set (overrides the parameters cell above)\nlet N: number = 5;\nconst FULL = true;");
    const twice = injectParameters(once, { N: 6 });
    expect(twice.cells).toHaveLength(4);
    expect(twice.cells[2].source).toContain("let N: number = 6;");
    expect(source.cells).toHaveLength(3);
    expect(injectParameters(once, {}).cells).toHaveLength(3);
  });

  it("refuses unknown names and notebooks without a parameters cell", () => {
    const source = nb([code("const FULL = false;", ["parameters"])]);
    expect(() => injectParameters(source, { EPOCHS: 1 }, "a.ipynb")).toThrow("a.ipynb: --set EPOCHS: not declared in the parameters cell (it declares: FULL)");
    expect(() => injectParameters(nb([code("1")]), { FULL: true }, "b.ipynb")).toThrow('b.ipynb: --set FULL: the notebook has no cell tagged "parameters"');
  });
});

describe("quick mode", () => {
  it("reads the quick values from metadata.workbook.quick", () => {
    expect(quickParameters(nb([], { workbook: { quick: { numEpochs: 1, trainLimit: 2000 } } }))).toEqual({ numEpochs: 1, trainLimit: 2000 });
    expect(quickParameters(nb([]))).toEqual({});
    expect(quickParameters(nb([], { workbook: { status: "ok" } }))).toEqual({});
  });

  it("says which metadata is malformed", () => {
    expect(() => quickParameters(nb([], { workbook: { quick: [1] } }), "a.ipynb")).toThrow("a.ipynb: metadata.workbook.quick must be an object of parameter values, got [1]");
    expect(() => quickParameters(nb([], { workbook: 3 }), "b.ipynb")).toThrow("b.ipynb: metadata.workbook must be an object");
  });
});

describe("notebook files", () => {
  it("serializes like nbformat: sorted keys, one-space indent, lines as lists", () => {
    const text = serializeNotebook(nb([{ ...code("a\nb"), outputs: [{ output_type: "stream", name: "stdout", text: "x\ny\n" }] }]));
    const back = JSON.parse(text);
    expect(Object.keys(back.cells[0])).toEqual(["cell_type", "execution_count", "id", "metadata", "outputs", "source"]);
    expect(back.cells[0].source).toEqual(["a\n", "b"]);
    expect(back.cells[0].outputs[0].text).toEqual(["x\n", "y\n"]);
    expect(text.startsWith('{\n "cells": [\n  {\n   "cell_type"')).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("rejects what it cannot run with a one-line reason", () => {
    expect(() => parseNotebook("{", "x.ipynb")).toThrow(/^x\.ipynb: invalid JSON \(/);
    expect(() => parseNotebook('{"a": 1}', "x.ipynb")).toThrow('x.ipynb: not a Jupyter notebook (no "cells" list)');
    expect(() => parseNotebook('{"cells": [], "nbformat": 3}', "x.ipynb")).toThrow("x.ipynb: nbformat 3 is not supported (need 4)");
    expect(() => parseNotebook('{"cells": [{"cell_type": "code"}], "nbformat": 4}', "x.ipynb")).toThrow("x.ipynb: cell 0 has no source");
    const r = JSON.stringify(nb([], { kernelspec: { name: "ir", display_name: "R", language: "R" } }));
    expect(() => parseNotebook(r, "x.ipynb")).toThrow("x.ipynb: written for the R (r) kernel; workbook runs TypeScript notebooks (kernel kernel-lib-ts)");
    const tslab = JSON.stringify(nb([], { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } }));
    expect(parseNotebook(tslab).cells).toEqual([]);
    expect(parseNotebook(JSON.stringify(nb([]))).metadata).toEqual({});
  });
});
