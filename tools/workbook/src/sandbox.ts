import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "./paths";

/**
 * A bubblewrap (bwrap) sandbox for one kernel: the whole file system read-only, a private /tmp, the kernel's
 * scratch and connection folders writable, chosen paths hidden, no network, its own PID namespace (no
 * process of it outlives the sandbox; /proc shows only its own processes) and a new session.
 */
export interface SandboxSpec {
  /** Folders the kernel may write (its scratch folder). The connection folder is added by the kernel. */
  writable: string[];
  /** Files and folders the kernel must not see (the bundle, other submissions, the grader's output). */
  hidden: string[];
}

export type SandboxState = { ok: true; bwrap: string } | { ok: false; reason: string };

let cached: SandboxState | undefined;

/** Whether bwrap exists here and can create the namespaces we use (checked once per process). */
export function sandboxState(): SandboxState {
  if (cached) return cached;
  if (process.platform !== "linux") return (cached = { ok: false, reason: `bubblewrap sandboxes need Linux (this is ${process.platform})` });
  const bwrap = process.env.WORKBOOK_BWRAP || "bwrap";
  const probe = spawnSync(bwrap, [...baseArgs(), "--", "true"], { encoding: "utf8", timeout: 20_000 });
  if (probe.error) return (cached = { ok: false, reason: `${bwrap} not found (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}); install Debian's bubblewrap` });
  if (probe.status !== 0) return (cached = { ok: false, reason: `${bwrap} cannot create its namespaces here: ${(probe.stderr || "").trim().split("\n")[0] || `exit ${probe.status}`}` });
  return (cached = { ok: true, bwrap });
}

function baseArgs(): string[] {
  return [
    "--ro-bind", "/", "/",
    "--dev", "/dev",
    "--proc", "/proc",
    "--tmpfs", "/tmp",
    "--unshare-pid",
    "--unshare-net",
    "--unshare-ipc",
    "--unshare-uts",
    "--die-with-parent",
    "--new-session",
  ];
}

/**
 * How to run argv inside the sandbox: the command line (`bwrap --args 3 -- ARGV`) and bwrap's options, to be
 * written NUL-separated to the child's fd 3, so that the paths it hides do not show in /proc/1/cmdline.
 */
export function sandboxCommand(bwrap: string, argv: string[], spec: SandboxSpec, cwd: string): { argv: string[]; options: string } {
  const args = baseArgs();
  // The private /tmp must not hide what the kernel runs: a project (or Node) installed under /tmp, as a CI
  // clone may be, is bound back read-only before anything is hidden or made writable on top of it.
  for (const p of visibleUnderTmp()) args.push("--ro-bind", p, p);
  for (const h of spec.hidden) {
    const p = path.resolve(h);
    let isDir = false;
    try {
      isDir = fs.statSync(p).isDirectory();
    } catch {
      continue; // nothing to hide
    }
    // An empty folder, or /dev/null, mounted over it.
    args.push(...(isDir ? ["--tmpfs", p] : ["--ro-bind", "/dev/null", p]));
  }
  for (const w of spec.writable) args.push("--bind", path.resolve(w), path.resolve(w));
  args.push("--chdir", path.resolve(cwd));
  return { argv: [bwrap, "--args", "3", "--", ...argv], options: args.map((a) => a + "\0").join("") };
}

/** The project root and Node's own folder, where they lie under /tmp (which the sandbox replaces). */
export function visibleUnderTmp(): string[] {
  const tmp = path.resolve("/tmp") + path.sep;
  const needed = [fs.realpathSync(PROJECT_ROOT), path.dirname(fs.realpathSync(process.execPath))];
  return [...new Set(needed)].filter((p) => (p + path.sep).startsWith(tmp));
}

/** For tests only: forget the cached probe (e.g. after changing WORKBOOK_BWRAP). */
export function resetSandboxProbe(): void {
  cached = undefined;
}
