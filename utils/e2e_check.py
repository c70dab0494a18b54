#!/usr/bin/python3
"""Compiles an ONNX model with dsc and compares its outputs with ONNX Runtime.

    utils/e2e_check.py MODEL.onnx [--target x86_64-linux-gnu|aarch64-linux-gnu]
        [--cpu CPU] [--input-shape NAME=d0,d1,...]... [--data DIR]
        [--fill NAME=VALUE]... [--samples N] [--rtol 1e-3] [--atol 1e-4]
        [--cosine MIN] [--work DIR]

Steps, each the command a user would run:
  dsc-translate --import-onnx MODEL [--input-shape ...] -o model.mlir
  dsc-opt model.mlir --dsc-lower-to-llvm="target=... cpu=..." -o model.ll.mlir
  dsc-translate --emit-executable model.ll.mlir -o model
  ./model --input NAME=FILE ... --output-dir dsc/   (aarch64: under qemu-aarch64)
  node utils/ort/run_ort.js MODEL --input NAME=FILE ... --output-dir ort/
Inputs come from a data folder (one subfolder per sample, <input>.npy each)
or are drawn at random (seeded: normal floats, 8-bit integers over their
whole range, other integers in [0, 10)). Every output must satisfy
|dsc - ort| <= atol + rtol * |ort| elementwise, or with --cosine, have a
cosine similarity with ORT's output of at least MIN (for models that
quantize at run time, where one rounding flip moves a value by a whole
quantization step). Prints
one line per sample and a summary; exits 1 on any mismatch or failure.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
NUMPY_TYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 5: np.int16, 6: np.int32,
               7: np.int64, 9: np.bool_, 11: np.float64}


def sanitize(name):
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(f"FAILED: {' '.join(cmd)}\n{result.stdout}{result.stderr}")
        raise SystemExit(1)
    return result.stdout


def model_inputs(model_path, pinned):
    """(name, numpy dtype, shape) of the graph inputs that are not initializers."""
    model = onnx.load(model_path, load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    inputs = []
    for value in model.graph.input:
        if value.name in initializers:
            continue
        tensor = value.type.tensor_type
        shape = pinned.get(value.name)
        if shape is None:
            shape = [d.dim_value if d.HasField("dim_value") else 1
                     for d in tensor.shape.dim]
        inputs.append((value.name, NUMPY_TYPES[tensor.elem_type], shape))
    return inputs


def parse_input_shapes(specs):
    """NAME=d0,d1,... options as {name: [dims]}."""
    pinned = {}
    for spec in specs:
        name, dims = spec.rsplit("=", 1)
        pinned[name] = [int(d) for d in dims.split(",")]
    return pinned


def random_input(rng, dtype, shape):
    """Seeded test data: normal floats, bools, 8-bit integers over their
    whole range, other integers in [0, 10)."""
    if np.issubdtype(dtype, np.floating):
        return rng.standard_normal(shape).astype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, shape).astype(dtype)
    if dtype in (np.uint8, np.int8):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max + 1, shape).astype(dtype)
    return rng.integers(0, 10, shape).astype(dtype)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--target", default="x86_64-linux-gnu")
    parser.add_argument("--cpu", default="")
    parser.add_argument("--input-shape", action="append", default=[])
    parser.add_argument("--data")
    parser.add_argument("--fill", action="append", default=[],
                        help="NAME=VALUE: that input is filled with VALUE "
                             "instead of random numbers")
    parser.add_argument("--samples", type=int, default=1)
    parser.add_argument("--rtol", type=float, default=1e-3)
    parser.add_argument("--atol", type=float, default=1e-4)
    parser.add_argument("--cosine", type=float,
                        help="compare by cosine similarity >= this instead")
    parser.add_argument("--work")
    args = parser.parse_args()

    work = args.work or tempfile.mkdtemp(prefix="dsc-e2e-")
    os.makedirs(work, exist_ok=True)
    pinned = parse_input_shapes(args.input_shape)

    mlir = os.path.join(work, "model.mlir")
    lowered = os.path.join(work, "model.ll.mlir")
    exe = os.path.join(work, "model")
    import_cmd = [os.path.join(BIN, "dsc-translate"), "--import-onnx", args.model, "-o", mlir]
    for spec in args.input_shape:
        import_cmd += ["--input-shape", spec]
    run(import_cmd)
    options = f"target={args.target}" + (f" cpu={args.cpu}" if args.cpu else "")
    run([os.path.join(BIN, "dsc-opt"), mlir, f"--dsc-lower-to-llvm={options}", "-o", lowered])
    run([os.path.join(BIN, "dsc-translate"), "--emit-executable", lowered, "-o", exe])
    runner = []
    if args.target.startswith("aarch64") and not os.uname().machine.startswith("aarch64"):
        runner = ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]

    inputs = model_inputs(args.model, pinned)
    samples = []
    if args.data:
        for sample in sorted(os.listdir(args.data))[: args.samples]:
            folder = os.path.join(args.data, sample)
            samples.append({name: os.path.join(folder, sanitize(name) + ".npy")
                            for name, _, _ in inputs})
    else:
        rng = np.random.default_rng(0)
        for i in range(args.samples):
            folder = os.path.join(work, "inputs", str(i))
            os.makedirs(folder, exist_ok=True)
            files = {}
            fills = dict(spec.rsplit("=", 1) for spec in args.fill)
            for name, dtype, shape in inputs:
                if name in fills:
                    value = np.full(shape, float(fills[name])).astype(dtype)
                else:
                    value = random_input(rng, dtype, shape)
                files[name] = os.path.join(folder, sanitize(name) + ".npy")
                np.save(files[name], value)
            samples.append(files)

    worst = 0.0
    failures = 0
    for i, files in enumerate(samples):
        feeds = [f"{name}={path}" for name, path in files.items()]
        dsc_out = os.path.join(work, "dsc", str(i))
        ort_out = os.path.join(work, "ort", str(i))
        run(runner + [exe] + sum((["--input", f] for f in feeds), []) + ["--output-dir", dsc_out])
        run(["node", os.path.join(ROOT, "utils", "ort", "run_ort.js"), args.model]
            + sum((["--input", f] for f in feeds), []) + ["--output-dir", ort_out])
        for name in sorted(os.listdir(ort_out)):
            expected = np.load(os.path.join(ort_out, name))
            actual = np.load(os.path.join(dsc_out, name))
            if actual.shape != expected.shape:
                print(f"sample {i} {name}: shape {actual.shape} != ORT {expected.shape}")
                failures += 1
                continue
            e = expected.astype(np.float64)
            a = actual.astype(np.float64)
            error = np.abs(a - e)
            worst = max(worst, float(error.max()) if error.size else 0.0)
            if args.cosine is not None:
                norm = np.linalg.norm(a) * np.linalg.norm(e)
                cosine = float(a.ravel() @ e.ravel() / norm) if norm else float(np.array_equal(a, e))
                ok = cosine >= args.cosine
                status = f"cosine {cosine:.5f} " + ("ok" if ok else "MISMATCH")
            else:
                bad = error > args.atol + args.rtol * np.abs(e)
                ok = not bad.any()
                status = "ok" if ok else f"MISMATCH at {int(bad.sum())} elements"
            if not ok:
                failures += 1
            print(f"sample {i} {name}: max abs error {float(error.max()) if error.size else 0:.3g} {status}")
    verdict = "PASS" if failures == 0 else "FAIL"
    print(f"e2e {os.path.basename(args.model)} {args.target}: {len(samples)} samples, "
          f"max abs error {worst:.3g} " +
          (f"(cosine >= {args.cosine})" if args.cosine is not None
           else f"(rtol {args.rtol}, atol {args.atol})") + f": {verdict}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
