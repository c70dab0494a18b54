//===- Passes.h - dsc graph passes ------------------------------*- C++ -*-===//
#ifndef DSC_DIALECT_DSC_TRANSFORMS_PASSES_H
#define DSC_DIALECT_DSC_TRANSFORMS_PASSES_H

#include "dsc/Dialect/DSC/IR/DSCDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace dsc {
#define GEN_PASS_DECL
#include "dsc/Dialect/DSC/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dsc/Dialect/DSC/Transforms/Passes.h.inc"

/// What --dsc-fold-branches folded.
struct BranchFoldCounts {
  int64_t branchSums = 0, affines = 0, chains = 0;
};
/// The folds of --dsc-fold-branches on one function (per-channel affines
/// after a lone conv only with `affines`).
BranchFoldCounts foldBranches(mlir::func::FuncOp func, bool affines);

/// Appends every observed float tensor (observedTensors) to @main's
/// results, named <prefix><key>; returns the keys in result order.
std::vector<std::string> exposeIntermediates(mlir::func::FuncOp main, llvm::StringRef prefix);
} // namespace dsc

#endif // DSC_DIALECT_DSC_TRANSFORMS_PASSES_H
