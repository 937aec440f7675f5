import { showBundle } from "../display/backend";
import { Tensor } from "../tensor/tensor";
import { PIXELS_PER_INCH } from "./figure/model";
import { encodeGrayPng } from "../datasets/png";
import { toBase64 } from "./png/base64";
import { GrayRaster, lineHeight, textWidth } from "./png/raster";

/** One image: a [H,W] or [1,H,W] tensor or a number[][] (rows). */
export type ImageLike = Tensor | number[][];
/** A batch: a [N,H,W] or [N,1,H,W] tensor, or an array of images. */
export type ImagesLike = Tensor | ImageLike[];

export interface ShowImagesOptions {
  /** One title per image; "\n" splits lines ("true\npred"). */
  titles?: (string | number)[];
  /** Inches per image as in the book (default 1.5), drawn at 100 px per inch in whole-pixel steps. */
  scale?: number;
}

interface Gray {
  w: number;
  h: number;
  data: Float64Array;
}

function fromTensor(t: Tensor, what: string): Gray {
  const s = t.shape;
  if (s.length === 2) return { h: s[0], w: s[1], data: Float64Array.from(t.dataSync(), Number) };
  if (s.length === 3 && s[0] === 1) return { h: s[1], w: s[2], data: Float64Array.from(t.dataSync(), Number) };
  throw new Error(`showImages: ${what} must have shape [H,W] or [1,H,W] (grayscale), got [${s.join(",")}]`);
}

function fromRows(rows: number[][], what: string): Gray {
  const h = rows.length;
  const w = h > 0 && Array.isArray(rows[0]) ? rows[0].length : 0;
  if (h === 0 || w === 0 || !rows.every((r) => Array.isArray(r) && r.length === w && r.every((v) => typeof v === "number"))) {
    throw new Error(`showImages: ${what} must be a non-empty rectangular number[][]`);
  }
  return { h, w, data: Float64Array.from(rows.flat()) };
}

function toImages(imgs: ImagesLike): Gray[] {
  if (imgs instanceof Tensor) {
    const s = imgs.shape;
    const per = s.length === 3 ? s[1] * s[2] : s.length === 4 && s[1] === 1 ? s[2] * s[3] : -1;
    if (per < 0) throw new Error(`showImages: imgs must have shape [N,H,W] or [N,1,H,W], got [${s.join(",")}]`);
    const [h, w] = s.length === 3 ? [s[1], s[2]] : [s[2], s[3]];
    const data = imgs.dataSync();
    return Array.from({ length: s[0] }, (_, i) => ({ h, w, data: Float64Array.from(data.subarray(i * per, (i + 1) * per), Number) }));
  }
  if (!Array.isArray(imgs)) throw new Error("showImages: imgs must be a tensor or an array of images");
  return imgs.map((img, i) => (img instanceof Tensor ? fromTensor(img, `image ${i}`) : fromRows(img, `image ${i}`)));
}

/** 0..255 bytes: values in 0..1 are scaled by 255, values in 0..255 kept, anything else stretched per image. */
function toBytes(images: Gray[]): Uint8Array[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const img of images) for (const v of img.data) {
    if (Number.isNaN(v)) throw new Error("showImages: images contain NaN");
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const unit = lo >= 0 && hi <= 1;
  const bytes = lo >= 0 && hi <= 255;
  return images.map((img) => {
    let a = 0;
    let b = unit ? 1 : 255;
    if (!unit && !bytes) {
      a = Math.min(...img.data);
      b = Math.max(...img.data);
      if (a === b) b = a + 1;
    }
    return Uint8Array.from(img.data, (v) => Math.round(((v - a) / (b - a)) * 255));
  });
}

/** The grid as an 8-bit grayscale raster: titles above each image, white background. */
export function imageGrid(imgs: ImagesLike, numRows: number, numCols: number, opts: ShowImagesOptions = {}): GrayRaster {
  for (const [name, v] of [["numRows", numRows], ["numCols", numCols]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`showImages: ${name} must be a positive integer, got ${v}`);
  }
  const scale = opts.scale ?? 1.5;
  if (typeof scale !== "number" || !(scale > 0)) throw new Error(`showImages: scale must be a positive number, got ${scale}`);
  const images = toImages(imgs).slice(0, numRows * numCols);
  if (images.length === 0) throw new Error("showImages: no images to show");
  const h = Math.max(...images.map((i) => i.h));
  const w = Math.max(...images.map((i) => i.w));
  const k = Math.max(1, Math.round((scale * PIXELS_PER_INCH) / Math.max(h, w)));
  const titles = (opts.titles ?? []).slice(0, images.length).map((t) => String(t).split("\n"));
  const fontScale = w * k >= 80 ? 2 : 1;
  const titleLines = Math.max(0, ...titles.map((t) => t.length));
  const titleHeight = titleLines > 0 ? titleLines * lineHeight(fontScale) + 2 : 0;
  const pad = 6;
  const cellW = Math.max(w * k, ...titles.flat().map((line) => textWidth(line, fontScale))) + 2 * pad;
  const cellH = titleHeight + h * k + 2 * pad;
  const raster = new GrayRaster(cellW * numCols, cellH * numRows);
  const pixels = toBytes(images);
  images.forEach((img, i) => {
    const x0 = (i % numCols) * cellW;
    const y0 = Math.floor(i / numCols) * cellH + pad;
    (titles[i] ?? []).forEach((line, j) => {
      raster.text(line, x0 + Math.floor((cellW - textWidth(line, fontScale)) / 2), y0 + j * lineHeight(fontScale), fontScale);
    });
    raster.blit(pixels[i], img.w, img.h, x0 + Math.floor((cellW - img.w * k) / 2), y0 + titleHeight, k);
  });
  return raster;
}

/**
 * d2l.show_images: a grid of grayscale images with titles, shown as ONE PNG.
 *   showImages(X.reshape(18, 28, 28), 2, 9, { titles: getFashionMnistLabels(y) })
 */
export function showImages(imgs: ImagesLike, numRows: number, numCols: number, opts: ShowImagesOptions = {}): void {
  const grid = imageGrid(imgs, numRows, numCols, opts);
  const png = encodeGrayPng(grid.pixels, grid.width, grid.height, { filter: "none" });
  const shown = Math.min(numRows * numCols, imgs instanceof Tensor ? imgs.shape[0] : imgs.length);
  const titles = opts.titles ? `: ${opts.titles.slice(0, 4).map((t) => JSON.stringify(String(t))).join(", ")}${opts.titles.length > 4 ? ", ..." : ""}` : "";
  showBundle(
    { "image/png": toBase64(png), "text/plain": `<Image grid ${numRows}x${numCols}, ${shown} images, ${grid.width}x${grid.height}px${titles}>` },
    { metadata: { "image/png": { width: grid.width, height: grid.height } } },
  );
}
