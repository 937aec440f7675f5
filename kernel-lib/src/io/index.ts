import { readFileSync, writeFileSync } from "fs";
import { Tensor } from "../tensor/tensor";
import { StateDict, decodeSafetensors, encodeSafetensors } from "./safetensors";

export type { StateDict } from "./safetensors";
export { decodeSafetensors, encodeSafetensors } from "./safetensors";

/** What torch.save accepts: a state dict (name to tensor), a Map of them, one tensor, or an array of tensors. */
export type Saveable = StateDict | Map<string, Tensor> | Tensor | Tensor[];

// Recorded in the file's __metadata__ so load gives back a tensor or an array as d2l's examples expect.
const CONTAINER_KEY = "kernel_lib_container";

/**
 * torch.save: write tensors to `path` in the safetensors format (readable by Python's `safetensors.torch.load_file`).
 * A state dict keeps its keys; one tensor is stored under "tensor", an array under "0", "1", ...
 */
export function save(obj: Saveable, path: string): void {
  let tensors: StateDict;
  let metadata: Record<string, string> | undefined;
  if (obj instanceof Tensor) {
    tensors = { tensor: obj };
    metadata = { [CONTAINER_KEY]: "tensor" };
  } else if (Array.isArray(obj)) {
    tensors = {};
    obj.forEach((t, i) => (tensors[String(i)] = t));
    metadata = { [CONTAINER_KEY]: "list" };
  } else if (obj instanceof Map) {
    tensors = Object.fromEntries(obj);
  } else if (typeof obj === "object" && obj !== null && Object.getPrototypeOf(obj) === Object.prototype) {
    tensors = obj;
  } else {
    const what = typeof obj === "object" && obj !== null ? (obj as object).constructor.name : typeof obj;
    throw new Error(`save: cannot save a ${what}; pass a state dict such as model.stateDict(), a tensor or an array of tensors`);
  }
  writeFileSync(path, encodeSafetensors(tensors, metadata));
}

/**
 * torch.load: read a safetensors file written by torch.save or by Python's safetensors. Returns the state dict,
 * or the tensor / array of tensors that was saved; name the type you expect: `torch.load<torch.Tensor>("x-file")`.
 */
export function load<T extends Saveable = StateDict>(path: string): T {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`load: cannot read ${path}: ${(e as Error).message}`);
  }
  const { tensors, metadata } = decodeSafetensors(bytes, path);
  const container = metadata?.[CONTAINER_KEY];
  if (container === "tensor") return tensors.tensor as T;
  if (container === "list") return Object.keys(tensors).map((_, i) => tensors[String(i)]) as T;
  return tensors as T;
}
