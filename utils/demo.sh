#!/usr/bin/env bash
# The main job on the built-in default model (models/default/distill.onnx:
# a teacher CNN and a distilled student CNN on scikit-learn's digits, exported
# as one ONNX graph with the softened outputs and the loss).
#
# What runs today: import into the dsc dialect and a summary of the graph.
# The compression and code-generation steps join this script as they land
# (see the README's status table).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/bin
model=$root/models/default/distill.onnx
out=$root/build/demo
mkdir -p "$out"

echo "== import: dsc-translate --import-onnx $(realpath --relative-to="$root" "$model")"
"$bin/dsc-translate" --import-onnx "$model" -o "$out/distill.mlir"
echo "   wrote $(realpath --relative-to="$root" "$out/distill.mlir") ($(stat -c %s "$out/distill.mlir") bytes)"
echo
echo "== graph signature"
grep -m1 'func.func @main' "$out/distill.mlir" | sed 's/^ *//; s/ {$//' | fold -w 100 -s | sed 's/^/   /'
echo
echo "== dsc ops in the imported graph (teacher, student, softened outputs, loss)"
grep -o '= dsc\.[a-z_]*\|^ *dsc\.[a-z_]*' "$out/distill.mlir" | sed 's/.*dsc\./dsc./' \
  | sort | uniq -c | sort -rn | sed 's/^/   /'
