import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { FORGED_MESSAGE, gradeNotebook } from "../tools/workbook/src/lab/grade";
import { readBundle } from "../tools/workbook/src/lab/grade-files";
import { hardenedKernelArgv } from "../tools/workbook/src/lab/harden";
import type { Notebook } from "../tools/workbook/src/notebook-types";
import { copyNb, fillBlank, LAB_FIXTURES, Nb, readNb, RELU, solved, writeNb } from "./lab-helpers";
import { ensureWorkbookBuilt, readJson, runWorkbook, tempDir } from "./runner-helpers";

// Results the student cannot forge (issue 13): code in a blank runs in the kernel that runs the tests, so it
// tries to reach the kernel's internals (to make test cells reply "ok") and to replace kernel-lib's functions
// and classes the checks use. Each hostile submission is graded next to an honest twin in the same run.
const MINI = path.join(LAB_FIXTURES, "mini-lab.ipynb");
const COMPARE = path.join(LAB_FIXTURES, "compare-lab.ipynb");
const HIDDEN = ["relu(0) !== 0", "if (relu(-2) !== 0) throw new Error(`relu(-2)", "torch.tensor([1, 4, 9])", "torch.tensor([1, -2, 3])"];
const WRONG_DOUBLED = "const doubled = torch.ones([size]);";

interface Result {
  score: number;
  status: string;
  tests: Array<{ id: string; points: number; passed: boolean; status: string; error: string | null }>;
  flags: string[];
  flag_codes: string[];
}

const labs: Record<string, { student: Nb; bundle: string }> = {};

beforeAll(async () => {
  ensureWorkbookBuilt();
  for (const src of [MINI, COMPARE]) {
    const name = path.basename(src, ".ipynb");
    const gen = tempDir("lab-forge-gen-");
    const r = await runWorkbook(["lab", "generate", src, "--out", gen]);
    expect(r.code, r.stderr).toBe(0);
    labs[name] = { student: readNb(path.join(gen, "student", `${name}.ipynb`)), bundle: path.join(gen, "bundle", `${name}.bundle.json`) };
  }
});

/** A blank's code that tries each way in and prints what happened (nothing may say WORKED). */
function attempts(tries: Record<string, string>): string {
  return [
    "const tried: string[] = [];",
    "const attempt = (what: string, f: () => unknown) => { try { f(); tried.push(what + ': WORKED'); } catch (e) { tried.push(what + ': ' + (e as Error).message); } };",
    ...Object.entries(tries).map(([what, code]) => `attempt(${JSON.stringify(what)}, () => { ${code} });`),
    "console.log('attempts:\\n' + tried.join('\\n'));",
  ].join("\n");
}

// Through tslab's modules (require, require.cache, __tslab__, process.mainModule), Node's internals and the
// kernel's own Worker: each would let the blank make every later cell reply "ok".
const INTERNALS = attempts({
  "require tslab": `const ex = require("tslab/dist/executor"); ex.createExecutor = () => ({ execute: async () => true });`,
  "require.cache": `const c = (globalThis as any).__tslab__.require.cache; for (const k of Object.keys(c)) Object.assign(c[k].exports, { ok: true });`,
  "__tslab__": `(globalThis as any).__tslab__ = { exports: {}, require, mine: 1 }; if (!(globalThis as any).__tslab__.mine) throw new Error("no effect");`,
  mainModule: `(process as any).mainModule.require("vm");`,
  "process.binding": `(process as any).binding("spawn_sync");`,
  getBuiltinModule: `(process as any).getBuiltinModule("vm");`,
  "active handles": `for (const h of (process as any)._getActiveHandles()) if (h && typeof h.postMessage === "function") h.on("message", () => undefined);`,
  "EventEmitter.prototype": `const fake = () => true; Object.getPrototypeOf(Object.getPrototypeOf(process)).emit = fake; if ((process as any).emit !== fake) throw new Error("no effect");`,
  "MessagePort.prototype": `const P = (globalThis as any).MessagePort.prototype; const fake = () => undefined; P.postMessage = fake; if (P.postMessage !== fake) throw new Error("no effect");`,
  "Object.prototype setter": `Object.defineProperty(Object.prototype, "text", { set() {} });`,
});
// The verdict reporter is reachable (a test cell calls it); a guessed nonce is just not any test's.
const GUESS = `(({}).constructor as any).__workbookVerdict__("0123456789abcdef0123456789abcdef");`;

// The modules that reach past the kernel (vm, inspector, ...), the process's own memory, the caller's source.
const MODULES = attempts({
  vm: `require("vm").runInThisContext("1");`,
  inspector: `new (require("inspector").Session)().connect();`,
  worker_threads: `require("worker_threads");`,
  v8: `require("v8");`,
  child_process: `require("child_process");`,
  module: `require("module");`,
  "node:vm": `require("node:vm");`,
  "/proc/self/mem": `require("fs").readFileSync("/proc/self/mem");`,
  "/proc/self/environ": `require("fs").readFileSync("/proc/self/environ");`,
  "/proc/<pid>/mem": `require("fs").readFileSync("/proc/" + process.pid + "/mem");`,
  "/dev/fd": `require("fs").readdirSync("/dev/fd");`,
  "SIGUSR1": `process.kill(process.pid, "SIGUSR1");`,
});
// relu is right only when it can read the test cell that calls it (its hidden part) through relu.caller
const CALLER = `const seen = (() => { try { return String((relu as any).caller); } catch (e) { return String(e); } })();\nconst y = seen.includes("relu(-2)") ? Math.max(0, x) : -1;`;

describe("workbook lab grade: forged results", () => {
  it("tslab internals, vm/inspector, replaced Tensor.prototype methods and torch functions earn nothing", async () => {
    const subs = tempDir("lab-forge-subs-");
    const out = tempDir("lab-forge-out-");
    const mini = labs["mini-lab"];
    const compare = labs["compare-lab"];
    const files: string[] = [];
    const add = (name: string, nb: Nb) => files.push(writeNb(subs, `${name}.ipynb`, nb));
    const wrongMini = (first: string) => fillBlank(fillBlank(copyNb(mini.student), "blank1", `${first}\n${WRONG_DOUBLED}`), "blank2", "const y = x;");
    add("twin", wrongMini("// honest, wrong"));
    add("internals", wrongMini(`${INTERNALS}\n${GUESS}`));
    add("modules", wrongMini(MODULES));
    // Tensor.prototype.tolist replaced (the check reads doubled.tolist()), on the prototype and on the Proxy above it
    add("tensor", wrongMini(attempts({
      "Tensor.prototype.tolist": `Object.getPrototypeOf(torch.ones([1])).tolist = () => [2, 2, 2, 2]; if ((torch.ones([1]).tolist() as number[])[0] !== 2) throw new Error("no effect");`,
      "defineProperty": `Object.defineProperty(torch.Tensor.prototype, "tolist", { value: () => [2, 2, 2, 2] });`,
      "item-access Proxy": `Object.defineProperty(Object.getPrototypeOf(torch.Tensor.prototype), "tolist", { value: () => [2, 2, 2, 2] });`,
    })));
    add("caller", fillBlank(fillBlank(copyNb(mini.student), "blank1", WRONG_DOUBLED), "blank2", CALLER));
    add("solved", solved(mini.student));
    const r = await runWorkbook(["lab", "grade", "--bundle", mini.bundle, ...files, "--out", out, "--timeout", "60", "--jobs", "2", "--require-sandbox"]);
    expect(r.code, r.stderr).toBe(0);

    // the compare lab: its hidden test compares with torch.sub and Tensor.abs/max
    const subs2 = tempDir("lab-forge-subs2-");
    const out2 = tempDir("lab-forge-out2-");
    const sq = (name: string, body: string) => writeNb(subs2, `${name}.ipynb`, fillBlank(copyNb(compare.student), "blank-square", body));
    const files2 = [
      // wrong, but right for the visible [3] -> [9]; the hidden check (torch.sub, abs, max) sees it
      sq("twin", "return t.mul(3);"),
      // the torch namespace function the check compares with (as torch.allclose would be) and a Tensor method it uses
      sq("namespace", `${attempts({ "torch.sub": `(torch as any).sub = () => torch.zeros([3]);`, "Object.assign(torch)": `Object.assign(torch, { sub: () => torch.zeros([3]) });`, "Tensor.prototype.max": `(torch.Tensor.prototype as any).max = () => torch.tensor([0]);` })}\nreturn t.mul(3);`),
      sq("solved", "return t.mul(t);"),
    ];
    const r2 = await runWorkbook(["lab", "grade", "--bundle", compare.bundle, ...files2, "--out", out2, "--timeout", "60", "--jobs", "2", "--require-sandbox"]);
    expect(r2.code, r2.stderr).toBe(0);

    expect(fs.readFileSync(path.join(out, "grades.csv"), "utf8")).toBe(
      [
        "student,doubled,relu,score,max_score,status,flags",
        "twin,0,0,0,5,completed,",
        "internals,0,0,0,5,completed,",
        "modules,0,0,0,5,completed,",
        "tensor,0,0,0,5,completed,",
        "caller,0,0,0,5,completed,",
        "solved,2,3,5,5,completed,",
        "",
      ].join("\n"),
    );
    expect(fs.readFileSync(path.join(out2, "grades.csv"), "utf8")).toBe(
      ["student,square,score,max_score,status,flags", "twin,0,0,4,completed,", "namespace,0,0,4,completed,", "solved,4,4,4,completed,", ""].join("\n"),
    );
    const json = (dir: string, name: string) => readJson<Result>(path.join(dir, "students", `${name}.json`));
    // the real checks ran, on the real tensors
    for (const name of ["twin", "internals", "modules", "tensor", "caller"]) expect(json(out, name).tests[0].error, name).toBe("Error: doubled should be 4 twos, got [1,1,1,1]");
    // torch.sub, Tensor.abs and Tensor.max were kernel-lib's own: the hidden check measured the real difference
    for (const name of ["twin", "namespace"]) expect(json(out2, name).tests[0].error, name).toBe("Error: square is off by 10");

    const blankOutput = (dir: string, name: string, id: string) => JSON.stringify(readNb(path.join(dir, "feedback", `${name}.ipynb`)).cells.find((c) => c.id === id)!.outputs);
    const internals = blankOutput(out, "internals", "blank1");
    const modules = blankOutput(out, "modules", "blank1");
    const tensor = blankOutput(out, "tensor", "blank1");
    for (const [name, o] of [["internals", internals], ["modules", modules], ["tensor", tensor]]) {
      expect(o, name).toContain("attempts:");
      expect(o, name).not.toContain("WORKED");
    }
    expect(internals).toContain('require tslab: require(\\"tslab/dist/executor\\") is refused while grading');
    expect(internals).toContain("process.binding: process.binding is not available while grading");
    expect(internals).toContain("active handles: process._getActiveHandles is not available while grading");
    // (this blank names the verdict reporter, so its cell runs strict, like a test cell: a TypeError, not "no effect")
    expect(internals).toMatch(/EventEmitter.prototype: (no effect|Cannot assign to read only property 'emit')/);
    expect(internals).toMatch(/__tslab__: (no effect|Cannot assign to read only property '__tslab__')/);
    expect(modules).toContain('vm: require(\\"vm\\") is refused while grading');
    expect(modules).toContain('inspector: require(\\"inspector\\") is refused while grading');
    expect(modules).toContain("/proc/self/mem: EACCES");
    expect(tensor).toContain("Tensor.prototype.tolist: no effect"); // a sloppy cell's assignment to a frozen property is ignored
    expect(tensor).toContain("defineProperty: Cannot redefine property: tolist");

    for (const [dir, names] of [[out, ["twin", "internals", "modules", "tensor", "caller", "solved"]], [out2, ["twin", "namespace", "solved"]]] as const) {
      for (const name of names) {
        const fb = fs.readFileSync(path.join(dir, "feedback", `${name}.ipynb`), "utf8");
        for (const h of HIDDEN) expect(fb, `${name}'s feedback`).not.toContain(h.replace(/"/g, '\\"'));
        // the grader's verdict statements never show in a test cell (internals' own blank calls the reporter itself)
        const tests = (JSON.parse(fb) as Nb).cells.filter((c) => c.metadata.lab);
        expect(tests.length).toBeGreaterThan(0);
        expect(JSON.stringify(tests), `${name}'s tests`).not.toContain("__workbookVerdict__");
      }
    }
  }, 600_000);

  it("a reply of ok without the test's verdict record scores 0 and is flagged forged", async () => {
    // The kernel replies as usual but its verdict records go to /dev/null (test/fixtures/labs/lost-verdicts.cjs):
    // to the grader this is exactly a kernel made to reply "ok" for tests that did not run to their end.
    const lost = path.join(LAB_FIXTURES, "lost-verdicts.cjs");
    const bundle = readBundle(labs["mini-lab"].bundle);
    const argv = (file: string) => {
      const a = hardenedKernelArgv(file);
      return [a[0], "--require", lost, ...a.slice(1)];
    };
    const good = solved(labs["mini-lab"].student) as unknown as Notebook;
    const [forged, honest] = await Promise.all([
      gradeNotebook(bundle, good, "forged", "forged.ipynb", { argv, cellTimeoutMs: 60_000 }),
      gradeNotebook(bundle, good, "honest", "honest.ipynb", { cellTimeoutMs: 60_000 }),
    ]);
    expect(honest.result.score).toBe(5);
    expect(honest.result.flag_codes).toEqual([]);
    expect(forged.runs.filter((r) => r.status === "ok").length).toBe(forged.runs.length); // every reply said ok
    expect(forged.result.score).toBe(0);
    expect(forged.result.tests.map((t) => [t.id, t.passed, t.error])).toEqual([
      ["doubled", false, FORGED_MESSAGE],
      ["relu", false, FORGED_MESSAGE],
    ]);
    expect(forged.result.flag_codes).toEqual(["forged:doubled", "forged:relu"]);
    expect(forged.result.flags).toContain("test relu: the kernel reported it as passed, but the test's own completion record never arrived (the reply was forged, or the test did not run to its end); scored 0");
  }, 300_000);
});
