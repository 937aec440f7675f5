import { XMLParser, XMLValidator } from "fast-xml-parser";
import { inflateSync } from "zlib";
import { Tensor } from "../../kernel-lib/src/tensor/tensor";

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309) as PNG chunks use it, so the test decoder checks every chunk. */
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function tensor1d(values: number[]): Tensor {
  return Tensor.fromTypedArray(Float32Array.from(values), [values.length]);
}

/** Parses an SVG string, failing the test if it is not well-formed XML. */
export function parseSvg(svg: string): Record<string, unknown> {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`invalid SVG: ${JSON.stringify(valid.err)}`);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute }).parse(svg);
}

/** Every element with the given tag name anywhere under `node` (elements parsed as arrays). */
export function findAll(node: unknown, tag: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n === null || typeof n !== "object") return;
    for (const [k, v] of Object.entries(n)) {
      if (k === tag) (Array.isArray(v) ? v : [v]).forEach((e) => out.push(e as Record<string, unknown>));
      if (!k.startsWith("@")) walk(v);
    }
  };
  walk(node);
  return out;
}

export interface DecodedPng {
  width: number;
  height: number;
  colorType: number;
  bitDepth: number;
  pixels: Uint8Array;
}

/** A minimal PNG decoder for 8-bit grayscale, non-interlaced images; checks signature and chunk CRCs. */
export function decodePng(bytes: Uint8Array): DecodedPng {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  sig.forEach((b, i) => {
    if (bytes[i] !== b) throw new Error("not a PNG signature");
  });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colorType = -1;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (o < bytes.length) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    const data = bytes.subarray(o + 8, o + 8 + len);
    const crc = view.getUint32(o + 8 + len);
    if (crc !== crc32(bytes.subarray(o + 4, o + 8 + len))) throw new Error(`bad CRC in ${type}`);
    if (type === "IHDR") {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
      bitDepth = data[8];
      colorType = data[9];
      if (data[12] !== 0) throw new Error("interlaced PNG not supported by the test decoder");
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") ended = true;
    o += 12 + len;
  }
  if (!ended) throw new Error("PNG has no IEND");
  if (bitDepth !== 8 || colorType !== 0) throw new Error(`test decoder reads 8-bit grayscale only, got depth ${bitDepth} type ${colorType}`);
  const all = new Uint8Array(idat.reduce((n, c) => n + c.length, 0));
  let p = 0;
  for (const c of idat) {
    all.set(c, p);
    p += c.length;
  }
  const raw = inflateSync(all);
  if (raw.length !== (width + 1) * height) throw new Error(`IDAT inflates to ${raw.length} bytes, expected ${(width + 1) * height}`);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (width + 1)];
    if (filter !== 0) throw new Error(`row ${y} uses filter ${filter}; the encoder writes filter 0`);
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, colorType, bitDepth, pixels };
}
