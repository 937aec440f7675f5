import type { TypedArray } from "../../tensor/dtype";
import { nativeGatherRowsF32 } from "./native";

/** Rows at least this long are copied whole (set() or memcpy) by indexSelect instead of element by element. */
const ROW_COPY_MIN = 32;

/** Gathers a strided view of x (element offset, shape, strides) into contiguous out. */
export function strided(x: TypedArray, offset: number, shape: readonly number[], strides: readonly number[], out: TypedArray): void {
  const n = out.length;
  if (n === 0) return;
  const rank = shape.length;
  if (rank === 0) { out[0] = x[offset]; return; }
  const last = rank - 1, len = shape[last], st = strides[last];
  const idx = new Array<number>(last).fill(0);
  let src = offset;
  for (let o = 0; o < n; o += len) {
    if (st === 1) for (let i = 0; i < len; i++) out[o + i] = x[src + i];
    else for (let i = 0, p = src; i < len; i++, p += st) out[o + i] = x[p];
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++;
      src += strides[d];
      if (idx[d] < shape[d]) break;
      src -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

export function indexSelect(x: TypedArray, outer: number, size: number, inner: number, index: TypedArray, out: TypedArray): void {
  const m = index.length;
  // Rows along the first dimension (a batch of samples): one memcpy a row natively, else one set() a row once rows
  // are long enough for a set() to beat the element loop. The indices were checked by the caller.
  if (outer === 1 && inner >= ROW_COPY_MIN && x instanceof Float32Array && out instanceof Float32Array && index instanceof Int32Array &&
      x.length === size * inner && nativeGatherRowsF32(x, inner, index, out)) return;
  if (inner >= ROW_COPY_MIN && x.constructor === out.constructor) {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < m; j++) {
        const src = (o * size + index[j]) * inner;
        out.set(x.subarray(src, src + inner), (o * m + j) * inner);
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * size + index[j]) * inner;
      const dst = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = x[src + i];
    }
  }
}

export function indexAdd(src: TypedArray, outer: number, size: number, inner: number, index: TypedArray, out: TypedArray): void {
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * size + index[j]) * inner;
      const s = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] += src[s + i];
    }
  }
}

export function gather(x: TypedArray, outer: number, size: number, inner: number, index: TypedArray, idxSize: number, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idxSize; j++) {
      const p = (o * idxSize + j) * inner;
      for (let i = 0; i < inner; i++) out[p + i] = x[(o * size + index[p + i]) * inner + i];
    }
  }
}

export function scatterAdd(src: TypedArray, outer: number, size: number, inner: number, index: TypedArray, idxSize: number, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idxSize; j++) {
      const p = (o * idxSize + j) * inner;
      for (let i = 0; i < inner; i++) out[(o * size + index[p + i]) * inner + i] += src[p + i];
    }
  }
}
