import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateLab } from "../tools/workbook/src/lab/generate";
import type { Notebook } from "../tools/workbook/src/notebook-types";
import { copyNb, fillBlank, Nb, readNb, writeNb } from "./lab-helpers";
import { ensureWorkbookBuilt, NOTEBOOKS, readJson, runWorkbook, tempDir } from "./runner-helpers";

// The one slow lab test (issue 13: "one full-mode class run of a few submissions"): notebooks/09-mnist-lab in
// full mode (10 epochs on all of MNIST, about 3 minutes a submission), the solution and a hostile submission
// graded together with --jobs 2, sandboxed.
const LAB = path.join(NOTEBOOKS, "09-mnist-lab.ipynb");

// In the model's blank: replace what the hidden checks use (kernel-lib functions, Math), reach for the kernel's
// internals and guess a verdict, then build the wrong layers. The other blanks stay unanswered.
const HOSTILE = [
  'try { (torch as any).isGradEnabled = () => false; } catch {}',
  'try { (nn.init as any).kaimingNormal_ = (w: torch.Tensor) => w; } catch {}',
  'try { (Math as any).abs = () => 0; } catch {}',
  'try { (torch.Tensor.prototype as any).item = () => 0; } catch {}',
  'try { require("tslab/dist/executor"); } catch {}',
  'try { require("vm"); } catch {}',
  'try { (({}).constructor as any).__workbookVerdict__("0123456789abcdef0123456789abcdef"); } catch {}',
  "this.lin1 = new nn.Linear(this.xdim, 8);",
  "this.lin2 = new nn.Linear(8, this.ydim);",
].join("\n");

describe.skipIf(!fs.existsSync(LAB))("notebooks/09-mnist-lab.ipynb, full mode", () => {
  beforeAll(() => ensureWorkbookBuilt());

  it("grades the solution 7/7 and a hostile submission 0/7 in one run (--jobs 2)", async () => {
    const gen = tempDir("lab-mnist-full-gen-");
    const r0 = await runWorkbook(["lab", "generate", LAB, "--out", gen]);
    expect(r0.code, r0.stderr).toBe(0);
    const bundle = path.join(gen, "bundle", "09-mnist-lab.bundle.json");
    const student = readNb(path.join(gen, "student", "09-mnist-lab.ipynb"));
    const solution = generateLab(JSON.parse(fs.readFileSync(LAB, "utf8")) as Notebook, "09-mnist-lab").solution as unknown as Nb;
    const subs = tempDir("lab-mnist-full-subs-");
    const out = tempDir("lab-mnist-full-out-");
    // the blank of the model class (found by its text: cell ids shift when cells are added above it)
    const modelCell = student.cells.find((c) => [c.source].flat().join("").includes("class MultiLayerPerceptronClass"));
    expect(modelCell?.id, "the student copy has the model class cell").toBeDefined();
    const files = [writeNb(subs, "solution.ipynb", solution), writeNb(subs, "hostile.ipynb", fillBlank(copyNb(student), modelCell!.id!, HOSTILE))];
    const started = Date.now();
    const r = await runWorkbook(["lab", "grade", "--bundle", bundle, ...files, "--out", out, "--jobs", "2", "--require-sandbox", "--timeout", "900"]);
    const wallS = (Date.now() - started) / 1000;
    console.log(`09 full mode, 2 submissions, --jobs 2: ${wallS.toFixed(0)} s wall`);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, "grades.csv"), "utf8")).toBe(
      ["student,mlp-model,eval-fn,train-loop,score,max_score,status,flags", "solution,2,2,3,7,7,completed,", "hostile,0,0,0,0,7,completed,", ""].join("\n"),
    );
    const hostile = readJson<{ tests: Array<{ id: string; error: string | null }>; flag_codes: string[] }>(path.join(out, "students", "hostile.json"));
    expect(hostile.flag_codes).toEqual([]);
    expect(hostile.tests.map((t) => t.error === null)).toEqual([false, false, false]);
    // no hidden test text in either feedback
    const bundleJson = JSON.parse(fs.readFileSync(bundle, "utf8")) as { tests: Array<{ source: string; visible_source: string; hidden: boolean }> };
    const hiddenLines = bundleJson.tests
      .filter((t) => t.hidden)
      .flatMap((t) => t.source.split("\n").filter((l) => !t.visible_source.includes(l)))
      .map((l) => l.trim())
      .filter((l) => l.length > 30 && !l.startsWith("//"));
    expect(hiddenLines.length).toBeGreaterThan(0);
    for (const name of ["solution", "hostile"]) {
      const fb = fs.readFileSync(path.join(out, "feedback", `${name}.ipynb`), "utf8");
      for (const l of hiddenLines) expect(fb, `${name}'s feedback`).not.toContain(JSON.stringify(l).slice(1, -1));
    }
  }, 1_500_000);
});
