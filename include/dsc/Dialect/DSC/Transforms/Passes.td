//===- Passes.td - dsc graph passes ------------------------*- tablegen -*-===//

#ifndef DSC_DIALECT_DSC_TRANSFORMS_PASSES_TD
#define DSC_DIALECT_DSC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldBatchNorm : Pass<"dsc-fold-batchnorm", "mlir::func::FuncOp"> {
  let summary = "Fold inference BatchNormalization into the preceding conv or gemm";
  let description = [{
    A `dsc.batch_norm` whose input is a `dsc.conv` (or `dsc.gemm` with
    `trans_b`, alpha = beta = 1 and a 1-D or absent `c`) with constant
    weights, used only by the batch norm, becomes that op with rescaled
    weights. With s = scale / sqrt(variance + epsilon):

        w'[f, ...] = s[f] * w[f, ...]
        b'[f]      = s[f] * (b[f] - mean[f]) + bias[f]     (b = 0 if absent)

    so conv(x, w', b') = batch_norm(conv(x, w, b)) exactly up to rounding.
    The folded weights are new constants (resource blobs when large).
  }];
  let dependentDialects = ["::dsc::DSCDialect"];
}

#endif // DSC_DIALECT_DSC_TRANSFORMS_PASSES_TD
