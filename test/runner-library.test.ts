// The runner as a library (what `workbook lab` and other tools build on), run from the TypeScript sources.
import * as fs from "fs";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { executeNotebook, Kernel } from "../tools/workbook/src/index";
import type { Notebook } from "../tools/workbook/src/notebook-types";
import { cleanupTempDirs, pidAlive, streamText, tempDir } from "./runner-helpers";

afterAll(cleanupTempDirs);

let id = 0;
const code = (source: string) => ({ cell_type: "code" as const, id: `c${id++}`, metadata: {}, source, outputs: [], execution_count: null });
const notebook = (...sources: string[]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: sources.map(code) });

describe("executeNotebook", () => {
  it("honours cwd and env, keeps going after errors with stopOnError: false, and recovers from an interrupted timeout", async () => {
    const cwd = tempDir("wb-lib-");
    fs.writeFileSync(path.join(cwd, "data.txt"), "from the scratch folder");
    const events: string[] = [];
    const run = await executeNotebook(
      notebook(
        'console.log(require("fs").readFileSync("data.txt", "utf8"), process.env.LAB_SEED);',
        'throw new Error("first failure");',
        'console.log("ran after the error");',
        "while (true) {}",
        'console.log("ran after the timeout");',
      ),
      {
        cwd,
        env: { ...process.env, LAB_SEED: "1234" },
        stopOnError: false,
        cellTimeoutMs: 5000,
        interruptOnTimeout: true,
        onCell: (e) => events.push(`${e.phase} ${e.position}/${e.total}${e.result ? ` ${e.result.status}` : ""}`),
      },
    );
    expect(run.cells.map((c) => c.status)).toEqual(["ok", "error", "ok", "timeout", "ok"]);
    expect(streamText(run.notebook.cells[0] as never)).toBe("from the scratch folder 1234\n");
    expect(run.cells[1].message).toBe("Error: first failure");
    expect(run.cells[3].message).toBe("timed out after 5s (cell timeout); interrupted, kernel kept");
    expect(streamText(run.notebook.cells[4] as never)).toBe("ran after the timeout\n");
    expect(run.status).toBe("error");
    expect(run.failure).toEqual({ index: 1, firstLine: 'throw new Error("first failure");', status: "error", message: "Error: first failure" });
    expect(events).toEqual(["start 1/5", "end 1/5 ok", "start 2/5", "end 2/5 error", "start 3/5", "end 3/5 ok", "start 4/5", "end 4/5 timeout", "start 5/5", "end 5/5 ok"]);
  });

  it("enforces the per-notebook time limit and marks the cells that did not run as skipped", async () => {
    const run = await executeNotebook(
      notebook('console.log("quick");', "await new Promise((r) => setTimeout(r, 60_000));", 'console.log("never");'),
      { notebookTimeoutMs: 6000, cellTimeoutMs: 60_000 },
    );
    expect(run.status).toBe("timeout");
    expect(run.cells.map((c) => c.status)).toEqual(["ok", "timeout", "skipped"]);
    expect(run.failure?.message).toBe("timed out: the notebook exceeded its 6s limit");
    expect(run.elapsedMs).toBeLessThan(30_000);
  });

  it("an aborted run kills the kernel and returns what ran", async () => {
    const controller = new AbortController();
    const pidFile = path.join(tempDir("wb-abort-"), "pid");
    const running = executeNotebook(
      notebook(`require("fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));`, "while (true) {}"),
      { signal: controller.signal, onCell: (e) => e.phase === "start" && e.position === 2 && setTimeout(() => controller.abort(), 500) },
    );
    const run = await running;
    expect(run.status).toBe("aborted");
    expect(run.cells.map((c) => c.status)).toEqual(["ok", "aborted"]);
    expect(pidAlive(Number(fs.readFileSync(pidFile, "utf8")))).toBe(false);
  });

  it("a kernel that cannot start is reported, not thrown", async () => {
    const run = await executeNotebook(notebook("1"), { argv: () => [process.execPath, "-e", "process.exit(7)"], startTimeoutMs: 20_000 });
    expect(run.status).toBe("kernel-failed");
    expect(run.failure?.message).toBe("kernel did not start: kernel exited during startup (exit code 7)");
    expect(run.cells.map((c) => c.status)).toEqual(["skipped"]);
  });
});

describe("Kernel", () => {
  it("answers heartbeats, runs cells and leaves no process after shutdown", async () => {
    const kernel = await Kernel.start({ cwd: path.resolve(__dirname, "..", "notebooks") });
    const pid = kernel.pid!;
    try {
      expect(await kernel.ping()).toBe(true);
      const r = await kernel.execute('import { torch } from "kernel-lib";\nconsole.log(torch.Tensor.fromTypedArray(new Int32Array([4, 5]), [2]).tolist());');
      expect(r.status).toBe("ok");
      expect(r.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "[ 4, 5 ]\n" }]);
      expect(r.executionCount).toBe(1);
    } finally {
      await kernel.shutdown();
    }
    expect(kernel.alive).toBe(false);
    expect(pidAlive(pid)).toBe(false);
    const after = await kernel.execute("1");
    expect(after.status).toBe("died");
  });
});
