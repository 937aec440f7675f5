// kernel-lib's Jupyter kernel (tools/workbook/src/kernel), driven by the runner's client as `workbook run`
// and the grader drive it: live output from a busy cell, results, errors and tracebacks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { torch } from "../kernel-lib/src/index";
import type { JupyterMessage } from "../tools/workbook/src/jupyter/wire";
import { Kernel } from "../tools/workbook/src/kernel";
import type { ErrorOutput, Output } from "../tools/workbook/src/notebook-types";
import { OutputCollector } from "../tools/workbook/src/outputs";
import { ensureWorkbookBuilt, ROOT } from "./runner-helpers";

/** Records when (client clock) each iopub message of a cell arrives. */
class TimedCollector extends OutputCollector {
  readonly arrivals: Array<{ at: number; type: string; content: Record<string, unknown> }> = [];
  handle(msg: JupyterMessage): void {
    this.arrivals.push({ at: Date.now(), type: msg.header.msg_type, content: msg.content });
    super.handle(msg);
  }
}

const errorOf = (outputs: Output[]): ErrorOutput => {
  const e = outputs.find((o): o is ErrorOutput => o.output_type === "error");
  if (!e) throw new Error(`no error output in ${JSON.stringify(outputs)}`);
  return e;
};

let kernel: Kernel;
beforeAll(async () => {
  ensureWorkbookBuilt();
  kernel = await Kernel.start({ cwd: ROOT });
  const setup = await kernel.execute('import { torch, d2l } from "kernel-lib"; import * as tslab from "tslab";');
  expect(setup.status, setup.message).toBe("ok");
}, 120_000);
afterAll(async () => {
  await kernel?.shutdown();
});

describe("live output from a cell that never yields the event loop", () => {
  it("prints and display updates arrive while the cell still runs, in order", async () => {
    const collector = new TimedCollector();
    const code = [
      'const view = tslab.newDisplay(); view.text("step 0");',
      "const started = Date.now();",
      "for (let i = 1; i <= 5; i++) {",
      "  while (Date.now() - started < i * 300) {} // busy: no await, no timers",
      "  console.log(`line ${i}`);",
      "  view.text(`step ${i}`);",
      "}",
      "Date.now()",
    ].join("\n");
    const r = await kernel.execute(code, { collector, timeoutMs: 60_000 });
    expect(r.status, r.message).toBe("ok");
    const result = r.outputs.find((o) => o.output_type === "execute_result");
    const endedAt = Number((result as { data: Record<string, string> }).data["text/plain"]);
    const lines = collector.arrivals.filter((a) => a.type === "stream").flatMap((a) => String(a.content.text).split("\n").filter(Boolean).map((text) => ({ at: a.at, text })));
    expect(lines.map((l) => l.text)).toEqual(["line 1", "line 2", "line 3", "line 4", "line 5"]);
    const updates = collector.arrivals.filter((a) => a.type === "update_display_data");
    expect(updates.map((u) => (u.content.data as Record<string, string>)["text/plain"])).toEqual(["step 1", "step 2", "step 3", "step 4", "step 5"]);
    // The first line and the first update reached the client before the cell's last statement ran (1.2 s later).
    expect(lines[0].at).toBeLessThan(endedAt);
    expect(updates[0].at).toBeLessThan(endedAt);
    // Arrival order is production order: display, then line 1 with its update, ...
    const order = collector.arrivals.filter((a) => a.type !== "status" && a.type !== "execute_input").map((a) => a.type);
    expect(order[0]).toBe("display_data");
    expect(order[order.length - 1]).toBe("execute_result");
  }, 120_000);

  it("delivers every one of 100000 printed lines, in order", async () => {
    const r = await kernel.execute("for (let i = 0; i < 100000; i++) console.log(i);", { timeoutMs: 300_000 });
    expect(r.status, r.message).toBe("ok");
    const text = r.outputs.map((o) => (o.output_type === "stream" ? String(o.text) : "")).join("");
    expect(text).toBe(Array.from({ length: 100000 }, (_, i) => `${i}\n`).join(""));
  }, 320_000);
});

describe("results", () => {
  it("the last expression is an execute_result in PyTorch's printed form; undefined gives none", async () => {
    const t = await kernel.execute("torch.arange(6).reshape([2, 3])");
    expect(t.outputs).toEqual([
      { output_type: "execute_result", execution_count: t.executionCount, data: { "text/plain": String(torch.arange(6).reshape([2, 3])) }, metadata: {} },
    ]);
    const m = await kernel.execute("new torch.nn.Sequential(new torch.nn.Linear(4, 5), new torch.nn.ReLU())");
    const expected = String(new torch.nn.Sequential(new torch.nn.Linear(4, 5), new torch.nn.ReLU()));
    expect(m.outputs).toEqual([{ output_type: "execute_result", execution_count: m.executionCount, data: { "text/plain": expected }, metadata: {} }]);
    expect((await kernel.execute("undefined")).outputs).toEqual([]);
    expect((await kernel.execute("const unused = 1;")).outputs).toEqual([]);
  }, 60_000);
});

describe("errors", () => {
  it("an exception from kernel-lib shows the library's message and the student's line, no library frames", async () => {
    const r = await kernel.execute('const a = torch.ones([2, 3]);\nconst b = torch.ones([4, 5]);\nconst c = a.matmul(b);\nconsole.log("not reached");');
    expect(r.status).toBe("error");
    const e = errorOf(r.outputs);
    expect(e.ename).toBe("Error");
    expect(e.evalue).toMatch(/^matmul: /);
    expect(e.traceback[0]).toBe(`Error: ${e.evalue}`);
    const text = e.traceback.join("\n");
    expect(text).toContain(`Cell In[${r.executionCount}], line 3`);
    expect(text).toContain("----> 3 | const c = a.matmul(b);");
    for (const internal of ["kernel-lib/dist", "kernel-lib-cell", "evalmachine", "tslab", "node:", "    at "]) expect(text).not.toContain(internal);
  }, 60_000);

  it("a function from an earlier cell shows both cells' lines, outermost first", async () => {
    expect((await kernel.execute("function check(n: number) {\n  if (n < 0) throw new RangeError(`negative: ${n}`);\n  return n;\n}")).status).toBe("ok");
    const r = await kernel.execute("check(1);\ncheck(-2);");
    const text = errorOf(r.outputs).traceback.join("\n");
    expect(errorOf(r.outputs).ename).toBe("RangeError");
    const call = text.indexOf(`Cell In[${r.executionCount}], line 2`);
    const inside = text.indexOf("line 2, in check");
    expect(call).toBeGreaterThan(0);
    expect(inside).toBeGreaterThan(call);
    expect(text).toContain("----> 2 |   if (n < 0) throw new RangeError(`negative: ${n}`);");
  }, 60_000);

  it("a compile error names its cell line and column, marks the span and adds a hint", async () => {
    const r = await kernel.execute("const x = torch.ones([2]);\nconst y = x + x;");
    expect(r.status).toBe("error");
    const e = errorOf(r.outputs);
    expect(e.ename).toBe("CompileError");
    expect(e.evalue).toBe("2:11 - Operator '+' cannot be applied to types 'Tensor' and 'Tensor'.");
    expect(e.traceback).toEqual([
      `CompileError: ${e.evalue}`,
      "",
      `Cell In[${r.executionCount}], line 2, column 11 - error TS2365: Operator '+' cannot be applied to types 'Tensor' and 'Tensor'.`,
      "      1 | const x = torch.ones([2]);",
      "----> 2 | const y = x + x;",
      "        |           ^^^^^",
      "Hint: TypeScript has no operator overloading for tensors: write x.add(x).",
    ]);
  }, 60_000);
});

describe("KERNEL_LIB_TRACEBACK=full", () => {
  it("appends the whole JavaScript stack for library developers", async () => {
    const full = await Kernel.start({ cwd: ROOT, env: { ...process.env, KERNEL_LIB_TRACEBACK: "full" } });
    try {
      const r = await full.execute('import { torch } from "kernel-lib";\ntorch.ones([2, 3]).matmul(torch.ones([4, 5]));');
      const text = errorOf(r.outputs).traceback.join("\n");
      expect(text).toContain("JavaScript stack (KERNEL_LIB_TRACEBACK=full):");
      expect(text).toMatch(/kernel-lib[\\/]dist[\\/]/);
      expect(text).toContain("Cell In[1], line 2");
    } finally {
      await full.shutdown();
    }
  }, 120_000);
});
