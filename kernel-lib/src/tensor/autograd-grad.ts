import type { Tensor } from "./tensor-class";
import { Node, isGradEnabled, setGradEnabled, topologicalOrder } from "./autograd";
import { formatShape, sameShape } from "./shape";

/** PyTorch's torch.autograd.grad keywords. */
export interface GradOptions {
  /** The vector of the vector-Jacobian product, one per output (required for outputs that are not scalars). */
  gradOutputs?: Tensor | readonly (Tensor | null | undefined)[] | null;
  /** Keep the graph for another backward (defaults to createGraph, as in PyTorch). */
  retainGraph?: boolean;
  /**
   * PyTorch's create_graph (differentiate the returned gradients again). The ops' backward functions use raw
   * kernels that record no graph, so double backward is not supported: true is an error saying so.
   */
  createGraph?: boolean;
  /** An input the outputs do not depend on gets null instead of an error. */
  allowUnused?: boolean;
}

const gradKeys = new Set(["gradOutputs", "retainGraph", "createGraph", "allowUnused"]);

/**
 * torch.autograd.grad(outputs, inputs, options): the gradients of the outputs (summed, each weighted by its
 * gradOutput) with respect to each input, returned in a list. Unlike backward(), no tensor's .grad is touched.
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions = {}): (Tensor | null)[] {
  for (const key of Object.keys(options)) {
    if (!gradKeys.has(key)) throw new Error(`autograd.grad: unknown option "${key}" (the options are ${[...gradKeys].join(", ")})`);
  }
  const outs = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  const ins = Array.isArray(inputs) ? (inputs as readonly Tensor[]) : [inputs as Tensor];
  const createGraph = options.createGraph ?? false;
  if (createGraph) {
    throw new Error(
      "autograd.grad: createGraph (double backward) is not supported: the ops' gradients are computed by kernels that " +
        "record no graph; for a second derivative use finite differences of the first (see d2l's numerical gradient)",
    );
  }
  const retainGraph = options.retainGraph ?? createGraph;
  const go = options.gradOutputs;
  const gradOutputs = go === undefined || go === null ? [] : Array.isArray(go) ? (go as readonly (Tensor | null | undefined)[]) : [go as Tensor];
  if (gradOutputs.length > 0 && gradOutputs.length !== outs.length) {
    throw new Error(`autograd.grad: got ${gradOutputs.length} gradOutputs for ${outs.length} outputs; give one per output`);
  }
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`autograd.grad: input ${i} (shape ${formatShape(t.shape)}) does not require grad; create it with { requiresGrad: true }`);
  });
  const result: (Tensor | null)[] = ins.map(() => null);
  const add = (t: Tensor, g: Tensor) => {
    for (let k = 0; k < ins.length; k++) if (ins[k] === t) result[k] = result[k] === null ? g : result[k]!.add(g);
  };
  const prevMode = isGradEnabled();
  setGradEnabled(false);
  try {
    const grads = new Map<Node, Tensor>();
    const roots: Node[] = [];
    outs.forEach((out, i) => {
      if (!out.requiresGrad) {
        throw new Error(`autograd.grad: output ${i} (shape ${formatShape(out.shape)}) does not require grad and has no gradFn; compute it from inputs created with { requiresGrad: true }`);
      }
      const given = gradOutputs[i];
      let seed: Tensor;
      if (given) {
        if (!sameShape(given.shape, out.shape)) {
          throw new Error(`autograd.grad: gradOutputs[${i}] has shape ${formatShape(given.shape)} but output ${i} has shape ${formatShape(out.shape)}; they must match`);
        }
        seed = given.to(out.dtype);
      } else {
        if (out.numel() !== 1) {
          throw new Error(`autograd.grad: grad can be implicitly created only for scalar outputs, but output ${i} has shape ${formatShape(out.shape)}; pass gradOutputs`);
        }
        seed = out.onesLikeRaw();
      }
      add(out, seed);
      const node = out.gradFn;
      if (node) {
        const prev = grads.get(node);
        grads.set(node, prev ? prev.add(seed) : seed);
        roots.push(node);
      }
    });
    for (const node of topologicalOrder(roots)) {
      const g = grads.get(node);
      grads.delete(node);
      if (!g) continue;
      const inGrads = node.apply(g);
      node.edges.forEach((edge, j) => {
        const gi = inGrads[j];
        if (!edge.needs || !gi) return;
        if (edge.tensor.gradFn === edge.node) add(edge.tensor, gi);
        if (edge.node) {
          const prev = grads.get(edge.node);
          grads.set(edge.node, prev ? prev.add(gi) : gi);
        }
      });
      if (!retainGraph) node.release();
    }
  } finally {
    setGradEnabled(prevMode);
  }
  if (!options.allowUnused) {
    const unused = result.findIndex((g) => g === null);
    if (unused >= 0) {
      throw new Error(
        `autograd.grad: input ${unused} (shape ${formatShape(ins[unused].shape)}) was not used to compute the outputs; ` +
          `pass { allowUnused: true } to get null for it`,
      );
    }
  }
  return result;
}
