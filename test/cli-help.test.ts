// `workbook COMMAND --help` prints that command's usage (exit 0, nothing run); `workbook --version` the version.
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureWorkbookBuilt, readJson, ROOT, runWorkbook } from "./runner-helpers";

beforeAll(() => ensureWorkbookBuilt());

const SUBCOMMANDS: Array<[string[], RegExp]> = [
  [["run"], /^workbook run NOTEBOOK\|DIR\.\.\./],
  [["start"], /^workbook start \[--dir NOTEBOOKS_DIR\]/],
  [["kernel"], /^workbook kernel install/],
  [["kernel", "install"], /^workbook kernel install/],
  [["kernel", "uninstall"], /^workbook kernel install/],
  [["kernel", "show"], /^workbook kernel install/],
  [["lab"], /^workbook lab generate/],
  [["lab", "generate"], /^workbook lab generate/],
  [["lab", "check"], /^workbook lab generate/],
  [["lab", "validate"], /^workbook lab generate/],
  [["lab", "grade"], /^workbook lab generate/],
];

describe("workbook --help and --version", () => {
  it.each(SUBCOMMANDS)("workbook %j --help prints its usage and exits 0", async (words, usage) => {
    for (const flag of ["--help", "-h"]) {
      const r = await runWorkbook([...words, flag]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(usage);
      expect(r.stderr).toBe("");
    }
  });

  it("--help wins over other arguments, even missing or wrong ones; after -- it is an argument", async () => {
    const r = await runWorkbook(["run", "no-such.ipynb", "--frobnicate", "--help"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^workbook run /);
    const after = await runWorkbook(["run", "--", "--help"]);
    expect(after.code).toBe(1);
  });

  it("workbook help COMMAND prints that command's usage; workbook help lists all and the environment", async () => {
    const one = await runWorkbook(["help", "start"]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^workbook start /);
    const all = await runWorkbook(["help"]);
    expect(all.code).toBe(0);
    for (const name of ["run", "start", "kernel", "lab"]) expect(all.stdout).toContain(`workbook ${name} `);
    expect(all.stdout).toContain("WORKBOOK_JUPYTER");
  });

  it("--version (and -V, version) prints the package version", async () => {
    const { version } = readJson<{ version: string }>(path.join(ROOT, "package.json"));
    for (const flag of ["--version", "-V", "version"]) {
      const r = await runWorkbook([flag]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe(`workbook ${version} (Node ${process.version})`);
    }
  });
});
