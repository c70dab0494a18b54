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
} // namespace dsc

#endif // DSC_DIALECT_DSC_TRANSFORMS_PASSES_H
