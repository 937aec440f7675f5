import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { copyNb, DOUBLED, fillBlank, insertAfter, LAB_FIXTURES, Nb, readNb, RELU, setSource, solved, text, writeNb } from "./lab-helpers";
import { ensureWorkbookBuilt, readJson, ROOT, runWorkbook, startWorkbook, streamText, tempDir, waitFor } from "./runner-helpers";

// Submissions written as a hostile student would (issue 13), each graded next to an honest twin: none earns
// points it did not, the hidden tests never reach the feedback, and the class file is present and right.
const SOURCE = path.join(LAB_FIXTURES, "mini-lab.ipynb");
const HIDDEN = ["relu(0) !== 0", "if (relu(-2) !== 0) throw new Error(`relu(-2)"];
const WRONG_DOUBLED = "const doubled = torch.ones([size]);";
let student: Nb;
let bundleFile: string;

interface Result {
  score: number;
  status: string;
  tests: Array<{ id: string; points: number; passed: boolean; status: string; error: string | null }>;
  flags: string[];
  flag_codes: string[];
}

beforeAll(async () => {
  ensureWorkbookBuilt();
  const gen = tempDir("lab-hostile-gen-");
  const r = await runWorkbook(["lab", "generate", SOURCE, "--out", gen]);
  expect(r.code, r.stderr).toBe(0);
  student = readNb(path.join(gen, "student", "mini-lab.ipynb"));
  bundleFile = path.join(gen, "bundle", "mini-lab.bundle.json");
});

const blank = () => copyNb(student);
const wrongBoth = () => fillBlank(fillBlank(blank(), "blank1", WRONG_DOUBLED), "blank2", "const y = x;");

function sha(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

describe("workbook lab grade: hostile submissions", () => {
  it("given cells, extra cells, frozen built-ins, sandboxed files and processes, withheld messages", async () => {
    const subs = tempDir("lab-hostile-subs-");
    const out = tempDir("lab-hostile-out-");
    const tslabJs = path.join(ROOT, "node_modules", "tslab", "dist", "jupyter.js");
    const tslabBefore = sha(tslabJs);
    const files: string[] = [];
    const add = (name: string, nb: Nb) => files.push(writeNb(subs, `${name}.ipynb`, nb));
    // honest twin: wrong answers, nothing else
    add("twin", wrongBoth());
    // a given cell (the lab's setup, like 09's check() helper) edited so that the test's check passes anyway
    add("given", setSource(wrongBoth(), "setup", 'import { torch } from "kernel-lib";\ntorch.manualSeed(0);\nArray.prototype.some = () => false;'));
    // the untouched blank copy plus an extra cell that reaches into tslab to make every cell report ok
    add("extra", insertAfter(blank(), "setup", "const c = (globalThis as any).__tslab__?.require?.cache ?? require.cache;\nfor (const k of Object.keys(c)) if (k.includes('tslab')) Object.assign(c[k].exports, { ok: true });", "hack"));
    // inside a solution region: replace built-ins the checks use, and record what the grader sends
    add("builtins", fillBlank(fillBlank(blank(), "blank1", `Array.prototype.some = () => false;\nMath.abs = () => 0;\n${WRONG_DOUBLED}`), "blank2", "const y = x;"));
    add("json", fillBlank(fillBlank(blank(), "blank1", `const seen: string[] = [];\nconst parse = JSON.parse;\nJSON.parse = (s: string) => (seen.push(s), parse(s));\n${DOUBLED}`), "blank2", RELU));
    // inside a region: look for the bundle and the grader's command line, patch tslab, leave a process behind
    const snoop = [
      "const fs = require('fs');",
      `for (const f of [${JSON.stringify(bundleFile)}, '/proc/' + process.ppid + '/cmdline', '/proc/1/cmdline']) { try { console.log(f, fs.readFileSync(f, 'utf8')); } catch (e) { console.log(f, (e as any).code); } }`,
      `try { fs.appendFileSync(${JSON.stringify(tslabJs)}, '\\n// patched'); console.log('PATCHED'); } catch (e) { console.log('patch', (e as any).code); }`,
      `require('child_process').spawn('setsid', ['sh', '-c', 'sleep 3; echo hacked,5,5,5,5,completed, >> ${path.join(out, "grades.csv")}'], { detached: true, stdio: 'ignore' }).unref();`,
      DOUBLED,
    ].join("\n");
    add("snoop", fillBlank(fillBlank(blank(), "blank1", snoop), "blank2", "const y = x;"));
    // a relu that throws what it would like to leak: the message is not one of the test's own
    add("leak", fillBlank(fillBlank(blank(), "blank1", DOUBLED), "blank2", 'throw new Error("if (relu(-2) !== 0) leaked");\nconst y = x;'));
    // prints far past the output limit
    add("flood", fillBlank(fillBlank(blank(), "blank1", `for (let i = 0; i < 300000; i++) console.log("row " + i);\n${DOUBLED}`), "blank2", RELU));
    // and the next student, the untouched blank copy, is graded after all of them
    add("zed", blank());

    const r = await runWorkbook(["lab", "grade", "--bundle", bundleFile, ...files, "--out", out, "--timeout", "60", "--jobs", "2", "--require-sandbox"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("UNSANDBOXED");
    await new Promise((res) => setTimeout(res, 4000)); // longer than the detached shell would wait
    expect(fs.readFileSync(path.join(out, "grades.csv"), "utf8")).toBe(
      [
        "student,doubled,relu,score,max_score,status,flags",
        "twin,0,0,0,5,completed,",
        "given,0,0,0,5,completed,edited:setup",
        "extra,0,0,0,5,completed,extra:hack",
        "builtins,0,0,0,5,completed,",
        "json,2,3,5,5,completed,",
        "snoop,0,0,0,5,completed,", // its blank fails: require("child_process") is refused while grading
        "leak,2,0,2,5,completed,",
        "flood,2,3,5,5,completed,",
        "zed,0,0,0,5,completed,",
        "",
      ].join("\n"),
    );
    const json = (name: string) => readJson<Result>(path.join(out, "students", `${name}.json`));
    expect(json("given").flags).toContain("cell setup: a given cell was edited; the handed-out version was run (only the blanks are graded)");
    expect(json("extra").flags).toContain("1 code cell added to the notebook did not run (only the blanks are graded): hack");
    expect(json("leak").tests[1].error).toBe("a hidden check failed (its message is withheld: it did not come from the test)");
    expect(sha(tslabJs)).toBe(tslabBefore);
    const feedback = (name: string) => fs.readFileSync(path.join(out, "feedback", `${name}.ipynb`), "utf8");
    for (const name of ["twin", "given", "extra", "builtins", "json", "snoop", "leak", "flood", "zed"]) {
      for (const h of HIDDEN) expect(feedback(name), `${name}'s feedback`).not.toContain(h.replace(/"/g, '\\"'));
    }
    // leak's own blank holds the word; what the grader reports about the test does not
    const leakFb = readNb(path.join(out, "feedback", "leak.ipynb"));
    expect(text(leakFb.cells[0].source)).not.toContain("leaked");
    const snooped = JSON.stringify(readNb(path.join(out, "feedback", "snoop.ipynb")).cells.find((c) => c.id === "blank1")!.outputs);
    expect(snooped).toContain("mini-lab.bundle.json ENOENT");
    expect(snooped).toContain("patch EROFS");
    const snoopCell = readNb(path.join(out, "feedback", "snoop.ipynb")).cells.find((c) => c.id === "blank1")!;
    expect(streamText(snoopCell)).not.toContain("PATCHED"); // (its traceback quotes the line that would print it)
    expect(snooped).not.toContain(path.basename(subs)); // no submission path on any command line it can see
    expect(snooped).toContain("bwrap");
    expect(snooped).toContain('require(\\"child_process\\") is refused while grading');
    const flood = readNb(path.join(out, "feedback", "flood.ipynb")).cells.find((c) => c.id === "blank1")!;
    expect(JSON.stringify(flood.outputs)).toMatch(/output truncated: this cell printed more than 2,000,000 characters/);
    // the frozen Array.prototype.some kept its real behaviour: the check saw the wrong tensor
    expect(json("builtins").tests[0].error).toBe("Error: doubled should be 4 twos, got [1,1,1,1]");
  }, 600_000);
});

describe("workbook lab grade: no result lost", () => {
  it("a result path that is a folder, two files for one student and an invalid file stop nothing", async () => {
    const subs = tempDir("lab-hostile-names-");
    const out = tempDir("lab-hostile-names-out-");
    fs.mkdirSync(path.join(out, "students", "bob.json"), { recursive: true });
    const a1 = writeNb(subs, "alice.ipynb", solved(student));
    fs.mkdirSync(path.join(subs, "alice"));
    const a2 = writeNb(path.join(subs, "alice"), "mini-lab.ipynb", wrongBoth());
    const bob = writeNb(subs, "bob.ipynb", solved(student));
    const bad = path.join(subs, "carl.ipynb");
    fs.writeFileSync(bad, "[1, 2");
    const r = await runWorkbook(["lab", "grade", "--bundle", bundleFile, a1, a2, bob, bad, "--out", out, "--timeout", "60", "--jobs", "2"]);
    expect(r.code).toBe(1); // carl is invalid
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(path.join(out, "grades.csv"), "utf8")).toBe(
      ["student,doubled,relu,score,max_score,status,flags", "alice,2,3,5,5,completed,", "alice-2,0,0,0,5,completed,", "bob,2,3,5,5,completed,", "carl,0,0,0,5,invalid,", ""].join("\n"),
    );
    expect(readJson<Result>(path.join(out, "students", "alice-2.json")).flags).toContain('name clash: another submission is also student "alice"; this one is graded as "alice-2"');
    expect(r.stderr).toMatch(/bob: cannot write .*bob\.json: a folder is in the way/);
  }, 300_000);

  it("a SIGKILLed grader leaves the CSV of who finished; --resume grades only the rest", async () => {
    const subs = tempDir("lab-hostile-kill-");
    const out = tempDir("lab-hostile-kill-out-");
    // ben's first blank loops forever: the grader is killed while it runs
    const files = ["ann", "ben", "cat"].map((n) => writeNb(subs, `${n}.ipynb`, n === "ben" ? fillBlank(fillBlank(blank(), "blank1", "while (true) {}"), "blank2", RELU) : solved(student)));
    const run = startWorkbook(["lab", "grade", "--bundle", bundleFile, ...files, "--out", out, "--timeout", "900", "--jobs", "1"]);
    await waitFor("ann's result", () => fs.existsSync(path.join(out, "students", "ann.json")), 120_000);
    await waitFor("ben started", () => run.output().stderr.includes("ben: grading"), 60_000);
    run.child.kill("SIGKILL");
    await run.done;
    const csv = fs.readFileSync(path.join(out, "grades.csv"), "utf8");
    expect(csv).toContain("ann,2,3,5,5,completed,\n");
    expect(csv).toContain("ben,0,0,0,5,aborted,\n");
    // resume grades ben (now with a short cell limit) and cat only
    const again = await runWorkbook(["lab", "grade", "--bundle", bundleFile, ...files, "--out", out, "--timeout", "5", "--resume"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("ann: kept from the earlier run (5/5, completed)");
    expect(again.stderr).not.toContain("ann: grading");
    expect(fs.readFileSync(path.join(out, "grades.csv"), "utf8")).toBe(
      ["student,doubled,relu,score,max_score,status,flags", "ann,2,3,5,5,completed,", "ben,0,3,3,5,completed,", "cat,2,3,5,5,completed,", ""].join("\n"),
    );
  }, 400_000);
});
