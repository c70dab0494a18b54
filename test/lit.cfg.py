# lit configuration of the dsc regression suite.
#
# Features (a test's REQUIRES: line names what it needs, so a skip shows):
#   onnx-python  Debian's python3-onnx, to build binary or malformed models
#   torch        Debian's python3-torch
#   models       the fetched/exported real models in build/models
#   full         check-dsc-full (DSC_FULL=1): the slow matrix
#   aarch64-qemu qemu-aarch64 and aarch64-linux-gnu-gcc on PATH: link for
#                aarch64 and run under user-mode emulation

import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "dsc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dsc_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

llvm_config.use_default_substitutions()
# dsc's tools first, then LLVM 19's FileCheck/not/count, then the system.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.dsc_tools_dir, append_path=True)
config.substitutions.append(("%dsc_src", config.dsc_src_root))
config.substitutions.append(("%models", config.dsc_models_dir))
config.substitutions.append(("%dsc_obj", config.dsc_obj_root))


def python_has(module):
    try:
        return subprocess.run(["/usr/bin/python3", "-c", "import " + module],
                              capture_output=True, timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


if python_has("onnx"):
    config.available_features.add("onnx-python")
if python_has("torch"):
    config.available_features.add("torch")
if os.path.exists(os.path.join(config.dsc_models_dir, "ppocrv4_rec.onnx")) and \
        os.path.isdir(os.path.join(config.dsc_models_dir, "torch")):
    config.available_features.add("models")
# ONNX Runtime from npm (installed into build/ort by utils/setup.sh).
if shutil.which("node") and os.path.isdir(
        os.path.join(config.dsc_obj_root, "ort", "node_modules", "onnxruntime-node")):
    config.available_features.add("ort")
if os.environ.get("DSC_FULL"):
    config.available_features.add("full")
if shutil.which("qemu-aarch64") and shutil.which("aarch64-linux-gnu-gcc"):
    config.available_features.add("aarch64-qemu")
