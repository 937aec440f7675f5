import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { torch } from "../kernel-lib/src/index";

/**
 * The PyTorch lecture's concise MLP, typed line by line through the public `torch` namespace: a custom Module,
 * Sequential, init via apply, DataLoader over a TensorDataset, SGD/CrossEntropyLoss, then save/load.
 */
class MLP extends torch.nn.Module {
  hidden = new torch.nn.Linear(20, 32);
  out = new torch.nn.Linear(32, 3);
  override forward(X: torch.Tensor): torch.Tensor {
    return this.out.forward(torch.nn.functional.relu(this.hidden.forward(X)));
  }
}

function initWeights(m: torch.nn.Module): void {
  if (m instanceof torch.nn.Linear) torch.nn.init.normal_(m.weight, { std: 0.1 });
}

/** Three Gaussian blobs in 20 dimensions, labelled by blob. */
function blobs(n: number): [torch.Tensor, torch.Tensor] {
  const centers = torch.randn([3, 20]).mul(2);
  const y = torch.randint(0, 3, [n]);
  const X = centers.indexSelect(0, y).add(torch.randn([n, 20]));
  return [X, y];
}

describe("the lecture's MLP recipe through the public torch namespace", () => {
  const dir = mkdtempSync(join(tmpdir(), "kernel-lib-twin-"));

  it("trains (loss falls), evaluates and round-trips its state dict through torch.save / torch.load", () => {
    torch.manualSeed(0);
    const [X, y] = blobs(300);
    const trainIter = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(X, y), { batchSize: 32, shuffle: true });
    expect(trainIter.length).toBe(10);
    for (const net of [
      new torch.nn.Sequential(new torch.nn.Flatten(), new torch.nn.Linear(20, 32), new torch.nn.ReLU(), new torch.nn.Dropout(0.1), new torch.nn.Linear(32, 3)),
      new MLP(),
    ]) {
      net.apply(initWeights);
      const loss = new torch.nn.CrossEntropyLoss();
      const trainer = new torch.optim.SGD(net.parameters(), { lr: 0.1 });
      const epochLoss = (): number => torch.noGrad(() => loss.forward(net.forward(X), y).item());
      net.eval();
      const before = epochLoss();
      net.train();
      for (let epoch = 0; epoch < 5; epoch++) {
        for (const [Xb, yb] of trainIter) {
          const l = loss.forward(net.forward(Xb), yb);
          trainer.zeroGrad();
          l.backward();
          trainer.step();
        }
      }
      net.eval();
      const after = epochLoss();
      expect(after).toBeLessThan(before / 2);

      const path = join(dir, `${net.constructor.name}.safetensors`);
      torch.save(net.stateDict(), path);
      const clone = net instanceof MLP ? new MLP() : new torch.nn.Sequential(new torch.nn.Flatten(), new torch.nn.Linear(20, 32), new torch.nn.ReLU(), new torch.nn.Dropout(0.1), new torch.nn.Linear(32, 3));
      clone.loadStateDict(torch.load(path));
      clone.eval();
      expect(clone.forward(X).tolist()).toEqual(net.forward(X).tolist());

      // a resumable checkpoint: model, optimizer and epoch in one file
      torch.save({ model: net.stateDict(), optimizer: trainer.stateDict(), epoch: 5 }, path);
      type Ckpt = { model: torch.nn.StateDict; optimizer: torch.optim.OptimizerStateDict; epoch: number };
      const ckpt = torch.load<Ckpt>(path);
      const trainer2 = new torch.optim.SGD(clone.parameters(), { lr: 0.5 });
      clone.loadStateDict(ckpt.model);
      trainer2.loadStateDict(ckpt.optimizer);
      expect(trainer2.paramGroups[0].lr).toBe(0.1);
      expect(ckpt.epoch).toBe(5);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("Sequential children are typed by position, as net[0].weight in the lectures", () => {
    const net = new torch.nn.Sequential(new torch.nn.Linear(2, 1));
    torch.nn.init.normal_(net[0].weight, 0, 0.01);
    torch.nn.init.zeros_(net[0].bias!);
    expect(net[0].bias!.tolist()).toEqual([0]);
    const opt = new torch.optim.Adam(net.parameters(), { lr: 0.03 });
    expect(opt.paramGroups[0].params).toHaveLength(2);
  });
});
