import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { encodeIdx } from "../kernel-lib/src/datasets/idx";
import type { DatasetSource } from "../kernel-lib/src/datasets/sources";

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kl-${prefix}-`));
}

/** Pixel k of image i in the tiny splits: pseudo-random so that the files do not compress to nothing. */
export function tinyPixel(i: number, k: number): number {
  return (Math.imul(i * 1000 + k + 1, 2654435761) >>> 24) & 0xff;
}

/** A small IDX split: n images of rows x cols with pixel (i, k) = tinyPixel(i, k) and label i mod 10. */
export function tinySplit(n: number, rows = 4, cols = 3): { images: Uint8Array; labels: Uint8Array } {
  const pixels = new Uint8Array(n * rows * cols);
  for (let i = 0; i < n; i++) for (let k = 0; k < rows * cols; k++) pixels[i * rows * cols + k] = tinyPixel(i, k);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) labels[i] = i % 10;
  return { images: encodeIdx([n, rows, cols], pixels), labels: encodeIdx([n], labels) };
}

export interface TinyDataset {
  source: DatasetSource;
  /** the gzip file served for each canonical name */
  files: Map<string, Uint8Array>;
  raw: Map<string, Uint8Array>;
}

/** A four-file dataset in the Fashion-MNIST layout with checksums of its own (train 6, test 4 images). */
export function tinyDataset(folder = `tiny-${process.pid}-${Math.random().toString(36).slice(2, 8)}`): TinyDataset {
  const train = tinySplit(6, 8, 8);
  const test = tinySplit(4, 8, 8);
  const raw = new Map<string, Uint8Array>([
    ["train-images-idx3-ubyte.gz", train.images],
    ["train-labels-idx1-ubyte.gz", train.labels],
    ["t10k-images-idx3-ubyte.gz", test.images],
    ["t10k-labels-idx1-ubyte.gz", test.labels],
  ]);
  const files = new Map<string, Uint8Array>();
  for (const [name, bytes] of raw) files.set(name, zlib.gzipSync(bytes, { level: 9 }));
  const spec = (name: string, split: "train" | "test", kind: "images" | "labels") => ({
    name,
    split,
    kind,
    sha256: sha256(files.get(name) as Uint8Array),
    contentSha256: sha256(raw.get(name) as Uint8Array),
  });
  return {
    source: {
      name: "TinyFashion",
      folder,
      baseUrl: "http://127.0.0.1:9/unused/",
      files: [
        spec("train-images-idx3-ubyte.gz", "train", "images"),
        spec("train-labels-idx1-ubyte.gz", "train", "labels"),
        spec("t10k-images-idx3-ubyte.gz", "test", "images"),
        spec("t10k-labels-idx1-ubyte.gz", "test", "labels"),
      ],
      classes: ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"],
    },
    files,
    raw,
  };
}

/** Every entry in dir (recursively), for "nothing was left behind" checks. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String).sort();
}
