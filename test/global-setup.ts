// Notebook and kernel tests run the BUILT library (kernel-lib/dist) inside tslab. Rebuild it once, before any
// test starts, when a source is newer than the build, so a stale dist never makes a notebook fail mysteriously.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const LIB = path.join(ROOT, "kernel-lib");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const built = path.join(LIB, "dist", "index.js");
  const sources = Math.max(newestMtime(path.join(LIB, "src")), newestMtime(path.join(LIB, "wasm")));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  process.stderr.write("kernel-lib/dist is older than its sources: rebuilding before the tests\n");
  execFileSync("npm", ["run", "build", "-w", "kernel-lib"], { cwd: ROOT, stdio: "inherit" });
  // tsc leaves unchanged outputs untouched; mark the build as fresh.
  fs.utimesSync(built, new Date(), new Date());
}
