#!/usr/bin/python3
"""A small encoder-decoder with transposed convolutions, for pruning tests.

    utils/make_decoder_model.py OUT.onnx [--seed N]

Input x [1, 3, 32, 32]. The encoder halves the resolution twice with
strided 3x3 convs; the decoder doubles it back with the three
ConvTranspose forms exporters produce: kernel 2 stride 2 (U-Net), kernel 4
stride 2 pad 1 (GAN/DCGAN decoders) and kernel 3 stride 1 pad 1. Every conv
and conv-transpose is followed by BatchNorm (running statistics drawn from
the seed, so removed channels carry non-zero constants) and ReLU, and the
first decoder stage adds the encoder's half-resolution features back (a
residual that joins a conv and a conv-transpose in one dependency group).
A 1x1 conv gives two output maps. Exported by torch 1.13 at opset 13 in
eval mode, BatchNorm left in the graph.
"""
import argparse

import torch
import torch.nn as nn


def block(layer, channels):
    return nn.Sequential(layer, nn.BatchNorm2d(channels), nn.ReLU())


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = block(nn.Conv2d(3, 16, 3, padding=1), 16)
        self.down1 = block(nn.Conv2d(16, 24, 3, stride=2, padding=1), 24)
        self.down2 = block(nn.Conv2d(24, 32, 3, stride=2, padding=1), 32)
        self.up1 = block(nn.ConvTranspose2d(32, 24, 2, stride=2), 24)
        self.up2 = block(nn.ConvTranspose2d(24, 16, 4, stride=2, padding=1), 16)
        self.refine = block(nn.ConvTranspose2d(16, 12, 3, padding=1), 12)
        self.head = nn.Conv2d(12, 2, 1)

    def forward(self, x):
        half = self.down1(self.stem(x))
        y = self.up1(self.down2(half)) + half
        return self.head(self.refine(self.up2(y)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    model = Decoder()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 2.0)
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 3, 32, 32), args.out, opset_version=13,
                      input_names=["x"], output_names=["maps"],
                      training=torch.onnx.TrainingMode.PRESERVE,
                      do_constant_folding=False)


if __name__ == "__main__":
    main()
