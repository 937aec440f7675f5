/**
 * PyTorch-style `obj[i]` (and `obj[i] = v`) for class instances, without a Proxy around each instance.
 *
 * A single Proxy is placed at the top of the class's prototype chain (between its prototype and
 * Object.prototype). Property lookups that hit an own field or a method never reach it, so internal property
 * access costs what it did; only a miss (an integer key such as "0" or "-1", or a property nobody defined)
 * arrives at the Proxy, which turns integer keys into `getItem(receiver, i)` and passes the rest on as an
 * ordinary object would. Stores to integer keys go to `setItem`; other stores define the property on the instance.
 *
 * Fields must then be defined (not assigned) at construction, or each new field's store would walk the chain into
 * the Proxy: kernel-lib compiles to ES2022 with native class fields for that reason.
 */
export interface ItemAccess {
  /** what `obj[i]` gives (i may be negative; the handler checks the range) */
  getItem(receiver: object, index: number): unknown;
  /** what `obj[i] = value` does; absent: a clear error */
  setItem?(receiver: object, index: number, value: unknown): void;
  /** the class name used in errors */
  what: string;
}

const INTEGER_KEY = /^-?(?:0|[1-9][0-9]*)$/;

/** The integer of an integer-like property key ("3", "-1"), or null for any other key. */
export function integerKey(key: string | symbol): number | null {
  return typeof key === "string" && INTEGER_KEY.test(key) ? Number(key) : null;
}

export function installItemAccess(prototype: object, access: ItemAccess): void {
  const above = Object.getPrototypeOf(prototype) as object | null;
  const target = Object.create(above) as object;
  const trap = new Proxy(target, {
    get(t, key, receiver) {
      const i = integerKey(key);
      return i === null ? Reflect.get(t, key, receiver) : access.getItem(receiver as object, i);
    },
    set(t, key, value, receiver) {
      const i = integerKey(key);
      if (i === null) return Reflect.set(t, key, value, receiver);
      if (!access.setItem) throw new TypeError(`${access.what} does not support item assignment (obj[${i}] = ...)`);
      access.setItem(receiver as object, i, value);
      return true;
    },
  });
  Object.setPrototypeOf(prototype, trap);
}
