//===- FuseOps.cpp - Fuse epilogues into conv and matmul -------------------===//
//
// The code generator's conv and matmul kernels apply an epilogue (bias,
// residual add, activation) as they store each output, so every op folded
// into the epilogue saves a pass over memory. This pass turns dsc.conv,
// dsc.gemm and dsc.matmul into their fused forms and then grows the
// epilogue with the ops that consume them.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/Transforms/Passes.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"
#include "dsc/Dialect/DSC/Transforms/Weights.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/SetVector.h"

#include <cmath>

namespace dsc {
#define GEN_PASS_DEF_FUSEOPS
#include "dsc/Dialect/DSC/Transforms/Passes.h.inc"
} // namespace dsc

using namespace mlir;
using namespace dsc;

namespace {

RankedTensorType tensorType(Value v) { return cast<RankedTensorType>(v.getType()); }

/// A copy of `op` at the rewriter's insertion point (the consumer being
/// absorbed, so every operand dominates it) with `epilogue`, replacing
/// `consumer`.
Operation *rebuild(PatternRewriter &rewriter, Operation *op, const FusedEpilogue &e,
                   Operation *consumer) {
  Location loc = rewriter.getFusedLoc({op->getLoc(), consumer->getLoc()});
  Type type = consumer->getResult(0).getType();
  Operation *fused;
  if (auto conv = dyn_cast<ConvFusedOp>(op)) {
    fused = rewriter.create<ConvFusedOp>(
        loc, type, conv.getInput(), conv.getWeight(), e.bias, e.residual,
        conv.getStridesAttr(), conv.getPadsAttr(), conv.getDilationsAttr(),
        conv.getGroupAttr(), rewriter.getStringAttr(e.activation),
        rewriter.getF32FloatAttr(e.alpha), rewriter.getF32FloatAttr(e.beta),
        rewriter.getBoolAttr(e.residualAfterActivation),
        rewriter.getF32FloatAttr(e.outputScale), rewriter.getF32FloatAttr(e.outputShift));
  } else {
    auto mm = cast<MatMulFusedOp>(op);
    fused = rewriter.create<MatMulFusedOp>(
        loc, type, mm.getA(), mm.getB(), e.bias, e.residual, mm.getTransBAttr(),
        rewriter.getStringAttr(e.activation), rewriter.getF32FloatAttr(e.alpha),
        rewriter.getF32FloatAttr(e.beta),
        rewriter.getBoolAttr(e.residualAfterActivation),
        rewriter.getF32FloatAttr(e.outputScale), rewriter.getF32FloatAttr(e.outputShift));
  }
  rewriter.replaceOp(consumer, fused->getResults());
  rewriter.eraseOp(op);
  return fused;
}

/// The fused producer of `value` if it may still absorb its only consumer.
Operation *fusedProducer(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || !isa<ConvFusedOp, MatMulFusedOp>(op) || !value.hasOneUse())
    return nullptr;
  return op;
}

FusedEpilogue epilogueOf(Operation *op) {
  if (auto conv = dyn_cast<ConvFusedOp>(op))
    return FusedEpilogue::of(conv);
  return FusedEpilogue::of(cast<MatMulFusedOp>(op));
}

/// The number of output channels and the axis they are on.
std::pair<int64_t, int64_t> channelsOf(Operation *op) {
  auto type = tensorType(op->getResult(0));
  if (isa<ConvFusedOp>(op))
    return {type.getDimSize(1), 1};
  return {type.getShape().back(), type.getRank() - 1};
}

//===----------------------------------------------------------------------===//
// Into fused form
//===----------------------------------------------------------------------===//

/// The epilogue's activations are float functions.
bool isFloatResult(Operation *op) {
  return isa<FloatType>(tensorType(op->getResult(0)).getElementType());
}

struct ConvToFused : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp conv, PatternRewriter &rewriter) const override {
    if (!isFloatResult(conv))
      return failure();
    rewriter.replaceOpWithNewOp<ConvFusedOp>(
        conv, conv.getType(), conv.getInput(), conv.getWeight(), conv.getBias(),
        Value(), conv.getStridesAttr(), conv.getPadsAttr(), conv.getDilationsAttr(),
        conv.getGroupAttr(), rewriter.getStringAttr("none"),
        rewriter.getF32FloatAttr(0), rewriter.getF32FloatAttr(0),
        rewriter.getBoolAttr(false), rewriter.getF32FloatAttr(1), rewriter.getF32FloatAttr(0));
    return success();
  }
};

/// gemm(a, b, c) with trans_a = 0 and alpha = 1:
///   y = a * op(b) + beta * c
/// c of [N] (or [1, N]) is a bias (beta folded in when c is constant),
/// c of [M, N] with beta = 1 a residual.
struct GemmToFused : OpRewritePattern<GemmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GemmOp gemm, PatternRewriter &rewriter) const override {
    if (!isFloatResult(gemm) || gemm.getTransA() || gemm.getAlpha().convertToFloat() != 1.0f)
      return failure();
    auto resultType = gemm.getType();
    Value bias, residual;
    float beta = gemm.getBeta().convertToFloat();
    if (Value c = gemm.getC()) {
      auto cType = tensorType(c);
      int64_t n = resultType.getDimSize(1);
      bool perColumn = cType.getNumElements() == n && cType.getShape().back() == n &&
                       (cType.getRank() == 1 || cType.getDimSize(0) == 1);
      if (perColumn && (cType.getRank() != 1 || beta != 1.0f)) {
        // Rewrite the constant as the [N] bias beta * c.
        auto values = getConstantFloats(c);
        if (!values)
          return failure();
        for (float &v : *values)
          v *= beta;
        bias = createWeightConstant(
            rewriter, gemm.getLoc(),
            RankedTensorType::get({n}, cType.getElementType()), *values, "gemm_bias");
      } else if (perColumn) {
        bias = c;
      } else if (cType.getShape() == resultType.getShape() && beta == 1.0f) {
        residual = c;
      } else {
        return failure();
      }
    }
    rewriter.replaceOpWithNewOp<MatMulFusedOp>(
        gemm, resultType, gemm.getA(), gemm.getB(), bias, residual,
        rewriter.getBoolAttr(gemm.getTransB() != 0), rewriter.getStringAttr("none"),
        rewriter.getF32FloatAttr(0), rewriter.getF32FloatAttr(0),
        rewriter.getBoolAttr(false), rewriter.getF32FloatAttr(1), rewriter.getF32FloatAttr(0));
    return success();
  }
};

/// matmul(a, b) with a of rank >= 2 and a 2-D b.
struct MatMulToFused : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp mm, PatternRewriter &rewriter) const override {
    if (!isFloatResult(mm) || tensorType(mm.getA()).getRank() < 2 ||
        tensorType(mm.getB()).getRank() != 2)
      return failure();
    rewriter.replaceOpWithNewOp<MatMulFusedOp>(
        mm, mm.getType(), mm.getA(), mm.getB(), Value(), Value(),
        rewriter.getBoolAttr(false), rewriter.getStringAttr("none"),
        rewriter.getF32FloatAttr(0), rewriter.getF32FloatAttr(0),
        rewriter.getBoolAttr(false), rewriter.getF32FloatAttr(1), rewriter.getF32FloatAttr(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Growing the epilogue
//===----------------------------------------------------------------------===//

/// The values of `c` per output channel of `producer` (whose result `c`
/// combines with elementwise): a constant with one value per channel
/// (shape [F, 1, 1] or [1, F, 1, 1] after a conv, [N] or [1, .., N] after
/// a matmul), or a one-element constant, repeated.
std::optional<std::vector<float>> channelConstant(Operation *producer, Value c) {
  auto [channels, axis] = channelsOf(producer);
  return getPerAxisConstant(c, tensorType(producer->getResult(0)).getRank(), axis, channels);
}

/// fused(x) + c, c a constant per output channel (or one value), before
/// any activation or residual:  bias' = bias + c.
struct FuseChannelBias : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add, PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      Value x = add->getOperand(side), c = add->getOperand(1 - side);
      Operation *producer = fusedProducer(x);
      if (!producer || add.getType() != x.getType())
        continue;
      FusedEpilogue e = epilogueOf(producer);
      if (e.activation != "none" || e.residual)
        continue;
      auto values = channelConstant(producer, c);
      if (!values)
        continue;
      int64_t channels = values->size();
      if (e.bias) {
        auto bias = getConstantFloats(e.bias);
        if (!bias)
          continue;
        for (int64_t i = 0; i < channels; ++i)
          (*values)[i] += (*bias)[i];
      }
      rewriter.setInsertionPoint(add);
      e.bias = createWeightConstant(
          rewriter, add.getLoc(),
          RankedTensorType::get({channels}, tensorType(c).getElementType()), *values,
          "fused_bias");
      rebuild(rewriter, producer, e, add);
      return success();
    }
    return failure();
  }
};

/// fused(x) * c, c a constant per output channel (or one value), before
/// any activation or residual, with constant weights: the products scale
/// per output channel,
///   w'[f, ...] = c[f] w[f, ...]   (a conv's filter f; a matmul's column f)
///   bias'[f]   = c[f] bias[f]
/// (the scalar affine blocks of PP-LCNet, x * s + b after each conv).
struct FuseChannelScale : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      Value x = mul->getOperand(side), c = mul->getOperand(1 - side);
      Operation *producer = fusedProducer(x);
      if (!producer || mul.getType() != x.getType())
        continue;
      FusedEpilogue e = epilogueOf(producer);
      if (e.activation != "none" || e.residual)
        continue;
      auto scale = channelConstant(producer, c);
      Value weight = producer->getOperand(1);
      auto weights = getConstantFloats(weight);
      if (!scale || !weights)
        continue;
      int64_t channels = scale->size();
      auto weightType = tensorType(weight);
      auto mm = dyn_cast<MatMulFusedOp>(producer);
      if (mm && !mm.getTransB()) {
        // b[k, n]: column n.
        for (size_t i = 0; i < weights->size(); ++i)
          (*weights)[i] *= (*scale)[i % channels];
      } else {
        // conv w[f, ...], or b[n, k] with trans_b: row f.
        size_t perRow = weights->size() / channels;
        for (size_t i = 0; i < weights->size(); ++i)
          (*weights)[i] *= (*scale)[i / perRow];
      }
      std::vector<float> bias(channels, 0.0f);
      if (e.bias) {
        auto b = getConstantFloats(e.bias);
        if (!b)
          continue;
        bias = *b;
      }
      for (int64_t i = 0; i < channels; ++i)
        bias[i] *= (*scale)[i];
      rewriter.setInsertionPoint(producer);
      Value scaledWeight =
          createWeightConstant(rewriter, mul.getLoc(), weightType, *weights, "fused_weight");
      rewriter.modifyOpInPlace(producer, [&] { producer->setOperand(1, scaledWeight); });
      e.bias = createWeightConstant(
          rewriter, mul.getLoc(),
          RankedTensorType::get({channels}, weightType.getElementType()), bias, "fused_bias");
      rewriter.setInsertionPoint(mul);
      rebuild(rewriter, producer, e, mul);
      return success();
    }
    return failure();
  }
};

/// act(fused(x)) with act one of the epilogue's activations.
struct FuseActivation : RewritePattern {
  FuseActivation(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (op->getNumOperands() == 0 || op->getNumResults() != 1)
      return failure();
    Operation *producer = fusedProducer(op->getOperand(0));
    if (!producer || op->getResult(0).getType() != op->getOperand(0).getType())
      return failure();
    FusedEpilogue e = epilogueOf(producer);
    if (e.activation != "none")
      return failure();
    if (isa<ReluOp>(op)) {
      e.activation = "relu";
    } else if (isa<SigmoidOp>(op)) {
      e.activation = "sigmoid";
    } else if (isa<TanhOp>(op)) {
      e.activation = "tanh";
    } else if (isa<HardSwishOp>(op)) {
      e.activation = "hard_swish";
    } else if (auto leaky = dyn_cast<LeakyReluOp>(op)) {
      e.activation = "leaky_relu";
      e.alpha = leaky.getAlpha().convertToFloat();
    } else if (auto hs = dyn_cast<HardSigmoidOp>(op)) {
      e.activation = "hard_sigmoid";
      e.alpha = hs.getAlpha().convertToFloat();
      e.beta = hs.getBeta().convertToFloat();
    } else if (auto clip = dyn_cast<ClipOp>(op)) {
      auto lo = getConstantFloats(clip.getMin()), hi = getConstantFloats(clip.getMax());
      if (!lo || !hi || lo->size() != 1 || hi->size() != 1)
        return failure();
      e.activation = "clip";
      e.alpha = lo->front();
      e.beta = hi->front();
    } else {
      return failure();
    }
    rewriter.setInsertionPoint(op);
    rebuild(rewriter, producer, e, op);
    return success();
  }
};

/// x * sigmoid(x) with x = fused(..) used by just these two ops: swish.
struct FuseSwish : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      Value x = mul->getOperand(side);
      auto sigmoid = mul->getOperand(1 - side).getDefiningOp<SigmoidOp>();
      Operation *producer = x.getDefiningOp();
      if (!sigmoid || sigmoid.getInput() != x || !sigmoid->hasOneUse() || !producer ||
          !isa<ConvFusedOp, MatMulFusedOp>(producer) ||
          std::distance(x.use_begin(), x.use_end()) != 2 || mul.getType() != x.getType())
        continue;
      FusedEpilogue e = epilogueOf(producer);
      if (e.activation != "none")
        continue;
      e.activation = "swish";
      rewriter.setInsertionPoint(mul);
      rebuild(rewriter, producer, e, mul);
      rewriter.eraseOp(sigmoid);
      return success();
    }
    return failure();
  }
};

/// fused(x) + r with r of the result's shape: the residual, added before
/// the activation when there is none yet, after it otherwise.
struct FuseResidual : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add, PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      Value x = add->getOperand(side), r = add->getOperand(1 - side);
      Operation *producer = fusedProducer(x);
      if (!producer || x == r || tensorType(r).getShape() != tensorType(x).getShape() ||
          add.getType() != x.getType())
        continue;
      FusedEpilogue e = epilogueOf(producer);
      if (e.residual)
        continue;
      e.residual = r;
      e.residualAfterActivation = e.activation != "none";
      rewriter.setInsertionPoint(add);
      rebuild(rewriter, producer, e, add);
      return success();
    }
    return failure();
  }
};

/// The scalar value of a one-element float constant.
std::optional<double> scalarConstant(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || attr.getNumElements() != 1 ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  return (*attr.getValues<APFloat>().begin()).convertToDouble();
}

/// fused(x) * c, fused(x) / c or fused(x) + c with c a one-element
/// constant, after an activation and with no residual yet: the scalar
/// affine map goes to the end of the epilogue,
///   (act(v) * s + t) * c = act(v) * (s c) + t c,   (.. ) + c: t' = t + c.
/// (Before an activation, FuseChannelScale/FuseChannelBias take it into the
/// weights and bias instead.)
struct FuseOutputAffine : RewritePattern {
  FuseOutputAffine(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isa<MulOp, DivOp, AddOp, SubOp>(op))
      return failure();
    for (int side = 0; side < (isa<MulOp, AddOp>(op) ? 2 : 1); ++side) {
      Value x = op->getOperand(side);
      Operation *producer = fusedProducer(x);
      auto c = scalarConstant(op->getOperand(1 - side));
      if (!producer || !c || op->getResult(0).getType() != x.getType())
        continue;
      FusedEpilogue e = epilogueOf(producer);
      if (e.activation == "none" || e.residual)
        continue;
      if (isa<MulOp>(op)) {
        e.outputScale *= *c;
        e.outputShift *= *c;
      } else if (isa<DivOp>(op)) {
        if (*c == 0.0)
          continue;
        e.outputScale /= *c;
        e.outputShift /= *c;
      } else {
        e.outputShift += isa<AddOp>(op) ? *c : -*c;
      }
      rewriter.setInsertionPoint(op);
      rebuild(rewriter, producer, e, op);
      return success();
    }
    return failure();
  }
};


/// True when `reduce` averages `x` over its last axis, keeping it.
/// True when `reduce` (a dsc reduction) reduces `x` over its last axis
/// alone, keeping it.
template <typename ReduceOpT>
bool reducesLastAxis(ReduceOpT reduce, Value x) {
  DenseIntElementsAttr axes;
  int64_t rank = tensorType(x).getRank();
  if (reduce.getData() != x || !reduce.getKeepdims() ||
      !matchPattern(reduce.getAxes(), m_Constant(&axes)) || axes.getNumElements() != 1)
    return false;
  int64_t axis = (*axes.getValues<APInt>().begin()).getSExtValue();
  return axis == -1 || axis == rank - 1;
}

bool isLastAxisMean(ReduceMeanOp reduce, Value x) { return reducesLastAxis(reduce, x); }

/// A LayerNormalization exported as its arithmetic (torch before opset 17):
///   d = x - mean(x),  y = d / sqrt(mean(d^2) + eps) [* gamma] [+ beta]
/// over the last axis becomes one dsc.layer_norm (gamma 1 when absent).
/// Matched at the division; every intermediate must have no other reader.
struct RecognizeLayerNorm : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DivOp div, PatternRewriter &rewriter) const override {
    auto sub = div.getLhs().getDefiningOp<SubOp>();
    auto sqrt = div.getRhs().getDefiningOp<SqrtOp>();
    if (!sub || !sqrt || !sqrt->hasOneUse())
      return failure();
    Value x = sub.getLhs();
    auto mean = sub.getRhs().getDefiningOp<ReduceMeanOp>();
    auto addEps = sqrt.getInput().getDefiningOp<AddOp>();
    if (!mean || !mean->hasOneUse() || !isLastAxisMean(mean, x) || !addEps ||
        !addEps->hasOneUse() || tensorType(x) != div.getType() ||
        !tensorType(x).getElementType().isF32())
      return failure();
    auto epsilon = scalarConstant(addEps.getRhs());
    auto variance = addEps.getLhs().getDefiningOp<ReduceMeanOp>();
    if (!epsilon || !variance || !variance->hasOneUse())
      return failure();
    auto square = variance.getData().getDefiningOp<PowOp>();
    if (!square || !square->hasOneUse() || square.getLhs() != sub.getResult() ||
        scalarConstant(square.getRhs()) != 2.0 || !isLastAxisMean(variance, square.getResult()))
      return failure();
    // d feeds the square and the division only.
    for (Operation *user : sub->getUsers())
      if (user != square.getOperation() && user != div.getOperation())
        return failure();
    // An affine tail: * gamma [C], + beta [C] (constants).
    int64_t channels = tensorType(x).getShape().back();
    auto perChannel = [&](Value v) {
      DenseElementsAttr attr;
      return matchPattern(v, m_Constant(&attr)) && tensorType(v).getRank() == 1 &&
             tensorType(v).getDimSize(0) == channels;
    };
    Operation *last = div;
    Value gamma, beta;
    if (div->hasOneUse())
      if (auto mul = dyn_cast<MulOp>(*div->getUsers().begin()))
        if (mul.getLhs() == div.getResult() && perChannel(mul.getRhs())) {
          gamma = mul.getRhs();
          last = mul;
        }
    if (gamma && last->hasOneUse())
      if (auto add = dyn_cast<AddOp>(*last->getUsers().begin()))
        if (add.getLhs() == last->getResult(0) && perChannel(add.getRhs())) {
          beta = add.getRhs();
          last = add;
        }
    rewriter.setInsertionPoint(last);
    if (!gamma) {
      auto type = RankedTensorType::get({channels}, rewriter.getF32Type());
      gamma = rewriter.create<ConstantOp>(
          div.getLoc(), DenseElementsAttr::get(type, rewriter.getF32FloatAttr(1.0f)));
    }
    auto norm = rewriter.create<LayerNormOp>(
        last->getLoc(), div.getType(), x, gamma, beta,
        rewriter.getI64IntegerAttr(tensorType(x).getRank() - 1),
        rewriter.getF32FloatAttr((float)*epsilon));
    rewriter.replaceOp(last, norm.getResult());
    return success();
  }
};

/// GELU written out (torch's export): y = x * (1 + erf(x / sqrt(2))) * 0.5
/// becomes dsc.gelu(x). Matched at the final multiplication by 0.5; the
/// intermediates must have no other reader.
struct RecognizeGelu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp half, PatternRewriter &rewriter) const override {
    auto near = [](std::optional<double> v, double target) {
      return v && std::fabs(*v - target) < 1e-5 * std::fabs(target);
    };
    for (int side = 0; side < 2; ++side) {
      auto product = half->getOperand(side).getDefiningOp<MulOp>();
      if (!product || !product->hasOneUse() ||
          !near(scalarConstant(half->getOperand(1 - side)), 0.5))
        continue;
      for (int inner = 0; inner < 2; ++inner) {
        Value x = product->getOperand(inner);
        auto plusOne = product->getOperand(1 - inner).getDefiningOp<AddOp>();
        if (!plusOne || !plusOne->hasOneUse() || !near(scalarConstant(plusOne.getRhs()), 1.0))
          continue;
        auto erf = plusOne.getLhs().getDefiningOp<ErfOp>();
        if (!erf || !erf->hasOneUse())
          continue;
        auto scaled = erf.getInput().getDefiningOp<DivOp>();
        if (!scaled || !scaled->hasOneUse() || scaled.getLhs() != x ||
            !near(scalarConstant(scaled.getRhs()), std::sqrt(2.0)) ||
            tensorType(x) != half.getType())
          continue;
        rewriter.replaceOpWithNewOp<GeluOp>(half, half.getType(), x,
                                            rewriter.getStringAttr("none"));
        return success();
      }
    }
    return failure();
  }
};

/// `v / c` or `v * c` (either side) with c a scalar constant: returns v
/// and the factor (1/c or c). Null when `op` is not such an op.
std::pair<Value, double> scaledBy(Operation *op) {
  if (!op || !isa<MulOp, DivOp>(op))
    return {Value(), 0.0};
  for (int side = 0; side < (isa<MulOp>(op) ? 2 : 1); ++side) {
    auto c = scalarConstant(op->getOperand(1 - side));
    if (c && *c != 0.0 && op->getOperand(side).getType() == op->getResult(0).getType())
      return {op->getOperand(side), isa<DivOp>(op) ? 1.0 / *c : *c};
  }
  return {Value(), 0.0};
}

/// `x * c`, `c * x` or `x / c` with c a scalar constant and the op read
/// once: returns x and multiplies `scale` by c (or 1/c). Otherwise `value`.
Value peelScalarScale(Value value, double &scale) {
  Operation *op = value.getDefiningOp();
  if (!op || !op->hasOneUse())
    return value;
  auto [x, factor] = scaledBy(op);
  if (!x)
    return value;
  scale *= factor;
  return x;
}

/// Softmax written out over the last axis:
///   e = exp(x - max(x)) (or exp(x)),  y = e / sum(e)
/// becomes dsc.softmax(x) (which subtracts the max itself). Matched at the
/// division; e feeds only the sum and the division, the other
/// intermediates only their consumer.
struct RecognizeSoftmax : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DivOp div, PatternRewriter &rewriter) const override {
    auto exp = div.getLhs().getDefiningOp<ExpOp>();
    auto sum = div.getRhs().getDefiningOp<ReduceSumOp>();
    if (!exp || !sum || !sum->hasOneUse() || !reducesLastAxis(sum, exp.getResult()) ||
        exp.getType() != div.getType() || !div.getType().getElementType().isF32())
      return failure();
    for (Operation *user : exp->getUsers())
      if (user != div.getOperation() && user != sum.getOperation())
        return failure();
    Value x = exp.getInput();
    if (auto sub = x.getDefiningOp<SubOp>(); sub && sub->hasOneUse())
      if (auto max = sub.getRhs().getDefiningOp<ReduceMaxOp>();
          max && max->hasOneUse() && reducesLastAxis(max, sub.getLhs()))
        x = sub.getLhs();
    if (x.getType() != div.getType())
      return failure();
    rewriter.replaceOpWithNewOp<SoftmaxOp>(div, div.getType(), x,
                                           rewriter.getI64IntegerAttr(div.getType().getRank() - 1));
    return success();
  }
};

/// GELU in its tanh form written out (torch's gelu(approximate='tanh')):
///   y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
/// with x^3 as pow(x, 3) or x * x * x, the 0.5 on x or on the product,
/// becomes dsc.gelu(x) {approximate = "tanh"}. Matched at the last
/// multiplication; the intermediates must have no other reader.
struct RecognizeGeluTanh : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  static bool near(double value, double target) {
    return std::fabs(value - target) < 1e-4 * std::fabs(target);
  }
  /// x^3 as pow(x, 3), x * (x * x) or (x * x) * x.
  static bool isCube(Value value, Value x) {
    Operation *op = value.getDefiningOp();
    if (!op || !op->hasOneUse())
      return false;
    if (auto pow = dyn_cast<PowOp>(op)) {
      auto e = scalarConstant(pow.getRhs());
      return pow.getLhs() == x && e && *e == 3.0;
    }
    auto mul = dyn_cast<MulOp>(op);
    if (!mul)
      return false;
    for (int side = 0; side < 2; ++side) {
      auto square = mul->getOperand(1 - side).getDefiningOp<MulOp>();
      if (mul->getOperand(side) == x && square && square->hasOneUse() && square.getLhs() == x &&
          square.getRhs() == x)
        return true;
    }
    return false;
  }
  /// The x of 1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)), or null.
  static Value gateInput(Value value) {
    auto add = value.getDefiningOp<AddOp>();
    if (!add || !add->hasOneUse())
      return Value();
    for (int side = 0; side < 2; ++side) {
      auto one = scalarConstant(add->getOperand(1 - side));
      auto tanh = add->getOperand(side).getDefiningOp<TanhOp>();
      if (!one || *one != 1.0 || !tanh || !tanh->hasOneUse())
        continue;
      double outer = 1.0;
      Value inner = peelScalarScale(tanh.getInput(), outer);
      auto sum = inner.getDefiningOp<AddOp>();
      if (!near(outer, std::sqrt(2.0 / M_PI)) || !sum || !sum->hasOneUse())
        continue;
      for (int term = 0; term < 2; ++term) {
        Value x = sum->getOperand(term);
        double c = 1.0;
        Value cube = peelScalarScale(sum->getOperand(1 - term), c);
        if (near(c, 0.044715) && isCube(cube, x))
          return x;
      }
    }
    return Value();
  }
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rewriter) const override {
    if (!mul.getType().getElementType().isF32())
      return failure();
    auto replace = [&](Value x) {
      if (!x || x.getType() != mul.getType())
        return failure();
      rewriter.replaceOpWithNewOp<GeluOp>(mul, mul.getType(), x,
                                          rewriter.getStringAttr("tanh"));
      return success();
    };
    // (0.5 x) * gate, or x * gate then * 0.5.
    for (int side = 0; side < 2; ++side) {
      Value gateSide = mul->getOperand(1 - side), other = mul->getOperand(side);
      if (Value x = gateInput(gateSide)) {
        double half = 1.0;
        Value base = peelScalarScale(other, half);
        if (base == x && near(half, 0.5))
          return replace(x);
      }
      auto half = scalarConstant(mul->getOperand(1 - side));
      auto product = other.getDefiningOp<MulOp>();
      if (half && near(*half, 0.5) && product && product->hasOneUse())
        for (int inner = 0; inner < 2; ++inner) {
          Value x = gateInput(product->getOperand(1 - inner));
          if (x && x == product->getOperand(inner))
            return replace(x);
        }
    }
    return failure();
  }
};

/// The x of `clip(x + a, 0, b)` (a read-once add of a scalar constant a,
/// constant bounds 0 and b > 0), with a and b. Null otherwise.
std::tuple<Value, double, double> shiftedClip(Value value) {
  auto clip = value.getDefiningOp<ClipOp>();
  if (!clip)
    return {Value(), 0, 0};
  auto lo = scalarConstant(clip.getMin()), hi = scalarConstant(clip.getMax());
  auto add = clip.getInput().getDefiningOp<AddOp>();
  if (!lo || !hi || *lo != 0.0 || *hi <= 0.0 || !add || !add->hasOneUse())
    return {Value(), 0, 0};
  for (int side = 0; side < 2; ++side)
    if (auto a = scalarConstant(add->getOperand(1 - side));
        a && add->getOperand(side).getType() == add.getType())
      return {add->getOperand(side), *a, *hi};
  return {Value(), 0, 0};
}

/// HardSigmoid written out (Paddle's and torch's hardsigmoid before
/// opset 14): clip(x + a, 0, b) / b = max(0, min(1, x/b + a/b)), a
/// dsc.hard_sigmoid with alpha = 1/b and beta = a/b. Matched at the
/// scaling by 1/b; the add and the clip must have no other reader.
struct RecognizeHardSigmoid : RewritePattern {
  RecognizeHardSigmoid(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    auto [clipped, factor] = scaledBy(op);
    if (!clipped || !clipped.hasOneUse())
      return failure();
    auto [x, a, b] = shiftedClip(clipped);
    if (!x || std::fabs(factor * b - 1.0) > 1e-6)
      return failure();
    rewriter.replaceOpWithNewOp<HardSigmoidOp>(op, op->getResult(0).getType(), x,
                                               rewriter.getF32FloatAttr((float)(1.0 / b)),
                                               rewriter.getF32FloatAttr((float)(a / b)));
    return success();
  }
};

/// HardSwish written out: x * hard_sigmoid(x) with alpha 1/6 and beta 1/2
/// (as RecognizeHardSigmoid leaves it), or x * clip(x + 3, 0, 6) / 6 with
/// the division last (Paddle's export), becomes dsc.hard_swish(x).
struct RecognizeHardSwish : RewritePattern {
  RecognizeHardSwish(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 2, ctx) {}
  static bool isHardSwishGate(HardSigmoidOp gate) {
    return std::fabs(gate.getAlpha().convertToDouble() - 1.0 / 6.0) < 1e-6 &&
           std::fabs(gate.getBeta().convertToDouble() - 0.5) < 1e-6;
  }
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    Type type = op->getNumResults() == 1 ? op->getResult(0).getType() : Type();
    // x * hard_sigmoid(x).
    if (auto mul = dyn_cast<MulOp>(op)) {
      for (int side = 0; side < 2; ++side) {
        auto gate = mul->getOperand(1 - side).getDefiningOp<HardSigmoidOp>();
        Value x = mul->getOperand(side);
        if (gate && gate->hasOneUse() && gate.getInput() == x && x.getType() == type &&
            isHardSwishGate(gate)) {
          rewriter.replaceOpWithNewOp<HardSwishOp>(op, type, x);
          return success();
        }
      }
    }
    // (x * clip(x + 3, 0, 6)) / 6.
    auto [product, factor] = scaledBy(op);
    auto mul = product ? product.getDefiningOp<MulOp>() : MulOp();
    if (!mul || !mul->hasOneUse())
      return failure();
    for (int side = 0; side < 2; ++side) {
      Value x = mul->getOperand(side), clipped = mul->getOperand(1 - side);
      auto [shifted, a, b] = shiftedClip(clipped);
      if (shifted == x && clipped.hasOneUse() && x.getType() == type &&
          std::fabs(a - 3.0) < 1e-6 && std::fabs(b - 6.0) < 1e-6 &&
          std::fabs(factor * 6.0 - 1.0) < 1e-6) {
        rewriter.replaceOpWithNewOp<HardSwishOp>(op, type, x);
        return success();
      }
    }
    return failure();
  }
};

/// Scaled dot-product attention as exporters write it:
///   y = matmul(softmax(mask(scale * matmul(q, kT))), v)
/// with the scale a scalar constant on the scores, on q or on kT (or
/// several of them), the mask a Where against a scalar fill or an additive
/// tensor, and kT either a transpose of the last two axes of k or any
/// [..., d, j] tensor (transposed back here). Becomes one dsc.attention;
/// every intermediate must have no other reader. Matched at the last
/// matmul.
struct RecognizeAttention : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp out, PatternRewriter &rewriter) const override {
    auto softmax = out.getA().getDefiningOp<SoftmaxOp>();
    if (!softmax || !softmax->hasOneUse())
      return failure();
    auto scoresType = softmax.getType();
    int64_t rank = scoresType.getRank();
    if (rank < 2 || !scoresType.getElementType().isF32() ||
        (softmax.getAxis() != -1 && softmax.getAxis() != rank - 1))
      return failure();
    Value v = out.getB();
    Value scores = softmax.getInput();
    // The mask.
    Value mask;
    bool maskWhereFalse = false;
    double fill = 0.0;
    if (auto where = scores.getDefiningOp<WhereOp>(); where && where->hasOneUse()) {
      auto xFill = scalarConstant(where.getX()), yFill = scalarConstant(where.getY());
      if (yFill && tensorType(where.getX()) == scoresType && !xFill) {
        // where(c, s, fill): the masked positions are where c is false.
        mask = where.getCondition();
        maskWhereFalse = true;
        fill = *yFill;
        scores = where.getX();
      } else if (xFill && tensorType(where.getY()) == scoresType) {
        mask = where.getCondition();
        fill = *xFill;
        scores = where.getY();
      } else {
        return failure();
      }
    } else if (auto add = scores.getDefiningOp<AddOp>(); add && add->hasOneUse()) {
      for (int side = 0; side < 2 && !mask; ++side)
        if (tensorType(add->getOperand(side)) == scoresType &&
            tensorType(add->getOperand(1 - side)).getElementType().isF32() &&
            add->getOperand(side).getDefiningOp() &&
            isa<MulOp, DivOp, MatMulOp>(add->getOperand(side).getDefiningOp())) {
          scores = add->getOperand(side);
          mask = add->getOperand(1 - side);
        }
      if (!mask)
        return failure();
    }
    double scale = 1.0;
    scores = peelScalarScale(scores, scale);
    auto product = scores.getDefiningOp<MatMulOp>();
    if (!product || !product->hasOneUse() || product.getType() != scoresType)
      return failure();
    Value q = peelScalarScale(product.getA(), scale);
    Value keysT = peelScalarScale(product.getB(), scale);
    auto qType = tensorType(q), kTType = tensorType(keysT), vType = tensorType(v);
    if (qType.getRank() != rank || kTType.getRank() != rank || vType.getRank() != rank ||
        out.getType().getRank() != rank)
      return failure();
    // The same batch dims everywhere (no broadcasting inside attention).
    for (int64_t i = 0; i < rank - 2; ++i)
      if (qType.getDimSize(i) != kTType.getDimSize(i) ||
          qType.getDimSize(i) != vType.getDimSize(i) ||
          ShapedType::isDynamic(qType.getDimSize(i)))
        return failure();
    SmallVector<int64_t> swapLast = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(swapLast[rank - 2], swapLast[rank - 1]);
    rewriter.setInsertionPoint(out);
    Value k;
    auto transpose = keysT.getDefiningOp<TransposeOp>();
    if (transpose && transpose->hasOneUse() && transpose.getPerm() == ArrayRef(swapLast)) {
      k = transpose.getInput();
    } else {
      SmallVector<int64_t> shape(kTType.getShape());
      std::swap(shape[rank - 2], shape[rank - 1]);
      k = rewriter.create<TransposeOp>(product.getLoc(),
                                       RankedTensorType::get(shape, kTType.getElementType()),
                                       keysT, rewriter.getDenseI64ArrayAttr(swapLast));
    }
    if (maskWhereFalse)
      mask = rewriter.create<NotOp>(mask.getLoc(), mask.getType(), mask);
    Location loc = rewriter.getFusedLoc({product.getLoc(), softmax.getLoc(), out.getLoc()});
    auto attention = rewriter.create<AttentionOp>(loc, out.getType(), q, k, v, mask,
                                                  rewriter.getF32FloatAttr((float)scale),
                                                  rewriter.getF32FloatAttr((float)fill));
    rewriter.replaceOp(out, attention.getResult());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Elementwise chains
//===----------------------------------------------------------------------===//

/// A scalar constant (one element), to clone into the body.
bool isScalarConstant(Value v) {
  DenseElementsAttr attr;
  return matchPattern(v, m_Constant(&attr)) && attr.getNumElements() == 1;
}

/// quantize(move(x)) where `move` only copies elements (a concat, a depth
/// to space, a resize in nearest mode) and is read by the quantize alone, with one
/// scale and zero point. Quantizing is elementwise, so it commutes with
/// copying elements exactly:
///   quantize(concat(a, b, ..))    = concat(quantize(a), quantize(b), ..)
///   quantize(resize_nearest(x))   = resize_nearest(quantize(x))
/// After the rewrite the copies move bytes instead of floats (a quarter of
/// the memory traffic: an int8 FPN's upsampled and concatenated branches),
/// and each quantize joins the elementwise chain that produces its input.
struct QuantizeBeforeCopies : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp quantize,
                                PatternRewriter &rewriter) const override {
    Operation *move = quantize.getInput().getDefiningOp();
    if (!move || !move->hasOneUse() || !isScalarConstant(quantize.getScale()) ||
        !isScalarConstant(quantize.getZeroPoint()))
      return failure();
    unsigned copied; // the operands whose elements are copied: the first `copied`
    if (isa<ConcatOp>(move))
      copied = move->getNumOperands();
    else if (isa<DepthToSpaceOp>(move))
      copied = 1;
    else if (auto resize = dyn_cast<ResizeOp>(move); resize && resize.getMode() == "nearest")
      copied = 1;
    else
      return failure();
    Type integer = quantize.getType().getElementType();
    rewriter.setInsertionPoint(move);
    // The scalar scale and zero point may be defined after `move`.
    Value scale = rewriter.clone(*quantize.getScale().getDefiningOp())->getResult(0);
    Value zeroPoint = rewriter.clone(*quantize.getZeroPoint().getDefiningOp())->getResult(0);
    IRMapping mapping;
    for (Value operand : move->getOperands().take_front(copied))
      mapping.map(operand, rewriter.create<QuantizeLinearOp>(
                               quantize.getLoc(),
                               RankedTensorType::get(tensorType(operand).getShape(), integer),
                               operand, scale, zeroPoint, quantize.getAxis()));
    Operation *moved = rewriter.clone(*move, mapping);
    moved->getResult(0).setType(quantize.getType());
    rewriter.replaceOp(quantize, moved->getResults());
    rewriter.eraseOp(move);
    return success();
  }
};

/// quantize(dequantize(q)) with the same scalar scale and zero point and
/// the same integer type is q: for an integer d = q - zp (|d| < 2^9),
/// round(fl(d * s) / s) = d, since both roundings stay within an ulp of d.
/// (A quantized layer's output read through a copy by the next quantized
/// layer: the copy moved the quantize in front of itself.)
struct QuantizeOfDequantize : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp quantize,
                                PatternRewriter &rewriter) const override {
    auto dequantize = quantize.getInput().getDefiningOp<DequantizeLinearOp>();
    if (!dequantize || dequantize.getInput().getType() != quantize.getType())
      return failure();
    // Zero points of one type and value are one uniqued attribute.
    std::optional<double> scale = scalarConstant(quantize.getScale());
    DenseElementsAttr zeroPoint, dequantizeZeroPoint;
    if (!scale || scale != scalarConstant(dequantize.getScale()) ||
        !matchPattern(quantize.getZeroPoint(), m_Constant(&zeroPoint)) ||
        !matchPattern(dequantize.getZeroPoint(), m_Constant(&dequantizeZeroPoint)) ||
        zeroPoint.getNumElements() != 1 || zeroPoint != dequantizeZeroPoint)
      return failure();
    rewriter.replaceOp(quantize, dequantize.getInput());
    return success();
  }
};

/// A per-tensor dequantize read by a global average pool and by other
/// ops (a squeeze-and-excitation block's input): the pool gets a copy of
/// its own, which the lowering turns into the mean of the integers
/// dequantized once, and the other reader can take the dequantize into its
/// elementwise loop, so the float tensor is never written.
struct DequantizeForPool : OpRewritePattern<GlobalAveragePoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GlobalAveragePoolOp pool,
                                PatternRewriter &rewriter) const override {
    auto dequantize = pool.getInput().getDefiningOp<DequantizeLinearOp>();
    if (!dequantize || dequantize->hasOneUse() || !isScalarConstant(dequantize.getScale()) ||
        !isScalarConstant(dequantize.getZeroPoint()))
      return failure();
    rewriter.setInsertionPoint(pool);
    Operation *copy = rewriter.clone(*dequantize);
    rewriter.modifyOpInPlace(pool, [&] { pool->setOperand(0, copy->getResult(0)); });
    return success();
  }
};

/// The ops a dsc.elementwise body may hold: float elementwise ops, and
/// quantize/dequantize with one scale and zero point (constants), so an
/// int8 model's dequantize -> activation -> quantize between two quantized
/// convs runs as one loop over the bytes.
bool isFusableElementwise(Operation *op) {
  if (isa<QuantizeLinearOp, DequantizeLinearOp>(op)) {
    Type in = tensorType(op->getOperand(0)).getElementType();
    Type out = tensorType(op->getResult(0)).getElementType();
    bool quantize = isa<QuantizeLinearOp>(op);
    return isScalarConstant(op->getOperand(1)) && isScalarConstant(op->getOperand(2)) &&
           tensorType(op->getOperand(1)).getElementType().isF32() &&
           (quantize ? in.isF32() && out.isInteger(8) : in.isInteger(8) && out.isF32());
  }
  if (!isa<AbsOp, NegOp, ReluOp, ExpOp, LogOp, SqrtOp, ReciprocalOp, SigmoidOp, TanhOp,
           ErfOp, FloorOp, CeilOp, RoundOp, SinOp, CosOp, SignOp, SoftplusOp, SoftsignOp,
           HardSigmoidOp, HardSwishOp, LeakyReluOp, EluOp, GeluOp, AddOp, SubOp, MulOp,
           DivOp, MaxOp, MinOp, PReluOp, ClipOp>(op))
    return false;
  Type element = tensorType(op->getResult(0)).getElementType();
  return isa<FloatType>(element) && llvm::all_of(op->getOperands(), [&](Value v) {
           return tensorType(v).getElementType() == element;
         });
}

/// A chain of elementwise ops (isFusableElementwise), each (but the last)
/// read only by the next ones and of the last one's shape, becomes one
/// dsc.elementwise whose body holds the ops on rank-0 tensors: one loop,
/// no intermediate tensor.
/// Matched at the chain's last op (one whose readers are not all fusable
/// ops of its shape ending at one op); a chain of one op stays as it is. Scalar
/// constant operands are cloned into the body; other outside values become
/// the op's inputs, broadcast as the ops broadcast them.
struct FuseElementwiseChain : RewritePattern {
  FuseElementwiseChain(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *root, PatternRewriter &rewriter) const override {
    if (!isFusableElementwise(root) || isa<ElementwiseOp>(root->getParentOp()))
      return failure();
    Type type = root->getResult(0).getType();
    ArrayRef<int64_t> shape = tensorType(root->getResult(0)).getShape();
    auto sameShape = [&](Operation *op) {
      return tensorType(op->getResult(0)).getShape() == shape;
    };
    auto joins = [&](Operation *user) {
      return isFusableElementwise(user) && sameShape(user) &&
             user->getBlock() == root->getBlock();
    };
    // Where a chain through `op` ends: its one reader, while that joins.
    auto endOf = [&](Operation *op) {
      while (op->hasOneUse() && joins(*op->getUsers().begin()))
        op = *op->getUsers().begin();
      return op;
    };
    // Not the end of the chain when every reader joins and all of them end
    // at one op (x * s + x reads x twice), whose chain takes this op in.
    if (!root->use_empty() && llvm::all_of(root->getUsers(), joins) &&
        llvm::all_of(root->getUsers(), [&](Operation *user) {
          return endOf(user) == endOf(*root->getUsers().begin());
        }))
      return failure();
    // The ops of the chain: producers of the same shape read only by ops of
    // the chain (x * s + x reads x twice), grown until no producer joins.
    llvm::SetVector<Operation *> chain;
    chain.insert(root);
    for (bool grew = true; grew;) {
      grew = false;
      for (size_t i = 0; i < chain.size(); ++i)
        for (Value operand : chain[i]->getOperands()) {
          Operation *producer = operand.getDefiningOp();
          if (producer && !chain.contains(producer) && isFusableElementwise(producer) &&
              sameShape(producer) && producer->getBlock() == root->getBlock() &&
              llvm::all_of(producer->getUsers(),
                           [&](Operation *user) { return chain.contains(user); }))
            grew |= chain.insert(producer);
        }
    }
    if (chain.size() < 2)
      return failure();
    SmallVector<Operation *> ordered(chain.begin(), chain.end());
    llvm::sort(ordered, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
    // Inputs: the values from outside the chain (scalar constants excepted).
    llvm::SetVector<Value> inputs;
    for (Operation *op : ordered)
      for (Value operand : op->getOperands())
        if (!chain.contains(operand.getDefiningOp()) && !isScalarConstant(operand))
          inputs.insert(operand);
    rewriter.setInsertionPoint(root);
    SmallVector<Location> locs;
    for (Operation *op : ordered)
      locs.push_back(op->getLoc());
    auto fused = rewriter.create<ElementwiseOp>(rewriter.getFusedLoc(locs), type,
                                                inputs.getArrayRef());
    Block *body = rewriter.createBlock(&fused.getBody());
    IRMapping mapping;
    for (Value input : inputs)
      mapping.map(input, body->addArgument(
                             RankedTensorType::get({}, tensorType(input).getElementType()),
                             input.getLoc()));
    rewriter.setInsertionPointToStart(body);
    for (Operation *op : ordered) {
      for (Value operand : op->getOperands())
        if (!mapping.contains(operand)) {
          // A scalar constant: its one value as a rank-0 constant.
          DenseElementsAttr attr;
          matchPattern(operand, m_Constant(&attr));
          auto scalarType = RankedTensorType::get({}, attr.getElementType());
          mapping.map(operand, rewriter.create<ConstantOp>(
                                   operand.getLoc(), scalarType,
                                   DenseElementsAttr::get(scalarType,
                                                          *attr.getValues<Attribute>().begin())));
        }
      Operation *clone = rewriter.clone(*op, mapping);
      clone->getResult(0).setType(
          RankedTensorType::get({}, tensorType(op->getResult(0)).getElementType()));
    }
    rewriter.create<YieldOp>(root->getLoc(), ValueRange{mapping.lookup(root->getResult(0))});
    rewriter.replaceOp(root, fused.getResult());
    for (Operation *op : llvm::reverse(ordered))
      if (op != root)
        rewriter.eraseOp(op);
    return success();
  }
};

struct FuseOpsPass : dsc::impl::FuseOpsBase<FuseOpsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // Attention and the written-out activations first: the epilogue
    // patterns would otherwise take attention's matmuls apart when an
    // operand is 2-D, and absorb a clip that is half of a HardSwish.
    {
      RewritePatternSet recognize(ctx);
      recognize.add<RecognizeAttention, RecognizeHardSigmoid, RecognizeHardSwish,
                    RecognizeSoftmax, RecognizeGeluTanh>(ctx);
      if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(recognize))))
        return signalPassFailure();
    }
    RewritePatternSet patterns(ctx);
    patterns.add<ConvToFused, GemmToFused, MatMulToFused, FuseActivation,
                 FuseSwish, FuseResidual, RecognizeLayerNorm, RecognizeGelu,
                 QuantizeBeforeCopies, QuantizeOfDequantize, DequantizeForPool>(ctx);
    // A constant per-channel add becomes bias before it is taken as residual.
    patterns.add<FuseChannelBias, FuseChannelScale>(ctx, /*benefit=*/2);
    patterns.add<FuseOutputAffine>(ctx);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Last, what is left between the kernels: chains of elementwise ops.
    RewritePatternSet chains(ctx);
    chains.add<FuseElementwiseChain>(ctx);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(chains))))
      return signalPassFailure();
  }
};

} // namespace
