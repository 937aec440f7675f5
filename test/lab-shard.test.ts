import * as fs from "fs";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseShard, shardFiles } from "../tools/workbook/src/lab/shard";
import { copyNb, LAB_FIXTURES, Nb, readNb, solved, writeNb } from "./lab-helpers";
import { ensureWorkbookBuilt, runWorkbook, tempDir } from "./runner-helpers";

describe("lab grade --shard", () => {
  it("slices deterministically: disjoint, covering, whatever the order given", () => {
    const files = Array.from({ length: 7 }, (_, i) => `/subs/s${i}.ipynb`);
    const shards = [1, 2, 3].map((k) => shardFiles(files, { index: k, count: 3 }));
    expect(shards.flat().sort()).toEqual([...files].sort());
    expect(new Set(shards.flat()).size).toBe(7);
    expect(shardFiles([...files].reverse(), { index: 2, count: 3 })).toEqual(shards[1]);
    expect(() => parseShard("0/3")).toThrow('--shard must be K/N with 1 <= K <= N, got "0/3"');
    expect(() => parseShard("4/3")).toThrow(/--shard must be K\/N/);
  });
});

describe("workbook lab merge", () => {
  let student: Nb;
  let bundleFile: string;
  beforeAll(async () => {
    ensureWorkbookBuilt();
    const gen = tempDir("lab-shard-gen-");
    const r = await runWorkbook(["lab", "generate", path.join(LAB_FIXTURES, "mini-lab.ipynb"), "--out", gen]);
    expect(r.code, r.stderr).toBe(0);
    student = readNb(path.join(gen, "student", "mini-lab.ipynb"));
    bundleFile = path.join(gen, "bundle", "mini-lab.bundle.json");
  });

  it("two shards graded apart make one class CSV and feedback set; overlapping shards are refused", async () => {
    const subs = tempDir("lab-shard-subs-");
    writeNb(subs, "amy.ipynb", solved(student));
    writeNb(subs, "bo.ipynb", copyNb(student));
    const outs = [tempDir("lab-shard-1-"), tempDir("lab-shard-2-")];
    const runs = await Promise.all([1, 2].map((k) => runWorkbook(["lab", "grade", "--bundle", bundleFile, subs, "--shard", `${k}/2`, "--out", outs[k - 1], "--timeout", "60", "--jobs", "1"])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs[0].stderr).toContain("shard 1/2: 1 of 2 submission(s)");
    const all = tempDir("lab-shard-all-");
    const m = await runWorkbook(["lab", "merge", "--bundle", bundleFile, "--out", all, ...outs]);
    expect(m.code, m.stderr).toBe(0);
    expect(fs.readFileSync(path.join(all, "grades.csv"), "utf8")).toBe(["student,doubled,relu,score,max_score,status,flags", "amy,2,3,5,5,completed,", "bo,0,0,0,5,completed,", ""].join("\n"));
    expect(fs.readdirSync(path.join(all, "feedback")).sort()).toEqual(["amy.ipynb", "bo.ipynb"]);
    expect(fs.readdirSync(path.join(all, "students")).sort()).toEqual(["amy.json", "bo.json"]);
    const twice = await runWorkbook(["lab", "merge", "--bundle", bundleFile, "--out", tempDir("lab-shard-bad-"), outs[0], outs[0]]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/merge: student "amy" is in both .* the shards overlap/);
  }, 300_000);
});
