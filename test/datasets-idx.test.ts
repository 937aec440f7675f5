import { afterAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { MNIST, mnistDataDir, parseIdx, readIdxFile } from "../kernel-lib/src/datasets/index";
import { IdxImageDataset } from "../kernel-lib/src/datasets/idx-dataset";
import { encodeIdx } from "../kernel-lib/src/datasets/idx";
import { tempDir, tinyPixel, tinySplit } from "./datasets-helpers";

const dir = tempDir("idx");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

describe("IDX reader", () => {
  const { images, labels } = tinySplit(5);

  it("reads raw and gzip files to the same array, with the header's dims", () => {
    const raw = readIdxFile(write("a-images", images), 2051);
    const gz = readIdxFile(write("a-images.gz", zlib.gzipSync(images)), 2051);
    expect(raw.dims).toEqual([5, 4, 3]);
    expect(gz.dims).toEqual([5, 4, 3]);
    expect(Array.from(gz.data)).toEqual(Array.from(raw.data));
    expect(raw.data[12 + 1]).toBe(tinyPixel(1, 1));
    expect(raw.data.byteOffset).toBe(0);
    expect(readIdxFile(write("a-labels", labels), 2049).dims).toEqual([5]);
  });

  it("rejects a wrong magic number, naming the file", () => {
    const bad = images.slice();
    bad[2] = 0x0d; // float data type
    expect(() => parseIdx(bad, "bad.idx")).toThrow(/bad\.idx: bad IDX magic number 3331 \(0x00000d03\)/);
    expect(() => readIdxFile(write("labels-as-images", labels), 2051)).toThrow(/labels-as-images: IDX magic number is 2049 but 2051 \(images\) was expected/);
    expect(() => parseIdx(new TextEncoder().encode("<html>404</html>"), "page.html")).toThrow(/page\.html: bad IDX magic number/);
  });

  it("rejects a file shorter or longer than its header says", () => {
    const p = write("short-images", images.subarray(0, images.length - 1));
    expect(() => readIdxFile(p, 2051)).toThrow(new RegExp(`${p}: truncated: the header says \\[5, 4, 3\\] \\(76 bytes with the header\\) but the data is 75 bytes`));
    const long = new Uint8Array(images.length + 3);
    long.set(images);
    expect(() => parseIdx(long, "long")).toThrow(/long: has trailing bytes: the header says \[5, 4, 3\] \(76 bytes with the header\) but the data is 79 bytes/);
    expect(() => parseIdx(images.subarray(0, 10), "hdr")).toThrow(/hdr: truncated IDX header: 3 dimensions need 16 bytes, the file has 10/);
    expect(() => parseIdx(new Uint8Array(2), "tiny")).toThrow(/tiny: too short for an IDX file \(2 bytes\)/);
  });

  it("rejects a truncated or corrupt gzip file, naming it", () => {
    const gz = zlib.gzipSync(images);
    const p = write("cut.gz", gz.subarray(0, gz.length - 10));
    expect(() => readIdxFile(p)).toThrow(new RegExp(`${p}: not a valid gzip file \\(.+\\); the file is corrupt or truncated`));
    const corrupt = gz.slice();
    corrupt[gz.length - 5] ^= 0xff; // length/CRC trailer
    expect(() => readIdxFile(write("crc.gz", corrupt))).toThrow(/crc\.gz: not a valid gzip file/);
  });

  it("reports a missing file with its path and error code", () => {
    expect(() => readIdxFile(path.join(dir, "nope"))).toThrow(/nope: cannot read the IDX file \(ENOENT\)/);
  });
});

describe("IdxImageDataset from IDX files", () => {
  it("refuses images and labels whose counts disagree", () => {
    const five = tinySplit(5);
    const four = tinySplit(4);
    const imagesPath = write("five-images", five.images);
    const labelsPath = write("four-labels", four.labels);
    expect(() => new IdxImageDataset("Tiny", { images: imagesPath, labels: labelsPath, dir }, ["a"], true)).toThrow(
      /four-labels: has 4 labels but .*five-images has 5 images; the files do not belong together/,
    );
  });

  it("refuses labels beyond the class list", () => {
    const { images } = tinySplit(3);
    const imagesPath = write("three-images", images);
    const labelsPath = write("three-labels", encodeIdx([3], Uint8Array.from([0, 1, 12])));
    expect(() => new IdxImageDataset("Tiny", { images: imagesPath, labels: labelsPath, dir }, ["a", "b", "c"], true)).toThrow(
      /three-labels: label 12 at index 2 is out of range for Tiny's 3 classes/,
    );
  });

  it("MNIST with a root holding a truncated copy fails naming the file, never a partial dataset", () => {
    const root = path.join(dir, "mnist-root");
    fs.mkdirSync(root);
    const src = mnistDataDir() as string;
    const bytes = fs.readFileSync(path.join(src, "t10k-images-idx3-ubyte"));
    fs.writeFileSync(path.join(root, "t10k-images-idx3-ubyte"), bytes.subarray(0, 5_000_000));
    fs.copyFileSync(path.join(src, "t10k-labels-idx1-ubyte"), path.join(root, "t10k-labels-idx1-ubyte"));
    expect(() => new MNIST(root, { train: false })).toThrow(/mnist-root\/t10k-images-idx3-ubyte: truncated: the header says \[10000, 28, 28\]/);
    // gzip-compressed copies in a root are read (and preferred over the npm package)
    fs.writeFileSync(path.join(root, "t10k-images-idx3-ubyte.gz"), zlib.gzipSync(bytes, { level: 1 }));
    fs.rmSync(path.join(root, "t10k-images-idx3-ubyte"));
    const ds = new MNIST(root, { train: false });
    expect(ds.files.images).toBe(path.join(root, "t10k-images-idx3-ubyte.gz"));
    expect(ds.length).toBe(10000);
  });
});
