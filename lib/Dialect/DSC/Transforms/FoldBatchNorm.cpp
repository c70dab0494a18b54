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

#include "mlir/IR/IRMapping.h"
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

/// The bias of a folded op: its constant values, zeros without one, or
/// nothing when it is not a float constant.
std::optional<std::vector<float>> biasOrZeros(Value bias, int64_t channels) {
  if (!bias)
    return std::vector<float>(channels, 0.0f);
  return getConstantFloats(bias);
}

/// The folded weights and bias as new constants.
std::pair<Value, Value> foldedConstants(PatternRewriter &rewriter, Location loc,
                                        RankedTensorType weightType,
                                        ArrayRef<float> weights, ArrayRef<float> bias) {
  Value weight = createWeightConstant(rewriter, loc, weightType, weights, "bn_folded_weight");
  Value newBias = createWeightConstant(
      rewriter, loc,
      RankedTensorType::get({(int64_t)bias.size()}, weightType.getElementType()), bias,
      "bn_folded_bias");
  return {weight, newBias};
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
    auto bias = biasOrZeros(conv.getBias(), filters);
    if (!bias)
      return failure();
    affine->applyToRows(*weights, *bias);
    auto [newWeight, newBias] =
        foldedConstants(rewriter, bn.getLoc(), weightType, *weights, *bias);
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
    if (Value c = gemm.getC()) {
      auto cType = cast<RankedTensorType>(c.getType());
      if (cType.getRank() != 1 || cType.getDimSize(0) != features)
        return failure();
    }
    auto bias = biasOrZeros(gemm.getC(), features);
    if (!bias)
      return failure();
    affine->applyToRows(*weights, *bias);
    auto [newWeight, newBias] =
        foldedConstants(rewriter, bn.getLoc(), weightType, *weights, *bias);
    auto folded = rewriter.create<GemmOp>(
        gemm.getLoc(), bn.getType(), gemm.getA(), newWeight, newBias,
        gemm.getAlphaAttr(), gemm.getBetaAttr(), gemm.getTransAAttr(),
        gemm.getTransBAttr());
    rewriter.replaceOp(bn, folded.getResult());
    rewriter.eraseOp(gemm);
    return success();
  }
};

/// conv_transpose -> batch_norm  ==>  conv_transpose with the weights of
/// output channel o = g*Fg + f scaled: w'[g*Cg + c, f, ...] = s[o] w[..],
/// b'[o] = s[o] b[o] + t[o] (weight [C, F/G, K...]).
struct FoldIntoConvTranspose : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<ConvTransposeOp>();
    if (!conv || !conv->hasOneUse())
      return failure();
    auto weights = getConstantFloats(conv.getWeight());
    auto affine = batchNormAffine(bn);
    if (!weights || !affine)
      return failure();
    auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
    int64_t group = conv.getGroup();
    int64_t channels = weightType.getDimSize(0), filtersPerGroup = weightType.getDimSize(1);
    int64_t filters = filtersPerGroup * group, channelsPerGroup = channels / group;
    int64_t taps = weightType.getNumElements() / (channels * filtersPerGroup);
    if ((int64_t)affine->scale.size() != filters)
      return failure();
    auto bias = biasOrZeros(conv.getBias(), filters);
    if (!bias)
      return failure();
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t f = 0; f < filtersPerGroup; ++f) {
        float scale = affine->scale[(c / channelsPerGroup) * filtersPerGroup + f];
        for (int64_t k = 0; k < taps; ++k)
          (*weights)[(c * filtersPerGroup + f) * taps + k] *= scale;
      }
    for (int64_t o = 0; o < filters; ++o)
      (*bias)[o] = affine->scale[o] * (*bias)[o] + affine->shift[o];
    auto [newWeight, newBias] =
        foldedConstants(rewriter, bn.getLoc(), weightType, *weights, *bias);
    auto folded = rewriter.create<ConvTransposeOp>(
        conv.getLoc(), bn.getType(), conv.getInput(), newWeight, newBias,
        conv.getStridesAttr(), conv.getPadsAttr(), conv.getDilationsAttr(),
        conv.getOutputPaddingAttr(), conv.getGroupAttr());
    rewriter.replaceOp(bn, folded.getResult());
    rewriter.eraseOp(conv);
    return success();
  }
};

/// batch_norm(x + c) with c one constant per channel, or one for all (a
/// bias exporters write as an Add):
///   s (x + c - mean) + beta = s (x - (mean - c)) + beta
/// so it is batch_norm(x) with mean' = mean - c, which may then fold into
/// the op producing x.
struct MoveThroughChannelAdd : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto add = bn.getInput().getDefiningOp<AddOp>();
    auto mean = getConstantFloats(bn.getMean());
    if (!add || !add->hasOneUse() || !mean)
      return failure();
    for (int side = 0; side < 2; ++side) {
      Value x = add->getOperand(side);
      if (x.getType() != bn.getType())
        continue;
      auto type = bn.getType();
      auto c = getPerAxisConstant(add->getOperand(1 - side), type.getRank(), 1,
                                  type.getRank() > 1 ? type.getDimSize(1) : 0);
      if (!c || c->size() != mean->size())
        continue;
      std::vector<float> shifted(*mean);
      for (size_t i = 0; i < shifted.size(); ++i)
        shifted[i] -= (*c)[i];
      Value newMean = createWeightConstant(rewriter, bn.getLoc(),
                                           cast<RankedTensorType>(bn.getMean().getType()),
                                           shifted, "bn_shifted_mean");
      auto moved = rewriter.create<BatchNormOp>(bn.getLoc(), bn.getType(), x, bn.getScale(),
                                                bn.getBias(), newMean, bn.getVariance(),
                                                bn.getEpsilonAttr());
      rewriter.replaceOp(bn, moved.getResult());
      rewriter.eraseOp(add);
      return success();
    }
    return failure();
  }
};

/// batch_norm(max_pool(x)) with every s = scale / sqrt(var + eps) > 0:
/// an increasing affine map per channel commutes with the max over a
/// window (padding is never selected), so it is max_pool(batch_norm(x)),
/// and the batch norm may then fold into the op producing x.
struct MoveThroughMaxPool : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto pool = bn.getInput().getDefiningOp<MaxPoolOp>();
    auto affine = batchNormAffine(bn);
    if (!pool || !pool->hasOneUse() || pool->getNumResults() != 1 || !affine ||
        llvm::any_of(affine->scale, [](float s) { return !(s > 0.0f); }))
      return failure();
    Value x = pool.getInput();
    // Only worth it when the batch norm then folds.
    if (!x.getDefiningOp<ConvOp>() && !x.getDefiningOp<ConvTransposeOp>())
      return failure();
    auto moved = rewriter.create<BatchNormOp>(bn.getLoc(), x.getType(), x, bn.getScale(),
                                              bn.getBias(), bn.getMean(), bn.getVariance(),
                                              bn.getEpsilonAttr());
    IRMapping mapping;
    mapping.map(x, moved.getResult());
    Operation *newPool = rewriter.clone(*pool, mapping);
    rewriter.replaceOp(bn, newPool->getResults());
    rewriter.eraseOp(pool);
    return success();
  }
};

/// A batch norm with nothing to fold into (after the patterns above had
/// their chance): y = x * s + t with s and t constants of shape [C, 1, ..]
/// broadcasting along axis 1, so the code generator multiplies and adds
/// instead of evaluating sqrt(var + eps) per element, and the scale and
/// shift can join a conv's epilogue downstream.
struct StandaloneToAffine : OpRewritePattern<BatchNormOp> {
  StandaloneToAffine(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/0) {}
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto affine = batchNormAffine(bn);
    auto type = bn.getType();
    if (!affine || !type.getElementType().isF32() || type.getRank() < 2)
      return failure();
    // (Benefit 0: the driver tries the folds above, which all match at the
    // batch norm itself, first.)
    int64_t channels = affine->scale.size();
    SmallVector<int64_t> shape(type.getRank() - 1, 1);
    shape[0] = channels;
    auto constType = RankedTensorType::get(shape, type.getElementType());
    Location loc = bn.getLoc();
    Value scale = createWeightConstant(rewriter, loc, constType, affine->scale, "bn_scale");
    Value shift = createWeightConstant(rewriter, loc, constType, affine->shift, "bn_shift");
    Value scaled = rewriter.create<MulOp>(loc, type, bn.getInput(), scale);
    rewriter.replaceOpWithNewOp<AddOp>(bn, type, scaled, shift);
    return success();
  }
};

struct FoldBatchNormPass : dsc::impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoConv, FoldIntoGemm, FoldIntoConvTranspose, MoveThroughChannelAdd,
                 MoveThroughMaxPool, StandaloneToAffine>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
