import * as fs from "node:fs";
import * as path from "node:path";
import { Dataset, checkIndex } from "../data/dataset";
import { Tensor } from "../tensor/tensor";
import { parseCsv } from "./csv";
import { ImageTransform, TargetTransform, stackItems } from "./idx-dataset";
import { ImageMode, decodePng } from "./png";

export interface CsvImageDatasetOptions {
  /** applied to each image tensor [C,H,W] float32 in 0..1 */
  transform?: ImageTransform;
  targetTransform?: TargetTransform;
  /** "L" (default): grayscale [1,H,W], colour converted; "RGB": [3,H,W] */
  mode?: ImageMode;
  /** column holding the image file name (default "File Name") */
  fileColumn?: string;
  /** column holding the integer class label (default "Class Label") */
  labelColumn?: string;
}

/**
 * A custom image dataset, the lecture's MyDataset: a CSV with columns "File Name" and "Class Label" and the
 * PNG images in `imageDir`. Rows are checked when the dataset is built (labels are integers, images exist);
 * images are decoded when an item is read.
 */
export class CsvImageDataset extends Dataset<[Tensor, number]> {
  readonly csvPath: string;
  readonly imgDir: string;
  readonly imgNames: string[];
  /** the class labels, int32 [N] */
  readonly y: Tensor;
  transform?: ImageTransform;
  targetTransform?: TargetTransform;
  private readonly mode: ImageMode;
  private readonly labels: Int32Array;

  constructor(csvPath: string, imgDir: string, options: CsvImageDatasetOptions = {}) {
    super();
    let text: string;
    try {
      text = fs.readFileSync(csvPath, "utf8");
    } catch (e) {
      throw new Error(`CsvImageDataset: cannot read the CSV file ${csvPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (!isDirectory(imgDir)) throw new Error(`CsvImageDataset: the image folder ${imgDir} does not exist or is not a folder`);
    const table = parseCsv(text, csvPath);
    const fileColumn = options.fileColumn ?? "File Name";
    const labelColumn = options.labelColumn ?? "Class Label";
    const fileIdx = columnIndex(table.header, fileColumn, csvPath);
    const labelIdx = columnIndex(table.header, labelColumn, csvPath);
    this.imgNames = [];
    this.labels = new Int32Array(table.rows.length);
    table.rows.forEach((row, i) => {
      const name = row.fields[fileIdx].trim();
      const labelText = row.fields[labelIdx].trim();
      if (name === "") throw new Error(`${csvPath}:${row.line}: empty "${fileColumn}"`);
      if (!/^-?\d+$/.test(labelText) || Math.abs(Number(labelText)) > 2147483647) {
        throw new Error(`${csvPath}:${row.line}: "${labelColumn}" must be an integer, got ${JSON.stringify(row.fields[labelIdx])}`);
      }
      const imagePath = path.join(imgDir, name);
      if (!fs.existsSync(imagePath)) throw new Error(`${csvPath}:${row.line}: image ${imagePath} does not exist`);
      this.imgNames.push(name);
      this.labels[i] = Number(labelText);
    });
    this.csvPath = csvPath;
    this.imgDir = imgDir;
    this.y = Tensor.fromTypedArray(this.labels, [this.labels.length], "int32");
    this.mode = options.mode ?? "L";
    if (this.mode !== "L" && this.mode !== "RGB") throw new Error(`CsvImageDataset: mode must be "L" or "RGB", got ${JSON.stringify(this.mode)}`);
    this.transform = options.transform;
    this.targetTransform = options.targetTransform;
  }

  get length(): number {
    return this.labels.length;
  }

  getItem(index: number): [Tensor, number] {
    const i = checkIndex("CsvImageDataset.getItem", index, this.length);
    const file = path.join(this.imgDir, this.imgNames[i]);
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      throw new Error(`CsvImageDataset: cannot read image ${file} (row ${i}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const image = decodePng(bytes, file, this.mode);
    let tensor = Tensor.fromTypedArray(image.data, image.shape, "float32");
    if (this.transform) tensor = this.transform(tensor);
    const label = this.labels[i];
    return [tensor, this.targetTransform ? this.targetTransform(label) : label];
  }

  /** [images float32 [B,C,H,W], labels int32 [B]]; all images of a batch must have the same size. */
  override getBatch(indices: ArrayLike<number>): Tensor[] {
    return stackItems("CsvImageDataset.getBatch", indices, new Int32Array(indices.length), (i) => this.getItem(i));
  }
}

function columnIndex(header: string[], name: string, file: string): number {
  const idx = header.indexOf(name);
  if (idx < 0) throw new Error(`${file}:1: no column "${name}" in the header (columns: ${header.map((h) => JSON.stringify(h)).join(", ")})`);
  return idx;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
