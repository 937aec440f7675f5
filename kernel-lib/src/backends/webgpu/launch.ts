/**
 * The one message a WebGPU compute kernel becomes: everything the device thread needs to run it, and nothing
 * about what it computes. Kernel builders (backends/webgpu/kernels/) turn an op's arguments into launches; the
 * device thread (backends/webgpu/device/) compiles `wgsl` once per `key`, binds the buffers and the uniform
 * block, and dispatches. Launches are plain data so they can cross to the worker thread that owns the device.
 */
export type BufferRef = number;

export interface KernelBinding {
  /** the storage buffer's handle (the backend's own id for a GPU buffer) */
  readonly buffer: BufferRef;
  /** `read` binds it as `var<storage, read>`, `read_write` as `var<storage, read_write>` */
  readonly access: "read" | "read_write";
}

export interface KernelLaunch {
  /** pipeline cache key: two launches with the same key must carry the same `wgsl` */
  readonly key: string;
  /**
   * A compute shader with entry point `main`. Storage buffers are `@group(0) @binding(i)` in the order of
   * `bindings`; when `uniforms` is given it is `@group(0) @binding(bindings.length)` as `var<uniform>`.
   */
  readonly wgsl: string;
  readonly bindings: readonly KernelBinding[];
  /** the uniform block's bytes (a multiple of 16 bytes), or absent for a kernel without one */
  readonly uniforms?: ArrayBuffer;
  /** workgroup counts; each at most 65535 (builders split larger grids over y) */
  readonly workgroups: readonly [number, number, number];
}
