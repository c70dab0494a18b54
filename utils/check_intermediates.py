#!/usr/bin/python3
"""Checks an executable's --dump-all intermediates against ONNX Runtime.

    utils/check_intermediates.py MODEL.onnx DUMP_DIR --input NAME=FILE ...
        [--rtol 1e-3] [--atol 1e-4] [--min-tensors N] [--work DIR]

DUMP_DIR holds what `./model --dump-all DUMP_DIR` wrote for those inputs
(a build with intermediates, from an import with --keep-names): one
<node>.npy per tensor, named after the ONNX node that computes it (`:k` for
its k-th output; `#n` suffixes, the n-th op of one node, are skipped). A
copy of MODEL with every node output made a graph output runs in ONNX
Runtime on the same inputs, and each dumped tensor must agree with its
node's output: |dsc - ort| <= atol + rtol * |ort|. At least --min-tensors
must be compared. Prints a line per mismatch and a summary; exits 1 on
failure.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import shape_inference

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sanitize(name):
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("dump")
    parser.add_argument("--input", action="append", default=[], required=True)
    parser.add_argument("--rtol", type=float, default=1e-3)
    parser.add_argument("--atol", type=float, default=1e-4)
    parser.add_argument("--min-tensors", type=int, default=1)
    parser.add_argument("--work")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="dsc-intermediates-")
    os.makedirs(work, exist_ok=True)

    model = shape_inference.infer_shapes(onnx.load(args.model))
    graph = model.graph
    outputs = {o.name for o in graph.output}
    inputs = {i.name for i in graph.input}
    typed = {v.name: v for v in list(graph.value_info) + list(graph.output)}
    # The dump's file stem of each node output -> the ONNX value.
    value_of = {}
    for node in graph.node:
        for k, value in enumerate(node.output):
            if not value:
                continue
            key = node.name if k == 0 else f"{node.name}:{k}"
            value_of[sanitize(key)] = value
            if value not in outputs and value in typed:
                graph.output.append(typed[value])
                outputs.add(value)
    for name in inputs:
        value_of.setdefault(sanitize(name), name)
    exposed = os.path.join(work, "all-outputs.onnx")
    onnx.save(model, exposed)
    feeds = []
    for spec in args.input:
        feeds += ["--input", spec]
    ort_dir = os.path.join(work, "ort")
    result = subprocess.run(["node", os.path.join(ROOT, "utils", "ort", "run_ort.js"), exposed]
                            + feeds + ["--output-dir", ort_dir], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"ONNX Runtime failed:\n{result.stderr[-2000:]}")

    compared, failed, skipped = 0, 0, 0
    worst = 0.0
    for file in sorted(os.listdir(args.dump)):
        stem = file[:-len(".npy")]
        value = value_of.get(stem)
        reference = os.path.join(ort_dir, sanitize(value) + ".npy") if value else None
        if value in inputs:
            reference = None
            for spec in args.input:
                name, path = spec.split("=", 1)
                if name == value:
                    reference = path
        if not reference or not os.path.exists(reference):
            skipped += 1
            continue
        a = np.load(reference).astype(np.float64)
        b = np.load(os.path.join(args.dump, file)).astype(np.float64)
        compared += 1
        if a.shape != b.shape:
            print(f"{stem}: shape {b.shape}, ONNX Runtime's {value} {a.shape}")
            failed += 1
            continue
        error = np.abs(a - b)
        worst = max(worst, float(error.max()) if error.size else 0.0)
        bad = error > args.atol + args.rtol * np.abs(a)
        if bad.any():
            print(f"{stem} ({value}): {int(bad.sum())} of {bad.size} values off, "
                  f"max abs error {float(error.max()):.3g}")
            failed += 1
    ok = failed == 0 and compared >= args.min_tensors
    print(f"intermediates {os.path.basename(args.model)}: {compared} tensors compared with "
          f"ONNX Runtime ({skipped} without an ONNX counterpart), {failed} off, max abs "
          f"error {worst:.3g} (rtol {args.rtol:g}, atol {args.atol:g}): "
          + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
