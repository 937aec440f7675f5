import { describe, expect, it } from "vitest";
import { torch } from "../kernel-lib/src/index";

describe("autograd engine", () => {
  it("accumulates gradients into leaves until zeroed", () => {
    const w = torch.tensor([1, 2, 3], { requiresGrad: true });
    w.mul(w).sum().backward();
    expect(w.grad!.tolist()).toEqual([2, 4, 6]);
    w.mul(2).sum().backward();
    expect(w.grad!.tolist()).toEqual([4, 6, 8]);
    w.grad!.zero_();
    w.sum().backward();
    expect(w.grad!.tolist()).toEqual([1, 1, 1]);
  });

  it("tracks isLeaf, requiresGrad propagation, gradFn and detach", () => {
    const a = torch.ones(2, { requiresGrad: true });
    const c = torch.ones(2);
    const y = a.add(c);
    expect(a.isLeaf).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(y.requiresGrad).toBe(true);
    expect(y.gradFn).not.toBeNull();
    expect(c.add(c).requiresGrad).toBe(false);
    const d = y.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    // detach shares storage
    d.fill_(5);
    expect(y.tolist()).toEqual([5, 5]);
  });

  it("backward(gradient) on a non-scalar, and retainGraph allows a second backward", () => {
    const x = torch.arange(-2, 3, 1, { requiresGrad: true });
    const y = torch.relu(x);
    y.backward(torch.onesLike(x), { retainGraph: true });
    expect(x.grad!.tolist()).toEqual([0, 0, 0, 1, 1]); // relu'(0) = 0
    y.backward(torch.onesLike(x).mul(2));
    expect(x.grad!.tolist()).toEqual([0, 0, 0, 3, 3]);
  });

  it("options may be the only argument to backward", () => {
    const x = torch.ones(2, { requiresGrad: true });
    const y = x.mul(3).sum();
    y.backward({ retainGraph: true });
    y.backward();
    expect(x.grad!.tolist()).toEqual([6, 6]);
  });

  it("shared subexpressions and repeated inputs sum their gradients", () => {
    const x = torch.tensor([3], { requiresGrad: true });
    const u = x.mul(x); // x^2
    const y = u.add(u).add(x); // 2x^2 + x
    y.sum().backward();
    expect(x.grad!.item()).toBe(13);
  });

  it("noGrad records nothing and returns the function's value", () => {
    const x = torch.ones(3, { requiresGrad: true });
    const y = torch.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(torch.isGradEnabled()).toBe(true);
    // in-place update of a leaf inside noGrad is allowed (the optimizer pattern)
    x.sum().backward();
    torch.noGrad(() => x.sub_(x.grad!.mul(0.5)));
    expect(x.tolist()).toEqual([0.5, 0.5, 0.5]);
  });

  it("in-place on a non-leaf continues the graph", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    y.add_(1);
    y.mul_(2);
    expect(y.tolist()).toEqual([8, 14]);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([6, 6]);
  });

  it("retainGrad keeps the gradient of an intermediate", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2).retainGrad();
    y.mul(y).sum().backward();
    expect(y.grad!.tolist()).toEqual([4, 8]);
    expect(x.grad!.tolist()).toEqual([8, 16]);
  });
});

describe("autograd errors say what to do", () => {
  it("backward twice without retainGraph", () => {
    const x = torch.ones(2, { requiresGrad: true });
    const y = x.mul(2).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/second time.*retainGraph: true/);
  });

  it("backward of a non-scalar without a gradient", () => {
    const x = torch.ones(2, 3, { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/only for scalar outputs.*shape \[2,3\].*onesLike/);
  });

  it("backward of a tensor that does not require grad", () => {
    expect(() => torch.ones(2).sum().backward()).toThrow(/does not require grad.*requiresGrad: true/);
  });

  it("gradient of the wrong shape", () => {
    const x = torch.ones(2, 3, { requiresGrad: true });
    expect(() => x.mul(2).backward(torch.ones(3))).toThrow(/gradient has shape \[3\] but the tensor has shape \[2,3\]/);
  });

  it("in-place change of a leaf that requires grad outside noGrad", () => {
    const w = torch.ones(3, { requiresGrad: true });
    expect(() => w.add_(1)).toThrow(/add_: a leaf tensor that requires grad.*torch.noGrad/);
    expect(() => w.zero_()).toThrow(/zero_: a leaf tensor/);
    expect(() => w.normal_()).toThrow(/normal_: a leaf tensor/);
    expect(() => w.view(3).mul_(2)).toThrow(/mul_: a leaf tensor.*through a view/);
    expect(() => w.copy_(torch.zeros(3))).toThrow(/copy_: a leaf tensor/);
  });

  it("grad of an int tensor", () => {
    expect(() => torch.tensor([1, 2], { dtype: "int32", requiresGrad: true })).toThrow(/only floating-point tensors can require gradients.*int32/);
    expect(() => torch.randint(0, 5, [3]).requiresGrad_()).toThrow(/only floating-point tensors can require gradients.*x.float\(\)/);
  });

  it("a saved tensor changed in place before backward", () => {
    const x = torch.ones(2, { requiresGrad: true });
    const y = x.mul(2);
    const z = y.mul(y);
    y.add_(1);
    expect(() => z.sum().backward()).toThrow(/modified by an in-place operation/);
  });
});
