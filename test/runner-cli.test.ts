import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupTempDirs, ensureWorkbookBuilt, FIXTURES, LooseNotebook, pidAlive, readJson, runWorkbook, startWorkbook, streamText, tempDir, waitFor } from "./runner-helpers";

afterAll(cleanupTempDirs);

const fixture = (name: string) => path.join(FIXTURES, name);

beforeAll(() => ensureWorkbookBuilt());

describe("workbook run: success path", () => {
  it("executes every code cell and writes the outputs like nbconvert does", async () => {
    const out = tempDir("wb-ok-");
    const report = path.join(out, "report.json");
    const r = await runWorkbook(["run", fixture("ok.ipynb"), "--out", out, "--report", report]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ok\.ipynb: cell 1\/5 \[1\] \/\/ parameters/);
    expect(r.stderr).toMatch(/ok\.ipynb\s+ok\s+5\/5/);
    expect(r.stderr).toMatch(/1\/1 notebooks passed/);

    const nb = readJson<LooseNotebook>(path.join(out, "ok.ipynb"));
    const cells = nb.cells.filter((c) => c.cell_type === "code");
    expect(cells.map((c) => c.execution_count)).toEqual([1, 2, null, 3, 4, 5]);
    // consecutive writes to one stream are merged; stderr stays a separate output
    expect(cells[1].outputs.map((o) => o.name)).toEqual(["stdout", "stderr", "stdout"]);
    expect(streamText(cells[1])).toBe("hello 0\nhello 1\nFULL=false\n");
    expect(streamText(cells[1], "stderr")).toBe("a warning on stderr\n");
    // newDisplay(): the display in cell 4 was updated in place from cell 5, not appended to
    expect(cells[3].outputs).toEqual([
      { output_type: "display_data", data: { "text/plain": ["step 2 of 2"] }, metadata: {} },
      { output_type: "display_data", data: { "text/html": ["<b>static</b>"] }, metadata: {} },
    ]);
    expect(cells[4].outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["updated\n"] }]);
    // the last expression is the cell's result (Out[5]), as in Python's kernel
    expect(cells[5].outputs).toEqual([{ output_type: "execute_result", execution_count: 5, data: { "text/plain": ["42"] }, metadata: {} }]);
    expect(nb.metadata.workbook).toMatchObject({ status: "ok" });

    const rows = readJson<Array<Record<string, unknown>>>(report);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "ok", cellsOk: 5, cellsTotal: 5, output: path.join(out, "ok.ipynb") });
  });

  it("--set overrides parameters through an injected cell after the parameters cell", async () => {
    const out = tempDir("wb-params-");
    const r = await runWorkbook(["run", fixture("ok.ipynb"), "--out", out, "--set", "COUNT=3", "--set", 'GREETING="hi"', "--set", "FULL=true"]);
    expect(r.code, r.stderr).toBe(0);
    const nb = readJson<LooseNotebook>(path.join(out, "ok.ipynb"));
    const params = nb.cells.findIndex((c) => c.metadata.tags?.includes("parameters"));
    const injected = nb.cells[params + 1];
    expect(injected.metadata.tags).toEqual(["injected-parameters"]);
    expect((injected.source as string[]).join("")).toBe(
      '// Injected by workbook run --set (overrides the parameters cell above)\nlet COUNT: number = 3;\nconst GREETING = "hi";\nconst FULL = true;',
    );
    expect(streamText(nb.cells[params + 2])).toBe("hi 0\nhi 1\nhi 2\nFULL=true\n");
    expect(nb.metadata.workbook).toMatchObject({ status: "ok", parameters: { COUNT: 3, GREETING: "hi", FULL: true } });
  });

  it("a parameter value of the wrong type fails in the injected cell, and an unknown name is refused", async () => {
    const out = tempDir("wb-params-bad-");
    const wrong = await runWorkbook(["run", fixture("ok.ipynb"), "--out", out, "--set", "COUNT=many", "--quiet"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/cell 2 `\/\/ Injected by workbook run --set.*`: CompileError: 2:5 - Type 'string' is not assignable to type 'number'/);
    const unknown = await runWorkbook(["run", fixture("ok.ipynb"), "--out", out, "--set", "EPOCHS=3", "--quiet"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("--set EPOCHS: not declared in the parameters cell (it declares: GREETING, COUNT, FULL)");
    expect(unknown.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("workbook run: failures", () => {
  it("a cell error stops the notebook, names the cell and the error, and writes the partial notebook", async () => {
    const out = tempDir("wb-error-");
    const r = await runWorkbook(["run", fixture("error.ipynb"), "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error.ipynb: error in");
    expect(r.stderr).toMatch(/error\.ipynb\s+error\s+1\/3\s+[\d.]+s\s+cell 1 `const value = 1;`: Error: boom in the second cell/);
    const nb = readJson<LooseNotebook>(path.join(out, "error.ipynb"));
    const [first, failed, after] = nb.cells;
    expect(streamText(first)).toBe("before the error\n");
    expect(failed.outputs).toEqual([
      {
        output_type: "error",
        ename: "Error",
        evalue: "boom in the second cell",
        traceback: ["Error: boom in the second cell", "", "Cell In[2], line 2", "      1 | const value = 1;", "----> 2 | throw new Error(\"boom in the second cell\");"],
      },
    ]);
    expect(after.outputs).toEqual([]);
    expect(after.execution_count).toBeNull();
    expect(nb.metadata.workbook).toMatchObject({ status: "error", failed_cell: 1, message: "Error: boom in the second cell" });
  });

  it("a type error is reported with its position in the cell", async () => {
    const r = await runWorkbook(["run", fixture("type-error.ipynb"), "--out", tempDir("wb-type-"), "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cell 0 `const n: number = \"not a number\";`: CompileError: 1:7 - Type 'string' is not assignable to type 'number'.");
  });

  it("a kernel that exits during a cell is reported as dead", async () => {
    const out = tempDir("wb-exit-");
    const r = await runWorkbook(["run", fixture("exit.ipynb"), "--out", out, "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/exit\.ipynb\s+died\s+1\/3\s+[\d.]+s\s+cell 1 `process\.exit\(1\);`: the kernel died while running this cell \(exit code 1\)/);
    const nb = readJson<LooseNotebook>(path.join(out, "exit.ipynb"));
    const died = nb.cells[1];
    expect(died.outputs).toContainEqual(expect.objectContaining({ output_type: "error", ename: "DeadKernelError" }));
  });

  it("a cell past its timeout is reported and its kernel process is gone", async () => {
    const out = tempDir("wb-hang-");
    const pidFile = path.join(out, "kernel.pid");
    const r = await runWorkbook(["run", fixture("hang.ipynb"), "--out", out, "--timeout", "5", "--quiet"], {
      env: { ...process.env, KERNEL_PID_FILE: pidFile },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hang\.ipynb\s+timeout\s+1\/3\s+[\d.]+s\s+cell 1 `while \(true\) \{\}`: timed out after 5s \(cell timeout\)/);
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    expect(pid).toBeGreaterThan(0);
    expect(pidAlive(pid)).toBe(false);
    const nb = readJson<LooseNotebook>(path.join(out, "hang.ipynb"));
    expect(streamText(nb.cells[0])).toBe("pid written\n");
    expect(nb.cells[1].outputs).toContainEqual(expect.objectContaining({ ename: "CellTimeoutError" }));
  });

  it("Ctrl-C (SIGINT) stops the run, kills the kernel and still writes the partial notebook", async () => {
    const out = tempDir("wb-sigint-");
    const pidFile = path.join(out, "kernel.pid");
    const run = startWorkbook(["run", fixture("hang.ipynb"), "--out", out, "--timeout", "600"], {
      env: { ...process.env, KERNEL_PID_FILE: pidFile },
    });
    await waitFor("the kernel to start the endless cell", () => run.output().stderr.includes("cell 2/3"));
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    expect(pidAlive(pid)).toBe(true);
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/hang\.ipynb\s+aborted/);
    expect(pidAlive(pid)).toBe(false);
    const nb = readJson<LooseNotebook>(path.join(out, "hang.ipynb"));
    expect(nb.cells[1].outputs).toContainEqual(expect.objectContaining({ ename: "RunAborted" }));
  });

  it("a kernel whose runner was killed outright (SIGKILL) exits by itself", async () => {
    const out = tempDir("wb-sigkill-");
    const pidFile = path.join(out, "kernel.pid");
    const run = startWorkbook(["run", fixture("hang.ipynb"), "--out", out, "--timeout", "600"], {
      env: { ...process.env, KERNEL_PID_FILE: pidFile },
    });
    await waitFor("the kernel to write its pid", () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8") !== "");
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    // The kernel's connection folder, from its command line (Linux /proc; CI runs on Debian).
    const argv = process.platform === "linux" ? fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0") : [];
    const connectionDir = argv.length ? path.dirname(argv[argv.indexOf("--config-path") + 1]) : "";
    if (connectionDir) expect(fs.existsSync(path.join(connectionDir, "connection.json"))).toBe(true);
    // Kill the runner while the kernel is idle between cells or early in the endless one.
    run.child.kill("SIGKILL");
    await run.done;
    await waitFor(`kernel ${pid} to exit after its runner died`, () => !pidAlive(pid), 15_000);
    if (connectionDir) await waitFor("the kernel's connection folder to be removed", () => !fs.existsSync(connectionDir), 5_000);
  });

  it("a missing file, invalid JSON and a notebook for another kernel each get a one-line error", async () => {
    const r = await runWorkbook(["run", fixture("missing.ipynb"), fixture("invalid.ipynb"), fixture("python.ipynb"), "--out", tempDir("wb-invalid-"), "--quiet"]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("workbook: "));
    expect(lines).toEqual([
      `workbook: ${fixture("missing.ipynb")}: no such file`,
      expect.stringMatching(new RegExp(`^workbook: ${fixture("invalid.ipynb")}: invalid JSON \\(.+\\)$`)),
      `workbook: ${fixture("python.ipynb")}: written for the Python 3 (python) kernel; workbook runs TypeScript notebooks (kernel kernel-lib-ts)`,
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).toContain("0/3 notebooks passed");
  });

  it("usage mistakes exit with code 2 and say what is wrong", async () => {
    const bad = await runWorkbook(["run", fixture("ok.ipynb"), "--frobnicate"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("workbook run: unknown option --frobnicate (see `workbook run --help`)");
    const none = await runWorkbook(["run"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("run: no notebooks given");
    const unknown = await runWorkbook(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('workbook: unknown command "frobnicate" (commands: run, kernel, start, lab, help)');
  });
});
