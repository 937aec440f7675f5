import type { Backend } from "./backend";
import { cpuBackend } from "./cpu/index";

const backends = new Map<string, Backend>([["cpu", cpuBackend]]);

/** Registers a backend (the WebGPU backend registers itself when loaded). */
export function registerBackend(backend: Backend): void {
  backends.set(backend.device, backend);
}

export function getBackend(device: string): Backend {
  const b = backends.get(device);
  if (!b) throw new Error(`device "${device}" is not available; available devices: ${[...backends.keys()].join(", ")}`);
  return b;
}

/** Every registered backend (the conformance suite runs on each). */
export function listBackends(): Backend[] {
  return [...backends.values()];
}
