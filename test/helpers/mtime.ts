import * as fs from "fs";
import * as path from "path";

/** The newest modification time of the files below `dir` (optionally only those `accept` keeps). */
export function newestMtime(dir: string, accept: (file: string) => boolean = () => true): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full, accept));
    else if (accept(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}
