import type { Backend, Storage } from "../backends/backend";

/**
 * Storage lifetimes on backends that manage their own memory (`Backend.managesMemory`, e.g. GPU buffers):
 * each storage counts the live objects holding it (a tensor and its views, or an optimizer's state entry);
 * when the garbage collector has collected the last of them, `Backend.free` releases it. `release` frees it
 * at once (Tensor.dispose). On backends without managed memory (the CPU: TypedArrays are garbage collected)
 * nothing is registered, so a tensor costs nothing extra.
 */
interface Owned {
  readonly backend: Backend;
  live: number;
}

const owned = new Map<Storage, Owned>();

const collected = new FinalizationRegistry<Storage>((s) => {
  const o = owned.get(s);
  if (o === undefined) return; // already released explicitly
  o.live -= 1;
  if (o.live === 0) {
    owned.delete(s);
    o.backend.free(s);
  }
});

/** Ties `storage` to `holder`: it stays allocated at least as long as `holder` is reachable. */
export function holdStorage(holder: object, storage: Storage, backend: Backend): void {
  if (!backend.managesMemory) return;
  const o = owned.get(storage);
  if (o === undefined) owned.set(storage, { backend, live: 1 });
  else o.live += 1;
  collected.register(holder, storage, holder);
}

/**
 * Frees `storage` now (for every holder: views of a disposed tensor must not be used afterwards).
 * Returns false where it was already released or its backend does not manage memory.
 */
export function releaseStorage(holder: object, storage: Storage, backend: Backend): boolean {
  collected.unregister(holder);
  if (!backend.managesMemory || !owned.has(storage)) return false;
  owned.delete(storage);
  backend.free(storage);
  return true;
}
