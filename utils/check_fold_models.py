#!/usr/bin/python3
"""--dsc-fold --dsc-fuse over every model of the test set, with the report.

    utils/check_fold_models.py MODELS_DIR [--work DIR] [--export]

For each model (the PaddleOCR det/rec/cls at fixed sizes, Silero VAD, the
24 torchvision exports, the transformer encoder and GPT block, LSTM/GRU,
If and Loop from MODELS_DIR and MODELS_DIR/torch): import, run
`dsc-opt --dsc-fold --dsc-fuse --dsc-report=FILE`, and print one line with
the op count, the BatchNormalizations and the decomposed ops before and
after (from the report). With --export, each folded and fused model is
also exported back to ONNX and run in ONNX Runtime against the original
(utils/check_export.py, one sample, rtol 1e-4, atol 1e-5). Exits 1 if any
model fails to fold, keeps a dsc.batch_norm or fails the export check.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

BIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "bin")

# Models whose inputs need pinning (dynamic spatial dims).
PINNED = {
    "ppocr_cls.onnx": ["x=1,3,48,192"],
    "ppocrv4_det.onnx": ["x=1,3,64,64"],
    "ppocrv4_rec.onnx": ["x=1,3,48,320"],
    "silero_vad_op18.onnx": ["input=1,512", "state=2,1,128"],
}


# The torchvision exports, checked at 1x3x64x64 like their e2e tests.
TORCHVISION = ("resnet", "mobilenet", "efficientnet", "squeezenet", "shufflenet")


def models(root):
    found = [os.path.join(root, name) for name in sorted(PINNED)]
    found += sorted(glob.glob(os.path.join(root, "torch", "*.onnx")))
    return [m for m in found if os.path.exists(m)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models_dir")
    parser.add_argument("--work")
    parser.add_argument("--export", action="store_true")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="dsc-fold-")
    os.makedirs(work, exist_ok=True)
    failures = 0
    listed = models(args.models_dir)
    for model in listed:
        name = os.path.basename(model)
        stem = os.path.splitext(name)[0]
        mlir = os.path.join(work, stem + ".mlir")
        report = os.path.join(work, stem + ".json")
        cmd = [os.path.join(BIN, "dsc-translate"), "--import-onnx", model, "-o", mlir]
        for shape in PINNED.get(name, []):
            cmd += ["--input-shape", shape]
        steps = [cmd, [os.path.join(BIN, "dsc-opt"), mlir, "--dsc-fold", "--dsc-fuse",
                       f"--dsc-report={report}", "-o", os.devnull]]
        error = None
        for step in steps:
            run = subprocess.run(step, capture_output=True, text=True)
            if run.returncode != 0:
                error = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "failed"
                break
        if error:
            print(f"{stem}: FAIL: {error}")
            failures += 1
            continue
        with open(report) as f:
            stats = json.load(f)
        before, after = stats["before"]["ops"], stats["after"]["ops"]
        count = lambda ops: sum(v for k, v in ops.items() if k != "dsc.constant")
        bn_before, bn_after = before.get("dsc.batch_norm", 0), after.get("dsc.batch_norm", 0)
        fused = {k: v for k, v in after.items()
                 if k in ("dsc.conv_fused", "dsc.matmul_fused", "dsc.attention",
                          "dsc.layer_norm", "dsc.gelu", "dsc.hard_swish", "dsc.elementwise") and v}
        status = "ok" if bn_after == 0 else "FAIL: dsc.batch_norm left"
        failures += bn_after != 0
        if args.export:
            check = [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "check_export.py"), model,
                     "--samples", "1", "--passes", "--dsc-fold --dsc-fuse",
                     "--work", os.path.join(work, stem + "-export")]
            for shape in PINNED.get(name, []):
                check += ["--input-shape", shape]
            if name.startswith(TORCHVISION):
                check += ["--input-shape", "input=1,3,64,64"]
            run = subprocess.run(check, capture_output=True, text=True)
            lines = (run.stdout.strip() or run.stderr.strip() or "no output").splitlines()
            exported = run.returncode == 0 and lines[-1].endswith("PASS")
            failures += not exported
            status += ", export " + ("ok" if exported else "FAIL: " + lines[-1])
        print(f"{stem}: ops {count(before)} -> {count(after)}, batch_norm {bn_before} -> "
              f"{bn_after}, " + ", ".join(f"{k[4:]} {v}" for k, v in sorted(fused.items()))
              + f": {status}")
    print(f"fold+fuse: {len(listed)} models, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
