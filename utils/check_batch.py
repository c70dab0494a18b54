#!/usr/bin/python3
"""A compiled model with a run-time batch axis against ONNX Runtime, batch
by batch.

    utils/check_batch.py EXECUTABLE MODEL.onnx --input NAME
        (--data DIR | --sample-shape D1,D2,...) --batches 1,5,8
        [--refuse N] [--rtol R] [--atol A] [--work DIR]

For each batch size n: the input holds n samples (the first n sample
folders of DIR, DIR/<i>/NAME.npy concatenated along axis 0, or seeded
normal noise of shape [n, D1, D2, ...]); the executable (AArch64 ones
under qemu-aarch64) and ONNX Runtime running MODEL.onnx (the oracle) each
compute every output, which must have n rows and agree within
|dsc - ort| <= atol + rtol * |ort|. With --refuse N, a batch of N samples
(beyond the bound) must make the executable exit 1 with an error naming the
input. One line per batch, then PASS or FAIL (exit 1).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

from runner import runner_for

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def batch_input(args, n):
    if args.data:
        samples = sorted(os.listdir(args.data))
        arrays = [np.load(os.path.join(args.data, samples[i % len(samples)], args.input + ".npy"))
                  for i in range(n)]
        return np.concatenate(arrays, axis=0)
    shape = [n] + [int(d) for d in args.sample_shape.split(",")]
    return np.random.default_rng(n).standard_normal(shape).astype(np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executable")
    parser.add_argument("model")
    parser.add_argument("--input", required=True)
    parser.add_argument("--data")
    parser.add_argument("--sample-shape")
    parser.add_argument("--batches", default="1,2")
    parser.add_argument("--refuse", type=int)
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--work")
    args = parser.parse_args()
    if not args.data and not args.sample_shape:
        parser.error("give --data or --sample-shape")
    work = args.work or tempfile.mkdtemp(prefix="dsc-batch-")
    os.makedirs(work, exist_ok=True)
    runner = runner_for(args.executable)
    ok = True
    for n in [int(b) for b in args.batches.split(",")]:
        folder = os.path.join(work, f"batch{n}")
        os.makedirs(folder, exist_ok=True)
        feed = os.path.join(folder, "input.npy")
        np.save(feed, batch_input(args, n))
        dsc_out, ort_out = os.path.join(folder, "dsc"), os.path.join(folder, "ort")
        for cmd in (runner + [args.executable, "--input", f"{args.input}={feed}",
                              "--output-dir", dsc_out],
                    ["node", os.path.join(ROOT, "utils", "ort", "run_ort.js"), args.model,
                     "--input", f"{args.input}={feed}", "--output-dir", ort_out]):
            result = subprocess.run(cmd, capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f"FAILED: {' '.join(cmd)}\n{result.stderr[-2000:]}")
        worst, good = 0.0, True
        for name in sorted(os.listdir(ort_out)):
            expected = np.load(os.path.join(ort_out, name)).astype(np.float64)
            actual = np.load(os.path.join(dsc_out, name)).astype(np.float64)
            if actual.shape != expected.shape or actual.shape[0] != n:
                print(f"batch {n}: {name} has shape {actual.shape}, ORT {expected.shape}")
                good = False
                continue
            error = np.abs(actual - expected)
            worst = max(worst, float(error.max()))
            good &= bool((error <= args.atol + args.rtol * np.abs(expected)).all())
        print(f"batch {n}: max abs error vs ORT {worst:.3g} "
              f"(rtol {args.rtol:g}, atol {args.atol:g}): {'ok' if good else 'BAD'}")
        ok &= good
    if args.refuse:
        feed = os.path.join(work, "refused.npy")
        np.save(feed, batch_input(args, args.refuse))
        result = subprocess.run(runner + [args.executable, "--input", f"{args.input}={feed}",
                                          "--output-dir", os.path.join(work, "refused")],
                                capture_output=True, text=True)
        refused = result.returncode == 1 and f"input '{args.input}'" in result.stderr
        print(f"batch {args.refuse}: exit {result.returncode}: {result.stderr.strip()}")
        ok &= refused
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
