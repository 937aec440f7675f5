import { spawnSync } from "node:child_process";
import { DownloadJob, downloadVerified } from "./download";
import type { ProgressEvent } from "./progress";

/**
 * Blocking download for synchronous constructors (`new FashionMNIST()`): runs `downloadVerified` in a child
 * Node process and waits for it. Progress goes to this process's stderr; errors come back as the same
 * messages the asynchronous path gives.
 */
export function downloadAllSync(jobs: DownloadJob[]): void {
  const script = [
    `const downloadVerified = ${downloadVerified.toString()};`,
    `const report = (${childStderrReporter.toString()})();`,
    "(async () => { for (const job of JSON.parse(process.argv[1])) await downloadVerified(job, report); })()",
    "  .then(() => process.exit(0), (e) => { process.stdout.write(JSON.stringify({ error: e.message })); process.exit(1); });",
  ].join("\n");
  const result = spawnSync(process.execPath, ["-e", script, JSON.stringify(jobs)], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (result.error) throw new Error(`download: could not start a Node process for the download (${result.error.message})`);
  if (result.status === 0) return;
  let message = `the download process exited with status ${result.status ?? result.signal}`;
  try {
    const parsed = JSON.parse(result.stdout) as { error?: string };
    if (parsed.error) message = parsed.error;
  } catch {
    // no structured error: keep the exit status
  }
  throw new Error(message);
}

/** Self-contained (it runs in the child): one line per file start/finish and a coarse progress count. */
function childStderrReporter(): (event: ProgressEvent) => void {
  let lastDecile = -1;
  const mib = (n: number): string => (n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`);
  return (ev: ProgressEvent) => {
    if (ev.kind === "start") {
      lastDecile = -1;
      process.stderr.write(`Downloading ${ev.url}${ev.totalBytes !== null ? ` (${mib(ev.totalBytes)})` : ""}\n`);
    } else if (ev.kind === "progress" && ev.totalBytes) {
      const decile = Math.floor((10 * ev.receivedBytes) / ev.totalBytes);
      if (decile > lastDecile) {
        lastDecile = decile;
        process.stderr.write(`  ${ev.file}: ${decile * 10}% of ${mib(ev.totalBytes)}\n`);
      }
    } else if (ev.kind === "done") {
      process.stderr.write(`  ${ev.file}: verified, saved to ${ev.path}\n`);
    }
  };
}
