//===- DSCToLinalg.cpp - Lower dsc ops to linalg/tensor/arith/math ---------===//
//
// Each dsc op becomes upstream ops on tensors of the same types:
//   - elementwise ops: one linalg.generic whose indexing maps implement ONNX
//     broadcasting (a size-1 operand dim reads index 0);
//   - conv (any group), pooling: tensor.pad, then a linalg.generic over
//     (output dims..., reduction dims...) with strided/dilated input maps;
//   - gemm/matmul: linalg.matmul / linalg.batch_matmul plus epilogues;
//   - normalisations, softmax and reductions: linalg.generic reductions;
//   - reshape family, transpose, concat, slice, pad: tensor/linalg ops.
// Shapes must be static. Anything else is reported with the op's location
// (the ONNX node name) and the pass fails.
//
//===----------------------------------------------------------------------===//

#include "dsc/Conversion/Passes.h"

#include "KernelCalls.h"
#include "dsc/Dialect/DSC/IR/DSCOps.h"
#include "dsc/Dialect/DSC/Transforms/Weights.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

namespace dsc {
#define GEN_PASS_DEF_CONVERTDSCTOLINALG
#include "dsc/Conversion/Passes.h.inc"
} // namespace dsc

using namespace mlir;
using namespace dsc;

namespace {

using utils::IteratorType;

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Builds a scalar constant of `type` (float or integer).
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(floatType, value));
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(type, (int64_t)value));
}

/// The lowest value of a float type: the identity of max.
Value lowestValue(OpBuilder &b, Location loc, Type type) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return b.create<arith::ConstantOp>(
        loc, b.getFloatAttr(floatType,
                            APFloat::getInf(floatType.getFloatSemantics(), true)));
  unsigned width = type.getIntOrFloatBitWidth();
  return b.create<arith::ConstantOp>(
      loc, b.getIntegerAttr(type, APInt::getSignedMinValue(width)));
}

/// An empty tensor of `type`, optionally filled with `fill`.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                  Value fill = {}) {
  Value empty =
      b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  if (!fill)
    return empty;
  return b.create<linalg::FillOp>(loc, fill, empty).getResult(0);
}

/// The indexing map reading `operandType` broadcast to a result of rank
/// `resultRank` (right-aligned; a size-1 dim of the operand reads index 0
/// where the result dim is not 1).
AffineMap broadcastMap(MLIRContext *ctx, RankedTensorType operandType,
                       RankedTensorType resultType) {
  int64_t rank = resultType.getRank();
  int64_t offset = rank - operandType.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < operandType.getRank(); ++d) {
    if (operandType.getDimSize(d) == 1 &&
        resultType.getDimSize(d + offset) != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(d + offset, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

using ScalarFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// One linalg.generic computing `fn` elementwise over broadcast operands.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange operands, ScalarFn fn) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value operand : operands)
    maps.push_back(broadcastMap(ctx, tensorType(operand), resultType));
  maps.push_back(AffineMap::getMultiDimIdentityMap(resultType.getRank(), ctx));
  SmallVector<IteratorType> iterators(resultType.getRank(),
                                      IteratorType::parallel);
  Value init = emptyTensor(b, loc, resultType);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, operands, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value result = fn(nb, nloc, args.drop_back());
        nb.create<linalg::YieldOp>(nloc, result);
      });
  return generic.getResult(0);
}

/// Reads a constant operand as integers.
FailureOr<SmallVector<int64_t>> constantInts(Value value) {
  DenseIntElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return failure();
  SmallVector<int64_t> result;
  for (APInt v : attr.getValues<APInt>())
    result.push_back(v.getSExtValue());
  return result;
}

/// Reads a scalar float constant (e.g. clip bounds).
FailureOr<double> constantScalar(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || attr.getNumElements() != 1)
    return failure();
  if (isa<FloatType>(attr.getElementType()))
    return (*attr.getValues<APFloat>().begin()).convertToDouble();
  return (double)(*attr.getValues<APInt>().begin()).getSExtValue();
}

/// A constant's value in the signless type `type` (see makeSignless): the
/// same bits for unsigned integers, 4-bit values widened to 8 bits.
FailureOr<TypedAttr> signlessValue(ElementsAttr value, RankedTensorType type) {
  if (value.getType() == type)
    return cast<TypedAttr>(value);
  Type source = value.getElementType();
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (source.getIntOrFloatBitWidth() == type.getElementTypeBitWidth())
      return cast<TypedAttr>(dense.bitcast(type.getElementType()));
    unsigned width = type.getElementTypeBitWidth();
    SmallVector<APInt> widened;
    for (APInt v : dense.getValues<APInt>())
      widened.push_back(source.isUnsignedInteger() ? v.zext(width) : v.sext(width));
    return cast<TypedAttr>(DenseElementsAttr::get(type, widened));
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    if (source.getIntOrFloatBitWidth() == type.getElementTypeBitWidth())
      return cast<TypedAttr>(DenseResourceElementsAttr::get(type, resource.getRawHandle()));
  return failure();
}

//===----------------------------------------------------------------------===//
// Scalar math
//===----------------------------------------------------------------------===//

Value sigmoid(OpBuilder &b, Location loc, Value x) {
  // 1 / (1 + e^-x)
  Value one = scalarConstant(b, loc, x.getType(), 1.0);
  Value e = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, x));
  return b.create<arith::DivFOp>(loc, one, b.create<arith::AddFOp>(loc, one, e));
}

/// acc + x * y, in float or (wrapping) integer arithmetic by the type.
Value multiplyAdd(OpBuilder &b, Location loc, Value acc, Value x, Value y) {
  if (isa<FloatType>(acc.getType()))
    return b.create<arith::AddFOp>(loc, acc, b.create<arith::MulFOp>(loc, x, y));
  return b.create<arith::AddIOp>(loc, acc, b.create<arith::MulIOp>(loc, x, y));
}

Value clamp(OpBuilder &b, Location loc, Value x, Value lo, Value hi) {
  if (isa<FloatType>(x.getType())) {
    // x < lo ? lo : x, then > hi ? hi : it. A NaN x compares false and
    // stays NaN, as with maximumf/minimumf, but compare-and-select is one
    // max/min instruction on x86 where the IEEE-2019 maximum/minimum
    // expand to several (unordered compares and blends).
    Value low = b.create<arith::SelectOp>(
        loc, b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, x, lo), lo, x);
    return b.create<arith::SelectOp>(
        loc, b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, low, hi), hi, low);
  }
  return b.create<arith::MinSIOp>(loc, b.create<arith::MaxSIOp>(loc, x, lo), hi);
}

/// max(x, 0) for floats as x < 0 ? 0 : x (see clamp).
Value reluScalar(OpBuilder &b, Location loc, Value x) {
  Value zero = scalarConstant(b, loc, x.getType(), 0);
  return b.create<arith::SelectOp>(
      loc, b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, x, zero), zero, x);
}

/// The scalar body of a unary elementwise op; null when unsupported.
Value unaryScalar(Operation *op, OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  bool isFloat = isa<FloatType>(t);
  auto c = [&](double v) { return scalarConstant(b, loc, t, v); };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](IdentityOp) { return x; })
      .Case([&](DropoutOp) { return x; })
      .Case([&](AbsOp) -> Value {
        if (isFloat)
          return b.create<math::AbsFOp>(loc, x);
        return b.create<math::AbsIOp>(loc, x);
      })
      .Case([&](NegOp) -> Value {
        if (isFloat)
          return b.create<arith::NegFOp>(loc, x);
        return b.create<arith::SubIOp>(loc, c(0), x);
      })
      .Case([&](ReluOp) -> Value {
        if (isFloat)
          return reluScalar(b, loc, x);
        return b.create<arith::MaxSIOp>(loc, x, c(0));
      })
      .Case([&](ExpOp) -> Value { return b.create<math::ExpOp>(loc, x); })
      .Case([&](LogOp) -> Value { return b.create<math::LogOp>(loc, x); })
      .Case([&](SqrtOp) -> Value { return b.create<math::SqrtOp>(loc, x); })
      .Case([&](ReciprocalOp) -> Value {
        return b.create<arith::DivFOp>(loc, c(1), x);
      })
      .Case([&](SigmoidOp) -> Value { return sigmoid(b, loc, x); })
      .Case([&](TanhOp) -> Value { return b.create<math::TanhOp>(loc, x); })
      .Case([&](ErfOp) -> Value { return b.create<math::ErfOp>(loc, x); })
      .Case([&](FloorOp) -> Value { return b.create<math::FloorOp>(loc, x); })
      .Case([&](CeilOp) -> Value { return b.create<math::CeilOp>(loc, x); })
      .Case([&](RoundOp) -> Value { return b.create<math::RoundEvenOp>(loc, x); })
      .Case([&](SinOp) -> Value { return b.create<math::SinOp>(loc, x); })
      .Case([&](CosOp) -> Value { return b.create<math::CosOp>(loc, x); })
      .Case([&](SignOp) -> Value {
        // (x > 0) - (x < 0)
        Value pos = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x, c(0));
        Value neg = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, x, c(0));
        return b.create<arith::SelectOp>(
            loc, pos, c(1), b.create<arith::SelectOp>(loc, neg, c(-1), c(0)));
      })
      .Case([&](SoftplusOp) -> Value {
        // ln(1 + e^x)
        return b.create<math::Log1pOp>(loc, b.create<math::ExpOp>(loc, x));
      })
      .Case([&](SoftsignOp) -> Value {
        // x / (1 + |x|)
        return b.create<arith::DivFOp>(
            loc, x, b.create<arith::AddFOp>(loc, c(1), b.create<math::AbsFOp>(loc, x)));
      })
      .Case([&](HardSigmoidOp hs) -> Value {
        // max(0, min(1, alpha*x + beta))
        Value y = b.create<arith::AddFOp>(
            loc, b.create<arith::MulFOp>(loc, x, c(hs.getAlpha().convertToDouble())),
            c(hs.getBeta().convertToDouble()));
        return clamp(b, loc, y, c(0), c(1));
      })
      .Case([&](HardSwishOp) -> Value {
        // x * max(0, min(1, x/6 + 1/2))
        Value y = b.create<arith::AddFOp>(
            loc, b.create<arith::MulFOp>(loc, x, c(1.0 / 6.0)), c(0.5));
        return b.create<arith::MulFOp>(loc, x, clamp(b, loc, y, c(0), c(1)));
      })
      .Case([&](LeakyReluOp lr) -> Value {
        Value neg = b.create<arith::MulFOp>(loc, x, c(lr.getAlpha().convertToDouble()));
        Value pos = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGE, x, c(0));
        return b.create<arith::SelectOp>(loc, pos, x, neg);
      })
      .Case([&](EluOp elu) -> Value {
        // x >= 0 ? x : alpha * (e^x - 1)
        Value neg = b.create<arith::MulFOp>(
            loc, c(elu.getAlpha().convertToDouble()),
            b.create<math::ExpM1Op>(loc, x));
        Value pos = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGE, x, c(0));
        return b.create<arith::SelectOp>(loc, pos, x, neg);
      })
      .Case([&](GeluOp gelu) -> Value {
        if (gelu.getApproximate() == "tanh") {
          // x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))
          Value x3 = b.create<arith::MulFOp>(loc, x, b.create<arith::MulFOp>(loc, x, x));
          Value inner = b.create<arith::MulFOp>(
              loc, c(std::sqrt(2.0 / M_PI)),
              b.create<arith::AddFOp>(loc, x,
                                      b.create<arith::MulFOp>(loc, c(0.044715), x3)));
          Value t = b.create<arith::AddFOp>(loc, c(1), b.create<math::TanhOp>(loc, inner));
          return b.create<arith::MulFOp>(loc, b.create<arith::MulFOp>(loc, x, c(0.5)), t);
        }
        // x/2 * (1 + erf(x / sqrt(2)))
        Value e = b.create<math::ErfOp>(loc, b.create<arith::MulFOp>(loc, x, c(M_SQRT1_2)));
        return b.create<arith::MulFOp>(
            loc, b.create<arith::MulFOp>(loc, x, c(0.5)),
            b.create<arith::AddFOp>(loc, c(1), e));
      })
      .Case([&](NotOp) -> Value {
        return b.create<arith::XOrIOp>(loc, x, c(1));
      })
      .Case([&](IsNaNOp) -> Value {
        return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, x, x);
      })
      .Default([](Operation *) { return Value(); });
}

/// The scalar body of a binary elementwise op; null when unsupported.
Value binaryScalar(Operation *op, OpBuilder &b, Location loc, Value lhs,
                   Value rhs) {
  bool isFloat = isa<FloatType>(lhs.getType());
  auto cmp = [&](arith::CmpFPredicate f, arith::CmpIPredicate i) -> Value {
    if (isFloat)
      return b.create<arith::CmpFOp>(loc, f, lhs, rhs);
    return b.create<arith::CmpIOp>(loc, i, lhs, rhs);
  };
  // The float or the signed-integer arith op, by element type.
  auto pick = [&](auto floatOp, auto intOp) -> Value {
    if (isFloat)
      return b.create<decltype(floatOp)>(loc, lhs, rhs);
    return b.create<decltype(intOp)>(loc, lhs, rhs);
  };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](AddOp) { return pick(arith::AddFOp(), arith::AddIOp()); })
      .Case([&](SubOp) { return pick(arith::SubFOp(), arith::SubIOp()); })
      .Case([&](MulOp) { return pick(arith::MulFOp(), arith::MulIOp()); })
      .Case([&](DivOp) { return pick(arith::DivFOp(), arith::DivSIOp()); })
      .Case([&](PowOp) -> Value {
        if (isFloat && rhs.getType() == lhs.getType())
          return b.create<math::PowFOp>(loc, lhs, rhs);
        return Value();
      })
      .Case([&](MaxOp) { return pick(arith::MaximumFOp(), arith::MaxSIOp()); })
      .Case([&](MinOp) { return pick(arith::MinimumFOp(), arith::MinSIOp()); })
      .Case([&](PReluOp) -> Value {
        Value zero = scalarConstant(b, loc, lhs.getType(), 0);
        Value pos = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGE, lhs, zero);
        return b.create<arith::SelectOp>(loc, pos, lhs,
                                         b.create<arith::MulFOp>(loc, lhs, rhs));
      })
      .Case([&](EqualOp) {
        return cmp(arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq);
      })
      .Case([&](LessOp) {
        return cmp(arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt);
      })
      .Case([&](LessOrEqualOp) {
        return cmp(arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle);
      })
      .Case([&](GreaterOp) {
        return cmp(arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt);
      })
      .Case([&](GreaterOrEqualOp) {
        return cmp(arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge);
      })
      .Case([&](AndOp) -> Value { return b.create<arith::AndIOp>(loc, lhs, rhs); })
      .Case([&](OrOp) -> Value { return b.create<arith::OrIOp>(loc, lhs, rhs); })
      .Case([&](XorOp) -> Value { return b.create<arith::XOrIOp>(loc, lhs, rhs); })
      .Default([](Operation *) { return Value(); });
}

/// Element type conversion with ONNX's rules (float to int truncates).
/// Integers are signless here; `fromUnsigned`/`toUnsigned` say how to read
/// and write them.
Value castScalar(OpBuilder &b, Location loc, Value x, Type to,
                 bool fromUnsigned = false, bool toUnsigned = false) {
  Type from = x.getType();
  if (from == to)
    return x;
  auto fromInt = dyn_cast<IntegerType>(from), toInt = dyn_cast<IntegerType>(to);
  if (isa<FloatType>(from) && isa<FloatType>(to))
    return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
               ? b.create<arith::ExtFOp>(loc, to, x).getResult()
               : b.create<arith::TruncFOp>(loc, to, x).getResult();
  if (isa<FloatType>(from) && toInt) {
    if (toInt.getWidth() == 1)
      return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, x,
                                     scalarConstant(b, loc, from, 0));
    if (toUnsigned)
      return b.create<arith::FPToUIOp>(loc, to, x);
    return b.create<arith::FPToSIOp>(loc, to, x);
  }
  if (fromInt && isa<FloatType>(to)) {
    if (fromInt.getWidth() == 1 || fromUnsigned)
      return b.create<arith::UIToFPOp>(loc, to, x);
    return b.create<arith::SIToFPOp>(loc, to, x);
  }
  if (fromInt && toInt) {
    if (toInt.getWidth() == 1)
      return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, x,
                                     scalarConstant(b, loc, from, 0));
    if (fromInt.getWidth() < toInt.getWidth())
      return fromInt.getWidth() == 1 || fromUnsigned
                 ? b.create<arith::ExtUIOp>(loc, to, x).getResult()
                 : b.create<arith::ExtSIOp>(loc, to, x).getResult();
    return b.create<arith::TruncIOp>(loc, to, x);
  }
  return {};
}

//===----------------------------------------------------------------------===//
// Op lowerings. Each returns the replacement values, or failure after an
// error naming the op.
//===----------------------------------------------------------------------===//

struct Lowering {
  OpBuilder &b;
  Operation *op;
  Location loc;
  /// The operand and result element types before the pass made integer
  /// types signless (see makeSignless): where they say unsigned, the values
  /// here hold the same bits in signless types.
  ArrayRef<Type> sourceOperandElements = {};
  ArrayRef<Type> sourceResultElements = {};
  /// Every dsc op's source element types (read for the ops inside
  /// dsc.elementwise bodies, which lower with their op).
  const DenseMap<Operation *, std::pair<SmallVector<Type>, SmallVector<Type>>> *bodySources =
      nullptr;
  /// Global average pools whose input is a per-tensor dequantize read by
  /// the pool alone (see lowerGlobalPool).
  const DenseMap<Operation *, DequantizeLinearOp> *dequantizedPoolInputs = nullptr;

  bool operandIsUnsigned(unsigned i) const {
    return i < sourceOperandElements.size() &&
           sourceOperandElements[i].isUnsignedInteger();
  }
  bool resultIsUnsigned(unsigned i = 0) const {
    return i < sourceResultElements.size() &&
           sourceResultElements[i].isUnsignedInteger();
  }

  InFlightDiagnostic unsupported(const Twine &why) {
    return op->emitError() << "the lowering does not support this "
                           << op->getName() << " yet: " << why;
  }

  RankedTensorType resultType(unsigned i = 0) {
    return cast<RankedTensorType>(op->getResult(i).getType());
  }

  /// Pads `input` (rank N+2, NC + spatial) with `value`.
  Value padSpatial(Value input, ArrayRef<int64_t> pads, Value value) {
    auto type = tensorType(input);
    int64_t spatial = type.getRank() - 2;
    if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
      return input;
    SmallVector<int64_t> low(type.getRank(), 0), high(type.getRank(), 0);
    SmallVector<int64_t> shape(type.getShape());
    for (int64_t i = 0; i < spatial; ++i) {
      low[i + 2] = pads[i];
      high[i + 2] = pads[i + spatial];
      shape[i + 2] += pads[i] + pads[i + spatial];
    }
    auto padded = RankedTensorType::get(shape, type.getElementType());
    auto pad = b.create<tensor::PadOp>(loc, padded, input,
                                       getAsIndexOpFoldResult(b.getContext(), low),
                                       getAsIndexOpFoldResult(b.getContext(), high),
                                       value);
    return pad.getResult();
  }

  FailureOr<SmallVector<Value>> elementwise() {
    auto result = resultType();
    Value value;
    if (op->getNumOperands() == 1 || isa<DropoutOp>(op)) {
      // Probe once to know the op is supported before building IR.
      value = buildElementwise(b, loc, result, op->getOperand(0),
                               [&](OpBuilder &nb, Location l, ValueRange a) {
                                 Value v = unaryScalar(op, nb, l, a[0]);
                                 return v ? v : a[0];
                               });
    } else {
      value = buildElementwise(b, loc, result, op->getOperands(),
                               [&](OpBuilder &nb, Location l, ValueRange a) {
                                 Value v = binaryScalar(op, nb, l, a[0], a[1]);
                                 return v ? v : a[0];
                               });
    }
    return SmallVector<Value>{value};
  }

  FailureOr<SmallVector<Value>> lowerCast(CastOp cast) {
    Type to = cast.getType().getElementType();
    Type from = tensorType(cast.getInput()).getElementType();
    if (!isa<FloatType, IntegerType>(from) || !isa<FloatType, IntegerType>(to))
      return unsupported("element types"), failure();
    bool fromUnsigned = operandIsUnsigned(0), toUnsigned = resultIsUnsigned();
    return SmallVector<Value>{buildElementwise(
        b, loc, cast.getType(), cast.getInput(),
        [&](OpBuilder &nb, Location l, ValueRange a) {
          return castScalar(nb, l, a[0], to, fromUnsigned, toUnsigned);
        })};
  }

  /// A chain of one 8-bit input (DequantizeLinear, activations, scalar
  /// math, QuantizeLinear: what int8 models run between their quantized
  /// convs) takes only 256 input values, so its body is evaluated at
  /// compile time for each of them:
  ///   table[b] = body(b)  for every bit pattern b of the input byte,
  /// and the loop becomes y[i] = table[zext(x[i])] (for 8-bit results a
  /// call of the runtime's vector lookup, dsc_lookup_u8). The body's scalar code
  /// is built for the 256 constants in a scratch function and folded by
  /// arith's and math's own folders; a body that does not fold to
  /// constants keeps the computed loop.
  std::optional<SmallVector<Attribute>> elementwiseTable(ElementwiseOp fused) {
    if (fused.getInputs().size() != 1)
      return std::nullopt;
    auto input = dyn_cast<IntegerType>(tensorType(fused.getInputs()[0]).getElementType());
    Type output = fused.getType().getElementType();
    if (!input || input.getWidth() != 8 || !output.isIntOrFloat() ||
        output.getIntOrFloatBitWidth() > 32)
      return std::nullopt;
    MLIRContext *ctx = b.getContext();
    OwningOpRef<ModuleOp> scratch = ModuleOp::create(loc);
    OpBuilder sb(ctx);
    sb.setInsertionPointToStart(scratch->getBody());
    auto fn = sb.create<func::FuncOp>(loc, "table", FunctionType::get(ctx, {}, {}));
    sb.setInsertionPointToStart(fn.addEntryBlock());
    SmallVector<Value> entries;
    Operation *unsupportedBodyOp = nullptr;
    for (int64_t v = 0; v < 256; ++v) {
      Value byte = sb.create<arith::ConstantOp>(loc, sb.getIntegerAttr(sb.getIntegerType(8), v));
      entries.push_back(emitElementwiseBody(fused, sb, loc, byte, unsupportedBodyOp));
      if (unsupportedBodyOp)
        return std::nullopt;
    }
    sb.create<func::ReturnOp>(loc, entries);
    fn.setType(FunctionType::get(ctx, {}, ValueRange(entries).getTypes()));
    GreedyRewriteConfig config;
    config.maxIterations = 4;
    (void)applyPatternsAndFoldGreedily(fn, FrozenRewritePatternSet(), config);
    SmallVector<Attribute> table;
    for (Value entry : fn.getBody().front().getTerminator()->getOperands()) {
      Attribute value;
      if (!matchPattern(entry, m_Constant(&value)) ||
          !isa<IntegerAttr, FloatAttr>(value))
        return std::nullopt;
      table.push_back(value);
    }
    return table;
  }

  /// The scalar code of a dsc.elementwise body for one set of inputs.
  Value emitElementwiseBody(ElementwiseOp fused, OpBuilder &nb, Location l, ValueRange args,
                            Operation *&unsupportedBodyOp) {
    Block &body = fused.getBody().front();
    IRMapping scalars;
    for (auto [arg, scalar] : llvm::zip(body.getArguments(), args))
      scalars.map(arg, scalar);
    for (Operation &op : body.without_terminator()) {
      Value result;
      auto source = bodySources ? bodySources->lookup(&op)
                                : std::pair<SmallVector<Type>, SmallVector<Type>>();
      auto isUnsigned = [](ArrayRef<Type> types, unsigned i) {
        return i < types.size() && types[i].isUnsignedInteger();
      };
      if (auto constant = dyn_cast<ConstantOp>(op)) {
        auto attr = dyn_cast<DenseElementsAttr>(constant.getValue());
        Type element = attr ? attr.getElementType() : Type();
        if (element && isa<FloatType>(element))
          result = scalarConstant(
              nb, l, element, (*attr.getValues<APFloat>().begin()).convertToDouble());
        else if (element && isa<IntegerType>(element))
          // The bits, in the signless carrier type.
          result = nb.create<arith::ConstantOp>(
              l, nb.getIntegerAttr(
                     nb.getIntegerType(element.getIntOrFloatBitWidth()),
                     (*attr.getValues<APInt>().begin())));
      } else if (auto dq = dyn_cast<DequantizeLinearOp>(op)) {
        result = dequantizeScalar(
            nb, l, scalars.lookup(dq.getInput()), scalars.lookup(dq.getScale()),
            scalars.lookup(dq.getZeroPoint()), isUnsigned(source.first, 0),
            isUnsigned(source.first, 2));
      } else if (auto q = dyn_cast<QuantizeLinearOp>(op)) {
        Type carrier = nb.getIntegerType(8);
        Type sourceType = source.second.empty() ? carrier : source.second[0];
        result = quantizeScalar(nb, l, scalars.lookup(q.getInput()),
                                scalars.lookup(q.getScale()),
                                scalars.lookup(q.getZeroPoint()),
                                isUnsigned(source.first, 2), sourceType, carrier);
      } else if (auto clip = dyn_cast<ClipOp>(op)) {
        result = clamp(nb, l, scalars.lookup(clip.getInput()),
                       scalars.lookup(clip.getMin()), scalars.lookup(clip.getMax()));
      } else if (op.getNumOperands() == 1) {
        result = unaryScalar(&op, nb, l, scalars.lookup(op.getOperand(0)));
      } else if (op.getNumOperands() == 2) {
        result = binaryScalar(&op, nb, l, scalars.lookup(op.getOperand(0)),
                              scalars.lookup(op.getOperand(1)));
      }
      if (!result) {
        if (!unsupportedBodyOp)
          unsupportedBodyOp = &op;
        return args.front();
      }
      scalars.map(op.getResult(0), result);
    }
    return scalars.lookup(body.getTerminator()->getOperand(0));
  }

  /// dsc.elementwise: one generic over the result, each input broadcast,
  /// its body the scalar forms of the body's ops in order (or a table
  /// lookup, above).
  FailureOr<SmallVector<Value>> lowerElementwise(ElementwiseOp fused) {
    if (auto table = elementwiseTable(fused)) {
      // 8-bit to 8-bit over a whole tensor: the runtime's vector lookup.
      if (auto type = dyn_cast<IntegerType>(fused.getType().getElementType());
          type && type.getWidth() == 8) {
        SmallVector<int64_t> bytes;
        for (Attribute entry : *table)
          bytes.push_back(cast<IntegerAttr>(entry).getValue().getZExtValue() & 0xff);
        if (auto call = buildLookupKernelCall(b, loc, fused.getInputs()[0], bytes,
                                              fused.getType());
            succeeded(call))
          return SmallVector<Value>{*call};
      }
      auto tableType = RankedTensorType::get({256}, cast<TypedAttr>(table->front()).getType());
      Value lookup = b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(tableType, *table));
      return SmallVector<Value>{buildElementwise(
          b, loc, fused.getType(), fused.getInputs(),
          [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
            Value index = nb.create<arith::IndexCastUIOp>(l, nb.getIndexType(), args[0]);
            return nb.create<tensor::ExtractOp>(l, lookup, ValueRange{index});
          })};
    }
    Operation *unsupportedBodyOp = nullptr;
    Value value = buildElementwise(
        b, loc, fused.getType(), fused.getInputs(),
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return emitElementwiseBody(fused, nb, l, args, unsupportedBodyOp);
        });
    if (unsupportedBodyOp)
      return unsupported("its body holds " + unsupportedBodyOp->getName().getStringRef() +
                         ", which has no scalar form"),
             failure();
    return SmallVector<Value>{value};
  }

  FailureOr<SmallVector<Value>> lowerClip(ClipOp clip) {
    return SmallVector<Value>{buildElementwise(
        b, loc, clip.getType(), {clip.getInput(), clip.getMin(), clip.getMax()},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          return clamp(nb, l, a[0], a[1], a[2]);
        })};
  }

  FailureOr<SmallVector<Value>> lowerWhere(WhereOp where) {
    return SmallVector<Value>{buildElementwise(
        b, loc, where.getType(), {where.getCondition(), where.getX(), where.getY()},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          return nb.create<arith::SelectOp>(l, a[0], a[1], a[2]);
        })};
  }

  /// Convolution, any group, any number of spatial dims:
  ///   y[n, f, o...] = sum_{c, k...} xpad[n, g(f)*Cg + c, o*s + k*d] * w[f, c, k...]
  /// with g(f) = f floordiv Fg (Fg = F/G output channels per group, Cg = C/G),
  /// then + bias[f].
  FailureOr<Value> lowerConvGeneric(Value input, Value weight, Value bias,
                                    ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                                    ArrayRef<int64_t> dilations, int64_t group,
                                    RankedTensorType result) {
    auto inType = tensorType(input);
    auto wType = tensorType(weight);
    if (!result.hasStaticShape() || !inType.hasStaticShape())
      return unsupported("dynamic shapes"), failure();
    Type element = result.getElementType();
    int64_t spatial = inType.getRank() - 2;
    int64_t filtersPerGroup = wType.getDimSize(0) / group;
    int64_t channelsPerGroup = wType.getDimSize(1);
    Value padded = padSpatial(input, pads, scalarConstant(b, loc, element, 0));
    MLIRContext *ctx = b.getContext();
    // Dims: n, f, c, k_0..k_{S-1}, o_0..o_{S-1}. The output's spatial dims
    // come last so the innermost loop walks contiguous outputs and inputs
    // (stride 1) with the weight invariant: LLVM vectorizes it.
    int64_t numDims = 2 + spatial + 1 + spatial;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    AffineExpr n = d(0), f = d(1), c = d(2);
    SmallVector<AffineExpr> inExprs = {
        n, f.floorDiv(filtersPerGroup) * channelsPerGroup + c};
    SmallVector<AffineExpr> wExprs = {f, c};
    SmallVector<AffineExpr> outExprs = {n, f};
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr k = d(3 + i), o = d(3 + spatial + i);
      inExprs.push_back(o * strides[i] + k * dilations[i]);
      wExprs.push_back(k);
      outExprs.push_back(o);
    }
    SmallVector<AffineMap> maps = {AffineMap::get(numDims, 0, inExprs, ctx),
                                   AffineMap::get(numDims, 0, wExprs, ctx),
                                   AffineMap::get(numDims, 0, outExprs, ctx)};
    SmallVector<IteratorType> iterators = {IteratorType::parallel,
                                           IteratorType::parallel};
    iterators.append(1 + spatial, IteratorType::reduction);
    iterators.append(spatial, IteratorType::parallel);
    Value init;
    if (bias) {
      // Start the accumulator at the bias: y = bias[f] broadcast.
      SmallVector<AffineExpr> biasExpr = {d(1)};
      SmallVector<AffineMap> biasMaps = {
          AffineMap::get(2 + spatial, 0, biasExpr, ctx),
          AffineMap::getMultiDimIdentityMap(2 + spatial, ctx)};
      init = b.create<linalg::GenericOp>(
                  loc, TypeRange{result}, ValueRange{bias},
                  ValueRange{emptyTensor(b, loc, result)}, biasMaps,
                  SmallVector<IteratorType>(2 + spatial, IteratorType::parallel),
                  [](OpBuilder &nb, Location l, ValueRange a) {
                    nb.create<linalg::YieldOp>(l, a[0]);
                  })
                 .getResult(0);
    } else {
      init = emptyTensor(b, loc, result, scalarConstant(b, loc, element, 0));
    }
    auto generic = b.create<linalg::GenericOp>(
        loc, TypeRange{result}, ValueRange{padded, weight},
        ValueRange{init}, maps, iterators,
        [](OpBuilder &nb, Location l, ValueRange a) {
          nb.create<linalg::YieldOp>(l, multiplyAdd(nb, l, a[2], a[0], a[1]));
        });
    return generic.getResult(0);
  }

  /// A conv with its epilogue: the runtime's kernel for 2-D f32 convs with
  /// constant weights, otherwise the generic convolution then the epilogue.
  FailureOr<SmallVector<Value>> lowerConvWithEpilogue(
      Value input, Value weight, ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
      ArrayRef<int64_t> dilations, int64_t group, const FusedEpilogue &epilogue,
      RankedTensorType result) {
    auto call = buildConv2DKernelCall(b, loc, input, weight, strides, pads, dilations,
                                      group, epilogue, result);
    if (succeeded(call))
      return SmallVector<Value>{*call};
    auto conv = lowerConvGeneric(input, weight, epilogue.bias, strides, pads,
                                 dilations, group, result);
    if (failed(conv))
      return failure();
    FusedEpilogue rest = epilogue;
    rest.bias = Value();
    return SmallVector<Value>{applyEpilogue(*conv, rest, result)};
  }

  /// The fused ops' epilogue on an accumulator, elementwise (bias [N]
  /// broadcasts along the last axis):
  ///   y = act(acc + bias + residual) * s + t  or  act(acc + bias) * s + t + residual.
  Value applyEpilogue(Value acc, const FusedEpilogue &e, RankedTensorType result) {
    if (!e.bias && !e.residual && e.activation == "none" && !e.hasOutputAffine())
      return acc;
    SmallVector<Value> operands = {acc};
    if (e.bias)
      operands.push_back(e.bias);
    if (e.residual)
      operands.push_back(e.residual);
    return buildElementwise(
        b, loc, result, operands, [&](OpBuilder &nb, Location l, ValueRange v) {
          Value y = v[0];
          size_t next = 1;
          if (e.bias)
            y = nb.create<arith::AddFOp>(l, y, v[next++]);
          Value residual = e.residual ? v[next] : Value();
          if (residual && !e.residualAfterActivation)
            y = nb.create<arith::AddFOp>(l, y, residual);
          y = activationScalar(nb, l, y, e);
          if (e.hasOutputAffine())
            y = nb.create<arith::AddFOp>(
                l,
                nb.create<arith::MulFOp>(
                    l, y, scalarConstant(nb, l, y.getType(), e.outputScale)),
                scalarConstant(nb, l, y.getType(), e.outputShift));
          if (residual && e.residualAfterActivation)
            y = nb.create<arith::AddFOp>(l, y, residual);
          return y;
        });
  }

  /// The epilogue activations (see dsc.conv_fused) on one float.
  static Value activationScalar(OpBuilder &nb, Location l, Value v,
                                const FusedEpilogue &e) {
    Type t = v.getType();
    auto c = [&](double x) { return scalarConstant(nb, l, t, x); };
    StringRef act = e.activation;
    if (act == "relu")
      return reluScalar(nb, l, v);
    if (act == "clip")
      return clamp(nb, l, v, c(e.alpha), c(e.beta));
    if (act == "leaky_relu") {
      Value negative = nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OLT, v, c(0));
      return nb.create<arith::SelectOp>(l, negative,
                                        nb.create<arith::MulFOp>(l, v, c(e.alpha)), v);
    }
    if (act == "hard_sigmoid")
      return clamp(nb, l,
                   nb.create<arith::AddFOp>(l, nb.create<arith::MulFOp>(l, v, c(e.alpha)),
                                            c(e.beta)),
                   c(0), c(1));
    if (act == "hard_swish") {
      Value gate = clamp(nb, l,
                         nb.create<arith::AddFOp>(
                             l, nb.create<arith::MulFOp>(l, v, c(1.0 / 6.0)), c(0.5)),
                         c(0), c(1));
      return nb.create<arith::MulFOp>(l, v, gate);
    }
    if (act == "sigmoid")
      return sigmoid(nb, l, v);
    if (act == "swish")
      return nb.create<arith::MulFOp>(l, v, sigmoid(nb, l, v));
    if (act == "tanh")
      return nb.create<math::TanhOp>(l, v);
    return v;
  }

  static FusedEpilogue noEpilogue(Value bias) {
    FusedEpilogue e;
    e.bias = bias;
    return e;
  }

  /// matmul_fused: the runtime's kernel for f32 with a constant b, otherwise
  /// a generic matmul then the epilogue.
  FailureOr<SmallVector<Value>> lowerMatMulFused(MatMulFusedOp mm) {
    FusedEpilogue e = FusedEpilogue::of(mm);
    auto call = buildMatMulKernelCall(b, loc, mm.getA(), mm.getB(), mm.getTransB(), e,
                                      mm.getType());
    if (succeeded(call))
      return SmallVector<Value>{*call};
    Value rhs = mm.getB();
    if (mm.getTransB())
      rhs = transpose(rhs, {1, 0});
    auto product = matmulGeneric(mm.getA(), rhs, mm.getType());
    if (failed(product))
      return failure();
    return SmallVector<Value>{applyEpilogue(*product, e, mm.getType())};
  }

  /// y = a copy of `source` into `result`'s shape whose last axis is split
  /// into [outer, factor]: over the dims (d0, .., d_{r-1}, e) of the
  /// result with its last axis of length L viewed as [L / factor, factor],
  ///   y[d0, .., d_{r-2}, d_{r-1} * factor + e] = source[read(d0, .., e)]
  /// (`read` may use the r + 1 dims). The loop over e is innermost and
  /// short, so after unrolling it the loop over d_{r-1} stores `factor`
  /// interleaved streams, which LLVM vectorises; indexing the result's last
  /// axis with d floordiv factor instead reads one element per store.
  Value interleavedCopy(Value source, ArrayRef<AffineExpr> read, RankedTensorType result,
                        int64_t factor) {
    MLIRContext *ctx = b.getContext();
    int64_t rank = result.getRank();
    SmallVector<int64_t> split(result.getShape());
    split.back() /= factor;
    split.push_back(factor);
    auto splitType = RankedTensorType::get(split, result.getElementType());
    auto copy = b.create<linalg::GenericOp>(
        loc, TypeRange{splitType}, ValueRange{source},
        ValueRange{emptyTensor(b, loc, splitType)},
        SmallVector<AffineMap>{AffineMap::get(rank + 1, 0, read, ctx),
                               AffineMap::getMultiDimIdentityMap(rank + 1, ctx)},
        SmallVector<IteratorType>(rank + 1, IteratorType::parallel),
        [](OpBuilder &nb, Location l, ValueRange a) { nb.create<linalg::YieldOp>(l, a[0]); });
    SmallVector<ReassociationIndices> merge;
    for (int64_t i = 0; i + 1 < rank; ++i)
      merge.push_back({i});
    merge.push_back({rank - 1, rank});
    return b.create<tensor::CollapseShapeOp>(loc, result, copy.getResult(0), merge);
  }

  /// A 2-D transposed convolution whose stride equals its kernel (no
  /// dilation, padding or output padding, one group) never overlaps two
  /// kernel footprints: every output pixel is one kernel tap of one input
  /// pixel,
  ///   y[n, f, i*KH + a, j*KW + b] = bias[f] + sum_c x[n, c, i, j] w[c, f, a, b].
  /// So it is a 1x1 convolution to F*KH*KW channels,
  ///   z[n, (f*KH + a)*KW + b, i, j] = bias[f] + sum_c x[n, c, i, j] w[c, f, a, b],
  /// on the runtime's conv kernel (weights rearranged at compile time),
  /// then a pixel shuffle of z into y. Failure (and no IR) when it does not
  /// apply.
  FailureOr<SmallVector<Value>> lowerConvTransposeAsPixelShuffle(ConvTransposeOp conv) {
    auto result = conv.getType();
    auto inType = tensorType(conv.getInput());
    auto wType = tensorType(conv.getWeight());
    if (inType.getRank() != 4 || !result.getElementType().isF32() ||
        !inType.hasStaticShape() || !result.hasStaticShape() || conv.getGroup() != 1)
      return failure();
    int64_t kh = wType.getDimSize(2), kw = wType.getDimSize(3);
    if (conv.getStrides() != ArrayRef<int64_t>{kh, kw} ||
        llvm::any_of(conv.getDilations(), [](int64_t d) { return d != 1; }) ||
        llvm::any_of(conv.getPads(), [](int64_t p) { return p != 0; }) ||
        llvm::any_of(conv.getOutputPadding(), [](int64_t p) { return p != 0; }) ||
        result.getDimSize(2) != inType.getDimSize(2) * kh ||
        result.getDimSize(3) != inType.getDimSize(3) * kw)
      return failure();
    auto weights = getConstantFloats(conv.getWeight());
    if (!weights)
      return failure();
    std::optional<std::vector<float>> bias;
    if (conv.getBias() && !(bias = getConstantFloats(conv.getBias())))
      return failure();
    int64_t channels = wType.getDimSize(0), filters = wType.getDimSize(1);
    int64_t taps = kh * kw, expanded = filters * taps;
    std::vector<float> pointwise, expandedBias;
    expandTransposedConvWeights(*weights, bias ? ArrayRef<float>(*bias) : ArrayRef<float>(),
                                channels, filters, taps, pointwise, expandedBias);
    Type element = result.getElementType();
    auto pointwiseType = RankedTensorType::get({expanded, channels, 1, 1}, element);
    Value pointwiseWeights = b.create<arith::ConstantOp>(
        loc, cast<TypedAttr>(createWeightAttr(pointwiseType, pointwise, "conv_transpose_weight")));
    FusedEpilogue e;
    if (bias)
      e.bias = b.create<arith::ConstantOp>(
          loc, cast<TypedAttr>(createWeightAttr(RankedTensorType::get({expanded}, element),
                                                expandedBias, "conv_transpose_bias")));
    auto zType = RankedTensorType::get(
        {inType.getDimSize(0), expanded, inType.getDimSize(2), inType.getDimSize(3)}, element);
    auto z = buildConv2DKernelCall(b, loc, conv.getInput(), pointwiseWeights, {1, 1},
                                   {0, 0, 0, 0}, {1, 1}, 1, e, zType);
    if (failed(z))
      return failure();
    // y[n, f, oh, j*KW + b] = z[n, (f*KH + oh mod KH)*KW + b, oh / KH, j]
    // over (n, f, oh, j, b): the last axis split into [W, KW].
    MLIRContext *ctx = b.getContext();
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> read = {d(0), (d(1) * kh + d(2) % kh) * kw + d(4),
                                    d(2).floorDiv(kh), d(3)};
    return SmallVector<Value>{interleavedCopy(*z, read, result, kw)};
  }

  /// Transposed convolution as a convolution over the input dilated by the
  /// stride: xd[i*s] = x[i] (zeros between), padded by (k-1)*d - pad_begin
  /// before and (k-1)*d - pad_end + output_padding after (cropped where
  /// negative), then
  ///   y[n, f, o] = bias[f] + sum_{c, k} xp[n, g*Cg + c, o + k*d]
  ///                * w[g*Cg + c, f mod Fg, K-1-k],  g = f floordiv Fg.
  FailureOr<SmallVector<Value>> lowerConvTranspose(ConvTransposeOp conv) {
    auto result = conv.getType();
    auto inType = tensorType(conv.getInput());
    auto wType = tensorType(conv.getWeight());
    Type element = result.getElementType();
    int64_t spatial = inType.getRank() - 2;
    int64_t group = conv.getGroup();
    int64_t channelsPerGroup = inType.getDimSize(1) / group;
    int64_t filtersPerGroup = wType.getDimSize(1);
    MLIRContext *ctx = b.getContext();
    if (auto unshuffled = lowerConvTransposeAsPixelShuffle(conv); succeeded(unshuffled))
      return unshuffled;
    // 1. Dilate by the stride.
    SmallVector<int64_t> dilatedShape(inType.getShape());
    SmallVector<int64_t> strides(inType.getRank(), 1);
    for (int64_t i = 0; i < spatial; ++i) {
      dilatedShape[i + 2] = (inType.getDimSize(i + 2) - 1) * conv.getStrides()[i] + 1;
      strides[i + 2] = conv.getStrides()[i];
    }
    Value zero = scalarConstant(b, loc, element, 0);
    Value dilated = emptyTensor(b, loc, RankedTensorType::get(dilatedShape, element), zero);
    SmallVector<int64_t> zeros(inType.getRank(), 0);
    dilated = b.create<tensor::InsertSliceOp>(
        loc, conv.getInput(), dilated, getAsIndexOpFoldResult(ctx, zeros),
        getAsIndexOpFoldResult(ctx, inType.getShape()),
        getAsIndexOpFoldResult(ctx, strides));
    // 2. Pad (or crop) to the full correlation extent.
    SmallVector<int64_t> low(inType.getRank(), 0), high(inType.getRank(), 0);
    SmallVector<int64_t> cropOffset(inType.getRank(), 0);
    SmallVector<int64_t> paddedShape(dilatedShape);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t reach = (wType.getDimSize(i + 2) - 1) * conv.getDilations()[i];
      int64_t before = reach - conv.getPads()[i];
      int64_t after = reach - conv.getPads()[i + spatial] + conv.getOutputPadding()[i];
      low[i + 2] = std::max<int64_t>(before, 0);
      high[i + 2] = std::max<int64_t>(after, 0);
      cropOffset[i + 2] = std::max<int64_t>(-before, 0);
      paddedShape[i + 2] = dilatedShape[i + 2] + before + after;
    }
    Value padded = b.create<tensor::PadOp>(
        loc,
        RankedTensorType::get(
            [&] {
              SmallVector<int64_t> sh(dilatedShape);
              for (int64_t i = 0; i < spatial; ++i)
                sh[i + 2] += low[i + 2] + high[i + 2];
              return sh;
            }(),
            element),
        dilated, getAsIndexOpFoldResult(ctx, low), getAsIndexOpFoldResult(ctx, high),
        zero);
    if (llvm::any_of(cropOffset, [](int64_t c) { return c != 0; }) ||
        tensorType(padded).getShape() != ArrayRef<int64_t>(paddedShape)) {
      SmallVector<int64_t> ones(inType.getRank(), 1);
      padded = b.create<tensor::ExtractSliceOp>(
          loc, RankedTensorType::get(paddedShape, element), padded,
          getAsIndexOpFoldResult(ctx, cropOffset),
          getAsIndexOpFoldResult(ctx, paddedShape), getAsIndexOpFoldResult(ctx, ones));
    }
    // 3. Correlate with the flipped kernel. 2-D f32 with constant weights:
    //    the runtime's conv kernel, with the weights rearranged at compile
    //    time into a conv's [F][Cg][KH][KW]:
    //      w'[g*Fg + f][c][kh][kw] = w[g*Cg + c][f][KH-1-kh][KW-1-kw]
    if (spatial == 2 && element.isF32())
      if (auto weights = getConstantFloats(conv.getWeight())) {
        int64_t kh = wType.getDimSize(2), kw = wType.getDimSize(3);
        int64_t filters = group * filtersPerGroup;
        std::vector<float> flipped(filters * channelsPerGroup * kh * kw);
        for (int64_t g = 0; g < group; ++g)
          for (int64_t f = 0; f < filtersPerGroup; ++f)
            for (int64_t c = 0; c < channelsPerGroup; ++c)
              for (int64_t i = 0; i < kh; ++i)
                for (int64_t j = 0; j < kw; ++j)
                  flipped[(((g * filtersPerGroup + f) * channelsPerGroup + c) * kh + i) * kw + j] =
                      (*weights)[(((g * channelsPerGroup + c) * filtersPerGroup + f) * kh +
                                  (kh - 1 - i)) * kw + (kw - 1 - j)];
        auto flippedType = RankedTensorType::get({filters, channelsPerGroup, kh, kw}, element);
        Value flippedWeights = b.create<arith::ConstantOp>(
            loc, cast<TypedAttr>(createWeightAttr(flippedType, flipped, "conv_transpose_weight")));
        auto call = buildConv2DKernelCall(b, loc, padded, flippedWeights, {1, 1}, {0, 0, 0, 0},
                                          conv.getDilations(), group,
                                          noEpilogue(conv.getBias()), result);
        if (succeeded(call))
          return SmallVector<Value>{*call};
      }
    // Otherwise one generic. Dims: n, f, c, k..., o...
    int64_t numDims = 3 + 2 * spatial;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    AffineExpr n = d(0), f = d(1), c = d(2);
    AffineExpr inChannel = f.floorDiv(filtersPerGroup) * channelsPerGroup + c;
    SmallVector<AffineExpr> inExprs = {n, inChannel};
    SmallVector<AffineExpr> wExprs = {inChannel, f % filtersPerGroup};
    SmallVector<AffineExpr> outExprs = {n, f};
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr k = d(3 + i), o = d(3 + spatial + i);
      inExprs.push_back(o + k * conv.getDilations()[i]);
      wExprs.push_back(wType.getDimSize(i + 2) - 1 - k);
      outExprs.push_back(o);
    }
    SmallVector<AffineMap> maps = {AffineMap::get(numDims, 0, inExprs, ctx),
                                   AffineMap::get(numDims, 0, wExprs, ctx),
                                   AffineMap::get(numDims, 0, outExprs, ctx)};
    SmallVector<IteratorType> iterators = {IteratorType::parallel,
                                           IteratorType::parallel};
    iterators.append(1 + spatial, IteratorType::reduction);
    iterators.append(spatial, IteratorType::parallel);
    // The reduction over c needs its trip count: Cg, from an extra operand.
    SmallVector<int64_t> windowShape = {channelsPerGroup};
    SmallVector<AffineExpr> windowExprs = {c};
    for (int64_t i = 0; i < spatial; ++i) {
      windowShape.push_back(wType.getDimSize(i + 2));
      windowExprs.push_back(d(3 + i));
    }
    Value window = b.create<tensor::EmptyOp>(loc, windowShape, element);
    maps.insert(maps.begin() + 2, AffineMap::get(numDims, 0, windowExprs, ctx));
    Value init;
    if (conv.getBias()) {
      SmallVector<AffineExpr> biasExpr = {d(1)};
      init = b.create<linalg::GenericOp>(
                  loc, TypeRange{result}, ValueRange{conv.getBias()},
                  ValueRange{emptyTensor(b, loc, result)},
                  SmallVector<AffineMap>{AffineMap::get(2 + spatial, 0, biasExpr, ctx),
                                         AffineMap::getMultiDimIdentityMap(2 + spatial, ctx)},
                  SmallVector<IteratorType>(2 + spatial, IteratorType::parallel),
                  [](OpBuilder &nb, Location l, ValueRange a) {
                    nb.create<linalg::YieldOp>(l, a[0]);
                  })
                 .getResult(0);
    } else {
      init = emptyTensor(b, loc, result, zero);
    }
    auto generic = b.create<linalg::GenericOp>(
        loc, TypeRange{result}, ValueRange{padded, conv.getWeight(), window},
        ValueRange{init}, maps, iterators,
        [](OpBuilder &nb, Location l, ValueRange a) {
          Value product = nb.create<arith::MulFOp>(l, a[0], a[1]);
          nb.create<linalg::YieldOp>(l, nb.create<arith::AddFOp>(l, a[3], product).getResult());
        });
    return SmallVector<Value>{generic.getResult(0)};
  }

  /// Rows [offset, offset + rows) of a 2-D tensor, or of slice `d` of a 3-D
  /// one (the direction axis of ONNX's W, R and B).
  Value slice2D(Value source, std::optional<int64_t> d, int64_t offset,
                int64_t rows, int64_t cols) {
    MLIRContext *ctx = b.getContext();
    auto type = tensorType(source);
    auto resultType = RankedTensorType::get({rows, cols}, type.getElementType());
    SmallVector<int64_t> offsets, sizes, strides;
    if (d) {
      offsets = {*d, offset, 0};
      sizes = {1, rows, cols};
      strides = {1, 1, 1};
    } else {
      offsets = {offset, 0};
      sizes = {rows, cols};
      strides = {1, 1};
    }
    return b.create<tensor::ExtractSliceOp>(
        loc, resultType, source, getAsIndexOpFoldResult(ctx, offsets),
        getAsIndexOpFoldResult(ctx, sizes), getAsIndexOpFoldResult(ctx, strides));
  }

  /// y[b, j] = bias[j] + sum_k x[b, k] * w[j, k]  (x: [B, K], w: [J, K]).
  Value denseLayer(Value x, Value w, Value bias) {
    MLIRContext *ctx = b.getContext();
    auto xType = tensorType(x), wType = tensorType(w);
    auto resultType = RankedTensorType::get({xType.getDimSize(0), wType.getDimSize(0)},
                                            xType.getElementType());
    AffineExpr bi = getAffineDimExpr(0, ctx), j = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    Value init = b.create<linalg::GenericOp>(
                      loc, TypeRange{resultType}, ValueRange{bias},
                      ValueRange{emptyTensor(b, loc, resultType)},
                      SmallVector<AffineMap>{AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx),
                                             AffineMap::getMultiDimIdentityMap(2, ctx)},
                      SmallVector<IteratorType>(2, IteratorType::parallel),
                      [](OpBuilder &nb, Location l, ValueRange a) {
                        nb.create<linalg::YieldOp>(l, a[0]);
                      })
                     .getResult(0);
    return b
        .create<linalg::GenericOp>(
            loc, TypeRange{resultType}, ValueRange{x, w}, ValueRange{init},
            SmallVector<AffineMap>{AffineMap::get(3, 0, {bi, k}, ctx),
                                   AffineMap::get(3, 0, {j, k}, ctx),
                                   AffineMap::get(3, 0, {bi, j}, ctx)},
            SmallVector<IteratorType>{IteratorType::parallel, IteratorType::parallel,
                                      IteratorType::reduction},
            [](OpBuilder &nb, Location l, ValueRange a) {
              Value p = nb.create<arith::MulFOp>(l, a[0], a[1]);
              nb.create<linalg::YieldOp>(l, nb.create<arith::AddFOp>(l, a[2], p).getResult());
            })
        .getResult(0);
  }

  /// Columns [g*H, (g+1)*H) of a [B, G*H] gate tensor.
  Value gateSlice(Value gates, int64_t g, int64_t hidden) {
    MLIRContext *ctx = b.getContext();
    int64_t batch = tensorType(gates).getDimSize(0);
    return b.create<tensor::ExtractSliceOp>(
        loc, RankedTensorType::get({batch, hidden}, tensorType(gates).getElementType()),
        gates, getAsIndexOpFoldResult(ctx, {0, g * hidden}),
        getAsIndexOpFoldResult(ctx, {batch, hidden}), getAsIndexOpFoldResult(ctx, {1, 1}));
  }

  /// LSTM and GRU (ONNX semantics, layout 0, default activations):
  ///   LSTM (gates i, o, f, c): i, o, f = sigmoid(x W^T + h R^T + Wb + Rb),
  ///     c~ = tanh(...), c' = f c + i c~, h' = o tanh(c')
  ///   GRU (gates z, r, h): z, r = sigmoid(x W^T + h R^T + Wb + Rb),
  ///     h~ = tanh(x Wh^T + Wbh + r (h Rh^T + Rbh))   (linear_before_reset)
  ///     h~ = tanh(x Wh^T + Wbh + (r h) Rh^T + Rbh)    (otherwise)
  ///     h' = (1 - z) h~ + z h
  /// One scf.for over the sequence per direction (reverse walks it
  /// backwards), writing each h' into Y[t, dir].
  FailureOr<SmallVector<Value>> lowerRecurrent(Operation *rnn, bool isLSTM) {
    auto attr = [&](StringRef name) { return rnn->getAttr(name); };
    auto activations = dyn_cast_or_null<ArrayAttr>(attr("activations"));
    if ((activations && !activations.empty()) || attr("clip") ||
        (isLSTM && cast<IntegerAttr>(attr("input_forget")).getInt() != 0))
      return unsupported("non-default activations, clip or input_forget"), failure();
    auto segments = rnn->getAttrOfType<DenseI32ArrayAttr>("operandSegmentSizes");
    auto operand = [&](int index) -> Value {
      int start = 0;
      for (int i = 0; i < index; ++i)
        start += segments[i];
      return segments[index] ? rnn->getOperand(start) : Value();
    };
    Value x = operand(0), w = operand(1), r = operand(2), bias = operand(3);
    if (operand(4))
      return unsupported("sequence_lens"), failure();
    if (isLSTM && operand(7))
      return unsupported("peepholes"), failure();
    Value h0 = operand(5), c0 = isLSTM ? operand(6) : Value();
    bool linearBeforeReset =
        !isLSTM && cast<IntegerAttr>(attr("linear_before_reset")).getInt() != 0;
    StringRef direction = cast<StringAttr>(attr("direction")).getValue();
    int64_t hidden = cast<IntegerAttr>(attr("hidden_size")).getInt();
    auto xType = tensorType(x);
    int64_t seq = xType.getDimSize(0), batch = xType.getDimSize(1),
            inputSize = xType.getDimSize(2);
    int64_t gates = isLSTM ? 4 : 3;
    int64_t dirs = direction == "bidirectional" ? 2 : 1;
    Type element = xType.getElementType();
    MLIRContext *ctx = b.getContext();
    auto stateType = RankedTensorType::get({batch, hidden}, element);
    Value zero = scalarConstant(b, loc, element, 0);
    Value y = emptyTensor(b, loc, resultType(0), zero);
    Value yh = emptyTensor(b, loc, resultType(1), zero);
    Value yc = isLSTM ? emptyTensor(b, loc, resultType(2), zero) : Value();
    auto gateBias = [&](int64_t d, int64_t offset) -> Value {
      auto biasType = RankedTensorType::get({gates * hidden}, element);
      if (!bias)
        return emptyTensor(b, loc, biasType, zero);
      return b.create<tensor::ExtractSliceOp>(
          loc, biasType, bias, getAsIndexOpFoldResult(ctx, {d, offset}),
          getAsIndexOpFoldResult(ctx, {1, gates * hidden}),
          getAsIndexOpFoldResult(ctx, {1, 1}));
    };
    auto state = [&](Value initial, int64_t d) -> Value {
      if (!initial)
        return emptyTensor(b, loc, stateType, zero);
      return b.create<tensor::ExtractSliceOp>(
          loc, stateType, initial, getAsIndexOpFoldResult(ctx, {d, 0, 0}),
          getAsIndexOpFoldResult(ctx, {1, batch, hidden}),
          getAsIndexOpFoldResult(ctx, {1, 1, 1}));
    };
    auto elementwise = [&](ValueRange operands,
                           function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
      return buildElementwise(b, loc, stateType, operands, fn);
    };
    for (int64_t d = 0; d < dirs; ++d) {
      bool reverse = direction == "reverse" || d == 1;
      Value wd = slice2D(w, d, 0, gates * hidden, inputSize);
      Value rd = slice2D(r, d, 0, gates * hidden, hidden);
      Value wb = gateBias(d, 0), rb = gateBias(d, gates * hidden);
      SmallVector<Value> inits = {state(h0, d), y};
      if (isLSTM)
        inits.push_back(state(c0, d));
      Value lb = b.create<arith::ConstantIndexOp>(loc, 0);
      Value ub = b.create<arith::ConstantIndexOp>(loc, seq);
      Value one = b.create<arith::ConstantIndexOp>(loc, 1);
      auto forOp = b.create<scf::ForOp>(loc, lb, ub, one, inits);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(forOp.getBody());
      Value t = forOp.getInductionVar();
      if (reverse)
        t = b.create<arith::SubIOp>(loc, b.create<arith::ConstantIndexOp>(loc, seq - 1), t);
      Value h = forOp.getRegionIterArgs()[0];
      Value yAcc = forOp.getRegionIterArgs()[1];
      auto xtType = RankedTensorType::get({batch, inputSize}, element);
      Value xt = b.create<tensor::ExtractSliceOp>(
          loc, xtType, x, ValueRange{t}, ValueRange{}, ValueRange{},
          b.getDenseI64ArrayAttr({ShapedType::kDynamic, 0, 0}),
          b.getDenseI64ArrayAttr({1, batch, inputSize}), b.getDenseI64ArrayAttr({1, 1, 1}));
      Value xg = denseLayer(xt, wd, wb);
      Value hg = denseLayer(h, rd, rb);
      auto sig = [&](OpBuilder &nb, Location l, Value v) { return sigmoid(nb, l, v); };
      auto add = [](OpBuilder &nb, Location l, Value a, Value c) -> Value {
        return nb.create<arith::AddFOp>(l, a, c);
      };
      auto mul = [](OpBuilder &nb, Location l, Value a, Value c) -> Value {
        return nb.create<arith::MulFOp>(l, a, c);
      };
      Value hNew, cNew;
      if (isLSTM) {
        Value c = forOp.getRegionIterArgs()[2];
        // Gate order i, o, f, c.
        SmallVector<Value> operands;
        for (int64_t g = 0; g < 4; ++g) {
          operands.push_back(gateSlice(xg, g, hidden));
          operands.push_back(gateSlice(hg, g, hidden));
        }
        operands.push_back(c);
        cNew = elementwise(operands, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value i = sig(nb, l, add(nb, l, a[0], a[1]));
          Value f = sig(nb, l, add(nb, l, a[4], a[5]));
          Value cc = nb.create<math::TanhOp>(l, add(nb, l, a[6], a[7]));
          return add(nb, l, mul(nb, l, f, a[8]), mul(nb, l, i, cc));
        });
        hNew = elementwise({operands[2], operands[3], cNew},
                           [&](OpBuilder &nb, Location l, ValueRange a) {
                             Value o = sig(nb, l, add(nb, l, a[0], a[1]));
                             return mul(nb, l, o, nb.create<math::TanhOp>(l, a[2]));
                           });
      } else {
        // Gate order z, r, h.
        Value xz = gateSlice(xg, 0, hidden), hz = gateSlice(hg, 0, hidden);
        Value xr = gateSlice(xg, 1, hidden), hr = gateSlice(hg, 1, hidden);
        Value xh = gateSlice(xg, 2, hidden);
        Value candidate;
        if (linearBeforeReset) {
          Value hh = gateSlice(hg, 2, hidden);
          candidate = elementwise({xr, hr, xh, hh}, [&](OpBuilder &nb, Location l, ValueRange a) {
            Value rg = sig(nb, l, add(nb, l, a[0], a[1]));
            return nb.create<math::TanhOp>(l, add(nb, l, a[2], mul(nb, l, rg, a[3])));
          });
        } else {
          Value rh = elementwise({xr, hr, h}, [&](OpBuilder &nb, Location l, ValueRange a) {
            return mul(nb, l, sig(nb, l, add(nb, l, a[0], a[1])), a[2]);
          });
          Value rHidden = slice2D(rd, std::nullopt, 2 * hidden, hidden, hidden);
          Value rbh = b.create<tensor::ExtractSliceOp>(
              loc, RankedTensorType::get({hidden}, element), rb,
              getAsIndexOpFoldResult(ctx, {2 * hidden}), getAsIndexOpFoldResult(ctx, {hidden}),
              getAsIndexOpFoldResult(ctx, {1}));
          Value proj = denseLayer(rh, rHidden, rbh);
          candidate = elementwise({xh, proj}, [&](OpBuilder &nb, Location l, ValueRange a) {
            return nb.create<math::TanhOp>(l, add(nb, l, a[0], a[1]));
          });
        }
        hNew = elementwise({xz, hz, candidate, h}, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value z = sig(nb, l, add(nb, l, a[0], a[1]));
          Value oneF = scalarConstant(nb, l, element, 1);
          return add(nb, l, mul(nb, l, nb.create<arith::SubFOp>(l, oneF, z), a[2]),
                     mul(nb, l, z, a[3]));
        });
      }
      // Y[t, d] = h'.
      Value yNext = b.create<tensor::InsertSliceOp>(
          loc, hNew, yAcc, ValueRange{t}, ValueRange{}, ValueRange{},
          b.getDenseI64ArrayAttr({ShapedType::kDynamic, d, 0, 0}),
          b.getDenseI64ArrayAttr({1, 1, batch, hidden}),
          b.getDenseI64ArrayAttr({1, 1, 1, 1}));
      SmallVector<Value> yields = {hNew, yNext};
      if (isLSTM)
        yields.push_back(cNew);
      b.create<scf::YieldOp>(loc, yields);
      b.setInsertionPointAfter(forOp);
      y = forOp.getResult(1);
      auto put = [&](Value dest, Value value) -> Value {
        return b.create<tensor::InsertSliceOp>(
            loc, value, dest, getAsIndexOpFoldResult(ctx, {d, 0, 0}),
            getAsIndexOpFoldResult(ctx, {1, batch, hidden}),
            getAsIndexOpFoldResult(ctx, {1, 1, 1}));
      };
      yh = put(yh, forOp.getResult(0));
      if (isLSTM)
        yc = put(yc, forOp.getResult(2));
    }
    SmallVector<Value> results = {y, yh};
    if (isLSTM)
      results.push_back(yc);
    return results;
  }

  /// Max and average pooling over a padded input:
  ///   y[n, c, o...] = reduce_{k...} xpad[n, c, o*s + k*d]
  /// Ceil mode adds end padding so the last window fits. Average divides by
  /// a compile-time count of the elements each window covers (padding
  /// counted only with count_include_pad; never past the ceil-mode pad).
  FailureOr<SmallVector<Value>> lowerPool(Value input, ArrayRef<int64_t> kernel,
                                          ArrayRef<int64_t> strides,
                                          ArrayRef<int64_t> pads,
                                          ArrayRef<int64_t> dilations,
                                          bool isMax, bool countIncludePad) {
    auto result = resultType();
    auto inType = tensorType(input);
    if (!result.hasStaticShape() || !inType.hasStaticShape())
      return unsupported("dynamic shapes"), failure();
    Type element = result.getElementType();
    int64_t spatial = inType.getRank() - 2;
    SmallVector<int64_t> fullPads(pads);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t needed = (result.getDimSize(i + 2) - 1) * strides[i] +
                       (kernel[i] - 1) * dilations[i] + 1 -
                       (inType.getDimSize(i + 2) + pads[i]);
      fullPads[i + spatial] = std::max(fullPads[i + spatial], needed);
    }
    Value padValue = isMax ? lowestValue(b, loc, element)
                           : scalarConstant(b, loc, element, 0);
    Value padded = padSpatial(input, fullPads, padValue);
    MLIRContext *ctx = b.getContext();
    int64_t numDims = 2 + 2 * spatial;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    // Dims: n, c, k_0..k_{S-1}, o_0..o_{S-1}; outputs innermost so the
    // inner loop walks a row of outputs (vectorizable).
    SmallVector<AffineExpr> inExprs = {d(0), d(1)}, outExprs = {d(0), d(1)};
    for (int64_t i = 0; i < spatial; ++i) {
      inExprs.push_back(d(2 + spatial + i) * strides[i] + d(2 + i) * dilations[i]);
      outExprs.push_back(d(2 + spatial + i));
    }
    // The kernel window is an extra operand whose shape gives the trip
    // counts of the reduction dims.
    SmallVector<AffineExpr> windowExprs;
    for (int64_t i = 0; i < spatial; ++i)
      windowExprs.push_back(d(2 + i));
    Value window = b.create<tensor::EmptyOp>(loc, kernel, element);
    SmallVector<AffineMap> maps = {AffineMap::get(numDims, 0, inExprs, ctx),
                                   AffineMap::get(numDims, 0, windowExprs, ctx),
                                   AffineMap::get(numDims, 0, outExprs, ctx)};
    SmallVector<IteratorType> iterators(2, IteratorType::parallel);
    iterators.append(spatial, IteratorType::reduction);
    iterators.append(spatial, IteratorType::parallel);
    Value init = emptyTensor(b, loc, result, padValue);
    auto generic = b.create<linalg::GenericOp>(
        loc, TypeRange{result}, ValueRange{padded, window}, ValueRange{init},
        maps, iterators, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value r = isMax ? nb.create<arith::MaximumFOp>(l, a[0], a[2]).getResult()
                          : nb.create<arith::AddFOp>(l, a[0], a[2]).getResult();
          nb.create<linalg::YieldOp>(l, r);
        });
    Value pooled = generic.getResult(0);
    if (isMax)
      return SmallVector<Value>{pooled};
    // counts[o...] = prod_i |[o*s - pb, o*s - pb + (k-1)*d] ∩ valid range|
    // stepping by d; the valid range is [0, in) or, counting padding,
    // [-pb, in + pe).
    SmallVector<int64_t> outSpatial(result.getShape().drop_front(2));
    int64_t total = 1;
    for (int64_t dim : outSpatial)
      total *= dim;
    SmallVector<float> counts(total, 1.0f);
    for (int64_t flat = 0; flat < total; ++flat) {
      int64_t rest = flat;
      float count = 1;
      for (int64_t i = spatial - 1; i >= 0; --i) {
        int64_t o = rest % outSpatial[i];
        rest /= outSpatial[i];
        int64_t in = inType.getDimSize(i + 2);
        int64_t lo = countIncludePad ? -pads[i] : 0;
        int64_t hi = countIncludePad ? in + pads[i + spatial] : in;
        int64_t n = 0;
        for (int64_t k = 0; k < kernel[i]; ++k) {
          int64_t pos = o * strides[i] - pads[i] + k * dilations[i];
          n += pos >= lo && pos < hi;
        }
        count *= n;
      }
      counts[flat] = count;
    }
    auto countType = RankedTensorType::get(outSpatial, element);
    Value countTensor = b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(countType, ArrayRef<float>(counts)));
    return SmallVector<Value>{buildElementwise(
        b, loc, result, {pooled, countTensor},
        [](OpBuilder &nb, Location l, ValueRange a) -> Value {
          return nb.create<arith::DivFOp>(l, a[0], a[1]);
        })};
  }

  /// Reduces `input` over `axes` with `combine`, starting from `initValue`;
  /// keeps reduced dims as size 1 when the result has the input's rank.
  /// A reduction whose innermost axes (a trailing run of reduced axes,
  /// contiguous in memory, n elements together) are reduced, done in two
  /// steps so the hot loop vectorises: the run is viewed as [n / L, L] and
  ///   partial[kept..., l] = combine over (other reduced axes, i) of
  ///                         pre(x[..., i * L + l])
  /// keeps L accumulators per output (the loop over l is innermost and
  /// parallel: whole vectors), then the L lanes are combined into the
  /// result. One generic accumulating into a single element per output
  /// stores it on every step instead. Null (no IR) when n is not a
  /// multiple of 8 lanes or the shapes are dynamic; `combine` must be
  /// associative and commutative (sum, max, min, product).
  Value reduceInLanes(Value input, ArrayRef<bool> reduced, RankedTensorType result,
                      Value initValue,
                      function_ref<Value(OpBuilder &, Location, Value, Value)> combine,
                      function_ref<Value(OpBuilder &, Location, Value)> pre) {
    auto inType = tensorType(input);
    int64_t rank = inType.getRank();
    if (!inType.hasStaticShape() || !result.hasStaticShape() || rank == 0 || !reduced.back())
      return Value();
    int64_t runStart = rank - 1;
    while (runStart > 0 && reduced[runStart - 1])
      --runStart;
    int64_t n = 1;
    for (int64_t d = runStart; d < rank; ++d)
      n *= inType.getDimSize(d);
    int64_t lanes = n % 16 == 0 && n >= 32 ? 16 : n % 8 == 0 && n >= 16 ? 8 : 0;
    if (!lanes)
      return Value();
    MLIRContext *ctx = b.getContext();
    Type element = inType.getElementType();
    // View the input as [dims before the run..., n / lanes, lanes].
    SmallVector<int64_t> viewShape(inType.getShape().take_front(runStart));
    viewShape.push_back(n / lanes);
    viewShape.push_back(lanes);
    SmallVector<ReassociationIndices> collapse;
    for (int64_t d = 0; d < runStart; ++d)
      collapse.push_back({d});
    ReassociationIndices run;
    for (int64_t d = runStart; d < rank; ++d)
      run.push_back(d);
    collapse.push_back(run);
    Value flat = input;
    if (rank - runStart > 1) {
      SmallVector<int64_t> flatShape(inType.getShape().take_front(runStart));
      flatShape.push_back(n);
      flat = b.create<tensor::CollapseShapeOp>(loc, RankedTensorType::get(flatShape, element),
                                               input, collapse);
    }
    SmallVector<ReassociationIndices> expand;
    for (int64_t d = 0; d < runStart; ++d)
      expand.push_back({d});
    expand.push_back({runStart, runStart + 1});
    Value view = b.create<tensor::ExpandShapeOp>(loc, RankedTensorType::get(viewShape, element),
                                                 flat, expand);
    // Step 1: dims (before the run..., i, l); kept dims and l are parallel.
    int64_t viewRank = runStart + 2;
    SmallVector<int64_t> partialShape;
    SmallVector<AffineExpr> partialExprs;
    SmallVector<IteratorType> iterators;
    for (int64_t d = 0; d < runStart; ++d) {
      iterators.push_back(reduced[d] ? IteratorType::reduction : IteratorType::parallel);
      if (!reduced[d]) {
        partialShape.push_back(inType.getDimSize(d));
        partialExprs.push_back(getAffineDimExpr(d, ctx));
      }
    }
    iterators.push_back(IteratorType::reduction);
    iterators.push_back(IteratorType::parallel);
    partialShape.push_back(lanes);
    partialExprs.push_back(getAffineDimExpr(runStart + 1, ctx));
    auto partialType = RankedTensorType::get(partialShape, result.getElementType());
    Value partial =
        b.create<linalg::GenericOp>(
             loc, TypeRange{partialType}, ValueRange{view},
             ValueRange{emptyTensor(b, loc, partialType, initValue)},
             SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(viewRank, ctx),
                                    AffineMap::get(viewRank, 0, partialExprs, ctx)},
             iterators,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               Value x = pre ? pre(nb, l, a[0]) : a[0];
               nb.create<linalg::YieldOp>(l, combine(nb, l, x, a[1]));
             })
            .getResult(0);
    // Step 2: combine the lanes, into the result's layout (1s where
    // reduced when it keeps its rank).
    int64_t partialRank = partialType.getRank();
    bool keepDims = result.getRank() == rank;
    SmallVector<AffineExpr> outExprs;
    int64_t kept = 0;
    for (int64_t d = 0; d < rank; ++d) {
      if (d < runStart && !reduced[d])
        outExprs.push_back(getAffineDimExpr(kept++, ctx));
      else if (keepDims)
        outExprs.push_back(getAffineConstantExpr(0, ctx));
    }
    SmallVector<IteratorType> laneIterators(partialRank - 1, IteratorType::parallel);
    laneIterators.push_back(IteratorType::reduction);
    return b
        .create<linalg::GenericOp>(
            loc, TypeRange{result}, ValueRange{partial},
            ValueRange{emptyTensor(b, loc, result, initValue)},
            SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(partialRank, ctx),
                                   AffineMap::get(partialRank, 0, outExprs, ctx)},
            laneIterators,
            [&](OpBuilder &nb, Location l, ValueRange a) {
              nb.create<linalg::YieldOp>(l, combine(nb, l, a[0], a[1]));
            })
        .getResult(0);
  }

  Value reduce(Value input, ArrayRef<int64_t> axes, RankedTensorType result,
               Value initValue,
               function_ref<Value(OpBuilder &, Location, Value, Value)> combine,
               function_ref<Value(OpBuilder &, Location, Value)> pre = {}) {
    auto inType = tensorType(input);
    int64_t rank = inType.getRank();
    MLIRContext *ctx = b.getContext();
    SmallVector<bool> reduced(rank, false);
    for (int64_t a : axes)
      reduced[a] = true;
    bool keepDims = result.getRank() == rank;
    if (Value split = reduceInLanes(input, reduced, result, initValue, combine, pre))
      return split;
    SmallVector<AffineExpr> outExprs;
    SmallVector<IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      iterators.push_back(reduced[d] ? IteratorType::reduction
                                     : IteratorType::parallel);
      if (!reduced[d])
        outExprs.push_back(getAffineDimExpr(d, ctx));
      else if (keepDims)
        outExprs.push_back(getAffineConstantExpr(0, ctx));
    }
    SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx),
                                   AffineMap::get(rank, 0, outExprs, ctx)};
    Value init = emptyTensor(b, loc, result, initValue);
    return b
        .create<linalg::GenericOp>(
            loc, TypeRange{result}, ValueRange{input}, ValueRange{init}, maps,
            iterators,
            [&](OpBuilder &nb, Location l, ValueRange a) {
              Value x = pre ? pre(nb, l, a[0]) : a[0];
              nb.create<linalg::YieldOp>(l, combine(nb, l, x, a[1]));
            })
        .getResult(0);
  }

  /// The axes a reduction op reduces, normalised; all axes when empty.
  FailureOr<SmallVector<int64_t>> reductionAxes(Value axesValue, int64_t rank,
                                                bool noopWithEmpty) {
    auto axes = constantInts(axesValue);
    if (failed(axes))
      return unsupported("non-constant axes"), failure();
    SmallVector<int64_t> result;
    if (axes->empty() && !noopWithEmpty)
      for (int64_t d = 0; d < rank; ++d)
        result.push_back(d);
    for (int64_t a : *axes)
      result.push_back(a < 0 ? a + rank : a);
    llvm::sort(result);
    return result;
  }

  template <typename ReduceOpT>
  FailureOr<SmallVector<Value>> lowerReduce(ReduceOpT reduceOp) {
    auto inType = tensorType(reduceOp.getData());
    auto axes = reductionAxes(reduceOp.getAxes(), inType.getRank(),
                              reduceOp.getNoopWithEmptyAxes());
    if (failed(axes))
      return failure();
    auto result = reduceOp.getType();
    Type element = result.getElementType();
    if (!isa<FloatType>(element))
      return unsupported("integer reductions"), failure();
    auto add = [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
      return nb.create<arith::AddFOp>(l, x, acc);
    };
    Operation *o = reduceOp.getOperation();
    Value zero = scalarConstant(b, loc, element, 0);
    Value reduced;
    if (isa<ReduceSumOp, ReduceMeanOp>(o)) {
      reduced = reduce(reduceOp.getData(), *axes, result, zero, add);
    } else if (isa<ReduceMaxOp>(o)) {
      reduced = reduce(reduceOp.getData(), *axes, result,
                       lowestValue(b, loc, element),
                       [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
                         return nb.create<arith::MaximumFOp>(l, x, acc);
                       });
    } else if (isa<ReduceMinOp>(o)) {
      Value highest = b.create<arith::ConstantOp>(
          loc, b.getFloatAttr(element, APFloat::getInf(
                                           cast<FloatType>(element).getFloatSemantics())));
      reduced = reduce(reduceOp.getData(), *axes, result, highest,
                       [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
                         return nb.create<arith::MinimumFOp>(l, x, acc);
                       });
    } else if (isa<ReduceProdOp>(o)) {
      reduced = reduce(reduceOp.getData(), *axes, result,
                       scalarConstant(b, loc, element, 1),
                       [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
                         return nb.create<arith::MulFOp>(l, x, acc);
                       });
    } else if (isa<ReduceL1Op>(o)) {
      reduced = reduce(reduceOp.getData(), *axes, result, zero, add,
                       [](OpBuilder &nb, Location l, Value x) -> Value {
                         return nb.create<math::AbsFOp>(l, x);
                       });
    } else if (isa<ReduceLogSumExpOp>(o)) {
      reduced = reduce(reduceOp.getData(), *axes, result, zero, add,
                       [](OpBuilder &nb, Location l, Value x) -> Value {
                         return nb.create<math::ExpOp>(l, x);
                       });
      reduced = buildElementwise(b, loc, result, reduced,
                                 [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                   return nb.create<math::LogOp>(l, a[0]);
                                 });
    } else if (isa<ReduceSumSquareOp, ReduceL2Op>(o)) {
      reduced = reduce(reduceOp.getData(), *axes, result, zero, add,
                       [](OpBuilder &nb, Location l, Value x) -> Value {
                         return nb.create<arith::MulFOp>(l, x, x);
                       });
    } else {
      return unsupported("this reduction"), failure();
    }
    if (isa<ReduceMeanOp>(o)) {
      int64_t count = 1;
      for (int64_t a : *axes)
        count *= inType.getDimSize(a);
      reduced = buildElementwise(b, loc, result, reduced,
                                 [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                   return nb.create<arith::DivFOp>(
                                       l, a[0], scalarConstant(nb, l, element, count));
                                 });
    } else if (isa<ReduceL2Op>(o)) {
      reduced = buildElementwise(b, loc, result, reduced,
                                 [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                   return nb.create<math::SqrtOp>(l, a[0]);
                                 });
    }
    return SmallVector<Value>{reduced};
  }

  FailureOr<SmallVector<Value>> lowerGlobalPool(Value input, bool isMax) {
    auto result = resultType();
    auto inType = tensorType(input);
    Type element = result.getElementType();
    SmallVector<int64_t> axes;
    int64_t count = 1;
    for (int64_t d = 2; d < inType.getRank(); ++d) {
      axes.push_back(d);
      count *= inType.getDimSize(d);
    }
    if (!isMax && dequantizedPoolInputs)
      if (DequantizeLinearOp dequantize = dequantizedPoolInputs->lookup(op)) {
        // The mean of a per-tensor dequantized tensor from its integers:
        //   mean((q - zp) * s) = (sum(q) / count - zp) * s,
        // q summed as floats (exact while the sum stays below 2^24), so the
        // dequantized tensor is never written (its lowering is left unread).
        DenseElementsAttr scaleAttr, zeroPointAttr;
        matchPattern(dequantize.getScale(), m_Constant(&scaleAttr));
        matchPattern(dequantize.getZeroPoint(), m_Constant(&zeroPointAttr));
        auto &[sources, unused] = bodySources->at(dequantize);
        bool qUnsigned = sources[0].isUnsignedInteger();
        APInt zpBits = *zeroPointAttr.getValues<APInt>().begin();
        double zeroPoint = sources[2].isUnsignedInteger() ? (double)zpBits.getZExtValue()
                                                          : (double)zpBits.getSExtValue();
        double scale = (*scaleAttr.getValues<APFloat>().begin()).convertToDouble();
        Value sum = reduce(
            dequantize.getInput(), axes, result, scalarConstant(b, loc, element, 0),
            [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
              return nb.create<arith::AddFOp>(l, x, acc);
            },
            [&](OpBuilder &nb, Location l, Value q) -> Value {
              return qUnsigned ? nb.create<arith::UIToFPOp>(l, element, q).getResult()
                               : nb.create<arith::SIToFPOp>(l, element, q).getResult();
            });
        return SmallVector<Value>{buildElementwise(
            b, loc, result, sum, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
              Value mean =
                  nb.create<arith::DivFOp>(l, a[0], scalarConstant(nb, l, element, count));
              return nb.create<arith::MulFOp>(
                  l, nb.create<arith::SubFOp>(l, mean, scalarConstant(nb, l, element, zeroPoint)),
                  scalarConstant(nb, l, element, scale));
            })};
      }
    if (isMax)
      return SmallVector<Value>{reduce(
          input, axes, result, lowestValue(b, loc, element),
          [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
            return nb.create<arith::MaximumFOp>(l, x, acc);
          })};
    Value sum = reduce(input, axes, result, scalarConstant(b, loc, element, 0),
                       [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
                         return nb.create<arith::AddFOp>(l, x, acc);
                       });
    return SmallVector<Value>{buildElementwise(
        b, loc, result, sum, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          return nb.create<arith::DivFOp>(l, a[0],
                                          scalarConstant(nb, l, element, count));
        })};
  }

  /// softmax(x) = e^(x - max) / sum e^(x - max); log_softmax(x) =
  /// x - max - ln(sum e^(x - max)), along one axis.
  FailureOr<SmallVector<Value>> lowerSoftmax(Value input, int64_t axis, bool log) {
    auto type = tensorType(input);
    int64_t rank = type.getRank();
    if (axis < 0)
      axis += rank;
    Type element = type.getElementType();
    SmallVector<int64_t> reducedShape(type.getShape());
    reducedShape[axis] = 1;
    auto reducedType = RankedTensorType::get(reducedShape, element);
    Value max = reduce(input, {axis}, reducedType, lowestValue(b, loc, element),
                       [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
                         return nb.create<arith::MaximumFOp>(l, x, acc);
                       });
    Value shifted = buildElementwise(
        b, loc, type, {input, max}, [](OpBuilder &nb, Location l, ValueRange a) -> Value {
          return nb.create<arith::SubFOp>(l, a[0], a[1]);
        });
    Value sum = reduce(shifted, {axis}, reducedType, scalarConstant(b, loc, element, 0),
                       [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
                         return nb.create<arith::AddFOp>(l, x, acc);
                       },
                       [](OpBuilder &nb, Location l, Value x) -> Value {
                         return nb.create<math::ExpOp>(l, x);
                       });
    return SmallVector<Value>{buildElementwise(
        b, loc, type, {shifted, sum}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          if (log)
            return nb.create<arith::SubFOp>(l, a[0], nb.create<math::LogOp>(l, a[1]));
          return nb.create<arith::DivFOp>(l, nb.create<math::ExpOp>(l, a[0]), a[1]);
        })};
  }

  /// batch_norm: y = x * s[c] + t[c] with s = scale / sqrt(var + eps),
  /// t = bias - mean * s, computed per element from the parameters.
  FailureOr<SmallVector<Value>> lowerBatchNorm(BatchNormOp bn) {
    auto type = bn.getType();
    int64_t rank = type.getRank();
    MLIRContext *ctx = b.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap channel = AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
    double epsilon = bn.getEpsilon().convertToDouble();
    Type element = type.getElementType();
    auto generic = b.create<linalg::GenericOp>(
        loc, TypeRange{type},
        ValueRange{bn.getInput(), bn.getScale(), bn.getBias(), bn.getMean(),
                   bn.getVariance()},
        ValueRange{emptyTensor(b, loc, type)},
        SmallVector<AffineMap>{identity, channel, channel, channel, channel, identity},
        SmallVector<IteratorType>(rank, IteratorType::parallel),
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value denom = nb.create<math::SqrtOp>(
              l, nb.create<arith::AddFOp>(l, a[4], scalarConstant(nb, l, element, epsilon)));
          Value normalized = nb.create<arith::DivFOp>(
              l, nb.create<arith::SubFOp>(l, a[0], a[3]), denom);
          Value y = nb.create<arith::AddFOp>(
              l, nb.create<arith::MulFOp>(l, normalized, a[1]), a[2]);
          nb.create<linalg::YieldOp>(l, y);
        });
    return SmallVector<Value>{generic.getResult(0)};
  }

  /// layer_norm over the axes from `axis` to the last:
  /// y = (x - mean) / sqrt(var + eps) * scale + bias.
  FailureOr<SmallVector<Value>> lowerLayerNorm(LayerNormOp ln) {
    auto type = ln.getType();
    int64_t rank = type.getRank();
    int64_t axis = ln.getAxis() < 0 ? ln.getAxis() + rank : ln.getAxis();
    Type element = type.getElementType();
    SmallVector<int64_t> axes, reducedShape(type.getShape());
    int64_t count = 1;
    for (int64_t d = axis; d < rank; ++d) {
      axes.push_back(d);
      reducedShape[d] = 1;
      count *= type.getDimSize(d);
    }
    auto reducedType = RankedTensorType::get(reducedShape, element);
    auto add = [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
      return nb.create<arith::AddFOp>(l, x, acc);
    };
    Value zero = scalarConstant(b, loc, element, 0);
    Value countValue = scalarConstant(b, loc, element, count);
    Value sum = reduce(ln.getInput(), axes, reducedType, zero, add);
    Value centered = buildElementwise(
        b, loc, type, {ln.getInput(), sum}, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          return nb.create<arith::SubFOp>(l, a[0],
                                          nb.create<arith::DivFOp>(l, a[1], countValue));
        });
    Value squares = reduce(centered, axes, reducedType, zero, add,
                           [](OpBuilder &nb, Location l, Value x) -> Value {
                             return nb.create<arith::MulFOp>(l, x, x);
                           });
    double epsilon = ln.getEpsilon().convertToDouble();
    SmallVector<Value> operands = {centered, squares, ln.getScale()};
    if (ln.getBias())
      operands.push_back(ln.getBias());
    return SmallVector<Value>{buildElementwise(
        b, loc, type, operands, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value variance = nb.create<arith::DivFOp>(l, a[1], countValue);
          Value denom = nb.create<math::SqrtOp>(
              l, nb.create<arith::AddFOp>(l, variance, scalarConstant(nb, l, element, epsilon)));
          Value y = nb.create<arith::MulFOp>(
              l, nb.create<arith::DivFOp>(l, a[0], denom), a[2]);
          if (a.size() > 3)
            y = nb.create<arith::AddFOp>(l, y, a[3]);
          return y;
        })};
  }

  /// y = alpha * op(a) op(b) + beta * c.
  FailureOr<SmallVector<Value>> lowerGemm(GemmOp gemm) {
    auto result = gemm.getType();
    Type element = result.getElementType();
    Value a = gemm.getA(), bm = gemm.getB();
    if (gemm.getTransA())
      a = transpose(a, {1, 0});
    if (gemm.getTransB())
      bm = transpose(bm, {1, 0});
    // y[i, j] += a[i, k] * b[k, j] in loop order i, k, j (vectorizable).
    MLIRContext *ctx = b.getContext();
    AffineExpr i = getAffineDimExpr(0, ctx), k = getAffineDimExpr(1, ctx),
               j = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {i, k}, ctx),
                                   AffineMap::get(3, 0, {k, j}, ctx),
                                   AffineMap::get(3, 0, {i, j}, ctx)};
    Value init = emptyTensor(b, loc, result, scalarConstant(b, loc, element, 0));
    Value product =
        b.create<linalg::GenericOp>(
             loc, TypeRange{result}, ValueRange{a, bm}, ValueRange{init}, maps,
             SmallVector<IteratorType>{IteratorType::parallel,
                                       IteratorType::reduction,
                                       IteratorType::parallel},
             [](OpBuilder &nb, Location l, ValueRange v) {
               Value p = nb.create<arith::MulFOp>(l, v[0], v[1]);
               nb.create<linalg::YieldOp>(
                   l, nb.create<arith::AddFOp>(l, v[2], p).getResult());
             })
            .getResult(0);
    double alpha = gemm.getAlpha().convertToDouble();
    double beta = gemm.getBeta().convertToDouble();
    if (!gemm.getC() && alpha == 1.0)
      return SmallVector<Value>{product};
    SmallVector<Value> operands = {product};
    if (gemm.getC())
      operands.push_back(gemm.getC());
    return SmallVector<Value>{buildElementwise(
        b, loc, result, operands, [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
          Value y = v[0];
          if (alpha != 1.0)
            y = nb.create<arith::MulFOp>(l, y, scalarConstant(nb, l, element, alpha));
          if (v.size() > 1) {
            Value c = v[1];
            if (beta != 1.0)
              c = nb.create<arith::MulFOp>(l, c, scalarConstant(nb, l, element, beta));
            y = nb.create<arith::AddFOp>(l, y, c);
          }
          return y;
        })};
  }

  /// numpy matmul: y[batch..., i, j] = sum_k a[..., i, k] * b[..., k, j] with
  /// broadcast batch dims, as one linalg.generic.
  FailureOr<SmallVector<Value>> lowerMatMul(MatMulOp mm) {
    auto product = matmulGeneric(mm.getA(), mm.getB(), mm.getType());
    if (failed(product))
      return failure();
    return SmallVector<Value>{*product};
  }

  /// attention(q, k, v, mask):
  ///   s = scale * q kT, then the mask (s = m ? fill : s, or s + m),
  ///   y = softmax_j(s) v
  /// as a transpose of k, two matmul generics, one elementwise generic for
  /// scale and mask, and the softmax's reductions.
  FailureOr<SmallVector<Value>> lowerAttention(AttentionOp attention) {
    auto qType = tensorType(attention.getQ()), kType = tensorType(attention.getK());
    int64_t rank = qType.getRank();
    if (!qType.getElementType().isF32())
      return unsupported("non-f32 element types"), failure();
    SmallVector<int64_t> swapLast = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(swapLast[rank - 2], swapLast[rank - 1]);
    Value keysT = transpose(attention.getK(), swapLast);
    SmallVector<int64_t> scoresShape(qType.getShape());
    scoresShape.back() = kType.getDimSize(rank - 2);
    auto scoresType = RankedTensorType::get(scoresShape, qType.getElementType());
    auto scores = matmulGeneric(attention.getQ(), keysT, scoresType);
    if (failed(scores))
      return failure();
    Type element = qType.getElementType();
    double scale = attention.getScale().convertToDouble();
    double fill = attention.getMaskFill().convertToDouble();
    Value mask = attention.getMask();
    bool booleanMask = mask && tensorType(mask).getElementType().isInteger(1);
    SmallVector<Value> operands = {*scores};
    if (mask)
      operands.push_back(mask);
    Value masked = buildElementwise(
        b, loc, scoresType, operands, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value s = nb.create<arith::MulFOp>(l, a[0], scalarConstant(nb, l, element, scale));
          if (!mask)
            return s;
          if (booleanMask)
            return nb.create<arith::SelectOp>(l, a[1], scalarConstant(nb, l, element, fill), s);
          return nb.create<arith::AddFOp>(l, s, a[1]);
        });
    auto probabilities = lowerSoftmax(masked, rank - 1, /*log=*/false);
    if (failed(probabilities))
      return failure();
    auto product = matmulGeneric((*probabilities)[0], attention.getV(), attention.getType());
    if (failed(product))
      return failure();
    return SmallVector<Value>{*product};
  }

  FailureOr<Value> matmulGeneric(Value lhs, Value rhs, RankedTensorType result) {
    auto aType = tensorType(lhs), bType = tensorType(rhs);
    if (aType.getRank() < 2 || bType.getRank() < 2)
      return unsupported("1-D operands"), failure();
    Type element = result.getElementType();
    MLIRContext *ctx = b.getContext();
    int64_t rank = result.getRank(); // batch..., i, j
    int64_t numDims = rank + 1;      // plus k
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    auto operandMap = [&](RankedTensorType t, AffineExpr row, AffineExpr col) {
      SmallVector<AffineExpr> exprs;
      int64_t batch = t.getRank() - 2;
      int64_t offset = (rank - 2) - batch;
      for (int64_t i = 0; i < batch; ++i)
        exprs.push_back(t.getDimSize(i) == 1 && result.getDimSize(i + offset) != 1
                            ? getAffineConstantExpr(0, ctx)
                            : d(i + offset));
      exprs.push_back(row);
      exprs.push_back(col);
      return AffineMap::get(numDims, 0, exprs, ctx);
    };
    // Loop order batch..., i, k, j: the innermost loop walks a row of b and
    // of the result contiguously with a[i, k] invariant (vectorizable).
    AffineExpr i = d(rank - 2), k = d(rank - 1), j = d(rank);
    SmallVector<AffineExpr> outExprs;
    for (int64_t x = 0; x < rank - 2; ++x)
      outExprs.push_back(d(x));
    outExprs.push_back(i);
    outExprs.push_back(j);
    SmallVector<AffineMap> maps = {operandMap(aType, i, k), operandMap(bType, k, j),
                                   AffineMap::get(numDims, 0, outExprs, ctx)};
    SmallVector<IteratorType> iterators(rank - 1, IteratorType::parallel);
    iterators.push_back(IteratorType::reduction);
    iterators.push_back(IteratorType::parallel);
    Value init = emptyTensor(b, loc, result, scalarConstant(b, loc, element, 0));
    auto generic = b.create<linalg::GenericOp>(
        loc, TypeRange{result}, ValueRange{lhs, rhs}, ValueRange{init},
        maps, iterators, [](OpBuilder &nb, Location l, ValueRange a) {
          nb.create<linalg::YieldOp>(l, multiplyAdd(nb, l, a[2], a[0], a[1]));
        });
    return generic.getResult(0);
  }

  Value transpose(Value input, ArrayRef<int64_t> perm) {
    auto type = tensorType(input);
    SmallVector<int64_t> shape;
    for (int64_t p : perm)
      shape.push_back(type.getDimSize(p));
    auto resultType = RankedTensorType::get(shape, type.getElementType());
    Value init = emptyTensor(b, loc, resultType);
    return b.create<linalg::TransposeOp>(loc, input, init, perm).getResult()[0];
  }

  /// Reshape-like ops on static shapes: tensor.reshape to the result shape.
  FailureOr<SmallVector<Value>> lowerReshape(Value input) {
    auto result = resultType();
    if (!result.hasStaticShape() || !tensorType(input).hasStaticShape())
      return unsupported("dynamic shapes"), failure();
    if (tensorType(input) == result)
      return SmallVector<Value>{input};
    auto shapeType = RankedTensorType::get({result.getRank()}, b.getI64Type());
    Value shape = b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(shapeType, result.getShape()));
    return SmallVector<Value>{
        b.create<tensor::ReshapeOp>(loc, result, input, shape).getResult()};
  }

  FailureOr<SmallVector<Value>> lowerConcat(ConcatOp concat) {
    auto result = concat.getType();
    if (!result.hasStaticShape())
      return unsupported("dynamic shapes"), failure();
    Value acc = emptyTensor(b, loc, result);
    int64_t axis = concat.getAxis(), offset = 0;
    int64_t rank = result.getRank();
    for (Value input : concat.getInputs()) {
      auto t = tensorType(input);
      SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
      offsets[axis] = offset;
      acc = b.create<tensor::InsertSliceOp>(
          loc, input, acc, getAsIndexOpFoldResult(b.getContext(), offsets),
          getAsIndexOpFoldResult(b.getContext(), t.getShape()),
          getAsIndexOpFoldResult(b.getContext(), strides));
      offset += t.getDimSize(axis);
    }
    return SmallVector<Value>{acc};
  }

  FailureOr<SmallVector<Value>> lowerSplit(SplitOp split) {
    auto sizes = constantInts(split.getSplit());
    if (failed(sizes))
      return unsupported("non-constant sizes"), failure();
    auto inType = tensorType(split.getInput());
    int64_t axis = split.getAxis(), offset = 0, rank = inType.getRank();
    SmallVector<Value> results;
    for (auto [i, size] : llvm::enumerate(*sizes)) {
      SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
      offsets[axis] = offset;
      auto resultT = cast<RankedTensorType>(split.getResult(i).getType());
      results.push_back(b.create<tensor::ExtractSliceOp>(
          loc, resultT, split.getInput(),
          getAsIndexOpFoldResult(b.getContext(), offsets),
          getAsIndexOpFoldResult(b.getContext(), resultT.getShape()),
          getAsIndexOpFoldResult(b.getContext(), strides)));
      offset += size;
    }
    return results;
  }

  /// Slice with constant bounds: a strided tensor.extract_slice; negative
  /// steps are not lowered yet.
  FailureOr<SmallVector<Value>> lowerSlice(SliceOp slice) {
    auto starts = constantInts(slice.getStarts()), axes = constantInts(slice.getAxes()),
         steps = constantInts(slice.getSteps());
    if (failed(starts) || failed(axes) || failed(steps))
      return unsupported("non-constant bounds"), failure();
    auto inType = tensorType(slice.getInput());
    auto result = slice.getType();
    int64_t rank = inType.getRank();
    SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
    for (auto [i, axisValue] : llvm::enumerate(*axes)) {
      int64_t axis = axisValue < 0 ? axisValue + rank : axisValue;
      int64_t step = (*steps)[i];
      if (step < 0)
        return unsupported("negative steps"), failure();
      int64_t dim = inType.getDimSize(axis);
      int64_t start = (*starts)[i];
      if (start < 0)
        start += dim;
      offsets[axis] = std::clamp<int64_t>(start, 0, dim);
      strides[axis] = step;
    }
    return SmallVector<Value>{b.create<tensor::ExtractSliceOp>(
        loc, result, slice.getInput(),
        getAsIndexOpFoldResult(b.getContext(), offsets),
        getAsIndexOpFoldResult(b.getContext(), result.getShape()),
        getAsIndexOpFoldResult(b.getContext(), strides))};
  }

  /// Constant pads only.
  FailureOr<SmallVector<Value>> lowerPad(PadOp pad) {
    auto pads = constantInts(pad.getPads());
    auto value = constantScalar(pad.getConstantValue());
    if (failed(pads) || failed(value))
      return unsupported("non-constant pads or value"), failure();
    auto type = tensorType(pad.getInput());
    int64_t rank = type.getRank();
    if (pad.getMode() != "constant" ||
        llvm::any_of(*pads, [](int64_t p) { return p < 0; })) {
      // Each output element reads input index i = o - pad_begin mapped per
      // mode: reflect (i < 0: -i; i >= n: 2(n-1) - i), edge (clamp to
      // [0, n-1]), wrap (i mod n); constant mode with negative pads crops.
      StringRef mode = pad.getMode();
      Value input = pad.getInput();
      Type element = type.getElementType();
      MLIRContext *ctx = b.getContext();
      auto result = pad.getType();
      double fill = *value;
      auto generic = b.create<linalg::GenericOp>(
          loc, TypeRange{result}, ValueRange{}, ValueRange{emptyTensor(b, loc, result)},
          SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(rank, ctx)},
          SmallVector<IteratorType>(rank, IteratorType::parallel),
          [&](OpBuilder &nb, Location l, ValueRange) {
            Type i64 = nb.getI64Type();
            auto ci = [&](int64_t v) { return scalarConstant(nb, l, i64, v); };
            SmallVector<Value> at;
            Value inside = nb.create<arith::ConstantOp>(l, nb.getBoolAttr(true));
            for (int64_t d = 0; d < rank; ++d) {
              int64_t n = type.getDimSize(d);
              Value i = nb.create<arith::SubIOp>(
                  l, nb.create<arith::IndexCastOp>(l, i64, nb.create<linalg::IndexOp>(l, d)),
                  ci((*pads)[d]));
              if (mode == "reflect") {
                i = nb.create<math::AbsIOp>(l, i);
                Value over = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, i, ci(n));
                i = nb.create<arith::SelectOp>(l, over,
                                               nb.create<arith::SubIOp>(l, ci(2 * (n - 1)), i), i);
              } else if (mode == "wrap") {
                i = nb.create<arith::RemSIOp>(
                    l, nb.create<arith::AddIOp>(l, nb.create<arith::RemSIOp>(l, i, ci(n)), ci(n)),
                    ci(n));
              } else {
                if (mode == "constant") {
                  Value ok = nb.create<arith::AndIOp>(
                      l, nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, i, ci(0)),
                      nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, i, ci(n)));
                  inside = nb.create<arith::AndIOp>(l, inside, ok);
                }
                i = nb.create<arith::MinSIOp>(l, nb.create<arith::MaxSIOp>(l, i, ci(0)), ci(n - 1));
              }
              at.push_back(nb.create<arith::IndexCastOp>(l, nb.getIndexType(), i));
            }
            Value v = nb.create<tensor::ExtractOp>(l, input, at);
            if (mode == "constant")
              v = nb.create<arith::SelectOp>(l, inside, v, scalarConstant(nb, l, element, fill));
            nb.create<linalg::YieldOp>(l, v);
          });
      return SmallVector<Value>{generic.getResult(0)};
    }
    SmallVector<int64_t> low(pads->begin(), pads->begin() + rank);
    SmallVector<int64_t> high(pads->begin() + rank, pads->end());
    Value padValue = scalarConstant(b, loc, type.getElementType(), *value);
    return SmallVector<Value>{
        b.create<tensor::PadOp>(loc, pad.getType(), pad.getInput(),
                                getAsIndexOpFoldResult(b.getContext(), low),
                                getAsIndexOpFoldResult(b.getContext(), high), padValue)
            .getResult()};
  }

  /// Gather along an axis with any indices:
  ///   y[i..., j..., k...] = data[i..., idx(j...), k...],
  /// a linalg.generic over the result that reads data with tensor.extract.
  FailureOr<SmallVector<Value>> lowerGather(GatherOp gather) {
    auto result = gather.getType();
    auto dataType = tensorType(gather.getData());
    auto idxType = tensorType(gather.getIndices());
    int64_t axis = gather.getAxis();
    int64_t rank = result.getRank();
    MLIRContext *ctx = b.getContext();
    SmallVector<AffineExpr> idxExprs;
    for (int64_t i = 0; i < idxType.getRank(); ++i)
      idxExprs.push_back(getAffineDimExpr(axis + i, ctx));
    SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, idxExprs, ctx),
                                   AffineMap::getMultiDimIdentityMap(rank, ctx)};
    Value data = gather.getData();
    int64_t axisSize = dataType.getDimSize(axis);
    auto generic = b.create<linalg::GenericOp>(
        loc, TypeRange{result}, ValueRange{gather.getIndices()},
        ValueRange{emptyTensor(b, loc, result)}, maps,
        SmallVector<IteratorType>(rank, IteratorType::parallel),
        [&](OpBuilder &nb, Location l, ValueRange a) {
          // A negative index counts from the end.
          Value index = nb.create<arith::IndexCastOp>(l, nb.getIndexType(), a[0]);
          Value size = nb.create<arith::ConstantIndexOp>(l, axisSize);
          Value zero = nb.create<arith::ConstantIndexOp>(l, 0);
          Value negative = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, index, zero);
          index = nb.create<arith::SelectOp>(l, negative,
                                             nb.create<arith::AddIOp>(l, index, size), index);
          SmallVector<Value> coords;
          for (int64_t d = 0; d < axis; ++d)
            coords.push_back(nb.create<linalg::IndexOp>(l, d));
          coords.push_back(index);
          for (int64_t d = axis + idxType.getRank(); d < rank; ++d)
            coords.push_back(nb.create<linalg::IndexOp>(l, d));
          nb.create<linalg::YieldOp>(l, nb.create<tensor::ExtractOp>(l, data, coords).getResult());
        });
    return SmallVector<Value>{generic.getResult(0)};
  }

  /// The single element of a condition or trip-count tensor, as a scalar.
  Value extractScalar(Value tensor) {
    auto type = tensorType(tensor);
    SmallVector<Value> indices(type.getRank(),
                               b.create<arith::ConstantIndexOp>(loc, 0));
    return b.create<tensor::ExtractOp>(loc, tensor, indices);
  }

  /// Replaces the dsc.yield ending `block` with scf.yield of the same values
  /// (or of `values` when given).
  void replaceYield(Block &block, std::optional<ValueRange> values = {}) {
    auto yield = cast<YieldOp>(block.getTerminator());
    OpBuilder yb(yield);
    yb.create<scf::YieldOp>(yield.getLoc(), values ? *values : yield.getValues());
    yield.erase();
  }

  /// dsc.if -> scf.if on the extracted condition; the branches move as is.
  FailureOr<SmallVector<Value>> lowerIf(IfOp ifOp) {
    Value condition = extractScalar(ifOp.getCondition());
    auto scfIf = b.create<scf::IfOp>(loc, ifOp.getResultTypes(), condition,
                                     /*withElseRegion=*/true);
    for (auto [from, to] : {std::pair<Region *, Region *>{&ifOp.getThenBranch(),
                                                         &scfIf.getThenRegion()},
                            {&ifOp.getElseBranch(), &scfIf.getElseRegion()}}) {
      to->getBlocks().clear();
      to->takeBody(*from);
      replaceYield(to->front());
    }
    return SmallVector<Value>(scfIf.getResults());
  }

  /// dsc.loop (no scan outputs) -> scf.while over (iteration, condition,
  /// carried values): continue while iteration < trip count and condition;
  /// the body runs with the iteration and condition as 0-d tensors, as in
  /// ONNX, and yields the next condition and carried values.
  FailureOr<SmallVector<Value>> lowerLoop(LoopOp loop) {
    if (loop.getNumResults() != loop.getInitialValues().size())
      return unsupported("scan outputs"), failure();
    Type i64 = b.getI64Type(), i1 = b.getI1Type();
    Value tripCount = extractScalar(loop.getMaxTripCount());
    Value condition = extractScalar(loop.getCondition());
    SmallVector<Value> inits = {b.create<arith::ConstantOp>(loc, b.getI64IntegerAttr(0)),
                                condition};
    llvm::append_range(inits, loop.getInitialValues());
    SmallVector<Type> types = {i64, i1};
    llvm::append_range(types, loop.getResultTypes());
    SmallVector<Location> locs(types.size(), loc);
    auto whileOp = b.create<scf::WhileOp>(loc, types, inits);
    // before: continue = iteration < trip count && condition.
    Block *before = b.createBlock(&whileOp.getBefore(), {}, types, locs);
    Value more = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt,
                                         before->getArgument(0), tripCount);
    Value go = b.create<arith::AndIOp>(loc, more, before->getArgument(1));
    b.create<scf::ConditionOp>(loc, go, before->getArguments());
    // after: the ONNX body.
    Block *after = b.createBlock(&whileOp.getAfter(), {}, types, locs);
    Block &body = loop.getBody().front();
    Value iterTensor = b.create<tensor::FromElementsOp>(
        loc, RankedTensorType::get({}, i64), ValueRange{after->getArgument(0)});
    Value condTensor = b.create<tensor::FromElementsOp>(
        loc, RankedTensorType::get({}, i1), ValueRange{after->getArgument(1)});
    body.getArgument(0).replaceAllUsesWith(iterTensor);
    body.getArgument(1).replaceAllUsesWith(condTensor);
    for (unsigned i = 2; i < body.getNumArguments(); ++i)
      body.getArgument(i).replaceAllUsesWith(after->getArgument(i));
    after->getOperations().splice(after->end(), body.getOperations());
    auto yield = cast<YieldOp>(after->getTerminator());
    b.setInsertionPoint(yield);
    SmallVector<Value> next = {
        b.create<arith::AddIOp>(loc, after->getArgument(0),
                                b.create<arith::ConstantOp>(loc, b.getI64IntegerAttr(1))),
        extractScalar(yield.getValues()[0])};
    llvm::append_range(next, yield.getValues().drop_front());
    b.create<scf::YieldOp>(loc, next);
    yield.erase();
    b.setInsertionPointAfter(whileOp);
    return SmallVector<Value>(whileOp.getResults().drop_front(2));
  }

  /// Resize: each output element reads the input at coordinates mapped back
  /// per axis by `coordinate_transformation_mode` (s = out/in, or the given
  /// scale):
  ///   half_pixel: (o + 0.5)/s - 0.5   asymmetric: o/s
  ///   pytorch_half_pixel: out > 1 ? (o + 0.5)/s - 0.5 : 0
  ///   align_corners: out > 1 ? o (in - 1)/(out - 1) : 0
  /// nearest rounds per `nearest_mode` and clamps to [0, in - 1]; linear
  /// interpolates between the two neighbours of each resized axis (up to two
  /// resized axes), with coordinates clamped to [0, in - 1].
  FailureOr<SmallVector<Value>> lowerResize(ResizeOp resize) {
    auto result = resize.getType();
    auto inType = tensorType(resize.getInput());
    int64_t rank = result.getRank();
    std::string mode = resize.getMode().str();
    std::string ctm = resize.getCoordinateTransformationMode().str();
    std::string nearestMode = resize.getNearestMode().str();
    if (mode == "cubic" || ctm == "tf_crop_and_resize")
      return unsupported("cubic mode or tf_crop_and_resize"), failure();
    if (mode != "nearest" && !isa<FloatType>(result.getElementType()))
      return unsupported("linear resize of integers"), failure();
    SmallVector<double> scales(rank, 0.0);
    DenseFPElementsAttr scaleAttr;
    bool constantScales = matchPattern(resize.getScales(), m_Constant(&scaleAttr));
    if (!constantScales && tensorType(resize.getScales()).getNumElements() != 0)
      return unsupported("scales given at run time"), failure();
    if (constantScales && scaleAttr.getNumElements() == rank)
      for (auto [i, v] : llvm::enumerate(scaleAttr.getValues<APFloat>()))
        scales[i] = v.convertToDouble();
    SmallVector<int64_t> resized;
    for (int64_t d = 0; d < rank; ++d) {
      if (scales[d] == 0.0)
        scales[d] = (double)result.getDimSize(d) / inType.getDimSize(d);
      if (result.getDimSize(d) != inType.getDimSize(d) || scales[d] != 1.0)
        resized.push_back(d);
    }
    if (mode == "linear" && resized.size() > 2)
      return unsupported("linear resize of more than two axes"), failure();
    Value input = resize.getInput();
    Type element = result.getElementType();
    MLIRContext *ctx = b.getContext();
    // Nearest upsampling by whole factors s = out / in: with o = s i + r,
    // 0 <= r < s, asymmetric/floor reads floor(o / s) = i, and half_pixel
    // with either rounding reads round(i + (r + 1/2) / s - 1/2) = i (the
    // offset lies strictly inside (-1/2, 1/2)). Either way y[.., o] =
    // x[.., o floordiv s]: a plain affine read, no float index math.
    bool wholeFactors = mode == "nearest" && result.hasStaticShape() && inType.hasStaticShape();
    for (int64_t d : resized) {
      int64_t in = inType.getDimSize(d), out = result.getDimSize(d);
      wholeFactors &= in > 0 && out % in == 0 && out / in >= 1 &&
                      scales[d] == (double)(out / in);
    }
    bool readsFloor = (ctm == "asymmetric" && nearestMode == "floor") ||
                      ((ctm == "half_pixel" || ctm == "pytorch_half_pixel") &&
                       (nearestMode == "round_prefer_floor" || nearestMode == "round_prefer_ceil"));
    if (wholeFactors && readsFloor) {
      // The last axis splits into [in, factor] so the copy's inner loop
      // stores whole vectors (see interleavedCopy).
      int64_t last = rank - 1;
      int64_t lastFactor = result.getDimSize(last) / inType.getDimSize(last);
      SmallVector<AffineExpr> read;
      for (int64_t d = 0; d < rank; ++d) {
        AffineExpr index = getAffineDimExpr(d, ctx);
        if (d == last)
          read.push_back(index); // the [in] part of the split axis
        else
          read.push_back(llvm::is_contained(resized, d)
                             ? index.floorDiv(result.getDimSize(d) / inType.getDimSize(d))
                             : index);
      }
      return SmallVector<Value>{interleavedCopy(input, read, result, lastFactor)};
    }
    auto generic = b.create<linalg::GenericOp>(
        loc, TypeRange{result}, ValueRange{}, ValueRange{emptyTensor(b, loc, result)},
        SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(rank, ctx)},
        SmallVector<IteratorType>(rank, IteratorType::parallel),
        [&](OpBuilder &nb, Location l, ValueRange) {
          Type f32 = nb.getF32Type();
          auto cf = [&](double v) { return scalarConstant(nb, l, f32, v); };
          SmallVector<Value> nearest, low, high, weight;
          for (int64_t d = 0; d < rank; ++d) {
            Value index = nb.create<linalg::IndexOp>(l, d);
            nearest.push_back(index);
            low.push_back(index);
            high.push_back(index);
            weight.push_back(Value());
            if (!llvm::is_contained(resized, d))
              continue;
            int64_t in = inType.getDimSize(d), out = result.getDimSize(d);
            Value o = nb.create<arith::UIToFPOp>(
                l, f32, nb.create<arith::IndexCastOp>(l, nb.getI64Type(), index));
            Value x;
            if (ctm == "asymmetric")
              x = nb.create<arith::DivFOp>(l, o, cf(scales[d]));
            else if (ctm == "align_corners")
              x = out > 1 ? nb.create<arith::MulFOp>(l, o, cf((double)(in - 1) / (out - 1))).getResult()
                          : cf(0);
            else if (ctm == "pytorch_half_pixel" && out <= 1)
              x = cf(0);
            else if (ctm == "tf_half_pixel_for_nn")
              x = nb.create<arith::DivFOp>(l, nb.create<arith::AddFOp>(l, o, cf(0.5)), cf(scales[d]));
            else // half_pixel, pytorch_half_pixel
              x = nb.create<arith::SubFOp>(
                  l, nb.create<arith::DivFOp>(l, nb.create<arith::AddFOp>(l, o, cf(0.5)), cf(scales[d])),
                  cf(0.5));
            auto toIndex = [&](Value v) -> Value {
              Value i = nb.create<arith::FPToSIOp>(l, nb.getI64Type(), v);
              i = nb.create<arith::MaxSIOp>(l, i, scalarConstant(nb, l, nb.getI64Type(), 0));
              i = nb.create<arith::MinSIOp>(l, i, scalarConstant(nb, l, nb.getI64Type(), in - 1));
              return nb.create<arith::IndexCastOp>(l, nb.getIndexType(), i);
            };
            if (mode == "nearest") {
              Value r;
              if (nearestMode == "floor")
                r = nb.create<math::FloorOp>(l, x);
              else if (nearestMode == "ceil")
                r = nb.create<math::CeilOp>(l, x);
              else if (nearestMode == "round_prefer_ceil")
                r = nb.create<math::FloorOp>(l, nb.create<arith::AddFOp>(l, x, cf(0.5)));
              else // round_prefer_floor
                r = nb.create<math::CeilOp>(l, nb.create<arith::SubFOp>(l, x, cf(0.5)));
              nearest[d] = toIndex(r);
            } else {
              x = clamp(nb, l, x, cf(0), cf(in - 1));
              Value x0 = nb.create<math::FloorOp>(l, x);
              low[d] = toIndex(x0);
              high[d] = toIndex(nb.create<arith::AddFOp>(l, x0, cf(1)));
              weight[d] = nb.create<arith::SubFOp>(l, x, x0);
            }
          }
          Value value;
          if (mode == "nearest") {
            value = nb.create<tensor::ExtractOp>(l, input, nearest);
          } else {
            // Sum over the 2^k corners of w = prod (t or 1 - t).
            value = scalarConstant(nb, l, element, 0);
            for (unsigned corner = 0; corner < (1u << resized.size()); ++corner) {
              SmallVector<Value> at(low);
              Value w = cf(1);
              for (auto [bit, d] : llvm::enumerate(resized)) {
                bool upper = corner & (1u << bit);
                at[d] = upper ? high[d] : low[d];
                w = nb.create<arith::MulFOp>(
                    l, w, upper ? weight[d] : nb.create<arith::SubFOp>(l, cf(1), weight[d]).getResult());
              }
              Value v = nb.create<tensor::ExtractOp>(l, input, at);
              value = nb.create<arith::AddFOp>(l, value, nb.create<arith::MulFOp>(l, v, w));
            }
          }
          nb.create<linalg::YieldOp>(l, value);
        });
    return SmallVector<Value>{generic.getResult(0)};
  }

  /// A linalg.generic over the result whose body computes each element from
  /// the output indices (and reads operands with tensor.extract).
  Value indexGeneric(RankedTensorType result,
                     function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> fn) {
    MLIRContext *ctx = b.getContext();
    int64_t rank = result.getRank();
    return b
        .create<linalg::GenericOp>(
            loc, TypeRange{result}, ValueRange{}, ValueRange{emptyTensor(b, loc, result)},
            SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(rank, ctx)},
            SmallVector<IteratorType>(rank, IteratorType::parallel),
            [&](OpBuilder &nb, Location l, ValueRange) {
              SmallVector<Value> indices;
              for (int64_t d = 0; d < rank; ++d)
                indices.push_back(nb.create<linalg::IndexOp>(l, d));
              nb.create<linalg::YieldOp>(l, fn(nb, l, indices));
            })
        .getResult(0);
  }

  /// tile: y[i...] = x[i mod n ...].
  FailureOr<SmallVector<Value>> lowerTile(TileOp tile) {
    auto inType = tensorType(tile.getInput());
    Value input = tile.getInput();
    return SmallVector<Value>{indexGeneric(
        tile.getType(), [&](OpBuilder &nb, Location l, ArrayRef<Value> idx) -> Value {
          SmallVector<Value> at;
          for (auto [d, i] : llvm::enumerate(idx))
            at.push_back(nb.create<arith::RemUIOp>(
                l, i, nb.create<arith::ConstantIndexOp>(l, inType.getDimSize(d))));
          return nb.create<tensor::ExtractOp>(l, input, at);
        })};
  }

  /// trilu: keep x[..., i, j] where j - i >= k (upper) or j - i <= k (lower).
  FailureOr<SmallVector<Value>> lowerTrilu(TriluOp trilu) {
    Value kTensor = trilu.getK();
    bool upper = trilu.getUpper();
    Value input = trilu.getInput();
    Type element = trilu.getType().getElementType();
    return SmallVector<Value>{indexGeneric(
        trilu.getType(), [&](OpBuilder &nb, Location l, ArrayRef<Value> idx) -> Value {
          Type i64 = nb.getI64Type();
          Value i = nb.create<arith::IndexCastOp>(l, i64, idx[idx.size() - 2]);
          Value j = nb.create<arith::IndexCastOp>(l, i64, idx.back());
          Value diff = nb.create<arith::SubIOp>(l, j, i);
          auto kType = tensorType(kTensor);
          SmallVector<Value> kIndex(kType.getRank(), nb.create<arith::ConstantIndexOp>(l, 0));
          Value diagonal = castScalar(nb, l, nb.create<tensor::ExtractOp>(l, kTensor, kIndex), i64);
          Value keep = nb.create<arith::CmpIOp>(
              l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle, diff,
              diagonal);
          Value v = nb.create<tensor::ExtractOp>(l, input, idx);
          return nb.create<arith::SelectOp>(l, keep, v, scalarConstant(nb, l, element, 0));
        })};
  }

  /// gather_elements: y[i...] = data[i with i[axis] = indices[i...]].
  FailureOr<SmallVector<Value>> lowerGatherElements(GatherElementsOp g) {
    Value data = g.getData(), indices = g.getIndices();
    int64_t axis = g.getAxis();
    int64_t size = tensorType(data).getDimSize(axis);
    return SmallVector<Value>{indexGeneric(
        g.getType(), [&](OpBuilder &nb, Location l, ArrayRef<Value> idx) -> Value {
          Value index = nb.create<arith::IndexCastOp>(
              l, nb.getIndexType(), nb.create<tensor::ExtractOp>(l, indices, idx));
          Value zero = nb.create<arith::ConstantIndexOp>(l, 0);
          Value negative = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, index, zero);
          index = nb.create<arith::SelectOp>(
              l, negative,
              nb.create<arith::AddIOp>(l, index, nb.create<arith::ConstantIndexOp>(l, size)),
              index);
          SmallVector<Value> at(idx);
          at[axis] = index;
          return nb.create<tensor::ExtractOp>(l, data, at);
        })};
  }

  /// one_hot: y[..., j, ...] = indices[...] == j ? on : off (negative
  /// indices count from the end of depth).
  FailureOr<SmallVector<Value>> lowerOneHot(OneHotOp oneHot) {
    Value indices = oneHot.getIndices(), values = oneHot.getValues();
    int64_t axis = oneHot.getAxis();
    auto result = oneHot.getType();
    int64_t depth = result.getDimSize(axis);
    return SmallVector<Value>{indexGeneric(
        result, [&](OpBuilder &nb, Location l, ArrayRef<Value> idx) -> Value {
          SmallVector<Value> at;
          for (auto [d, i] : llvm::enumerate(idx))
            if ((int64_t)d != axis)
              at.push_back(i);
          Value raw = nb.create<tensor::ExtractOp>(l, indices, at);
          Type i64 = nb.getI64Type();
          Value index = isa<FloatType>(raw.getType())
                            ? nb.create<arith::FPToSIOp>(l, i64, raw).getResult()
                            : castScalar(nb, l, raw, i64);
          Value negative = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, index,
                                                    scalarConstant(nb, l, i64, 0));
          index = nb.create<arith::SelectOp>(
              l, negative, nb.create<arith::AddIOp>(l, index, scalarConstant(nb, l, i64, depth)),
              index);
          Value j = nb.create<arith::IndexCastOp>(l, i64, idx[axis]);
          Value hot = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, index, j);
          Value off = nb.create<tensor::ExtractOp>(
              l, values, ValueRange{nb.create<arith::ConstantIndexOp>(l, 0)});
          Value on = nb.create<tensor::ExtractOp>(
              l, values, ValueRange{nb.create<arith::ConstantIndexOp>(l, 1)});
          return nb.create<arith::SelectOp>(l, hot, on, off);
        })};
  }

  /// depth_to_space (toSpace) and space_to_depth, b = blocksize, C the
  /// channels of the space-side tensor:
  ///   DCR: y[n, c, h*b + i, w*b + j] = x[n, (i*b + j)*C + c, h, w]
  ///   CRD: y[n, c, h*b + i, w*b + j] = x[n, c*b*b + i*b + j, h, w]
  ///   space_to_depth: y[n, (i*b + j)*C + c, h, w] = x[n, c, h*b + i, w*b + j]
  FailureOr<SmallVector<Value>> lowerDepthSpace(Value input, int64_t block,
                                                StringRef mode, bool toSpace) {
    auto result = resultType();
    // Depth to space as an interleaved copy over (n, c, oh, j, b), the
    // output's last axis split into [W, block], with i = oh mod block:
    //   CRD: y[n, c, oh, j*block + b] = x[n, (c*block + i)*block + b, oh / block, j]
    //   DCR: y[n, c, oh, j*block + b] = x[n, (i*block + b)*C + c, oh / block, j]
    // (affine reads, no index arithmetic per element).
    if (toSpace && result.hasStaticShape() && tensorType(input).hasStaticShape()) {
      MLIRContext *ctx = b.getContext();
      auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
      AffineExpr i = d(2) % block;
      AffineExpr channel = mode == "CRD" ? (d(1) * block + i) * block + d(4)
                                         : (i * block + d(4)) * result.getDimSize(1) + d(1);
      SmallVector<AffineExpr> read = {d(0), channel, d(2).floorDiv(block), d(3)};
      return SmallVector<Value>{interleavedCopy(input, read, result, block)};
    }
    return SmallVector<Value>{indexGeneric(
        result, [&](OpBuilder &nb, Location l, ArrayRef<Value> idx) -> Value {
          auto c = [&](int64_t v) { return nb.create<arith::ConstantIndexOp>(l, v); };
          auto mul = [&](Value a, Value v) { return nb.create<arith::MulIOp>(l, a, v); };
          auto add = [&](Value a, Value v) { return nb.create<arith::AddIOp>(l, a, v); };
          auto div = [&](Value a, int64_t v) { return nb.create<arith::DivUIOp>(l, a, c(v)); };
          auto rem = [&](Value a, int64_t v) { return nb.create<arith::RemUIOp>(l, a, c(v)); };
          if (toSpace) {
            int64_t channels = result.getDimSize(1);
            Value i = rem(idx[2], block), j = rem(idx[3], block);
            Value ij = add(mul(i, c(block)), j);
            Value inChannel = mode == "CRD" ? add(mul(idx[1], c(block * block)), ij)
                                            : add(mul(ij, c(channels)), idx[1]);
            return nb.create<tensor::ExtractOp>(
                l, input, ValueRange{idx[0], inChannel, div(idx[2], block), div(idx[3], block)});
          }
          int64_t channels = tensorType(input).getDimSize(1);
          Value c0 = rem(idx[1], channels), ij = div(idx[1], channels);
          Value i = div(ij, block), j = rem(ij, block);
          return nb.create<tensor::ExtractOp>(
              l, input, ValueRange{idx[0], c0, add(mul(idx[2], c(block)), i),
                                   add(mul(idx[3], c(block)), j)});
        })};
  }

  /// arg_max / arg_min along `axis`: a reduction carrying (best value, its
  /// index); ties keep the first index, or the last with select_last_index.
  FailureOr<SmallVector<Value>> lowerArgReduce(Value input, int64_t axis,
                                               bool selectLast, bool isMax) {
    auto inType = tensorType(input);
    auto result = resultType();
    Type element = inType.getElementType();
    if (!isa<FloatType>(element))
      return unsupported("integer inputs"), failure();
    int64_t rank = inType.getRank();
    if (axis < 0)
      axis += rank;
    MLIRContext *ctx = b.getContext();
    SmallVector<AffineExpr> outExprs;
    SmallVector<IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      iterators.push_back(d == axis ? IteratorType::reduction : IteratorType::parallel);
      if (d != axis)
        outExprs.push_back(getAffineDimExpr(d, ctx));
      else if (result.getRank() == rank)
        outExprs.push_back(getAffineConstantExpr(0, ctx));
    }
    auto valueType = RankedTensorType::get(result.getShape(), element);
    FloatType floatType = cast<FloatType>(element);
    Value start = b.create<arith::ConstantOp>(
        loc, b.getFloatAttr(element, APFloat::getInf(floatType.getFloatSemantics(), isMax)));
    Value values = emptyTensor(b, loc, valueType, start);
    Value indices = emptyTensor(b, loc, result, scalarConstant(b, loc, b.getI64Type(), 0));
    AffineMap outMap = AffineMap::get(rank, 0, outExprs, ctx);
    auto generic = b.create<linalg::GenericOp>(
        loc, TypeRange{valueType, result}, ValueRange{input}, ValueRange{values, indices},
        SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(rank, ctx), outMap, outMap},
        iterators, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value index = nb.create<arith::IndexCastOp>(l, nb.getI64Type(),
                                                      nb.create<linalg::IndexOp>(l, axis));
          arith::CmpFPredicate pred =
              isMax ? (selectLast ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT)
                    : (selectLast ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OLT);
          Value better = nb.create<arith::CmpFOp>(l, pred, a[0], a[1]);
          nb.create<linalg::YieldOp>(
              l, ValueRange{nb.create<arith::SelectOp>(l, better, a[0], a[1]),
                            nb.create<arith::SelectOp>(l, better, index, a[2])});
        });
    return SmallVector<Value>{generic.getResult(1)};
  }

  /// Negative log-likelihood over log-probabilities `logp` [N, C, d...] and
  /// targets t [N, d...], with optional class weights w:
  ///   l[n, d...] = -w[t] * logp[n, t, d...], 0 where t == ignore_index;
  /// reduction none: l; sum: sum l; mean: sum l / sum of the w[t] counted.
  Value negativeLogLikelihood(Value logp, Value target, Value weight,
                              StringRef reduction, std::optional<int64_t> ignore,
                              RankedTensorType lossType) {
    auto targetType = tensorType(target);
    Type element = tensorType(logp).getElementType();
    auto perElement = RankedTensorType::get(targetType.getShape(), element);
    // Two results per element: the weighted loss and the weight counted.
    auto evaluate = [&](bool wantWeight) {
      return indexGeneric(perElement, [&](OpBuilder &nb, Location l,
                                          ArrayRef<Value> idx) -> Value {
        Value t = nb.create<tensor::ExtractOp>(l, target, idx);
        Type i64 = nb.getI64Type();
        Value tt = castScalar(nb, l, t, i64);
        Value ignored = ignore ? nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, tt,
                                                          scalarConstant(nb, l, i64, *ignore))
                                     .getResult()
                               : nb.create<arith::ConstantOp>(l, nb.getBoolAttr(false)).getResult();
        // Clamp an ignored target to class 0 so the reads stay in bounds.
        Value cls = nb.create<arith::IndexCastOp>(
            l, nb.getIndexType(),
            nb.create<arith::SelectOp>(l, ignored, scalarConstant(nb, l, i64, 0), tt));
        Value w = weight ? nb.create<tensor::ExtractOp>(l, weight, ValueRange{cls}).getResult()
                         : scalarConstant(nb, l, element, 1);
        w = nb.create<arith::SelectOp>(l, ignored, scalarConstant(nb, l, element, 0), w);
        if (wantWeight)
          return w;
        SmallVector<Value> at = {idx[0], cls};
        at.append(idx.begin() + 1, idx.end());
        Value lp = nb.create<tensor::ExtractOp>(l, logp, at);
        return nb.create<arith::NegFOp>(l, nb.create<arith::MulFOp>(l, w, lp));
      });
    };
    Value losses = evaluate(false);
    if (reduction == "none")
      return losses;
    SmallVector<int64_t> all;
    for (int64_t d = 0; d < targetType.getRank(); ++d)
      all.push_back(d);
    auto add = [](OpBuilder &nb, Location l, Value x, Value acc) -> Value {
      return nb.create<arith::AddFOp>(l, x, acc);
    };
    Value zero = scalarConstant(b, loc, element, 0);
    Value sum = reduce(losses, all, lossType, zero, add);
    if (reduction == "sum")
      return sum;
    Value weights = reduce(evaluate(true), all, lossType, zero, add);
    return buildElementwise(b, loc, lossType, {sum, weights},
                            [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                              return nb.create<arith::DivFOp>(l, a[0], a[1]);
                            });
  }

  /// range: y[i] = start + i * delta.
  FailureOr<SmallVector<Value>> lowerRange(RangeOp range) {
    Value start = range.getStart(), delta = range.getDelta();
    Type element = range.getType().getElementType();
    return SmallVector<Value>{indexGeneric(
        range.getType(), [&](OpBuilder &nb, Location l, ArrayRef<Value> idx) -> Value {
          Value s = nb.create<tensor::ExtractOp>(l, start, ValueRange{});
          Value d = nb.create<tensor::ExtractOp>(l, delta, ValueRange{});
          Value i = nb.create<arith::IndexCastOp>(l, nb.getI64Type(), idx[0]);
          if (isa<FloatType>(element)) {
            Value fi = nb.create<arith::SIToFPOp>(l, element, i);
            return nb.create<arith::AddFOp>(l, s, nb.create<arith::MulFOp>(l, fi, d));
          }
          i = castScalar(nb, l, i, element);
          return nb.create<arith::AddIOp>(l, s, nb.create<arith::MulIOp>(l, i, d));
        })};
  }

  //===--------------------------------------------------------------------===//
  // Quantization: integer tensors are signless here; each op reads its
  // operands' signedness from their source types. Integer products
  // accumulate in int32 (exact for the int8/uint8 ranges).
  //===--------------------------------------------------------------------===//

  /// [qmin, qmax] of an integer source type, e.g. uint8 [0, 255].
  static std::pair<int64_t, int64_t> integerRange(Type source) {
    int64_t width = source.getIntOrFloatBitWidth();
    if (source.isUnsignedInteger())
      return {0, (int64_t(1) << width) - 1};
    return {-(int64_t(1) << (width - 1)), (int64_t(1) << (width - 1)) - 1};
  }

  /// A signless integer widened (or narrowed) to i32, read as unsigned or
  /// signed.
  static Value toI32(OpBuilder &nb, Location l, Value x, bool isUnsigned) {
    unsigned width = x.getType().getIntOrFloatBitWidth();
    Type i32 = nb.getI32Type();
    if (width == 32)
      return x;
    if (width > 32)
      return nb.create<arith::TruncIOp>(l, i32, x);
    if (isUnsigned)
      return nb.create<arith::ExtUIOp>(l, i32, x);
    return nb.create<arith::ExtSIOp>(l, i32, x);
  }

  /// (x - zero_point) * scale, the difference exact in int32.
  static Value dequantizeScalar(OpBuilder &nb, Location l, Value x, Value scale,
                                Value zeroPoint, bool xUnsigned, bool zeroPointUnsigned) {
    Value diff = nb.create<arith::SubIOp>(l, toI32(nb, l, x, xUnsigned),
                                          toI32(nb, l, zeroPoint, zeroPointUnsigned));
    return nb.create<arith::MulFOp>(l, nb.create<arith::SIToFPOp>(l, scale.getType(), diff),
                                    scale);
  }

  /// saturate(round_half_even(x / scale) + zero_point), see roundToInteger.
  static Value quantizeScalar(OpBuilder &nb, Location l, Value x, Value scale,
                              Value zeroPoint, bool zeroPointUnsigned, Type source,
                              Type carrier) {
    return roundToInteger(nb, l, nb.create<arith::DivFOp>(l, x, scale), zeroPoint,
                          zeroPointUnsigned, source, carrier);
  }

  /// saturate(round_half_even(v) + zero_point) into the integer source type
  /// `source`, carried as the signless `carrier`.
  static Value roundToInteger(OpBuilder &nb, Location l, Value v, Value zeroPoint,
                              bool zeroPointUnsigned, Type source, Type carrier) {
    auto [qmin, qmax] = integerRange(source);
    Type f32 = v.getType();
    Value rounded = nb.create<math::RoundEvenOp>(l, v);
    Value zp = nb.create<arith::SIToFPOp>(l, f32, toI32(nb, l, zeroPoint, zeroPointUnsigned));
    Value shifted = nb.create<arith::AddFOp>(l, rounded, zp);
    Value saturated = clamp(nb, l, shifted, scalarConstant(nb, l, f32, qmin),
                            scalarConstant(nb, l, f32, qmax));
    // The saturated value fits in int32 (the widest quantized type is 16
    // bits); f32 -> i32 conversions vectorize on every target, f32 -> i64
    // not without AVX512DQ.
    Value wide = nb.create<arith::FPToSIOp>(l, nb.getI32Type(), saturated);
    if (carrier.getIntOrFloatBitWidth() == 32)
      return wide;
    return nb.create<arith::TruncIOp>(l, carrier, wide);
  }

  /// A 1-D per-axis parameter reshaped to broadcast along `axis` of a rank
  /// `rank` tensor ([C] -> [C, 1, ..., 1], right-aligned); one-element and
  /// scalar parameters as they are.
  Value alongAxis(Value param, int64_t axis, int64_t rank) {
    auto type = tensorType(param);
    if (type.getRank() != 1 || type.getNumElements() == 1)
      return param;
    SmallVector<int64_t> shape(rank - axis, 1);
    shape[0] = type.getDimSize(0);
    auto reshaped = RankedTensorType::get(shape, type.getElementType());
    auto shapeType = RankedTensorType::get({(int64_t)shape.size()}, b.getI64Type());
    Value shapeValue = b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(shapeType, ArrayRef<int64_t>(shape)));
    return b.create<tensor::ReshapeOp>(loc, reshaped, param, shapeValue);
  }

  /// x - zero_point as an int32 tensor of x's shape.
  Value centered(Value x, Value zeroPoint, bool xUnsigned, bool zeroPointUnsigned) {
    auto type = tensorType(x);
    auto result = RankedTensorType::get(type.getShape(), b.getI32Type());
    return buildElementwise(b, loc, result, {x, zeroPoint},
                            [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                              return nb.create<arith::SubIOp>(
                                  l, toI32(nb, l, a[0], xUnsigned),
                                  toI32(nb, l, a[1], zeroPointUnsigned));
                            });
  }

  bool isPerTensorOrAxis(Value param) {
    auto type = tensorType(param);
    return type.getRank() <= 1;
  }

  FailureOr<SmallVector<Value>> lowerQuantizeLinear(QuantizeLinearOp q) {
    auto result = q.getType();
    Type source = sourceResultElements[0];
    if (!isa<IntegerType>(source) || !tensorType(q.getInput()).getElementType().isF32() ||
        !tensorType(q.getScale()).getElementType().isF32())
      return unsupported("only float32 to integer quantization"), failure();
    int64_t rank = result.getRank();
    Value scale = alongAxis(q.getScale(), q.getAxis(), rank);
    Value zeroPoint = alongAxis(q.getZeroPoint(), q.getAxis(), rank);
    bool zpUnsigned = operandIsUnsigned(2);
    Type carrier = result.getElementType();
    // y = saturate(round_half_even(x / scale) + zero_point)
    return SmallVector<Value>{buildElementwise(
        b, loc, result, {q.getInput(), scale, zeroPoint},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          return quantizeScalar(nb, l, a[0], a[1], a[2], zpUnsigned, source, carrier);
        })};
  }

  FailureOr<SmallVector<Value>> lowerDequantizeLinear(DequantizeLinearOp q) {
    auto result = q.getType();
    if (!result.getElementType().isF32() ||
        !isa<IntegerType>(tensorType(q.getInput()).getElementType()))
      return unsupported("only integer to float32 dequantization"), failure();
    int64_t rank = result.getRank();
    Value scale = alongAxis(q.getScale(), q.getAxis(), rank);
    Value zeroPoint = alongAxis(q.getZeroPoint(), q.getAxis(), rank);
    bool xUnsigned = operandIsUnsigned(0), zpUnsigned = operandIsUnsigned(2);
    // y = (x - zero_point) * scale, the difference exact in int32.
    return SmallVector<Value>{buildElementwise(
        b, loc, result, {q.getInput(), scale, zeroPoint},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          return dequantizeScalar(nb, l, a[0], a[1], a[2], xUnsigned, zpUnsigned);
        })};
  }

  FailureOr<SmallVector<Value>> lowerDynamicQuantizeLinear(DynamicQuantizeLinearOp q) {
    Value x = q.getInput();
    auto inType = tensorType(x);
    Type f32 = inType.getElementType();
    if (!f32.isF32())
      return unsupported("only float32 inputs"), failure();
    Type u8 = IntegerType::get(b.getContext(), 8, IntegerType::Unsigned);
    Type carrier = b.getI8Type();
    auto scalar = RankedTensorType::get({}, f32);
    auto scalarI8 = RankedTensorType::get({}, carrier);
    SmallVector<int64_t> all = llvm::to_vector(llvm::seq<int64_t>(0, inType.getRank()));
    // The range always includes 0: lo = min(0, min x), hi = max(0, max x)
    // (reductions that start at 0).
    Value zero = scalarConstant(b, loc, f32, 0);
    Value lo = reduce(x, all, scalar, zero, [](OpBuilder &nb, Location l, Value v, Value acc) {
      return nb.create<arith::MinimumFOp>(l, v, acc).getResult();
    });
    Value hi = reduce(x, all, scalar, zero, [](OpBuilder &nb, Location l, Value v, Value acc) {
      return nb.create<arith::MaximumFOp>(l, v, acc).getResult();
    });
    // scale = (hi - lo) / 255, or 1 for an all-zero input.
    Value scale = buildElementwise(b, loc, scalar, {lo, hi},
                                   [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      Value range = nb.create<arith::SubFOp>(l, a[1], a[0]);
      Value s = nb.create<arith::DivFOp>(l, range, scalarConstant(nb, l, f32, 255));
      Value empty = nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OEQ, range,
                                             scalarConstant(nb, l, f32, 0));
      return nb.create<arith::SelectOp>(l, empty, scalarConstant(nb, l, f32, 1), s);
    });
    // zero_point = round_half_even(saturate(0 - lo / scale)) in [0, 255].
    Value zeroPoint = buildElementwise(b, loc, scalarI8, {lo, scale},
                                       [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      Value v = nb.create<arith::NegFOp>(l, nb.create<arith::DivFOp>(l, a[0], a[1]));
      Value saturated = clamp(nb, l, v, scalarConstant(nb, l, f32, 0),
                              scalarConstant(nb, l, f32, 255));
      Value rounded = nb.create<math::RoundEvenOp>(l, saturated);
      Value wide = nb.create<arith::FPToSIOp>(l, nb.getI32Type(), rounded);
      return nb.create<arith::TruncIOp>(l, carrier, wide);
    });
    // y = saturate(round_half_even(x / scale) + zero_point)
    Value y = buildElementwise(b, loc, inType.clone(carrier), {x, scale, zeroPoint},
                               [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
      Value v = nb.create<arith::DivFOp>(l, a[0], a[1]);
      return roundToInteger(nb, l, v, a[2], /*zeroPointUnsigned=*/true, u8, carrier);
    });
    return SmallVector<Value>{y, scale, zeroPoint};
  }

  /// (a - a_zero_point) x (b - b_zero_point) in int32; a's zero point per
  /// tensor or per row, b's per tensor or per column.
  FailureOr<Value> integerMatMul(Value a, Value aZeroPoint, Value bm, Value bZeroPoint,
                                 unsigned aIndex, unsigned aZpIndex, unsigned bIndex,
                                 unsigned bZpIndex, RankedTensorType shape) {
    if (!isPerTensorOrAxis(aZeroPoint) || !isPerTensorOrAxis(bZeroPoint))
      return unsupported("zero points of rank > 1"), failure();
    int64_t aRank = tensorType(a).getRank();
    Value a32 = centered(a, alongAxis(aZeroPoint, aRank - 2, aRank),
                         operandIsUnsigned(aIndex), operandIsUnsigned(aZpIndex));
    Value b32 = centered(bm, bZeroPoint, operandIsUnsigned(bIndex),
                         operandIsUnsigned(bZpIndex));
    return matmulGeneric(a32, b32, shape.clone(b.getI32Type()));
  }

  /// (x - x_zero_point) * (w - w_zero_point) convolved in int32 (padding
  /// reads x_zero_point, i.e. 0 once centred), plus an int32 bias; w's zero
  /// point per tensor or per output channel.
  FailureOr<Value> integerConv(Value x, Value xZeroPoint, Value w, Value wZeroPoint,
                               Value bias, unsigned xIndex, unsigned xZpIndex,
                               unsigned wIndex, unsigned wZpIndex,
                               ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                               ArrayRef<int64_t> dilations, int64_t group,
                               RankedTensorType shape) {
    if (tensorType(xZeroPoint).getNumElements() != 1 || !isPerTensorOrAxis(wZeroPoint))
      return unsupported("x zero point not per tensor, or w zero point of rank > 1"),
             failure();
    int64_t wRank = tensorType(w).getRank();
    Value x32 = centered(x, xZeroPoint, operandIsUnsigned(xIndex),
                         operandIsUnsigned(xZpIndex));
    Value w32 = centered(w, alongAxis(wZeroPoint, 0, wRank), operandIsUnsigned(wIndex),
                         operandIsUnsigned(wZpIndex));
    return lowerConvGeneric(x32, w32, bias, strides, pads, dilations, group,
                            shape.clone(b.getI32Type()));
  }

  FailureOr<SmallVector<Value>> lowerMatMulInteger(MatMulIntegerOp m) {
    // uint8 x int8: the runtime's dot-product kernel.
    if (operandIsUnsigned(0) && operandIsUnsigned(2) && !operandIsUnsigned(1)) {
      auto call = buildQMatMulKernelCall(b, loc, m, m.getType());
      if (succeeded(call))
        return SmallVector<Value>{*call};
    }
    auto product = integerMatMul(m.getA(), m.getAZeroPoint(), m.getB(), m.getBZeroPoint(),
                                 0, 2, 1, 3, m.getType());
    if (failed(product))
      return failure();
    return SmallVector<Value>{*product};
  }

  FailureOr<SmallVector<Value>> lowerConvInteger(ConvIntegerOp c) {
    auto conv = integerConv(c.getX(), c.getXZeroPoint(), c.getW(), c.getWZeroPoint(),
                            Value(), 0, 2, 1, 3, c.getStrides(), c.getPads(),
                            c.getDilations(), c.getGroup(), c.getType());
    if (failed(conv))
      return failure();
    return SmallVector<Value>{*conv};
  }

  /// The requantized result of an int32 accumulator:
  ///   y = saturate(round_half_even(acc * (in_scale * w_scale / y_scale))
  ///                + y_zero_point)
  /// with the multiplier formed in float32 in that order; the scales
  /// already broadcast against `result`.
  Value requantize(Value acc, Value inScale, Value wScale, Value yScale, Value yZeroPoint,
                   bool yZeroPointUnsigned, RankedTensorType result) {
    Type source = sourceResultElements[0];
    Type carrier = result.getElementType();
    return buildElementwise(
        b, loc, result, {acc, inScale, wScale, yScale, yZeroPoint},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value multiplier = nb.create<arith::DivFOp>(
              l, nb.create<arith::MulFOp>(l, a[1], a[2]), a[3]);
          Value v = nb.create<arith::MulFOp>(
              l, nb.create<arith::SIToFPOp>(l, multiplier.getType(), a[0]), multiplier);
          return roundToInteger(nb, l, v, a[4], yZeroPointUnsigned, source, carrier);
        });
  }

  FailureOr<SmallVector<Value>> lowerQLinearMatMul(QLinearMatMulOp m) {
    auto result = m.getType();
    auto product = integerMatMul(m.getA(), m.getAZeroPoint(), m.getB(), m.getBZeroPoint(),
                                 0, 2, 3, 5, result);
    if (failed(product))
      return failure();
    int64_t rank = result.getRank();
    return SmallVector<Value>{requantize(*product, alongAxis(m.getAScale(), rank - 2, rank),
                                         m.getBScale(), m.getYScale(), m.getYZeroPoint(),
                                         operandIsUnsigned(7), result)};
  }

  FailureOr<SmallVector<Value>> lowerQLinearConv(QLinearConvOp c) {
    auto result = c.getType();
    // uint8 x int8 -> uint8: the runtime's dot-product kernel.
    if (operandIsUnsigned(0) && !operandIsUnsigned(3) && resultIsUnsigned()) {
      auto call = buildQConv2DKernelCall(b, loc, c, result);
      if (succeeded(call))
        return SmallVector<Value>{*call};
    }
    auto conv = integerConv(c.getX(), c.getXZeroPoint(), c.getW(), c.getWZeroPoint(),
                            c.getBias(), 0, 2, 3, 5, c.getStrides(), c.getPads(),
                            c.getDilations(), c.getGroup(), result);
    if (failed(conv))
      return failure();
    int64_t rank = result.getRank();
    return SmallVector<Value>{requantize(*conv, c.getXScale(),
                                         alongAxis(c.getWScale(), 1, rank), c.getYScale(),
                                         c.getYZeroPoint(), operandIsUnsigned(7), result)};
  }

  FailureOr<SmallVector<Value>> lower() {
    if (auto c = dyn_cast<ConstantOp>(op)) {
      FailureOr<TypedAttr> value = signlessValue(c.getValue(), c.getType());
      if (failed(value))
        return unsupported("this constant's storage"), failure();
      return SmallVector<Value>{b.create<arith::ConstantOp>(loc, *value)};
    }
    // Unsigned integers reach only the ops that read them by their source
    // types: quantization ops, casts and ops that move bits unchanged.
    bool readsUnsigned =
        isa<QuantizeLinearOp, DequantizeLinearOp, DynamicQuantizeLinearOp,
            QLinearConvOp, QLinearMatMulOp, MatMulIntegerOp, ConvIntegerOp,
            CastOp, IdentityOp, ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp,
            TransposeOp, ConcatOp, SliceOp, SplitOp, GatherOp, ExpandOp>(op) ||
        // Nearest resizing copies elements (lowerResize refuses other modes
        // on integers).
        (isa<ResizeOp>(op) && cast<ResizeOp>(op).getMode() == "nearest") ||
        isa<DepthToSpaceOp, SpaceToDepthOp>(op) ||
        // Its body's quantize/dequantize read their source types.
        isa<ElementwiseOp>(op);
    for (Type e : llvm::concat<const Type>(sourceOperandElements, sourceResultElements)) {
      if ((e.isUnsignedInteger() && !readsUnsigned) ||
          isa<quant::QuantizedType>(e) || e.isBF16())
        return unsupported("unsigned, bfloat16 or quantized element types"), failure();
    }
    for (Type t : op->getResultTypes()) {
      auto rt = dyn_cast<RankedTensorType>(t);
      if (!rt || !rt.hasStaticShape())
        return unsupported("run-time (dynamic) dims; pin them with "
                           "--input-shape at import"),
               failure();
    }
    return llvm::TypeSwitch<Operation *, FailureOr<SmallVector<Value>>>(op)
        .Case<IdentityOp, DropoutOp, AbsOp, NegOp, ReluOp, ExpOp, LogOp, SqrtOp,
              ReciprocalOp, SigmoidOp, TanhOp, ErfOp, FloorOp, CeilOp, RoundOp,
              SinOp, CosOp, SignOp, SoftplusOp, SoftsignOp, HardSigmoidOp,
              HardSwishOp, LeakyReluOp, EluOp, GeluOp, NotOp, IsNaNOp, AddOp,
              SubOp, MulOp, DivOp, MaxOp, MinOp, PReluOp, EqualOp, LessOp,
              LessOrEqualOp, GreaterOp, GreaterOrEqualOp, AndOp, OrOp, XorOp>(
            [&](Operation *) { return elementwise(); })
        .Case([&](PowOp pow) -> FailureOr<SmallVector<Value>> {
          // x^y with the exponent converted to the base's float type.
          Type element = pow.getType().getElementType();
          if (!isa<FloatType>(element))
            return unsupported("integer bases"), failure();
          return SmallVector<Value>{buildElementwise(
              b, loc, pow.getType(), {pow.getLhs(), pow.getRhs()},
              [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                return nb.create<math::PowFOp>(l, a[0], castScalar(nb, l, a[1], element));
              })};
        })
        .Case([&](ModOp mod) -> FailureOr<SmallVector<Value>> {
          // fmod: the remainder has the dividend's sign (C fmod); otherwise
          // the divisor's: r = a % b, then r + b where r != 0 and the signs
          // of r and b differ.
          bool isFloat = isa<FloatType>(mod.getType().getElementType());
          bool fmod = mod.getFmod() != 0;
          if (isFloat && !fmod)
            return unsupported("float Mod without fmod=1 (ONNX requires it)"), failure();
          return SmallVector<Value>{buildElementwise(
              b, loc, mod.getType(), {mod.getLhs(), mod.getRhs()},
              [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                if (isFloat)
                  return nb.create<arith::RemFOp>(l, a[0], a[1]);
                Value r = nb.create<arith::RemSIOp>(l, a[0], a[1]);
                if (fmod)
                  return r;
                Value zero = scalarConstant(nb, l, r.getType(), 0);
                Value nonzero = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::ne, r, zero);
                Value rNeg = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, r, zero);
                Value bNeg = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, a[1], zero);
                Value fix = nb.create<arith::AndIOp>(
                    l, nonzero, nb.create<arith::XOrIOp>(l, rNeg, bNeg));
                return nb.create<arith::SelectOp>(l, fix, nb.create<arith::AddIOp>(l, r, a[1]), r);
              })};
        })
        .Case([&](SizeOp size) -> FailureOr<SmallVector<Value>> {
          int64_t count = tensorType(size.getInput()).getNumElements();
          return SmallVector<Value>{b.create<arith::ConstantOp>(
              loc, DenseElementsAttr::get(size.getType(), ArrayRef<int64_t>{count}))};
        })
        .Case([&](DepthToSpaceOp op) { return lowerDepthSpace(op.getInput(), op.getBlocksize(),
                                                               op.getMode(), true); })
        .Case([&](SpaceToDepthOp op) { return lowerDepthSpace(op.getInput(), op.getBlocksize(),
                                                               "DCR", false); })
        .Case([&](ArgMaxOp op) { return lowerArgReduce(op.getInput(), op.getAxis(),
                                                       op.getSelectLastIndex(), true); })
        .Case([&](ArgMinOp op) { return lowerArgReduce(op.getInput(), op.getAxis(),
                                                       op.getSelectLastIndex(), false); })
        .Case([&](IfOp i) { return lowerIf(i); })
        .Case([&](LoopOp l) { return lowerLoop(l); })
        .Case([&](ResizeOp r) { return lowerResize(r); })
        .Case([&](LSTMOp r) { return lowerRecurrent(r, true); })
        .Case([&](ExpandOp e) -> FailureOr<SmallVector<Value>> {
          return SmallVector<Value>{buildElementwise(
              b, loc, e.getType(), e.getInput(),
              [](OpBuilder &, Location, ValueRange a) { return a[0]; })};
        })
        .Case([&](ConstantOfShapeOp c) -> FailureOr<SmallVector<Value>> {
          auto value = cast<DenseElementsAttr>(c.getValue());
          Value fill = b.create<arith::ConstantOp>(
              loc, cast<TypedAttr>(*value.getValues<Attribute>().begin()));
          return SmallVector<Value>{emptyTensor(b, loc, c.getType(), fill)};
        })
        .Case([&](NegativeLogLikelihoodLossOp nll) -> FailureOr<SmallVector<Value>> {
          return SmallVector<Value>{negativeLogLikelihood(
              nll.getInput(), nll.getTarget(), nll.getWeight(), nll.getReduction(),
              nll.getIgnoreIndex(), nll.getType())};
        })
        .Case([&](SoftmaxCrossEntropyLossOp sce) -> FailureOr<SmallVector<Value>> {
          // loss = NLL(log_softmax(scores) over the classes, labels).
          auto logp = lowerSoftmax(sce.getScores(), 1, /*log=*/true);
          if (failed(logp))
            return failure();
          Value loss = negativeLogLikelihood(
              (*logp)[0], sce.getLabels(), sce.getWeights(), sce.getReduction(),
              sce.getIgnoreIndex(), cast<RankedTensorType>(sce.getLoss().getType()));
          return SmallVector<Value>{loss, (*logp)[0]};
        })
        .Case([&](TileOp t) { return lowerTile(t); })
        .Case([&](TriluOp t) { return lowerTrilu(t); })
        .Case([&](GatherElementsOp g) { return lowerGatherElements(g); })
        .Case([&](OneHotOp o) { return lowerOneHot(o); })
        .Case([&](RangeOp r) { return lowerRange(r); })
        .Case([&](GRUOp r) { return lowerRecurrent(r, false); })
        .Case([&](CastOp c) { return lowerCast(c); })
        .Case([&](QuantizeLinearOp q) { return lowerQuantizeLinear(q); })
        .Case([&](DequantizeLinearOp q) { return lowerDequantizeLinear(q); })
        .Case([&](DynamicQuantizeLinearOp q) { return lowerDynamicQuantizeLinear(q); })
        .Case([&](MatMulIntegerOp m) { return lowerMatMulInteger(m); })
        .Case([&](ConvIntegerOp c) { return lowerConvInteger(c); })
        .Case([&](QLinearMatMulOp m) { return lowerQLinearMatMul(m); })
        .Case([&](QLinearConvOp c) { return lowerQLinearConv(c); })
        .Case([&](MatMulWeightOnlyOp m) -> FailureOr<SmallVector<Value>> {
          int64_t bits = sourceOperandElements[1].getIntOrFloatBitWidth();
          auto call = buildWeightOnlyMatMulCall(b, loc, m, bits, m.getType());
          if (failed(call))
            return unsupported("non-constant weights or scales, or non-f32 input"),
                   failure();
          return SmallVector<Value>{*call};
        })
        .Case([&](ClipOp c) { return lowerClip(c); })
        .Case([&](ElementwiseOp e) { return lowerElementwise(e); })
        .Case([&](WhereOp w) { return lowerWhere(w); })
        .Case([&](ConvOp c) {
          return lowerConvWithEpilogue(c.getInput(), c.getWeight(), c.getStrides(),
                                       c.getPads(), c.getDilations(), c.getGroup(),
                                       noEpilogue(c.getBias()), c.getType());
        })
        .Case([&](ConvFusedOp c) {
          return lowerConvWithEpilogue(c.getInput(), c.getWeight(), c.getStrides(),
                                       c.getPads(), c.getDilations(), c.getGroup(),
                                       FusedEpilogue::of(c), c.getType());
        })
        .Case([&](MatMulFusedOp m) { return lowerMatMulFused(m); })
        .Case([&](ConvTransposeOp c) { return lowerConvTranspose(c); })
        .Case([&](MaxPoolOp p) {
          return lowerPool(p.getInput(), p.getKernelShape(), p.getStrides(),
                           p.getPads(), p.getDilations(), true, false);
        })
        .Case([&](AveragePoolOp p) {
          SmallVector<int64_t> dilations(p.getKernelShape().size(), 1);
          return lowerPool(p.getInput(), p.getKernelShape(), p.getStrides(),
                           p.getPads(), dilations, false, p.getCountIncludePad());
        })
        .Case([&](GlobalAveragePoolOp p) { return lowerGlobalPool(p.getInput(), false); })
        .Case([&](GlobalMaxPoolOp p) { return lowerGlobalPool(p.getInput(), true); })
        .Case([&](ReduceMeanOp r) { return lowerReduce(r); })
        .Case([&](ReduceSumOp r) { return lowerReduce(r); })
        .Case([&](ReduceMaxOp r) { return lowerReduce(r); })
        .Case([&](ReduceMinOp r) { return lowerReduce(r); })
        .Case([&](ReduceProdOp r) { return lowerReduce(r); })
        .Case([&](ReduceL1Op r) { return lowerReduce(r); })
        .Case([&](ReduceL2Op r) { return lowerReduce(r); })
        .Case([&](ReduceSumSquareOp r) { return lowerReduce(r); })
        .Case([&](ReduceLogSumExpOp r) { return lowerReduce(r); })
        .Case([&](SoftmaxOp s) { return lowerSoftmax(s.getInput(), s.getAxis(), false); })
        .Case([&](LogSoftmaxOp s) { return lowerSoftmax(s.getInput(), s.getAxis(), true); })
        .Case([&](BatchNormOp bn) { return lowerBatchNorm(bn); })
        .Case([&](LayerNormOp ln) { return lowerLayerNorm(ln); })
        .Case([&](GemmOp g) { return lowerGemm(g); })
        .Case([&](MatMulOp m) { return lowerMatMul(m); })
        .Case([&](AttentionOp a) { return lowerAttention(a); })
        .Case([&](TransposeOp t) -> FailureOr<SmallVector<Value>> {
          return SmallVector<Value>{transpose(t.getInput(), t.getPerm())};
        })
        .Case<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(
            [&](Operation *o) { return lowerReshape(o->getOperand(0)); })
        .Case([&](ConcatOp c) { return lowerConcat(c); })
        .Case([&](SplitOp s) { return lowerSplit(s); })
        .Case([&](SliceOp s) { return lowerSlice(s); })
        .Case([&](PadOp p) { return lowerPad(p); })
        .Case([&](GatherOp g) { return lowerGather(g); })
        .Default([&](Operation *) -> FailureOr<SmallVector<Value>> {
          return unsupported("no lowering"), failure();
        });
  }
};

/// The element type generated code carries for `element`: unsigned
/// integers become signless of the same width (same bits; the ops reading
/// them know from their source types that they are unsigned) and 4-bit
/// integers widen to i8 (every value fits).
Type signlessElement(Type element) {
  auto integer = dyn_cast<IntegerType>(element);
  if (!integer || (integer.isSignless() && integer.getWidth() != 4))
    return element;
  unsigned width = integer.getWidth() == 4 ? 8 : integer.getWidth();
  return IntegerType::get(element.getContext(), width);
}

Type signlessType(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.clone(signlessElement(tensor.getElementType()));
  return type;
}

/// Retypes every tensor value of the module with signless integers. Arith
/// and LLVM know only signless integers; the interface (recorded before this
/// pass) keeps the user's unsigned types for the header and the harness.
void makeSignless(ModuleOp module) {
  module.walk([](Operation *op) {
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          arg.setType(signlessType(arg.getType()));
    for (OpResult result : op->getResults())
      result.setType(signlessType(result.getType()));
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      FunctionType type = func.getFunctionType();
      auto inputs = llvm::map_to_vector(type.getInputs(), signlessType);
      auto results = llvm::map_to_vector(type.getResults(), signlessType);
      func.setFunctionType(FunctionType::get(op->getContext(), inputs, results));
    }
  });
}

/// The model's kernel calls in the order a run makes them, named after
/// their ONNX nodes ("conv1 (conv2d_f32)"), as the module attribute
/// `dsc.kernel_calls` the object emitter turns into the descriptor's table
/// for the harness's --profile. Only when every call is in the function's
/// own block: a call inside a branch or loop of the model breaks the
/// one-to-one order, and no table is better than a wrong one.
void recordKernelCalls(ModuleOp module) {
  SmallVector<Attribute> names;
  bool straight = true;
  module.walk([&](func::CallOp call) {
    StringRef callee = call.getCallee();
    if (!callee.starts_with("dsc_") ||
        (!callee.ends_with("_f32") && !callee.contains("u8s8") && callee != "dsc_lookup_u8"))
      return;
    if (!isa<func::FuncOp>(call->getParentOp()))
      straight = false;
    std::string node;
    call->getLoc()->walk([&](Location inner) {
      if (auto named = dyn_cast<NameLoc>(inner)) {
        node = named.getName().str();
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    names.push_back(StringAttr::get(module.getContext(),
                                    (node.empty() ? "?" : node) + " (" +
                                        callee.drop_front(4).str() + ")"));
  });
  if (straight && !names.empty())
    module->setAttr("dsc.kernel_calls", ArrayAttr::get(module.getContext(), names));
}

struct ConvertDSCToLinalgPass
    : dsc::impl::ConvertDSCToLinalgBase<ConvertDSCToLinalgPass> {
  void runOnOperation() override {
    // A module pass: kernel calls add their declarations to the module.
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      // A dsc.elementwise lowers its body itself, as scalar code.
      if (isa<DSCDialect>(op->getDialect()) && !op->getParentOfType<ElementwiseOp>())
        ops.push_back(op);
    });
    bool failedAny = false;
    // Post-order: the ops inside an if/loop region are lowered before the
    // if/loop, which then moves its regions into scf ops; its dsc.yield
    // terminators are replaced there.
    llvm::erase_if(ops, [](Operation *op) { return isa<YieldOp>(op); });
    // The element types before makeSignless, of every dsc op, those inside
    // dsc.elementwise bodies included (their lowering reads them).
    DenseMap<Operation *, std::pair<SmallVector<Type>, SmallVector<Type>>> sourceElements;
    getOperation().walk([&](Operation *op) {
      if (!isa<DSCDialect>(op->getDialect()))
        return;
      auto &[operands, results] = sourceElements[op];
      for (Type t : op->getOperandTypes())
        operands.push_back(getElementTypeOrSelf(t));
      for (Type t : op->getResultTypes())
        results.push_back(getElementTypeOrSelf(t));
    });
    // Global average pools that can read a dequantize's integers: a
    // per-tensor dequantize (constant scalar scale and zero point) to f32
    // read by the pool alone.
    DenseMap<Operation *, DequantizeLinearOp> dequantizedPoolInputs;
    getOperation().walk([&](GlobalAveragePoolOp pool) {
      auto dequantize = pool.getInput().getDefiningOp<DequantizeLinearOp>();
      DenseElementsAttr scale, zeroPoint;
      if (dequantize && dequantize->hasOneUse() &&
          tensorType(dequantize.getResult()).getElementType().isF32() &&
          matchPattern(dequantize.getScale(), m_Constant(&scale)) &&
          matchPattern(dequantize.getZeroPoint(), m_Constant(&zeroPoint)) &&
          scale.getNumElements() == 1 && zeroPoint.getNumElements() == 1 &&
          isa<IntegerType>(tensorType(dequantize.getInput()).getElementType()))
        dequantizedPoolInputs[pool] = dequantize;
    });
    makeSignless(getOperation());
    // Run-time dims usually come from one unpinned input and reach every
    // op after it: the first such op's error says what to do, the others
    // would repeat it.
    bool reportedDynamic = false;
    for (Operation *op : ops) {
      bool dynamic = llvm::any_of(op->getResultTypes(), [](Type t) {
        auto ranked = dyn_cast<RankedTensorType>(t);
        return ranked && !ranked.hasStaticShape();
      });
      if (dynamic && reportedDynamic) {
        failedAny = true;
        continue;
      }
      OpBuilder builder(op);
      auto &[operands, results] = sourceElements[op];
      Lowering lowering{builder, op, op->getLoc(), operands, results, &sourceElements,
                        &dequantizedPoolInputs};
      FailureOr<SmallVector<Value>> replacements = lowering.lower();
      if (failed(replacements)) {
        failedAny = true;
        reportedDynamic |= dynamic;
        continue;
      }
      op->replaceAllUsesWith(*replacements);
    }
    if (failedAny)
      return signalPassFailure();
    for (Operation *op : llvm::reverse(ops))
      op->erase();
    recordKernelCalls(getOperation());
  }
};

} // namespace
