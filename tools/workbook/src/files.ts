import * as fs from "fs";
import * as path from "path";

/** A result file or folder that cannot be written; the message is one line naming the path and the reason. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputError";
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EISDIR") return "a folder is in the way";
  if (code === "ENOTDIR") return "a file is in the way of a folder on the path";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EROFS") return "read-only file system";
  if (code === "ENOSPC") return "no space left on the device";
  return code ?? (e as Error).message;
}

/**
 * Creates a folder and its missing parents, one level at a time. Unlike fs.mkdirSync(..., {recursive: true}),
 * which loops forever under /proc (it keeps retrying ENOENT), this fails at once with one clear line.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw new OutputError(`cannot create folder ${dir}: ${reason(e)} (at ${d})`);
    }
    if (st) {
      if (!st.isDirectory()) throw new OutputError(`cannot create folder ${dir}: ${d} is a file, not a folder`);
      break;
    }
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && fs.statSync(d).isDirectory()) continue;
      throw new OutputError(`cannot create folder ${dir}: ${reason(e)} (at ${d})`);
    }
  }
}

/** Checks that files can be created in a folder (creating it first), so a run does not find out at its end. */
export function checkWritableDir(dir: string): void {
  makeDirs(dir);
  const probe = path.join(dir, `.workbook-probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    fs.writeFileSync(probe, "");
    fs.rmSync(probe, { force: true });
  } catch (e) {
    throw new OutputError(`cannot write in folder ${dir}: ${reason(e)}`);
  }
}

/**
 * Writes a file through a temporary file in the same folder and a rename, so that a reader (or a run killed
 * half way) sees the old content or the new, never a torn file. Throws OutputError (one line) on failure.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    fs.writeFileSync(temp, data, { mode, flag: "wx" });
    fs.renameSync(temp, file);
  } catch (e) {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // nothing to clean up
    }
    throw new OutputError(`cannot write ${file}: ${reason(e)}`);
  }
}

/** Copies a file through a temporary file and a rename (see writeFileAtomic). */
export function copyFileAtomic(from: string, to: string): void {
  writeFileAtomic(to, fs.readFileSync(from));
}
