// A real notebook run: Fashion-MNIST downloaded over HTTP from 127.0.0.1 inside a tslab kernel shows ONE live
// display, updated in place, whose saved state is the final one.
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupTempDirs, Completed, ensureWorkbookBuilt, FIXTURES, LooseNotebook, readJson, runWorkbook, streamText, tempDir } from "./runner-helpers";

const joined = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v));

let run: Completed;
let executed: LooseNotebook;

beforeAll(async () => {
  ensureWorkbookBuilt();
  const out = tempDir("progress-nb-");
  run = await runWorkbook(["run", path.join(FIXTURES, "download-progress.ipynb"), "--out", out, "--timeout", "120"]);
  const file = path.join(out, "download-progress.ipynb");
  if (fs.existsSync(file)) executed = readJson<LooseNotebook>(file);
}, 180_000);

afterAll(() => cleanupTempDirs());

describe("download progress in a notebook", () => {
  it("runs, and the download leaves exactly one display_data holding the final state", () => {
    expect(run.code, run.stderr).toBe(0);
    const displays = executed.cells.flatMap((c) => c.outputs.filter((o) => o.output_type === "display_data"));
    expect(displays).toHaveLength(1);
    const data = displays[0].data as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(["text/html", "text/plain"]);
    const text = joined(data["text/plain"]).split("\n");
    // the first display said "Downloading: 0 of 1 file done"; the saved one is the last update_display_data
    expect(text[0]).toBe("Downloaded 4 files (29.4 MiB), verified");
    for (const name of ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]) {
      expect(text.some((l) => l.includes(name) && / 100% .* done$/.test(l)), name).toBe(true);
    }
    const bars = [...joined(data["text/html"]).matchAll(/<progress value="(\d+)" max="(\d+)"/g)];
    expect(bars).toHaveLength(4);
    for (const [, value, max] of bars) expect(value).toBe(max);
  });

  it("shows nothing on stderr (the notebook reporter replaced the stderr one) and the downloaded set loads", () => {
    expect(executed.cells.map((c) => streamText(c, "stderr")).join("")).toBe("");
    expect(streamText(executed.cells[2])).toMatch(/^10000 t10k-images-idx3-ubyte\.gz t10k-labels-idx1-ubyte\.gz train-images-idx3-ubyte\.gz train-labels-idx1-ubyte\.gz\n$/);
  });
});
