import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "fs";
import { basename, dirname, join } from "path";
import { Tensor } from "../tensor/tensor";
import { StateDict, decodeSafetensors, encodeSafetensors } from "./safetensors";
import { TREE_KEY, flattenTree, isPlainObject, unflattenTree } from "./tree";

export type { StateDict } from "./safetensors";
export { decodeSafetensors, encodeSafetensors } from "./safetensors";

/** JSON-like values with tensors inside: `{ model: net.stateDict(), optimizer: opt.stateDict(), epoch: 3 }`. */
export type Checkpoint = Tensor | number | string | boolean | null | Checkpoint[] | { [key: string]: Checkpoint };

/** What torch.save accepts: a state dict (name to tensor), a Map of them, a tensor, an array, or a nested checkpoint. */
export type Saveable = StateDict | Map<string, Tensor> | Tensor | Tensor[] | Checkpoint;

// Recorded in the file's __metadata__ so load gives back a tensor or an array as d2l's examples expect.
const CONTAINER_KEY = "kernel_lib_container";

/**
 * torch.save: write tensors to `path` in the safetensors format (readable by Python's `safetensors.torch.load_file`).
 * A state dict keeps its keys; one tensor is stored under "tensor", an array under "0", "1", ...; a nested
 * object (a checkpoint with numbers and strings) stores its tensors under dotted paths and its shape in metadata.
 */
export function save(obj: Saveable, path: string): void {
  let tensors: StateDict;
  let metadata: Record<string, string> | undefined;
  if (obj instanceof Tensor) {
    tensors = { tensor: obj };
    metadata = { [CONTAINER_KEY]: "tensor" };
  } else if (Array.isArray(obj) && obj.every((t) => t instanceof Tensor)) {
    tensors = {};
    obj.forEach((t, i) => (tensors[String(i)] = t as Tensor));
    metadata = { [CONTAINER_KEY]: "list" };
  } else if (obj instanceof Map) {
    tensors = Object.fromEntries(obj);
  } else if (isPlainObject(obj) && Object.values(obj).every((v) => v instanceof Tensor)) {
    tensors = obj as StateDict;
  } else if (isPlainObject(obj) || Array.isArray(obj)) {
    const flat = flattenTree("save", obj);
    tensors = flat.tensors;
    metadata = { [TREE_KEY]: flat.skeleton };
  } else {
    const what = typeof obj === "object" && obj !== null ? (obj as object).constructor.name : String(obj === null ? "null" : typeof obj);
    throw new Error(`save: cannot save a ${what}; pass a state dict such as model.stateDict(), a tensor or an array of tensors`);
  }
  writeAtomically(path, encodeSafetensors(tensors, metadata));
}

/**
 * Writes to a temporary file in the target's folder, flushes it, then renames it over the target: a save
 * that is killed or fails part way leaves the previous file as it was (rename is atomic within a file system).
 */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, "wx", 0o644);
  } catch (e) {
    throw new Error(`save: cannot write ${path}: ${(e as Error).message}`);
  }
  try {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw new Error(`save: cannot write ${path}: ${(e as Error).message}`);
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new Error(`save: cannot write ${path}: ${(e as Error).message}`);
  }
}

/**
 * torch.load: read a safetensors file written by torch.save or by Python's safetensors. Returns the state dict,
 * or the tensor / array / checkpoint that was saved; name the type you expect: `torch.load<torch.Tensor>("x-file")`.
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
  const tree = metadata?.[TREE_KEY];
  if (tree !== undefined) return unflattenTree(path, tree, tensors) as T;
  return tensors as T;
}
