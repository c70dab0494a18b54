#!/usr/bin/env python3
"""Checks a dsc-prune-sensitivity prediction against a model really pruned
that way: the sensitivity file's entry for LAYER at RATIO (measured with
run-time channel masks in one compiled model) must give the output cosine
and accuracy that dsc-fidelity measured between the float and the
physically pruned executables (dsc-compile --prune "per-layer=LAYER:RATIO").
Prints both and PASS or FAIL (exit 1)."""
import argparse
import json
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sensitivity", required=True, help="dsc-prune-sensitivity -o file")
    parser.add_argument("--fidelity", required=True, help="dsc-fidelity --json file")
    parser.add_argument("--layer", required=True, help="a layer of the group (its ONNX node)")
    parser.add_argument("--ratio", type=float, required=True)
    parser.add_argument("--cosine-tolerance", type=float, default=1e-4,
                        help="largest |predicted - measured| output cosine")
    args = parser.parse_args()
    sensitivity = json.load(open(args.sensitivity))
    fidelity = json.load(open(args.fidelity))
    group = next((g for g in sensitivity["groups"]
                  if args.layer in [n.strip() for n in g["layers"].split(",")]), None)
    if group is None:
        print(f"FAIL: no group of {args.sensitivity} holds {args.layer}")
        return 1
    result = next((r for r in group["results"] if abs(r["ratio"] - args.ratio) < 1e-9), None)
    if result is None:
        print(f"FAIL: {args.layer} was not measured at ratio {args.ratio}")
        return 1
    measured_cosine = min(o["min_cosine"] for o in fidelity["outputs"])
    cosine_error = abs(result["output_cosine"] - measured_cosine)
    ok = cosine_error <= args.cosine_tolerance
    line = (f"{args.layer} at {args.ratio:g}: cosine predicted {result['output_cosine']:.5f}, "
            f"measured {measured_cosine:.5f}")
    if "accuracy" in fidelity:
        labels = fidelity["accuracy"]["labels"]
        predicted, measured = result.get("accuracy"), fidelity["accuracy"]["model"]
        # One sample's decision may flip on a last-bit difference.
        ok = ok and predicted is not None and abs(predicted - measured) * labels <= 1.0
        line += f"; accuracy predicted {100 * (predicted or 0):.2f}%, measured {100 * measured:.2f}%"
    print(line + (": PASS" if ok else ": FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
