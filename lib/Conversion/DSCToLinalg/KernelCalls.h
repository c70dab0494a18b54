//===- KernelCalls.h - Conv/matmul as calls of the runtime's kernels -*- C++ -*-===//
//
// The heavy float ops lower to calls of the runtime's register-blocked
// kernels (runtime/include/dsc/kernels.h) with their constant weights packed
// here, at compile time, in the layout the kernel reads.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_LIB_CONVERSION_DSCTOLINALG_KERNELCALLS_H
#define DSC_LIB_CONVERSION_DSCTOLINALG_KERNELCALLS_H

#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace dsc {

/// A call of dsc_conv2d_f32 computing a 2-D convolution with its epilogue,
/// or failure (and no IR) when the kernel does not apply: not f32, not 2-D,
/// dynamic shapes, or a weight that is not a constant.
mlir::FailureOr<mlir::Value>
buildConv2DKernelCall(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                      mlir::Value weight, llvm::ArrayRef<int64_t> strides,
                      llvm::ArrayRef<int64_t> pads, llvm::ArrayRef<int64_t> dilations,
                      int64_t group, const FusedEpilogue &epilogue,
                      mlir::RankedTensorType resultType);

/// A call of dsc_matmul_f32 for a[..., M, K] x b (constant [K, N], or [N, K]
/// when transposeB) with its epilogue, or failure when it does not apply.
mlir::FailureOr<mlir::Value>
buildMatMulKernelCall(mlir::OpBuilder &b, mlir::Location loc, mlir::Value a,
                      mlir::Value rhs, bool transposeB,
                      const FusedEpilogue &epilogue,
                      mlir::RankedTensorType resultType);

/// A call of dsc_qconv2d_u8s8 for a dsc.qlinear_conv whose operands the
/// caller has made signless (uint8 x and y, int8 w): 2-D, static shapes,
/// constant weights with zero point 0, constant scales, zero points and
/// bias, reduction within DSC_QCONV_MAX_REDUCTION. Failure (and no IR)
/// otherwise. The weights are packed in the kernel's 16x4 blocks and the
/// input zero point folded into the bias here.
mlir::FailureOr<mlir::Value> buildQConv2DKernelCall(mlir::OpBuilder &b, mlir::Location loc,
                                                    QLinearConvOp conv,
                                                    mlir::RankedTensorType resultType);

/// A call of dsc_qmatmul_u8s8_i32 for a dsc.matmul_integer with uint8 a
/// (made signless by the caller), a constant int8 [K, N] b with zero point
/// 0, a per-tensor a zero point (constant or computed at run time), static
/// shapes and K within DSC_QCONV_MAX_REDUCTION; failure (and no IR)
/// otherwise.
mlir::FailureOr<mlir::Value> buildQMatMulKernelCall(mlir::OpBuilder &b, mlir::Location loc,
                                                    MatMulIntegerOp matmul,
                                                    mlir::RankedTensorType resultType);

/// A call of dsc_matmul_wq_f32 for a dsc.matmul_weight_only with f32 `a`
/// and constant weights (`bits` wide in the source; the lowering carries
/// 4-bit values widened to i8) and scales, packed here in the kernel's
/// panels of 16 columns; failure (and no IR) otherwise.
mlir::FailureOr<mlir::Value> buildWeightOnlyMatMulCall(mlir::OpBuilder &b, mlir::Location loc,
                                                       MatMulWeightOnlyOp matmul, int64_t bits,
                                                       mlir::RankedTensorType resultType);

/// A call of dsc_lookup_u8, y[i] = table[x[i]], for an 8-bit `input` of
/// the 8-bit result's static shape; `table` holds the 256 result bytes.
mlir::FailureOr<mlir::Value> buildLookupKernelCall(mlir::OpBuilder &b, mlir::Location loc,
                                                   mlir::Value input,
                                                   llvm::ArrayRef<int64_t> table,
                                                   mlir::RankedTensorType resultType);
} // namespace dsc

#endif // DSC_LIB_CONVERSION_DSCTOLINALG_KERNELCALLS_H
