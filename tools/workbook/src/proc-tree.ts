import * as fs from "fs";

/** Linux /proc: each process's parent, read from /proc/PID/stat (empty elsewhere). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ")"
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      out.set(Number(e), ppid);
    } catch {
      // gone
    }
  }
  return out;
}

/** The process and all its descendants still attached to it (Linux; just [pid] elsewhere). */
export function processTree(pid: number): number[] {
  const parent = parents();
  if (parent.size === 0) return [pid];
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [p, pp] of parent) if (pp === tree[i]) tree.push(p);
  return tree;
}

/** Resident memory of a process and its descendants in MB (Linux), undefined where /proc cannot tell. */
export function treeResidentMb(pid: number): number | undefined {
  let kb = 0;
  let seen = false;
  for (const p of processTree(pid)) {
    try {
      const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"));
      if (m) {
        kb += Number(m[1]);
        seen = true;
      }
    } catch {
      // gone
    }
  }
  return seen ? Math.round(kb / 1024) : undefined;
}

/** The deepest descendant of pid whose argv[0] is `command` (the kernel inside a sandbox launcher). */
export function findDescendant(pid: number, command: string): number | undefined {
  const tree = processTree(pid);
  for (let i = tree.length - 1; i >= 0; i--) {
    try {
      const argv0 = fs.readFileSync(`/proc/${tree[i]}/cmdline`, "utf8").split("\0")[0];
      if (argv0 === command) return tree[i];
    } catch {
      // gone
    }
  }
  return undefined;
}
