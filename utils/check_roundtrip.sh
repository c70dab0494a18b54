#!/usr/bin/env bash
# Imports an ONNX model, round-trips the result through dsc-opt, and fails if
# the printed module changes or does not verify. Extra arguments go to the
# importer (--input-shape, --dim-bound). Prints the op counts on success.
#   utils/check_roundtrip.sh MODEL.onnx OUT_PREFIX [import options...]
set -euo pipefail
model=$1 out=$2
shift 2
dsc-translate --import-onnx "$model" "$@" -o "$out.mlir"
dsc-opt "$out.mlir" -o "$out.roundtrip.mlir"
if ! cmp -s "$out.mlir" "$out.roundtrip.mlir"; then
  echo "round-trip changed $model:" >&2
  diff "$out.mlir" "$out.roundtrip.mlir" | head -20 >&2
  exit 1
fi
# Bytecode must round-trip to the same text as well.
dsc-translate --import-onnx "$model" "$@" --emit-bytecode -o "$out.mlirbc"
dsc-opt "$out.mlirbc" -o "$out.frombc.mlir"
cmp -s "$out.mlir" "$out.frombc.mlir" || { echo "bytecode round-trip changed $model" >&2; exit 1; }
echo "ops in $(basename "$model"):"
grep -o '= dsc\.[a-z_]*\|^ *dsc\.[a-z_]*' "$out.mlir" | sed 's/.*dsc\./dsc./' | sort | uniq -c | sort -rn
