// What the GEMM kernels (./gemm.ts, ./gemm-small.ts) do to an output after its k sum, and the 4x8 tile store.

export const EPI_ACC: i32 = 1;   // add into C instead of overwriting
export const EPI_BIAS: i32 = 2;  // add bias[col]
export const EPI_RELU: i32 = 4;  // clamp at 0 (after the bias)

/** Four outputs at c (bias values at bias) after the flags. */
// @ts-ignore: decorator
@inline export function epilogue(acc: v128, c: usize, bias: usize, flags: i32): v128 {
  if (flags & EPI_ACC) acc = f32x4.add(acc, v128.load(c));
  if (flags & EPI_BIAS) acc = f32x4.add(acc, v128.load(bias));
  if (flags & EPI_RELU) acc = f32x4.max(acc, f32x4.splat(0));
  return acc;
}

/** One output at c (its bias value at bias) after the flags. */
// @ts-ignore: decorator
@inline export function epilogue1(v: f32, c: usize, bias: usize, flags: i32): f32 {
  if (flags & EPI_ACC) v += load<f32>(c);
  if (flags & EPI_BIAS) v += load<f32>(bias);
  if (flags & EPI_RELU) v = max<f32>(v, 0);
  return v;
}

/** Stores a 4x8 tile of accumulators (row r in cr0, cr1) at c, rows ldc bytes apart, through the epilogue. */
// @ts-ignore: decorator
@inline export function store4x8(
  c: usize, ldc: usize, bias: usize, flags: i32,
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
): void {
  v128.store(c, epilogue(c00, c, bias, flags)); v128.store(c + 16, epilogue(c01, c + 16, bias + 16, flags)); c += ldc;
  v128.store(c, epilogue(c10, c, bias, flags)); v128.store(c + 16, epilogue(c11, c + 16, bias + 16, flags)); c += ldc;
  v128.store(c, epilogue(c20, c, bias, flags)); v128.store(c + 16, epilogue(c21, c + 16, bias + 16, flags)); c += ldc;
  v128.store(c, epilogue(c30, c, bias, flags)); v128.store(c + 16, epilogue(c31, c + 16, bias + 16, flags));
}
