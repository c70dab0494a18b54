//===- FoldBatchNorm.cpp - Fold BatchNormalization into conv/gemm ----------===//
//
// Inference batch normalisation after a conv (or a gemm producing [M, N]
// features) is an affine map per output channel, so it folds into the
// producer's weights and bias. Folding reads and writes constant weights,
// whether dense or resource blobs.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/Transforms/Passes.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"
#include "dsc/Dialect/DSC/Transforms/Weights.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <optional>

namespace dsc {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "dsc/Dialect/DSC/Transforms/Passes.h.inc"
} // namespace dsc

using namespace mlir;
using namespace dsc;

namespace {

/// Per-channel s = scale / sqrt(var + eps) and t = bias - mean * s.
struct ChannelAffine {
  std::vector<float> scale, shift;

  /// Row c of `weights` (the weights of output channel c) times s[c], and
  /// bias[c] -> s[c] * bias[c] + t[c].
  void applyToRows(std::vector<float> &weights, std::vector<float> &bias) const {
    size_t channels = scale.size(), perRow = weights.size() / channels;
    for (size_t c = 0; c < channels; ++c) {
      for (size_t i = 0; i < perRow; ++i)
        weights[c * perRow + i] *= scale[c];
      bias[c] = scale[c] * bias[c] + shift[c];
    }
  }
};

std::optional<ChannelAffine> batchNormAffine(BatchNormOp bn) {
  auto gamma = getConstantFloats(bn.getScale()), beta = getConstantFloats(bn.getBias()),
       mean = getConstantFloats(bn.getMean()), var = getConstantFloats(bn.getVariance());
  if (!gamma || !beta || !mean || !var)
    return std::nullopt;
  float epsilon = bn.getEpsilon().convertToFloat();
  ChannelAffine affine;
  for (size_t c = 0; c < gamma->size(); ++c) {
    float s = (*gamma)[c] / std::sqrt((*var)[c] + epsilon);
    affine.scale.push_back(s);
    affine.shift.push_back((*beta)[c] - (*mean)[c] * s);
  }
  return affine;
}

/// conv -> batch_norm  ==>  conv with w' = s w, b' = s b + t.
struct FoldIntoConv : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<ConvOp>();
    if (!conv || !conv->hasOneUse())
      return failure();
    auto weights = getConstantFloats(conv.getWeight());
    auto affine = batchNormAffine(bn);
    if (!weights || !affine)
      return failure();
    auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
    int64_t filters = weightType.getDimSize(0);
    if ((int64_t)affine->scale.size() != filters)
      return failure();
    std::vector<float> bias(filters, 0.0f);
    if (conv.getBias()) {
      auto b = getConstantFloats(conv.getBias());
      if (!b)
        return failure();
      bias = *b;
    }
    affine->applyToRows(*weights, bias);
    Location loc = bn.getLoc();
    Value newWeight = createWeightConstant(rewriter, loc, weightType, *weights, "bn_folded_weight");
    Value newBias = createWeightConstant(
        rewriter, loc, RankedTensorType::get({filters}, weightType.getElementType()),
        bias, "bn_folded_bias");
    auto folded = rewriter.create<ConvOp>(
        conv.getLoc(), bn.getType(), conv.getInput(), newWeight, newBias,
        conv.getStridesAttr(), conv.getPadsAttr(), conv.getDilationsAttr(),
        conv.getGroupAttr());
    rewriter.replaceOp(bn, folded.getResult());
    rewriter.eraseOp(conv);
    return success();
  }
};

/// gemm(a, b^T, c) -> batch_norm over the N features  ==>  gemm with
/// b'[n, :] = s[n] b[n, :], c' = s c + t (alpha = beta = 1).
struct FoldIntoGemm : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto gemm = bn.getInput().getDefiningOp<GemmOp>();
    if (!gemm || !gemm->hasOneUse() || !gemm.getTransB() ||
        gemm.getAlpha().convertToFloat() != 1.0f ||
        gemm.getBeta().convertToFloat() != 1.0f)
      return failure();
    auto weights = getConstantFloats(gemm.getB());
    auto affine = batchNormAffine(bn);
    if (!weights || !affine)
      return failure();
    auto weightType = cast<RankedTensorType>(gemm.getB().getType());
    int64_t features = weightType.getDimSize(0);
    if ((int64_t)affine->scale.size() != features)
      return failure();
    std::vector<float> bias(features, 0.0f);
    if (gemm.getC()) {
      auto cType = cast<RankedTensorType>(gemm.getC().getType());
      auto c = getConstantFloats(gemm.getC());
      if (!c || cType.getRank() != 1 || cType.getDimSize(0) != features)
        return failure();
      bias = *c;
    }
    affine->applyToRows(*weights, bias);
    Location loc = bn.getLoc();
    Value newWeight = createWeightConstant(rewriter, loc, weightType, *weights, "bn_folded_weight");
    Value newBias = createWeightConstant(
        rewriter, loc, RankedTensorType::get({features}, weightType.getElementType()),
        bias, "bn_folded_bias");
    auto folded = rewriter.create<GemmOp>(
        gemm.getLoc(), bn.getType(), gemm.getA(), newWeight, newBias,
        gemm.getAlphaAttr(), gemm.getBetaAttr(), gemm.getTransAAttr(),
        gemm.getTransBAttr());
    rewriter.replaceOp(bn, folded.getResult());
    rewriter.eraseOp(gemm);
    return success();
  }
};

struct FoldBatchNormPass : dsc::impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoConv, FoldIntoGemm>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
