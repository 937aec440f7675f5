import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../tools/workbook/src/paths";
import { sandboxCommand, visibleUnderTmp } from "../tools/workbook/src/sandbox";

// The sandbox mounts an empty /tmp; a project cloned under /tmp (as a CI checkout may be) must stay visible.
describe("sandbox mounts", () => {
  it("binds the project back read-only when it lies under /tmp, before hidden and writable paths", () => {
    const root = fs.realpathSync(PROJECT_ROOT);
    expect(visibleUnderTmp().includes(root)).toBe((root + path.sep).startsWith("/tmp/"));
    const { options } = sandboxCommand("bwrap", ["node"], { writable: ["/tmp/scratch-x"], hidden: [] }, "/tmp/scratch-x");
    const args = options.split("\0").filter((a) => a !== "");
    const tmpfs = args.findIndex((a, i) => a === "/tmp" && args[i - 1] === "--tmpfs");
    const writable = args.findIndex((a, i) => a === "/tmp/scratch-x" && args[i - 1] === "--bind");
    expect(tmpfs).toBeGreaterThan(0);
    expect(writable).toBeGreaterThan(tmpfs);
    for (const p of visibleUnderTmp()) {
      const at = args.findIndex((a, i) => a === p && args[i - 1] === "--ro-bind");
      expect(at).toBeGreaterThan(tmpfs);
      expect(at).toBeLessThan(writable);
    }
  });
});
