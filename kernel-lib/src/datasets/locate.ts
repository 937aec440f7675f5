import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DatasetSource, rawName, sourceFile } from "./sources";

/** A folder that may hold a dataset's files, with where that folder came from (for messages). */
export interface Candidate {
  dir: string;
  origin: string;
}

export interface SplitFiles {
  images: string;
  labels: string;
  dir: string;
}

/** Sub-folders of a data root that are searched: the root itself, our layout and torchvision's. */
function layouts(root: string, source: DatasetSource): string[] {
  const torchvisionName = source.name.replace("-", "");
  return [root, path.join(root, source.folder), path.join(root, torchvisionName, "raw")];
}

/** The kernel-lib package folder (src/datasets or dist/datasets sits two levels below it). */
function kernelLibDir(): string {
  return path.resolve(__dirname, "..", "..");
}

/** The project's datasets/ folder when kernel-lib runs from the project checkout, else null. */
export function projectDatasetsDir(): string | null {
  const dir = path.join(kernelLibDir(), "..", "datasets");
  return fs.existsSync(path.join(dir, "README.md")) ? dir : null;
}

/** The project cache for a dataset: datasets/cache/<folder> in the project (gitignored). */
export function projectCacheDir(source: DatasetSource): string | null {
  const dir = projectDatasetsDir();
  return dir === null ? null : path.join(dir, "cache", source.folder);
}

/** The per-user cache: $XDG_CACHE_HOME/kernel-lib/<folder>, by default ~/.cache/kernel-lib/<folder>. */
export function userCacheDir(source: DatasetSource): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "kernel-lib", source.folder);
}

/** Debian's package folder (dataset-fashion-mnist installs /usr/share/datasets/fashion-mnist). */
export function systemDir(source: DatasetSource): string {
  return path.join("/usr/share/datasets", source.folder);
}

/** The search order: root option, $KERNEL_LIB_DATA, project cache, user cache, Debian's folder. */
export function candidateFolders(source: DatasetSource, root?: string): Candidate[] {
  const out: Candidate[] = [];
  if (root !== undefined) for (const dir of layouts(path.resolve(root), source)) out.push({ dir, origin: "root option" });
  const env = process.env.KERNEL_LIB_DATA;
  if (env) for (const dir of layouts(path.resolve(env), source)) out.push({ dir, origin: "$KERNEL_LIB_DATA" });
  const project = projectCacheDir(source);
  if (project !== null) out.push({ dir: project, origin: "project cache" });
  out.push({ dir: userCacheDir(source), origin: "user cache" });
  out.push({ dir: systemDir(source), origin: "system package" });
  return out;
}

/** The file in `dir` for a canonical name, compressed or not, or null. */
export function existingFile(dir: string, name: string): string | null {
  for (const candidate of [name, rawName(name)]) {
    const p = path.join(dir, candidate);
    try {
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // absent or unreadable: not a candidate
    }
  }
  return null;
}

/** The first folder holding both files of the split, or null. */
export function findSplit(source: DatasetSource, split: "train" | "test", folders: Candidate[]): SplitFiles | null {
  const imagesName = sourceFile(source, split, "images").name;
  const labelsName = sourceFile(source, split, "labels").name;
  for (const { dir } of folders) {
    const images = existingFile(dir, imagesName);
    const labels = existingFile(dir, labelsName);
    if (images !== null && labels !== null) return { images, labels, dir };
  }
  return null;
}

/**
 * Makes sure `dir` exists and a file can be created in it. Returns null when it can, else the reason.
 * (Permission bits do not stop root, so this really creates and removes a probe file.)
 */
export function writableReason(dir: string): string | null {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, "");
    fs.rmSync(probe, { force: true });
    return null;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return `${err.code ?? "error"}: ${err.message}`;
  }
}
