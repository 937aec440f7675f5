import type { Backend } from "./backend";
import { cpuBackend } from "./cpu/index";
import { opaque } from "./webgpu/backend";
import { webgpuBackend, webgpuUnavailableReason } from "./webgpu/index";

const backends = new Map<string, Backend>([["cpu", cpuBackend]]);

/** Registers a backend (the WebGPU backend registers itself when loaded). */
export function registerBackend(backend: Backend): void {
  backends.set(backend.device, backend);
}

export function getBackend(device: string): Backend {
  const b = backends.get(device);
  if (b) return b;
  if (device === "webgpu") {
    // the device thread starts on first use (backends/webgpu/index.ts)
    const gpu = webgpuBackend();
    if (gpu) {
      const registered = opaque(gpu);
      backends.set("webgpu", registered);
      return registered;
    }
    throw new Error(`device "webgpu" is not available: ${webgpuUnavailableReason()}. Check torch.webgpu.isAvailable() first, or use "cpu"`);
  }
  throw new Error(`device "${device}" is not available; available devices: ${[...backends.keys()].join(", ")}`);
}

/** Every registered backend (the conformance suite runs on each). */
export function listBackends(): Backend[] {
  return [...backends.values()];
}

/**
 * KERNEL_LIB_BACKEND_MODULE names a CommonJS module (an absolute path) whose `backend` export is registered when
 * kernel-lib loads, replacing the backend of the same device. It is how a backend written outside kernel-lib runs
 * whole notebooks in a kernel: the test suite runs every notebook on its test-only array backend this way.
 */
function registerBackendModule(file: string | undefined): void {
  if (file === undefined || file === "") return;
  let loaded: unknown;
  try {
    loaded = require(file);
  } catch (e) {
    throw new Error(`KERNEL_LIB_BACKEND_MODULE=${file}: could not load it: ${(e as Error).message}`);
  }
  const backend = (loaded as { backend?: Backend } | null)?.backend;
  if (!backend || typeof backend.device !== "string" || typeof backend.alloc !== "function") {
    throw new Error(`KERNEL_LIB_BACKEND_MODULE=${file}: the module has no \`backend\` export (a Backend with a device name)`);
  }
  registerBackend(backend);
}

registerBackendModule(process.env.KERNEL_LIB_BACKEND_MODULE);
