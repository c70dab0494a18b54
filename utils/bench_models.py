#!/usr/bin/python3
"""Latency of dsc-compiled models against ONNX Runtime, interleaved in one run.

    utils/bench_models.py [--repeat N] [--threads N] [--models a,b,...]
        [--lower-options "prepare=false"] [--markdown FILE]

Each model is compiled for this host (cpu=native) with
  dsc-translate --import-onnx | dsc-opt --dsc-lower-to-llvm | dsc-translate --emit-executable
and timed with the executable's `--repeat N` (one warm-up, then N runs; the
median) and with ONNX Runtime (onnxruntime-node, intraOpNumThreads = N
threads, graphOptimizationLevel all) on the same seeded input, dsc and ORT
alternating. Prints median latencies, the ratio dsc/ORT per model, their
geometric mean, and peak resident memory of both processes.
"""
import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile

import numpy as np
import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
MODELS = os.path.join(ROOT, "build", "models")

# name: (model path, input shapes pinned at import)
CATALOG = {
    "ppocr_cls": ("ppocr_cls.onnx", {"x": [1, 3, 48, 192]}),
    "ppocrv4_det": ("ppocrv4_det.onnx", {"x": [1, 3, 640, 640]}),
    "ppocrv4_rec": ("ppocrv4_rec.onnx", {"x": [1, 3, 48, 320]}),
    "resnet18": ("torch/resnet18_op13_eval.onnx", {"input": [1, 3, 64, 64]}),
    "mobilenet_v2": ("torch/mobilenet_v2_op13_eval.onnx", {"input": [1, 3, 64, 64]}),
    "efficientnet_b0": ("torch/efficientnet_b0_op13_eval.onnx", {"input": [1, 3, 64, 64]}),
    "default_student": (os.path.join(ROOT, "models/default/student.onnx"),
                        {"image": [1, 1, 16, 16]}),
}


def run(cmd):
    """Runs cmd; returns (stdout, peak RSS in KiB of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True,
                            text=True)
    if result.returncode != 0:
        sys.exit(f"FAILED: {' '.join(cmd)}\n{result.stderr[-2000:]}")
    peak = int(result.stderr.strip().splitlines()[-1])
    del before
    return result.stdout, peak


def median_ms(stdout):
    for line in stdout.splitlines():
        if line.startswith("{") and "median_ms" in line:
            return json.loads(line)["median_ms"]
    sys.exit("no median_ms line in:\n" + stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--models", default=",".join(CATALOG))
    parser.add_argument("--markdown")
    parser.add_argument("--lower-options", default="",
                        help="more --dsc-lower-to-llvm options, e.g. prepare=false (no BN "
                             "folding or fusion before lowering)")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="dsc-bench-")
    rows = []
    for name in args.models.split(","):
        path, shapes = CATALOG[name]
        model = path if os.path.isabs(path) else os.path.join(MODELS, path)
        mlir, lowered, exe = (os.path.join(work, f"{name}{ext}")
                              for ext in (".mlir", ".ll.mlir", ""))
        import_cmd = [os.path.join(BIN, "dsc-translate"), "--import-onnx", model, "-o", mlir]
        for input_name, dims in shapes.items():
            import_cmd += ["--input-shape", f"{input_name}={','.join(map(str, dims))}"]
        run(import_cmd)
        run([os.path.join(BIN, "dsc-opt"), mlir,
             f"--dsc-lower-to-llvm=cpu=native {args.lower_options}".strip(), "-o", lowered])
        run([os.path.join(BIN, "dsc-translate"), "--emit-executable", lowered, "-o", exe])
        rng = np.random.default_rng(0)
        inputs = []
        graph = onnx.load(model, load_external_data=False).graph
        for value in graph.input:
            if value.name not in shapes:
                continue
            file = os.path.join(work, f"{name}.{re.sub(r'[^A-Za-z0-9._-]', '_', value.name)}.npy")
            np.save(file, rng.standard_normal(shapes[value.name]).astype(np.float32))
            inputs += ["--input", f"{value.name}={file}"]
        threads = ["--threads", str(args.threads)]
        dsc_runs, ort_runs, dsc_peak, ort_peak = [], [], 0, 0
        for _ in range(2):  # alternate dsc and ORT
            out, peak = run([exe] + inputs + ["--repeat", str(args.repeat)] + threads)
            dsc_runs.append(median_ms(out))
            dsc_peak = max(dsc_peak, peak)
            out, peak = run(["node", os.path.join(ROOT, "utils", "ort", "run_ort.js"), model]
                            + inputs + ["--repeat", str(args.repeat)] + threads)
            ort_runs.append(median_ms(out))
            ort_peak = max(ort_peak, peak)
        dsc_ms, ort_ms = min(dsc_runs), min(ort_runs)
        shape_text = ", ".join(f"{k} {'x'.join(map(str, v))}" for k, v in shapes.items())
        rows.append((name, shape_text, dsc_ms, ort_ms, dsc_ms / ort_ms, dsc_peak, ort_peak))
        print(f"{name:16s} dsc {dsc_ms:9.3f} ms  ORT {ort_ms:9.3f} ms  "
              f"dsc/ORT {dsc_ms / ort_ms:6.2f}  peak RSS dsc {dsc_peak / 1024:.1f} MiB, "
              f"ORT {ort_peak / 1024:.1f} MiB", flush=True)
    geomean = math.exp(sum(math.log(r[4]) for r in rows) / len(rows))
    print(f"geometric mean dsc/ORT: {geomean:.2f} ({args.threads} thread(s))")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("| model | input | dsc (ms) | ORT (ms) | dsc/ORT | peak RSS dsc | peak RSS ORT |\n")
            f.write("|---|---|---|---|---|---|---|\n")
            for name, shape_text, d, o, ratio, dp, op in rows:
                f.write(f"| {name} | {shape_text} | {d:.3f} | {o:.3f} | {ratio:.2f} | "
                        f"{dp / 1024:.1f} MiB | {op / 1024:.1f} MiB |\n")
            f.write(f"| geometric mean | | | | {geomean:.2f} | | |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
