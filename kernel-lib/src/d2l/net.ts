import { Module } from "../nn/module";
import { deviceName } from "../ops/convert";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import type { Device } from "../tensor/tensor-class";

/** What the book's helpers call `net`: a Module (called through forward) or a plain function of a batch. */
export type Net = Module | ((X: Tensor) => Tensor);

/** A loss: a loss Module such as `new nn.CrossEntropyLoss({ reduction: "none" })` or a function (yHat, y) => loss. */
export type LossFn = Module | ((yHat: Tensor, y: Tensor) => Tensor);

/** Anything iterated as batches [X, y]: a DataLoader, or an array of [X, y] pairs. */
export type DataIter = Iterable<readonly Tensor[]>;

/** net(X) for a Module or a function, checking that a tensor comes back. */
export function callNet(op: string, net: Net, X: Tensor): Tensor {
  let out: unknown;
  if (net instanceof Module) out = net.forward(X);
  else if (typeof net === "function") out = net(X);
  else throw new Error(`${op}: net must be a torch.nn.Module or a function (X) => Tensor, got ${describe(net)}`);
  if (!(out instanceof Tensor)) throw new Error(`${op}: net returned ${describe(out)} for a batch of shape ${formatShape(X.shape)}; it must return a Tensor`);
  return out;
}

/** loss(yHat, y) for a loss Module or a function, checking that a tensor comes back. */
export function callLoss(op: string, loss: LossFn, yHat: Tensor, y: Tensor): Tensor {
  let out: unknown;
  if (loss instanceof Module) out = loss.forward(yHat, y);
  else if (typeof loss === "function") out = loss(yHat, y);
  else throw new Error(`${op}: loss must be a loss Module (e.g. nn.CrossEntropyLoss) or a function (yHat, y) => Tensor, got ${describe(loss)}`);
  if (!(out instanceof Tensor)) throw new Error(`${op}: loss returned ${describe(out)}; it must return a Tensor`);
  return out;
}

/** The [X, y] of one batch, with an error naming `op` when the batch is something else. */
export function batchXY(op: string, batch: unknown): [Tensor, Tensor] {
  if (Array.isArray(batch) && batch.length >= 2 && batch[0] instanceof Tensor && batch[1] instanceof Tensor) return [batch[0], batch[1]];
  throw new Error(`${op}: each batch must be [X, y] with two tensors (as a DataLoader over [image, label] gives), got ${describe(batch)}`);
}

/**
 * Where the helpers run a batch, as d2l's GPU versions decide: the `device` given, else the device of a Module's
 * first parameter (`next(iter(net.parameters())).device`), else undefined (a function net: batches stay put).
 */
export function netDevice(op: string, net: Net, device?: string): Device | undefined {
  if (device !== undefined) return deviceName(op, device);
  if (net instanceof Module) return net.parameters()[0]?.device;
  return undefined;
}

/** X and y on `device` (unchanged when undefined), like the book's `X, y = X.to(device), y.to(device)`. */
export function batchOn(device: Device | undefined, X: Tensor, y: Tensor): [Tensor, Tensor] {
  return device === undefined ? [X, y] : [X.to(device), y.to(device)];
}

/**
 * Runs fn with `net` (when it is a Module) switched to training (true) or evaluation (false) mode, then puts every
 * sub-module back in the mode it had before.
 */
export function withMode<T>(net: Net, training: boolean, fn: () => T): T {
  if (!(net instanceof Module)) return fn();
  const saved = net.modules().map((m) => [m, m.training] as const);
  net.train(training);
  try {
    return fn();
  } finally {
    for (const [m, mode] of saved) m.training = mode;
  }
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v instanceof Tensor) return `a tensor of shape ${formatShape(v.shape)}`;
  if (Array.isArray(v)) return `an array of ${v.length} element(s)`;
  if (typeof v === "object") return `an object (${(v as object).constructor?.name ?? "Object"})`;
  return `${typeof v} ${String(v)}`;
}
