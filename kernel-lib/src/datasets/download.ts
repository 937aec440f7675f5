import type { ProgressEvent, ProgressReporter } from "./progress";

/** One file to fetch: where from, where to, and the checksums that make it acceptable. */
export interface DownloadJob {
  url: string;
  /** final path; the file appears there only after it is complete and verified */
  dest: string;
  /** name shown in progress and errors */
  file: string;
  /** SHA-256 (hex) of the file as served; any one of them accepts the file */
  sha256: string[];
  /**
   * SHA-256 of the decompressed content, so a mirror that recompressed the same data (Debian strips the gzip
   * header's file name) is accepted too. Optional.
   */
  contentSha256?: string;
  /** idle time after which the transfer is abandoned (default 30 s) */
  timeoutMs?: number;
}

/**
 * Downloads `job.url` to a temporary file next to `job.dest`, checks its length and SHA-256, then renames
 * it into place; on any failure the temporary file is removed and the promise rejects with the reason.
 *
 * Self-contained on purpose (it only `require`s Node built-ins inside its body): the blocking variant runs
 * this very function's source in a child process.
 */
export async function downloadVerified(job: DownloadJob, report: (event: ProgressEvent) => void): Promise<void> {
  const fs: typeof import("node:fs") = require("node:fs");
  const path: typeof import("node:path") = require("node:path");
  const crypto: typeof import("node:crypto") = require("node:crypto");
  const zlib: typeof import("node:zlib") = require("node:zlib");
  const http: typeof import("node:http") = require("node:http");
  const https: typeof import("node:https") = require("node:https");
  const timeoutMs = job.timeoutMs ?? 30_000;
  const tmp = path.join(path.dirname(job.dest), `.${path.basename(job.dest)}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.part`);

  const fetchTo = (url: string, redirectsLeft: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const lib = url.startsWith("https:") ? https : url.startsWith("http:") ? http : null;
      if (lib === null) {
        reject(new Error(`unsupported URL ${url} (only http and https)`));
        return;
      }
      let activeFail: ((err: Error) => void) | null = null;
      const req = lib.get(url, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          if (redirectsLeft <= 0) reject(new Error(`too many redirects at ${url}`));
          else fetchTo(new URL(res.headers.location, url).toString(), redirectsLeft - 1).then(resolve, reject);
          return;
        }
        if (status !== 200) {
          res.resume();
          reject(new Error(`HTTP ${status} ${res.statusMessage ?? ""} from ${url}`.trim()));
          return;
        }
        const lengthHeader = res.headers["content-length"];
        const total = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
        report({ kind: "start", file: job.file, url, totalBytes: total });
        const out = fs.createWriteStream(tmp, { flags: "wx" });
        const hash = crypto.createHash("sha256");
        let received = 0;
        let lastReport = 0;
        let settled = false;
        const fail = (err: Error): void => {
          if (settled) return;
          settled = true;
          req.destroy();
          // reject only once the file is closed, so the caller's cleanup cannot race a pending open
          if (out.closed) reject(err);
          else {
            out.once("close", () => reject(err));
            out.destroy();
          }
        };
        activeFail = fail;
        out.on("error", (e: NodeJS.ErrnoException) => fail(new Error(`cannot write ${tmp}: ${e.code ?? e.message}`)));
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          hash.update(chunk);
          if (!out.write(chunk)) {
            res.pause();
            out.once("drain", () => res.resume());
          }
          const now = Date.now();
          if (now - lastReport > 200) {
            lastReport = now;
            report({ kind: "progress", file: job.file, receivedBytes: received, totalBytes: total });
          }
        });
        res.on("aborted", () => fail(new Error(`the connection closed after ${received} bytes${total !== null ? ` of ${total}` : ""}`)));
        res.on("error", (e: Error) => fail(new Error(`the transfer failed after ${received} bytes: ${e.message}`)));
        res.on("end", () => {
          if (settled) return;
          if (!res.complete) {
            fail(new Error(`the connection closed after ${received} bytes${total !== null ? ` of ${total}` : ""}`));
            return;
          }
          if (total !== null && received !== total) {
            fail(new Error(`received ${received} bytes but the server announced ${total}`));
            return;
          }
          report({ kind: "progress", file: job.file, receivedBytes: received, totalBytes: total });
          out.end(() => {
            if (settled) return;
            const digest = hash.digest("hex");
            if (!job.sha256.map((h) => h.toLowerCase()).includes(digest)) {
              let contentOk = false;
              if (job.contentSha256) {
                try {
                  let bytes: Uint8Array = fs.readFileSync(tmp);
                  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes);
                  contentOk = crypto.createHash("sha256").update(bytes).digest("hex") === job.contentSha256.toLowerCase();
                } catch {
                  contentOk = false;
                }
              }
              if (!contentOk) {
                fail(new Error(`checksum mismatch: SHA-256 of the ${received} bytes received is ${digest}, expected ${job.sha256.join(" or ")}`));
                return;
              }
            }
            settled = true;
            resolve();
          });
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no data for ${timeoutMs / 1000} s`)));
      req.on("error", (e: NodeJS.ErrnoException) => {
        const err = new Error(`request to ${url} failed: ${e.code ? `${e.code} ` : ""}${e.message}`);
        if (activeFail) activeFail(err);
        else reject(err);
      });
    });

  try {
    await fetchTo(job.url, 5);
    fs.renameSync(tmp, job.dest);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // the temporary file could not be removed; the error below still reports the failure
    }
    const message = (e as Error).message;
    report({ kind: "error", file: job.file, message });
    throw new Error(`${job.file} from ${job.url}: ${message}`);
  }
  report({ kind: "done", file: job.file, receivedBytes: fs.statSync(job.dest).size, path: job.dest });
}

/** Downloads the jobs one after another, reporting to `reporter`. */
export async function downloadAll(jobs: DownloadJob[], reporter: ProgressReporter): Promise<void> {
  for (const job of jobs) await downloadVerified(job, reporter);
}
