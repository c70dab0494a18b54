#!/usr/bin/python3
"""Checks a quantized dsc-compile output folder against the float one.

    utils/check_quantize.py FLOAT_OUTDIR INT8_OUTDIR [--max-accuracy-drop 1.0]
        [--min-top1 0.97] [--max-weight-ratio 0.27]

Both folders come from dsc-compile with --fidelity-data (the same labelled
samples, ONNX Runtime on the float .onnx as the reference). Passes when the
int8 model's accuracy is at most MAX-ACCURACY-DROP points below ORT's, its
top-1 agreement with ORT at least MIN-TOP1, and its weight bytes at most
MAX-WEIGHT-RATIO of the float model's. Prints one line with the figures.
"""
import argparse
import json
import os
import sys


def load(folder):
    with open(os.path.join(folder, "report.json")) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("float_dir")
    parser.add_argument("int8_dir")
    parser.add_argument("--max-accuracy-drop", type=float, default=1.0)
    parser.add_argument("--min-top1", type=float, default=0.97)
    parser.add_argument("--max-weight-ratio", type=float, default=0.27)
    args = parser.parse_args()
    fp, q = load(args.float_dir), load(args.int8_dir)
    fid = q["fidelity"]
    reference = fid["accuracy"]["reference"] * 100
    accuracy = fid["accuracy"]["model"] * 100
    top1 = min(o["top1_agreement"] for o in fid["outputs"])
    ratio = q["sizes"]["weights_bytes"] / fp["sizes"]["weights_bytes"]
    ok = (reference - accuracy <= args.max_accuracy_drop and top1 >= args.min_top1
          and ratio <= args.max_weight_ratio)
    print(f"int8: accuracy {accuracy:.2f}% (ORT float {reference:.2f}%), top-1 agreement "
          f"{top1 * 100:.2f}%, weights {q['sizes']['weights_bytes']} / "
          f"{fp['sizes']['weights_bytes']} bytes = {ratio * 100:.1f}%: "
          + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
