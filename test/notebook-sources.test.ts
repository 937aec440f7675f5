// The lecture notebooks are generated from tools/nbgen/src/*.nb.md; the committed .ipynb must match its source.
import { spawnSync } from "child_process";
import * as path from "path";
import { describe, expect, it } from "vitest";

describe("notebook sources", () => {
  it("every committed notebook is what tools/nbgen/build.mjs makes from its source", () => {
    const r = spawnSync(process.execPath, [path.join(__dirname, "..", "tools", "nbgen", "build.mjs"), "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
