#!/usr/bin/python3
"""Round trip through dsc's ONNX exporter, judged by ONNX Runtime.

    utils/check_export.py MODEL.onnx [--input-shape NAME=d0,...]...
        [--passes "--dsc-fold --dsc-fuse"] [--samples N] [--rtol 1e-4]
        [--atol 1e-5] [--work DIR]

  dsc-translate --import-onnx MODEL [--input-shape ...] -o model.mlir
  dsc-opt model.mlir PASSES -o passed.mlir          (when --passes is given)
  dsc-translate --export-onnx passed.mlir -o exported.onnx
then ONNX Runtime runs MODEL and exported.onnx on the same seeded inputs
(utils/e2e_check.py's), and every output must agree within
|exported - original| <= atol + rtol * |original|. The passes are the
lossless ones (folding, fusion, lossless pruning); the check is that the
exported graph computes what the original does. Prints one line per sample
and a verdict; exits 1 on a mismatch.
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_check import (BIN, ROOT, model_inputs, parse_input_shapes,  # noqa: E402
                       random_input, run, sanitize)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--input-shape", action="append", default=[])
    parser.add_argument("--passes", default="")
    parser.add_argument("--samples", type=int, default=2)
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--work")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="dsc-export-")
    os.makedirs(work, exist_ok=True)
    pinned = parse_input_shapes(args.input_shape)

    mlir = os.path.join(work, "model.mlir")
    cmd = [os.path.join(BIN, "dsc-translate"), "--import-onnx", args.model, "-o", mlir]
    for spec in args.input_shape:
        cmd += ["--input-shape", spec]
    run(cmd)
    if args.passes:
        passed = os.path.join(work, "passed.mlir")
        run([os.path.join(BIN, "dsc-opt"), mlir] + shlex.split(args.passes) + ["-o", passed])
        mlir = passed
    exported = os.path.join(work, "exported.onnx")
    run([os.path.join(BIN, "dsc-translate"), "--export-onnx", mlir, "-o", exported])

    rng = np.random.default_rng(0)
    failures, worst = 0, 0.0
    for i in range(args.samples):
        feeds, paths = [], {}
        for name, dtype, shape in model_inputs(args.model, pinned):
            path = os.path.join(work, f"in{i}_{sanitize(name)}.npy")
            np.save(path, random_input(rng, dtype, shape))
            paths[name] = path
        outs = {}
        for tag, model in (("original", args.model), ("exported", exported)):
            # Each model gets its own inputs (distillation folding drops
            # the labels input).
            feeds = []
            for name, _, _ in model_inputs(model, pinned):
                feeds += ["--input", f"{name}={paths[name]}"]
            folder = os.path.join(work, f"{tag}{i}")
            run(["node", os.path.join(ROOT, "utils", "ort", "run_ort.js"), model] + feeds
                + ["--output-dir", folder])
            outs[tag] = folder
        # Every output of the exported model against the original's of that
        # name (passes such as distillation folding keep a subset).
        for name in sorted(os.listdir(outs["exported"])):
            path = os.path.join(outs["original"], name)
            if not os.path.exists(path):
                print(f"sample {i} {name}: the original model has no such output")
                failures += 1
                continue
            e = np.load(path).astype(np.float64)
            a = np.load(os.path.join(outs["exported"], name)).astype(np.float64)
            if a.shape != e.shape:
                print(f"sample {i} {name}: shape {a.shape} != {e.shape}")
                failures += 1
                continue
            error = np.abs(a - e)
            bad = error > args.atol + args.rtol * np.abs(e)
            worst = max(worst, float(error.max()) if error.size else 0.0)
            failures += bool(bad.any())
            print(f"sample {i} {name}: max abs error {float(error.max()) if error.size else 0:.3g}"
                  + (f" MISMATCH at {int(bad.sum())} elements" if bad.any() else " ok"))
    verdict = "PASS" if failures == 0 else "FAIL"
    print(f"export {os.path.basename(args.model)}{' after ' + args.passes if args.passes else ''}: "
          f"{args.samples} samples, max abs error {worst:.3g} (rtol {args.rtol}, atol {args.atol}): "
          f"{verdict}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
