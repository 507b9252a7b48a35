#!/usr/bin/env python3
"""Train a tiny CNN on sklearn's 8x8 digits and export it to ONNX.

Run with Debian's interpreter (torch 1.13 CPU, sklearn, onnx):

    /usr/bin/python3 examples/digits/make_model.py

Writes, next to this script:
  digits.onnx              opset 17, input "image" [1,1,8,8] f32, output "logits" [1,10]
  samples/sample_NN.npy    20 held-out test images, float32 [1,1,8,8] (pixels / 16)
  samples/labels.txt       "sample_NN.npy LABEL" per line
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 0
NUM_SAMPLES = 20


class DigitsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * 2 * 2, 10)

    def forward(self, x):
        x = torch.relu(self.conv1(x))      # [1,8,8,8]
        x = self.pool(x)                   # [1,8,4,4]
        x = torch.relu(self.conv2(x))      # [1,16,4,4]
        x = self.pool(x)                   # [1,16,2,2]
        x = torch.flatten(x, 1)            # [1,64]
        return self.fc(x)                  # [1,10]


def main():
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(1)

    d = load_digits()
    X = (d.images / 16.0).astype(np.float32)[:, None, :, :]   # [N,1,8,8]
    y = d.target.astype(np.int64)
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.25, random_state=SEED, stratify=y)

    model = DigitsNet()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    lossf = nn.CrossEntropyLoss()
    Xtr_t, ytr_t = torch.from_numpy(Xtr), torch.from_numpy(ytr)
    Xte_t = torch.from_numpy(Xte)
    g = torch.Generator().manual_seed(SEED)
    for epoch in range(30):
        model.train()
        perm = torch.randperm(len(Xtr_t), generator=g)
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = lossf(model(Xtr_t[idx]), ytr_t[idx])
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(Xte_t).argmax(1).numpy() == yte).mean()
    print(f"test accuracy: {acc:.4f} ({len(yte)} held-out samples)")
    if acc < 0.95:
        sys.exit("accuracy below 0.95; refusing to export")

    out_onnx = os.path.join(HERE, "digits.onnx")
    dummy = torch.from_numpy(Xte[:1])
    torch.onnx.export(model, dummy, out_onnx, opset_version=17,
                      input_names=["image"], output_names=["logits"],
                      do_constant_folding=True)

    import onnx
    m = onnx.load(out_onnx)
    onnx.checker.check_model(m)
    print("ops:", sorted({n.op_type for n in m.graph.node}),
          f"size: {os.path.getsize(out_onnx)} bytes")

    sdir = os.path.join(HERE, "samples")
    os.makedirs(sdir, exist_ok=True)
    lines = []
    with torch.no_grad():
        for i in range(NUM_SAMPLES):
            name = f"sample_{i:02d}.npy"
            x = np.ascontiguousarray(Xte[i:i + 1])          # [1,1,8,8] f32
            np.save(os.path.join(sdir, name), x)
            pred = int(model(torch.from_numpy(x)).argmax(1))
            lines.append(f"{name} {int(yte[i])}")
            if pred != yte[i]:
                print(f"note: model mispredicts {name}: {pred} vs {yte[i]}")
    with open(os.path.join(sdir, "labels.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {out_onnx} and {NUM_SAMPLES} samples to {sdir}")


if __name__ == "__main__":
    main()
