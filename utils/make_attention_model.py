#!/usr/bin/python3
"""Attention in the written-out forms exporters produce, for --dsc-fuse.

    utils/make_attention_model.py OUT.onnx [--seed N] [--data DIR --samples N]

Input x [1, 10, 32] (10 tokens of width 32), two heads of depth 16, seeded
weights. Three outputs, each one attention core between linear projections:
    keep_mask      softmax(where(keep, q kT / 4, -1e4)) v, keep a constant
                   lower-triangular [10, 10] bool (masked where keep is false)
    additive_mask  softmax(q kT * 0.25 + bias) v, bias a constant
                   [1, 10, 10] float (a relative-position bias)
    split_scale    softmax((q * 16^-1/4) (k * 16^-1/4)T) v, the scale split
                   between the queries and the keys
and a fourth, not attention, with the other written-out forms:
    mlp            e / sum(e), e = exp(h - max(h)), h = linear(gelu_tanh(
                   linear(x))): GELU's tanh form and a softmax as torch
                   writes them out at opset 13
Exported by torch 1.13 at opset 13. With --data it also writes
DIR/NNNN/x.npy samples of seeded noise.
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn

TOKENS, WIDTH, HEADS = 10, 32, 2
DEPTH = WIDTH // HEADS


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(WIDTH, 3 * WIDTH)
        self.out = nn.Linear(WIDTH, WIDTH)

    def heads(self, x):
        q, k, v = self.qkv(x).split(WIDTH, dim=-1)
        shape = (x.shape[0], TOKENS, HEADS, DEPTH)
        return [t.reshape(shape).transpose(1, 2) for t in (q, k, v)]

    def merge(self, y):
        return self.out(y.transpose(1, 2).reshape(y.shape[0], TOKENS, WIDTH))


class KeepMask(Attention):
    def __init__(self):
        super().__init__()
        self.register_buffer("keep", torch.tril(torch.ones(TOKENS, TOKENS, dtype=torch.bool)))

    def forward(self, x):
        q, k, v = self.heads(x)
        s = torch.matmul(q, k.transpose(-2, -1)) / 4.0
        s = torch.where(self.keep, s, torch.tensor(-1e4))
        return self.merge(torch.matmul(torch.softmax(s, dim=-1), v))


class AdditiveMask(Attention):
    def __init__(self):
        super().__init__()
        self.bias = nn.Parameter(torch.randn(1, TOKENS, TOKENS))

    def forward(self, x):
        q, k, v = self.heads(x)
        s = torch.matmul(q, k.transpose(-2, -1)) * 0.25 + self.bias
        return self.merge(torch.matmul(torch.softmax(s, dim=-1), v))


class SplitScale(Attention):
    def forward(self, x):
        q, k, v = self.heads(x)
        c = DEPTH ** -0.25
        s = torch.matmul(q * c, (k * c).transpose(-2, -1))
        return self.merge(torch.matmul(torch.softmax(s, dim=-1), v))


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.up = nn.Linear(WIDTH, 2 * WIDTH)
        self.down = nn.Linear(2 * WIDTH, WIDTH)

    def forward(self, x):
        h = self.down(nn.functional.gelu(self.up(x), approximate="tanh"))
        e = torch.exp(h - h.max(dim=-1, keepdim=True).values)
        return e / e.sum(dim=-1, keepdim=True)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.keep_mask = KeepMask()
        self.additive_mask = AdditiveMask()
        self.split_scale = SplitScale()
        self.mlp = Mlp()

    def forward(self, x):
        return self.keep_mask(x), self.additive_mask(x), self.split_scale(x), self.mlp(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data")
    parser.add_argument("--samples", type=int, default=2)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    model = Model().eval()
    x = torch.randn(1, TOKENS, WIDTH)
    torch.onnx.export(model, (x,), args.out, opset_version=13, input_names=["x"],
                      output_names=["keep_mask", "additive_mask", "split_scale", "mlp"])
    if args.data:
        rng = np.random.default_rng(args.seed)
        for i in range(args.samples):
            folder = os.path.join(args.data, f"{i:04d}")
            os.makedirs(folder, exist_ok=True)
            np.save(os.path.join(folder, "x.npy"),
                    rng.standard_normal((1, TOKENS, WIDTH)).astype(np.float32))


if __name__ == "__main__":
    main()
