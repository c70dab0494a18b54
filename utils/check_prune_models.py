#!/usr/bin/python3
"""Channel pruning of real models, judged by ONNX Runtime and an independent
MAC count.

    utils/check_prune_models.py lossless MODEL.onnx [--target T] [--work DIR]
        Plants dead channels: a quarter of the output channels of every
        other conv (their filters and biases zeroed) in a copy of MODEL,
        compiles it with `dsc-compile --prune lossless-only=true` and checks
        that (1) channels were removed and MACs went down, (2) the pruned
        executable (AArch64 ones under qemu) gives ONNX Runtime's outputs of
        the planted model (rtol 1e-3, atol 1e-4), and (3) it gives the
        unpruned planted model's outputs compiled the same way (rtol 1e-5,
        atol 1e-6: removing a dead channel changes nothing but the order of
        the float sums).

    utils/check_prune_models.py ratio MODEL.onnx --ratio 0.3 [--work DIR]
        Compiles with `--prune "criterion=l1 ratio=R"`, then counts the
        MACs of the exported model.onnx independently (ONNX shape
        inference; conv: output elements x C/group x KH x KW, conv-transpose:
        input elements x F/group x KH x KW, gemm/matmul: M x N x K) and checks they equal the report's; and that ONNX Runtime
        running that model.onnx gives the pruned executable's outputs
        (rtol 1e-3, atol 1e-4).

Prints one line of figures and PASS or FAIL (exit 1).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper, shape_inference

from runner import runner_for

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAILED: {' '.join(cmd)}\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return result.stdout


def compare(a_dir, b_dir, rtol=1e-3, atol=1e-4):
    worst, ok = 0.0, True
    for name in sorted(os.listdir(a_dir)):
        a = np.load(os.path.join(a_dir, name)).astype(np.float64)
        b = np.load(os.path.join(b_dir, name)).astype(np.float64)
        error = np.abs(a - b)
        worst = max(worst, float(error.max()))
        ok &= bool((error <= atol + rtol * np.abs(a)).all())
    return ok, worst


INPUT_SHAPE = None  # --input-shape: the dims run-time dims take


def model_input(model_path):
    """The graph input's name and shape, run-time dims taken as 1 (or as
    --input-shape says)."""
    model = onnx.load(model_path, load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    value = next(v for v in model.graph.input if v.name not in initializers)
    if INPUT_SHAPE:
        return value.name, INPUT_SHAPE
    return value.name, [d.dim_value or 1 for d in value.type.tensor_type.shape.dim]


def make_input(model_path, folder):
    name, shape = model_input(model_path)
    path = os.path.join(folder, "input.npy")
    np.save(path, np.random.default_rng(0).standard_normal(shape).astype(np.float32))
    return name, path


def compile_pruned(model_path, out, target, prune):
    """dsc-compile with --prune PRUNE (None: unpruned)."""
    name, shape = model_input(model_path)
    run([os.path.join(BIN, "dsc-compile"), model_path, "-o", out, "--target", target,
         "--input-shape", f"{name}={','.join(map(str, shape))}"]
        + (["--prune", prune] if prune else []))


def run_exe(exe, feed, out):
    run(runner_for(exe) + [exe, "--input", feed, "--output-dir", out])


def plant(model_path, out_path):
    """Zeroes a quarter of the output channels (filters and biases) of every
    other conv and of every conv-transpose with groups = 1 (a conv-transpose
    weight is [C, F, k...]: output channel f is w[:, f])."""
    model = onnx.load(model_path)
    # Weights are initializers or Constant nodes' values.
    tensors = {t.name: t for t in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type == "Constant":
            for a in node.attribute:
                if a.name == "value":
                    tensors[node.output[0]] = a.t
    planted = 0
    convs = [n for n in model.graph.node if n.op_type in ("Conv", "ConvTranspose")]
    for i, node in enumerate(convs):
        group = next((a.i for a in node.attribute if a.name == "group"), 1)
        transposed = node.op_type == "ConvTranspose"
        if (i % 2 and not transposed) or group != 1 or node.input[1] not in tensors:
            continue
        w = numpy_helper.to_array(tensors[node.input[1]]).copy()
        dead = np.arange(0, w.shape[1 if transposed else 0], 4)
        if transposed:
            w[:, dead] = 0
        else:
            w[dead] = 0
        tensors[node.input[1]].CopyFrom(numpy_helper.from_array(w, tensors[node.input[1]].name))
        if len(node.input) > 2 and node.input[2] in tensors:
            b = numpy_helper.to_array(tensors[node.input[2]]).copy()
            b[dead] = 0
            tensors[node.input[2]].CopyFrom(
                numpy_helper.from_array(b, tensors[node.input[2]].name))
        planted += len(dead)
    onnx.save(model, out_path)
    return planted


def count_macs(model_path):
    """MACs of convs, gemms and matmuls from the ONNX graph and ONNX's own
    shape inference: nothing of dsc's."""
    model = shape_inference.infer_shapes(onnx.load(model_path))
    shapes = {}
    for v in list(model.graph.value_info) + list(model.graph.input) + list(model.graph.output):
        shapes[v.name] = [d.dim_value for d in v.type.tensor_type.shape.dim]
    for t in model.graph.initializer:
        shapes[t.name] = list(t.dims)
    macs = 0
    for node in model.graph.node:
        if node.op_type == "Conv":
            w, y = shapes[node.input[1]], shapes[node.output[0]]
            macs += int(np.prod(y)) * int(np.prod(w[1:]))
        elif node.op_type == "ConvTranspose":  # every input pixel meets F/G x KH x KW taps
            x, w = shapes[node.input[0]], shapes[node.input[1]]
            macs += int(np.prod(x)) * int(np.prod(w[1:]))
        elif node.op_type in ("MatMul", "Gemm"):
            a, y = shapes[node.input[0]], shapes[node.output[0]]
            k = a[-1]
            if node.op_type == "Gemm" and any(x.name == "transA" and x.i for x in node.attribute):
                k = a[0]
            macs += int(np.prod(y)) * k
    return macs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["lossless", "ratio"])
    parser.add_argument("model")
    parser.add_argument("--ratio", type=float, default=0.3)
    parser.add_argument("--target", default="x86_64-linux-gnu")
    parser.add_argument("--work")
    parser.add_argument("--input-shape", help="d0,d1,...: the input's dims (for run-time dims)")
    args = parser.parse_args()
    global INPUT_SHAPE
    if args.input_shape:
        INPUT_SHAPE = [int(d) for d in args.input_shape.split(",")]
    work = args.work or tempfile.mkdtemp(prefix="dsc-prune-")
    os.makedirs(work, exist_ok=True)
    name = os.path.basename(args.model)

    if args.mode == "lossless":
        planted_path = os.path.join(work, "planted.onnx")
        planted = plant(args.model, planted_path)
        out = os.path.join(work, "pruned")
        compile_pruned(planted_path, out, args.target, "lossless-only=true")
        report = json.load(open(os.path.join(out, "report.json")))
        removed = sum(g["channels_before"] - g["channels_after"]
                      for g in report["steps"]["prune"].get("pruned", []))
        before, after = report["steps"]["import"]["macs"], report["steps"]["prune"]["macs"]
        input_name, input_path = make_input(planted_path, work)
        run_exe(os.path.join(out, "model"), f"{input_name}={input_path}",
                os.path.join(work, "dsc"))
        run(["node", os.path.join(ROOT, "utils", "ort", "run_ort.js"), planted_path,
             "--input", f"{input_name}={input_path}", "--output-dir", os.path.join(work, "ort")])
        ok, worst = compare(os.path.join(work, "ort"), os.path.join(work, "dsc"))
        unpruned = os.path.join(work, "unpruned")
        compile_pruned(planted_path, unpruned, args.target, None)
        run_exe(os.path.join(unpruned, "model"), f"{input_name}={input_path}",
                os.path.join(work, "dsc-unpruned"))
        same, worst_unpruned = compare(os.path.join(work, "dsc-unpruned"),
                                       os.path.join(work, "dsc"), rtol=1e-5, atol=1e-6)
        ok &= same and removed > 0 and after < before
        print(f"lossless {name} {args.target}: {planted} channels planted, {removed} removed, "
              f"MACs {before} -> {after}, max abs error vs ORT {worst:.3g}, vs unpruned "
              f"{worst_unpruned:.3g} (rtol 1e-5): " + ("PASS" if ok else "FAIL"))
        return 0 if ok else 1

    out = os.path.join(work, "pruned")
    compile_pruned(args.model, out, args.target, f"criterion=l1 ratio={args.ratio}")
    report = json.load(open(os.path.join(out, "report.json")))
    exported = os.path.join(out, "model.onnx")
    independent = count_macs(exported)
    reported = report["steps"]["fuse"]["macs"]
    before = report["steps"]["import"]["macs"]
    input_name, input_path = make_input(args.model, work)
    run_exe(os.path.join(out, "model"), f"{input_name}={input_path}", os.path.join(work, "dsc"))
    run(["node", os.path.join(ROOT, "utils", "ort", "run_ort.js"), exported,
         "--input", f"{input_name}={input_path}", "--output-dir", os.path.join(work, "ort")])
    ok, worst = compare(os.path.join(work, "ort"), os.path.join(work, "dsc"))
    ok &= independent == reported and reported < before
    print(f"ratio {args.ratio} {name} {args.target}: MACs {before} -> {reported} "
          f"({100 * (1 - reported / before):.1f}% fewer), counted from model.onnx {independent}, "
          f"ORT on model.onnx vs dsc max abs error {worst:.3g}: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
