//===- ObjectEmitter.h - LLVM-dialect module to native code -----*- C++ -*-===//
//
// Turns a module lowered by dsc-lower-to-llvm into an object file (weights in
// .rodata) that defines the model descriptor the runtime reads
// (`const dsc_model <prefix>_model`, see runtime/include/dsc/runtime.h), a C
// header describing it, and optionally an executable or shared library
// linked with the target's runtime.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_TARGET_NATIVE_OBJECTEMITTER_H
#define DSC_TARGET_NATIVE_OBJECTEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace dsc {

struct NativeEmitOptions {
  /// Prefix of the entry points and descriptor (`<prefix>_model`).
  std::string prefix = "model";
  /// Also define `main` calling the runtime's harness (for executables).
  bool withHarnessMain = false;
  /// LLVM's optimization level, 0-3. Tools that compile a model only to run
  /// it once (dsc-calibrate) trade speed of the code for compile time.
  int optimizationLevel = 3;
};

/// Emits an object file for `module` (LLVM dialect with dsc's interface
/// attributes) into `objectBytes`, and the matching C header into `header`.
mlir::LogicalResult emitNativeObject(mlir::ModuleOp module,
                                     const NativeEmitOptions &options,
                                     std::string &objectBytes,
                                     std::string &header);

/// An object defining only `main`, which runs the runtime's harness on
/// `<prefix>_model` (for the module's target): linked with the model's
/// object it makes the executable without compiling the model twice.
mlir::LogicalResult emitHarnessMainObject(mlir::ModuleOp module, llvm::StringRef prefix,
                                          std::string &objectBytes);

/// Links `objectPath` with the runtime of the module's target into an
/// executable (or a shared library) at `outputPath`. `runtimeDir` holds
/// `<triple>/libdsc_runtime.a`.
mlir::LogicalResult linkNative(mlir::ModuleOp module, llvm::StringRef objectPath,
                               llvm::StringRef outputPath,
                               llvm::StringRef runtimeDir, bool shared);
/// The same for several objects.
mlir::LogicalResult linkNative(mlir::ModuleOp module, llvm::ArrayRef<std::string> objectPaths,
                               llvm::StringRef outputPath, llvm::StringRef runtimeDir,
                               bool shared);

} // namespace dsc

#endif // DSC_TARGET_NATIVE_OBJECTEMITTER_H
