#!/bin/bash
# Ratio pruning (l1, 0.3) of every torchvision export, on both targets:
#
#   utils/prune_matrix.sh MODELS_DIR [WORK_DIR]
#
# For each of the 24 exports (6 architectures x opset 13/17 x eval/preserve
# under MODELS_DIR/torch) and each of x86_64-linux-gnu and aarch64-linux-gnu
# (under qemu), utils/check_prune_models.py prunes at ratio 0.3, compiles,
# runs against ONNX Runtime on the pruned model's export and counts the
# MACs independently from it; one line per run, ending in PASS or FAIL.
# Then the lossless check of mobilenet_v2 on aarch64.
set -u
root="$(cd "$(dirname "$0")/.." && pwd)"
models="$1"
work="${2:-$(mktemp -d)}"
for arch in resnet18 mobilenet_v2 mobilenet_v3_small efficientnet_b0 shufflenet_v2_x0_5 squeezenet1_1; do
  for variant in op13_eval op13_preserve op17_eval op17_preserve; do
    model="$models/torch/${arch}_${variant}.onnx"
    for target in x86_64-linux-gnu aarch64-linux-gnu; do
      /usr/bin/python3 "$root/utils/check_prune_models.py" ratio "$model" --ratio 0.3 \
        --target "$target" --work "$work/${arch}_${variant}-$target" 2>&1 | tail -1
    done
  done
done
/usr/bin/python3 "$root/utils/check_prune_models.py" lossless "$models/torch/mobilenet_v2_op13_eval.onnx" \
  --target aarch64-linux-gnu --work "$work/mobilenet_v2-lossless-aarch64" 2>&1 | tail -1
