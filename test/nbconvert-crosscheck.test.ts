// The same notebooks run under Jupyter's own client (nbconvert --execute with our kernel spec).
import { spawnSync } from "child_process";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { executeNotebook } from "../tools/workbook/src/execute";
import { readNotebook, serializeNotebook } from "../tools/workbook/src/notebook-io";
import { cleanupTempDirs, ensureWorkbookBuilt, FIXTURES, LooseNotebook, NOTEBOOKS, readJson, runWorkbook, streamText, tempDir } from "./runner-helpers";

afterAll(cleanupTempDirs);

const INSTALL = "apt-get install jupyter-nbconvert python3-nbclient";
const hasNbconvert = spawnSync("jupyter", ["nbconvert", "--version"], { stdio: "ignore" }).status === 0;
const required = process.env.REQUIRE_JUPYTER === "1";

describe("jupyter nbconvert --execute with the kernel-lib kernel", () => {
  it("runs the welcome notebook and a display-update fixture with the same outputs as workbook run", async (ctx) => {
    if (!hasNbconvert) {
      if (required) throw new Error(`REQUIRE_JUPYTER=1 but \`jupyter nbconvert\` is not installed (${INSTALL})`);
      ctx.skip(`jupyter nbconvert is not installed (${INSTALL}); set REQUIRE_JUPYTER=1 to make this a failure`);
    }
    ensureWorkbookBuilt();
    const data = tempDir("wb-nbconvert-data-");
    const out = tempDir("wb-nbconvert-out-");
    const env = { ...process.env, JUPYTER_DATA_DIR: data, JUPYTER_RUNTIME_DIR: path.join(data, "runtime") };
    const install = await runWorkbook(["kernel", "install"], { env });
    expect(install.code, install.stderr).toBe(0);

    const welcome = path.join(NOTEBOOKS, "00-welcome.ipynb");
    const fixture = path.join(FIXTURES, "ok.ipynb");
    const r = spawnSync(
      "jupyter",
      ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=kernel-lib-ts", "--ExecutePreprocessor.timeout=300", "--output-dir", out, welcome, fixture],
      { env, encoding: "utf8", timeout: 600_000 },
    );
    expect(r.status, r.stderr).toBe(0);

    const executedWelcome = readJson<LooseNotebook>(path.join(out, "00-welcome.ipynb"));
    const tensorCell = executedWelcome.cells.find((c) => c.cell_type === "code" && String(c.source).includes("torch.tensor("))!;
    // the notebook's default device: the CPU here (a software adapter is never the default)
    expect(streamText(tensorCell)).toBe("device: cpu\nshape: [ 2, 3 ] dtype: float32 elements: 6\n[ [ 1, 2, 3 ], [ 4, 5, 6 ] ]\n");

    const jupyters = readJson<LooseNotebook>(path.join(out, "ok.ipynb"));
    const ours = JSON.parse(serializeNotebook((await executeNotebook(readNotebook(fixture), { cwd: FIXTURES })).notebook)) as LooseNotebook;
    const outputs = (nb: LooseNotebook) => nb.cells.map((c) => c.outputs ?? null);
    expect(outputs(ours)).toEqual(outputs(jupyters));
    expect(streamText(jupyters.cells[5])).toBe("updated\n");
  });
});
