//===- Pipelines.h - dsc's registered pass pipelines ------------*- C++ -*-===//
#ifndef DSC_PIPELINES_PIPELINES_H
#define DSC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace dsc {

struct LowerToLLVMOptions : mlir::PassPipelineOptions<LowerToLLVMOptions> {
  Option<std::string> target{*this, "target",
                             llvm::cl::desc("x86_64-linux-gnu or aarch64-linux-gnu"),
                             llvm::cl::init("x86_64-linux-gnu")};
  Option<std::string> cpu{*this, "cpu",
                          llvm::cl::desc("Target CPU (default x86-64-v3 / "
                                         "cortex-a76; 'native' = this host)"),
                          llvm::cl::init("")};
  Option<bool> prepare{*this, "prepare",
                       llvm::cl::desc("Run the preparation passes first"),
                       llvm::cl::init(true)};
  Option<bool> intermediates{
      *this, "intermediates",
      llvm::cl::desc("Every float tensor an extra output, for the harness's --dump-all"),
      llvm::cl::init(false)};
};

/// dsc (on tensors) -> LLVM dialect, ready for dsc-translate --emit-object.
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                              const LowerToLLVMOptions &options);

/// `dsc-fold`: every fold dsc has.
void buildFoldPipeline(mlir::OpPassManager &pm);

/// Registers `dsc-lower-to-llvm` and `dsc-fold`.
void registerPipelines();

} // namespace dsc

#endif // DSC_PIPELINES_PIPELINES_H
