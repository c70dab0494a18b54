//===- DSCOps.cpp - dsc op verifiers ---------------------------------------===//
//
// Verifiers of the dsc ops: the shape rules ONNX states for each op, checked
// wherever the dims are known at compile time (dynamic dims pass).
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace dsc;

static bool isDynamic(int64_t dim) { return ShapedType::isDynamic(dim); }

/// Two dims agree when either is dynamic or they are equal.
static bool dimsAgree(int64_t a, int64_t b) {
  return isDynamic(a) || isDynamic(b) || a == b;
}

static RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

LogicalResult dsc::broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                                   SmallVectorImpl<int64_t> &result) {
  // Right-align the shapes; each pair of dims must be equal or contain a 1.
  size_t rank = std::max(lhs.size(), rhs.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a == 1)
      result[i] = b;
    else if (b == 1)
      result[i] = a;
    else if (isDynamic(a))
      result[i] = b;
    else if (isDynamic(b) || a == b)
      result[i] = a;
    else
      return failure();
  }
  return success();
}

SliceBounds dsc::normalizeSliceBounds(int64_t size, int64_t start, int64_t end,
                                     int64_t step) {
  if (start < 0)
    start += size;
  if (end < 0)
    end += size;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, size);
    end = std::clamp<int64_t>(end, 0, size);
    return {start, end, std::max<int64_t>(0, (end - start + step - 1) / step)};
  }
  start = std::clamp<int64_t>(start, 0, size - 1);
  end = std::clamp<int64_t>(end, -1, size - 1);
  return {start, end, std::max<int64_t>(0, (start - end - step - 1) / -step)};
}

/// Checks that `resultShape` could be the broadcast of the operand shapes.
static LogicalResult verifyBroadcastResult(Operation *op,
                                           ArrayRef<Value> operands) {
  SmallVector<int64_t> shape;
  for (Value operand : operands) {
    SmallVector<int64_t> next;
    if (failed(broadcastShapes(shape, rankedType(operand).getShape(), next)))
      return op->emitOpError("operands are not broadcast-compatible");
    shape = std::move(next);
  }
  auto resultShape = rankedType(op->getResult(0)).getShape();
  if (resultShape.size() != shape.size())
    return op->emitOpError("result rank ")
           << resultShape.size() << " differs from the broadcast rank "
           << shape.size();
  for (auto [expected, actual] : llvm::zip(shape, resultShape))
    if (!dimsAgree(expected, actual))
      return op->emitOpError("result shape does not match the broadcast of "
                             "the operands");
  return success();
}

#define DSC_BINARY_VERIFIER(OP)                                                \
  LogicalResult OP::verify() {                                                 \
    return verifyBroadcastResult(*this, {getLhs(), getRhs()});                 \
  }
DSC_BINARY_VERIFIER(AddOp)
DSC_BINARY_VERIFIER(SubOp)
DSC_BINARY_VERIFIER(MulOp)
DSC_BINARY_VERIFIER(DivOp)
DSC_BINARY_VERIFIER(PowOp)
DSC_BINARY_VERIFIER(MaxOp)
DSC_BINARY_VERIFIER(MinOp)
DSC_BINARY_VERIFIER(ModOp)
DSC_BINARY_VERIFIER(PReluOp)
DSC_BINARY_VERIFIER(AndOp)
DSC_BINARY_VERIFIER(OrOp)
DSC_BINARY_VERIFIER(XorOp)
DSC_BINARY_VERIFIER(EqualOp)
DSC_BINARY_VERIFIER(LessOp)
DSC_BINARY_VERIFIER(LessOrEqualOp)
DSC_BINARY_VERIFIER(GreaterOp)
DSC_BINARY_VERIFIER(GreaterOrEqualOp)
#undef DSC_BINARY_VERIFIER

//===----------------------------------------------------------------------===//
// ClipOp
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  for (Value bound : {getMin(), getMax()})
    if (rankedType(bound).hasStaticShape() &&
        rankedType(bound).getNumElements() != 1)
      return emitOpError("expects scalar min and max");
  if (rankedType(getInput()).getShape() != getType().getShape())
    return emitOpError("result shape differs from the input shape");
  return success();
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

/// Shared checks of conv-like ops: ranks, attribute lengths, groups.
static LogicalResult verifyConvLike(Operation *op, Value input, Value weight,
                                    ArrayRef<int64_t> strides,
                                    ArrayRef<int64_t> pads,
                                    ArrayRef<int64_t> dilations, int64_t group,
                                    bool transposed) {
  auto inputType = rankedType(input);
  auto weightType = rankedType(weight);
  int64_t rank = inputType.getRank();
  if (rank < 3)
    return op->emitOpError("expects an input of rank >= 3 (N, C, spatial...), "
                           "got rank ")
           << rank;
  if (weightType.getRank() != rank)
    return op->emitOpError("expects a weight of rank ")
           << rank << " like the input, got rank " << weightType.getRank();
  int64_t spatial = rank - 2;
  if ((int64_t)strides.size() != spatial ||
      (int64_t)dilations.size() != spatial ||
      (int64_t)pads.size() != 2 * spatial)
    return op->emitOpError("expects ")
           << spatial << " strides and dilations and " << 2 * spatial
           << " pads";
  if (llvm::any_of(strides, [](int64_t s) { return s <= 0; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d <= 0; }))
    return op->emitOpError("expects positive strides and dilations");
  if (group <= 0)
    return op->emitOpError("expects a positive group count");
  int64_t channels = inputType.getDimSize(1);
  if (!transposed) {
    int64_t weightChannels = weightType.getDimSize(1);
    if (!isDynamic(channels) && !isDynamic(weightChannels) &&
        channels != weightChannels * group)
      return op->emitOpError("expects weight channels (")
             << weightChannels << ") times group (" << group
             << ") to match input channels (" << channels << ")";
  } else {
    int64_t weightChannels = weightType.getDimSize(0);
    if (!dimsAgree(channels, weightChannels))
      return op->emitOpError("expects weight dim 0 (")
             << weightChannels << ") to match input channels (" << channels
             << ")";
  }
  return success();
}

/// dsc.conv and dsc.conv_fused: the conv geometry, filters divisible by the
/// groups, and a bias of one value per filter.
template <typename Conv>
static LogicalResult verifyConv(Conv op) {
  if (failed(verifyConvLike(op, op.getInput(), op.getWeight(), op.getStrides(),
                            op.getPads(), op.getDilations(), op.getGroup(), false)))
    return failure();
  int64_t filters = rankedType(op.getWeight()).getDimSize(0);
  if (!isDynamic(filters) && filters % op.getGroup() != 0)
    return op.emitOpError("expects filters (")
           << filters << ") divisible by group (" << op.getGroup() << ")";
  if (op.getBias() && (rankedType(op.getBias()).getRank() != 1 ||
                       !dimsAgree(rankedType(op.getBias()).getDimSize(0), filters)))
    return op.emitOpError("expects a 1-D bias of ") << filters << " elements";
  return success();
}

LogicalResult ConvOp::verify() { return verifyConv(*this); }

LogicalResult ConvTransposeOp::verify() {
  if (failed(verifyConvLike(*this, getInput(), getWeight(), getStrides(),
                            getPads(), getDilations(), getGroup(), true)))
    return failure();
  if (getOutputPadding().size() != getStrides().size())
    return emitOpError("expects one output_padding per spatial axis");
  return success();
}

/// The epilogue of the fused ops: a known activation and a residual of the
/// result's shape.
static LogicalResult verifyEpilogue(Operation *op, StringRef activation,
                                    Value residual) {
  static constexpr llvm::StringLiteral activations[] = {
      "none",         "relu",       "clip",    "leaky_relu", "hard_sigmoid",
      "hard_swish",   "sigmoid",    "swish",   "tanh"};
  if (!llvm::is_contained(activations, activation))
    return op->emitOpError("unknown activation '") << activation << "'";
  if (residual &&
      rankedType(residual).getShape() != rankedType(op->getResult(0)).getShape())
    return op->emitOpError("expects the residual to have the result's shape");
  return success();
}

LogicalResult ConvFusedOp::verify() {
  if (failed(verifyConv(*this)))
    return failure();
  return verifyEpilogue(*this, getActivation(), getResidual());
}

LogicalResult MatMulWeightOnlyOp::verify() {
  auto a = cast<RankedTensorType>(getA().getType());
  auto w = cast<RankedTensorType>(getWeight().getType());
  auto scales = cast<RankedTensorType>(getScales().getType());
  int64_t block = getBlockSize();
  if (w.getRank() != 2 || !isa<IntegerType>(w.getElementType()) ||
      (w.getElementTypeBitWidth() != 4 && w.getElementTypeBitWidth() != 8))
    return emitOpError("weight must be a 2-D int4 or int8 tensor");
  if (!scales.getElementType().isF16() || scales.getRank() != 2)
    return emitOpError("scales must be a 2-D float16 tensor");
  if (block <= 0 || !w.hasStaticShape() || w.getDimSize(0) % block != 0 ||
      scales.getDimSize(0) != w.getDimSize(0) / block ||
      scales.getDimSize(1) != w.getDimSize(1))
    return emitOpError("scales must be [K / block_size, N] for a weight [K, N] with K a "
                       "multiple of block_size");
  if (a.getRank() < 1 || a.getDimSize(a.getRank() - 1) != w.getDimSize(0))
    return emitOpError("a's last dim must be the weight's K");
  return success();
}

LogicalResult MatMulFusedOp::verify() {
  auto aType = rankedType(getA()), bType = rankedType(getB());
  if (aType.getRank() < 2 || bType.getRank() != 2)
    return emitOpError("expects a of rank >= 2 and a 2-D b");
  int64_t k = bType.getDimSize(getTransB() ? 1 : 0);
  int64_t n = bType.getDimSize(getTransB() ? 0 : 1);
  if (!dimsAgree(aType.getShape().back(), k))
    return emitOpError("inner dimensions differ: ")
           << aType.getShape().back() << " vs " << k;
  if (getBias() && (rankedType(getBias()).getRank() != 1 ||
                    !dimsAgree(rankedType(getBias()).getDimSize(0), n)))
    return emitOpError("expects a 1-D bias of ") << n << " elements";
  return verifyEpilogue(*this, getActivation(), getResidual());
}

//===----------------------------------------------------------------------===//
// GemmOp, MatMulOp
//===----------------------------------------------------------------------===//

LogicalResult GemmOp::verify() {
  auto aType = rankedType(getA()), bType = rankedType(getB());
  if (aType.getRank() != 2 || bType.getRank() != 2)
    return emitOpError("expects 2-D operands, got ranks ")
           << aType.getRank() << " and " << bType.getRank();
  int64_t k1 = aType.getDimSize(getTransA() ? 0 : 1);
  int64_t k2 = bType.getDimSize(getTransB() ? 1 : 0);
  if (!dimsAgree(k1, k2))
    return emitOpError("inner dimensions differ: ") << k1 << " vs " << k2;
  return success();
}

LogicalResult MatMulOp::verify() {
  auto aType = rankedType(getA()), bType = rankedType(getB());
  if (aType.getRank() == 0 || bType.getRank() == 0)
    return emitOpError("expects operands of rank >= 1");
  int64_t k1 = aType.getShape().back();
  int64_t k2 = bType.getRank() == 1 ? bType.getDimSize(0)
                                    : bType.getDimSize(bType.getRank() - 2);
  if (!dimsAgree(k1, k2))
    return emitOpError("inner dimensions differ: ") << k1 << " vs " << k2;
  return success();
}

//===----------------------------------------------------------------------===//
// ElementwiseOp
//===----------------------------------------------------------------------===//

LogicalResult ElementwiseOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError("expects one body argument per input, got ")
           << body.getNumArguments() << " for " << getInputs().size();
  auto result = rankedType(getOutput());
  for (auto [input, arg] : llvm::zip(getInputs(), body.getArguments())) {
    auto inputType = rankedType(input);
    auto argType = dyn_cast<RankedTensorType>(arg.getType());
    if (!argType || argType.getRank() != 0 ||
        argType.getElementType() != inputType.getElementType())
      return emitOpError("expects body arguments of rank-0 tensors of the inputs' "
                         "element types");
    if (inputType.getRank() > result.getRank())
      return emitOpError("expects inputs that broadcast to the result");
    for (int64_t i = 0; i < inputType.getRank(); ++i) {
      int64_t dim = inputType.getDimSize(inputType.getRank() - 1 - i);
      if (dim != 1 && !dimsAgree(dim, result.getDimSize(result.getRank() - 1 - i)))
        return emitOpError("expects inputs that broadcast to the result");
    }
  }
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield || yield.getValues().size() != 1)
    return emitOpError("expects the body to yield one value");
  auto yielded = dyn_cast<RankedTensorType>(yield.getValues()[0].getType());
  if (!yielded || yielded.getRank() != 0 ||
      yielded.getElementType() != result.getElementType())
    return emitOpError("expects the body to yield a rank-0 tensor of the result's "
                       "element type");
  return success();
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::verify() {
  auto q = rankedType(getQ()), k = rankedType(getK()), v = rankedType(getV());
  auto y = rankedType(getOutput());
  int64_t rank = q.getRank();
  if (rank < 2 || k.getRank() != rank || v.getRank() != rank || y.getRank() != rank)
    return emitOpError("expects q, k, v and the result of one rank >= 2");
  for (int64_t i = 0; i < rank - 2; ++i)
    if (!dimsAgree(q.getDimSize(i), k.getDimSize(i)) ||
        !dimsAgree(q.getDimSize(i), v.getDimSize(i)) ||
        !dimsAgree(q.getDimSize(i), y.getDimSize(i)))
      return emitOpError("expects the same batch dims on q, k, v and the result");
  if (!dimsAgree(q.getDimSize(rank - 1), k.getDimSize(rank - 1)))
    return emitOpError("query and key depths differ: ")
           << q.getDimSize(rank - 1) << " vs " << k.getDimSize(rank - 1);
  if (!dimsAgree(k.getDimSize(rank - 2), v.getDimSize(rank - 2)))
    return emitOpError("key and value lengths differ: ")
           << k.getDimSize(rank - 2) << " vs " << v.getDimSize(rank - 2);
  if (!dimsAgree(y.getDimSize(rank - 2), q.getDimSize(rank - 2)) ||
      !dimsAgree(y.getDimSize(rank - 1), v.getDimSize(rank - 1)))
    return emitOpError("expects a result of [..., query length, value depth]");
  if (Value mask = getMask()) {
    auto m = rankedType(mask);
    // Broadcast from the right onto the scores [..., l, j].
    SmallVector<int64_t> scores(q.getShape());
    scores.back() = k.getDimSize(rank - 2);
    if (m.getRank() > rank)
      return emitOpError("expects a mask of rank <= ") << rank;
    for (int64_t i = 0; i < m.getRank(); ++i) {
      int64_t dim = m.getDimSize(m.getRank() - 1 - i);
      if (dim != 1 && !dimsAgree(dim, scores[rank - 1 - i]))
        return emitOpError("mask does not broadcast to the scores");
    }
    Type element = m.getElementType();
    if (!element.isInteger(1) && element != q.getElementType())
      return emitOpError("expects an i1 or ") << q.getElementType() << " mask";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  auto inputType = rankedType(getInput());
  if (inputType.getRank() < 2)
    return emitOpError("expects an input of rank >= 2");
  int64_t channels = inputType.getDimSize(1);
  for (Value param : {getScale(), getBias(), getMean(), getVariance()}) {
    auto type = rankedType(param);
    if (type.getRank() != 1 || !dimsAgree(type.getDimSize(0), channels))
      return emitOpError("expects 1-D parameters of ")
             << channels << " channels, got " << type;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ReshapeOp, TransposeOp, ConcatOp
//===----------------------------------------------------------------------===//

/// Reshape-like ops keep the element type and, when both shapes are static,
/// the element count.
static LogicalResult verifyReshapeLike(Operation *op, Value input,
                                       RankedTensorType result) {
  auto inputType = rankedType(input);
  if (inputType.getElementType() != result.getElementType())
    return op->emitOpError("changes the element type from ")
           << inputType.getElementType() << " to " << result.getElementType();
  if (inputType.hasStaticShape() && result.hasStaticShape() &&
      inputType.getNumElements() != result.getNumElements())
    return op->emitOpError("cannot reshape ")
           << inputType.getNumElements() << " elements into "
           << result.getNumElements();
  return success();
}

LogicalResult FlattenOp::verify() {
  if (getType().getRank() != 2)
    return emitOpError("expects a 2-D result");
  return verifyReshapeLike(*this, getInput(), getType());
}
LogicalResult SqueezeOp::verify() {
  return verifyReshapeLike(*this, getInput(), getType());
}
LogicalResult UnsqueezeOp::verify() {
  return verifyReshapeLike(*this, getInput(), getType());
}

LogicalResult ShapeOp::verify() {
  if (getType().getRank() != 1 || !getType().getElementType().isInteger(64))
    return emitOpError("expects a 1-D i64 result, got ") << getType();
  return success();
}

LogicalResult ReshapeOp::verify() {
  auto inputType = rankedType(getInput());
  if (inputType.getElementType() != getType().getElementType())
    return emitOpError("changes the element type from ")
           << inputType.getElementType() << " to "
           << getType().getElementType();
  auto shapeType = rankedType(getShape());
  if (shapeType.getRank() != 1)
    return emitOpError("expects a 1-D shape operand");
  if (!isDynamic(shapeType.getDimSize(0)) &&
      shapeType.getDimSize(0) != getType().getRank())
    return emitOpError("shape operand has ")
           << shapeType.getDimSize(0) << " elements but the result has rank "
           << getType().getRank();
  if (inputType.hasStaticShape() && getType().hasStaticShape() &&
      inputType.getNumElements() != getType().getNumElements())
    return emitOpError("cannot reshape ")
           << inputType.getNumElements() << " elements into "
           << getType().getNumElements();
  return success();
}

LogicalResult TransposeOp::verify() {
  auto inputType = rankedType(getInput());
  ArrayRef<int64_t> perm = getPerm();
  if ((int64_t)perm.size() != inputType.getRank())
    return emitOpError("perm has ")
           << perm.size() << " entries for an input of rank "
           << inputType.getRank();
  SmallVector<bool> seen(perm.size(), false);
  for (int64_t axis : perm) {
    if (axis < 0 || axis >= (int64_t)perm.size() || seen[axis])
      return emitOpError("perm is not a permutation");
    seen[axis] = true;
  }
  for (auto [i, axis] : llvm::enumerate(perm))
    if (!dimsAgree(getType().getDimSize(i), inputType.getDimSize(axis)))
      return emitOpError("result dim ")
             << i << " should equal input dim " << axis;
  return success();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("expects at least one input");
  int64_t rank = getType().getRank();
  int64_t axis = getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank " << rank;
  int64_t total = 0;
  for (Value input : getInputs()) {
    auto type = rankedType(input);
    if (type.getRank() != rank)
      return emitOpError("expects inputs of rank ") << rank;
    if (type.getElementType() != getType().getElementType())
      return emitOpError("expects inputs of element type ")
             << getType().getElementType();
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && !dimsAgree(type.getDimSize(d), getType().getDimSize(d)))
        return emitOpError("input dim ") << d << " differs from the result's";
    if (isDynamic(type.getDimSize(axis)) || isDynamic(total))
      total = ShapedType::kDynamic;
    else
      total += type.getDimSize(axis);
  }
  if (!dimsAgree(total, getType().getDimSize(axis)))
    return emitOpError("result dim ")
           << axis << " should be the sum of the inputs' (" << total << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// IfOp, LoopOp
//===----------------------------------------------------------------------===//

/// The yield of `region` must produce values compatible with `types`.
/// The dsc.yield ending `region`, or null (after an error) when it ends
/// otherwise.
static YieldOp getYield(Operation *op, Region &region, StringRef what) {
  if (region.empty() || region.front().empty())
    return op->emitOpError() << what << " is empty", YieldOp();
  auto yield = dyn_cast<YieldOp>(region.front().back());
  if (!yield)
    op->emitOpError() << what << " must end with dsc.yield";
  return yield;
}

static LogicalResult verifyYieldTypes(Operation *op, Region &region,
                                      TypeRange types, StringRef what) {
  YieldOp yield = getYield(op, region, what);
  if (!yield)
    return failure();
  if (yield.getValues().size() != types.size())
    return op->emitOpError() << what << " yields " << yield.getValues().size()
                             << " values, expected " << types.size();
  for (auto [value, type] : llvm::zip(yield.getValues(), types)) {
    auto yielded = cast<RankedTensorType>(value.getType());
    auto expected = cast<RankedTensorType>(type);
    if (yielded.getElementType() != expected.getElementType() ||
        failed(verifyCompatibleShape(yielded, expected)))
      return op->emitOpError() << what << " yields " << yielded
                               << " where " << expected << " is expected";
  }
  return success();
}

LogicalResult IfOp::verify() {
  if (getCondition().getType().hasStaticShape() &&
      getCondition().getType().getNumElements() != 1)
    return emitOpError("expects a single-element condition");
  if (failed(verifyYieldTypes(*this, getThenBranch(), getResultTypes(),
                              "then branch")) ||
      failed(verifyYieldTypes(*this, getElseBranch(), getResultTypes(),
                              "else branch")))
    return failure();
  return success();
}

/// Same element type and compatible shapes.
static bool typesCompatible(Type a, Type b) {
  auto ta = cast<RankedTensorType>(a), tb = cast<RankedTensorType>(b);
  return ta.getElementType() == tb.getElementType() &&
         succeeded(verifyCompatibleShape(ta, tb));
}

LogicalResult LoopOp::verify() {
  YieldOp yield = getYield(*this, getBody(), "body");
  if (!yield)
    return failure();
  Block &body = getBody().front();
  size_t carried = getInitialValues().size();
  if (body.getNumArguments() != carried + 2)
    return emitOpError("body takes ")
           << body.getNumArguments() << " arguments, expected " << carried + 2
           << " (iteration, condition, loop-carried values)";
  auto i64Scalar = RankedTensorType::get({}, IntegerType::get(getContext(), 64));
  auto i1Scalar = RankedTensorType::get({}, IntegerType::get(getContext(), 1));
  if (body.getArgument(0).getType() != i64Scalar ||
      body.getArgument(1).getType() != i1Scalar)
    return emitOpError("body arguments 0 and 1 must be tensor<i64> (the "
                       "iteration) and tensor<i1> (the condition)");
  if (yield.getValues().size() < carried + 1)
    return emitOpError("body yields too few values");
  if (yield.getValues()[0].getType() != i1Scalar)
    return emitOpError("body must yield the condition (tensor<i1>) first");
  if (getNumResults() != yield.getValues().size() - 1)
    return emitOpError("expects one result per loop-carried value and scan "
                       "output");
  for (size_t i = 0; i < carried; ++i) {
    Type initial = getInitialValues()[i].getType();
    if (!typesCompatible(initial, body.getArgument(i + 2).getType()) ||
        !typesCompatible(initial, yield.getValues()[i + 1].getType()) ||
        !typesCompatible(initial, getResult(i).getType()))
      return emitOpError("loop-carried value ")
             << i << " has different types as initial value, body argument, "
                     "yielded value and result";
  }
  for (size_t i = carried; i < getNumResults(); ++i) {
    auto scan = cast<RankedTensorType>(yield.getValues()[i + 1].getType());
    auto result = cast<RankedTensorType>(getResult(i).getType());
    if (result.getRank() != scan.getRank() + 1 ||
        result.getElementType() != scan.getElementType() ||
        failed(verifyCompatibleShape(result.getShape().drop_front(),
                                     scan.getShape())))
      return emitOpError("scan output ")
             << i - carried << " must stack the yielded " << scan
             << " along a new leading axis, got " << result;
  }
  return success();
}

#define GET_OP_CLASSES
#include "dsc/Dialect/DSC/IR/DSCOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

std::string dsc::layerName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(op->getLoc()))
    for (Location inner : fused.getLocations())
      if (auto name = dyn_cast<NameLoc>(inner))
        return name.getName().str();
  return op->getName().getStringRef().str();
}

bool dsc::isDepthwise(ConvOp conv) {
  auto input = cast<RankedTensorType>(conv.getInput().getType());
  int64_t channels = input.getRank() > 1 ? input.getDimSize(1) : 0;
  int64_t group = conv.getGroup();
  return group > 1 && group == channels &&
         cast<RankedTensorType>(conv.getWeight().getType()).getDimSize(0) == channels;
}

template <typename FusedOp>
static FusedEpilogue readEpilogue(FusedOp op) {
  FusedEpilogue e;
  e.bias = op.getBias();
  e.residual = op.getResidual();
  e.activation = op.getActivation();
  e.alpha = op.getActivationAlpha().convertToFloat();
  e.beta = op.getActivationBeta().convertToFloat();
  e.residualAfterActivation = op.getResidualAfterActivation();
  e.outputScale = op.getOutputScale().convertToFloat();
  e.outputShift = op.getOutputShift().convertToFloat();
  return e;
}

FusedEpilogue FusedEpilogue::of(ConvFusedOp op) { return readEpilogue(op); }
FusedEpilogue FusedEpilogue::of(MatMulFusedOp op) { return readEpilogue(op); }
