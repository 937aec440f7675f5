import { describe, expect, it } from "vitest";
import { torch } from "../kernel-lib/src/index";

describe("torch.device", () => {
  it("returns a Device that modules and tensors accept", () => {
    const device = torch.device("cpu");
    expect(device).toBe("cpu");
    const net = new torch.nn.Linear(2, 1).to(device);
    expect(net.weight.device).toBe("cpu");
    expect(torch.ones(2).to(device).device).toBe("cpu");
  });

  it("names the unknown device and says there is no CUDA", () => {
    expect(() => torch.device("cuda:0")).toThrow(
      'torch.device: unknown device "cuda:0" (kernel-lib has no cuda:0; torch.cuda.isAvailable() is false; its GPU device is "webgpu"); use "cpu", or "webgpu" where torch.webgpu.isAvailable()',
    );
    expect(() => torch.device("tpu")).toThrow('torch.device: unknown device "tpu"; use "cpu", or "webgpu" where torch.webgpu.isAvailable()');
  });
});
