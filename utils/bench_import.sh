#!/usr/bin/env bash
# Import benchmark: time to import an ONNX model (median of 5 runs) and the
# size of the result as MLIR text and bytecode, relative to the .onnx file.
#   utils/bench_import.sh [MODEL.onnx [import options...]]
# Default: the PaddleOCR v4 recognizer fetched by utils/fetch_models.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
translate=$root/build/bin/dsc-translate
model=${1:-$root/build/models/ppocrv4_rec.onnx}
shift || true
[ $# -gt 0 ] || set -- --input-shape x=1,3,48,320
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

times=()
for i in 1 2 3 4 5; do
  start=$(date +%s.%N)
  "$translate" --import-onnx "$model" "$@" -o "$out/model.mlir"
  end=$(date +%s.%N)
  times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
"$translate" --import-onnx "$model" "$@" --emit-bytecode -o "$out/model.mlirbc"
onnx_bytes=$(stat -c %s "$model")
text_bytes=$(stat -c %s "$out/model.mlir")
bc_bytes=$(stat -c %s "$out/model.mlirbc")
printf 'model: %s (%d bytes)\n' "$(basename "$model")" "$onnx_bytes"
printf 'import time (median of 5): %.3f s\n' "$median"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf 'text:     %d bytes, %sx the model\n' "$text_bytes" "$(ratio "$text_bytes" "$onnx_bytes")"
printf 'bytecode: %d bytes, %sx the model\n' "$bc_bytes" "$(ratio "$bc_bytes" "$onnx_bytes")"
