#!/usr/bin/python3
"""Latency of several dsc builds of one model, timed alternately.

    utils/bench_builds.py BUILD_DIR [BUILD_DIR ...] --input NAME=FILE.npy
        [--rounds 8] [--repeat 15]

Each BUILD_DIR is a dsc-compile output folder (its `model` executable).
Every round runs each build once with `--repeat N` (the executable's
median of N runs, one thread), in turn, so a machine's drift reaches all
builds alike; prints per build the least and the median of the rounds'
medians. Used for the step tables of docs/benchmarks.md, where the builds
differ by one commit.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys


def median_ms(executable, inputs, repeat):
    result = subprocess.run([executable, "--input", *inputs, "--repeat", str(repeat)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAILED: {executable}\n{result.stderr[-2000:]}")
    for line in result.stdout.splitlines():
        if line.startswith("{") and "median_ms" in line:
            return json.loads(line)["median_ms"]
    sys.exit(f"no median_ms line from {executable}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", nargs="+")
    parser.add_argument("--input", action="append", required=True, help="NAME=FILE.npy")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    times = {build: [] for build in args.builds}
    for _ in range(args.rounds):
        for build in args.builds:
            times[build].append(median_ms(os.path.join(build, "model"), args.input, args.repeat))
    for build, values in times.items():
        print(f"{build}: least {min(values):.2f} ms, median {statistics.median(values):.2f} ms "
              f"over {args.rounds} rounds of --repeat {args.repeat}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
