#!/usr/bin/python3
"""export_torch_models.py [OUTDIR] [--force]

Export small, deterministic (seeded, randomly initialised - nothing is
downloaded) PyTorch models to ONNX as importer test cases, into OUTDIR
(default: build/models/torch). For each model <name>.onnx a folder
<name>.data/0/ gets one seeded random input per graph input (<input>.npy);
the reference outputs are computed elsewhere with ONNX Runtime.
Existing files are skipped unless --force. Needs Debian's torch 1.13,
torchvision 0.14 and onnx; run with /usr/bin/python3.
"""
import argparse
import os
import sys
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torchvision

warnings.filterwarnings("ignore")  # torch.onnx is chatty (tracer warnings etc.)

EVAL, PRESERVE = torch.onnx.TrainingMode.EVAL, torch.onnx.TrainingMode.PRESERVE


# ---------------------------------------------------------------- models

VISION = ["resnet18", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1",
          "shufflenet_v2_x0_5", "efficientnet_b0"]


def vision_model(name):
    model = getattr(torchvision.models, name)(weights=None)
    # Fresh BatchNorms have mean 0 / var 1 / weight 1 / bias 0, which makes BN
    # folding trivially right; give them random (seeded) statistics instead.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n) * 0.1)
            m.running_var.copy_(torch.rand(n) * 0.5 + 0.75)
            m.weight.data.copy_(torch.rand(n) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(n) * 0.1)
    return model


def transformer_encoder():
    # batch_first=False keeps torch 1.13 off the fused fast path, which the
    # ONNX exporter cannot handle.
    layer = nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64,
                                       dropout=0.0, batch_first=False)
    return nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)


class GPTBlock(nn.Module):
    """Token + position embedding, one causal self-attention block, LM head."""

    def __init__(self, vocab=64, dim=32, heads=4, seq=8):
        super().__init__()
        self.heads = heads
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(torch.randn(seq, dim) * 0.1)
        self.ln1, self.ln2, self.ln_f = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.proj = nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.head = nn.Linear(dim, vocab)
        self.register_buffer("causal", torch.tril(torch.ones(seq, seq, dtype=torch.bool)))

    def forward(self, tokens):
        b, t = tokens.shape
        x = self.tok(tokens) + self.pos[:t]
        h = self.ln1(x)
        split = lambda y: y.view(b, t, self.heads, -1).transpose(1, 2)  # (b, heads, t, hd)
        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        att = q @ k.transpose(-2, -1) / (q.shape[-1] ** 0.5)
        att = att.masked_fill(~self.causal[:t, :t], float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, -1)
        x = x + self.proj(y)
        x = x + self.mlp(self.ln2(x))
        return self.head(self.ln_f(x))


class RNN(nn.Module):
    """nn.LSTM / nn.GRU with explicit initial states as graph inputs."""

    def __init__(self, cell, layers=1, bidirectional=False):
        super().__init__()
        self.rnn = getattr(nn, cell)(16, 24, num_layers=layers, bidirectional=bidirectional)

    def forward(self, x, *state):
        state = state if len(state) == 2 else state[0]  # LSTM: (h0, c0); GRU: h0
        out, st = self.rnn(x, state)
        return (out, *st) if isinstance(st, tuple) else (out, st)


class IfModel(nn.Module):
    def forward(self, x):
        if bool(x.sum() > 0):
            return x * 2
        else:
            return x - 1


class NestedIfModel(nn.Module):
    def forward(self, x):
        if bool(x.sum() > 0):
            if bool(x.mean() > 0.5):
                return x * 2
            else:
                return x + 3
        else:
            return x - 1


class LoopModel(nn.Module):
    # range(<literal>) would be unrolled by TorchScript (module freezing during
    # export); range(x.size(0)) survives as an ONNX Loop whose trip count the
    # exporter then folds to the constant 4 (x is exported as 4x3).
    def forward(self, x):
        acc = torch.zeros_like(x[0])
        for i in range(x.size(0)):
            acc = acc * 0.5 + x[i] * float(i)
        return acc


# ---------------------------------------------------------------- the list

def cases():
    """Yield (name, make_model, inputs{name: np.ndarray}, output names, export kwargs)."""
    rng = lambda: np.random.RandomState(0)
    img = {"input": rng().randn(1, 3, 64, 64).astype(np.float32)}
    for name in VISION:
        for opset in (13, 17):
            for mode, tag, fold in ((EVAL, "eval", True), (PRESERVE, "preserve", False)):
                yield (f"{name}_op{opset}_{tag}", lambda n=name: vision_model(n), img, ["output"],
                       dict(opset_version=opset, training=mode, do_constant_folding=fold,
                            dynamic_axes={"input": {0: "N"}, "output": {0: "N"}}))
    for opset in (13, 17):
        yield (f"transformer_encoder_op{opset}", transformer_encoder,
               {"input": rng().randn(8, 1, 32).astype(np.float32)}, ["output"],
               dict(opset_version=opset))
        yield (f"gpt_block_op{opset}", GPTBlock,
               {"tokens": rng().randint(0, 64, size=(1, 8)).astype(np.int64)}, ["logits"],
               dict(opset_version=opset))
    for cell, layers, bidir, tag in (("LSTM", 1, False, "lstm"), ("LSTM", 1, True, "lstm_bidir"),
                                     ("LSTM", 2, False, "lstm_2layer"),
                                     ("GRU", 1, False, "gru"), ("GRU", 1, True, "gru_bidir")):
        r = rng()
        nstate = layers * (2 if bidir else 1)
        ins = {"input": r.randn(5, 1, 16).astype(np.float32),
               "h0": r.randn(nstate, 1, 24).astype(np.float32)}
        outs = ["output", "hn"]
        if cell == "LSTM":
            ins["c0"] = r.randn(nstate, 1, 24).astype(np.float32)
            outs.append("cn")
        yield (f"{tag}_op13", lambda c=cell, l=layers, b=bidir: RNN(c, l, b), ins, outs,
               dict(opset_version=13))
    x = {"x": rng().randn(4, 3).astype(np.float32)}
    for name, cls in (("if", IfModel), ("nested_if", NestedIfModel), ("loop", LoopModel)):
        # Control flow needs scripting; tracing would bake in one branch.
        yield (f"{name}_op13", lambda c=cls: torch.jit.script(c()), x, ["y"],
               dict(opset_version=13))


# ---------------------------------------------------------------- driver

def export(path, make, inputs, outputs, kwargs):
    torch.manual_seed(0)  # per model, so results do not depend on what was skipped
    model = make()
    model.eval()
    args = tuple(torch.from_numpy(a) for a in inputs.values())
    with torch.no_grad():
        torch.onnx.export(model, args, path, input_names=list(inputs), output_names=outputs,
                          **kwargs)


def main():
    ap = argparse.ArgumentParser(description="Export small seeded PyTorch models to ONNX.")
    ap.add_argument("outdir", nargs="?", default="build/models/torch")
    ap.add_argument("--force", action="store_true", help="re-export existing files")
    opts = ap.parse_args()
    os.makedirs(opts.outdir, exist_ok=True)
    torch.set_num_threads(2)

    failed = 0
    for name, make, inputs, outputs, kwargs in cases():
        path = os.path.join(opts.outdir, name + ".onnx")
        status = "exists "
        try:
            if opts.force or not os.path.exists(path):
                export(path, make, inputs, outputs, kwargs)
                status = "written"
            datadir = os.path.join(opts.outdir, name + ".data", "0")
            os.makedirs(datadir, exist_ok=True)
            for iname, arr in inputs.items():
                np.save(os.path.join(datadir, iname + ".npy"), arr)
            model = onnx.load(path)
            onnx.checker.check_model(model)
        except Exception as e:  # keep going, report at the end
            failed += 1
            print(f"FAILED  {name}: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
            continue
        opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
        ops = sorted({n.op_type for n in model.graph.node})
        print(f"{status} {name:34s} opset {opset} nodes {len(model.graph.node):4d}  "
              f"{os.path.getsize(path) / 1e6:6.2f} MB  ops: {' '.join(ops)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
