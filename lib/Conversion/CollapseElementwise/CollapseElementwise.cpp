//===- CollapseElementwise.cpp - Elementwise linalg ops as flat loops -----===//
//
// An elementwise linalg.generic over [N, C, H, W] lowers to four nested
// loops; when the innermost is short (a 16x16 plane), LLVM unrolls it
// fully before its loop vectorizer runs and the result stays scalar. The
// dimensions every operand walks in order are collapsed into one here, by
// MLIR's own collapsing pattern, so the loop is as long as the data.
//
//===----------------------------------------------------------------------===//

#include "dsc/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace dsc {
#define GEN_PASS_DEF_COLLAPSEELEMENTWISE
#include "dsc/Conversion/Passes.h.inc"
} // namespace dsc

using namespace mlir;

namespace {

/// Elementwise generics on tensors: all loops parallel, no linalg.index.
bool isElementwiseGeneric(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  return generic && generic.hasPureTensorSemantics() &&
         generic.getNumLoops() == generic.getNumParallelLoops() &&
         generic.getBody()->getOps<linalg::IndexOp>().empty();
}

/// The groups of loop dimensions to collapse: the longest run of trailing
/// dimensions that every operand's map keeps contiguous and in order
/// (broadcast dimensions break a run), when it is longer than one. Only
/// elementwise generics on tensors: all loops parallel, no linalg.index.
SmallVector<ReassociationIndices> collapsibleDims(linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!isElementwiseGeneric(generic) || generic.getNumLoops() < 2)
    return {};
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  // MLIR's collapsing reads every map result as a loop dimension: maps
  // with constant results (a broadcast size-1 dimension as 0) are left as
  // they are.
  if (!llvm::all_of(maps, [](AffineMap map) { return map.isProjectedPermutation(); }))
    return {};
  int64_t rank = generic.getNumLoops();
  // The widest trailing run [first, rank) all maps preserve.
  for (int64_t first = 0; first < rank - 1; ++first) {
    ReassociationIndices run;
    for (int64_t d = first; d < rank; ++d)
      run.push_back(d);
    if (!linalg::areDimSequencesPreserved(maps, {run}))
      continue;
    // Dimensions before the run stay as they are.
    SmallVector<ReassociationIndices> groups;
    for (int64_t d = 0; d < first; ++d)
      groups.push_back({d});
    groups.push_back(run);
    return groups;
  }
  return {};
}

struct CollapseElementwisePass
    : dsc::impl::CollapseElementwiseBase<CollapseElementwisePass> {
  void runOnOperation() override {
    // First the size-1 dimensions go (MLIR's dropUnitDims): a broadcast
    // operand [1, C, 1, 1] read as (0, d1, 0, 0) becomes [C] read as (d1),
    // a map the collapsing below can read.
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk([&](linalg::GenericOp op) {
      if (isElementwiseGeneric(op))
        generics.push_back(op);
    });
    linalg::ControlDropUnitDims dropOptions;
    dropOptions.controlFn = [](Operation *op) {
      SmallVector<unsigned> dims;
      if (isElementwiseGeneric(op))
        dims = llvm::to_vector(llvm::seq<unsigned>(0, cast<linalg::GenericOp>(op).getNumLoops()));
      return dims;
    };
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp generic : generics) {
      rewriter.setInsertionPoint(generic);
      (void)linalg::dropUnitDims(rewriter, generic, dropOptions);
    }
    RewritePatternSet patterns(&getContext());
    linalg::populateCollapseDimensions(patterns, collapsibleDims);
    // Consecutive reshapes of the two steps compose into one.
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, &getContext());
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
