#!/usr/bin/python3
"""Memory of a compiled model's run against its plan.

    utils/check_memory.py OUTDIR [OUTDIR ...]

For each dsc-compile output folder (model, model.h, report.json), on this
machine (x86-64 builds):
  - the executable runs once on seeded noise with --arena-report (the arena
    ends at an inaccessible page, so a write past the plan faults, and is
    filled with a pattern); the bytes it wrote must reach the arena size
    the header states (MODEL_ARENA_SIZE), within 64 bytes: the arena used
    equals the plan;
  - its peak resident memory (/usr/bin/time -f %M) must stay within
    1.2 x (arena + weights + inputs + outputs) + 4 MiB, the weights being
    report.json's weights_bytes; the RSS of `model --info` (the process
    without a run) is printed as the fixed overhead.
One line per model, then PASS or FAIL (exit 1).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

DTYPES = {"float32": np.float32, "int64": np.int64, "int32": np.int32, "uint8": np.uint8,
          "int8": np.int8, "bool": np.bool_, "float16": np.float16, "float64": np.float64}


def peak_rss_kib(cmd):
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAILED: {' '.join(cmd)}\n{result.stderr[-2000:]}")
    return int(result.stderr.strip().splitlines()[-1]), result.stdout


def check(folder, work):
    exe = os.path.join(folder, "model")
    info = json.loads(subprocess.run([exe, "--info"], capture_output=True, text=True,
                                     check=True).stdout)
    header = open(os.path.join(folder, "model.h")).read()
    planned = int(re.search(r"_ARENA_SIZE (\d+)u", header).group(1))
    weights = json.load(open(os.path.join(folder, "report.json")))["sizes"]["weights_bytes"]
    rng = np.random.default_rng(0)
    args, io = [], 0
    for i, tensor in enumerate(info["inputs"]):
        dtype = DTYPES[tensor["dtype"]]
        value = rng.standard_normal(tensor["shape"]).astype(dtype) \
            if np.issubdtype(dtype, np.floating) else np.zeros(tensor["shape"], dtype)
        path = os.path.join(work, f"input{i}.npy")
        np.save(path, value)
        args += ["--input", f"{tensor['name']}={path}"]
        io += value.nbytes
    for tensor in info["outputs"]:
        io += int(np.prod(tensor["shape"])) * np.dtype(DTYPES[tensor["dtype"]]).itemsize
    rss, out = peak_rss_kib([exe] + args + ["--arena-report"])
    report = json.loads(out.strip().splitlines()[-1])
    overhead, _ = peak_rss_kib([exe, "--info"])
    bound = 1.2 * (planned + weights + io) + 4 * 1024 * 1024
    arena_ok = report["arena_planned"] == planned and \
        planned - 64 <= report["arena_touched"] <= planned
    rss_ok = rss * 1024 <= bound
    mib = lambda b: b / 1048576
    print(f"{os.path.basename(os.path.normpath(folder))}: arena planned {planned} B, "
          f"written up to {report['arena_touched']} B; peak RSS {mib(rss * 1024):.1f} MiB, "
          f"bound {mib(bound):.1f} MiB (arena {mib(planned):.1f} + weights {mib(weights):.1f} + "
          f"inputs/outputs {mib(io):.1f}, x1.2, + 4), process alone {mib(overhead * 1024):.1f} MiB: "
          + ("ok" if arena_ok and rss_ok else "BAD"))
    return arena_ok and rss_ok


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    work = tempfile.mkdtemp(prefix="dsc-memory-")
    ok = all([check(folder, work) for folder in sys.argv[1:]])
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
