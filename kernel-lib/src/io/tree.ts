import { Tensor } from "../tensor/tensor";
import type { StateDict } from "./safetensors";

/** Metadata key holding the JSON skeleton of a nested checkpoint; tensors appear in it as {"$tensor": key}. */
export const TREE_KEY = "kernel_lib_tree";

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** Splits a nested value into its tensors (keyed by dotted path) and a JSON skeleton referring to them. */
export function flattenTree(op: string, root: unknown): { tensors: StateDict; skeleton: string } {
  const tensors: StateDict = {};
  const walk = (v: unknown, path: string): unknown => {
    if (v instanceof Tensor) {
      if (path in tensors) throw new Error(`${op}: two tensors would be stored under the same name "${path}"; rename one key`);
      tensors[path] = v;
      return { $tensor: path };
    }
    const at = (k: string | number): string => (path ? `${path}.${k}` : String(k));
    if (Array.isArray(v)) return v.map((x, i) => walk(x, at(i)));
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, at(k))]));
    if (v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) return v;
    const what = typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v === "number" ? String(v) : typeof v;
    throw new Error(`${op}: cannot store ${what} at "${path}"; a checkpoint holds tensors, finite numbers, strings, booleans, null, arrays and plain objects`);
  };
  const skeleton = JSON.stringify(walk(root, ""));
  return { tensors, skeleton };
}

/** Rebuilds the nested value from its skeleton and tensors. */
export function unflattenTree(source: string, skeleton: string, tensors: StateDict): unknown {
  const build = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(build);
    if (isPlainObject(v)) {
      if (typeof v.$tensor === "string" && Object.keys(v).length === 1) {
        const t = tensors[v.$tensor];
        if (!t) throw new Error(`load: ${source} refers to a tensor "${v.$tensor}" that the file does not contain`);
        return t;
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, build(x)]));
    }
    return v;
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(skeleton);
  } catch (e) {
    throw new Error(`load: ${source} has an unreadable ${TREE_KEY} entry: ${(e as Error).message}`);
  }
  return build(parsed);
}
