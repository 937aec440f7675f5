import { allocate } from "../tensor/dtype";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";

/** What a batch of `Item`s becomes: a tuple of tensors for tuple items, one tensor for a tensor or number item. */
export type Collated<Item> = unknown extends Item
  ? Tensor[]
  : Item extends readonly unknown[]
    ? { -readonly [K in keyof Item]: Tensor }
    : Tensor;

/**
 * PyTorch's default_collate for the item kinds a course uses: tensors are stacked along a new first dimension,
 * numbers become an int32 tensor (float32 when any is fractional), booleans a bool tensor, and tuples/arrays are
 * collated field by field.
 */
export function collate(items: readonly unknown[]): unknown {
  if (items.length === 0) throw new Error("collate: cannot collate an empty batch");
  const first = items[0];
  if (first instanceof Tensor) return stack(items);
  if (typeof first === "number") return numbers(items);
  if (typeof first === "boolean") {
    return Tensor.fromTypedArray(Uint8Array.from(items, (v, i) => (expectKind(v, "boolean", i), v ? 1 : 0)), [items.length], "bool");
  }
  if (Array.isArray(first)) {
    const width = first.length;
    return first.map((_, f) =>
      collate(
        items.map((item, i) => {
          if (!Array.isArray(item) || item.length !== width) {
            throw new Error(`collate: sample ${i} has ${Array.isArray(item) ? item.length : "no"} fields but sample 0 has ${width}`);
          }
          return item[f];
        }),
      ),
    );
  }
  throw new Error(`collate: cannot batch samples of type ${kind(first)}; items must be tensors, numbers or arrays of them`);
}

function stack(items: readonly unknown[]): Tensor {
  const t0 = items[0] as Tensor;
  const row = t0.numel();
  const out = allocate(t0.dtype, row * items.length);
  items.forEach((v, i) => {
    expectKind(v, "Tensor", i);
    const t = v as Tensor;
    if (t.dtype !== t0.dtype || t.shape.length !== t0.shape.length || t.shape.some((d, k) => d !== t0.shape[k])) {
      throw new Error(
        `collate: cannot stack sample ${i} (${t.dtype} ${formatShape(t.shape)}) with sample 0 (${t0.dtype} ${formatShape(t0.shape)})`,
      );
    }
    out.set(t.dataSync(), i * row);
  });
  return Tensor.fromTypedArray(out, [items.length, ...t0.shape], t0.dtype);
}

function numbers(items: readonly unknown[]): Tensor {
  items.forEach((v, i) => expectKind(v, "number", i));
  const values = items as readonly number[];
  const integral = values.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647);
  return integral
    ? Tensor.fromTypedArray(Int32Array.from(values), [values.length], "int32")
    : Tensor.fromTypedArray(Float32Array.from(values), [values.length], "float32");
}

function expectKind(v: unknown, want: string, i: number): void {
  if (kind(v) !== want) throw new Error(`collate: sample ${i} is a ${kind(v)} but sample 0 is a ${want}`);
}

function kind(v: unknown): string {
  if (v instanceof Tensor) return "Tensor";
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v;
}
