//===- Weights.h - Reading and writing constant weights ---------*- C++ -*-===//
//
// Shared by the passes that rewrite weights (folding, distillation folding):
// f32 values of dense or resource constants, and new constants.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_LIB_DIALECT_DSC_TRANSFORMS_WEIGHTS_H
#define DSC_LIB_DIALECT_DSC_TRANSFORMS_WEIGHTS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>
#include <vector>

namespace dsc {

/// The f32 values of a constant operand (dense or resource), if it is one.
std::optional<std::vector<float>> getConstantFloats(mlir::Value value);

/// The values of a float constant `c` that, broadcast (numpy rules, right
/// aligned) against a tensor of rank `rank`, holds one value per index of
/// axis `axis` (`count` of them) with every other dim 1 — [C, 1, 1] or
/// [1, C, 1, 1] for the channels of an NCHW tensor, [N] for the last axis —
/// or a single value, repeated `count` times. Nothing otherwise.
std::optional<std::vector<float>> getPerAxisConstant(mlir::Value c, int64_t rank,
                                                     int64_t axis, int64_t count);

/// The attribute holding `values` with `type`: a resource blob named after
/// `name` when large (so the IR text stays small), dense otherwise.
mlir::ElementsAttr createWeightAttr(mlir::RankedTensorType type,
                                   llvm::ArrayRef<float> values, llvm::StringRef name);

/// A dsc.constant holding createWeightAttr(type, values, name).
mlir::Value createWeightConstant(mlir::OpBuilder &builder, mlir::Location loc,
                                 mlir::RankedTensorType type,
                                 llvm::ArrayRef<float> values, llvm::StringRef name);

/// A dsc.constant of 8/16/32/64-bit integers (`type`'s element type, signed
/// or unsigned), a resource blob named after `name` when large.
mlir::Value createIntegerWeightConstant(mlir::OpBuilder &builder, mlir::Location loc,
                                        mlir::RankedTensorType type,
                                        llvm::ArrayRef<int64_t> values, llvm::StringRef name);

/// A 2-D transposed conv whose stride equals its kernel never overlaps two
/// kernel footprints, so it is a 1x1 conv to F*KH*KW channels followed by a
/// pixel shuffle (depth to space in CRD order). Its weights w[C][F][KH][KW]
/// rearranged for that conv, [F*KH*KW][C]:
///   pointwise[(f*KH*KW + t)*C + c] = w[(c*F + f)*KH*KW + t],
/// and its bias (zeros when `bias` is empty) repeated over each filter's
/// KH*KW channels.
void expandTransposedConvWeights(llvm::ArrayRef<float> weights, llvm::ArrayRef<float> bias,
                                 int64_t channels, int64_t filters, int64_t taps,
                                 std::vector<float> &pointwise,
                                 std::vector<float> &expandedBias);

} // namespace dsc

#endif // DSC_LIB_DIALECT_DSC_TRANSFORMS_WEIGHTS_H
