/// <reference types="@webgpu/types" />
/**
 * The device thread: the one owner of Dawn's instance, adapter and device (a worker thread started by client.ts).
 * Dawn in Node resolves mapAsync only from its own event loop turns, so the main thread cannot wait for a GPU read
 * itself; it blocks on a shared counter while this thread runs the read and posts the bytes.
 *
 * The Dawn instance is created once and held in a module-level binding for the life of the thread: if the object
 * `create()` returns is garbage-collected the process crashes, and a second `create()` in one process crashed in
 * 4 of 4 runs (issue 16's measurements).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { AdapterDescription, Command, CommandBatch, DeviceThreadInit, Reply } from "./protocol";
import type { KernelLaunch } from "./launch";

const init = workerData as DeviceThreadInit;
const signal = new Int32Array(init.signal);
const port = init.port;

function reply(message: Reply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

// Pinned for the life of the thread (see above).
let dawn: DawnModule | null = null;
let gpu: GPU | null = null;
let device: GPUDevice | null = null;
const buffers = new Map<number, GPUBuffer>();
const pipelines = new Map<string, GPUComputePipeline>();
let firstError: string | null = null;
let lastKernel = "";

const UNIFORM_ALIGN = 256;

function describe(adapter: GPUAdapter): AdapterDescription {
  const info = adapter.info;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  const fallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return {
    vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description,
    software: fallback || /swiftshader|llvmpipe|lavapipe|software|warp/.test(text),
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  };
}

async function start(): Promise<void> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    dawn = require(init.dawnPath) as DawnModule;
    Object.assign(globalThis, dawn.globals); // GPUBufferUsage, GPUMapMode, ...
    gpu = dawn.create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) return reply({ kind: "ready", adapter: null, why: "requestAdapter() found no adapter (no GPU driver; for a CPU driver see docs/webgpu.md)" });
    const limits = adapter.limits;
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      },
    });
    device.addEventListener("uncapturederror", (e: Event) => {
      const message = (e as GPUUncapturedErrorEvent).error.message;
      if (firstError === null) firstError = `${message}${lastKernel ? ` (after kernel ${lastKernel})` : ""}`;
    });
    reply({ kind: "ready", adapter: describe(adapter) });
  } catch (e) {
    reply({ kind: "ready", adapter: null, why: `WebGPU could not start: ${(e as Error).message}` });
  }
}

function bufferOf(id: number): GPUBuffer {
  const b = buffers.get(id);
  if (!b) throw new Error(`webgpu device thread: buffer ${id} does not exist (used after free?)`);
  return b;
}

function pipelineOf(launch: KernelLaunch): GPUComputePipeline {
  let p = pipelines.get(launch.key);
  if (!p) {
    const module = device!.createShaderModule({ code: launch.wgsl, label: launch.key });
    p = device!.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" }, label: launch.key });
    pipelines.set(launch.key, p);
  }
  return p;
}

/** Encodes and submits commands up to (not including) the next write; returns the index after them. */
function runSegment(commands: readonly Command[], from: number): number {
  const dev = device!;
  let end = from;
  let uniformBytes = 0;
  while (end < commands.length && commands[end].op !== "write") {
    const c = commands[end];
    if (c.op === "launch" && c.launch.uniforms) uniformBytes += Math.ceil(c.launch.uniforms.byteLength / UNIFORM_ALIGN) * UNIFORM_ALIGN;
    end++;
  }
  let uniforms: GPUBuffer | null = null;
  if (uniformBytes > 0) {
    uniforms = dev.createBuffer({ size: uniformBytes, usage: GPUBufferUsage.UNIFORM, mappedAtCreation: true });
    const bytes = new Uint8Array(uniforms.getMappedRange());
    let at = 0;
    for (let i = from; i < end; i++) {
      const c = commands[i];
      if (c.op !== "launch" || !c.launch.uniforms) continue;
      bytes.set(new Uint8Array(c.launch.uniforms), at);
      at += Math.ceil(c.launch.uniforms.byteLength / UNIFORM_ALIGN) * UNIFORM_ALIGN;
    }
    uniforms.unmap();
  }
  const encoder = dev.createCommandEncoder();
  let pass: GPUComputePassEncoder | null = null;
  const endPass = (): void => {
    pass?.end();
    pass = null;
  };
  const reads: Array<{ staging: GPUBuffer; bytes: number; request: number }> = [];
  const destroyed: GPUBuffer[] = [];
  let uniformAt = 0;
  for (let i = from; i < end; i++) {
    const c = commands[i];
    switch (c.op) {
      case "create":
        buffers.set(c.id, dev.createBuffer({ size: c.bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST }));
        break;
      case "destroy": {
        const b = buffers.get(c.id);
        buffers.delete(c.id);
        if (b) destroyed.push(b);
        break;
      }
      case "clear":
        endPass();
        encoder.clearBuffer(bufferOf(c.id), 0, c.bytes);
        break;
      case "launch": {
        const l = c.launch;
        lastKernel = l.key;
        const pipeline = pipelineOf(l);
        const entries: GPUBindGroupEntry[] = l.bindings.map((b, binding) => ({ binding, resource: { buffer: bufferOf(b.buffer) } }));
        if (l.uniforms && uniforms) {
          entries.push({ binding: l.bindings.length, resource: { buffer: uniforms, offset: uniformAt, size: l.uniforms.byteLength } });
          uniformAt += Math.ceil(l.uniforms.byteLength / UNIFORM_ALIGN) * UNIFORM_ALIGN;
        }
        const group = dev.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
        if (!pass) pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(l.workgroups[0], l.workgroups[1], l.workgroups[2]);
        break;
      }
      case "read": {
        endPass();
        const staging = dev.createBuffer({ size: Math.max(4, c.bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        if (c.bytes > 0) encoder.copyBufferToBuffer(bufferOf(c.id), 0, staging, 0, c.bytes);
        reads.push({ staging, bytes: c.bytes, request: c.request });
        break;
      }
      case "write":
        break; // not reached: writes end a segment
    }
  }
  endPass();
  dev.queue.submit([encoder.finish()]);
  uniforms?.destroy();
  for (const b of destroyed) b.destroy();
  for (const r of reads) {
    r.staging.mapAsync(GPUMapMode.READ).then(
      () => {
        const data = r.staging.getMappedRange(0, Math.max(4, r.bytes)).slice(0, r.bytes);
        r.staging.unmap();
        r.staging.destroy();
        const error = firstError ?? undefined;
        firstError = null;
        reply({ kind: "read", request: r.request, data: error ? null : data, error }, error ? [] : [data]);
      },
      (e: Error) => reply({ kind: "read", request: r.request, data: null, error: `${firstError ?? e.message}` }),
    );
  }
  return end;
}

function run(batch: CommandBatch): void {
  const commands = batch.commands;
  let i = 0;
  while (i < commands.length) {
    try {
      const c = commands[i];
      if (c.op === "write") {
        device!.queue.writeBuffer(bufferOf(c.id), c.offset, c.data);
        i++;
      } else {
        i = runSegment(commands, i);
      }
    } catch (e) {
      if (firstError === null) firstError = (e as Error).message;
      // the failed segment's reads must still be answered, or the main thread would wait forever
      const failed = commands[i];
      for (let j = i; j < commands.length && commands[j].op !== "write"; j++) {
        const c = commands[j];
        if (c.op === "read") reply({ kind: "read", request: c.request, data: null, error: firstError });
      }
      i = failed.op === "write" ? i + 1 : nextWrite(commands, i);
    }
  }
}

function nextWrite(commands: readonly Command[], from: number): number {
  let i = from;
  while (i < commands.length && commands[i].op !== "write") i++;
  return i;
}

parentPort!.on("message", (batch: CommandBatch) => run(batch));
void start();
