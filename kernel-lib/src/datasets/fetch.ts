import * as path from "node:path";
import { DownloadJob, downloadAll } from "./download";
import { downloadAllSync } from "./download-sync";
import { Candidate, SplitFiles, candidateFolders, existingFile, findSplit, projectCacheDir, userCacheDir, writableReason } from "./locate";
import { ProgressReporter, getProgressReporter } from "./progress";
import { DatasetSource } from "./sources";

export interface FetchOptions {
  /** a folder searched first, and where a download goes when given */
  root?: string;
  /** fetch missing files from `baseUrl` (default true) */
  download?: boolean;
  /** where the files are downloaded from (default: the dataset's canonical URL) */
  baseUrl?: string;
  /** progress display for the asynchronous path (default: the one set with setProgressReporter) */
  reporter?: ProgressReporter;
  /** idle time in ms after which a transfer is abandoned */
  timeoutMs?: number;
}

/** The split's files, downloading them (blocking) when they are nowhere on this machine. */
export function ensureSplitSync(source: DatasetSource, split: "train" | "test", opts: FetchOptions = {}): SplitFiles {
  const found = findSplit(source, split, candidateFolders(source, opts.root));
  if (found !== null) return found;
  const plan = planDownload(source, split, opts);
  try {
    downloadAllSync(plan.jobs);
  } catch (e) {
    throw new Error(downloadFailure(source, plan, (e as Error).message));
  }
  return afterDownload(source, split, plan);
}

/** The split's files, downloading them when they are nowhere on this machine. */
export async function ensureSplit(source: DatasetSource, split: "train" | "test", opts: FetchOptions = {}): Promise<SplitFiles> {
  const found = findSplit(source, split, candidateFolders(source, opts.root));
  if (found !== null) return found;
  const plan = planDownload(source, split, opts);
  try {
    await downloadAll(plan.jobs, opts.reporter ?? getProgressReporter());
  } catch (e) {
    throw new Error(downloadFailure(source, plan, (e as Error).message));
  }
  return afterDownload(source, split, plan);
}

/** Both splits; returns the folder holding the training files. */
export async function ensureDataset(source: DatasetSource, opts: FetchOptions = {}): Promise<string> {
  const train = await ensureSplit(source, "train", opts);
  await ensureSplit(source, "test", opts);
  return train.dir;
}

interface DownloadPlan {
  dir: string;
  jobs: DownloadJob[];
  searched: Candidate[];
  baseUrl: string;
}

function planDownload(source: DatasetSource, split: "train" | "test", opts: FetchOptions): DownloadPlan {
  const searched = candidateFolders(source, opts.root);
  const baseUrl = opts.baseUrl ?? process.env.KERNEL_LIB_FASHION_MNIST_URL ?? source.baseUrl;
  const where = searched.map((c) => `  ${c.dir} (${c.origin})`).join("\n");
  if (opts.download === false || baseUrl === undefined) {
    const how = baseUrl === undefined ? "" : `\nPass { download: true } to fetch them from ${baseUrl}, or place`;
    throw new Error(
      `${source.name}: the ${split} files (${source.files.filter((f) => f.split === split).map((f) => f.name).join(", ")}) were not found in:\n${where}` +
        `${how || "\nPlace"} the files (compressed or not) in one of these folders, or pass { root } naming the folder that holds them.`,
    );
  }
  const targets = downloadTargets(source, opts.root);
  const refused: string[] = [];
  for (const dir of targets) {
    const reason = writableReason(dir);
    if (reason === null) {
      const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
      const jobs = source.files
        .filter((f) => existingFile(dir, f.name) === null)
        .map((f) => ({
          url: base + f.name,
          dest: path.join(dir, f.name),
          file: f.name,
          sha256: [f.sha256],
          contentSha256: f.contentSha256,
          timeoutMs: opts.timeoutMs,
        }));
      return { dir, jobs, searched, baseUrl: base };
    }
    refused.push(`  ${dir}: ${reason}`);
  }
  throw new Error(
    `${source.name}: the files are not on this machine and there is no writable folder to download them to:\n${refused.join("\n")}\n` +
      `Pass { root } naming a writable folder or set KERNEL_LIB_DATA, or place the files by hand (${source.files.map((f) => f.name).join(", ")}) in one of:\n${where}`,
  );
}

/** root if given (an explicit choice), else $KERNEL_LIB_DATA, else the project cache then the user cache. */
function downloadTargets(source: DatasetSource, root: string | undefined): string[] {
  if (root !== undefined) return [path.resolve(root)];
  const env = process.env.KERNEL_LIB_DATA;
  if (env) return [path.join(path.resolve(env), source.folder)];
  const project = projectCacheDir(source);
  return project === null ? [userCacheDir(source)] : [project, userCacheDir(source)];
}

function downloadFailure(source: DatasetSource, plan: DownloadPlan, reason: string): string {
  return (
    `${source.name}: download failed: ${reason}\n` +
    `Nothing was saved (files are written under a temporary name and kept only once their SHA-256 matches).\n` +
    `To place the files by hand, download ${source.files.map((f) => plan.baseUrl + f.name).join(" ")}\n` +
    `and put them in ${plan.dir}` +
    (source.folder === "fashion-mnist" ? ` (on Debian/Ubuntu, apt-get install dataset-fashion-mnist provides them too).` : ".")
  );
}

function afterDownload(source: DatasetSource, split: "train" | "test", plan: DownloadPlan): SplitFiles {
  const found = findSplit(source, split, [{ dir: plan.dir, origin: "download" }]);
  if (found === null) throw new Error(`${source.name}: the download to ${plan.dir} finished but the ${split} files are not there`);
  return found;
}
