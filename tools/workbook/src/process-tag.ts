import * as fs from "fs";

/**
 * Each kernel's environment carries WORKBOOK_KERNEL_TAG=<uuid>, which every process it starts inherits, also one
 * that detached itself (setsid, double fork) and so left the kernel's process group. On Linux, stopping the
 * kernel kills every process whose environment has its tag. A process that clears its own environment escapes
 * this; the grader's sandbox (a PID namespace) catches those too.
 */
export const TAG_VARIABLE = "WORKBOOK_KERNEL_TAG";

/** Pids of the processes (other than this one) whose environment holds TAG_VARIABLE=tag; [] off Linux. */
export function taggedProcesses(tag: string): number[] {
  if (process.platform !== "linux") return [];
  const needle = Buffer.from(`\0${TAG_VARIABLE}=${tag}\0`);
  const first = Buffer.from(`${TAG_VARIABLE}=${tag}\0`);
  const found: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let env: Buffer;
    try {
      env = fs.readFileSync(`/proc/${entry}/environ`);
    } catch {
      continue; // gone, or another user's
    }
    if (env.includes(needle) || env.subarray(0, first.length).equals(first)) found.push(Number(entry));
  }
  return found;
}

/** SIGKILLs every process carrying the tag; returns how many were signalled. */
export function killTagged(tag: string): number {
  let n = 0;
  for (const pid of taggedProcesses(tag)) {
    try {
      process.kill(pid, "SIGKILL");
      n++;
    } catch {
      // already gone
    }
  }
  return n;
}

/** The same scan as source text, for the watchdog process (kernel-watchdog.ts), which has no TypeScript. */
export const KILL_TAGGED_SOURCE = `function killTagged(tag) {
  if (process.platform !== "linux" || !tag) return;
  const fs = require("fs");
  const needle = Buffer.from("\\0${TAG_VARIABLE}=" + tag + "\\0"), first = Buffer.from("${TAG_VARIABLE}=" + tag + "\\0");
  let entries = [];
  try { entries = fs.readdirSync("/proc"); } catch {}
  for (const e of entries) {
    if (!/^\\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const env = fs.readFileSync("/proc/" + e + "/environ");
      if (env.includes(needle) || env.subarray(0, first.length).equals(first)) process.kill(Number(e), "SIGKILL");
    } catch {}
  }
}
`;
