#!/usr/bin/python3
"""Latency of pruned models against their unpruned originals (and ORT).

    utils/bench_pruned.py [--repeat N] [--markdown FILE]

For each case, dsc-compile builds the model with and without --prune (this
host, cpu=native, one thread) and the executables are timed with
`--repeat N` (median), alternating with ONNX Runtime on the original model
(onnxruntime-node, 1 intra-op thread), on the same seeded input. Prints the
MACs from report.json, the medians, and the pruned/unpruned speed-up.
"""
import argparse
import json
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_int8 import median_ms, run  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
MODELS = os.path.join(ROOT, "build", "models")

# name: (model, extra dsc-compile flags, input name, shape, --prune options)
CASES = [
    ("default student (network slimming)", os.path.join(ROOT, "models/default/distill.onnx"),
     ["--fold-distillation=student_logits"], "image", [1, 1, 16, 16],
     "criterion=bn-gamma threshold=0.01"),
    ("resnet18 @64 (l1, ratio 0.3)", os.path.join(MODELS, "torch/resnet18_op13_eval.onnx"), [],
     "input", [1, 3, 64, 64], "criterion=l1 ratio=0.3"),
    ("mobilenet_v2 @64 (l1, ratio 0.3)", os.path.join(MODELS, "torch/mobilenet_v2_op13_eval.onnx"),
     [], "input", [1, 3, 64, 64], "criterion=l1 ratio=0.3"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--markdown")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="dsc-bench-pruned-")
    rows = []
    for label, model, extra, input_name, shape, prune in CASES:
        if not os.path.exists(model):
            print(f"{label}: {model} is missing (utils/fetch_models.sh), skipped")
            continue
        sample = os.path.join(work, f"input-{len(rows)}.npy")
        np.save(sample, np.random.default_rng(0).standard_normal(shape).astype(np.float32))
        builds = {}
        for variant, flags in (("unpruned", []), ("pruned", ["--prune", prune])):
            out = os.path.join(work, f"{len(rows)}-{variant}")
            run([os.path.join(BIN, "dsc-compile"), model, "-o", out, "--cpu", "native",
                 "--input-shape", f"{input_name}={','.join(map(str, shape))}"] + extra + flags)
            with open(os.path.join(out, "report.json")) as f:
                builds[variant] = (out, json.load(f)["steps"]["fuse"]["macs"])
        times = {"unpruned": [], "pruned": [], "ort": []}
        feed = ["--input", f"{input_name}={sample}", "--repeat", str(args.repeat)]
        for _ in range(3):  # alternate
            for variant, (out, _) in builds.items():
                times[variant].append(median_ms(run([os.path.join(out, "model")] + feed)))
            if not extra:  # ORT runs the original graph (not a distillation graph)
                times["ort"].append(median_ms(run(
                    ["node", os.path.join(ROOT, "utils", "ort", "run_ort.js"), model] + feed +
                    ["--threads", "1"])))
        u, p = min(times["unpruned"]), min(times["pruned"])
        o = min(times["ort"]) if times["ort"] else None
        row = (label, builds["unpruned"][1], builds["pruned"][1], u, p, o)
        rows.append(row)
        print(f"{label:36s} MACs {row[1] / 1e6:8.2f} M -> {row[2] / 1e6:8.2f} M  "
              f"dsc {u:8.3f} ms -> {p:8.3f} ms ({u / p:.2f}x)"
              + (f"  ORT (unpruned) {o:8.3f} ms" if o else ""), flush=True)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("| model | MACs before | MACs after | dsc unpruned (ms) | dsc pruned (ms) | "
                    "speed-up | ORT unpruned (ms) |\n|---|---|---|---|---|---|---|\n")
            for label, mb, ma, u, p, o in rows:
                f.write(f"| {label} | {mb / 1e6:.2f} M | {ma / 1e6:.2f} M | {u:.3f} | {p:.3f} | "
                        f"{u / p:.2f}x | {f'{o:.3f}' if o else '-'} |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
