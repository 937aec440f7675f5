// Shared by the runner, kernel spec and nbconvert tests (not a test file itself).
import { execFileSync, spawn, SpawnOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { newestMtime } from "./helpers/mtime";

export const ROOT = path.resolve(__dirname, "..");
export const WORKBOOK = path.join(ROOT, "tools", "workbook", "bin", "workbook.js");
export const FIXTURES = path.join(ROOT, "test", "fixtures", "notebooks");
export const NOTEBOOKS = path.join(ROOT, "notebooks");

/** One row of `workbook run --report FILE`. */
export interface ReportRow {
  file: string;
  status: string;
  message?: string;
  cellsOk: number;
  cellsTotal: number;
  elapsedMs: number;
}

/** The lecture notebooks' file names, sorted. */
export function notebookFiles(): string[] {
  return fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();
}

const SRC = path.join(ROOT, "tools", "workbook", "src");
const DIST = path.join(ROOT, "tools", "workbook", "dist");


/** The CLI tests run the built command: rebuild it when a source file is newer (one builder at a time). */
export function ensureWorkbookBuilt(): void {
  const built = path.join(DIST, "cli.js");
  const fresh = () => fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestMtime(SRC);
  if (fresh()) return;
  const lock = path.join(os.tmpdir(), `workbook-build-${Buffer.from(ROOT).toString("hex").slice(-32)}.lock`);
  for (let i = 0; i < 600; i++) {
    try {
      fs.mkdirSync(lock);
    } catch {
      execFileSync("sleep", ["0.2"]);
      continue;
    }
    try {
      if (!fresh()) {
        execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tools", "workbook", "tsconfig.json")], { stdio: "inherit" });
        fs.utimesSync(built, new Date(), new Date());
      }
      return;
    } finally {
      fs.rmdirSync(lock);
    }
  }
  throw new Error("ensureWorkbookBuilt: timed out waiting for another build");
}

export interface Completed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `workbook ARGS` and returns the child and a promise of its completion. */
export function startWorkbook(args: string[], options: SpawnOptions = {}) {
  const child = spawn(process.execPath, [WORKBOOK, ...args], { cwd: ROOT, ...options, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (b) => (stdout += b));
  child.stderr!.on("data", (b) => (stderr += b));
  const done = new Promise<Completed>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, output: () => ({ stdout, stderr }) };
}

export function runWorkbook(args: string[], options: SpawnOptions = {}): Promise<Completed> {
  return startWorkbook(args, options).done;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`waitFor: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const made: string[] = [];

/** A fresh temporary folder, removed by cleanupTempDirs (call it in the test file's afterAll). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** The text of a cell's stream outputs of one kind. */
export function streamText(cell: { outputs?: Array<Record<string, unknown>> }, name: "stdout" | "stderr" = "stdout"): string {
  return (cell.outputs ?? [])
    .filter((o) => o.output_type === "stream" && o.name === name)
    .map((o) => (Array.isArray(o.text) ? o.text.join("") : String(o.text)))
    .join("");
}

/** An .ipynb as read back in tests: every cell seen with the code-cell fields (absent ones undefined). */
export interface LooseCell {
  cell_type: string;
  metadata: { tags?: string[] };
  source: string | string[];
  outputs: Array<Record<string, unknown>>;
  execution_count: number | null;
}
export interface LooseNotebook {
  cells: LooseCell[];
  metadata: Record<string, unknown>;
}
