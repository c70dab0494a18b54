#!/usr/bin/python3
"""How calibration data, method and --equalize change what int8 PaddleOCR
rec reads (the tables of docs/quantization.md).

    utils/ocr_quant_study.py [--work DIR]

Line sets (utils/ocr_samples.py, seeded):
  everyday   20 everyday lines ("Hello from dsc", ...), PaddleOCR-prepared
             (`render`), calibrated on 16 other prepared lines of a wider
             vocabulary (`everyday-cal`) or on `make --prepared` lines;
  make40     40 `make` lines (text on full-width pages), calibrated on 16
             `make` lines (seed 5);
  ocrtest    test/e2e/ocr.test's 10 `make` lines and its 16 (seed 5);
  prepared   2 x 30 `make --prepared` lines (seeds 0 and 9), calibrated
             on 16 `make --prepared` lines (seed 5); also with percentile
             99.9, 99.999 and 99.9999 (without --equalize).
Each build is `dsc-compile --quantize "mode=int8 calibration=M"` for x86-64
(with and without --equalize); a line counts when ONNX Runtime's float
model reads it exactly, and the script prints, per set and build, how many
of those the int8 build reads exactly.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
MODELS = os.path.join(ROOT, "build", "models")
SAMPLES = os.path.join(ROOT, "utils", "ocr_samples.py")
PY = sys.executable

VOCABULARY = ["invoice", "total", "2026", "model", "compiler", "Rockchip", "edge", "int8",
              "ONNX", "runtime", "kernel", "fusion", "Jetson", "board", "camera", "label",
              "price", "9.99", "order", "text", "line", "speed", "Hello", "world", "coffee",
              "street", "apple", "bottle", "seller", "Tuesday", "letter", "summer", "00:45",
              "#1127", "berry", "little"]
EVERYDAY = ["Hello from dsc", "Raspberry Pi 5 ARM64", "Total: 42.00 EUR", "Call 555-0199",
            "Coffee shop", "Little summer letter", "Apple bottle 0.75 l", "Tuesday 09:30",
            "Order #1127 shipped", "Seller: Anna Miller", "Street address 12b",
            "www.example.com", "Keep it simple", "Good morning", "Battery 87%", "Model X-100",
            "Fresh berries", "Room 204", "Exit only", "Pull the door"]


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAILED: {' '.join(cmd)}\n{result.stderr[-2000:]}")
    return result.stdout


def read_count(data, outputs, reference):
    text = run([PY, SAMPLES, "read-rec", data, outputs, os.path.join(MODELS, "ppocr_keys.txt")]
               + (["--only-where", reference] if reference else []))
    return text.strip().splitlines()[-1].split()[1]  # "N/M"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="dsc-ocr-study-")
    os.makedirs(work, exist_ok=True)
    model = os.path.join(MODELS, "ppocrv4_rec.onnx")
    path = lambda *p: os.path.join(work, *p)

    # The line sets.
    rng = np.random.default_rng(7)
    calibration = [" ".join(rng.choice(VOCABULARY, size=rng.integers(1, 4), replace=False))
                   for _ in range(16)]
    run([PY, SAMPLES, "render", path("everyday-cal"), *calibration, "--seed", "3"])
    run([PY, SAMPLES, "render", path("everyday"), *EVERYDAY, "--seed", "11"])
    run([PY, SAMPLES, "make", path("make40"), "--count", "40", "--seed", "9"])
    run([PY, SAMPLES, "make", path("make-cal"), "--count", "16", "--seed", "5"])
    run([PY, SAMPLES, "make", path("ocrtest"), "--count", "10", "--seed", "0"])
    for seed in (0, 9, 5):
        run([PY, SAMPLES, "make", path(f"prepared{seed}"), "--count", "30" if seed != 5 else "16",
             "--seed", str(seed), "--prepared"])
    sets = {"everyday": path("everyday"), "make40": path("make40", "rec"),
            "ocrtest": path("ocrtest", "rec"), "prepared0": path("prepared0", "rec"),
            "prepared9": path("prepared9", "rec")}
    references = {}
    for name, data in sets.items():
        references[name] = path("ort-" + name)
        run(["node", os.path.join(ROOT, "utils", "ort", "run_ort.js"), model, "--data", data,
             "--output-dir", references[name]])
        print(f"{name}: ONNX Runtime float reads {read_count(data, references[name], None)}")

    calibrations = {"everyday-cal": path("everyday-cal"), "make-cal": path("make-cal", "rec"),
                    "prepared-cal": path("prepared5", "rec")}
    builds = [  # (calibration set, method, equalize, line sets)
        ("everyday-cal", "percentile", ["everyday"]), ("everyday-cal", "entropy", ["everyday"]),
        ("everyday-cal", "minmax", ["everyday"]), ("everyday-cal", "mse", ["everyday"]),
        ("make-cal", "percentile", ["make40", "ocrtest"]),
        ("prepared-cal", "percentile", ["prepared0", "prepared9"]),
        # Other percentiles (ONNX Runtime's calibrator defaults to 99.999).
        ("prepared-cal", "percentile percentile=99.9", ["prepared0", "prepared9"]),
        ("prepared-cal", "percentile percentile=99.999", ["prepared0", "prepared9"]),
        ("prepared-cal", "percentile percentile=99.9999", ["prepared0", "prepared9"]),
        ("prepared-cal", "entropy", ["prepared0", "prepared9", "everyday"]),
    ]
    for cal, method, line_sets in builds:
        for equalize in (False, True):
            if equalize and "=" in method:
                continue  # the other percentiles: without --equalize only
            out = path(f"build-{cal}-{method.replace(' ', '-')}-{int(equalize)}")
            run([os.path.join(BIN, "dsc-compile"), model, "-o", out,
                 "--input-shape", "x=1,3,48,320", "--quantize",
                 f"mode=int8 calibration={method}", "--calibration-data", calibrations[cal]]
                + (["--equalize"] if equalize else []))
            for name in line_sets:
                outputs = out + "-" + name
                run([PY, SAMPLES, "run", os.path.join(out, "model"), sets[name], outputs])
                print(f"{name}, calibrated on {cal}, {method}"
                      f"{', --equalize' if equalize else ''}: "
                      f"{read_count(sets[name], outputs, references[name])}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
