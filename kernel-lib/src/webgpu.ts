/**
 * torch.webgpu, in the spirit of torch.cuda: isAvailable() (a hardware adapter, or any adapter with
 * KERNEL_LIB_WEBGPU=software|require), synchronize(), emptyCache(), memoryAllocated(), memoryReserved(), and
 * what the adapter is. Asking starts the device thread once (backends/webgpu/index.ts).
 */
import { webgpuAdapter, webgpuBackend, webgpuUnavailableReason } from "./backends/webgpu/index";
import type { AdapterDescription } from "./backends/webgpu/protocol";

function backendOrThrow(op: string) {
  const b = webgpuBackend();
  if (!b) throw new Error(`torch.webgpu.${op}: WebGPU is not available: ${webgpuUnavailableReason()}`);
  return b;
}

export const webgpu = {
  /** True when tensors can go to "webgpu". */
  isAvailable: (): boolean => webgpuBackend() !== null,
  /** Why not, when isAvailable() is false ("" when it is true). */
  unavailableReason: (): string => webgpuUnavailableReason(),
  /** The adapter WebGPU found (vendor, architecture, description, software), or null. */
  adapterInfo: (): AdapterDescription | null => webgpuAdapter(),
  /** Waits until the GPU has finished all queued work. */
  synchronize: (): void => backendOrThrow("synchronize").synchronize(),
  /** Releases the cached (freed, kept for reuse) buffers to the driver; memory in use stays. */
  emptyCache: (): void => {
    webgpuBackend()?.emptyCache();
  },
  /** Bytes of GPU memory held by live tensors (and optimizer state). */
  memoryAllocated: (): number => webgpuBackend()?.memory.allocated ?? 0,
  /** memoryAllocated() plus the cache emptyCache() releases. */
  memoryReserved: (): number => {
    const m = webgpuBackend()?.memory;
    return m ? m.allocated + m.cached : 0;
  },
};
