#!/usr/bin/env bash
# The main job on the built-in default model (models/default: a teacher CNN
# and a distilled student CNN on scikit-learn's digits; distill.onnx holds
# both, the softened outputs and the loss, as one graph).
#
# What runs today, each step a command a user can run by hand:
#   1. import the distillation graph into the dsc dialect and summarise it;
#   2. compile the float teacher (teacher.onnx), the student, cut out of
#      the distillation graph by distillation folding, the student pruned
#      by network slimming, and both of those quantized to int8 (calibrated
#      on the 100-image calibration split), for x86-64 and aarch64 with
#      dsc-compile (import, fold-distillation, prune, BatchNorm folding,
#      quantization, fusion, lowering, object and executable;
#      `dsc-compile --print-commands` shows the steps by hand);
#   3. run each executable on the 450-image digits test split (aarch64 under
#      qemu-aarch64) and report test accuracy and sizes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/bin
data=$root/models/default/digits_test
out=$root/build/demo
mkdir -p "$out"
rel() { realpath --relative-to="$root" "$1"; }

echo "== 1. import: dsc-translate --import-onnx $(rel "$root/models/default/distill.onnx")"
"$bin/dsc-translate" --import-onnx "$root/models/default/distill.onnx" -o "$out/distill.mlir"
grep -m1 'func.func @main' "$out/distill.mlir" | sed 's/^ *//; s/ {$//' | fold -w 100 -s | sed 's/^/   /'
echo "   ops:" $(grep -o '= dsc\.[a-z_]*' "$out/distill.mlir" | sed 's/.*dsc\.//' \
  | sort | uniq -c | sort -rn | awk '{printf "%s %s, ", $2, $1}' | sed 's/, $//')
echo

# The whole test split as one batch: images [450,1,16,16], labels [450].
count=$(ls "$data" | wc -l)
/usr/bin/python3 - "$data" "$out" <<'PY'
import os, sys
import numpy as np
data, out = sys.argv[1], sys.argv[2]
samples = sorted(os.listdir(data))
np.save(os.path.join(out, "images.npy"),
        np.concatenate([np.load(os.path.join(data, s, "image.npy")) for s in samples]))
np.save(os.path.join(out, "labels.npy"),
        np.concatenate([np.load(os.path.join(data, s, "label.npy")) for s in samples]))
PY

# Calibration profiles for the int8 variants: dsc-compile calibrates a
# batch-1 build on the calibration split and keeps profile.json, which the
# batch-$count builds below reuse (a profile names tensors, not shapes).
for model in student pruned; do
  prune=()
  [ "$model" = pruned ] && prune=(--prune "criterion=bn-gamma threshold=0.01")
  "$bin/dsc-compile" "$root/models/default/distill.onnx" --fold-distillation=student_logits \
    "${prune[@]}" --input-shape image=1,1,16,16 --quantize int8 \
    --calibration-data "$root/models/default/digits_calib" -o "$out/calibrate-$model" \
    2>"$out/calibrate-$model.log" || { cat "$out/calibrate-$model.log"; exit 1; }
done

echo "== 2. compile (batch $count) and 3. run on the digits test split"
printf '   %-12s %-18s %12s %13s %14s %10s\n' model target "object bytes" "weight bytes" "test accuracy" "run (s)"
# The teacher alone (teacher.onnx), and the student cut out of the
# distillation graph by --fold-distillation (teacher, loss and labels go).
# The pruned student: network slimming (channels whose BN gamma the L1
# penalty drove below 0.01 go, with their inputs in the next layer).
for model in teacher student pruned int8 pruned-int8; do
  case $model in
    teacher) source=(teacher.onnx); output=logits ;;
    student) source=(distill.onnx --fold-distillation=student_logits); output=student_logits ;;
    pruned) source=(distill.onnx --fold-distillation=student_logits
                    --prune "criterion=bn-gamma threshold=0.01"); output=student_logits ;;
    int8) source=(distill.onnx --fold-distillation=student_logits
                  --quantize "mode=int8 profile=$out/calibrate-student/profile.json")
          output=student_logits ;;
    pruned-int8) source=(distill.onnx --fold-distillation=student_logits
                         --prune "criterion=bn-gamma threshold=0.01"
                         --quantize "mode=int8 profile=$out/calibrate-pruned/profile.json")
                 output=student_logits ;;
  esac
  for target in x86_64-linux-gnu aarch64-linux-gnu; do
    dir=$out/$model-$target
    "$bin/dsc-compile" "$root/models/default/${source[0]}" "${source[@]:1}" -o "$dir" \
      --target "$target" --input-shape image=$count,1,16,16 2>"$dir.log" \
      || { cat "$dir.log"; exit 1; }
    runner=()
    [ "$target" = aarch64-linux-gnu ] && runner=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
    start=$(date +%s.%N)
    "${runner[@]}" "$dir/model" --input image="$out/images.npy" --output-dir "$dir/out"
    end=$(date +%s.%N)
    accuracy=$(/usr/bin/python3 -c "
import numpy as np, sys
logits = np.load('$dir/out/$output.npy'); labels = np.load('$out/labels.npy')
print(f'{100.0 * (logits.argmax(1) == labels).mean():.2f}%')")
    weights=$(/usr/bin/python3 -c "import json; print(json.load(open('$dir/report.json'))['sizes']['weights_bytes'])")
    printf '   %-12s %-18s %12d %13d %14s %10.2f\n' "$model" "$target" "$(stat -c %s "$dir/model.o")" \
      "$weights" "$accuracy" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
  done
done
echo
echo "   (aarch64 runs under qemu-aarch64: its times are emulation, not the device's.)"
echo
echo "== 4. report: the compressed student (distillation folding, pruning, int8) for aarch64"
sed -n '/^   step /,/^   sizes:/p' "$out/pruned-int8-aarch64-linux-gnu.log"
/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
import numpy as np
out = sys.argv[1]
labels = np.load(os.path.join(out, "labels.npy"))
def run(model, target):
    folder = os.path.join(out, f"{model}-{target}")
    logits = np.load(os.path.join(folder, "out", "student_logits.npy" if model != "teacher"
                                  else "logits.npy"))
    weights = json.load(open(os.path.join(folder, "report.json")))["sizes"]["weights_bytes"]
    return logits.argmax(1), weights
x86, compressed = run("pruned-int8", "x86_64-linux-gnu")
arm, _ = run("pruned-int8", "aarch64-linux-gnu")
student, student_weights = run("student", "x86_64-linux-gnu")
_, teacher_weights = run("teacher", "x86_64-linux-gnu")
accuracy = lambda p: 100.0 * (p == labels).mean()
print(f"   x86-64 and aarch64 builds agree on {(x86 == arm).sum()} of {len(labels)} test predictions")
print(f"   weights {compressed} bytes: {100.0 * compressed / teacher_weights:.1f}% of the teacher's "
      f"({teacher_weights}), {100.0 * compressed / student_weights:.1f}% of the float student's "
      f"({student_weights})")
print(f"   test accuracy {accuracy(arm):.2f}% (aarch64), {accuracy(x86):.2f}% (x86-64) against the "
      f"float student's {accuracy(student):.2f}%: {accuracy(arm) - accuracy(student):+.2f} points")
PY
echo "   Executables and objects: $(rel "$out")/<model>-<target>/"
echo "   Each folder's report.json and report.svg (a chart of weights and MACs per step, sizes):"
echo "   e.g. $(rel "$out")/pruned-int8-x86_64-linux-gnu/report.svg"
