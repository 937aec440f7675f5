import { getBackend } from "../backends/registry";
import { record } from "../tensor/autograd";
import { DType, DTYPES, isFloating } from "../tensor/dtype";
import { Device, Tensor } from "../tensor/tensor-class";
import { alloc, backendOf, viewOf } from "./core";
import { binaryRaw } from "./elementwise";

export function clone(x: Tensor): Tensor {
  const out = alloc(x.shape, x.dtype, x.device);
  backendOf(x).copy(x._data, 0, out._data, 0, x.numel());
  return record(out, "CloneBackward", [x], (g) => [g], []);
}

/** A tensor sharing x's storage with no graph (changes through either are seen by both). */
export function detach(x: Tensor): Tensor {
  const out = viewOf(x, x.shape);
  out._base = null; // a detached alias may be changed in place freely (version counters still guard backward)
  return out;
}

/** Converts dtype (a new tensor; the same tensor when the dtype already matches, as PyTorch). */
export function toDtype(x: Tensor, dtype: DType): Tensor {
  if (!(DTYPES as readonly string[]).includes(dtype)) {
    throw new Error(`to: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(", ")}`);
  }
  if (x.dtype === dtype) return x;
  let out: Tensor;
  if (dtype === "bool") {
    out = binaryRaw("ne", x, alloc([], x.dtype, x.device), "bool", "to");
  } else {
    out = alloc(x.shape, dtype, x.device);
    backendOf(x).copy(x._data, 0, out._data, 0, x.numel());
  }
  if (!isFloating(dtype)) return out;
  return record(out, "ToCopyBackward", [x], (g) => [toDtype(g, x.dtype)], []);
}

const DEVICE_ALIASES: Record<string, Device> = { cpu: "cpu", "cpu:0": "cpu", webgpu: "webgpu", gpu: "webgpu" };

/** A device string as PyTorch spells it, checked: "cpu", "cpu:0"; CUDA/MPS names are errors saying what exists. */
export function deviceName(op: string, device: string): Device {
  const target = DEVICE_ALIASES[device];
  if (target) return target;
  const name = JSON.stringify(device);
  if (typeof device === "string" && /^(cuda|mps|xpu|hip)(:\d+)?$/.test(device)) {
    throw new Error(
      `${op}: ${name} is not available here: there is no CUDA (torch.cuda.isAvailable() is false); kernel-lib's GPU device is ` +
        `"webgpu". Pick the device as device = torch.webgpu.isAvailable() ? "webgpu" : "cpu"`,
    );
  }
  throw new Error(`${op}: unknown device ${name}; the devices are "cpu" and "webgpu" (when torch.webgpu.isAvailable())`);
}

export function toDevice(x: Tensor, device: string): Tensor {
  const target = deviceName("to", device);
  if (target === x.device) return x;
  const host = backendOf(x).readSync(x._data);
  const out = new Tensor(getBackend(target).upload(host.slice()), x.shape, x.dtype, target);
  return record(out, "ToCopyBackward", [x], (g) => [toDevice(g, x.device)], []);
}

/** to(dtype), to(device) or to(other) (other's dtype and device). */
export function to(x: Tensor, target: DType | Device | Tensor | string): Tensor {
  if (target instanceof Tensor) return toDevice(toDtype(x, target.dtype), target.device);
  if ((DTYPES as readonly string[]).includes(target)) return toDtype(x, target as DType);
  return toDevice(x, target);
}

export function onesLikeRaw(x: Tensor): Tensor {
  const out = alloc(x.shape, x.dtype, x.device);
  backendOf(x).fill(out._data, 1);
  return out;
}
