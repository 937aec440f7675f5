import * as fs from "fs";
import * as path from "path";
import { copyFileAtomic, makeDirs, writeFileAtomic } from "../files";
import type { Bundle } from "./format";
import { LabError } from "./format";
import type { StudentResult } from "./grade";
import { gradesCsv } from "./report";

/** `--shard K/N`: K in 1..N. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new LabError(`--shard must be K/N with 1 <= K <= N, got "${text}"`);
  return { index, count };
}

/**
 * The submissions of one shard: every file sorted by its resolved path, the K-th of each N (round robin), so
 * that N machines given the same list grade disjoint slices that together cover it, whatever order the shell
 * listed the files in.
 */
export function shardFiles(files: string[], shard: Shard): string[] {
  const sorted = [...new Set(files.map((f) => path.resolve(f)))].sort();
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}

/**
 * `workbook lab merge`: combines the output folders of shards into one: every students/NAME.json and
 * feedback/NAME.ipynb, and a grades.csv over all of them (sorted by student). A student found in two
 * shards is an error (the shards overlapped); a shard that is missing or unfinished shows up as fewer rows.
 */
export function mergeShards(bundle: Bundle, shardDirs: string[], outDir: string): { students: number; csv: string } {
  const out = path.resolve(outDir);
  makeDirs(path.join(out, "students"));
  makeDirs(path.join(out, "feedback"));
  const results = new Map<string, { result: StudentResult; from: string }>();
  for (const dir of shardDirs) {
    const studentsDir = path.join(dir, "students");
    let names: string[];
    try {
      names = fs.readdirSync(studentsDir).filter((f) => f.endsWith(".json"));
    } catch (e) {
      throw new LabError(`merge: ${studentsDir}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)}); is ${dir} a grading output folder?`);
    }
    for (const f of names) {
      const file = path.join(studentsDir, f);
      let r: StudentResult;
      try {
        r = JSON.parse(fs.readFileSync(file, "utf8")) as StudentResult;
      } catch (e) {
        throw new LabError(`merge: ${file}: not a student result (${(e as Error).message})`);
      }
      if (r.lab !== bundle.lab) throw new LabError(`merge: ${file} is a result of lab "${r.lab}", not "${bundle.lab}"`);
      const seen = results.get(r.student);
      if (seen) throw new LabError(`merge: student "${r.student}" is in both ${seen.from} and ${dir}; the shards overlap`);
      results.set(r.student, { result: r, from: dir });
      if (path.resolve(dir) !== out) {
        writeFileAtomic(path.join(out, "students", f), fs.readFileSync(file));
        const fb = path.join(dir, "feedback", `${r.student}.ipynb`);
        if (fs.existsSync(fb)) copyFileAtomic(fb, path.join(out, "feedback", `${r.student}.ipynb`));
      }
    }
  }
  const all = [...results.values()].map((x) => x.result).sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
  const csv = path.join(out, "grades.csv");
  writeFileAtomic(csv, gradesCsv(bundle, all));
  return { students: all.length, csv };
}
