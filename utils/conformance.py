#!/usr/bin/python3
"""ONNX backend conformance: compiles ONNX's backend tests with dsc and
compares the executable's outputs with the expected outputs the tests ship.

    utils/conformance.py [--suites node,pytorch-converted,pytorch-operator]
        [--filter REGEX] [--limit N] [--jobs N] [--rtol 1e-3] [--atol 1e-5]
        [--markdown docs/conformance.md] [--verbose]

For each test (Debian libonnx-testdata, /usr/include/onnx/backend/test/data):
  import   dsc-translate --import-onnx model.onnx
  compile  dsc-opt --dsc-lower-to-llvm, dsc-translate --emit-executable
  run      ./model --input NAME=input_i.pb ... --output-dir out/
  compare  every output_i.pb: |dsc - expected| <= atol + rtol |expected|
A test the importer refuses (exit 1 with a message) is "refused"; one that
imports but fails to compile, run or match is "failed". Prints a per-op
table and the closing line "N passed, N failed" (refused tests are not
attempted runs). Exits 1 if any test failed.
"""
import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

from import_node_tests import op_types

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
DATA = "/usr/include/onnx/backend/test/data"


def sanitize(name):
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def run_test(test_dir, work, rtol, atol):
    """Returns (status, reason) with status in passed/failed/refused."""
    model_path = os.path.join(test_dir, "model.onnx")
    data_dir = os.path.join(test_dir, "test_data_set_0")
    os.makedirs(work, exist_ok=True)
    mlir = os.path.join(work, "model.mlir")
    result = subprocess.run([os.path.join(BIN, "dsc-translate"), "--import-onnx",
                             model_path, "-o", mlir], capture_output=True, text=True,
                            timeout=120)
    if result.returncode != 0:
        if result.returncode == 1 and "error:" in result.stderr:
            return "refused", result.stderr.strip().splitlines()[0]
        return "failed", f"importer crashed (exit {result.returncode})"
    lowered = os.path.join(work, "model.ll.mlir")
    exe = os.path.join(work, "model")
    for cmd, step in (([os.path.join(BIN, "dsc-opt"), mlir, "--dsc-lower-to-llvm",
                        "-o", lowered], "lower"),
                      ([os.path.join(BIN, "dsc-translate"), "--emit-executable",
                        lowered, "-o", exe], "emit")):
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            lines = [l[l.index("error:"):] for l in result.stderr.splitlines()
                     if "error:" in l]
            return "failed", f"{step}: " + (lines[0] if lines else result.stderr[-200:])
    model = onnx.load(model_path, load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    args = [exe]
    for i, name in enumerate(inputs):
        args += ["--input", f"{name}={os.path.join(data_dir, f'input_{i}.pb')}"]
    out = os.path.join(work, "out")
    args += ["--output-dir", out]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        return "failed", f"run: {result.stderr.strip()[:200]}"
    for i, output in enumerate(model.graph.output):
        expected_path = os.path.join(data_dir, f"output_{i}.pb")
        if not os.path.exists(expected_path):
            continue
        tensor = onnx.TensorProto()
        with open(expected_path, "rb") as f:
            tensor.ParseFromString(f.read())
        expected = numpy_helper.to_array(tensor)
        actual = np.load(os.path.join(out, sanitize(output.name) + ".npy"))
        if actual.shape != expected.shape:
            return "failed", f"output {output.name}: shape {actual.shape} != {expected.shape}"
        if expected.dtype.kind in "fc":
            e = expected.astype(np.float64)
            a = actual.astype(np.float64)
            bad = ~np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
        else:
            bad = actual != expected
        if bad.any():
            return "failed", (f"output {output.name}: {int(bad.sum())} of {bad.size} "
                              "elements differ")
    return "passed", ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suites", default="node,pytorch-converted,pytorch-operator")
    parser.add_argument("--filter", default="")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rtol", type=float, default=1e-3)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--markdown")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    tests = []
    for suite in args.suites.split(","):
        folder = os.path.join(DATA, suite)
        for name in sorted(os.listdir(folder)):
            test_dir = os.path.join(folder, name)
            if not os.path.exists(os.path.join(test_dir, "model.onnx")):
                continue
            if args.filter and not re.search(args.filter, name):
                continue
            tests.append((suite, name, test_dir))
    if args.limit:
        tests = tests[: args.limit]

    work = tempfile.mkdtemp(prefix="dsc-conformance-")
    results = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_test, test_dir, os.path.join(work, suite, name),
                               args.rtol, args.atol): (suite, name, test_dir)
                   for suite, name, test_dir in tests}
        for future in concurrent.futures.as_completed(futures):
            suite, name, test_dir = futures[future]
            try:
                results[(suite, name)] = future.result()
            except subprocess.TimeoutExpired:
                results[(suite, name)] = ("failed", "timed out")
            if args.verbose:
                status, reason = results[(suite, name)]
                print(f"{status:8s} {suite}/{name} {reason}", flush=True)

    per_op = collections.defaultdict(collections.Counter)
    reasons = collections.Counter()
    for (suite, name), (status, reason) in sorted(results.items()):
        model = onnx.load(os.path.join(DATA, suite, name, "model.onnx"),
                          load_external_data=False)
        ops = sorted(set(op_types(model.graph))) or ["(none)"]
        for op in ops:
            per_op[op][status] += 1
        if status == "failed":
            reasons[re.sub(r"node '[^']*' ", "", reason)[:160]] += 1
    counts = collections.Counter(status for status, _ in results.values())

    lines = ["| op | passed | failed | refused |", "|---|---|---|---|"]
    for op in sorted(per_op):
        c = per_op[op]
        lines.append(f"| {op} | {c['passed']} | {c['failed']} | {c['refused']} |")
    table = "\n".join(lines)
    summary = (f"tests: {len(results)}; attempted (imported): "
               f"{counts['passed'] + counts['failed']}; refused by the importer: "
               f"{counts['refused']}")
    print(table)
    print()
    if reasons:
        print("failures:")
        for reason, count in reasons.most_common(25):
            print(f"  {count:4d}  {reason}")
    print(summary)
    print(f"{counts['passed']} passed, {counts['failed']} failed")

    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("# ONNX backend conformance\n\n")
            f.write("Generated by `utils/conformance.py --markdown docs/conformance.md` "
                    "(x86-64, rtol %g, atol %g) over the ONNX backend tests of Debian's "
                    "libonnx-testdata (suites: %s). A test counts as attempted when "
                    "the importer accepts it; an attempted test passes when it "
                    "compiles, runs and matches every expected output.\n\n"
                    % (args.rtol, args.atol, args.suites))
            f.write(f"**{counts['passed']} passed, {counts['failed']} failed**; "
                    f"{counts['refused']} refused by the importer with a message "
                    f"({len(results)} tests).\n\n")
            if reasons:
                f.write("Most common failures:\n\n")
                for reason, count in reasons.most_common(15):
                    f.write(f"- {count} x {reason}\n")
                f.write("\n")
            f.write(table + "\n")
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
