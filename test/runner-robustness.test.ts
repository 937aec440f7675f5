import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupTempDirs, ensureWorkbookBuilt, LooseNotebook, readJson, runWorkbook, startWorkbook, streamText, tempDir, waitFor } from "./runner-helpers";

// The runner loses nothing: a huge output and the next cell's arrive whole (or visibly truncated past the
// documented limit), results are saved after every cell, bad --out paths are one line, and a cell's
// detached processes die with its kernel.
afterAll(cleanupTempDirs);
beforeAll(() => ensureWorkbookBuilt());

function notebook(dir: string, name: string, cells: string[]): string {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "kernel-lib-ts", display_name: "TypeScript (kernel-lib)", language: "typescript" } },
    cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null })),
  };
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(nb));
  return file;
}

const code = (nb: LooseNotebook) => nb.cells.filter((c) => c.cell_type === "code");

describe("workbook run: no output lost", () => {
  it("keeps a big output whole, truncates a huge one with a note, and the next cell's output arrives", async () => {
    const dir = tempDir("wb-big-");
    const out = tempDir("wb-big-out-");
    const file = notebook(dir, "big.ipynb", [
      'for (let i = 0; i < 50000; i++) console.log("line " + i);',
      'for (let i = 0; i < 400000; i++) console.log("row " + i);',
      'console.log("after the flood");',
    ]);
    const r = await runWorkbook(["run", file, "--out", out], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const cells = code(readJson<LooseNotebook>(path.join(out, "big.ipynb")));
    const first = streamText(cells[0]).split("\n");
    expect(first.length).toBe(50001);
    expect(first[49999]).toBe("line 49999");
    // 400,000 lines of "row N\n" are 4,288,890 characters: the first 2,000,000 are kept, then one note
    const second = streamText(cells[1]);
    expect(second.length).toBe(2_000_000);
    expect(second.startsWith("row 0\nrow 1\n")).toBe(true);
    expect(streamText(cells[1], "stderr")).toMatch(/\[workbook: output truncated: this cell printed more than 2,000,000 characters; 2,288,890 more were dropped\]/);
    expect(streamText(cells[2])).toBe("after the flood\n");
  }, 240_000);
});

describe("workbook run: results survive", () => {
  it("saves the notebook after every cell, so a SIGKILLed runner leaves what ran", async () => {
    const dir = tempDir("wb-partial-");
    const out = tempDir("wb-partial-out-");
    const file = notebook(dir, "slow.ipynb", ['console.log("first cell done");', "await new Promise(r => setTimeout(r, 600000));"]);
    const run = startWorkbook(["run", file, "--out", out], { cwd: dir });
    const saved = path.join(out, "slow.ipynb");
    await waitFor("the partial notebook", () => fs.existsSync(saved) && fs.readFileSync(saved, "utf8").includes("first cell done"), 120_000);
    run.child.kill("SIGKILL");
    await run.done;
    const nb = readJson<LooseNotebook>(saved);
    expect(streamText(code(nb)[0])).toBe("first cell done\n");
    expect(nb.metadata.workbook).toMatchObject({ status: "running" });
  }, 180_000);

  it("honours SIGTERM: stops the kernel and writes what ran", async () => {
    const dir = tempDir("wb-term-");
    const out = tempDir("wb-term-out-");
    const file = notebook(dir, "term.ipynb", ['console.log("ran");', "while (true) {}"]);
    const run = startWorkbook(["run", file, "--out", out], { cwd: dir });
    await waitFor("the second cell", () => run.output().stderr.includes("cell 2/2"), 120_000);
    run.child.kill("SIGTERM");
    const r = await run.done;
    expect(r.code).toBe(130);
    const nb = readJson<LooseNotebook>(path.join(out, "term.ipynb"));
    expect(streamText(code(nb)[0])).toBe("ran\n");
    expect(nb.metadata.workbook).toMatchObject({ status: "aborted" });
  }, 180_000);
});

describe("workbook run: bad --out paths", () => {
  it("an --out under /proc is one line at once (no spin), nothing runs", async () => {
    const dir = tempDir("wb-proc-");
    const file = notebook(dir, "a.ipynb", ['console.log("a")']);
    const r = await runWorkbook(["run", file, "--out", "/proc/workbook-no-such/x"], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toEqual([expect.stringMatching(/^workbook: cannot create folder \/proc\/workbook-no-such\/x: /)]);
  }, 60_000);

  it("an --out that is a file is one line", async () => {
    const dir = tempDir("wb-outfile-");
    const file = notebook(dir, "a.ipynb", ['console.log("a")']);
    const blocker = path.join(dir, "blocker");
    fs.writeFileSync(blocker, "");
    const r = await runWorkbook(["run", file, "--out", path.join(blocker, "sub")], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^workbook: cannot create folder .*blocker\/sub: .*blocker is a file, not a folder$/)]);
  }, 60_000);

  it("a folder in the way of one result: that notebook is write-failed in one line, the others are written", async () => {
    const dir = tempDir("wb-inway-");
    const out = tempDir("wb-inway-out-");
    const a = notebook(dir, "a.ipynb", ['console.log("a")']);
    const b = notebook(dir, "b.ipynb", ['console.log("b")']);
    fs.mkdirSync(path.join(out, "a.ipynb"));
    const r = await runWorkbook(["run", a, b, "--out", out, "--jobs", "1"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/workbook: cannot write .*a\.ipynb: a folder is in the way\n/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stderr).toMatch(/a\.ipynb\s+write-failed/);
    expect(streamText(code(readJson<LooseNotebook>(path.join(out, "b.ipynb")))[0])).toBe("b\n");
  }, 120_000);
});

describe("workbook run: no process left behind", () => {
  it("kills a cell's detached (setsid) descendants with the kernel", async () => {
    const dir = tempDir("wb-detached-");
    const marker = `workbook-detached-${process.pid}-${Date.now()}`;
    const file = notebook(dir, "d.ipynb", [
      `const cp = require("child_process");\nconst c = cp.spawn("setsid", ["sh", "-c", "sleep 600; echo ${marker}"], { detached: true, stdio: "ignore" });\nc.unref();\nconsole.log("spawned");`,
    ]);
    const r = await runWorkbook(["run", file, "--out", dir], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const left = () => execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" }).split("\n").filter((l) => l.includes(marker));
    await waitFor("the detached process to die", () => left().length === 0, 10_000);
  }, 120_000);
});
