"""Where a training step's time goes, PyTorch side (the twin of bench/step_split.mjs): the recipe as torch_bench.py
trains it, wall us per step for the batch (x[idx], y[idx]), forward + loss, zero_grad + backward, and the optimizer
step; then the same steps again under torch.autograd.profiler for the time inside aten::addmm and aten::mm (the
products, on the same OpenBLAS the native kernel-lib path calls), subtracted from the plain total. One JSON line.

Usage: /usr/bin/python3 bench/step_split.py RECIPE [STEPS]   (50 warm-up steps first)
"""
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_bench as tb  # noqa: E402


def main():
    recipe = sys.argv[1] if len(sys.argv) > 1 else "adam256"
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    r = tb.RECIPES[recipe]
    torch.manual_seed(0)
    xtr, ytr, _, _ = tb.load_mnist()
    model = tb.mlp(r["sizes"])
    opt = r["opt"](model.parameters())
    bs, n = r["batch"], xtr.shape[0]
    t = [0.0] * 4

    def run(count, timed):
        k = 0
        while k < count:
            perm = torch.randperm(n)
            for i in range(0, n, bs):
                a = time.perf_counter()
                idx = perm[i:i + bs]
                x, y = xtr[idx], ytr[idx]
                b = time.perf_counter()
                loss = F.cross_entropy(model(x), y)
                c = time.perf_counter()
                opt.zero_grad()
                loss.backward()
                d = time.perf_counter()
                opt.step()
                loss.item()
                e = time.perf_counter()
                if timed:
                    t[0] += b - a
                    t[1] += c - b
                    t[2] += d - c
                    t[3] += e - d
                k += 1
                if k >= count:
                    break

    run(50, False)
    run(steps, True)
    profiled = min(steps, 300)
    with torch.autograd.profiler.profile() as prof:
        run(profiled, False)
    events = {e.key: e for e in prof.key_averages()}
    gemm_us = sum(events[k].self_cpu_time_total for k in ("aten::addmm", "aten::mm") if k in events) / profiled
    us = [round(1e6 * v / steps) for v in t]
    total = sum(us)
    print(json.dumps({
        "side": "pytorch", "recipe": recipe, "steps": steps, "batch_us": us[0], "forward_us": us[1], "backward_us": us[2],
        "step_us": us[3], "total_us": total, "gemm_us": round(gemm_us), "other_us": round(total - gemm_us),
        "threads": torch.get_num_threads(), "blas_threads": tb.blas_threads(),
    }))


if __name__ == "__main__":
    main()
