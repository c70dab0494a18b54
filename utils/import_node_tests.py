#!/usr/bin/python3
"""Imports ONNX's backend node tests (Debian libonnx-testdata) with dsc.

For every test whose op types are all in dsc's op table (read from
`dsc-translate --list-onnx-ops`), runs `dsc-translate --import-onnx` on its
model.onnx and sorts the outcome: imported, refused (exit 1 with an error
message), or crashed (any other exit: a signal, an abort). Prints a summary,
the refusal reasons grouped, and exits 1 if any import crashed or hung.

    utils/import_node_tests.py [--dsc-translate PATH] [--data DIR] [--verbose]
"""
import argparse
import collections
import os
import re
import subprocess
import sys

import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def supported_ops(translate):
    table = subprocess.run([translate, "--list-onnx-ops"], capture_output=True,
                           text=True, check=True).stdout
    return {m.group(1) for m in re.finditer(r"^\| (\w+) \| \d+-\d+ \|", table, re.M)}


def op_types(graph):
    for node in graph.node:
        yield node.op_type
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                yield from op_types(attr.g)
            for sub in attr.graphs:
                yield from op_types(sub)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsc-translate",
                        default=os.path.join(ROOT, "build/bin/dsc-translate"))
    parser.add_argument("--data", default="/usr/include/onnx/backend/test/data/node")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    supported = supported_ops(args.dsc_translate)
    attempted = imported = 0
    refused = collections.Counter()
    crashed = []
    skipped_ops = collections.Counter()
    tests = sorted(os.listdir(args.data))
    for test in tests:
        model_path = os.path.join(args.data, test, "model.onnx")
        if not os.path.exists(model_path):
            continue
        model = onnx.load(model_path, load_external_data=False)
        ops = set(op_types(model.graph))
        missing = ops - supported
        if missing:
            for op in missing:
                skipped_ops[op] += 1
            continue
        attempted += 1
        try:
            result = subprocess.run(
                [args.dsc_translate, "--import-onnx", model_path, "-o", os.devnull],
                capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            crashed.append((test, "timed out"))
            continue
        if result.returncode == 0:
            imported += 1
            if args.verbose:
                print(f"imported  {test}")
        elif result.returncode == 1 and "error:" in result.stderr:
            reason = result.stderr.strip().splitlines()[0]
            # Group by the message without the node's name.
            key = re.sub(r"node '[^']*' ", "", reason)
            refused[key] += 1
            if args.verbose:
                print(f"refused   {test}: {reason}")
        else:
            crashed.append((test, f"exit {result.returncode}: {result.stderr[-300:]}"))

    total = sum(1 for t in tests if os.path.exists(os.path.join(args.data, t, "model.onnx")))
    print(f"node tests: {total}; with only supported ops: {attempted}; "
          f"imported: {imported}; refused with a message: {sum(refused.values())}; "
          f"crashed: {len(crashed)}")
    if refused:
        print("refusals:")
        for reason, count in refused.most_common():
            print(f"  {count:4d}  {reason}")
    for test, why in crashed:
        print(f"CRASH {test}: {why}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
