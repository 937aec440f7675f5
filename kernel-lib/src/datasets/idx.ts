import * as fs from "node:fs";
import * as zlib from "node:zlib";

/** IDX magic numbers for unsigned-byte data: 0x00000801 labels (1 dim), 0x00000803 images (3 dims). */
export const IDX_LABELS_MAGIC = 2049;
export const IDX_IMAGES_MAGIC = 2051;

export interface IdxArray {
  /** the dimensions from the header, e.g. [60000, 28, 28] */
  dims: number[];
  /** the elements, row-major, in a buffer of their own */
  data: Uint8Array;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip bytes (raw bytes pass through); a corrupt stream is an error naming the file. */
export function gunzipIfNeeded(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return zlib.gunzipSync(bytes);
  } catch (e) {
    throw new Error(`${file}: not a valid gzip file (${(e as Error).message}); the file is corrupt or truncated, delete it and fetch it again`);
  }
}

/**
 * Parses an unsigned-byte IDX file (already decompressed). Checks the magic number and that the header's
 * sizes account for the file's length exactly, so a truncated or padded file is never half-read.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedMagic?: number): IdxArray {
  if (bytes.length < 4) throw new Error(`${file}: too short for an IDX file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const typeCode = (magic >>> 8) & 0xff;
  const ndim = magic & 0xff;
  if (magic >>> 16 !== 0 || typeCode !== 0x08 || ndim < 1) {
    throw new Error(`${file}: bad IDX magic number ${magic} (0x${magic.toString(16).padStart(8, "0")}); expected an unsigned-byte IDX file (2049 for labels, 2051 for images)`);
  }
  if (expectedMagic !== undefined && magic !== expectedMagic) {
    throw new Error(`${file}: IDX magic number is ${magic} but ${expectedMagic} (${describeMagic(expectedMagic)}) was expected`);
  }
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new Error(`${file}: truncated IDX header: ${ndim} dimensions need ${headerBytes} bytes, the file has ${bytes.length}`);
  }
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    dims.push(size);
    count *= size;
  }
  const expectedLength = headerBytes + count;
  if (bytes.length !== expectedLength) {
    const what = bytes.length < expectedLength ? "truncated" : "has trailing bytes";
    throw new Error(`${file}: ${what}: the header says [${dims.join(", ")}] (${expectedLength} bytes with the header) but the data is ${bytes.length} bytes`);
  }
  // a plain Uint8Array at offset 0 of its own buffer (Buffer.slice would be a view into the file buffer)
  const data = new Uint8Array(count);
  data.set(bytes.subarray(headerBytes));
  return { dims, data };
}

/** Reads a raw or gzip-compressed IDX file in one go. */
export function readIdxFile(file: string, expectedMagic?: number): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read the IDX file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseIdx(gunzipIfNeeded(bytes, file), file, expectedMagic);
}

/** Reads an images file and its labels file and checks they agree: images [N,H,W], labels [N]. */
export function readIdxImagesAndLabels(imagesFile: string, labelsFile: string): { images: IdxArray; labels: IdxArray } {
  const images = readIdxFile(imagesFile, IDX_IMAGES_MAGIC);
  const labels = readIdxFile(labelsFile, IDX_LABELS_MAGIC);
  if (images.dims.length !== 3) throw new Error(`${imagesFile}: expected 3 dimensions [N, rows, cols], got [${images.dims.join(", ")}]`);
  if (labels.dims[0] !== images.dims[0]) {
    throw new Error(`${labelsFile}: has ${labels.dims[0]} labels but ${imagesFile} has ${images.dims[0]} images; the files do not belong together`);
  }
  return { images, labels };
}

function describeMagic(magic: number): string {
  if (magic === IDX_IMAGES_MAGIC) return "images";
  if (magic === IDX_LABELS_MAGIC) return "labels";
  return "IDX";
}

/** Builds an IDX file's bytes (used to write test files and by tools). */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
