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

/// ONNX Slice's bounds on an axis of `size`: negative start/end count from
/// the end; with step > 0 both clamp to [0, size], with step < 0 start
/// clamps to [0, size - 1] and end to [-1, size - 1]. Returns the clamped
/// (start, end) and the number of elements taken,
/// max(0, ceil((end - start) / step)).
struct SliceBounds {
  int64_t start, end, count;
};
SliceBounds normalizeSliceBounds(int64_t size, int64_t start, int64_t end,
                                 int64_t step);

/// The ONNX node name of an op (its NameLoc, also inside a FusedLoc), or
/// the op's name when it has none.
std::string layerName(mlir::Operation *op);

/// A depthwise conv: one filter per input channel, G == C == F (C > 1).
bool isDepthwise(ConvOp conv);

/// The epilogue of dsc.conv_fused / dsc.matmul_fused (see the ops' docs):
/// y = act(acc + bias + residual) * s + t, or act(acc + bias) * s + t +
/// residual (s, t = outputScale, outputShift; 1 and 0 by default).
struct FusedEpilogue {
  mlir::Value bias, residual;
  llvm::StringRef activation = "none";
  float alpha = 0, beta = 0;
  bool residualAfterActivation = false;
  float outputScale = 1, outputShift = 0;

  bool hasOutputAffine() const { return outputScale != 1.0f || outputShift != 0.0f; }

  /// The epilogue a fused op carries.
  static FusedEpilogue of(ConvFusedOp op);
  static FusedEpilogue of(MatMulFusedOp op);
};
} // namespace dsc

#endif // DSC_DIALECT_DSC_IR_DSCOPS_H
