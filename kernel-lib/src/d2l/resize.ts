import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";

/**
 * Bilinear resize of an image [C,H,W] (or [H,W]) the way torchvision's Resize(size) does it on PIL images:
 * an int size sets the shorter side (the longer keeps the aspect ratio), [h, w] sets both. The triangle
 * filter widens when shrinking (antialiasing), as PIL's resample does; values are computed in float64.
 */
export function resizeImage(img: Tensor, size: number | [number, number]): Tensor {
  const shape = img.shape;
  if (shape.length !== 2 && shape.length !== 3) throw new Error(`resize: expected an image [C,H,W] or [H,W], got shape ${formatShape(shape)}`);
  const [c, h, w] = shape.length === 3 ? shape : [1, shape[0], shape[1]];
  const [oh, ow] = outputSize(size, h, w);
  const src = img.dataSync();
  const rows = weights(h, oh);
  const cols = weights(w, ow);
  const out = new Float32Array(c * oh * ow);
  const tmp = new Float64Array(h * ow);
  for (let ch = 0; ch < c; ch++) {
    const base = ch * h * w;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < ow; x++) {
        const { start, taps } = cols[x];
        let s = 0;
        for (let k = 0; k < taps.length; k++) s += taps[k] * Number(src[base + y * w + start + k]);
        tmp[y * ow + x] = s;
      }
    }
    for (let y = 0; y < oh; y++) {
      const { start, taps } = rows[y];
      for (let x = 0; x < ow; x++) {
        let s = 0;
        for (let k = 0; k < taps.length; k++) s += taps[k] * tmp[(start + k) * ow + x];
        out[ch * oh * ow + y * ow + x] = s;
      }
    }
  }
  return Tensor.fromTypedArray(out, shape.length === 3 ? [c, oh, ow] : [oh, ow], "float32");
}

function outputSize(size: number | [number, number], h: number, w: number): [number, number] {
  if (Array.isArray(size)) {
    if (size.length !== 2 || !size.every((s) => Number.isInteger(s) && s > 0)) throw new Error(`resize: size must be [h, w] with positive integers, got ${JSON.stringify(size)}`);
    return [size[0], size[1]];
  }
  if (!Number.isInteger(size) || size < 1) throw new Error(`resize: size must be a positive integer, got ${size}`);
  if (h <= w) return [size, Math.floor((size * w) / h)];
  return [Math.floor((size * h) / w), size];
}

/** For each output index: the first input index and the normalized triangle-filter weights (PIL's bilinear). */
function weights(inSize: number, outSize: number): { start: number; taps: Float64Array }[] {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // the bilinear filter's support is 1 input pixel, widened when shrinking
  const result: { start: number; taps: Float64Array }[] = [];
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const start = Math.max(Math.trunc(center - support + 0.5), 0);
    const end = Math.min(Math.trunc(center + support + 0.5), inSize);
    const taps = new Float64Array(end - start);
    let total = 0;
    for (let k = 0; k < taps.length; k++) {
      const t = Math.abs((start + k - center + 0.5) / filterScale);
      taps[k] = t < 1 ? 1 - t : 0;
      total += taps[k];
    }
    if (total > 0) for (let k = 0; k < taps.length; k++) taps[k] /= total;
    result.push({ start, taps });
  }
  return result;
}
