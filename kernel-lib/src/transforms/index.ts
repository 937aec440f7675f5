import { Tensor } from "../tensor/tensor";
import { tensor } from "../tensor/creation";

/** A torchvision-style transform: a function of one image. */
export type Transform = (image: Tensor) => Tensor;

/**
 * torchvision.transforms.ToTensor(): an image as float32 [C,H,W] in 0..1. A uint8 tensor [H,W] or [H,W,C] (or a
 * uint8 `{ data, shape }` [H,W(,C)]) is scaled by 1/255 and moved channels-first, as torchvision does with a PIL
 * image; decodePng's result (float32 [C,H,W] in 0..1) becomes a tensor as it is.
 * The datasets here already give float32 [C,H,W] images in 0..1 (what torchvision gives after ToTensor), and those
 * pass through unchanged, so `transform: transforms.ToTensor()` from a PyTorch line works as written.
 */
export function ToTensor(): (image: Tensor | { data: ArrayLike<number>; shape: readonly number[] }) => Tensor {
  return (image) => {
    if (image instanceof Tensor) {
      if (image.dtype !== "uint8") return image.float();
      return channelsFirst(image.float().div(255));
    }
    if (image && typeof image === "object" && "data" in image && "shape" in image) {
      // decodePng's { data: Float32Array [C,H,W] in 0..1 } is already what ToTensor makes
      if (image.data instanceof Float32Array && image.shape.length === 3) return tensor(image.data).reshape([...image.shape]);
      return channelsFirst(tensor(Array.from(image.data)).reshape([...image.shape]).div(255));
    }
    throw new Error(`ToTensor: expected a uint8 image tensor [H,W] or [H,W,C], a float tensor, or a decoded PNG { data, shape }, got ${typeof image}`);
  };
}

function channelsFirst(t: Tensor): Tensor {
  if (t.dim() === 2) return t.unsqueeze(0);
  if (t.dim() === 3) return t.permute(2, 0, 1);
  throw new Error(`ToTensor: an image must be [H,W] or [H,W,C], got shape [${t.shape.join(",")}]`);
}

/** torchvision.transforms.Normalize(mean, std): (image - mean[c]) / std[c] per channel of a [C,H,W] image. */
export function Normalize(mean: number | readonly number[], std: number | readonly number[]): Transform {
  const m = typeof mean === "number" ? [mean] : [...mean];
  const s = typeof std === "number" ? [std] : [...std];
  if (m.length !== s.length || m.length === 0) throw new Error(`Normalize: mean and std need one value per channel, got ${m.length} and ${s.length}`);
  if (s.some((v) => v === 0)) throw new Error(`Normalize: std must be nonzero, got [${s.join(", ")}]`);
  const mt = tensor(m).reshape([m.length, 1, 1]);
  const st = tensor(s).reshape([s.length, 1, 1]);
  return (image) => {
    if (image.dim() !== 3 || (image.shape[0] !== m.length && m.length !== 1)) {
      throw new Error(`Normalize: expected an image [C,H,W] with C = ${m.length}, got shape [${image.shape.join(",")}]`);
    }
    return image.sub(mt).div(st);
  };
}

/** torchvision.transforms.Compose([t1, t2, ...]): applies the transforms in order. */
export function Compose<T>(transforms: readonly ((x: never) => unknown)[]): (image: T) => Tensor {
  return (image: T) => transforms.reduce<unknown>((x, t) => (t as (v: unknown) => unknown)(x), image) as Tensor;
}

/** torchvision.transforms.Lambda(fn): a function as a transform. */
export function Lambda(fn: Transform): Transform {
  return fn;
}
