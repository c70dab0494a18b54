//===- FoldBranches.cpp - Fold re-parameterised conv branches --------------===//
//
// Structural re-parameterisation (RepVGG, ACNet, DBB-style training blocks)
// trains a block as parallel linear branches of one input, summed:
//
//     y = BN_a(conv3x3(x)) + BN_b(conv1x1(x)) + BN_c(x)
//
// Every branch is a linear map of x followed by a per-channel affine, so
// the sum is one conv:
//
//     branch k:  y_k[f] = s_k[f] * (sum_{c,i,j} w_k[f,c,i,j] x[c, ., .] + b_k[f]) + t_k[f]
//     identity:  w[f,c,i,j] = (f == c) at the centre tap
//     merged:    W[f,c,i+di_k,j+dj_k] += s_k[f] w_k[f,c,i,j],  B[f] = sum_k s_k[f] b_k[f] + t_k[f]
//
// where (di_k, dj_k) places branch k's kernel in the merged one so that it
// reads the same input pixels (its padding is the merged padding minus
// the offset). A per-channel affine (BN, or a Mul/Add by per-channel
// constants) after a conv folds into it the same way.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/Transforms/Passes.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"
#include "dsc/Dialect/DSC/Transforms/Weights.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cmath>
#include <optional>

namespace dsc {
#define GEN_PASS_DEF_FOLDBRANCHES
#include "dsc/Dialect/DSC/Transforms/Passes.h.inc"
} // namespace dsc

using namespace mlir;
using namespace dsc;

namespace {

/// y = conv(input, weight) + bias with group 1 and no dilation, or the
/// identity (a 1x1 kernel eye) when no conv is involved.
struct LinearConv {
  Value input;
  int64_t filters = 0, channels = 0, kh = 1, kw = 1;
  std::vector<float> weight; // [F, C, kh, kw]
  std::vector<float> bias;   // [F]
  SmallVector<int64_t> strides{1, 1}, pads{0, 0, 0, 0}; // pads: top, left, bottom, right
  bool hasConv = false;      // false: an identity (with affines)
  Operation *conv = nullptr; // the conv, for its location
};

RankedTensorType rankedType(Value v) { return dyn_cast<RankedTensorType>(v.getType()); }

/// Scales output channel f of `l` by s[f] and adds t[f].
void applyAffine(LinearConv &l, ArrayRef<float> s, ArrayRef<float> t) {
  int64_t perFilter = l.channels * l.kh * l.kw;
  for (int64_t f = 0; f < l.filters; ++f) {
    for (int64_t i = 0; i < perFilter; ++i)
      l.weight[f * perFilter + i] *= s[f];
    l.bias[f] = s[f] * l.bias[f] + t[f];
  }
}

/// The identity on a [N, C, H, W] value.
std::optional<LinearConv> identityOf(Value v) {
  auto type = rankedType(v);
  if (!type || type.getRank() != 4 || type.isDynamicDim(1) ||
      !type.getElementType().isF32())
    return std::nullopt;
  LinearConv l;
  l.input = v;
  l.filters = l.channels = type.getDimSize(1);
  l.weight.assign(l.filters * l.channels, 0.0f);
  for (int64_t c = 0; c < l.channels; ++c)
    l.weight[c * l.channels + c] = 1.0f;
  l.bias.assign(l.filters, 0.0f);
  return l;
}

/// `v` as a linear conv of some input: a conv (constant weights, group 1,
/// no dilation) or, with `identity`, `v` itself, then any chain of
/// per-channel affines (BN, Mul/Add by a per-channel constant). Inner
/// values must have one use (the chain), so folding loses nothing.
std::optional<LinearConv> asLinearConv(Value v, bool identity) {
  Operation *op = v.getDefiningOp();
  if (auto conv = dyn_cast_or_null<ConvOp>(op)) {
    auto weightType = rankedType(conv.getWeight());
    auto weights = getConstantFloats(conv.getWeight());
    if (!weightType || weightType.getRank() != 4 || !weights || conv.getGroup() != 1 ||
        llvm::any_of(conv.getDilations(), [](int64_t d) { return d != 1; }) ||
        !weightType.getElementType().isF32())
      return std::nullopt;
    LinearConv l;
    l.input = conv.getInput();
    l.filters = weightType.getDimSize(0);
    l.channels = weightType.getDimSize(1);
    l.kh = weightType.getDimSize(2);
    l.kw = weightType.getDimSize(3);
    l.weight = *weights;
    l.bias.assign(l.filters, 0.0f);
    if (conv.getBias()) {
      auto b = getConstantFloats(conv.getBias());
      if (!b || (int64_t)b->size() != l.filters)
        return std::nullopt;
      l.bias = *b;
    }
    l.strides.assign(conv.getStrides().begin(), conv.getStrides().end());
    l.pads.assign(conv.getPads().begin(), conv.getPads().end());
    l.hasConv = true;
    l.conv = conv;
    return l;
  }
  auto inner = [&](Value u) -> std::optional<LinearConv> {
    if (auto l = u.hasOneUse() ? asLinearConv(u, false) : std::nullopt)
      return l;
    return identity ? identityOf(u) : std::nullopt;
  };
  if (auto bn = dyn_cast_or_null<BatchNormOp>(op)) {
    auto l = inner(bn.getInput());
    auto gamma = getConstantFloats(bn.getScale()), beta = getConstantFloats(bn.getBias()),
         mean = getConstantFloats(bn.getMean()), var = getConstantFloats(bn.getVariance());
    if (!l || !gamma || !beta || !mean || !var || (int64_t)gamma->size() != l->filters)
      return std::nullopt;
    // s = gamma / sqrt(var + eps), t = beta - mean * s.
    std::vector<float> s(l->filters), t(l->filters);
    float epsilon = bn.getEpsilon().convertToFloat();
    for (int64_t f = 0; f < l->filters; ++f) {
      s[f] = (*gamma)[f] / std::sqrt((*var)[f] + epsilon);
      t[f] = (*beta)[f] - (*mean)[f] * s[f];
    }
    applyAffine(*l, s, t);
    return l;
  }
  if (isa_and_nonnull<MulOp, AddOp>(op)) {
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    if (getConstantFloats(lhs))
      std::swap(lhs, rhs);
    auto type = rankedType(op->getResult(0));
    if (!type || type.getRank() != 4 || rankedType(lhs) != type)
      return std::nullopt;
    auto constant = getPerAxisConstant(rhs, 4, 1, type.getDimSize(1));
    auto l = constant ? inner(lhs) : std::nullopt;
    if (!l)
      return std::nullopt;
    std::vector<float> ones(l->filters, 1.0f), zeros(l->filters, 0.0f);
    if (isa<MulOp>(op))
      applyAffine(*l, *constant, zeros);
    else
      applyAffine(*l, ones, *constant);
    return l;
  }
  return std::nullopt;
}

/// The sum of branches of one input as one conv, when their geometries
/// line up: the same strides, and every branch's kernel placed in the
/// merged kernel at (PT - pt_k, PL - pl_k) with the same bottom and right
/// padding beyond it.
std::optional<LinearConv> mergeBranches(ArrayRef<LinearConv> branches) {
  const LinearConv &first = branches.front();
  LinearConv m;
  m.input = first.input;
  m.filters = first.filters;
  m.channels = first.channels;
  m.strides = first.strides;
  m.hasConv = true;
  int64_t top = 0, left = 0;
  for (const LinearConv &b : branches) {
    if (b.input != first.input || b.filters != first.filters ||
        b.channels != first.channels || b.strides != first.strides)
      return std::nullopt;
    top = std::max(top, b.pads[0]);
    left = std::max(left, b.pads[1]);
    if (!m.conv && b.conv)
      m.conv = b.conv;
  }
  for (const LinearConv &b : branches) {
    m.kh = std::max(m.kh, top - b.pads[0] + b.kh);
    m.kw = std::max(m.kw, left - b.pads[1] + b.kw);
  }
  // Padding below and right of each placed kernel must agree.
  std::optional<int64_t> bottom, right;
  for (const LinearConv &b : branches) {
    int64_t pb = b.pads[2] + (m.kh - (top - b.pads[0]) - b.kh);
    int64_t pr = b.pads[3] + (m.kw - (left - b.pads[1]) - b.kw);
    if ((bottom && *bottom != pb) || (right && *right != pr))
      return std::nullopt;
    bottom = pb;
    right = pr;
  }
  m.pads = {top, left, *bottom, *right};
  m.weight.assign(m.filters * m.channels * m.kh * m.kw, 0.0f);
  m.bias.assign(m.filters, 0.0f);
  for (const LinearConv &b : branches) {
    int64_t di = top - b.pads[0], dj = left - b.pads[1];
    for (int64_t f = 0; f < m.filters; ++f) {
      m.bias[f] += b.bias[f];
      for (int64_t c = 0; c < m.channels; ++c)
        for (int64_t i = 0; i < b.kh; ++i)
          for (int64_t j = 0; j < b.kw; ++j)
            m.weight[((f * m.channels + c) * m.kh + i + di) * m.kw + j + dj] +=
                b.weight[((f * b.channels + c) * b.kh + i) * b.kw + j];
    }
  }
  return m;
}

/// Replaces `op` (whose result the linear conv computes) by one dsc.conv.
void replaceWithConv(Operation *op, const LinearConv &l) {
  OpBuilder builder(op);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Type element = resultType.getElementType();
  Location loc = l.conv ? l.conv->getLoc() : op->getLoc();
  Value weight = createWeightConstant(
      builder, loc, RankedTensorType::get({l.filters, l.channels, l.kh, l.kw}, element),
      l.weight, "reparameterized_weight");
  Value bias = createWeightConstant(builder, loc, RankedTensorType::get({l.filters}, element),
                                    l.bias, "reparameterized_bias");
  auto conv = builder.create<ConvOp>(loc, resultType, l.input, weight, bias,
                                     builder.getDenseI64ArrayAttr(l.strides),
                                     builder.getDenseI64ArrayAttr(l.pads),
                                     builder.getDenseI64ArrayAttr({1, 1}), (int64_t)1);
  op->getResult(0).replaceAllUsesWith(conv.getResult());
}

/// A gemm y = x B + c (alpha = beta = 1, trans_a = 0) with constant B and
/// c: B as [K, N] (transposed when trans_b), c as [N] (zero if absent).
struct LinearGemm {
  Value input;
  int64_t k = 0, n = 0;
  std::vector<float> b, c;
};

std::optional<LinearGemm> asLinearGemm(GemmOp gemm) {
  auto bType = rankedType(gemm.getB());
  auto b = getConstantFloats(gemm.getB());
  if (!bType || bType.getRank() != 2 || !b || gemm.getTransA() != 0 ||
      gemm.getAlpha().convertToFloat() != 1.0f || gemm.getBeta().convertToFloat() != 1.0f)
    return std::nullopt;
  LinearGemm l;
  l.input = gemm.getA();
  bool trans = gemm.getTransB() != 0;
  l.k = bType.getDimSize(trans ? 1 : 0);
  l.n = bType.getDimSize(trans ? 0 : 1);
  l.b.resize(l.k * l.n);
  for (int64_t i = 0; i < l.k; ++i)
    for (int64_t j = 0; j < l.n; ++j)
      l.b[i * l.n + j] = trans ? (*b)[j * l.k + i] : (*b)[i * l.n + j];
  l.c.assign(l.n, 0.0f);
  if (gemm.getC()) {
    auto c = getConstantFloats(gemm.getC());
    auto cType = rankedType(gemm.getC());
    if (!c || !cType || cType.getNumElements() != l.n ||
        (cType.getRank() == 2 && cType.getDimSize(0) != 1))
      return std::nullopt;
    l.c = *c;
  }
  return l;
}

/// Two linear layers with nothing between them, when one layer costs no
/// more multiply-adds than the two:
///   gemm(gemm(x, B1, c1), B2, c2) = gemm(x, B1 B2, c1 B2 + c2)
///     when K1 N2 <= K1 N1 + N1 N2;
///   conv1x1(conv(x, w1, b1), w2, b2) = conv(x, W, w2 b1 + b2) with
///     W[f, c, i, j] = sum_m w2[f, m] w1[m, c, i, j]
///     when F C KH KW <= M C KH KW + F M (the 1x1 has stride 1, no padding).
/// Returns whether `op` (the second layer) was folded.
bool foldLinearChain(Operation *op) {
  if (auto second = dyn_cast<GemmOp>(op)) {
    auto first = second.getA().getDefiningOp<GemmOp>();
    if (!first || !first->hasOneUse())
      return false;
    auto l1 = asLinearGemm(first), l2 = asLinearGemm(second);
    if (!l1 || !l2 || l1->n != l2->k || l1->k * l2->n > l1->k * l1->n + l1->n * l2->n)
      return false;
    std::vector<float> b(l1->k * l2->n, 0.0f), c = l2->c;
    for (int64_t i = 0; i < l1->k; ++i)
      for (int64_t m = 0; m < l1->n; ++m)
        for (int64_t j = 0; j < l2->n; ++j)
          b[i * l2->n + j] += l1->b[i * l1->n + m] * l2->b[m * l2->n + j];
    for (int64_t m = 0; m < l1->n; ++m)
      for (int64_t j = 0; j < l2->n; ++j)
        c[j] += l1->c[m] * l2->b[m * l2->n + j];
    OpBuilder builder(op);
    Type element = rankedType(second.getB()).getElementType();
    Value bValue = createWeightConstant(
        builder, first.getLoc(), RankedTensorType::get({l1->k, l2->n}, element), b,
        "chained_weight");
    Value cValue = createWeightConstant(builder, first.getLoc(),
                                        RankedTensorType::get({l2->n}, element), c,
                                        "chained_bias");
    auto gemm = builder.create<GemmOp>(
        first.getLoc(), second.getType(), l1->input, bValue, cValue,
        builder.getF32FloatAttr(1.0f), builder.getF32FloatAttr(1.0f),
        builder.getI64IntegerAttr(0), builder.getI64IntegerAttr(0));
    second.getResult().replaceAllUsesWith(gemm.getResult());
    return true;
  }
  auto second = dyn_cast<ConvOp>(op);
  if (!second || !second.getInput().hasOneUse())
    return false;
  auto l2 = asLinearConv(second.getResult(), false);
  if (!l2 || l2->kh != 1 || l2->kw != 1 || l2->strides != SmallVector<int64_t>{1, 1} ||
      llvm::any_of(l2->pads, [](int64_t p) { return p != 0; }))
    return false;
  auto l1 = asLinearConv(second.getInput(), false);
  if (!l1 || !l1->hasConv || l1->filters != l2->channels)
    return false;
  int64_t taps = l1->kh * l1->kw, f = l2->filters, m = l1->filters, c = l1->channels;
  if (f * c * taps > m * c * taps + f * m)
    return false;
  LinearConv merged = *l1;
  merged.filters = f;
  merged.weight.assign(f * c * taps, 0.0f);
  merged.bias = l2->bias;
  for (int64_t fi = 0; fi < f; ++fi)
    for (int64_t mi = 0; mi < m; ++mi) {
      float w2 = l2->weight[fi * m + mi];
      merged.bias[fi] += w2 * l1->bias[mi];
      for (int64_t t = 0; t < c * taps; ++t)
        merged.weight[fi * c * taps + t] += w2 * l1->weight[mi * c * taps + t];
    }
  replaceWithConv(op, merged);
  return true;
}

/// Folds one op if it heads a foldable pattern: an Add of two linear
/// branches of one input (at least one a conv), or (with `foldAffines`) a
/// per-channel affine of a conv. Returns whether it did.
bool foldAt(Operation *op, bool foldAffines, int64_t &branchSums, int64_t &affines,
            int64_t &chains) {
  if (auto add = dyn_cast<AddOp>(op)) {
    Value lhs = add.getLhs(), rhs = add.getRhs();
    if (!getConstantFloats(lhs) && !getConstantFloats(rhs)) {
      // One side may be the identity of the other's input.
      auto a = lhs.hasOneUse() ? asLinearConv(lhs, false) : std::nullopt;
      auto b = rhs.hasOneUse() ? asLinearConv(rhs, false) : std::nullopt;
      if (a && !b)
        b = rhs.hasOneUse() ? asLinearConv(rhs, true) : std::nullopt;
      if (b && !a)
        a = lhs.hasOneUse() ? asLinearConv(lhs, true) : std::nullopt;
      if (a && !b && rhs == a->input)
        b = identityOf(rhs);
      if (b && !a && lhs == b->input)
        a = identityOf(lhs);
      // No broadcasting: both sides are the sum's shape.
      bool sameShape = rankedType(lhs) == rankedType(add.getResult()) &&
                       rankedType(rhs) == rankedType(add.getResult());
      if (a && b && (a->hasConv || b->hasConv) && sameShape) {
        if (auto merged = mergeBranches({*a, *b})) {
          replaceWithConv(op, *merged);
          ++branchSums;
          return true;
        }
      }
      return false;
    }
  }
  if (isa<GemmOp, ConvOp>(op))
    return foldLinearChain(op) && ++chains;
  if (foldAffines && isa<BatchNormOp, MulOp, AddOp>(op)) {
    auto l = asLinearConv(op->getResult(0), false);
    if (l && l->hasConv && l->conv->getResult(0) != op->getResult(0)) {
      replaceWithConv(op, *l);
      ++affines;
      return true;
    }
  }
  return false;
}

struct FoldBranchesPass : dsc::impl::FoldBranchesBase<FoldBranchesPass> {
  using FoldBranchesBase::FoldBranchesBase;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    dsc::BranchFoldCounts counts = foldBranches(func, affines);
    if (counts.branchSums || counts.affines || counts.chains)
      emitRemark(func.getLoc()) << "dsc-fold-branches: " << counts.branchSums
                                << " branch sum(s), " << counts.affines
                                << " per-channel affine(s) and " << counts.chains
                                << " linear chain(s) folded";
  }
};

} // namespace

dsc::BranchFoldCounts dsc::foldBranches(func::FuncOp func, bool foldAffines) {
  int64_t branchSums = 0, affines = 0, chains = 0;
  bool changed = true;
  while (changed) {
    changed = false;
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) {
      if (isa<AddOp, MulOp, BatchNormOp, GemmOp, ConvOp>(op))
        ops.push_back(op);
    });
    // In program order, so an inner sum is one conv before the outer sum
    // is looked at; ops a fold left unused are skipped (and erased below).
    for (Operation *op : ops)
      if (!op->use_empty() && foldAt(op, foldAffines, branchSums, affines, chains))
        changed = true;
    if (changed) {
      // Erase what the fold left unused (the old branches and constants).
      bool erased = true;
      while (erased) {
        erased = false;
        SmallVector<Operation *> dead;
        func.walk([&](Operation *op) {
          if (op->use_empty() && isa<DSCDialect>(op->getDialect()) && !isa<YieldOp>(op) &&
              op->getParentOp() == func)
            dead.push_back(op);
        });
        for (Operation *op : llvm::reverse(dead)) {
          op->erase();
          erased = true;
        }
      }
    }
  }
  return {branchSums, affines, chains};
}
