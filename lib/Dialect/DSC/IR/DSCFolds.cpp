//===- DSCFolds.cpp - dsc folders and canonicalizations --------------------===//
//
// Folders evaluate ops whose operands are constants (the shape arithmetic
// exporters emit: Shape, Gather, Concat, Reshape of small int64 tensors, and
// scalar float math) and remove ops that do nothing. Canonicalization
// patterns merge consecutive transposes and reshapes. Folding works on
// DenseElementsAttr only: weights held in dense_resource blobs are folded by
// the passes that mean to, not as a side effect of canonicalization.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace dsc;

/// Folding never materialises tensors larger than this many elements.
static constexpr int64_t kMaxFoldedElements = 1 << 16;

static RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Returns the attribute as DenseElementsAttr when it is one (not a resource).
static DenseElementsAttr asDense(Attribute attr) {
  return dyn_cast_or_null<DenseElementsAttr>(attr);
}

//===----------------------------------------------------------------------===//
// Broadcasting elementwise evaluation
//===----------------------------------------------------------------------===//

/// Maps a flat index of `resultShape` to the flat index of an operand of
/// `operandShape` broadcast to it (right-aligned, size-1 dims repeat).
static int64_t broadcastIndex(int64_t flat, ArrayRef<int64_t> resultShape,
                              ArrayRef<int64_t> operandShape) {
  int64_t index = 0, stride = 1;
  int64_t offset = resultShape.size() - operandShape.size();
  for (int64_t d = resultShape.size() - 1; d >= 0; --d) {
    int64_t coordinate = flat % resultShape[d];
    flat /= resultShape[d];
    if (d < offset)
      continue;
    int64_t size = operandShape[d - offset];
    if (size != 1)
      index += coordinate * stride;
    stride *= size;
  }
  return index;
}

/// Evaluates a broadcasting binary op on two dense constants with float
/// (`floatFn`) or integer (`intFn`) element math; either may be null.
static Attribute foldBinary(ArrayRef<Attribute> operands, Type resultType,
                            function_ref<APFloat(APFloat, APFloat)> floatFn,
                            function_ref<APInt(APInt, APInt)> intFn) {
  auto lhs = asDense(operands[0]), rhs = asDense(operands[1]);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!lhs || !rhs || !type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldedElements ||
      lhs.getElementType() != rhs.getElementType() ||
      type.getElementType() != lhs.getElementType())
    return {};
  ArrayRef<int64_t> shape = type.getShape();
  auto lhsShape = lhs.getType().getShape(), rhsShape = rhs.getType().getShape();
  int64_t count = type.getNumElements();
  if (isa<FloatType>(type.getElementType()) && floatFn) {
    auto lhsValues = llvm::to_vector(lhs.getValues<APFloat>());
    auto rhsValues = llvm::to_vector(rhs.getValues<APFloat>());
    SmallVector<APFloat> result;
    result.reserve(count);
    for (int64_t i = 0; i < count; ++i)
      result.push_back(floatFn(lhsValues[broadcastIndex(i, shape, lhsShape)],
                               rhsValues[broadcastIndex(i, shape, rhsShape)]));
    return DenseElementsAttr::get(type, result);
  }
  if (isa<IntegerType>(type.getElementType()) && intFn) {
    auto lhsValues = llvm::to_vector(lhs.getValues<APInt>());
    auto rhsValues = llvm::to_vector(rhs.getValues<APInt>());
    SmallVector<APInt> result;
    result.reserve(count);
    for (int64_t i = 0; i < count; ++i)
      result.push_back(intFn(lhsValues[broadcastIndex(i, shape, lhsShape)],
                             rhsValues[broadcastIndex(i, shape, rhsShape)]));
    return DenseElementsAttr::get(type, result);
  }
  return {};
}

/// True when `attr` is a dense constant whose every element equals `value`.
static bool isSplatOf(Attribute attr, double value) {
  auto dense = asDense(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (isa<FloatType>(dense.getElementType()))
    return dense.getSplatValue<APFloat>().convertToDouble() == value;
  if (isa<IntegerType>(dense.getElementType()))
    return dense.getSplatValue<APInt>().getSExtValue() == (int64_t)value;
  return false;
}

/// `x op c` is `x` when c is a splat of the op's identity and broadcasting
/// it cannot change x's shape: c's rank is at most x's and each of c's dims
/// is 1 or equal to x's (static) dim.
static OpFoldResult foldIdentityOperand(Value lhs, Attribute rhs,
                                        Type resultType, double identity,
                                        bool negativeZero = false) {
  auto dense = asDense(rhs);
  if (lhs.getType() != resultType || !isSplatOf(rhs, identity))
    return {};
  // For floats, x + 0.0 is not x when x = -0.0; x + (-0.0) always is.
  if (negativeZero && isa<FloatType>(dense.getElementType()) &&
      !dense.getSplatValue<APFloat>().isNegZero())
    return {};
  auto lhsShape = rankedType(lhs).getShape();
  auto constShape = dense.getType().getShape();
  if (constShape.size() > lhsShape.size())
    return {};
  size_t offset = lhsShape.size() - constShape.size();
  for (auto [i, dim] : llvm::enumerate(constShape))
    if (dim != 1 && dim != lhsShape[i + offset])
      return {};
  return lhs;
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same = foldIdentityOperand(getLhs(), adaptor.getRhs(),
                                              getType(), 0.0, true))
    return same;
  if (OpFoldResult same = foldIdentityOperand(getRhs(), adaptor.getLhs(),
                                              getType(), 0.0, true))
    return same;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) { return a + b; },
      [](APInt a, APInt b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same =
          foldIdentityOperand(getLhs(), adaptor.getRhs(), getType(), 0.0))
    return same;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) { return a - b; },
      [](APInt a, APInt b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same =
          foldIdentityOperand(getLhs(), adaptor.getRhs(), getType(), 1.0))
    return same;
  if (OpFoldResult same =
          foldIdentityOperand(getRhs(), adaptor.getLhs(), getType(), 1.0))
    return same;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) { return a * b; },
      [](APInt a, APInt b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same =
          foldIdentityOperand(getLhs(), adaptor.getRhs(), getType(), 1.0))
    return same;
  // Integer division by zero is undefined in ONNX: leave it to run time.
  if (auto rhs = asDense(adaptor.getRhs()))
    if (isa<IntegerType>(rhs.getElementType()) &&
        llvm::any_of(rhs.getValues<APInt>(),
                     [](const APInt &v) { return v.isZero(); }))
      return {};
  // ONNX integer Div truncates toward zero, like C.
  bool isUnsigned = getType().getElementType().isUnsignedInteger();
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) { return a / b; },
      [isUnsigned](APInt a, APInt b) {
        return isUnsigned ? a.udiv(b) : a.sdiv(b);
      });
}

/// A float function of two constants, evaluated in double and rounded to
/// the element type.
static APFloat applyInDouble(const APFloat &a, const APFloat &b,
                             double (*fn)(double, double)) {
  APFloat result(fn(a.convertToDouble(), b.convertToDouble()));
  bool lostInfo;
  result.convert(a.getSemantics(), APFloat::rmNearestTiesToEven, &lostInfo);
  return result;
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  // Float base and exponent of one type (ONNX also allows an integer
  // exponent; that form stays for the code generator).
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) {
        return applyInDouble(a, b, [](double x, double y) { return std::pow(x, y); });
      },
      nullptr);
}

// ONNX Max/Min propagate NaN, like llvm::maximum/minimum.
OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) { return llvm::maximum(a, b); },
      [&](APInt a, APInt b) {
        bool isUnsigned = getType().getElementType().isUnsignedInteger();
        return isUnsigned ? llvm::APIntOps::umax(a, b) : llvm::APIntOps::smax(a, b);
      });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) { return llvm::minimum(a, b); },
      [&](APInt a, APInt b) {
        bool isUnsigned = getType().getElementType().isUnsignedInteger();
        return isUnsigned ? llvm::APIntOps::umin(a, b) : llvm::APIntOps::smin(a, b);
      });
}

/// Evaluates a broadcasting comparison or logical op on two dense
/// constants into a bool tensor: `floatFn` compares floats, `intFn`
/// integers and bools (signed or unsigned by `isUnsigned`).
static Attribute foldPredicate(ArrayRef<Attribute> operands, Type resultType,
                               function_ref<bool(const APFloat &, const APFloat &)> floatFn,
                               function_ref<bool(const APInt &, const APInt &)> intFn) {
  auto lhs = asDense(operands[0]), rhs = asDense(operands[1]);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!lhs || !rhs || !type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldedElements || !type.getElementType().isInteger(1) ||
      lhs.getElementType() != rhs.getElementType())
    return {};
  ArrayRef<int64_t> shape = type.getShape();
  auto lhsShape = lhs.getType().getShape(), rhsShape = rhs.getType().getShape();
  SmallVector<bool> result;
  if (isa<FloatType>(lhs.getElementType()) && floatFn) {
    auto a = llvm::to_vector(lhs.getValues<APFloat>()), b = llvm::to_vector(rhs.getValues<APFloat>());
    for (int64_t i = 0; i < type.getNumElements(); ++i)
      result.push_back(floatFn(a[broadcastIndex(i, shape, lhsShape)],
                               b[broadcastIndex(i, shape, rhsShape)]));
  } else if (isa<IntegerType>(lhs.getElementType()) && intFn) {
    auto a = llvm::to_vector(lhs.getValues<APInt>()), b = llvm::to_vector(rhs.getValues<APInt>());
    for (int64_t i = 0; i < type.getNumElements(); ++i)
      result.push_back(intFn(a[broadcastIndex(i, shape, lhsShape)],
                             b[broadcastIndex(i, shape, rhsShape)]));
  } else {
    return {};
  }
  return DenseElementsAttr::get(type, ArrayRef<bool>(result));
}

/// Compares integers as the element type says: unsigned or signed.
static bool intLess(const APInt &a, const APInt &b, bool isUnsigned) {
  return isUnsigned ? a.ult(b) : a.slt(b);
}

#define DSC_COMPARISON_FOLDER(OpT, FLOAT, INT)                                     \
  OpFoldResult OpT::fold(FoldAdaptor adaptor) {                                    \
    bool isUnsigned = rankedType(getLhs()).getElementType().isUnsignedInteger();   \
    (void)isUnsigned;                                                              \
    return foldPredicate(                                                          \
        adaptor.getOperands(), getType(),                                          \
        [](const APFloat &a, const APFloat &b) { return FLOAT; },                  \
        [&](const APInt &a, const APInt &b) { return INT; });                      \
  }

// IEEE comparisons: false with a NaN, except !=.
DSC_COMPARISON_FOLDER(EqualOp, a.compare(b) == APFloat::cmpEqual, a == b)
DSC_COMPARISON_FOLDER(LessOp, a.compare(b) == APFloat::cmpLessThan, intLess(a, b, isUnsigned))
DSC_COMPARISON_FOLDER(LessOrEqualOp,
                      a.compare(b) == APFloat::cmpLessThan || a.compare(b) == APFloat::cmpEqual,
                      !intLess(b, a, isUnsigned))
DSC_COMPARISON_FOLDER(GreaterOp, a.compare(b) == APFloat::cmpGreaterThan,
                      intLess(b, a, isUnsigned))
DSC_COMPARISON_FOLDER(GreaterOrEqualOp,
                      a.compare(b) == APFloat::cmpGreaterThan ||
                          a.compare(b) == APFloat::cmpEqual,
                      !intLess(a, b, isUnsigned))
// Logical ops on bools (i1).
DSC_COMPARISON_FOLDER(AndOp, false, !a.isZero() && !b.isZero())
DSC_COMPARISON_FOLDER(OrOp, false, !a.isZero() || !b.isZero())
DSC_COMPARISON_FOLDER(XorOp, false, a.isZero() != b.isZero())
#undef DSC_COMPARISON_FOLDER

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  auto dense = asDense(adaptor.getInput());
  if (!dense || !dense.getElementType().isInteger(1) || dense.getType() != getType())
    return {};
  SmallVector<bool> result;
  for (bool v : dense.getValues<bool>())
    result.push_back(!v);
  return DenseElementsAttr::get(getType(), ArrayRef<bool>(result));
}

/// where(c, x, y) with a constant condition that is all true (or all
/// false) and x (or y) already of the result's type is that operand; with
/// all three constant, the selected values.
OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  auto condition = asDense(adaptor.getCondition());
  if (!condition)
    return {};
  if (condition.isSplat()) {
    Value chosen = condition.getSplatValue<bool>() ? getX() : getY();
    if (chosen.getType() == getType())
      return chosen;
  }
  auto x = asDense(adaptor.getX()), y = asDense(adaptor.getY());
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!x || !y || !type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldedElements || x.getElementType() != y.getElementType())
    return {};
  ArrayRef<int64_t> shape = type.getShape();
  auto c = llvm::to_vector(condition.getValues<bool>());
  auto xs = llvm::to_vector(x.getValues<Attribute>()), ys = llvm::to_vector(y.getValues<Attribute>());
  SmallVector<Attribute> result;
  for (int64_t i = 0; i < type.getNumElements(); ++i)
    result.push_back(c[broadcastIndex(i, shape, condition.getType().getShape())]
                         ? xs[broadcastIndex(i, shape, x.getType().getShape())]
                         : ys[broadcastIndex(i, shape, y.getType().getShape())]);
  return DenseElementsAttr::get(type, result);
}

//===----------------------------------------------------------------------===//
// Unary folders
//===----------------------------------------------------------------------===//

/// Evaluates a float unary op on a dense constant.
static Attribute foldUnaryFloat(Attribute operand, Type resultType,
                                function_ref<double(double)> fn) {
  auto dense = asDense(operand);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!dense || !type || !isa<FloatType>(dense.getElementType()) ||
      dense.getType() != type || type.getNumElements() > kMaxFoldedElements)
    return {};
  const llvm::fltSemantics &semantics =
      cast<FloatType>(type.getElementType()).getFloatSemantics();
  SmallVector<APFloat> result;
  for (APFloat value : dense.getValues<APFloat>()) {
    APFloat folded(fn(value.convertToDouble()));
    bool lostInfo;
    folded.convert(semantics, APFloat::rmNearestTiesToEven, &lostInfo);
    result.push_back(folded);
  }
  return DenseElementsAttr::get(type, result);
}

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return -x; });
}

OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return std::sqrt(x); });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return x > 0 ? x : 0.0; });
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // Integer to integer casts of small constants (shape arithmetic).
  auto dense = asDense(adaptor.getInput());
  auto toType = dyn_cast<IntegerType>(getType().getElementType());
  if (!dense || !toType || !isa<IntegerType>(dense.getElementType()) ||
      !getType().hasStaticShape() || getType().getNumElements() > kMaxFoldedElements)
    return {};
  auto fromType = cast<IntegerType>(dense.getElementType());
  // To bool: x != 0. From bool or unsigned: zero-extend; signed: sign-extend.
  bool zeroExtend = fromType.isUnsigned() || fromType.getWidth() == 1;
  SmallVector<APInt> result;
  for (APInt value : dense.getValues<APInt>()) {
    if (toType.getWidth() == 1)
      result.push_back(APInt(1, !value.isZero()));
    else
      result.push_back(zeroExtend ? value.zextOrTrunc(toType.getWidth())
                                  : value.sextOrTrunc(toType.getWidth()));
  }
  return DenseElementsAttr::get(getType(), result);
}

//===----------------------------------------------------------------------===//
// Constants and shape ops
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

/// A reshape-like op is a no-op when its type does not change, and of a
/// dense constant it is the same data with the result's static shape.
static OpFoldResult foldReshapeLike(Value input, Attribute inputAttr,
                                    RankedTensorType resultType) {
  if (input.getType() == resultType && resultType.hasStaticShape())
    return input;
  if (auto dense = asDense(inputAttr))
    if (resultType.hasStaticShape())
      return dense.reshape(resultType);
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}
OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}
OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}
OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  bool identity = llvm::all_of(llvm::enumerate(perm), [](auto entry) {
    return (int64_t)entry.index() == entry.value();
  });
  if (identity && getInput().getType() == getType())
    return getInput();
  if (auto dense = asDense(adaptor.getInput()))
    if (dense.isSplat())
      return dense.resizeSplat(getType());
  return {};
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto inputType = rankedType(getInput());
  int64_t rank = inputType.getRank();
  // ONNX clamps start/end into [0, rank] after adding rank to negatives.
  auto clampAxis = [rank](int64_t axis) {
    if (axis < 0)
      axis += rank;
    return std::clamp<int64_t>(axis, 0, rank);
  };
  int64_t start = clampAxis(getStart());
  int64_t end = getEnd() ? clampAxis(*getEnd()) : rank;
  SmallVector<int64_t> dims;
  for (int64_t d = start; d < end; ++d) {
    if (inputType.isDynamicDim(d))
      return {};
    dims.push_back(inputType.getDimSize(d));
  }
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() != (int64_t)dims.size())
    return {};
  return DenseElementsAttr::get(type, ArrayRef<int64_t>(dims));
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  // 1-D constants (shape vectors) concatenate into one.
  if (getType().getRank() != 1 || !getType().hasStaticShape())
    return {};
  SmallVector<Attribute> values;
  for (Attribute input : adaptor.getInputs()) {
    auto dense = asDense(input);
    if (!dense)
      return {};
    llvm::append_range(values, dense.getValues<Attribute>());
  }
  if ((int64_t)values.size() != getType().getNumElements())
    return {};
  return DenseElementsAttr::get(getType(), values);
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  // Gathering from a 1-D constant (a shape vector) by constant indices.
  auto data = asDense(adaptor.getData());
  auto indices = asDense(adaptor.getIndices());
  if (!data || !indices || data.getType().getRank() != 1 ||
      !getType().hasStaticShape())
    return {};
  int64_t size = data.getNumElements();
  auto values = llvm::to_vector(data.getValues<Attribute>());
  SmallVector<Attribute> result;
  for (APInt index : indices.getValues<APInt>()) {
    int64_t i = index.getSExtValue();
    if (i < 0)
      i += size;
    if (i < 0 || i >= size)
      return {};
    result.push_back(values[i]);
  }
  if ((int64_t)result.size() != getType().getNumElements())
    return {};
  return DenseElementsAttr::get(getType(), result);
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  // Slicing a 1-D constant (a shape vector) with constant bounds:
  // i = start, start + step, ... while i < end (step > 0) or i > end.
  auto data = asDense(adaptor.getInput());
  auto starts = asDense(adaptor.getStarts()), ends = asDense(adaptor.getEnds());
  auto axes = asDense(adaptor.getAxes()), steps = asDense(adaptor.getSteps());
  if (!data || !starts || !ends || !axes || !steps ||
      data.getType().getRank() != 1 || starts.getNumElements() != 1 ||
      !getType().hasStaticShape())
    return {};
  int64_t size = data.getNumElements();
  int64_t axis = (*axes.getValues<APInt>().begin()).getSExtValue();
  if (axis != 0 && axis != -1)
    return {};
  int64_t start = (*starts.getValues<APInt>().begin()).getSExtValue();
  int64_t end = (*ends.getValues<APInt>().begin()).getSExtValue();
  int64_t step = (*steps.getValues<APInt>().begin()).getSExtValue();
  if (step == 0)
    return {};
  SliceBounds bounds = normalizeSliceBounds(size, start, end, step);
  start = bounds.start;
  end = bounds.end;
  auto values = llvm::to_vector(data.getValues<Attribute>());
  SmallVector<Attribute> result;
  for (int64_t i = start; step > 0 ? i < end : i > end; i += step)
    result.push_back(values[i]);
  if ((int64_t)result.size() != getType().getNumElements())
    return {};
  return DenseElementsAttr::get(getType(), result);
}

//===----------------------------------------------------------------------===//
// Canonicalization patterns
//===----------------------------------------------------------------------===//

namespace {
/// transpose(transpose(x, p1), p2) -> transpose(x, p1[p2[i]]).
struct MergeConsecutiveTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<TransposeOp>();
    if (!producer)
      return failure();
    // y[i] = t[p2[i]] = x[p1[p2[i]]].
    SmallVector<int64_t> perm;
    for (int64_t axis : op.getPerm())
      perm.push_back(producer.getPerm()[axis]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(),
                                             producer.getInput(), perm);
    return success();
  }
};

/// reshape(reshape(x, s1), s2) -> reshape(x, s2): only the last shape counts.
/// Only when the outer shape has no 0 (copy-dim) entries unless allowzero,
/// since those refer to the intermediate shape.
struct MergeConsecutiveReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<ReshapeOp>();
    if (!producer)
      return failure();
    DenseIntElementsAttr shape;
    if (!matchPattern(op.getShape(), m_Constant(&shape)))
      return failure();
    if (!op.getAllowzero() &&
        llvm::any_of(shape.getValues<APInt>(),
                     [](const APInt &v) { return v.isZero(); }))
      return failure();
    rewriter.modifyOpInPlace(
        op, [&] { op.getInputMutable().assign(producer.getInput()); });
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<MergeConsecutiveTransposes>(context);
}

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<MergeConsecutiveReshapes>(context);
}

// The float functions of the elementwise unary ops, on constants.
OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) { return std::fabs(x); });
}
OpFoldResult ExpOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) { return std::exp(x); });
}
OpFoldResult LogOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) { return std::log(x); });
}
OpFoldResult ReciprocalOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) { return 1.0 / x; });
}
OpFoldResult SigmoidOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
}
OpFoldResult TanhOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) { return std::tanh(x); });
}
OpFoldResult ErfOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) { return std::erf(x); });
}
OpFoldResult FloorOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) { return std::floor(x); });
}
OpFoldResult CeilOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) { return std::ceil(x); });
}
OpFoldResult SinOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) { return std::sin(x); });
}
OpFoldResult CosOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) { return std::cos(x); });
}
