/** Element types a tensor can hold. float32 is the default; float64 is for gradient checks. */
export type DType = "float32" | "float64" | "int32" | "uint8" | "bool";

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ["float32", "float64", "int32", "uint8", "bool"];

export function isFloating(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

export function allocate(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(length);
    case "float64":
      return new Float64Array(length);
    case "int32":
      return new Int32Array(length);
    case "uint8":
    case "bool":
      return new Uint8Array(length);
  }
}

/** The dtype a TypedArray holds when no dtype is given (Uint8Array means uint8, not bool). */
export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array) return "int32";
  return "uint8";
}

export function assertDType(op: string, dtype: unknown): DType {
  if (typeof dtype === "string" && (DTYPES as readonly string[]).includes(dtype)) return dtype as DType;
  throw new Error(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(", ")}`);
}

/** Type promotion for binary ops, as PyTorch does for these dtypes. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const rank: Record<DType, number> = { bool: 0, uint8: 1, int32: 2, float32: 3, float64: 4 };
  return rank[a] >= rank[b] ? a : b;
}
