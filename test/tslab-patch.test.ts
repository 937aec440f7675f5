// tslab 1.0.22 misses shorthand properties when it rewrites references to earlier cells' variables;
// tools/patches/tslab-shorthand.cjs (applied by npm install) fixes it. This runs the fixed case in a real kernel.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { patchTslab } from "../tools/patches/tslab-shorthand.cjs";
import { ensureWorkbookBuilt, FIXTURES, LooseNotebook, readJson, ROOT, runWorkbook, streamText, tempDir, cleanupTempDirs } from "./runner-helpers";

beforeAll(() => ensureWorkbookBuilt());

describe("tslab shorthand-property patch", () => {
  it("is applied and idempotent", () => {
    expect(patchTslab(ROOT)).toBe("already patched");
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
