import { spawn } from "child_process";
import { KILL_TAGGED_SOURCE } from "./process-tag";

/**
 * A tiny watcher process per kernel: if the runner disappears without shutting its kernel down (killed
 * with SIGKILL, crashed), the watcher kills the kernel's process group and removes its connection folder.
 * A separate process because a
 * kernel busy in a cell (`while (true) {}`) cannot run a timer of its own.
 */
const SOURCE = `"use strict";
const runner = Number(process.argv[1]), kernel = Number(process.argv[2]), dir = process.argv[3], tag = process.argv[4];
${KILL_TAGGED_SOURCE}
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === "EPERM"; } };
process.on("SIGINT", () => {});
setInterval(() => {
  if (process.ppid !== runner) {
    try { process.kill(-kernel, "SIGKILL"); } catch { try { process.kill(kernel, "SIGKILL"); } catch {} }
    killTagged(tag);
    try { require("fs").rmSync(dir, { recursive: true, force: true }); } catch {}
    process.exit(0);
  }
  if (!alive(kernel)) { killTagged(tag); process.exit(0); }
}, 500);
`;

/** Starts the watcher for one kernel (POSIX only); it exits by itself when the kernel does. */
export function watchKernel(kernelPid: number, connectionDir: string, tag: string): void {
  if (process.platform === "win32") return;
  const watcher = spawn(process.execPath, ["-e", SOURCE, String(process.pid), String(kernelPid), connectionDir, tag], { stdio: "ignore" });
  watcher.on("error", () => undefined);
  watcher.unref();
}
