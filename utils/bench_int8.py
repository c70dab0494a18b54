#!/usr/bin/python3
"""Latency of dsc's calibrated int8 against dsc's float32 and ONNX Runtime.

    utils/bench_int8.py [--repeat N] [--models a,b,...] [--markdown FILE]

For each model, dsc-compile builds two executables for this host
(cpu=native): float32, and `--quantize int8` calibrated on a data folder
made here (rendered text for the PaddleOCR models, seeded normal noise for
resnet18; calibration and timing inputs are disjoint). Each is timed with
`--repeat N` (the median), alternating with ONNX Runtime on the float
model and on the int8 model's QDQ export (dsc-compile's model.onnx, which
ORT runs with its own int8 kernels), one thread; prints the medians,
int8's speed-up over float, dsc int8 against ORT on the same QDQ model,
the weight bytes of both, and the int8 model's output cosine similarity
with the float one on the timing input.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
MODELS = os.path.join(ROOT, "build", "models")

# name: (model, input name, shape, data kind)
CATALOG = {
    "resnet18": ("torch/resnet18_op13_eval.onnx", "input", [1, 3, 64, 64], "noise"),
    "ppocrv4_det": ("ppocrv4_det.onnx", "x", [1, 3, 640, 640], "det"),
    "ppocrv4_rec": ("ppocrv4_rec.onnx", "x", [1, 3, 48, 320], "rec"),
}


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAILED: {' '.join(cmd)}\n{result.stderr[-3000:]}")
    return result.stdout


def median_ms(stdout):
    for line in stdout.splitlines():
        if line.startswith("{") and "median_ms" in line:
            return json.loads(line)["median_ms"]
    sys.exit("no median_ms line in:\n" + stdout)


def make_data(kind, folder, input_name, shape, count, seed):
    if kind == "noise":
        rng = np.random.default_rng(seed)
        for i in range(count):
            os.makedirs(os.path.join(folder, f"{i:04d}"), exist_ok=True)
            np.save(os.path.join(folder, f"{i:04d}", f"{input_name}.npy"),
                    rng.standard_normal(shape).astype(np.float32))
        return folder
    samples = folder + "-ocr"
    run([sys.executable, os.path.join(ROOT, "utils", "ocr_samples.py"), "make", samples,
         "--count", str(count), "--seed", str(seed)])
    return os.path.join(samples, kind)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--models", default=",".join(CATALOG))
    parser.add_argument("--calibration-samples", type=int, default=16)
    parser.add_argument("--markdown")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="dsc-bench-int8-")
    rows = []
    for name in args.models.split(","):
        path, input_name, shape, kind = CATALOG[name]
        model = os.path.join(MODELS, path)
        calibration = make_data(kind, os.path.join(work, name + "-cal"), input_name, shape,
                                args.calibration_samples, 1)
        timing = make_data(kind, os.path.join(work, name + "-time"), input_name, shape, 1, 2)
        sample = os.path.join(timing, sorted(os.listdir(timing))[0], f"{input_name}.npy")
        shape_option = f"{input_name}={','.join(map(str, shape))}"
        builds = {}
        for variant, extra in (("float", []),
                               ("int8", ["--quantize", "int8", "--calibration-data",
                                         calibration])):
            out = os.path.join(work, f"{name}-{variant}")
            run([os.path.join(BIN, "dsc-compile"), model, "-o", out, "--cpu", "native",
                 "--input-shape", shape_option] + extra)
            with open(os.path.join(out, "report.json")) as f:
                builds[variant] = (out, json.load(f)["sizes"]["weights_bytes"])
        inputs = ["--input", f"{input_name}={sample}"]
        times = {"float": [], "int8": [], "ort": [], "ort_qdq": []}
        qdq = os.path.join(builds["int8"][0], "model.onnx")
        for _ in range(2):  # alternate
            for variant, (out, _) in builds.items():
                times[variant].append(median_ms(run(
                    [os.path.join(out, "model")] + inputs + ["--repeat", str(args.repeat)])))
            for key, onnx_model in (("ort", model), ("ort_qdq", qdq)):
                times[key].append(median_ms(run(
                    ["node", os.path.join(ROOT, "utils", "ort", "run_ort.js"), onnx_model]
                    + inputs + ["--repeat", str(args.repeat), "--threads", "1"])))
        outputs = {}
        for variant, (out, _) in builds.items():
            folder = os.path.join(work, f"{name}-{variant}-out")
            run([os.path.join(out, "model")] + inputs + ["--output-dir", folder])
            outputs[variant] = np.concatenate(
                [np.load(os.path.join(folder, f)).ravel().astype(np.float64)
                 for f in sorted(os.listdir(folder))])
        a, b = outputs["float"], outputs["int8"]
        cosine = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
        f_ms, q_ms, o_ms = min(times["float"]), min(times["int8"]), min(times["ort"])
        oq_ms = min(times["ort_qdq"])
        row = (name, "x".join(map(str, shape)), f_ms, q_ms, f_ms / q_ms, o_ms, oq_ms,
               builds["float"][1], builds["int8"][1], cosine)
        rows.append(row)
        print(f"{name:12s} float {f_ms:8.2f} ms  int8 {q_ms:8.2f} ms  int8 speed-up "
              f"{f_ms / q_ms:5.2f}x  ORT float {o_ms:8.2f} ms  ORT int8 QDQ {oq_ms:8.2f} ms "
              f"(dsc int8/ORT int8 {q_ms / oq_ms:.2f})  weights "
              f"{builds['int8'][1] / builds['float'][1] * 100:.1f}%  cosine {cosine:.4f}",
              flush=True)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("| model | input | dsc float (ms) | dsc int8 (ms) | int8 speed-up | "
                    "ORT float (ms) | ORT int8 QDQ (ms) | dsc int8 / ORT int8 | "
                    "weights float | weights int8 | cosine int8 vs float |\n")
            f.write("|---|---|---|---|---|---|---|---|---|---|---|\n")
            for name, shape, fm, qm, speedup, om, oqm, fw, qw, cosine in rows:
                f.write(f"| {name} | {shape} | {fm:.2f} | {qm:.2f} | {speedup:.2f}x | {om:.2f} | "
                        f"{oqm:.2f} | {qm / oqm:.2f} | {fw / 1e6:.2f} MB | "
                        f"{qw / 1e6:.2f} MB ({qw / fw * 100:.1f}%) | {cosine:.4f} |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
