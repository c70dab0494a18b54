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

/// The folds of --dsc-fold-branches on one function (per-channel affines
/// after a lone conv only with `affines`); returns the number of branch
/// sums and of such affines folded into convs.
std::pair<int64_t, int64_t> foldBranches(mlir::func::FuncOp func, bool affines);

/// Appends every observed float tensor (observedTensors) to @main's
/// results, named <prefix><key>; returns the keys in result order.
std::vector<std::string> exposeIntermediates(mlir::func::FuncOp main, llvm::StringRef prefix);
} // namespace dsc

#endif // DSC_DIALECT_DSC_TRANSFORMS_PASSES_H
