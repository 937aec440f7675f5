import type { Tensor } from "./tensor-class";
import { getBackend } from "../backends/registry";
import { formatShape, sameShape } from "./shape";

/**
 * The dynamic autograd graph. Every differentiable op that sees an input requiring grad (while grad mode is
 * on) gives its output a Node: the op's backward function plus edges to its inputs. An edge remembers the
 * input's own node at record time (or the leaf itself), so an in-place op that later gives the input a new
 * node cannot create a cycle. Saved tensors carry their version at record time; an in-place change to them
 * before backward is an error instead of a silently wrong gradient.
 */
export type BackwardFn = (grad: Tensor, needs: readonly boolean[]) => readonly (Tensor | null | undefined)[];

export interface Edge {
  tensor: Tensor;
  node: Node | null;
  needs: boolean;
}

export class Node {
  backwardFn: BackwardFn | null;
  readonly edges: Edge[];
  private saved: { tensor: Tensor; version: number }[];

  constructor(readonly name: string, inputs: readonly Tensor[], backwardFn: BackwardFn, saved: readonly Tensor[]) {
    this.backwardFn = backwardFn;
    this.edges = inputs.map((t) => ({ tensor: t, node: t.gradFn, needs: t.requiresGrad }));
    this.saved = saved.map((t) => ({ tensor: t, version: t._version.v }));
  }

  /** @internal runs the backward function after checking the graph is still usable. */
  apply(grad: Tensor): readonly (Tensor | null | undefined)[] {
    if (!this.backwardFn) {
      throw new Error(
        `backward: trying to backward through the graph a second time (through ${this.name}); its saved values ` +
          `were freed by the first backward(). Call the first backward({ retainGraph: true }) ` +
          `(e.g. y.backward(undefined, { retainGraph: true })) if you need to backward twice, or recompute the forward pass.`,
      );
    }
    for (const s of this.saved) {
      if (s.tensor._version.v !== s.version) {
        throw new Error(
          `backward: a tensor of shape ${formatShape(s.tensor.shape)} that ${this.name} saved for its gradient ` +
            `was modified by an in-place operation afterwards; use an out-of-place op (e.g. x.add(y) instead of x.add_(y)) ` +
            `or clone() it before changing it.`,
        );
      }
    }
    return this.backwardFn(grad, this.edges.map((e) => e.needs));
  }

  release(): void {
    this.backwardFn = null;
    this.saved = [];
  }
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

export function setGradEnabled(enabled: boolean): void {
  gradEnabled = enabled;
}

/** Runs fn without recording a graph (PyTorch's `with torch.no_grad():`) and returns its value. */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs fn with grad mode on (PyTorch's `torch.enable_grad()`). */
export function enableGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/**
 * Attaches a node to `out` when grad mode is on and some input requires grad. `saved` lists the tensors the
 * backward function reads (checked for in-place changes); it defaults to the inputs.
 */
export function record(out: Tensor, name: string, inputs: readonly Tensor[], backward: BackwardFn, saved: readonly Tensor[] = inputs): Tensor {
  if (!gradEnabled || !inputs.some((t) => t.requiresGrad)) return out;
  out.gradFn = new Node(name, inputs, backward, saved);
  out._requiresGrad = true;
  return out;
}

/**
 * Gradients a backward function has just allocated and holds no other reference to (a matmul's gA/gB, a reduced
 * bias gradient). A leaf whose grad is null takes such a gradient as is instead of copying it.
 */
const freshGrads = new WeakSet<Tensor>();

/** @internal marks `t` as a new tensor that only the backward function returning it references; returns t. */
export function freshGrad(t: Tensor): Tensor {
  freshGrads.add(t);
  return t;
}

/** Accumulates g into t.grad in place (allocating the first time, never aliasing g). */
function accumulate(t: Tensor, g: Tensor): void {
  if (t._gradValue === null) setOwnGrad(t, g.to(t.dtype).clone());
  else t._gradValue._addInPlaceRaw(g);
}

/** Gives t a gradient tensor that nothing else references (a fresh one, or a copy). */
function setOwnGrad(t: Tensor, g: Tensor): void {
  t._gradValue = g;
  t._gradExposed = false;
}

/**
 * Sets t's gradient to null (zeroGrad). When the gradient tensor was only ever handled inside the library (nobody
 * read `t.grad` since backward created it; see Tensor._gradExposed), no other reference to it or its storage exists,
 * so the storage goes back to the backend (Backend.recycle) for the next backward's gradient of the same size: a
 * training loop then stops allocating, and page-faulting, its weight gradients every step.
 */
export function dropGrad(t: Tensor): void {
  const g = t._gradValue;
  const reusable = g !== null && !t._gradExposed && g._base === null && g.gradFn === null;
  t._gradValue = null;
  t._gradExposed = false;
  if (reusable) getBackend(g.device).recycle?.(g._data);
}

export function runBackward(root: Tensor, gradient: Tensor | undefined, retainGraph: boolean): void {
  if (!root.requiresGrad) {
    throw new Error(
      `backward: this tensor (shape ${formatShape(root.shape)}) does not require grad and has no gradFn; ` +
        `create the inputs with { requiresGrad: true } (or call x.requiresGrad_()) before computing it, outside torch.noGrad.`,
    );
  }
  let seed: Tensor;
  if (gradient === undefined) {
    if (root.numel() !== 1) {
      throw new Error(
        `backward: grad can be implicitly created only for scalar outputs, but this tensor has shape ${formatShape(root.shape)}; ` +
          `reduce it first (y.sum().backward()) or pass a gradient of the same shape (y.backward(torch.onesLike(y))).`,
      );
    }
    seed = root.onesLikeRaw();
  } else {
    if (!sameShape(gradient.shape, root.shape)) {
      throw new Error(
        `backward: gradient has shape ${formatShape(gradient.shape)} but the tensor has shape ${formatShape(root.shape)}; they must match.`,
      );
    }
    seed = gradient.to(root.dtype);
  }
  const prevMode = gradEnabled;
  gradEnabled = false;
  try {
    if (root.gradFn === null) {
      accumulate(root, seed);
      return;
    }
    const order = topologicalOrder([root.gradFn]);
    const grads = new Map<Node, Tensor>([[root.gradFn, seed]]);
    if (root._retainsGrad) accumulate(root, seed);
    for (let i = 0; i < order.length; i++) {
      const node = order[i];
      const g = grads.get(node);
      grads.delete(node);
      if (!g) continue;
      const inGrads = node.apply(g);
      const edges = node.edges;
      for (let j = 0; j < edges.length; j++) {
        const edge = edges[j];
        const gi = inGrads[j];
        if (!edge.needs || !gi) continue;
        if (!sameShape(gi.shape, edge.tensor.shape)) {
          throw new Error(
            `backward: internal error in ${node.name}: gradient of shape ${formatShape(gi.shape)} for an input of shape ${formatShape(edge.tensor.shape)}`,
          );
        }
        if (edge.node) {
          const prev = grads.get(edge.node);
          grads.set(edge.node, prev ? prev.add(gi) : gi);
          if (edge.tensor._retainsGrad && edge.tensor.gradFn === edge.node) accumulate(edge.tensor, gi);
        } else if (edge.tensor._gradValue === null && freshGrads.has(gi) && gi.dtype === edge.tensor.dtype && onlyOnce(inGrads, gi)) {
          freshGrads.delete(gi);
          setOwnGrad(edge.tensor, gi);
        } else {
          accumulate(edge.tensor, gi);
        }
      }
      if (!retainGraph) node.release();
    }
  } finally {
    gradEnabled = prevMode;
  }
}

function onlyOnce(list: readonly (Tensor | null | undefined)[], t: Tensor): boolean {
  let count = 0;
  for (const x of list) if (x === t) count++;
  return count === 1;
}

/** Nodes reachable from the roots, each after every node that feeds it a gradient (iterative: graphs can be deep). */
export function topologicalOrder(roots: readonly Node[]): Node[] {
  const order: Node[] = [];
  const visited = new Set<Node>();
  for (const root of roots) {
    if (visited.has(root)) continue;
    visited.add(root);
    const stack: [Node, number][] = [[root, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const edges = top[0].edges;
      if (top[1] < edges.length) {
        const next = edges[top[1]++].node;
        if (next && !visited.has(next)) {
          visited.add(next);
          stack.push([next, 0]);
        }
      } else {
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  return order.reverse();
}
