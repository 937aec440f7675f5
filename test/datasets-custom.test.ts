import { afterAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { PNG } from "pngjs";
import { CsvImageDataset, MNIST, decodePng, encodeGrayPng, parseCsv, writeMnistImageFolder } from "../kernel-lib/src/datasets/index";
import { tempDir } from "./datasets-helpers";

const dir = tempDir("custom");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("CSV parser", () => {
  it("parses quoted fields with commas, quotes and newlines, CRLF and a BOM", () => {
    const t = parseCsv('\ufeffFile Name,Class Label\r\n"a,b.png",1\r\n"say ""hi"".png",2\n"two\nlines.png",3\n\n', "t.csv");
    expect(t.header).toEqual(["File Name", "Class Label"]);
    expect(t.rows).toEqual([
      { line: 2, fields: ["a,b.png", "1"] },
      { line: 3, fields: ['say "hi".png', "2"] },
      { line: 4, fields: ["two\nlines.png", "3"] },
    ]);
  });

  it("names the file and line of a bad row", () => {
    expect(() => parseCsv("a,b\n1,2\n3\n", "x.csv")).toThrow(/x\.csv:3: 1 fields but the header has 2 \(a, b\)/);
    expect(() => parseCsv('a,b\n"1,2\n', "x.csv")).toThrow(/x\.csv:2: a quoted field is not closed/);
    expect(() => parseCsv('a,b\n"1"x,2\n', "x.csv")).toThrow(/x\.csv:2: unexpected character "x" after a closing quote/);
    expect(() => parseCsv('a,b\n1,2"\n', "x.csv")).toThrow(/x\.csv:2: a quote inside an unquoted field/);
    expect(() => parseCsv("", "empty.csv")).toThrow(/empty\.csv: the CSV file is empty/);
  });
});

describe("PNG codec", () => {
  it("round-trips an 8-bit grayscale image to [1,H,W] floats in 0..1", () => {
    const pixels = Uint8Array.from({ length: 6 }, (_, i) => i * 51);
    const img = decodePng(encodeGrayPng(pixels, 3, 2), "g.png");
    expect(img.shape).toEqual([1, 2, 3]);
    expect(Array.from(img.data, (v) => Math.round(v * 255))).toEqual(Array.from(pixels));
  });

  it("converts colour to gray with PIL's luma weights, or keeps RGB channels-first", () => {
    const png = new PNG({ width: 2, height: 1 });
    png.data = Buffer.from([255, 0, 0, 255, 10, 200, 30, 128]);
    const bytes = PNG.sync.write(png);
    const gray = decodePng(bytes, "c.png", "L");
    expect(gray.shape).toEqual([1, 1, 2]);
    // PIL: L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16; Debian PIL gives [76, 124] for these two pixels
    expect(Array.from(gray.data, (v) => Math.round(v * 255))).toEqual([76, 124]);
    const rgb = decodePng(bytes, "c.png", "RGB");
    expect(rgb.shape).toEqual([3, 1, 2]);
    expect(Array.from(rgb.data, (v) => Math.round(v * 255))).toEqual([255, 10, 0, 200, 0, 30]);
  });

  it("rejects bytes that are not a PNG, naming the file", () => {
    expect(() => decodePng(new TextEncoder().encode("GIF89a..."), "fake.png")).toThrow(/fake\.png: not a readable PNG image/);
  });
});

describe("MNIST image folder and CsvImageDataset (the lecture's custom dataset)", () => {
  it("writes PNGs and a CSV that read back as the same images and labels", () => {
    const out = writeMnistImageFolder(dir, { count: 20, train: false });
    expect(out.csvPath).toBe(path.join(dir, "mnist_test.csv"));
    expect(out.imageDir).toBe(path.join(dir, "mnist_test"));
    const lines = fs.readFileSync(out.csvPath, "utf8").trim().split("\n");
    expect(lines[0]).toBe("File Name,Class Label");
    expect(lines).toHaveLength(21);

    const mnist = new MNIST({ train: false });
    const ds = new CsvImageDataset(out.csvPath, out.imageDir);
    expect(ds.length).toBe(20);
    expect(ds.imgNames.slice(0, 3)).toEqual(["0.png", "1.png", "2.png"]);
    expect(Array.from(ds.y.dataSync())).toEqual(Array.from(mnist.targets.dataSync().subarray(0, 20)));
    for (const i of [0, 7, 19]) {
      const [img, label] = ds.getItem(i);
      const [ref, refLabel] = mnist.getItem(i);
      expect(img.shape).toEqual([1, 28, 28]);
      expect(label).toBe(refLabel);
      expect(Array.from(img.dataSync())).toEqual(Array.from(ref.dataSync()));
    }
    const [X, y] = ds.getBatch([4, 2]);
    expect(X.shape).toEqual([2, 1, 28, 28]);
    expect(y.dtype).toBe("int32");
    expect(Array.from(y.dataSync())).toEqual([mnist.getItem(4)[1], mnist.getItem(2)[1]]);
    expect(Array.from(X.dataSync().subarray(784))).toEqual(Array.from(mnist.getItem(2)[0].dataSync()));
  });

  it("writes a range of the training split under a chosen name", () => {
    const out = writeMnistImageFolder(dir, { count: 3, start: 100, name: "digits" });
    expect(fs.readdirSync(out.imageDir).sort()).toEqual(["100.png", "101.png", "102.png"]);
    const ds = new CsvImageDataset(out.csvPath, out.imageDir, { transform: (t) => t, targetTransform: (l) => l * 10 });
    expect(ds.getItem(0)[1]).toBe(new MNIST({ train: true }).getItem(100)[1] * 10);
    expect(() => writeMnistImageFolder(dir, { count: 5, start: 9998, train: false })).toThrow(
      /writeMnistImageFolder: images 9998\.\.10002 are not all in the test split of 10000 images/,
    );
  });

  it("reports bad rows, missing columns and missing images with file and line", () => {
    const imgDir = path.join(dir, "imgs");
    fs.mkdirSync(imgDir, { recursive: true });
    fs.writeFileSync(path.join(imgDir, "a.png"), encodeGrayPng(new Uint8Array(4), 2, 2));
    const csv = (name: string, text: string): string => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    };
    const missing = csv("missing.csv", "File Name,Class Label\na.png,1\nb.png,2\n");
    expect(() => new CsvImageDataset(missing, imgDir)).toThrow(new RegExp(`missing\\.csv:3: image .*imgs/b\\.png does not exist`));
    const badLabel = csv("badlabel.csv", "File Name,Class Label\na.png,cat\n");
    expect(() => new CsvImageDataset(badLabel, imgDir)).toThrow(/badlabel\.csv:2: "Class Label" must be an integer, got "cat"/);
    const noColumn = csv("nocol.csv", "file,label\na.png,1\n");
    expect(() => new CsvImageDataset(noColumn, imgDir)).toThrow(/nocol\.csv:1: no column "File Name" in the header \(columns: "file", "label"\)/);
    expect(new CsvImageDataset(noColumn, imgDir, { fileColumn: "file", labelColumn: "label" }).length).toBe(1);
    expect(() => new CsvImageDataset(path.join(dir, "none.csv"), imgDir)).toThrow(/CsvImageDataset: cannot read the CSV file .*none\.csv \(ENOENT\)/);
    expect(() => new CsvImageDataset(missing, path.join(dir, "nope"))).toThrow(/the image folder .*nope does not exist/);
    const ok = new CsvImageDataset(csv("ok.csv", "File Name,Class Label\na.png,1\n"), imgDir);
    expect(() => ok.getItem(1)).toThrow(/CsvImageDataset\.getItem: index 1 is out of range for a dataset of 1 samples/);
  });

  it("refuses a batch of images of different sizes", () => {
    const imgDir = path.join(dir, "sizes");
    fs.mkdirSync(imgDir, { recursive: true });
    fs.writeFileSync(path.join(imgDir, "s.png"), encodeGrayPng(new Uint8Array(4), 2, 2));
    fs.writeFileSync(path.join(imgDir, "l.png"), encodeGrayPng(new Uint8Array(9), 3, 3));
    const p = path.join(dir, "sizes.csv");
    fs.writeFileSync(p, "File Name,Class Label\ns.png,0\nl.png,1\n");
    expect(() => new CsvImageDataset(p, imgDir).getBatch([0, 1])).toThrow(
      /CsvImageDataset\.getBatch: item 1 has shape \[1, 3, 3\] but item 0 has \[1, 2, 2\]; a batch needs equal shapes/,
    );
  });
});
