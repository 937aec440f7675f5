// tools/patches/tslab.cjs (applied by npm install) fixes tslab 1.0.22's compiler: shorthand properties naming an
// earlier cell's variable. Output lost in bursts (tslab's unqueued zeromq sends and iopub high-water mark) is fixed
// by kernel-lib's own kernel, checked here through `workbook run` (and with 100000 lines in test/kernel.test.ts).
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkTslabContract, patchTslab } from "../tools/patches/tslab.cjs";
import { ensureWorkbookBuilt, FIXTURES, LooseNotebook, readJson, ROOT, runWorkbook, streamText, tempDir, cleanupTempDirs } from "./runner-helpers";

beforeAll(() => ensureWorkbookBuilt());

describe("tslab patches", () => {
  it("are applied and idempotent", () => {
    expect(patchTslab(ROOT)).toEqual({ "shorthand properties": "already patched" });
  });

  it("tslab still has what kernel-lib's kernel relies on, and a changed tslab is refused by name", () => {
    expect(checkTslabContract(ROOT)).toBe("ok");
    const fake = tempDir("tslab-changed-");
    try {
      fs.mkdirSync(path.join(fake, "node_modules", "tslab", "dist"), { recursive: true });
      fs.writeFileSync(path.join(fake, "node_modules", "tslab", "dist", "executor.js"), "// a different tslab\n");
      expect(() => checkTslabContract(fake)).toThrow(/executor\.js no longer contains `console\.error\("%s%d:%d - %s"`/);
    } finally {
      cleanupTempDirs();
    }
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
