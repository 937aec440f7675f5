import * as fs from "fs";
import { treeResidentMb } from "../proc-tree";

/**
 * Watches the resident memory of a kernel and the processes it started (Linux /proc; inside a sandbox, pid is
 * the launcher) and kills its process group when their sum exceeds the limit.
 * A V8 heap limit alone is not enough: tensors live in ArrayBuffers outside the heap. Returns a stop
 * function; does nothing where /proc is unavailable.
 */
export function guardMemory(pid: number, limitMb: number, onExceeded: (usedMb: number) => void, intervalMs = 200): () => void {
  const statusFile = `/proc/${pid}/status`;
  if (!(limitMb > 0) || !fs.existsSync(statusFile)) return () => undefined;
  const timer = setInterval(() => {
    const used = treeResidentMb(pid);
    if (used === undefined || used <= limitMb) return;
    clearInterval(timer);
    onExceeded(used);
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
