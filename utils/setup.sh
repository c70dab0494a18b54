#!/usr/bin/env bash
# Sets up a Debian 12 machine for dsc and builds it into build/:
#   1. installs the Debian packages dsc needs (only those missing),
#   2. configures CMake (clang-19, lld, Ninja) against LLVM/MLIR 19,
#   3. builds every tool into build/bin.
# Safe to run again: it installs and reconfigures only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build git
  libmlir-19-dev mlir-19-tools llvm-19-dev llvm-19-tools clang-19 lld-19
  libonnx-dev libonnx-testdata python3-onnx libprotobuf-dev protobuf-compiler
  libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev
  qemu-user gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross
  python3-torch python3-torchvision python3-sklearn python3-numpy python3-pil
  fonts-dejavu-core
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
# Node.js with npm (for the npm-hosted test models and ONNX Runtime): Debian's
# nodejs and npm, unless a Node.js with npm is already installed.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ONNX Runtime from npm, the test oracle (its post-install step would try to
# download GPU libraries: skipped, the CPU provider needs nothing else).
if [ ! -d build/ort/node_modules/onnxruntime-node ]; then
  mkdir -p build/ort
  cp utils/ort/package.json utils/ort/.npmrc build/ort/
  (cd build/ort && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error)
fi

if [ ! -f build/build.ninja ]; then
  cmake -G Ninja -S . -B build \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-19/build/utils/lit/lit.py
fi
cmake --build build
