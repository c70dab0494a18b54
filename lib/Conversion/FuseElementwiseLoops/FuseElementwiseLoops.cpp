//===- FuseElementwiseLoops.cpp - Fuse linalg producers computed once -----===//
//
// MLIR's elementwise fusion puts an all-parallel linalg.generic into the
// loop of its one reader. When the reader visits each produced element more
// than once, the fused loop computes it again at every visit: a nearest
// upsampling by 8 x 8 (a copy whose read map divides the output indices)
// that absorbed the elementwise chain before it ran that chain 64 times per
// element, in scalar code. Here a producer joins its reader only when the
// reader's loops are as many iterations as the producer has elements, so
// fusion never adds work.
//
//===----------------------------------------------------------------------===//

#include "dsc/Conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace dsc {
#define GEN_PASS_DEF_FUSEELEMENTWISELOOPS
#include "dsc/Conversion/Passes.h.inc"
} // namespace dsc

using namespace mlir;

namespace {

/// True when fusing the producer of `operand` into its reader computes each
/// produced element once: the producer has no other reader, and the
/// reader's iteration space (the product of its static loop ranges) is no
/// larger than the produced tensor. A reader with dynamic ranges keeps
/// MLIR's default (one reader is enough).
bool fusesWithoutRecomputing(OpOperand *operand) {
  Operation *producer = operand->get().getDefiningOp();
  if (!producer || !producer->hasOneUse())
    return false;
  auto reader = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  auto produced = dyn_cast<RankedTensorType>(operand->get().getType());
  if (!reader || !produced || !produced.hasStaticShape())
    return true;
  int64_t iterations = 1;
  for (int64_t range : reader.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range))
      return true;
    iterations *= range;
  }
  return iterations <= produced.getNumElements();
}

struct FuseElementwiseLoopsPass
    : dsc::impl::FuseElementwiseLoopsBase<FuseElementwiseLoopsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    // The patterns of MLIR's linalg-fuse-elementwise-ops pass, with the
    // control above for the fusion itself.
    linalg::populateElementwiseOpsFusionPatterns(patterns, fusesWithoutRecomputing);
    linalg::ControlFusionFn oneReader = [](OpOperand *operand) {
      Operation *producer = operand->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, oneReader);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, oneReader);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
