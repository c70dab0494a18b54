#!/usr/bin/python3
"""A RepVGG-style test network for branch folding (--dsc-fold-branches).

    utils/make_repvgg_model.py OUT.onnx [--seed N] [--data DIR --samples N]

Each block sums three trained-style branches of one input and applies ReLU:
    y = relu(BN(conv3x3(x)) + BN(conv1x1(x)) [+ BN(x) when shapes allow])
four blocks (3->16 stride 2, 16->16, 16->32 stride 2, 32->32), then global
average pooling and a linear layer. Weights and every BatchNorm's
statistics are seeded random values (BN stays in the graph: exported with
TrainingMode.PRESERVE on an eval() model, no constant folding). With --data
it also writes DIR/NNNN/input.npy samples of [1, 3, 32, 32] seeded noise.
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv3 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.conv1 = nn.Conv2d(cin, cout, 1, stride, 0, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.bn_id = nn.BatchNorm2d(cin) if cin == cout and stride == 1 else None

    def forward(self, x):
        y = self.bn3(self.conv3(x)) + self.bn1(self.conv1(x))
        if self.bn_id is not None:
            y = y + self.bn_id(x)
        return torch.relu(y)


class RepVGGNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(Block(3, 16, 2), Block(16, 16, 1), Block(16, 32, 2),
                                    Block(32, 32, 1))
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(self.blocks(x).mean(dim=(2, 3)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data")
    parser.add_argument("--samples", type=int, default=4)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    model = RepVGGNet()
    # Fresh BNs are the identity map; give them trained-looking statistics.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
            m.running_mean.uniform_(-0.3, 0.3)
            m.running_var.uniform_(0.5, 2.0)
    model.eval()
    x = torch.randn(1, 3, 32, 32)
    torch.onnx.export(model, (x,), args.out, opset_version=13, input_names=["input"],
                      output_names=["logits"],
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    if args.data:
        rng = np.random.default_rng(args.seed)
        for i in range(args.samples):
            folder = os.path.join(args.data, f"{i:04d}")
            os.makedirs(folder, exist_ok=True)
            np.save(os.path.join(folder, "input.npy"),
                    rng.standard_normal((1, 3, 32, 32)).astype(np.float32))


if __name__ == "__main__":
    main()
