#!/usr/bin/env bash
# Runs utils/e2e_check.py over a list of torch exports on both targets and
# prints its closing line for each; exits 1 at the first failure.
#   utils/e2e_matrix.sh MODELS_DIR [--input-shape ...] -- NAME...
set -euo pipefail
dir=$1
shift
options=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do options+=("$1"); shift; done
shift || true
for name in "$@"; do
  for target in x86_64-linux-gnu aarch64-linux-gnu; do
    /usr/bin/python3 "$(dirname "$0")/e2e_check.py" "$dir/$name.onnx" --target "$target" \
      ${options[@]+"${options[@]}"} | tail -1
  done
done
