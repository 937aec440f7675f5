// `workbook start` (npm start): JupyterLab if available, else classic Notebook, else how to install it; --headless runs them.
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupTempDirs, ensureWorkbookBuilt, FIXTURES, LooseNotebook, readJson, ROOT, runWorkbook, streamText, tempDir } from "./runner-helpers";

afterAll(cleanupTempDirs);

const DIR = path.join(FIXTURES, "start");

beforeAll(() => ensureWorkbookBuilt());

/** A stand-in `jupyter` that knows the given front ends and records how it was started. */
function fakeJupyter(apps: string[]): { command: string; argsFile: string } {
  const dir = tempDir("wb-fake-jupyter-");
  const argsFile = path.join(dir, "args");
  const command = path.join(dir, "jupyter");
  const known = apps.map((a) => `"${a}"`).join(" ");
  fs.writeFileSync(
    command,
    `#!/bin/sh\nfor app in ${known}; do\n  if [ "$1" = "$app" ]; then\n    [ "$2" = "--version" ] && exit 0\n    echo "$@" > "${argsFile}"; exit 0\n  fi\ndone\nexit 1\n`,
    { mode: 0o755 },
  );
  return { command, argsFile };
}

describe("workbook start", () => {
  it("opens JupyterLab on the notebooks folder when `jupyter lab` works, after registering the kernel", async () => {
    const fake = fakeJupyter(["lab", "notebook"]);
    const data = tempDir("wb-start-data-");
    const r = await runWorkbook(["start", "--dir", DIR], { env: { ...process.env, WORKBOOK_JUPYTER: fake.command, JUPYTER_DATA_DIR: data } });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(fake.argsFile, "utf8").trim()).toMatch(new RegExp(`^lab --notebook-dir=${DIR}( --allow-root)?$`));
    expect(fs.existsSync(path.join(data, "kernels", "kernel-lib-ts", "kernel.json"))).toBe(true);
  });

  it("falls back to the classic notebook", async () => {
    const fake = fakeJupyter(["notebook"]);
    const r = await runWorkbook(["start", "--dir", DIR], { env: { ...process.env, WORKBOOK_JUPYTER: fake.command, JUPYTER_DATA_DIR: tempDir("wb-start-data-") } });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(fake.argsFile, "utf8").trim()).toMatch(new RegExp(`^notebook --notebook-dir=${DIR}( --allow-root)?$`));
  });

  it("without Jupyter says how to install it and how to run headless, runs nothing and exits 1", async () => {
    const out = tempDir("wb-start-out-");
    const r = await runWorkbook(["start", "--dir", DIR, "--out", out], { env: { ...process.env, WORKBOOK_JUPYTER: path.join(tempDir("wb-none-"), "jupyter") } });
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^Jupyter was not found/);
    expect(r.stdout).toMatch(process.platform === "linux" ? /sudo apt-get install jupyter-notebook/ : /pip install jupyterlab/);
    expect(r.stdout).toContain("WORKBOOK_JUPYTER");
    expect(lines[lines.length - 1]).toContain("`npm run course:headless`");
    expect(r.stderr).not.toContain("notebooks passed");
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it("--headless (npm run course:headless) runs every notebook in quick mode and says where they are", async () => {
    const out = tempDir("wb-start-out-");
    const r = await runWorkbook(["start", "--headless", "--dir", DIR, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("1/1 notebooks passed");
    expect(r.stderr).toContain(`executed notebooks: ${out}`);
    expect(streamText(readJson<LooseNotebook>(path.join(out, "hello.ipynb")).cells[1])).toBe("hello from start\n");
    const pkg = readJson<{ scripts: Record<string, string> }>(path.join(ROOT, "package.json"));
    expect(pkg.scripts["course:headless"]).toBe("node tools/workbook/bin/workbook.js start --headless");
  });

  it("registers the kernel spec where the found Jupyter's --data-dir points", async () => {
    const fake = fakeJupyter(["lab"]);
    const data = tempDir("wb-start-reported-");
    // the fake answers --data-dir like Jupyter does
    fs.writeFileSync(fake.command, fs.readFileSync(fake.command, "utf8").replace("#!/bin/sh\n", `#!/bin/sh\n[ "$1" = "--data-dir" ] && { echo "${data}"; exit 0; }\n`));
    const env: NodeJS.ProcessEnv = { ...process.env, WORKBOOK_JUPYTER: fake.command };
    delete env.JUPYTER_DATA_DIR;
    const r = await runWorkbook(["start", "--dir", DIR], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(data, "kernels", "kernel-lib-ts", "kernel.json"))).toBe(true);
    expect(r.stdout).toContain("Run `npm test` or other commands in a second terminal");
  });
});
