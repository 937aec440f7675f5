/**
 * Bookkeeping of the resident region of wasm memory: blocks that outlive a kernel call (the storage of large float32
 * parameters, see WasmRuntime.residentF32), between the thread slots and the per-call arena, which starts at `top`.
 * First fit over a free list sorted by address, merging neighbours; freeing the highest block lowers `top`, so the
 * arena moves back down. Sizes are multiples of 64 bytes. Pure arithmetic: the runtime owns the memory.
 */
export class ResidentRegion {
  /** One past the highest block in use: where the arena starts. */
  top: number;
  private readonly free: Array<{ ptr: number; bytes: number }> = [];

  constructor(readonly base: number) {
    if (base % 64 !== 0) throw new Error(`ResidentRegion: base ${base} is not 64-byte aligned`);
    this.top = base;
  }

  /** Byte offset of a new block of `bytes` (rounded up to 64). */
  alloc(bytes: number): number {
    const size = ResidentRegion.size(bytes);
    for (let i = 0; i < this.free.length; i++) {
      const hole = this.free[i];
      if (hole.bytes < size) continue;
      const ptr = hole.ptr;
      if (hole.bytes === size) this.free.splice(i, 1);
      else {
        hole.ptr += size;
        hole.bytes -= size;
      }
      return ptr;
    }
    const ptr = this.top;
    this.top += size;
    return ptr;
  }

  /** Returns a block that alloc(bytes) gave. */
  release(ptr: number, bytes: number): void {
    const size = ResidentRegion.size(bytes);
    if (ptr < this.base || ptr + size > this.top || ptr % 64 !== 0) throw new Error(`ResidentRegion: no block of ${size} bytes at ${ptr}`);
    let i = 0;
    while (i < this.free.length && this.free[i].ptr < ptr) i++;
    const before = i > 0 ? this.free[i - 1] : null, after = i < this.free.length ? this.free[i] : null;
    if ((before && before.ptr + before.bytes > ptr) || (after && ptr + size > after.ptr)) {
      throw new Error(`ResidentRegion: the block at ${ptr} (${size} bytes) is already free`);
    }
    if (before && before.ptr + before.bytes === ptr) {
      before.bytes += size;
      if (after && before.ptr + before.bytes === after.ptr) {
        before.bytes += after.bytes;
        this.free.splice(i, 1);
      }
    } else if (after && ptr + size === after.ptr) {
      after.ptr = ptr;
      after.bytes += size;
    } else {
      this.free.splice(i, 0, { ptr, bytes: size });
    }
    const last = this.free[this.free.length - 1];
    if (last && last.ptr + last.bytes === this.top) {
      this.top = last.ptr;
      this.free.pop();
    }
  }

  /** Bytes in free holes below top (for tests and diagnostics). */
  holeBytes(): number {
    return this.free.reduce((sum, hole) => sum + hole.bytes, 0);
  }

  static size(bytes: number): number {
    return Math.max(64, Math.ceil(bytes / 64) * 64);
  }
}
