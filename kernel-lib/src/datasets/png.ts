import { PNG } from "pngjs";

export type ImageMode = "L" | "RGB";

/** A decoded image: channels-first float32 in 0..1, like torchvision's ToTensor. */
export interface DecodedImage {
  data: Float32Array;
  /** [channels, height, width] */
  shape: [number, number, number];
}

/**
 * Decodes PNG bytes into [1,H,W] ("L", grayscale; color is converted with PIL's ITU-R 601-2 luma weights)
 * or [3,H,W] ("RGB"). Alpha is dropped, as PIL's convert does.
 */
export function decodePng(bytes: Uint8Array, file: string, mode: ImageMode = "L"): DecodedImage {
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new Error(`${file}: not a readable PNG image (${(e as Error).message})`);
  }
  const { width, height, data } = png;
  const n = width * height;
  const gray = (png.colorType & 2) === 0; // colour types 0 and 4 carry no colour
  if (mode === "L") {
    const out = new Float32Array(n);
    for (let p = 0; p < n; p++) {
      const r = data[4 * p];
      out[p] = (gray ? r : (r * 19595 + data[4 * p + 1] * 38470 + data[4 * p + 2] * 7471 + 0x8000) >>> 16) / 255;
    }
    return { data: out, shape: [1, height, width] };
  }
  if (mode !== "RGB") throw new Error(`decodePng: mode must be "L" or "RGB", got ${JSON.stringify(mode)}`);
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) for (let p = 0; p < n; p++) out[c * n + p] = data[4 * p + c] / 255;
  return { data: out, shape: [3, height, width] };
}

/**
 * Encodes an 8-bit grayscale image (row-major, width*height bytes) as a grayscale PNG. pngjs picks each row's
 * filter adaptively; `{ filter: "none" }` writes every row unfiltered (what d2l's figures have always written).
 */
export function encodeGrayPng(pixels: Uint8Array, width: number, height: number, options: { filter?: "adaptive" | "none" } = {}): Buffer {
  if (pixels.length !== width * height) {
    throw new Error(`encodeGrayPng: ${pixels.length} pixels do not make a ${width}x${height} image`);
  }
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const filterType = options.filter === "none" ? 0 : -1;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false, filterType });
}
