import { DType, TypedArray, allocate } from "../tensor/dtype";
import { formatShape, numelOf } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";

/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header length N,
 * N bytes of JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: {str: str} }`
 * padded with spaces to a multiple of 8, then the raw little-endian tensor bytes (offsets relative to their start).
 */

export type StateDict = Record<string, Tensor>;

const CODE_OF: Record<DType, string> = { float32: "F32", float64: "F64", int32: "I32", uint8: "U8", bool: "BOOL" };
const DTYPE_OF: Record<string, DType> = { F32: "float32", F64: "float64", I32: "int32", U8: "uint8", BOOL: "bool" };
// Types written by other tools that load by conversion: int64 to int32 (checked), halves to float32.
const CONVERTED: Record<string, { bytes: number; to: DType }> = {
  I64: { bytes: 8, to: "int32" },
  F16: { bytes: 2, to: "float32" },
  BF16: { bytes: 2, to: "float32" },
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Serialize named tensors to safetensors bytes, in the order of `tensors`' keys. */
export function encodeSafetensors(tensors: StateDict, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new Error(`save: metadata value for "${k}" must be a string, got ${typeof v}`);
    }
    header.__metadata__ = metadata;
  }
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (!(t instanceof Tensor)) {
      throw new Error(`save: value for "${name}" is not a Tensor (${describe(t)}); a state dict maps names to tensors`);
    }
    if (name === "__metadata__") throw new Error(`save: "__metadata__" is reserved by the safetensors format`);
    const bytes = littleEndianBytes(t.dataSync());
    header[name] = { dtype: CODE_OF[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  let headerBytes = new TextEncoder().encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad > 0) {
    json += " ".repeat(pad);
    headerBytes = new TextEncoder().encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** Parse safetensors bytes into named tensors (in header order) and the optional metadata. */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = "safetensors data",
): { tensors: StateDict; metadata: Record<string, string> | undefined } {
  const fail = (why: string): never => {
    throw new Error(`load: ${source} is not a valid safetensors file: ${why}`);
  };
  if (bytes.length < 8) fail(`it has ${bytes.length} bytes, fewer than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > bytes.length - 8) fail(`header length ${headerLen} exceeds the file size ${bytes.length}`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    fail(`the header is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) fail("the header is not a JSON object");
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors: StateDict = {};
  let metadata: Record<string, string> | undefined;
  const entries = Object.entries(header as Record<string, unknown>);
  for (const [name, raw] of entries) {
    if (name === "__metadata__") {
      metadata = raw as Record<string, string>;
      continue;
    }
    const e = raw as Partial<HeaderEntry>;
    if (typeof e !== "object" || e === null || typeof e.dtype !== "string" || !Array.isArray(e.shape) || !Array.isArray(e.data_offsets)) {
      fail(`entry "${name}" lacks dtype, shape or data_offsets`);
    }
    const { dtype: code, shape, data_offsets: [begin, end] } = e as HeaderEntry;
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`entry "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    if (!(Number.isInteger(begin) && Number.isInteger(end) && 0 <= begin && begin <= end && end <= dataLen)) {
      fail(`entry "${name}" has data_offsets [${begin}, ${end}] outside the ${dataLen} data bytes`);
    }
    const n = numelOf(shape);
    const chunk = bytes.subarray(dataStart + begin, dataStart + end);
    const dtype = DTYPE_OF[code];
    if (dtype !== undefined) {
      const data = allocate(dtype, n);
      if (chunk.length !== data.byteLength) {
        fail(`entry "${name}" (${code} ${formatShape(shape)}) needs ${data.byteLength} bytes but has ${chunk.length}`);
      }
      readLittleEndian(chunk, data);
      if (dtype === "bool" && !(data as Uint8Array).every((v) => v <= 1)) fail(`entry "${name}" has BOOL bytes other than 0 and 1`);
      tensors[name] = Tensor.fromTypedArray(data, shape, dtype);
    } else if (CONVERTED[code] !== undefined) {
      const { bytes: size, to } = CONVERTED[code];
      if (chunk.length !== n * size) fail(`entry "${name}" (${code} ${formatShape(shape)}) needs ${n * size} bytes but has ${chunk.length}`);
      tensors[name] = Tensor.fromTypedArray(convert(name, code, chunk, n), shape, to);
    } else {
      fail(`entry "${name}" has dtype ${code}; supported: ${[...Object.keys(DTYPE_OF), ...Object.keys(CONVERTED)].join(", ")}`);
    }
  }
  return { tensors, metadata };
}

function littleEndianBytes(data: TypedArray): Uint8Array {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const copy = new Uint8Array(raw); // own copy: the tensor may change after saving
  if (!LITTLE_ENDIAN) swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

function readLittleEndian(chunk: Uint8Array, into: TypedArray): void {
  const target = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  target.set(chunk);
  if (!LITTLE_ENDIAN) swapBytes(target, into.BYTES_PER_ELEMENT);
}

function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

function convert(name: string, code: string, chunk: Uint8Array, n: number): TypedArray {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (code === "I64") {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = view.getBigInt64(8 * i, true);
      if (v > 2147483647n || v < -2147483648n) {
        throw new Error(`load: entry "${name}" holds int64 value ${v} at element ${i}, outside the int32 range`);
      }
      out[i] = Number(v);
    }
    return out;
  }
  const out = new Float32Array(n);
  if (code === "BF16") {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
  } else {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v;
}
