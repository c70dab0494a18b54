//===- DSCOps.h - dsc operations --------------------------------*- C++ -*-===//
#ifndef DSC_DIALECT_DSC_IR_DSCOPS_H
#define DSC_DIALECT_DSC_IR_DSCOPS_H

#include "dsc/Dialect/DSC/IR/DSCDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "dsc/Dialect/DSC/IR/DSCOps.h.inc"

namespace dsc {
/// Broadcasts two shapes with ONNX's multidirectional (numpy) rules. Dynamic
/// dims are ShapedType::kDynamic. Returns failure when they are incompatible.
mlir::LogicalResult broadcastShapes(llvm::ArrayRef<int64_t> lhs,
                                    llvm::ArrayRef<int64_t> rhs,
                                    llvm::SmallVectorImpl<int64_t> &result);
} // namespace dsc

#endif // DSC_DIALECT_DSC_IR_DSCOPS_H
