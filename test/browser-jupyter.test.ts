// The notebook as a student sees it: the classic Notebook and JupyterLab in headless Chromium, with our kernel.
// One server per front end; a cell trains with an Animator and prints while it runs, a cell fails, and an
// executed notebook's nbconvert HTML is opened with the network blocked. Screenshots go to .out/browser/.
//
// Needs Debian's chromium and jupyter-notebook, JupyterLab (BROWSER_JUPYTERLAB=path of jupyter-lab, else
// jupyter-lab on PATH; .ci/jupyterlab-venv.sh builds one) and jupyter nbconvert. Without them the tests skip
// with the reason; REQUIRE_BROWSER=1 (set by .ci/run) makes a missing tool a failure.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { chromiumWorks, CHROMIUM, codeNotebook, freePort, JupyterServer, launchChromium, startJupyterServer, which } from "./helpers/browser";
import { cleanupTempDirs, ensureWorkbookBuilt, ROOT, runWorkbook, tempDir } from "./runner-helpers";

const required = process.env.REQUIRE_BROWSER === "1";

// The page-side functions below run in Chromium. The project compiles without the DOM library, so the few DOM
// shapes they use are declared here, in this module only.
interface PageElement {
  readonly innerText: string;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getBoundingClientRect(): { width: number; height: number };
  /** plotly's graph div keeps its traces here */
  readonly data?: { x?: unknown[] }[];
}
declare const document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };
const SHOTS = path.join(ROOT, ".out", "browser");
const EPOCHS = 6;

/**
 * A small regression trained by SGD in one synchronous loop. After epoch 1 the loop holds the kernel busy until
 * the test, having seen epoch 1's line and the drawn plot in the page, creates `seenFile` (at most 60 s), and
 * prints whether that happened while it waited. So "shown while running" is cause and effect, not a timing.
 */
const trainCell = (seenFile: string) => `import { torch, d2l } from "kernel-lib";
import * as fs from "fs";
torch.manualSeed(0);
const X = torch.randn([256, 2]);
const y = X.matmul(torch.tensor([[2], [-3.4]])).add(4.2);
const net = new torch.nn.Linear(2, 1);
const lossFn = new torch.nn.MSELoss();
const opt = new torch.optim.SGD(net.parameters(), { lr: 0.1 });
const animator = new d2l.Animator({ xlabel: "epoch", xlim: [1, ${EPOCHS}], legend: ["train loss"] });
for (let epoch = 1; epoch <= ${EPOCHS}; epoch++) {
  const l = lossFn.forward(net.forward(X), y);
  opt.zeroGrad();
  l.backward();
  opt.step();
  animator.add(epoch, l.item());
  console.log(\`epoch \${epoch} loss \${l.item().toFixed(4)}\`);
  if (epoch === 1) {
    const until = Date.now() + 60000;
    while (!fs.existsSync(${JSON.stringify(seenFile)}) && Date.now() < until) {} // busy: no event loop turn
    console.log(fs.existsSync(${JSON.stringify(seenFile)}) ? "the page showed epoch 1 while the cell ran" : "the page did not show epoch 1 within 60 s");
  }
}
console.log("training done");`;

const ERROR_CELL = `const a = torch.ones([2, 3]);
const b = a.matmul(torch.ones([4, 5]));`;

interface FrontEnd {
  name: string;
  /** The server command, or null with the reason it is missing. */
  find(): { command: string } | { missing: string };
  args(port: number, token: string, root: string): string[];
  url(server: JupyterServer, notebook: string): string;
  cell: string;
  prompt: string;
  output: string;
  /** The element of an error output (as opposed to stderr text). */
  error: string;
  editor: string;
  /** True in the page once the notebook is rendered and its kernel is connected and idle. */
  ready: () => boolean;
}

const CLASSIC: FrontEnd = {
  name: "classic Notebook",
  find: () => {
    const command = which("jupyter-notebook");
    return command ? { command } : { missing: "jupyter-notebook is not installed (apt-get install jupyter-notebook)" };
  },
  args: (port, token, root) => [
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--NotebookApp.token=${token}`,
    `--NotebookApp.notebook_dir=${root}`,
  ],
  url: (s, nb) => `${s.base}notebooks/${nb}?token=${s.token}`,
  cell: ".cell.code_cell",
  prompt: ".input_prompt",
  output: ".output_wrapper",
  error: ".output_error",
  editor: ".input_area",
  ready: () =>
    document.querySelectorAll(".cell.code_cell").length >= 2 && document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null,
};

const LAB: FrontEnd = {
  name: "JupyterLab",
  find: () => {
    const command = which(process.env.BROWSER_JUPYTERLAB || "jupyter-lab");
    return command
      ? { command }
      : { missing: "JupyterLab is not installed (set BROWSER_JUPYTERLAB to a jupyter-lab, e.g. from `bash .ci/jupyterlab-venv.sh`/bin/jupyter-lab)" };
  },
  args: (port, token, root) => [
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--IdentityProvider.token=${token}`,
    `--ServerApp.root_dir=${root}`,
    "--LabApp.news_url=",
  ],
  url: (s, nb) => `${s.base}lab/tree/${nb}?token=${s.token}`,
  cell: ".jp-Notebook .jp-CodeCell",
  prompt: ".jp-InputPrompt",
  output: ".jp-OutputArea",
  error: '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
  editor: ".jp-InputArea-editor",
  // The status bar reads "TypeScript (kernel-lib) | Idle" once the kernel is up.
  ready: () =>
    document.querySelectorAll(".jp-Notebook .jp-CodeCell").length >= 2 &&
    /TypeScript \(kernel-lib\) \| Idle/.test(document.querySelector("#jp-main-statusbar")?.innerText ?? ""),
};

afterAll(cleanupTempDirs);

/** The tool that is missing for `frontEnd`, or null when everything is there. */
function missingTool(frontEnd: FrontEnd): string | null {
  if (!chromiumWorks()) return `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  const found = frontEnd.find();
  return "missing" in found ? found.missing : null;
}

/** What a cell shows right now: its prompt, its output text, and the plotly figures drawn in it. */
interface CellState {
  prompt: string;
  text: string;
  plots: { traces: number; data: number; points: number; width: number; height: number }[];
  errors: string[];
}

async function cellState(page: Page, fe: FrontEnd, index: number): Promise<CellState> {
  return page.evaluate(
    ({ fe, index }) => {
      const cell = document.querySelectorAll(fe.cell)[index];
      if (!cell) return { prompt: "", text: "", plots: [], errors: [] };
      const output = cell.querySelector(fe.output);
      const plots = Array.from(cell.querySelectorAll(".js-plotly-plot")).map((gd) => {
        const box = gd.getBoundingClientRect();
        return {
          traces: gd.querySelectorAll(".trace").length,
          data: gd.data?.length ?? 0,
          points: gd.data?.[0]?.x?.length ?? 0,
          width: box.width,
          height: box.height,
        };
      });
      return {
        prompt: cell.querySelector(fe.prompt)?.innerText ?? "",
        text: output?.innerText ?? "",
        plots,
        errors: Array.from(cell.querySelectorAll(fe.error)).map((e) => e.innerText),
      };
    },
    { fe: { cell: fe.cell, output: fe.output, prompt: fe.prompt, error: fe.error }, index },
  );
}

/** Runs a cell as a student does (click into it, Shift+Enter); waits until its prompt shows it queued or running. */
async function runCell(page: Page, fe: FrontEnd, index: number): Promise<void> {
  const before = (await cellState(page, fe, index)).prompt;
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.locator(fe.cell).nth(index).locator(fe.editor).click();
    await page.keyboard.press("Shift+Enter");
    // A front end still settling its layout can swallow the first key press; the prompt tells.
    for (let i = 0; i < 50; i++) {
      if ((await cellState(page, fe, index)).prompt !== before) return;
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`${fe.name}: Shift+Enter did not start cell ${index} (prompt stays ${JSON.stringify(before)})`);
}

/** Polls the cell until `done` says so, or fails after `timeoutMs` with the last state seen. */
async function watchCell<T>(page: Page, fe: FrontEnd, index: number, done: (s: CellState) => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: CellState | undefined;
  while (Date.now() < deadline) {
    last = await cellState(page, fe, index);
    const result = done(last);
    if (result !== undefined) return result;
    await page.waitForTimeout(100);
  }
  throw new Error(`${fe.name}: cell ${index} did not get there within ${timeoutMs / 1000} s; last seen: ${JSON.stringify(last)}`);
}

const running = (s: CellState) => s.prompt.includes("*");

for (const fe of [CLASSIC, LAB]) {
  describe(`${fe.name} in headless Chromium`, () => {
    const missing = missingTool(fe);
    let server: JupyterServer | undefined;
    let context: BrowserContext | undefined;
    let page: Page | undefined;
    let root: string | undefined;
    let seenFile = "";
    let serverEnv: NodeJS.ProcessEnv = {};

    beforeAll(async () => {
      if (missing) return;
      ensureWorkbookBuilt();
      const home = tempDir("wb-browser-");
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        JUPYTER_DATA_DIR: path.join(home, "data"),
        JUPYTER_RUNTIME_DIR: path.join(home, "runtime"),
        JUPYTER_CONFIG_DIR: path.join(home, "config"),
        JUPYTERLAB_SETTINGS_DIR: path.join(home, "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR: path.join(home, "lab-workspaces"),
      };
      serverEnv = env;
      const install = await runWorkbook(["kernel", "install"], { env });
      if (install.code !== 0) throw new Error(`workbook kernel install failed: ${install.stderr}`);
      // Under the repository, so the kernel resolves "kernel-lib" from its node_modules.
      root = path.join(ROOT, ".out", `browser-notebooks-${process.pid}-${fe === LAB ? "lab" : "classic"}`);
      fs.rmSync(root, { recursive: true, force: true });
      fs.mkdirSync(root, { recursive: true });
      seenFile = path.join(root, "page-saw-epoch-1");
      fs.writeFileSync(path.join(root, "train.ipynb"), codeNotebook([trainCell(seenFile), ERROR_CELL]));
      const port = await freePort();
      const token = `t${Math.random().toString(36).slice(2)}`;
      const found = fe.find() as { command: string };
      // CI runs as root, which both servers refuse without --allow-root.
      const args = [...fe.args(port, token, root), ...(process.getuid?.() === 0 ? ["--allow-root"] : [])];
      server = await startJupyterServer(found.command, args, { port, token, env, cwd: root });
      const base = server.base;
      context = await launchChromium(path.join(home, "chromium"), (url) => url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:"));
      page = context.pages()[0] ?? (await context.newPage());
      await page.goto(fe.url(server, "train.ipynb"));
      await page.waitForFunction(fe.ready, undefined, { timeout: 120_000, polling: 200 });
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${fe === LAB ? "lab" : "classic"}-opened.png`) });
    }, 240_000);

    afterAll(async () => {
      await context?.close();
      await server?.stop();
      if (root) fs.rmSync(root, { recursive: true, force: true });
    }, 60_000);

    const skipIfMissing = (ctx: { skip: (note?: string) => void }) => {
      if (!missing) return;
      if (required) throw new Error(`REQUIRE_BROWSER=1 but ${missing}`);
      ctx.skip(`${missing}; set REQUIRE_BROWSER=1 to make this a failure`);
    };

    it("shows the Animator plot and the printed lines while the training cell still runs, then all of them", async (ctx) => {
      skipIfMissing(ctx);
      const p = page!;
      await runCell(p, fe, 0);
      // Live: epoch 1's line and the drawn plot while the cell holds the kernel (it waits for seenFile).
      const live = await watchCell(
        p,
        fe,
        0,
        (s) => (/epoch 1 loss/.test(s.text) && s.plots.some((g) => g.traces > 0) ? s : undefined),
        120_000,
      );
      fs.mkdirSync(SHOTS, { recursive: true });
      await p.screenshot({ path: path.join(SHOTS, `${fe === LAB ? "lab" : "classic"}-running.png`) });
      expect(running(live), `${fe.name}: ${JSON.stringify(live)}`).toBe(true);
      fs.writeFileSync(seenFile, "");

      const end = await watchCell(p, fe, 0, (s) => (!running(s) && s.text.includes("training done") ? s : undefined), 120_000);
      expect(end.text).toContain("the page showed epoch 1 while the cell ran");
      const lines = end.text.split("\n").filter((l) => /^epoch \d+ loss/.test(l));
      expect(lines.map((l) => Number(/^epoch (\d+)/.exec(l)![1]))).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
      // One figure, drawn by plotly with its trace, all epochs in it, visible on the page.
      const drawn = await watchCell(p, fe, 0, (s) => (s.plots.length === 1 && s.plots[0].points === EPOCHS ? s.plots[0] : undefined), 30_000);
      expect(drawn.data).toBe(1);
      expect(drawn.traces).toBeGreaterThan(0);
      expect(drawn.width).toBeGreaterThan(100);
      expect(drawn.height).toBeGreaterThan(100);
      await p.screenshot({ path: path.join(SHOTS, `${fe === LAB ? "lab" : "classic"}-trained.png`) });
    }, 300_000);

    it("shows a failing cell's error as a clean traceback: the library's message and the student's line", async (ctx) => {
      skipIfMissing(ctx);
      const p = page!;
      await runCell(p, fe, 1);
      const state = await watchCell(p, fe, 1, (s) => (!running(s) && s.text.includes("matmul") ? s : undefined), 120_000);
      await p.screenshot({ path: path.join(SHOTS, `${fe === LAB ? "lab" : "classic"}-error.png`) });
      expect(state.errors.length, `${fe.name}: no error output in ${JSON.stringify(state)}`).toBeGreaterThan(0);
      const traceback = state.errors.join("\n");
      // IPython's shape: the message first, then the cell's line number and the line itself
      expect(traceback.split("\n")[0]).toMatch(/^Error: matmul: cannot multiply \[2,3\] by \[4,5\]/);
      expect(traceback).toMatch(/\bline 2\b/);
      expect(traceback).toContain("const b = a.matmul(torch.ones([4, 5]));");
      for (const internal of ["evalmachine", "kernel-lib/dist", "node:vm", "tslab", "node_modules"]) expect(traceback).not.toContain(internal);
    }, 180_000);

    it("still draws the plot from the saved outputs when the notebook is saved and opened again", async (ctx) => {
      skipIfMissing(ctx);
      const p = page!;
      const file = path.join(root!, "train.ipynb");
      await p.locator(fe.cell).nth(1).locator(fe.editor).click();
      await p.keyboard.press("Control+s");
      const deadline = Date.now() + 60_000;
      while (!fs.readFileSync(file, "utf8").includes("data-kernel-lib-plotly") && Date.now() < deadline) await p.waitForTimeout(200);
      const saved = fs.readFileSync(file, "utf8");
      // The loader is saved once, in the training cell's outputs, ahead of the figure.
      expect(saved.split("data-kernel-lib-plotly").length - 1).toBe(1);
      if (fe === CLASSIC) {
        // Classic Notebook 6 does not sign this notebook on save (it was opened unsigned), so reopened it would be
        // untrusted and show the static SVG; trusting it (`jupyter trust`, here nbformat.sign) is what its user does.
        const trust = spawnSync("/usr/bin/python3", ["-m", "nbformat.sign", file], { env: serverEnv, encoding: "utf8" });
        expect(trust.status, trust.stderr).toBe(0);
      }
      await p.reload();
      await p.waitForFunction(fe.ready, undefined, { timeout: 120_000, polling: 200 });
      const drawn = await watchCell(p, fe, 0, (s) => (s.plots.length === 1 && s.plots[0].traces > 0 ? s.plots[0] : undefined), 60_000);
      expect(drawn.points).toBe(EPOCHS);
      await p.screenshot({ path: path.join(SHOTS, `${fe === LAB ? "lab" : "classic"}-reopened.png`) });
    }, 240_000);
  });
}

describe("nbconvert HTML of an executed notebook, offline", () => {
  it("draws its plots with plotly with every network request blocked", async (ctx) => {
    const missing = chromiumWorks() ? (spawnSync("jupyter", ["nbconvert", "--version"], { stdio: "ignore" }).status === 0 ? null : "jupyter nbconvert is not installed (apt-get install jupyter-nbconvert)") : `Chromium is not installed at ${CHROMIUM}`;
    if (missing) {
      if (required) throw new Error(`REQUIRE_BROWSER=1 but ${missing}`);
      ctx.skip(`${missing}; set REQUIRE_BROWSER=1 to make this a failure`);
    }
    ensureWorkbookBuilt();
    // Under the repository, so the kernel resolves "kernel-lib" from its node_modules.
    const dir = path.join(ROOT, ".out", `browser-html-${process.pid}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const notebook = path.join(dir, "plots.ipynb");
    const plots = `import { d2l } from "kernel-lib";
const x = Array.from({ length: 50 }, (_, i) => i / 5);
d2l.plot(x, [x.map(Math.sin), x.map(Math.cos)], "x", "f(x)", { legend: ["sin", "cos"] });`;
    const animator = `const animator = new d2l.Animator({ xlabel: "epoch", xlim: [1, 5], legend: ["loss"] });
for (let epoch = 1; epoch <= 5; epoch++) animator.add(epoch, 1 / epoch);`;
    fs.writeFileSync(notebook, codeNotebook([plots, animator]));
    const run = await runWorkbook(["run", "--out", path.join(dir, "out"), notebook], { cwd: ROOT });
    expect(run.code, run.stderr).toBe(0);
    const convert = spawnSync("jupyter", ["nbconvert", "--to", "html", "--output-dir", path.join(dir, "html"), path.join(dir, "out", "plots.ipynb")], { encoding: "utf8" });
    expect(convert.status, convert.stderr).toBe(0);
    const html = path.join(dir, "html", "plots.html");

    const blocked: string[] = [];
    const context = await launchChromium(path.join(dir, "chromium"), (url) => {
      if (url.startsWith("file:") || url.startsWith("data:")) return true;
      blocked.push(url);
      return false;
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`file://${html}`);
      await page.waitForFunction(() => document.querySelectorAll(".js-plotly-plot .trace").length >= 3, undefined, { timeout: 60_000 });
      const drawn = await page.evaluate(() =>
        Array.from(document.querySelectorAll(".js-plotly-plot")).map((gd) => gd.data?.length ?? 0),
      );
      expect(drawn).toEqual([2, 1]);
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, "nbconvert-offline.png"), fullPage: true });
    } finally {
      await context.close();
    }
    // plotly.js is in the page once: the loader's script
    expect(fs.readFileSync(html, "utf8").split("data-kernel-lib-plotly").length - 1).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
