/**
 * Whether and how the WebGPU device starts. The device thread starts on the first question (isAvailable(), or a
 * tensor sent to "webgpu"), once per process. KERNEL_LIB_WEBGPU chooses the policy:
 * - unset or "auto": a hardware adapter only; a software one (SwiftShader, lavapipe) counts as no GPU, so the
 *   lecture's `webgpu if available else cpu` never picks a CPU emulation of a GPU by default;
 * - "software": any adapter, software included (tests, CI, machines without a GPU);
 * - "require": as "software", and no adapter at all is an error instead of "not available" (CI);
 * - "off": never start the device thread.
 */
import { DeviceClient } from "./client";
import { WebGpuBackend } from "./backend";
import type { AdapterDescription } from "./protocol";

type Policy = "auto" | "software" | "require" | "off";

function policy(): Policy {
  const v = (process.env.KERNEL_LIB_WEBGPU ?? "").trim().toLowerCase();
  if (v === "" || v === "auto") return "auto";
  if (v === "software" || v === "require" || v === "off") return v;
  throw new Error(`KERNEL_LIB_WEBGPU=${process.env.KERNEL_LIB_WEBGPU}: expected auto, software, require or off`);
}

interface Probe {
  backend: WebGpuBackend | null;
  adapter: AdapterDescription | null;
  why: string;
}

// Pinned for the life of the process with the device thread it started (see device-thread.ts).
let probe: Probe | null = null;

function start(): Probe {
  const p = policy();
  if (p === "off") return { backend: null, adapter: null, why: "KERNEL_LIB_WEBGPU=off" };
  let client: DeviceClient;
  try {
    client = new DeviceClient();
  } catch (e) {
    return fail(p, { backend: null, adapter: null, why: `the WebGPU device thread did not start: ${(e as Error).message}` });
  }
  const adapter = client.adapter;
  if (!adapter) return fail(p, { backend: null, adapter: null, why: client.why ?? "no WebGPU adapter" });
  if (adapter.software && p === "auto") {
    return {
      backend: null, adapter,
      why: `only a software adapter was found (${adapter.description || adapter.architecture}); set KERNEL_LIB_WEBGPU=software to use it`,
    };
  }
  return { backend: new WebGpuBackend(client), adapter, why: "" };
}

function fail(p: Policy, probe: Probe): Probe {
  if (p === "require") throw new Error(`KERNEL_LIB_WEBGPU=require, but WebGPU is not available: ${probe.why}`);
  return probe;
}

function probed(): Probe {
  if (!probe) probe = start();
  return probe;
}

/** The backend when a usable adapter exists, else null (starts the device thread on first use). */
export function webgpuBackend(): WebGpuBackend | null {
  return probed().backend;
}

/** Why there is no WebGPU backend ("" when there is one). */
export function webgpuUnavailableReason(): string {
  return probed().why;
}

export function webgpuAdapter(): AdapterDescription | null {
  return probed().adapter;
}
