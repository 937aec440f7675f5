import { Tensor } from "./tensor/tensor";
import { formatShape } from "./tensor/shape";
import { stack } from "./ops/shape";

/** torchvision.utils.make_grid's keywords. */
export interface MakeGridOptions {
  /** images per row (default 8) */
  nrow?: number;
  /** pixels between and around the images (default 2) */
  padding?: number;
  /** shift the images to [0, 1] by their min and max (or by valueRange) first (default false) */
  normalize?: boolean;
  /** the [low, high] that normalize maps to [0, 1] (default: the images' own min and max) */
  valueRange?: [number, number];
  /** normalize each image by its own min and max (default false: all together) */
  scaleEach?: boolean;
  /** the value of the padding pixels (default 0) */
  padValue?: number;
}

const keys = new Set(["nrow", "padding", "normalize", "valueRange", "scaleEach", "padValue"]);

/**
 * torchvision.utils.make_grid: images [N, C, H, W] (or a list of [C, H, W]) tiled into one [C, H', W'] image,
 * nrow per row with `padding` pixels of padValue between and around them; 1-channel images are repeated to 3
 * channels and a single image is returned as it is (after normalize), as torchvision does. Not differentiable:
 * it makes a picture.
 */
export function makeGrid(images: Tensor | readonly Tensor[], nrowOrOptions: number | MakeGridOptions = {}, padding?: number): Tensor {
  const o: MakeGridOptions = typeof nrowOrOptions === "number" ? { nrow: nrowOrOptions, padding } : nrowOrOptions;
  for (const key of Object.keys(o)) {
    if (!keys.has(key)) throw new Error(`makeGrid: unknown option "${key}" (the options are ${[...keys].join(", ")})`);
  }
  const nrow = o.nrow ?? 8;
  const pad = o.padding ?? 2;
  if (!Number.isInteger(nrow) || nrow < 1) throw new Error(`makeGrid: nrow must be a positive integer, got ${nrow}`);
  if (!Number.isInteger(pad) || pad < 0) throw new Error(`makeGrid: padding must be a non-negative integer, got ${pad}`);
  let t: Tensor;
  if (Array.isArray(images)) {
    if (images.length === 0) throw new Error("makeGrid: the list of images is empty");
    t = stackImages(images as readonly Tensor[]).detach().float();
  } else if (images instanceof Tensor) {
    t = images.detach().float();
  } else {
    throw new Error(`makeGrid: expects a Tensor [N, C, H, W] or a list of [C, H, W] tensors, got ${typeof images}`);
  }
  if (t.dim() === 2) t = t.unsqueeze(0);
  if (t.dim() === 3) t = t.unsqueeze(0);
  if (t.dim() !== 4) throw new Error(`makeGrid: expects images [N, C, H, W] (or [C, H, W], [H, W]), got shape ${formatShape(t.shape)}`);
  const [n, c0, h, w] = t.shape;
  const data = Float32Array.from(t.dataSync());
  const c = c0 === 1 ? 3 : c0;
  const per = c0 * h * w;
  if (o.normalize) {
    const normRange = (from: number, to: number) => {
      let [low, high] = o.valueRange ?? [Infinity, -Infinity];
      if (!o.valueRange) for (let i = from; i < to; i++) (low = Math.min(low, data[i])), (high = Math.max(high, data[i]));
      const scale = Math.max(high - low, 1e-5);
      for (let i = from; i < to; i++) data[i] = (Math.min(Math.max(data[i], low), high) - low) / scale;
    };
    if (o.scaleEach) for (let k = 0; k < n; k++) normRange(k * per, (k + 1) * per);
    else normRange(0, data.length);
  }
  const channel = (k: number, ch: number) => (k * c0 + (c0 === 1 ? 0 : ch)) * h * w;
  if (n === 1) {
    const out = new Float32Array(c * h * w);
    for (let ch = 0; ch < c; ch++) out.set(data.subarray(channel(0, ch), channel(0, ch) + h * w), ch * h * w);
    return Tensor.fromTypedArray(out, [c, h, w]);
  }
  const xmaps = Math.min(nrow, n);
  const ymaps = Math.ceil(n / xmaps);
  const cellH = h + pad;
  const cellW = w + pad;
  const gh = cellH * ymaps + pad;
  const gw = cellW * xmaps + pad;
  const grid = new Float32Array(c * gh * gw).fill(o.padValue ?? 0);
  for (let k = 0; k < n; k++) {
    const top = Math.floor(k / xmaps) * cellH + pad;
    const left = (k % xmaps) * cellW + pad;
    for (let ch = 0; ch < c; ch++) {
      const src = channel(k, ch);
      for (let y = 0; y < h; y++) grid.set(data.subarray(src + y * w, src + (y + 1) * w), (ch * gh + top + y) * gw + left);
    }
  }
  return Tensor.fromTypedArray(grid, [c, gh, gw]);
}

function stackImages(images: readonly Tensor[]): Tensor {
  const shape = images[0].shape;
  images.forEach((im, i) => {
    if (!(im instanceof Tensor) || formatShape(im.shape) !== formatShape(shape)) {
      throw new Error(`makeGrid: image ${i} of the list has shape ${im instanceof Tensor ? formatShape(im.shape) : typeof im}, image 0 has ${formatShape(shape)}; all must match`);
    }
  });
  return stack(images, 0);
}
