import { afterEach, describe, expect, it } from "vitest";
import { d2l } from "../kernel-lib/src/index";
import { GrayRaster } from "../kernel-lib/src/d2l/png/raster";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import { decodePng } from "./helpers/display";

afterEach(() => {
  d2l.setDisplayBackend("auto");
});

function shownPng(fn: () => void) {
  const mem = d2l.captureDisplays();
  fn();
  expect(mem.displays).toHaveLength(1);
  const data = mem.displays[0].data;
  expect(Object.keys(data).sort()).toEqual(["image/png", "text/plain"]);
  const png = decodePng(new Uint8Array(Buffer.from(data["image/png"] as string, "base64")));
  expect(mem.displays[0].metadata["image/png"]).toEqual({ width: png.width, height: png.height });
  return { png, text: data["text/plain"] as string };
}

/** Two 28x28 images with distinct values: image i pixel (r, c) = ((r * 28 + c + 97 * i) % 256) / 255. */
function batch(shape: number[]): Tensor {
  const data = new Float32Array(2 * 28 * 28);
  for (let i = 0; i < 2; i++) for (let p = 0; p < 784; p++) data[i * 784 + p] = ((p + 97 * i) % 256) / 255;
  return Tensor.fromTypedArray(data, shape);
}

describe("showImages", () => {
  it("draws [N,1,28,28] images in 0..1 as one grayscale PNG grid of the right size and values", () => {
    const { png, text } = shownPng(() => d2l.showImages(batch([2, 1, 28, 28]), 1, 2));
    // scale 1.5 in = 150 px -> 28 px scaled by 5 = 140 px, plus 6 px padding on each side
    expect([png.width, png.height]).toEqual([2 * 152, 152]);
    for (const [i, r, c] of [[0, 0, 0], [0, 13, 27], [1, 27, 5], [1, 3, 3]]) {
      const expected = (r * 28 + c + 97 * i) % 256;
      for (const [dy, dx] of [[0, 0], [4, 4]]) {
        const x = i * 152 + 6 + c * 5 + dx;
        const y = 6 + r * 5 + dy;
        expect(png.pixels[y * png.width + x]).toBe(expected);
      }
    }
    expect(png.pixels[0]).toBe(255); // white padding
    expect(text).toBe("<Image grid 1x2, 2 images, 304x152px>");
  });

  it("reads [N,28,28] tensors, arrays of [28,28] tensors and 0..255 values the same way", () => {
    const unit = shownPng(() => d2l.showImages(batch([2, 28, 28]), 1, 2)).png;
    const bytes = Tensor.fromTypedArray(Uint8Array.from(batch([2, 28, 28]).dataSync(), (v) => Math.round(v * 255)), [2, 28, 28]);
    expect(shownPng(() => d2l.showImages(bytes, 1, 2)).png.pixels).toEqual(unit.pixels);
    const list = [0, 1].map((i) => Tensor.fromTypedArray(batch([2, 28, 28]).dataSync().slice(i * 784, (i + 1) * 784), [1, 28, 28]));
    expect(shownPng(() => d2l.showImages(list, 1, 2)).png.pixels).toEqual(unit.pixels);
  });

  it("stretches values outside 0..255 per image", () => {
    const { png } = shownPng(() => d2l.showImages([[[-1, 1], [0, 1]]], 1, 1, { scale: 0.02 }));
    expect([png.width, png.height]).toEqual([14, 14]);
    expect([png.pixels[6 * 14 + 6], png.pixels[6 * 14 + 7], png.pixels[7 * 14 + 6]]).toEqual([0, 255, 128]);
  });

  it("puts multi-line titles above the images and widens cells to fit them", () => {
    const plain = shownPng(() => d2l.showImages(batch([2, 28, 28]), 1, 2)).png;
    const { png, text } = shownPng(() => d2l.showImages(batch([2, 28, 28]), 1, 2, { titles: ["true\npred", "Pred:3, Label:3"] }));
    // two title lines of 7-pixel glyphs at scale 2 with 3 rows of spacing each
    expect(png.height).toBe(plain.height + 2 * 20 + 2);
    // "Pred:3, Label:3" is 15 glyphs of 12 px minus the trailing gap, wider than the 140 px image: every cell widens
    expect(png.width).toBe(2 * (15 * 12 - 2 + 12));
    const titleRows = png.pixels.subarray(6 * png.width, (6 + 40) * png.width);
    expect(titleRows.filter((v) => v === 0).length).toBeGreaterThan(100);
    expect(text).toBe('<Image grid 1x2, 2 images, 380x194px: "true\\npred", "Pred:3, Label:3">');
  });

  it("throws on shapes that are not grayscale images", () => {
    expect(() => d2l.showImages(Tensor.fromTypedArray(new Float32Array(2 * 3 * 4 * 4), [2, 3, 4, 4]), 1, 2)).toThrow(
      "showImages: imgs must have shape [N,H,W] or [N,1,H,W], got [2,3,4,4]",
    );
    expect(() => d2l.showImages([Tensor.fromTypedArray(new Float32Array(8), [2, 2, 2])], 1, 1)).toThrow(
      "showImages: image 0 must have shape [H,W] or [1,H,W] (grayscale), got [2,2,2]",
    );
    expect(() => d2l.showImages(batch([2, 28, 28]), 0, 2)).toThrow("showImages: numRows must be a positive integer, got 0");
  });
});

describe("bitmap font", () => {
  it("draws glyphs from the 5x7 table", () => {
    const r = new GrayRaster(12, 7);
    r.text("I-", 0, 0, 1);
    const at = (x: number, y: number) => r.pixels[y * 12 + x];
    for (let y = 0; y < 7; y++) expect(at(2, y)).toBe(0); // the stem of I
    expect([at(1, 0), at(3, 0), at(1, 6), at(3, 6), at(1, 3)]).toEqual([0, 0, 0, 0, 255]);
    expect([6, 7, 8, 9, 10].map((x) => at(x, 3))).toEqual([0, 0, 0, 0, 0]); // '-' starts one column after 'I'
    expect(at(6, 2)).toBe(255);
  });
});
