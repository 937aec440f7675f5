import { describe, expect, it } from "vitest";
import { torch } from "../kernel-lib/src/index";

const F = torch.nn.functional;

describe("error messages name the op and the offending shapes, dtypes or values", () => {
  const a = torch.ones(2, 3);
  const b = torch.ones(4, 5);
  const binaries: [string, () => unknown][] = [
    ["add", () => a.add(b)], ["sub", () => a.sub(b)], ["mul", () => a.mul(b)], ["div", () => a.div(b)],
    ["pow", () => a.pow(b)], ["maximum", () => torch.maximum(a, b)], ["minimum", () => torch.minimum(a, b)],
    ["eq", () => a.eq(b)], ["ne", () => a.ne(b)], ["gt", () => a.gt(b)], ["lt", () => a.lt(b)],
    ["ge", () => a.ge(b)], ["le", () => a.le(b)], ["where", () => torch.where(a.gt(0), a, b)],
    ["add_", () => torch.ones(2, 3).add_(b)], ["mul_", () => torch.ones(2, 3).mul_(b)],
  ];
  for (const [op, fn] of binaries) {
    it(`${op} with shapes that do not broadcast`, () => {
      expect(fn).toThrow(new RegExp(`^${op}: shapes \\[2,3\\] and \\[4,5\\] cannot be broadcast together`));
    });
  }
  it("in-place ops cannot grow the destination", () => {
    expect(() => torch.ones(3).add_(torch.ones(2, 3))).toThrow(/add_: the result of shape \[2,3\] does not fit the tensor of shape \[3\]/);
  });

  it("matmul and friends name both shapes and the inner sizes", () => {
    expect(() => torch.matmul(torch.ones(2, 3), torch.ones(4, 5))).toThrow("matmul: cannot multiply [2,3] by [4,5]: inner sizes 3 and 4 differ");
    expect(() => torch.ones(3).matmul(torch.ones(4))).toThrow("matmul: cannot multiply [3] by [4]: inner sizes 3 and 4 differ");
    expect(() => torch.ones(3).matmul(torch.ones(4, 2))).toThrow("matmul: cannot multiply [3] by [4,2]: inner sizes 3 and 4 differ");
    expect(() => torch.ones(2, 3).matmul(torch.ones(4))).toThrow("matmul: cannot multiply [2,3] by [4]: inner sizes 3 and 4 differ");
    expect(() => torch.ones(2, 2, 3).matmul(torch.ones(3, 3, 1))).toThrow(/matmul: cannot multiply \[2,2,3\] by \[3,3,1\]: batch dims \[2\] and \[3\] do not broadcast/);
    expect(() => torch.mm(torch.ones(2, 3), torch.ones(2, 3))).toThrow("mm: cannot multiply [2,3] by [2,3]: inner sizes 3 and 2 differ");
    expect(() => torch.mm(torch.ones(3), torch.ones(3, 2))).toThrow(/mm: expects 2-D matrices, got shapes \[3\] and \[3,2\]/);
    expect(() => torch.dot(torch.ones(3), torch.ones(4))).toThrow(/dot: vectors of shapes \[3\] and \[4\] differ/);
    expect(() => torch.matmul(torch.ones(2, 2, { dtype: "int32" }), torch.ones(2, 2))).toThrow(/matmul: needs floating-point tensors, got int32 and float32/);
    expect(() => torch.matmul(torch.tensor(2), torch.ones(2))).toThrow(/matmul: both arguments need at least 1 dim/);
  });

  it("linear names input, weight and inFeatures", () => {
    expect(() => F.linear(torch.ones(5, 3), torch.ones(2, 4))).toThrow(/linear: input of shape \[5,3\] does not match weight \[2,4\].*inFeatures = 4/);
    expect(() => F.linear(torch.ones(5, 4), torch.ones(2, 4), torch.ones(3))).toThrow(/linear: bias of shape \[3\] does not match outFeatures = 2/);
  });

  it("crossEntropy: out-of-range labels name the label and the number of classes", () => {
    const logits = torch.zeros(3, 10);
    expect(() => F.crossEntropy(logits, torch.tensor([1, 10, 2], { dtype: "int32" }))).toThrow(
      "crossEntropy: target label 10 (at position 1) is out of range for 10 classes (labels must be 0..9)",
    );
    expect(() => F.crossEntropy(logits, torch.tensor([-1, 0, 2], { dtype: "int32" }))).toThrow(/target label -1 .* 10 classes/);
    expect(() => F.nllLoss(logits, torch.tensor([0, 0, 12], { dtype: "int32" }))).toThrow(/nllLoss: target label 12 .* 10 classes/);
    expect(() => F.crossEntropy(logits, torch.tensor([1, 2, 3]))).toThrow(/crossEntropy: target must hold int32 class indices, got float32.*target.long\(\)/);
    expect(() => F.crossEntropy(logits, torch.tensor([1, 2], { dtype: "int32" }))).toThrow(/crossEntropy: target of shape \[2\] does not match input \[3,10\]/);
    expect(() => F.crossEntropy(logits, torch.tensor([1, 2, 3], { dtype: "int32" }), { reduction: "avg" as "mean" })).toThrow(/reduction must be "none", "mean" or "sum", got "avg"/);
  });

  it("losses refuse silently broadcasting targets", () => {
    expect(() => F.mseLoss(torch.ones(4, 1), torch.ones(4))).toThrow(/mseLoss: input shape \[4,1\] and target shape \[4\] differ/);
    expect(() => F.binaryCrossEntropy(torch.tensor([0.5, 1.5]), torch.tensor([1, 0]))).toThrow(/binaryCrossEntropy: input value 1.5 .* not a probability/);
  });

  it("shape ops", () => {
    expect(() => torch.ones(2, 3).reshape(4, 2)).toThrow("reshape: shape [4,2] is invalid for input of shape [2,3] (6 elements)");
    expect(() => torch.ones(2, 3).view(-1, 4)).toThrow("view: shape [-1,4] is invalid for input of shape [2,3] (6 elements)");
    expect(() => torch.ones(2, 3).reshape(-1, -1)).toThrow(/only one dimension can be -1/);
    expect(() => torch.ones(2, 3).sum(2)).toThrow("sum: dim 2 is out of range for a tensor of 2 dims (expected -2..1)");
    expect(() => torch.ones(2, 3).transpose(0, 3)).toThrow(/transpose: dim 3 is out of range/);
    expect(() => torch.cat([torch.ones(2, 3), torch.ones(3, 2)], 0)).toThrow("cat: shapes [2,3], [3,2] must match except in dim 0");
    expect(() => torch.stack([torch.ones(2), torch.ones(3)])).toThrow(/stack: all tensors must have the same shape, got \[2\], \[3\]/);
    expect(() => torch.ones(2, 3).narrow(1, 2, 2)).toThrow(/narrow: start 2 and length 2 are out of range for dim 1 of size 3/);
    expect(() => torch.ones(3, 1).expand(3, 4, 2)).toThrow(/expand: the tensor of shape \[3,1\] cannot be expanded to \[3,4,2\]/);
    expect(() => torch.ones(2, 3).permute(0, 0)).toThrow(/permute: dims \[0,0\] repeat a dimension/);
  });

  it("indexing ops", () => {
    const x = torch.ones(2, 3);
    expect(() => x.indexSelect(1, torch.tensor([0, 3], { dtype: "int32" }))).toThrow(/indexSelect: index 3 is out of range for dim 1 of a tensor of shape \[2,3\] of size 3/);
    expect(() => x.indexSelect(1, torch.tensor([0, 1]))).toThrow(/indexSelect: index must be an int32 tensor, got float32/);
    expect(() => x.gather(1, torch.tensor([[0], [5]], { dtype: "int32" }))).toThrow(/gather: index 5 is out of range/);
    expect(() => x.index([torch.tensor([0, 2], { dtype: "int32" })])).toThrow(/index: index 2 is out of range for dim 0/);
  });

  it("dtype misuse", () => {
    expect(() => torch.ones(3, { dtype: "int32" }).mean()).toThrow(/mean: input dtype int32 is not floating point.*float\(\)/);
    expect(() => torch.ones(3, { dtype: "int32" }).add_(0.5)).toThrow(/add_: the result is float32 and cannot be written into a int32 tensor/);
    expect(() => torch.zeros(2, { dtype: "complex64" as "float32" })).toThrow(/zeros: unknown dtype "complex64"/);
    // issue 12: a CUDA name says there is none and what the device is
    expect(() => torch.ones(2).to("cuda" as "cpu")).toThrow(/to: "cuda" is not available here: there is no CUDA/);
    expect(() => torch.ones(2).to("tpu")).toThrow(/to: unknown device "tpu"; the devices are "cpu" and "webgpu"/);
  });

  it("creation and conversion misuse", () => {
    expect(() => torch.tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array: expected 2 elements at depth 1 \(\[1\]\), got 1/);
    expect(() => torch.zeros(2, -1)).toThrow("zeros: invalid shape [2,-1]: sizes must be non-negative integers");
    expect(() => torch.arange(0, 5, 0)).toThrow(/arange: step must be nonzero/);
    expect(() => torch.arange(5, 0, 1)).toThrow(/arange: step 1 goes away from end 0/);
    expect(() => torch.randint(5, 2, [3])).toThrow(/randint: need integers low < high, got low=5, high=2/);
    expect(() => torch.ones(2, 2).item()).toThrow(/item: only a one-element tensor .* shape \[2,2\]/);
    expect(() => F.dropout(torch.ones(3), 1.5)).toThrow(/dropout: probability p must be between 0 and 1, got 1.5/);
    expect(() => F.gelu(torch.ones(3), { approximate: "fast" as "tanh" })).toThrow(/gelu: approximate must be "none" or "tanh", got "fast"/);
    expect(() => torch.softmax(torch.ones(2, 3), undefined as unknown as number)).toThrow(/softmax: give the dim/);
  });
});
