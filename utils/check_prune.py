#!/usr/bin/env python3
"""Checks a pruned model against its float original: the accuracy drop on a
labelled data folder (from dsc-fidelity --json) and the MAC reduction (from
dsc-compile's report.json, the model before pruning vs after folding and
fusion). Prints the figures and PASS or FAIL (exit 1)."""
import argparse
import json
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", required=True, help="dsc-compile report.json")
    parser.add_argument("--fidelity", required=True, help="dsc-fidelity --json output")
    parser.add_argument("--max-accuracy-drop", type=float, required=True,
                        help="allowed drop, in percentage points")
    parser.add_argument("--min-mac-reduction", type=float, required=True,
                        help="required fraction of MACs removed")
    args = parser.parse_args()
    report = json.load(open(args.report))
    fidelity = json.load(open(args.fidelity))
    steps = report["steps"]
    before = steps.get("fold-distillation", steps["import"])["macs"]
    after = steps["fuse"]["macs"]
    accuracy = fidelity["accuracy"]
    drop = 100.0 * (accuracy["reference"] - accuracy["model"])
    reduction = 1.0 - after / before
    print(f"accuracy float {100 * accuracy['reference']:.2f}%, pruned "
          f"{100 * accuracy['model']:.2f}%: drop {drop:.2f} points "
          f"(max {args.max_accuracy_drop:g})")
    print(f"MACs {before} -> {after}: {100 * reduction:.1f}% fewer "
          f"(min {100 * args.min_mac_reduction:g}%)")
    ok = drop <= args.max_accuracy_drop and reduction >= args.min_mac_reduction
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
