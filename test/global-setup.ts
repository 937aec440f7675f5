// Notebook and kernel tests run the BUILT library (kernel-lib/dist) inside tslab. Rebuild it once, before any
// test starts, when a source is newer than the build, so a stale dist never makes a notebook fail mysteriously.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { newestMtime } from "./helpers/mtime";

const ROOT = path.resolve(__dirname, "..");
const LIB = path.join(ROOT, "kernel-lib");

export default function setup(): void {
  const built = path.join(LIB, "dist", "index.js");
  const isSource = (f: string) => f.endsWith(".ts");
  const sources = Math.max(newestMtime(path.join(LIB, "src"), isSource), newestMtime(path.join(LIB, "wasm"), isSource));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  process.stderr.write("kernel-lib/dist is older than its sources: rebuilding before the tests\n");
  execFileSync("npm", ["run", "build", "-w", "kernel-lib"], { cwd: ROOT, stdio: "inherit" });
  // tsc leaves unchanged outputs untouched; mark the build as fresh.
  fs.utimesSync(built, new Date(), new Date());
}
