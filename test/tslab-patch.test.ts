// tools/patches/tslab.cjs (applied by npm install) fixes tslab 1.0.22: shorthand properties naming an earlier
// cell's variable, and output lost in bursts (unqueued zeromq sends, iopub high-water mark). Checked in a real kernel.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { patchTslab } from "../tools/patches/tslab.cjs";
import { ensureWorkbookBuilt, FIXTURES, LooseNotebook, readJson, ROOT, runWorkbook, streamText, tempDir, cleanupTempDirs } from "./runner-helpers";

beforeAll(() => ensureWorkbookBuilt());

describe("tslab patches", () => {
  it("are applied and idempotent", () => {
    expect(patchTslab(ROOT)).toEqual({ "shorthand properties": "already patched", "queued sends": "already patched", "unlimited iopub queue": "already patched" });
  });

  it("deliver every line of a cell that prints 3000 lines, in order", async () => {
    const out = tempDir("burst-");
    try {
      const run = await runWorkbook(["run", path.join(FIXTURES, "burst.ipynb"), "--out", out]);
      expect(run.code, run.stderr).toBe(0);
      const nb = readJson<LooseNotebook>(path.join(out, "burst.ipynb"));
      expect(streamText(nb.cells[0])).toBe(Array.from({ length: 3000 }, (_, i) => `${i}\n`).join(""));
      expect(streamText(nb.cells[1])).toBe("after\n");
    } finally {
      cleanupTempDirs();
    }
  });

  it("lets `{ lr }` name a variable from an earlier cell", async () => {
    const out = tempDir("shorthand-");
    try {
      const run = await runWorkbook(["run", path.join(FIXTURES, "shorthand.ipynb"), "--out", out]);
      expect(run.code, run.stderr).toBe(0);
      const nb = readJson<LooseNotebook>(path.join(out, "shorthand.ipynb"));
      expect(streamText(nb.cells[1])).toBe('{"lr":0.1,"momentum":0.9}\n');
      expect(streamText(nb.cells[2])).toBe('{"local":3,"lr":0.1,"nested":{"momentum":0.9}}\n');
      expect(streamText(nb.cells[3])).toBe('{"lr":0.5}\n');
    } finally {
      cleanupTempDirs();
    }
  });
});
