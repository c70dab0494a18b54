//===- OpConverters.cpp - The ONNX op table -----------------------------===//
//
// One row per ONNX op and opset range: the dsc op it becomes and a converter
// that maps the node's inputs to operands (materialising attributes of older
// opsets and omitted optional inputs as constants, so each dsc op has one
// form), converts attributes and infers result types. Result types come from
// dsc's own inference, refined by libonnx's shape inference where that knows
// a dim dsc cannot (libonnx 1.12's schemas stop at opset 17). docs/ops.md is
// generated from this table.
//
//===----------------------------------------------------------------------===//

#include "ImporterContext.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace dsc;
using namespace dsc::onnx_import;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

namespace {

//===----------------------------------------------------------------------===//
// Shape helpers
//===----------------------------------------------------------------------===//

bool isDynamic(int64_t dim) { return ShapedType::isDynamic(dim); }

RankedTensorType tensorOf(ArrayRef<int64_t> shape, Type elementType) {
  return RankedTensorType::get(shape, elementType);
}

/// Takes dsc's inferred type and fills its dynamic dims from libonnx's
/// shape inference when that agrees on rank and element type. When dsc
/// inferred nothing, libonnx's type is used as is.
RankedTensorType refine(NodeContext &ctx, int output, RankedTensorType own) {
  RankedTensorType onnxType = ctx.onnxOutputType(output);
  if (!own)
    return onnxType;
  if (!onnxType || onnxType.getRank() != own.getRank() ||
      onnxType.getElementType() != own.getElementType())
    return own;
  SmallVector<int64_t> dims(own.getShape());
  for (auto [i, dim] : llvm::enumerate(dims))
    if (isDynamic(dim))
      dim = onnxType.getDimSize(i);
  return tensorOf(dims, own.getElementType());
}

/// Normalises a possibly negative axis; returns -1 when out of range.
int64_t normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  return axis >= 0 && axis < rank ? axis : -1;
}

/// Result type for output `i`, or an error when nothing could be inferred.
FailureOr<RankedTensorType> resultType(NodeContext &ctx, int output,
                                       RankedTensorType own) {
  RankedTensorType type = refine(ctx, output, own);
  if (!type)
    return ctx.error() << "cannot infer the shape of output '"
                       << ctx.node.output(output) << "'",
           failure();
  return type;
}

LogicalResult requireInputs(NodeContext &ctx, int minimum) {
  for (int i = 0; i < minimum; ++i)
    if (!ctx.hasInput(i))
      return ctx.error() << "expects at least " << minimum << " inputs, input "
                         << i << " is missing";
  return success();
}

/// Creates `dsc.<name>` with one result and binds it to output 0.
LogicalResult emitSingle(NodeContext &ctx, StringRef name, ValueRange operands,
                         RankedTensorType own,
                         ArrayRef<NamedAttribute> attrs = {}) {
  FailureOr<RankedTensorType> type = resultType(ctx, 0, own);
  if (failed(type))
    return failure();
  Operation *op = ctx.create(name, operands, {*type}, attrs);
  ctx.results.assign(op->getResults().begin(), op->getResults().end());
  return success();
}

NamedAttribute namedI64(NodeContext &ctx, StringRef name, int64_t value) {
  return ctx.builder.getNamedAttr(name, ctx.builder.getI64IntegerAttr(value));
}
NamedAttribute namedF32(NodeContext &ctx, StringRef name, float value) {
  return ctx.builder.getNamedAttr(name, ctx.builder.getF32FloatAttr(value));
}
NamedAttribute namedStr(NodeContext &ctx, StringRef name, StringRef value) {
  return ctx.builder.getNamedAttr(name, ctx.builder.getStringAttr(value));
}
NamedAttribute namedI64s(NodeContext &ctx, StringRef name,
                         ArrayRef<int64_t> values) {
  return ctx.builder.getNamedAttr(name,
                                  ctx.builder.getDenseI64ArrayAttr(values));
}

/// Binds the optional outputs a converter refused to be used (training
/// statistics, masks, indices) to its first result, so the importer has a
/// value for every name the node lists.
LogicalResult bindUnusedOutputs(NodeContext &ctx) {
  while ((int)ctx.results.size() < ctx.numOutputs())
    ctx.results.push_back(ctx.results[0]);
  return success();
}

/// Refuses a node whose optional output `i` is consumed.
LogicalResult refuseUsedOutput(NodeContext &ctx, int i, StringRef what) {
  if (ctx.outputUsed(i))
    return ctx.error() << "output " << i << " (" << what
                       << ") is used, which dsc does not support";
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult convertUnary(NodeContext &ctx, StringRef name,
                           ArrayRef<NamedAttribute> attrs = {},
                           Type resultElement = {}) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  return emitSingle(ctx, name, {ctx.input(0)},
                    tensorOf(in.getShape(), resultElement ? resultElement
                                                          : in.getElementType()),
                    attrs);
}

/// Broadcast result type of `values`, with `elementType`.
FailureOr<RankedTensorType> broadcastType(NodeContext &ctx, ValueRange values,
                                          Type elementType) {
  SmallVector<int64_t> shape;
  for (Value v : values) {
    SmallVector<int64_t> next;
    if (failed(broadcastShapes(shape, cast<RankedTensorType>(v.getType()).getShape(),
                               next)))
      return ctx.error() << "inputs of shapes that do not broadcast", failure();
    shape = std::move(next);
  }
  return tensorOf(shape, elementType);
}

LogicalResult convertBinary(NodeContext &ctx, StringRef name, bool isCompare,
                            ArrayRef<NamedAttribute> attrs = {}) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  Value lhs = ctx.input(0), rhs = ctx.input(1);
  Type element = isCompare ? Type(ctx.builder.getI1Type())
                           : cast<RankedTensorType>(lhs.getType()).getElementType();
  FailureOr<RankedTensorType> type = broadcastType(ctx, {lhs, rhs}, element);
  if (failed(type))
    return failure();
  return emitSingle(ctx, name, {lhs, rhs}, *type, attrs);
}

/// Sum, Max, Min and Mean take any number of inputs: a chain of binary ops.
LogicalResult convertVariadic(NodeContext &ctx, StringRef name, bool mean) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Value acc = ctx.input(0);
  for (int i = 1; i < ctx.numInputs(); ++i) {
    Value next = ctx.input(i);
    FailureOr<RankedTensorType> type = broadcastType(
        ctx, {acc, next}, cast<RankedTensorType>(acc.getType()).getElementType());
    if (failed(type))
      return failure();
    acc = ctx.create(name, {acc, next}, {*type})->getResult(0);
  }
  if (mean && ctx.numInputs() > 1) {
    auto accType = cast<RankedTensorType>(acc.getType());
    Value count = ctx.constScalar(accType.getElementType(), ctx.numInputs());
    acc = ctx.create("div", {acc, count}, {accType})->getResult(0);
  }
  if (ctx.numInputs() == 1)
    acc = ctx.create("identity", {acc}, {acc.getType()})->getResult(0);
  ctx.results = {acc};
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling arithmetic
//===----------------------------------------------------------------------===//

struct WindowAttrs {
  SmallVector<int64_t> kernel, strides, pads, dilations;
};

/// Reads kernel_shape/strides/pads/dilations/auto_pad and resolves auto_pad
/// into explicit pads:
///   SAME_*: out = ceil(in / s), total = max(0, (out-1)*s + (k-1)*d + 1 - in),
///   SAME_UPPER puts the odd pad at the end, SAME_LOWER at the beginning.
FailureOr<WindowAttrs> readWindow(NodeContext &ctx, ArrayRef<int64_t> inShape,
                                  ArrayRef<int64_t> kernelFromWeight) {
  int64_t spatial = inShape.size() - 2;
  WindowAttrs w;
  if (auto k = ctx.intsAttr("kernel_shape"))
    w.kernel = *k;
  else
    w.kernel.assign(kernelFromWeight.begin(), kernelFromWeight.end());
  if ((int64_t)w.kernel.size() != spatial)
    return ctx.error() << "kernel_shape has " << w.kernel.size()
                       << " dims for " << spatial << " spatial axes",
           failure();
  w.strides = ctx.intsAttr("strides").value_or(SmallVector<int64_t>(spatial, 1));
  w.dilations =
      ctx.intsAttr("dilations").value_or(SmallVector<int64_t>(spatial, 1));
  w.pads = ctx.intsAttr("pads").value_or(SmallVector<int64_t>(2 * spatial, 0));
  if ((int64_t)w.strides.size() != spatial ||
      (int64_t)w.dilations.size() != spatial ||
      (int64_t)w.pads.size() != 2 * spatial)
    return ctx.error() << "strides, dilations and pads must have " << spatial
                       << ", " << spatial << " and " << 2 * spatial
                       << " entries",
           failure();
  for (int64_t i = 0; i < spatial; ++i)
    if (w.strides[i] <= 0 || w.dilations[i] <= 0 || w.kernel[i] <= 0 ||
        w.pads[i] < 0 || w.pads[i + spatial] < 0)
      return ctx.error() << "has a non-positive stride, dilation or kernel "
                            "size, or a negative pad",
             failure();
  std::string autoPad = ctx.stringAttr("auto_pad", "NOTSET");
  if (autoPad == "VALID") {
    w.pads.assign(2 * spatial, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = inShape[i + 2];
      if (isDynamic(in))
        return ctx.error() << "auto_pad " << autoPad
                           << " on a dynamic spatial dim is not supported; "
                              "pin the input shape with --input-shape",
               failure();
      int64_t out = (in + w.strides[i] - 1) / w.strides[i];
      int64_t total = std::max<int64_t>(
          0, (out - 1) * w.strides[i] + (w.kernel[i] - 1) * w.dilations[i] + 1 - in);
      int64_t small = total / 2, large = total - small;
      w.pads[i] = autoPad == "SAME_UPPER" ? small : large;
      w.pads[i + spatial] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (autoPad != "NOTSET") {
    return ctx.error() << "unknown auto_pad '" << autoPad << "'", failure();
  }
  return w;
}

/// strides/pads/dilations/group of the conv-like ops.
SmallVector<NamedAttribute> convAttrs(NodeContext &ctx, const WindowAttrs &w,
                                      int64_t group) {
  return {namedI64s(ctx, "strides", w.strides), namedI64s(ctx, "pads", w.pads),
          namedI64s(ctx, "dilations", w.dilations), namedI64(ctx, "group", group)};
}

/// out = floor((in + pb + pe - ((k-1)*d + 1)) / s) + 1, or with ceil_mode the
/// ceiling, dropping a last window that would start inside the end padding.
int64_t windowOutput(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb,
                     int64_t pe, bool ceilMode) {
  if (isDynamic(in))
    return kDynamic;
  int64_t span = in + pb + pe - ((k - 1) * d + 1);
  if (span < 0)
    return -1;
  int64_t out = (ceilMode ? (span + s - 1) / s : span / s) + 1;
  if (ceilMode && (out - 1) * s >= in + pb)
    --out;
  return out;
}

FailureOr<SmallVector<int64_t>> windowShape(NodeContext &ctx,
                                            ArrayRef<int64_t> inShape,
                                            int64_t channels,
                                            const WindowAttrs &w,
                                            bool ceilMode) {
  int64_t spatial = inShape.size() - 2;
  SmallVector<int64_t> shape = {inShape[0], channels};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t out = windowOutput(inShape[i + 2], w.kernel[i], w.strides[i],
                               w.dilations[i], w.pads[i], w.pads[i + spatial],
                               ceilMode);
    if (out != kDynamic && out <= 0)
      return ctx.error() << "the window (kernel " << w.kernel[i]
                         << ", dilation " << w.dilations[i]
                         << ") is larger than the padded input (" << inShape[i + 2]
                         << ") on spatial axis " << i,
             failure();
    shape.push_back(out);
  }
  return shape;
}

LogicalResult checkConvOperands(NodeContext &ctx, RankedTensorType in,
                                RankedTensorType weight) {
  if (in.getRank() < 3)
    return ctx.error() << "expects an input of rank >= 3, got " << in;
  if (weight.getRank() != in.getRank())
    return ctx.error() << "expects a weight of rank " << in.getRank()
                       << " like the input, got " << weight;
  return success();
}

LogicalResult convertConv(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  RankedTensorType in = ctx.inputType(0), weight = ctx.inputType(1);
  if (failed(checkConvOperands(ctx, in, weight)))
    return failure();
  int64_t group = ctx.intAttr("group", 1);
  if (group <= 0)
    return ctx.error() << "group must be positive";
  if (!isDynamic(in.getDimSize(1)) && !isDynamic(weight.getDimSize(1)) &&
      in.getDimSize(1) != weight.getDimSize(1) * group)
    return ctx.error() << "weight channels (" << weight.getDimSize(1)
                       << ") times group (" << group
                       << ") differ from input channels (" << in.getDimSize(1)
                       << ")";
  FailureOr<WindowAttrs> w =
      readWindow(ctx, in.getShape(), weight.getShape().drop_front(2));
  if (failed(w))
    return failure();
  for (auto [i, k] : llvm::enumerate(w->kernel))
    if (!isDynamic(weight.getDimSize(i + 2)) && weight.getDimSize(i + 2) != k)
      return ctx.error() << "kernel_shape says " << k << " on spatial axis "
                         << i << " but the weight has " << weight.getDimSize(i + 2);
  auto shape = windowShape(ctx, in.getShape(), weight.getDimSize(0), *w, false);
  if (failed(shape))
    return failure();
  SmallVector<Value> operands = {ctx.input(0), ctx.input(1)};
  if (ctx.hasInput(2))
    operands.push_back(ctx.input(2));
  return emitSingle(ctx, "conv", operands, tensorOf(*shape, in.getElementType()),
                    convAttrs(ctx, *w, group));
}

LogicalResult convertConvTranspose(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  RankedTensorType in = ctx.inputType(0), weight = ctx.inputType(1);
  if (failed(checkConvOperands(ctx, in, weight)))
    return failure();
  int64_t spatial = in.getRank() - 2;
  int64_t group = ctx.intAttr("group", 1);
  SmallVector<int64_t> kernel = ctx.intsAttr("kernel_shape")
                                    .value_or(SmallVector<int64_t>(
                                        weight.getShape().drop_front(2)));
  SmallVector<int64_t> strides =
      ctx.intsAttr("strides").value_or(SmallVector<int64_t>(spatial, 1));
  SmallVector<int64_t> dilations =
      ctx.intsAttr("dilations").value_or(SmallVector<int64_t>(spatial, 1));
  SmallVector<int64_t> pads =
      ctx.intsAttr("pads").value_or(SmallVector<int64_t>(2 * spatial, 0));
  SmallVector<int64_t> outputPadding =
      ctx.intsAttr("output_padding").value_or(SmallVector<int64_t>(spatial, 0));
  if ((int64_t)kernel.size() != spatial || (int64_t)strides.size() != spatial ||
      (int64_t)dilations.size() != spatial ||
      (int64_t)pads.size() != 2 * spatial ||
      (int64_t)outputPadding.size() != spatial)
    return ctx.error() << "attribute lengths do not match " << spatial
                       << " spatial axes";
  std::string autoPad = ctx.stringAttr("auto_pad", "NOTSET");
  auto outputShape = ctx.intsAttr("output_shape");
  // total_padding = s*(in-1) + output_padding + (k-1)*d + 1 - out; split as
  // ONNX states (SAME_UPPER: begin = total/2; otherwise end = total/2).
  if (outputShape || autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t inDim = in.getDimSize(i + 2);
      if (isDynamic(inDim))
        return ctx.error() << "output_shape/auto_pad on a dynamic spatial "
                              "dim is not supported; pin it with --input-shape";
      int64_t out;
      if (outputShape) {
        auto &os = *outputShape;
        out = os.size() == (size_t)spatial ? os[i] : os[i + 2];
      } else {
        out = inDim * strides[i];
      }
      int64_t total = strides[i] * (inDim - 1) + outputPadding[i] +
                      (kernel[i] - 1) * dilations[i] + 1 - out;
      if (total < 0) {
        // The requested output is larger: the extra goes to output_padding.
        outputPadding[i] -= total;
        total = 0;
      }
      int64_t half = total / 2;
      pads[i] = autoPad == "SAME_UPPER" ? half : total - half;
      pads[i + spatial] = autoPad == "SAME_UPPER" ? total - half : half;
    }
  } else if (autoPad == "VALID") {
    pads.assign(2 * spatial, 0);
  }
  SmallVector<int64_t> shape = {
      in.getDimSize(0), isDynamic(weight.getDimSize(1))
                            ? kDynamic
                            : weight.getDimSize(1) * group};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t inDim = in.getDimSize(i + 2);
    shape.push_back(isDynamic(inDim)
                        ? kDynamic
                        : strides[i] * (inDim - 1) + outputPadding[i] +
                              (kernel[i] - 1) * dilations[i] + 1 - pads[i] -
                              pads[i + spatial]);
  }
  SmallVector<Value> operands = {ctx.input(0), ctx.input(1)};
  if (ctx.hasInput(2))
    operands.push_back(ctx.input(2));
  return emitSingle(ctx, "conv_transpose", operands,
                    tensorOf(shape, in.getElementType()),
                    {namedI64s(ctx, "strides", strides),
                     namedI64s(ctx, "pads", pads),
                     namedI64s(ctx, "dilations", dilations),
                     namedI64s(ctx, "output_padding", outputPadding),
                     namedI64(ctx, "group", group)});
}

LogicalResult convertPool(NodeContext &ctx, bool isMax) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  if (in.getRank() < 3)
    return ctx.error() << "expects an input of rank >= 3, got " << in;
  if (!ctx.attr("kernel_shape"))
    return ctx.error() << "requires kernel_shape";
  if (isMax && failed(refuseUsedOutput(ctx, 1, "Indices")))
    return failure();
  if (ctx.intAttr("storage_order", 0) != 0 && ctx.outputUsed(1))
    return ctx.error() << "storage_order is not supported";
  FailureOr<WindowAttrs> w = readWindow(ctx, in.getShape(), {});
  if (failed(w))
    return failure();
  bool ceilMode = ctx.intAttr("ceil_mode", 0) != 0;
  if (!isMax && llvm::any_of(w->dilations, [](int64_t d) { return d != 1; }))
    return ctx.error() << "AveragePool with dilations is not supported";
  auto shape = windowShape(ctx, in.getShape(), in.getDimSize(1), *w, ceilMode);
  if (failed(shape))
    return failure();
  SmallVector<NamedAttribute> attrs = {
      namedI64s(ctx, "kernel_shape", w->kernel),
      namedI64s(ctx, "strides", w->strides), namedI64s(ctx, "pads", w->pads),
      namedI64(ctx, "ceil_mode", ceilMode)};
  if (isMax)
    attrs.push_back(namedI64s(ctx, "dilations", w->dilations));
  else
    attrs.push_back(
        namedI64(ctx, "count_include_pad", ctx.intAttr("count_include_pad", 0)));
  if (failed(emitSingle(ctx, isMax ? "max_pool" : "average_pool",
                        {ctx.input(0)}, tensorOf(*shape, in.getElementType()),
                        attrs)))
    return failure();
  return bindUnusedOutputs(ctx); // Indices
}

LogicalResult convertGlobalPool(NodeContext &ctx, StringRef name) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  if (in.getRank() < 3)
    return ctx.error() << "expects an input of rank >= 3, got " << in;
  SmallVector<int64_t> shape = {in.getDimSize(0), in.getDimSize(1)};
  shape.append(in.getRank() - 2, 1);
  return emitSingle(ctx, name, {ctx.input(0)},
                    tensorOf(shape, in.getElementType()));
}

//===----------------------------------------------------------------------===//
// Matrix products and normalisation
//===----------------------------------------------------------------------===//

LogicalResult convertGemm(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  RankedTensorType a = ctx.inputType(0), b = ctx.inputType(1);
  if (a.getRank() != 2 || b.getRank() != 2)
    return ctx.error() << "expects 2-D A and B, got " << a << " and " << b;
  bool transA = ctx.intAttr("transA", 0), transB = ctx.intAttr("transB", 0);
  int64_t m = a.getDimSize(transA ? 1 : 0), k1 = a.getDimSize(transA ? 0 : 1);
  int64_t k2 = b.getDimSize(transB ? 1 : 0), n = b.getDimSize(transB ? 0 : 1);
  if (!isDynamic(k1) && !isDynamic(k2) && k1 != k2)
    return ctx.error() << "inner dimensions differ: A gives " << k1
                       << ", B gives " << k2;
  SmallVector<Value> operands = {ctx.input(0), ctx.input(1)};
  if (ctx.hasInput(2))
    operands.push_back(ctx.input(2));
  return emitSingle(ctx, "gemm", operands, tensorOf({m, n}, a.getElementType()),
                    {namedF32(ctx, "alpha", ctx.floatAttr("alpha", 1.0f)),
                     namedF32(ctx, "beta", ctx.floatAttr("beta", 1.0f)),
                     namedI64(ctx, "trans_a", transA),
                     namedI64(ctx, "trans_b", transB)});
}

/// numpy.matmul's result shape: 1-D operands are promoted and the promoted
/// axis dropped; batch dims broadcast.
FailureOr<SmallVector<int64_t>> matmulShape(NodeContext &ctx,
                                            RankedTensorType a,
                                            RankedTensorType b) {
  if (a.getRank() == 0 || b.getRank() == 0)
    return ctx.error() << "expects operands of rank >= 1", failure();
  SmallVector<int64_t> aShape(a.getShape()), bShape(b.getShape());
  bool aVector = aShape.size() == 1, bVector = bShape.size() == 1;
  if (aVector)
    aShape.insert(aShape.begin(), 1);
  if (bVector)
    bShape.push_back(1);
  int64_t k1 = aShape.back(), k2 = bShape[bShape.size() - 2];
  if (!isDynamic(k1) && !isDynamic(k2) && k1 != k2)
    return ctx.error() << "inner dimensions differ: " << k1 << " vs " << k2,
           failure();
  SmallVector<int64_t> batch;
  if (failed(broadcastShapes(ArrayRef<int64_t>(aShape).drop_back(2),
                             ArrayRef<int64_t>(bShape).drop_back(2), batch)))
    return ctx.error() << "batch dimensions do not broadcast", failure();
  if (!aVector)
    batch.push_back(aShape[aShape.size() - 2]);
  if (!bVector)
    batch.push_back(bShape.back());
  return batch;
}

LogicalResult convertMatMul(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  RankedTensorType a = ctx.inputType(0), b = ctx.inputType(1);
  auto shape = matmulShape(ctx, a, b);
  if (failed(shape))
    return failure();
  return emitSingle(ctx, "matmul", {ctx.input(0), ctx.input(1)},
                    tensorOf(*shape, a.getElementType()));
}

LogicalResult convertBatchNorm(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 5)))
    return failure();
  if (ctx.intAttr("training_mode", 0) != 0)
    return ctx.error() << "training_mode=1 is not supported: export the model "
                          "in eval mode";
  if (ctx.opset < 9 && ctx.intAttr("spatial", 1) != 1)
    return ctx.error() << "spatial=0 is not supported";
  for (int i = 1; i < ctx.numOutputs(); ++i)
    if (failed(refuseUsedOutput(ctx, i, "a training statistic")))
      return failure();
  RankedTensorType in = ctx.inputType(0);
  if (in.getRank() < 2)
    return ctx.error() << "expects an input of rank >= 2, got " << in;
  for (int i = 1; i < 5; ++i) {
    RankedTensorType param = ctx.inputType(i);
    if (param.getRank() != 1 ||
        (!isDynamic(in.getDimSize(1)) && !isDynamic(param.getDimSize(0)) &&
         param.getDimSize(0) != in.getDimSize(1)))
      return ctx.error() << "parameter " << i << " has type " << param
                         << ", expected one value per channel ("
                         << in.getDimSize(1) << ")";
  }
  if (failed(emitSingle(
          ctx, "batch_norm",
          {ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4)},
          in, {namedF32(ctx, "epsilon", ctx.floatAttr("epsilon", 1e-5f))})))
    return failure();
  return bindUnusedOutputs(ctx);
}

LogicalResult convertLayerNorm(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  for (int i = 1; i < ctx.numOutputs(); ++i)
    if (failed(refuseUsedOutput(ctx, i, "Mean/InvStdDev")))
      return failure();
  RankedTensorType in = ctx.inputType(0);
  int64_t axis = normalizeAxis(ctx.intAttr("axis", -1), in.getRank());
  if (axis < 0)
    return ctx.error() << "axis is out of range";
  SmallVector<Value> operands = {ctx.input(0), ctx.input(1)};
  if (ctx.hasInput(2))
    operands.push_back(ctx.input(2));
  if (failed(emitSingle(ctx, "layer_norm", operands, in,
                        {namedI64(ctx, "axis", axis),
                         namedF32(ctx, "epsilon",
                                  ctx.floatAttr("epsilon", 1e-5f))})))
    return failure();
  return bindUnusedOutputs(ctx);
}

/// Softmax and LogSoftmax. Before opset 13 they flatten the input to 2-D at
/// `axis` (default 1) and normalise over the whole second half; dsc emits
/// that as flatten -> softmax(last axis) -> reshape back.
LogicalResult convertSoftmax(NodeContext &ctx, StringRef name) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  int64_t rank = in.getRank();
  int64_t axis = normalizeAxis(ctx.intAttr("axis", ctx.opset < 13 ? 1 : -1),
                               std::max<int64_t>(rank, 1));
  if (axis < 0)
    return ctx.error() << "axis is out of range for rank " << rank;
  if (ctx.opset >= 13 || axis == rank - 1 || rank == 0)
    return emitSingle(ctx, name, {ctx.input(0)}, in,
                      {namedI64(ctx, "axis", axis)});
  auto product = [&](ArrayRef<int64_t> dims) {
    int64_t p = 1;
    for (int64_t d : dims) {
      if (isDynamic(d))
        return kDynamic;
      p *= d;
    }
    return p;
  };
  auto flatType = tensorOf({product(in.getShape().take_front(axis)),
                            product(in.getShape().drop_front(axis))},
                           in.getElementType());
  Value flat = ctx.create("flatten", {ctx.input(0)}, {flatType},
                          {namedI64(ctx, "axis", axis)})
                   ->getResult(0);
  Value normalised =
      ctx.create(name, {flat}, {flatType}, {namedI64(ctx, "axis", 1)})
          ->getResult(0);
  Value shape = ctx.create("shape", {ctx.input(0)},
                           {tensorOf({rank}, ctx.builder.getI64Type())})
                    ->getResult(0);
  return emitSingle(ctx, "reshape", {normalised, shape}, in);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Reductions: before `axesInputOpset` the axes are an attribute, from it an
/// optional input; both become the `axes` operand.
LogicalResult convertReduce(NodeContext &ctx, StringRef name,
                            int64_t axesInputOpset) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  int64_t rank = in.getRank();
  bool keepdims = ctx.intAttr("keepdims", 1) != 0;
  bool noop = ctx.intAttr("noop_with_empty_axes", 0) != 0;
  std::optional<SmallVector<int64_t>> axes;
  Value axesValue;
  if (ctx.opset < axesInputOpset) {
    axes = ctx.intsAttr("axes").value_or(SmallVector<int64_t>{});
    axesValue = ctx.constI64(*axes);
  } else if (ctx.hasInput(1)) {
    axesValue = ctx.input(1);
    axes = ctx.constantInts(1);
  } else {
    axes = SmallVector<int64_t>{};
    axesValue = ctx.constI64({});
  }
  RankedTensorType own;
  if (axes) {
    SmallVector<bool> reduced(rank, axes->empty() && !noop);
    for (int64_t axis : *axes) {
      int64_t a = normalizeAxis(axis, rank);
      if (a < 0)
        return ctx.error() << "axis " << axis << " is out of range for rank "
                           << rank;
      reduced[a] = true;
    }
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d < rank; ++d) {
      if (!reduced[d])
        shape.push_back(in.getDimSize(d));
      else if (keepdims)
        shape.push_back(1);
    }
    own = tensorOf(shape, in.getElementType());
  } else if (keepdims) {
    own = tensorOf(SmallVector<int64_t>(rank, kDynamic), in.getElementType());
  }
  return emitSingle(ctx, name, {ctx.input(0), axesValue}, own,
                    {namedI64(ctx, "keepdims", keepdims),
                     namedI64(ctx, "noop_with_empty_axes", noop)});
}

LogicalResult convertArgReduce(NodeContext &ctx, StringRef name) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  int64_t axis = normalizeAxis(ctx.intAttr("axis", 0), in.getRank());
  if (axis < 0)
    return ctx.error() << "axis is out of range";
  bool keepdims = ctx.intAttr("keepdims", 1) != 0;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (d != axis)
      shape.push_back(in.getDimSize(d));
    else if (keepdims)
      shape.push_back(1);
  return emitSingle(
      ctx, name, {ctx.input(0)}, tensorOf(shape, ctx.builder.getI64Type()),
      {namedI64(ctx, "axis", axis), namedI64(ctx, "keepdims", keepdims),
       namedI64(ctx, "select_last_index", ctx.intAttr("select_last_index", 0))});
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

int64_t staticProduct(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims) {
    if (isDynamic(d))
      return kDynamic;
    p *= d;
  }
  return p;
}

/// Reshape's result from a constant shape: 0 copies the input dim (unless
/// allowzero), one -1 takes what is left.
FailureOr<SmallVector<int64_t>> reshapeTarget(NodeContext &ctx,
                                              RankedTensorType in,
                                              ArrayRef<int64_t> requested,
                                              bool allowZero) {
  SmallVector<int64_t> shape;
  int inferred = -1;
  for (auto [i, dim] : llvm::enumerate(requested)) {
    if (dim == 0 && !allowZero) {
      if ((int64_t)i >= in.getRank())
        return ctx.error() << "shape copies dim " << i
                           << " of an input of rank " << in.getRank(),
               failure();
      shape.push_back(in.getDimSize(i));
    } else if (dim == -1) {
      if (inferred >= 0)
        return ctx.error() << "shape has more than one -1", failure();
      inferred = i;
      shape.push_back(kDynamic);
    } else if (dim < -1) {
      return ctx.error() << "shape has an invalid dim " << dim, failure();
    } else {
      shape.push_back(dim);
    }
  }
  int64_t total = staticProduct(in.getShape());
  if (inferred >= 0) {
    SmallVector<int64_t> known(shape);
    known.erase(known.begin() + inferred);
    int64_t rest = staticProduct(known);
    if (!isDynamic(total) && !isDynamic(rest)) {
      if (rest == 0 || total % rest != 0)
        return ctx.error() << "cannot reshape " << in << " to ["
                           << llvm::make_range(requested.begin(), requested.end())
                           << "]",
               failure();
      shape[inferred] = total / rest;
    }
  } else if (!isDynamic(total) && !isDynamic(staticProduct(shape)) &&
             total != staticProduct(shape)) {
    SmallVector<std::string> text;
    for (int64_t d : requested)
      text.push_back(std::to_string(d));
    return ctx.error() << "cannot reshape " << in << " (" << total
                       << " elements) to [" << llvm::join(text, ", ") << "] ("
                       << staticProduct(shape) << " elements)",
           failure();
  }
  return shape;
}

LogicalResult convertReshape(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  RankedTensorType in = ctx.inputType(0), shapeType = ctx.inputType(1);
  bool allowZero = ctx.intAttr("allowzero", 0) != 0;
  RankedTensorType own;
  if (auto requested = ctx.constantInts(1)) {
    auto shape = reshapeTarget(ctx, in, *requested, allowZero);
    if (failed(shape))
      return failure();
    own = tensorOf(*shape, in.getElementType());
  } else if (shapeType.getRank() == 1 && shapeType.hasStaticShape()) {
    own = tensorOf(SmallVector<int64_t>(shapeType.getDimSize(0), kDynamic),
                   in.getElementType());
  }
  return emitSingle(ctx, "reshape", {ctx.input(0), ctx.input(1)}, own,
                    {namedI64(ctx, "allowzero", allowZero)});
}

LogicalResult convertFlatten(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  int64_t axis = ctx.intAttr("axis", 1);
  if (axis < 0)
    axis += in.getRank();
  if (axis < 0 || axis > in.getRank())
    return ctx.error() << "axis is out of range";
  return emitSingle(ctx, "flatten", {ctx.input(0)},
                    tensorOf({staticProduct(in.getShape().take_front(axis)),
                              staticProduct(in.getShape().drop_front(axis))},
                             in.getElementType()),
                    {namedI64(ctx, "axis", axis)});
}

/// Axes of Squeeze/Unsqueeze: an attribute before opset 13, then an input.
std::pair<Value, std::optional<SmallVector<int64_t>>>
readAxes(NodeContext &ctx, int inputIndex, int64_t inputOpset) {
  if (ctx.opset < inputOpset) {
    auto axes = ctx.intsAttr("axes").value_or(SmallVector<int64_t>{});
    return {ctx.constI64(axes), axes};
  }
  if (!ctx.hasInput(inputIndex))
    return {ctx.constI64({}), SmallVector<int64_t>{}};
  return {ctx.input(inputIndex), ctx.constantInts(inputIndex)};
}

LogicalResult convertSqueeze(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  auto [axesValue, axes] = readAxes(ctx, 1, 13);
  RankedTensorType own;
  if (axes) {
    SmallVector<bool> drop(in.getRank(), false);
    if (axes->empty()) {
      for (int64_t d = 0; d < in.getRank(); ++d) {
        if (isDynamic(in.getDimSize(d)) && !ctx.onnxOutputType(0))
          return ctx.error() << "squeezing all size-1 dims of " << in
                             << " with dynamic dims is ambiguous; pin the "
                                "input shape";
        drop[d] = in.getDimSize(d) == 1;
      }
    }
    for (int64_t axis : *axes) {
      int64_t a = normalizeAxis(axis, in.getRank());
      if (a < 0)
        return ctx.error() << "axis " << axis << " is out of range";
      if (!isDynamic(in.getDimSize(a)) && in.getDimSize(a) != 1)
        return ctx.error() << "cannot squeeze axis " << axis << " of size "
                           << in.getDimSize(a);
      drop[a] = true;
    }
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d < in.getRank(); ++d)
      if (!drop[d])
        shape.push_back(in.getDimSize(d));
    own = tensorOf(shape, in.getElementType());
  }
  return emitSingle(ctx, "squeeze", {ctx.input(0), axesValue}, own);
}

LogicalResult convertUnsqueeze(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  auto [axesValue, axes] = readAxes(ctx, 1, 13);
  RankedTensorType own;
  if (axes) {
    int64_t rank = in.getRank() + axes->size();
    SmallVector<bool> inserted(rank, false);
    for (int64_t axis : *axes) {
      int64_t a = normalizeAxis(axis, rank);
      if (a < 0 || inserted[a])
        return ctx.error() << "axis " << axis << " is out of range or repeated";
      inserted[a] = true;
    }
    SmallVector<int64_t> shape;
    int64_t next = 0;
    for (int64_t d = 0; d < rank; ++d)
      shape.push_back(inserted[d] ? 1 : in.getDimSize(next++));
    own = tensorOf(shape, in.getElementType());
  }
  return emitSingle(ctx, "unsqueeze", {ctx.input(0), axesValue}, own);
}

LogicalResult convertTranspose(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  SmallVector<int64_t> perm;
  if (auto p = ctx.intsAttr("perm"))
    perm = *p;
  else
    for (int64_t d = in.getRank() - 1; d >= 0; --d)
      perm.push_back(d);
  if ((int64_t)perm.size() != in.getRank())
    return ctx.error() << "perm has " << perm.size()
                       << " entries for an input of rank " << in.getRank();
  SmallVector<int64_t> shape;
  for (int64_t axis : perm) {
    if (axis < 0 || axis >= in.getRank())
      return ctx.error() << "perm entry " << axis << " is out of range";
    shape.push_back(in.getDimSize(axis));
  }
  return emitSingle(ctx, "transpose", {ctx.input(0)},
                    tensorOf(shape, in.getElementType()),
                    {namedI64s(ctx, "perm", perm)});
}

LogicalResult convertConcat(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType first = ctx.inputType(0);
  int64_t axis = normalizeAxis(ctx.intAttr("axis", 0), first.getRank());
  if (axis < 0)
    return ctx.error() << "axis is out of range for rank " << first.getRank();
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  SmallVector<Value> operands;
  for (int i = 0; i < ctx.numInputs(); ++i) {
    RankedTensorType t = ctx.inputType(i);
    if (t.getRank() != first.getRank())
      return ctx.error() << "inputs have different ranks";
    for (int64_t d = 0; d < t.getRank(); ++d) {
      if (d == axis)
        continue;
      if (isDynamic(shape[d]))
        shape[d] = t.getDimSize(d);
      else if (!isDynamic(t.getDimSize(d)) && t.getDimSize(d) != shape[d])
        return ctx.error() << "input " << i << " has dim " << d << " = "
                           << t.getDimSize(d) << ", others have " << shape[d];
    }
    shape[axis] = isDynamic(shape[axis]) || isDynamic(t.getDimSize(axis))
                      ? kDynamic
                      : shape[axis] + t.getDimSize(axis);
    operands.push_back(ctx.input(i));
  }
  return emitSingle(ctx, "concat", operands,
                    tensorOf(shape, first.getElementType()),
                    {namedI64(ctx, "axis", axis)});
}

LogicalResult convertSplit(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  int64_t axis = normalizeAxis(ctx.intAttr("axis", 0), in.getRank());
  if (axis < 0)
    return ctx.error() << "axis is out of range";
  int64_t outputs = ctx.numOutputs();
  int64_t dim = in.getDimSize(axis);
  std::optional<SmallVector<int64_t>> sizes;
  if (ctx.opset < 13)
    sizes = ctx.intsAttr("split");
  else if (ctx.hasInput(1)) {
    sizes = ctx.constantInts(1);
    if (!sizes)
      return ctx.error() << "split sizes must be constant";
  }
  if (!sizes) {
    if (isDynamic(dim))
      return ctx.error() << "splitting a dynamic axis into equal parts is not "
                            "supported; pin the input shape";
    // Equal parts; from opset 18 (num_outputs) the last part may be smaller.
    int64_t part = (dim + outputs - 1) / outputs;
    if (ctx.opset < 18 && dim % outputs != 0)
      return ctx.error() << "cannot split " << dim << " into " << outputs
                         << " equal parts";
    sizes = SmallVector<int64_t>();
    for (int64_t i = 0, left = dim; i < outputs; ++i, left -= part)
      sizes->push_back(std::min(part, left));
  }
  if ((int64_t)sizes->size() != outputs)
    return ctx.error() << "split has " << sizes->size() << " sizes for "
                       << outputs << " outputs";
  int64_t total = 0;
  SmallVector<Type> types;
  for (int64_t size : *sizes) {
    if (size < 0)
      return ctx.error() << "split sizes must not be negative";
    total += size;
    SmallVector<int64_t> shape(in.getShape());
    shape[axis] = size;
    types.push_back(tensorOf(shape, in.getElementType()));
  }
  if (!isDynamic(dim) && total != dim)
    return ctx.error() << "split sizes add up to " << total << ", not " << dim;
  Operation *op = ctx.create("split", {ctx.input(0), ctx.constI64(*sizes)},
                             types, {namedI64(ctx, "axis", axis)});
  ctx.results.assign(op->getResults().begin(), op->getResults().end());
  return success();
}

/// Slice's result dim for one axis (ONNX clamping, see
/// dsc::normalizeSliceBounds).
int64_t sliceDim(int64_t dim, int64_t start, int64_t end, int64_t step) {
  if (isDynamic(dim))
    return kDynamic;
  return normalizeSliceBounds(dim, start, end, step).count;
}

LogicalResult convertSlice(NodeContext &ctx) {
  if (failed(requireInputs(ctx, ctx.opset < 10 ? 1 : 3)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  int64_t rank = in.getRank();
  Value starts, ends, axesValue, stepsValue;
  std::optional<SmallVector<int64_t>> startVals, endVals, axes, steps;
  if (ctx.opset < 10) {
    startVals = ctx.intsAttr("starts");
    endVals = ctx.intsAttr("ends");
    if (!startVals || !endVals)
      return ctx.error() << "requires starts and ends";
    axes = ctx.intsAttr("axes");
    starts = ctx.constI64(*startVals);
    ends = ctx.constI64(*endVals);
  } else {
    starts = ctx.input(1);
    ends = ctx.input(2);
    startVals = ctx.constantInts(1);
    endVals = ctx.constantInts(2);
    if (ctx.hasInput(3)) {
      axesValue = ctx.input(3);
      axes = ctx.constantInts(3);
      if (!axes)
        return ctx.error() << "non-constant slice axes are not supported";
    }
    if (ctx.hasInput(4)) {
      stepsValue = ctx.input(4);
      steps = ctx.constantInts(4);
      if (!steps)
        return ctx.error() << "non-constant slice steps are not supported";
    }
  }
  auto count = cast<RankedTensorType>(starts.getType()).getNumElements();
  if (ShapedType::isDynamic(count))
    return ctx.error() << "slice starts of unknown length";
  if (!axes) {
    axes = SmallVector<int64_t>();
    for (int64_t i = 0; i < count; ++i)
      axes->push_back(i);
  }
  if (!axesValue)
    axesValue = ctx.constI64(*axes);
  if (!steps)
    steps = SmallVector<int64_t>(count, 1);
  if (!stepsValue)
    stepsValue = ctx.constI64(*steps);
  if ((int64_t)axes->size() != count || (int64_t)steps->size() != count)
    return ctx.error() << "starts, ends, axes and steps differ in length";
  SmallVector<int64_t> shape(in.getShape());
  for (int64_t i = 0; i < count; ++i) {
    int64_t axis = normalizeAxis((*axes)[i], rank);
    if (axis < 0)
      return ctx.error() << "axis " << (*axes)[i] << " is out of range";
    if ((*steps)[i] == 0)
      return ctx.error() << "slice step must not be 0";
    shape[axis] = startVals && endVals
                      ? sliceDim(in.getDimSize(axis), (*startVals)[i],
                                 (*endVals)[i], (*steps)[i])
                      : kDynamic;
  }
  return emitSingle(ctx, "slice",
                    {ctx.input(0), starts, ends, axesValue, stepsValue},
                    tensorOf(shape, in.getElementType()));
}

LogicalResult convertGather(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  RankedTensorType data = ctx.inputType(0), indices = ctx.inputType(1);
  int64_t axis = normalizeAxis(ctx.intAttr("axis", 0), data.getRank());
  if (axis < 0)
    return ctx.error() << "axis is out of range";
  SmallVector<int64_t> shape(data.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(axis + 1));
  return emitSingle(ctx, "gather", {ctx.input(0), ctx.input(1)},
                    tensorOf(shape, data.getElementType()),
                    {namedI64(ctx, "axis", axis)});
}

LogicalResult convertExpand(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  RankedTensorType own;
  if (auto shape = ctx.constantInts(1)) {
    SmallVector<int64_t> result;
    if (failed(broadcastShapes(in.getShape(), *shape, result)))
      return ctx.error() << "cannot expand " << in << " to the given shape";
    own = tensorOf(result, in.getElementType());
  } else {
    auto shapeType = ctx.inputType(1);
    if (shapeType.hasStaticShape())
      own = tensorOf(SmallVector<int64_t>(std::max<int64_t>(
                                              shapeType.getNumElements(),
                                              in.getRank()),
                                          kDynamic),
                     in.getElementType());
  }
  return emitSingle(ctx, "expand", {ctx.input(0), ctx.input(1)}, own);
}

LogicalResult convertTile(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  SmallVector<int64_t> shape(in.getRank(), kDynamic);
  if (auto repeats = ctx.constantInts(1)) {
    if ((int64_t)repeats->size() != in.getRank())
      return ctx.error() << "repeats has " << repeats->size()
                         << " entries for rank " << in.getRank();
    for (int64_t d = 0; d < in.getRank(); ++d) {
      if ((*repeats)[d] < 0)
        return ctx.error() << "repeats must not be negative (axis " << d
                           << " has " << (*repeats)[d] << ")";
      shape[d] = isDynamic(in.getDimSize(d)) ? kDynamic
                                             : in.getDimSize(d) * (*repeats)[d];
    }
  }
  return emitSingle(ctx, "tile", {ctx.input(0), ctx.input(1)},
                    tensorOf(shape, in.getElementType()));
}

LogicalResult convertPad(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  int64_t rank = in.getRank();
  std::string mode = ctx.stringAttr("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      mode != "wrap")
    return ctx.error() << "unknown pad mode '" << mode << "'";
  std::optional<SmallVector<int64_t>> pads;
  Value value;
  if (ctx.opset < 11) {
    pads = ctx.intsAttr(ctx.opset < 2 ? "paddings" : "pads");
    if (!pads)
      return ctx.error() << "requires pads";
    value = ctx.constScalar(in.getElementType(), ctx.floatAttr("value", 0.0f));
  } else {
    if (!ctx.hasInput(1))
      return ctx.error() << "requires pads";
    pads = ctx.constantInts(1);
    if (!pads)
      return ctx.error() << "non-constant pads are not supported";
    value = ctx.hasInput(2) ? ctx.input(2)
                            : ctx.constScalar(in.getElementType(), 0.0);
    if (ctx.hasInput(3)) {
      // Pad-18's axes: scatter the listed pads into a full-rank list.
      auto axes = ctx.constantInts(3);
      if (!axes || axes->size() * 2 != pads->size())
        return ctx.error() << "axes must be constant, half as long as pads";
      SmallVector<int64_t> full(2 * rank, 0);
      for (auto [i, axis] : llvm::enumerate(*axes)) {
        int64_t a = normalizeAxis(axis, rank);
        if (a < 0)
          return ctx.error() << "axis " << axis << " is out of range";
        full[a] = (*pads)[i];
        full[a + rank] = (*pads)[i + axes->size()];
      }
      pads = full;
    }
  }
  if ((int64_t)pads->size() != 2 * rank)
    return ctx.error() << "pads has " << pads->size() << " entries for rank "
                       << rank;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = in.getDimSize(d);
    shape.push_back(isDynamic(dim) ? kDynamic
                                   : dim + (*pads)[d] + (*pads)[d + rank]);
    if (!isDynamic(dim) && shape.back() < 0)
      return ctx.error() << "pads crop more than axis " << d << " holds";
  }
  return emitSingle(ctx, "pad", {ctx.input(0), ctx.constI64(*pads), value},
                    tensorOf(shape, in.getElementType()),
                    {namedStr(ctx, "mode", mode)});
}

LogicalResult convertShape(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  int64_t rank = ctx.inputType(0).getRank();
  auto clampAxis = [rank](int64_t axis) {
    if (axis < 0)
      axis += rank;
    return std::clamp<int64_t>(axis, 0, rank);
  };
  int64_t start = clampAxis(ctx.intAttr("start", 0));
  SmallVector<NamedAttribute> attrs = {namedI64(ctx, "start", start)};
  int64_t end = rank;
  if (ctx.attr("end")) {
    end = clampAxis(ctx.intAttr("end", rank));
    attrs.push_back(namedI64(ctx, "end", end));
  }
  return emitSingle(ctx, "shape", {ctx.input(0)},
                    tensorOf({std::max<int64_t>(0, end - start)},
                             ctx.builder.getI64Type()),
                    attrs);
}

LogicalResult convertConstantOfShape(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  ElementsAttr value;
  if (ctx.attr("value")) {
    FailureOr<Value> v = ctx.tensorAttr("value");
    if (failed(v))
      return failure();
    value = cast<ConstantOp>(v->getDefiningOp()).getValue();
    v->getDefiningOp()->erase();
  } else {
    value = DenseElementsAttr::get(tensorOf({1}, ctx.builder.getF32Type()),
                                   0.0f);
  }
  RankedTensorType own;
  if (auto shape = ctx.constantInts(0)) {
    if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
      return ctx.error() << "shape has a negative dim";
    own = tensorOf(*shape, value.getElementType());
  } else if (ctx.inputType(0).hasStaticShape()) {
    own = tensorOf(SmallVector<int64_t>(ctx.inputType(0).getNumElements(),
                                        kDynamic),
                   value.getElementType());
  }
  return emitSingle(ctx, "constant_of_shape", {ctx.input(0)}, own,
                    {ctx.builder.getNamedAttr("value", value)});
}

LogicalResult convertRange(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 3)))
    return failure();
  int64_t count = kDynamic;
  auto start = ctx.constantFloats(0), limit = ctx.constantFloats(1),
       delta = ctx.constantFloats(2);
  if (start && limit && delta && start->size() == 1 && limit->size() == 1 &&
      delta->size() == 1) {
    if ((*delta)[0] == 0)
      return ctx.error() << "delta must not be 0";
    count = std::max<int64_t>(
        0, (int64_t)std::ceil(((*limit)[0] - (*start)[0]) / (*delta)[0]));
  }
  return emitSingle(ctx, "range", {ctx.input(0), ctx.input(1), ctx.input(2)},
                    tensorOf({count}, ctx.inputType(0).getElementType()));
}

/// Resize (10+) and Upsample (7-9). scales and sizes both become operands
/// (one of them empty); output dim = sizes[i], or floor(in * scales[i]).
LogicalResult convertResize(NodeContext &ctx, bool isUpsample) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  int64_t rank = in.getRank();
  Value scales, sizes;
  std::optional<SmallVector<double>> scaleVals;
  std::optional<SmallVector<int64_t>> sizeVals;
  if (isUpsample && ctx.opset < 9) {
    auto s = ctx.floatsAttr("scales");
    if (!s)
      return ctx.error() << "requires scales";
    scales = ctx.constF32(*s);
    scaleVals = SmallVector<double>(s->begin(), s->end());
  } else if (isUpsample || ctx.opset == 10) {
    if (!ctx.hasInput(1))
      return ctx.error() << "requires scales";
    scales = ctx.input(1);
    scaleVals = ctx.constantFloats(1);
  } else {
    if (ctx.intAttr("antialias", 0) != 0)
      return ctx.error() << "antialias is not supported";
    if (ctx.attr("axes"))
      return ctx.error() << "the axes attribute is not supported";
    if (ctx.stringAttr("keep_aspect_ratio_policy", "stretch") != "stretch")
      return ctx.error() << "keep_aspect_ratio_policy is not supported";
    if (ctx.stringAttr("coordinate_transformation_mode", "half_pixel") ==
        "tf_crop_and_resize")
      return ctx.error() << "tf_crop_and_resize is not supported";
    if (ctx.hasInput(2) && ctx.inputType(2).getNumElements() != 0) {
      scales = ctx.input(2);
      scaleVals = ctx.constantFloats(2);
    }
    if (ctx.hasInput(3) && ctx.inputType(3).getNumElements() != 0) {
      sizes = ctx.input(3);
      sizeVals = ctx.constantInts(3);
    }
    if (!scales && !sizes)
      return ctx.error() << "requires scales or sizes";
  }
  if (!scales)
    scales = ctx.constF32({});
  if (!sizes)
    sizes = ctx.constI64({});
  SmallVector<int64_t> shape(rank, kDynamic);
  if (sizeVals) {
    if ((int64_t)sizeVals->size() != rank)
      return ctx.error() << "sizes has " << sizeVals->size()
                         << " entries for rank " << rank;
    shape.assign(sizeVals->begin(), sizeVals->end());
  } else if (scaleVals) {
    if ((int64_t)scaleVals->size() != rank)
      return ctx.error() << "scales has " << scaleVals->size()
                         << " entries for rank " << rank;
    for (int64_t d = 0; d < rank; ++d) {
      if ((*scaleVals)[d] <= 0)
        return ctx.error() << "scales must be positive";
      if (!isDynamic(in.getDimSize(d)))
        shape[d] = (int64_t)std::floor(in.getDimSize(d) * (*scaleVals)[d]);
    }
  }
  std::string mode = ctx.stringAttr("mode", "nearest");
  if (mode != "nearest" && mode != "linear" && mode != "cubic" &&
      mode != "bilinear")
    return ctx.error() << "unknown mode '" << mode << "'";
  if (mode == "bilinear")
    mode = "linear";
  bool legacy = isUpsample || ctx.opset == 10;
  SmallVector<NamedAttribute> attrs = {
      namedStr(ctx, "mode", mode),
      namedStr(ctx, "coordinate_transformation_mode",
               legacy ? std::string("asymmetric")
                      : ctx.stringAttr("coordinate_transformation_mode",
                                       "half_pixel")),
      namedStr(ctx, "nearest_mode",
               legacy ? std::string("floor")
                      : ctx.stringAttr("nearest_mode", "round_prefer_floor")),
      namedF32(ctx, "cubic_coeff_a", ctx.floatAttr("cubic_coeff_a", -0.75f)),
      namedI64(ctx, "exclude_outside", ctx.intAttr("exclude_outside", 0)),
      namedF32(ctx, "extrapolation_value",
               ctx.floatAttr("extrapolation_value", 0.0f))};
  return emitSingle(ctx, "resize", {ctx.input(0), scales, sizes},
                    tensorOf(shape, in.getElementType()), attrs);
}

LogicalResult convertDepthSpace(NodeContext &ctx, bool toSpace) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  int64_t b = ctx.intAttr("blocksize", 0);
  if (in.getRank() != 4 || b <= 0)
    return ctx.error() << "expects a 4-D input and a positive blocksize";
  // DepthToSpace needs C divisible by b*b; SpaceToDepth H and W by b.
  if (toSpace && !isDynamic(in.getDimSize(1)) && in.getDimSize(1) % (b * b))
    return ctx.error() << "channels (" << in.getDimSize(1)
                       << ") are not divisible by blocksize^2 (" << b * b << ")";
  for (int64_t d = 2; d < 4 && !toSpace; ++d)
    if (!isDynamic(in.getDimSize(d)) && in.getDimSize(d) % b)
      return ctx.error() << "dim " << d << " (" << in.getDimSize(d)
                         << ") is not divisible by blocksize " << b;
  auto scale = [](int64_t d, int64_t f, bool mul) {
    return isDynamic(d) ? kDynamic : mul ? d * f : d / f;
  };
  SmallVector<int64_t> shape = {
      in.getDimSize(0), scale(in.getDimSize(1), b * b, !toSpace),
      scale(in.getDimSize(2), b, toSpace), scale(in.getDimSize(3), b, toSpace)};
  SmallVector<NamedAttribute> attrs = {namedI64(ctx, "blocksize", b)};
  if (toSpace)
    attrs.push_back(namedStr(ctx, "mode", ctx.stringAttr("mode", "DCR")));
  return emitSingle(ctx, toSpace ? "depth_to_space" : "space_to_depth",
                    {ctx.input(0)}, tensorOf(shape, in.getElementType()), attrs);
}

LogicalResult convertTopK(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  RankedTensorType in = ctx.inputType(0);
  int64_t axis = normalizeAxis(ctx.intAttr("axis", -1), in.getRank());
  if (axis < 0)
    return ctx.error() << "axis is out of range";
  Value k;
  std::optional<int64_t> kValue;
  if (ctx.opset < 10) {
    kValue = ctx.intAttr("k", 1);
    k = ctx.constI64({*kValue});
  } else {
    if (!ctx.hasInput(1))
      return ctx.error() << "requires k";
    k = ctx.input(1);
    if (auto v = ctx.constantInts(1))
      kValue = (*v)[0];
  }
  if (kValue && (*kValue < 0 || (!isDynamic(in.getDimSize(axis)) &&
                                  *kValue > in.getDimSize(axis))))
    return ctx.error() << "k = " << *kValue << " is outside [0, "
                       << in.getDimSize(axis) << "], the size of axis " << axis;
  SmallVector<int64_t> shape(in.getShape());
  shape[axis] = kValue ? *kValue : kDynamic;
  auto values = refine(ctx, 0, tensorOf(shape, in.getElementType()));
  auto indices = refine(ctx, 1, tensorOf(shape, ctx.builder.getI64Type()));
  Operation *op = ctx.create(
      "top_k", {ctx.input(0), k}, {values, indices},
      {namedI64(ctx, "axis", axis), namedI64(ctx, "largest", ctx.intAttr("largest", 1)),
       namedI64(ctx, "sorted", ctx.intAttr("sorted", 1))});
  ctx.results.assign(op->getResults().begin(), op->getResults().end());
  return success();
}

//===----------------------------------------------------------------------===//
// Recurrent layers and control flow
//===----------------------------------------------------------------------===//

/// LSTM and GRU: Y [seq, dirs, batch, hidden], Y_h (and Y_c) [dirs, batch,
/// hidden]. Optional inputs keep their place through operand segments.
LogicalResult convertRecurrent(NodeContext &ctx, bool isLSTM) {
  if (failed(requireInputs(ctx, 3)))
    return failure();
  if (ctx.intAttr("layout", 0) != 0)
    return ctx.error() << "layout=1 (batch-first) is not supported";
  RankedTensorType x = ctx.inputType(0), w = ctx.inputType(1);
  if (x.getRank() != 3 || w.getRank() != 3)
    return ctx.error() << "expects 3-D X and W, got " << x << " and " << w;
  int64_t hidden = ctx.intAttr("hidden_size", 0);
  if (hidden <= 0)
    return ctx.error() << "requires a positive hidden_size";
  std::string direction = ctx.stringAttr("direction", "forward");
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return ctx.error() << "unknown direction '" << direction << "'";
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  int64_t gates = isLSTM ? 4 : 3;
  if (!isDynamic(w.getDimSize(1)) && w.getDimSize(1) != gates * hidden)
    return ctx.error() << "W has " << w.getDimSize(1) << " rows per direction, "
                       << "expected " << gates * hidden;
  int numOptional = isLSTM ? 5 : 3;
  SmallVector<Value> operands = {ctx.input(0), ctx.input(1), ctx.input(2)};
  SmallVector<int32_t> segments = {1, 1, 1};
  for (int i = 3; i < 3 + numOptional; ++i) {
    bool present = ctx.hasInput(i);
    if (present)
      operands.push_back(ctx.input(i));
    segments.push_back(present);
  }
  Type element = x.getElementType();
  int64_t seq = x.getDimSize(0), batch = x.getDimSize(1);
  SmallVector<Type> types = {
      refine(ctx, 0, tensorOf({seq, dirs, batch, hidden}, element)),
      refine(ctx, 1, tensorOf({dirs, batch, hidden}, element))};
  if (isLSTM)
    types.push_back(refine(ctx, 2, tensorOf({dirs, batch, hidden}, element)));
  SmallVector<NamedAttribute> attrs = {
      namedI64(ctx, "hidden_size", hidden), namedStr(ctx, "direction", direction),
      ctx.builder.getNamedAttr("operandSegmentSizes",
                               ctx.builder.getDenseI32ArrayAttr(segments))};
  if (auto activations = ctx.stringsAttr("activations")) {
    SmallVector<StringRef> refs(activations->begin(), activations->end());
    attrs.push_back(ctx.builder.getNamedAttr(
        "activations", ctx.builder.getStrArrayAttr(refs)));
  }
  if (ctx.attr("clip"))
    attrs.push_back(namedF32(ctx, "clip", ctx.floatAttr("clip", 0)));
  if (isLSTM)
    attrs.push_back(
        namedI64(ctx, "input_forget", ctx.intAttr("input_forget", 0)));
  else
    attrs.push_back(namedI64(ctx, "linear_before_reset",
                             ctx.intAttr("linear_before_reset", 0)));
  Operation *op = ctx.create(isLSTM ? "lstm" : "gru", operands, types, attrs);
  ctx.results.assign(op->getResults().begin(), op->getResults().end());
  return success();
}

/// Joins the types two If branches yield: dims that differ become dynamic.
FailureOr<Type> joinTypes(NodeContext &ctx, Type a, Type b) {
  auto ta = cast<RankedTensorType>(a), tb = cast<RankedTensorType>(b);
  if (ta.getElementType() != tb.getElementType() ||
      ta.getRank() != tb.getRank())
    return ctx.error() << "the branches yield incompatible types " << ta
                       << " and " << tb,
           failure();
  SmallVector<int64_t> shape;
  for (auto [da, db] : llvm::zip(ta.getShape(), tb.getShape()))
    shape.push_back(da == db ? da : kDynamic);
  return Type(tensorOf(shape, ta.getElementType()));
}

LogicalResult convertIf(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  const auto *thenAttr = ctx.attr("then_branch");
  const auto *elseAttr = ctx.attr("else_branch");
  if (!thenAttr || !elseAttr || !thenAttr->has_g() || !elseAttr->has_g())
    return ctx.error() << "requires then_branch and else_branch graphs";
  if (ctx.inputType(0).getElementType() != ctx.builder.getI1Type() ||
      ctx.inputType(0).getNumElements() != 1)
    return ctx.error() << "the condition must be a single bool, got "
                       << ctx.inputType(0);
  OperationState state(ctx.loc, "dsc.if");
  state.addOperands(ctx.input(0));
  Region *thenRegion = state.addRegion();
  Region *elseRegion = state.addRegion();
  SmallVector<Type> thenTypes, elseTypes;
  if (failed(importSubgraph(ctx, thenAttr->g(), *thenRegion, {}, thenTypes)) ||
      failed(importSubgraph(ctx, elseAttr->g(), *elseRegion, {}, elseTypes)))
    return failure();
  if (thenTypes.size() != elseTypes.size() ||
      (int)thenTypes.size() != ctx.numOutputs())
    return ctx.error() << "the branches yield " << thenTypes.size() << " and "
                       << elseTypes.size() << " values for "
                       << ctx.numOutputs() << " outputs";
  for (auto [t, e] : llvm::zip(thenTypes, elseTypes)) {
    FailureOr<Type> joined = joinTypes(ctx, t, e);
    if (failed(joined))
      return failure();
    state.addTypes(*joined);
  }
  Operation *op = ctx.builder.create(state);
  ctx.results.assign(op->getResults().begin(), op->getResults().end());
  return success();
}

LogicalResult convertLoop(NodeContext &ctx) {
  const auto *bodyAttr = ctx.attr("body");
  if (!bodyAttr || !bodyAttr->has_g())
    return ctx.error() << "requires a body graph";
  const onnx::GraphProto &body = bodyAttr->g();
  Type i64 = ctx.builder.getI64Type(), i1 = ctx.builder.getI1Type();
  Value tripCount = ctx.hasInput(0)
                        ? ctx.input(0)
                        : ctx.constScalar(i64, (double)std::numeric_limits<int64_t>::max());
  Value condition = ctx.hasInput(1) ? ctx.input(1) : ctx.constScalar(i1, 1);
  if (ctx.hasInput(1) &&
      cast<RankedTensorType>(condition.getType()).getRank() != 0) {
    // A [1]-shaped condition is a scalar for dsc.
    condition = ctx.create("reshape", {condition, ctx.constI64({})},
                           {tensorOf({}, i1)})
                    ->getResult(0);
  }
  SmallVector<Value> initial;
  SmallVector<Type> argTypes = {tensorOf({}, i64), tensorOf({}, i1)};
  for (int i = 2; i < ctx.numInputs(); ++i) {
    if (!ctx.hasInput(i))
      return ctx.error() << "loop-carried input " << i - 2 << " is omitted";
    initial.push_back(ctx.input(i));
    argTypes.push_back(initial.back().getType());
  }
  OperationState state(ctx.loc, "dsc.loop");
  state.addOperands({tripCount, condition});
  state.addOperands(initial);
  Region *region = state.addRegion();
  SmallVector<Type> yieldTypes;
  // A loop-carried value may change shape from one iteration to the next
  // (e.g. a growing concat): import the body, join each carried type with
  // what the body yields, and import again until the types are stable.
  for (int attempt = 0;; ++attempt) {
    yieldTypes.clear();
    region->getBlocks().clear();
    if (failed(importSubgraph(ctx, body, *region, argTypes, yieldTypes)))
      return failure();
    if (yieldTypes.size() < initial.size() + 1)
      return ctx.error() << "the body yields " << yieldTypes.size()
                         << " values, expected at least " << initial.size() + 1;
    bool stable = true;
    for (size_t i = 0; i < initial.size(); ++i) {
      FailureOr<Type> joined = joinTypes(ctx, argTypes[i + 2], yieldTypes[i + 1]);
      if (failed(joined))
        return failure();
      Type blockArg = region->front().getArgument(i + 2).getType();
      if (*joined != argTypes[i + 2] || blockArg != argTypes[i + 2]) {
        stable = stable && *joined == blockArg;
        argTypes[i + 2] = *joined;
      }
    }
    if (stable)
      break;
    if (attempt == 3)
      return ctx.error() << "the types of the loop-carried values do not settle";
  }
  // The body's first argument types may have come from the subgraph's own
  // declarations; keep the iteration/condition scalars the op expects.
  std::optional<SmallVector<int64_t>> trips = ctx.constantInts(0);
  int64_t scanLength = trips && !ctx.hasInput(1) ? (*trips)[0] : kDynamic;
  for (size_t i = 0; i < initial.size(); ++i)
    state.addTypes(argTypes[i + 2]);
  for (size_t i = initial.size() + 1; i < yieldTypes.size(); ++i) {
    auto t = cast<RankedTensorType>(yieldTypes[i]);
    SmallVector<int64_t> shape = {scanLength};
    llvm::append_range(shape, t.getShape());
    state.addTypes(refine(ctx, state.types.size(),
                          tensorOf(shape, t.getElementType())));
  }
  if ((int)state.types.size() != ctx.numOutputs())
    return ctx.error() << "the loop has " << state.types.size()
                       << " results for " << ctx.numOutputs() << " outputs";
  Operation *op = ctx.builder.create(state);
  ctx.results.assign(op->getResults().begin(), op->getResults().end());
  return success();
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

/// The zero point of input `i`, or a zero of `element` with `shape`.
Value zeroPoint(NodeContext &ctx, int i, Type element, ArrayRef<int64_t> shape) {
  if (ctx.hasInput(i))
    return ctx.input(i);
  return ctx.constAttr(
      DenseElementsAttr::get(tensorOf(shape, element), IntegerAttr::get(element, 0)));
}

LogicalResult convertQuantizeLinear(NodeContext &ctx, bool quantize) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  if (ctx.intAttr("block_size", 0) != 0)
    return ctx.error() << "blocked quantization is not supported";
  RankedTensorType in = ctx.inputType(0);
  Type u8 = IntegerType::get(ctx.builder.getContext(), 8, IntegerType::Unsigned);
  Type zpElement = quantize ? u8 : in.getElementType();
  if (ctx.hasInput(2))
    zpElement = ctx.inputType(2).getElementType();
  else if (quantize && ctx.attr("output_dtype"))
    zpElement = convertElementType(ctx.builder.getContext(),
                                   ctx.intAttr("output_dtype", 2));
  if (!zpElement)
    return ctx.error() << "unsupported output_dtype";
  Value zp = zeroPoint(ctx, 2, zpElement, ctx.inputType(1).getShape());
  Type resultElement =
      quantize ? zpElement : ctx.inputType(1).getElementType();
  int64_t axis = ctx.intAttr("axis", 1);
  if (ctx.inputType(1).getRank() > 0 && ctx.inputType(1).getNumElements() != 1) {
    axis = normalizeAxis(axis, in.getRank());
    if (axis < 0)
      return ctx.error() << "axis is out of range";
  }
  return emitSingle(ctx, quantize ? "quantize_linear" : "dequantize_linear",
                    {ctx.input(0), ctx.input(1), zp},
                    tensorOf(in.getShape(), resultElement),
                    {namedI64(ctx, "axis", axis)});
}

LogicalResult convertQLinearConv(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 8)))
    return failure();
  RankedTensorType in = ctx.inputType(0), weight = ctx.inputType(3);
  if (failed(checkConvOperands(ctx, in, weight)))
    return failure();
  int64_t group = ctx.intAttr("group", 1);
  FailureOr<WindowAttrs> w =
      readWindow(ctx, in.getShape(), weight.getShape().drop_front(2));
  if (failed(w))
    return failure();
  auto shape = windowShape(ctx, in.getShape(), weight.getDimSize(0), *w, false);
  if (failed(shape))
    return failure();
  SmallVector<Value> operands;
  for (int i = 0; i < 8; ++i)
    operands.push_back(ctx.input(i));
  if (ctx.hasInput(8))
    operands.push_back(ctx.input(8));
  return emitSingle(ctx, "qlinear_conv", operands,
                    tensorOf(*shape, ctx.inputType(7).getElementType()),
                    convAttrs(ctx, *w, group));
}

LogicalResult convertConvInteger(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  RankedTensorType in = ctx.inputType(0), weight = ctx.inputType(1);
  if (failed(checkConvOperands(ctx, in, weight)))
    return failure();
  FailureOr<WindowAttrs> w =
      readWindow(ctx, in.getShape(), weight.getShape().drop_front(2));
  if (failed(w))
    return failure();
  auto shape = windowShape(ctx, in.getShape(), weight.getDimSize(0), *w, false);
  if (failed(shape))
    return failure();
  Value xzp = zeroPoint(ctx, 2, in.getElementType(), {});
  Value wzp = zeroPoint(ctx, 3, weight.getElementType(), {});
  return emitSingle(ctx, "conv_integer", {ctx.input(0), ctx.input(1), xzp, wzp},
                    tensorOf(*shape, ctx.builder.getI32Type()),
                    convAttrs(ctx, *w, ctx.intAttr("group", 1)));
}

LogicalResult convertMatMulInteger(NodeContext &ctx, bool qlinear) {
  int bIndex = qlinear ? 3 : 1;
  if (failed(requireInputs(ctx, qlinear ? 8 : 2)))
    return failure();
  RankedTensorType a = ctx.inputType(0), b = ctx.inputType(bIndex);
  auto shape = matmulShape(ctx, a, b);
  if (failed(shape))
    return failure();
  if (qlinear) {
    SmallVector<Value> operands;
    for (int i = 0; i < 8; ++i)
      operands.push_back(ctx.input(i));
    return emitSingle(ctx, "qlinear_matmul", operands,
                      tensorOf(*shape, ctx.inputType(7).getElementType()));
  }
  Value azp = zeroPoint(ctx, 2, a.getElementType(), {});
  Value bzp = zeroPoint(ctx, 3, b.getElementType(), {});
  return emitSingle(ctx, "matmul_integer", {ctx.input(0), ctx.input(1), azp, bzp},
                    tensorOf(*shape, ctx.builder.getI32Type()));
}

LogicalResult convertDynamicQuantize(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Type u8 = IntegerType::get(ctx.builder.getContext(), 8, IntegerType::Unsigned);
  RankedTensorType in = ctx.inputType(0);
  Operation *op = ctx.create(
      "dynamic_quantize_linear", {ctx.input(0)},
      {tensorOf(in.getShape(), u8), tensorOf({}, in.getElementType()),
       tensorOf({}, u8)});
  ctx.results.assign(op->getResults().begin(), op->getResults().end());
  return success();
}

//===----------------------------------------------------------------------===//
// Constants, casts and losses
//===----------------------------------------------------------------------===//

LogicalResult convertConstant(NodeContext &ctx) {
  if (ctx.attr("value")) {
    FailureOr<Value> v = ctx.tensorAttr("value");
    if (failed(v))
      return failure();
    ctx.results = {*v};
    return success();
  }
  if (ctx.attr("value_float")) {
    ctx.results = {ctx.constF32({ctx.floatAttr("value_float", 0)}, true)};
    return success();
  }
  if (auto floats = ctx.floatsAttr("value_floats")) {
    ctx.results = {ctx.constF32(*floats)};
    return success();
  }
  if (ctx.attr("value_int")) {
    ctx.results = {ctx.constI64({ctx.intAttr("value_int", 0)}, true)};
    return success();
  }
  if (auto ints = ctx.intsAttr("value_ints")) {
    ctx.results = {ctx.constI64(*ints)};
    return success();
  }
  return ctx.error() << "only tensor, float and int constants are supported "
                        "(not sparse or string constants)";
}

LogicalResult convertCast(NodeContext &ctx, bool like) {
  if (failed(requireInputs(ctx, like ? 2 : 1)))
    return failure();
  Type to = like ? ctx.inputType(1).getElementType()
                 : convertElementType(ctx.builder.getContext(),
                                      ctx.intAttr("to", 0));
  if (!to)
    return ctx.error() << "cannot cast to data type " << ctx.intAttr("to", 0);
  return convertUnary(ctx, "cast", {}, to);
}

LogicalResult convertClip(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  Type element = ctx.inputType(0).getElementType();
  auto lowest = [&](bool max) -> double {
    if (isa<FloatType>(element))
      return max ? std::numeric_limits<float>::max()
                 : std::numeric_limits<float>::lowest();
    unsigned width = element.getIntOrFloatBitWidth();
    bool isUnsigned = element.isUnsignedInteger();
    if (isUnsigned)
      return max ? std::ldexp(1.0, width) - 1 : 0.0;
    return max ? std::ldexp(1.0, width - 1) - 1 : -std::ldexp(1.0, width - 1);
  };
  Value min, max;
  if (ctx.opset < 11) {
    min = ctx.constScalar(element, ctx.floatAttr("min", lowest(false)));
    max = ctx.constScalar(element, ctx.floatAttr("max", lowest(true)));
  } else {
    min = ctx.hasInput(1) ? ctx.input(1) : ctx.constScalar(element, lowest(false));
    max = ctx.hasInput(2) ? ctx.input(2) : ctx.constScalar(element, lowest(true));
  }
  return emitSingle(ctx, "clip", {ctx.input(0), min, max}, ctx.inputType(0));
}

LogicalResult convertDropout(NodeContext &ctx) {
  if (failed(requireInputs(ctx, 1)))
    return failure();
  if (failed(refuseUsedOutput(ctx, 1, "mask")))
    return failure();
  if (ctx.hasInput(2)) {
    auto training = ctx.constantInts(2);
    if (!training || (*training)[0] != 0)
      return ctx.error() << "training_mode must be a constant false";
  }
  float ratio = ctx.floatAttr("ratio", 0.5f);
  if (auto r = ctx.constantFloats(1))
    ratio = (*r)[0];
  if (failed(emitSingle(ctx, "dropout", {ctx.input(0)}, ctx.inputType(0),
                        {namedF32(ctx, "ratio", ratio)})))
    return failure();
  return bindUnusedOutputs(ctx);
}

LogicalResult convertLoss(NodeContext &ctx, bool softmax) {
  if (failed(requireInputs(ctx, 2)))
    return failure();
  RankedTensorType scores = ctx.inputType(0), labels = ctx.inputType(1);
  std::string reduction = ctx.stringAttr("reduction", "mean");
  if (reduction != "mean" && reduction != "sum" && reduction != "none")
    return ctx.error() << "unknown reduction '" << reduction << "'";
  RankedTensorType lossType =
      reduction == "none" ? tensorOf(labels.getShape(), scores.getElementType())
                          : tensorOf({}, scores.getElementType());
  SmallVector<Value> operands = {ctx.input(0), ctx.input(1)};
  if (ctx.hasInput(2))
    operands.push_back(ctx.input(2));
  SmallVector<NamedAttribute> attrs = {namedStr(ctx, "reduction", reduction)};
  if (ctx.attr("ignore_index"))
    attrs.push_back(namedI64(ctx, "ignore_index", ctx.intAttr("ignore_index", 0)));
  SmallVector<Type> types = {refine(ctx, 0, lossType)};
  if (softmax)
    types.push_back(refine(ctx, 1, scores));
  Operation *op =
      ctx.create(softmax ? "softmax_cross_entropy_loss"
                         : "negative_log_likelihood_loss",
                 operands, types, attrs);
  ctx.results.assign(op->getResults().begin(), op->getResults().end());
  return success();
}

/// Ops whose one result has the first input's shape and an explicit operand
/// list; `attrs` reads their attributes.
LogicalResult convertSameShape(
    NodeContext &ctx, StringRef name, int minInputs, int maxInputs,
    std::function<SmallVector<NamedAttribute>(NodeContext &)> attrs = {}) {
  if (failed(requireInputs(ctx, minInputs)))
    return failure();
  SmallVector<Value> operands;
  for (int i = 0; i < std::min(ctx.numInputs(), maxInputs); ++i) {
    if (!ctx.hasInput(i))
      return ctx.error() << "omitted input " << i << " is not supported";
    operands.push_back(ctx.input(i));
  }
  return emitSingle(ctx, name, operands, ctx.inputType(0),
                    attrs ? attrs(ctx) : SmallVector<NamedAttribute>{});
}

} // namespace

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

#define UNARY(ONNX, DSC, FROM)                                                 \
  {ONNX, FROM, 21, "dsc." DSC, "",                                             \
   [](NodeContext &c) { return convertUnary(c, DSC); }}
#define BINARY(ONNX, DSC, FROM, COMPARE)                                       \
  {ONNX, FROM, 21, "dsc." DSC, "",                                             \
   [](NodeContext &c) { return convertBinary(c, DSC, COMPARE); }}
#define REDUCE(ONNX, DSC, AXES_INPUT)                                          \
  {ONNX, 7, 21, "dsc." DSC,                                                    \
   "axes: attribute before opset " #AXES_INPUT ", input from it",              \
   [](NodeContext &c) { return convertReduce(c, DSC, AXES_INPUT); }}

static const std::vector<OpConverter> &buildTable() {
  static const std::vector<OpConverter> table = {
      // Elementwise unary.
      UNARY("Abs", "abs", 7),
      UNARY("Neg", "neg", 7),
      UNARY("Exp", "exp", 7),
      UNARY("Log", "log", 7),
      UNARY("Sqrt", "sqrt", 7),
      UNARY("Reciprocal", "reciprocal", 7),
      UNARY("Relu", "relu", 7),
      UNARY("Sigmoid", "sigmoid", 7),
      UNARY("Tanh", "tanh", 7),
      UNARY("Erf", "erf", 9),
      UNARY("Floor", "floor", 7),
      UNARY("Ceil", "ceil", 7),
      UNARY("Round", "round", 11),
      UNARY("Sign", "sign", 9),
      UNARY("Sin", "sin", 7),
      UNARY("Cos", "cos", 7),
      UNARY("Not", "not", 7),
      UNARY("Softplus", "softplus", 7),
      UNARY("Softsign", "softsign", 7),
      UNARY("HardSwish", "hard_swish", 14),
      UNARY("Identity", "identity", 7),
      {"IsNaN", 9, 21, "dsc.isnan", "",
       [](NodeContext &c) {
         return convertUnary(c, "isnan", {}, c.builder.getI1Type());
       }},
      {"HardSigmoid", 7, 21, "dsc.hard_sigmoid", "",
       [](NodeContext &c) {
         return convertUnary(c, "hard_sigmoid",
                             {namedF32(c, "alpha", c.floatAttr("alpha", 0.2f)),
                              namedF32(c, "beta", c.floatAttr("beta", 0.5f))});
       }},
      {"LeakyRelu", 7, 21, "dsc.leaky_relu", "",
       [](NodeContext &c) {
         return convertUnary(c, "leaky_relu",
                             {namedF32(c, "alpha", c.floatAttr("alpha", 0.01f))});
       }},
      {"Elu", 7, 21, "dsc.elu", "",
       [](NodeContext &c) {
         return convertUnary(c, "elu",
                             {namedF32(c, "alpha", c.floatAttr("alpha", 1.0f))});
       }},
      {"Gelu", 20, 21, "dsc.gelu", "",
       [](NodeContext &c) {
         return convertUnary(
             c, "gelu",
             {namedStr(c, "approximate", c.stringAttr("approximate", "none"))});
       }},
      {"Cast", 7, 21, "dsc.cast", "",
       [](NodeContext &c) { return convertCast(c, false); }},
      {"CastLike", 15, 21, "dsc.cast", "",
       [](NodeContext &c) { return convertCast(c, true); }},
      {"Clip", 7, 21, "dsc.clip",
       "min/max: attributes before opset 11, optional inputs from it",
       convertClip},
      {"Dropout", 7, 21, "dsc.dropout", "inference only; mask output refused",
       convertDropout},
      // Elementwise binary.
      BINARY("Add", "add", 7, false),
      BINARY("Sub", "sub", 7, false),
      BINARY("Mul", "mul", 7, false),
      BINARY("Div", "div", 7, false),
      BINARY("Pow", "pow", 7, false),
      BINARY("PRelu", "prelu", 7, false),
      BINARY("And", "and", 7, true),
      BINARY("Or", "or", 7, true),
      BINARY("Xor", "xor", 7, true),
      BINARY("Equal", "equal", 7, true),
      BINARY("Less", "less", 7, true),
      BINARY("LessOrEqual", "less_or_equal", 12, true),
      BINARY("Greater", "greater", 7, true),
      BINARY("GreaterOrEqual", "greater_or_equal", 12, true),
      {"Mod", 10, 21, "dsc.mod", "",
       [](NodeContext &c) {
         return convertBinary(c, "mod", false,
                              {namedI64(c, "fmod", c.intAttr("fmod", 0))});
       }},
      {"Sum", 8, 21, "dsc.add", "variadic: a chain of dsc.add",
       [](NodeContext &c) { return convertVariadic(c, "add", false); }},
      {"Max", 8, 21, "dsc.max", "variadic: a chain of dsc.max",
       [](NodeContext &c) { return convertVariadic(c, "max", false); }},
      {"Min", 8, 21, "dsc.min", "variadic: a chain of dsc.min",
       [](NodeContext &c) { return convertVariadic(c, "min", false); }},
      {"Mean", 8, 21, "dsc.add, dsc.div", "variadic: sum, then divide",
       [](NodeContext &c) { return convertVariadic(c, "add", true); }},
      {"Where", 9, 21, "dsc.where", "",
       [](NodeContext &c) -> LogicalResult {
         if (failed(requireInputs(c, 3)))
           return failure();
         auto type = broadcastType(c, {c.input(0), c.input(1), c.input(2)},
                                   c.inputType(1).getElementType());
         if (failed(type))
           return failure();
         return emitSingle(c, "where", {c.input(0), c.input(1), c.input(2)},
                           *type);
       }},
      // Linear algebra and normalisation.
      {"Conv", 7, 21, "dsc.conv", "auto_pad resolved into pads", convertConv},
      {"ConvTranspose", 7, 21, "dsc.conv_transpose",
       "output_shape and auto_pad resolved into pads", convertConvTranspose},
      {"Gemm", 7, 21, "dsc.gemm", "", convertGemm},
      {"MatMul", 7, 21, "dsc.matmul", "", convertMatMul},
      {"BatchNormalization", 7, 21, "dsc.batch_norm",
       "inference mode only; never folded by the importer", convertBatchNorm},
      {"InstanceNormalization", 7, 21, "dsc.instance_norm", "",
       [](NodeContext &c) {
         return convertSameShape(c, "instance_norm", 3, 3, [](NodeContext &c) {
           return SmallVector<NamedAttribute>{
               namedF32(c, "epsilon", c.floatAttr("epsilon", 1e-5f))};
         });
       }},
      {"LayerNormalization", 17, 21, "dsc.layer_norm",
       "Mean/InvStdDev outputs refused", convertLayerNorm},
      {"Softmax", 7, 21, "dsc.softmax",
       "before opset 13: flatten, softmax, reshape",
       [](NodeContext &c) { return convertSoftmax(c, "softmax"); }},
      {"LogSoftmax", 7, 21, "dsc.log_softmax",
       "before opset 13: flatten, log_softmax, reshape",
       [](NodeContext &c) { return convertSoftmax(c, "log_softmax"); }},
      // Pooling and reductions.
      {"MaxPool", 7, 21, "dsc.max_pool", "Indices output refused",
       [](NodeContext &c) { return convertPool(c, true); }},
      {"AveragePool", 7, 21, "dsc.average_pool", "no dilations",
       [](NodeContext &c) { return convertPool(c, false); }},
      {"GlobalAveragePool", 7, 21, "dsc.global_average_pool", "",
       [](NodeContext &c) { return convertGlobalPool(c, "global_average_pool"); }},
      {"GlobalMaxPool", 7, 21, "dsc.global_max_pool", "",
       [](NodeContext &c) { return convertGlobalPool(c, "global_max_pool"); }},
      REDUCE("ReduceMean", "reduce_mean", 18),
      REDUCE("ReduceSum", "reduce_sum", 13),
      REDUCE("ReduceMax", "reduce_max", 18),
      REDUCE("ReduceMin", "reduce_min", 18),
      REDUCE("ReduceProd", "reduce_prod", 18),
      REDUCE("ReduceL1", "reduce_l1", 18),
      REDUCE("ReduceL2", "reduce_l2", 18),
      REDUCE("ReduceSumSquare", "reduce_sum_square", 18),
      REDUCE("ReduceLogSumExp", "reduce_log_sum_exp", 18),
      {"ArgMax", 7, 21, "dsc.arg_max", "",
       [](NodeContext &c) { return convertArgReduce(c, "arg_max"); }},
      {"ArgMin", 7, 21, "dsc.arg_min", "",
       [](NodeContext &c) { return convertArgReduce(c, "arg_min"); }},
      // Shape and data movement.
      {"Reshape", 5, 21, "dsc.reshape", "", convertReshape},
      {"Flatten", 7, 21, "dsc.flatten", "", convertFlatten},
      {"Squeeze", 7, 21, "dsc.squeeze",
       "axes: attribute before opset 13, input from it", convertSqueeze},
      {"Unsqueeze", 7, 21, "dsc.unsqueeze",
       "axes: attribute before opset 13, input from it", convertUnsqueeze},
      {"Transpose", 7, 21, "dsc.transpose", "", convertTranspose},
      {"Concat", 7, 21, "dsc.concat", "", convertConcat},
      {"Split", 7, 21, "dsc.split",
       "sizes must be constant; equal parts need a static axis", convertSplit},
      {"Slice", 7, 21, "dsc.slice",
       "attributes before opset 10; axes and steps must be constant",
       convertSlice},
      {"Gather", 7, 21, "dsc.gather", "", convertGather},
      {"GatherElements", 11, 21, "dsc.gather_elements", "",
       [](NodeContext &c) -> LogicalResult {
         if (failed(requireInputs(c, 2)))
           return failure();
         int64_t axis = normalizeAxis(c.intAttr("axis", 0), c.inputType(0).getRank());
         if (axis < 0)
           return c.error() << "axis is out of range";
         return emitSingle(c, "gather_elements", {c.input(0), c.input(1)},
                           tensorOf(c.inputType(1).getShape(),
                                    c.inputType(0).getElementType()),
                           {namedI64(c, "axis", axis)});
       }},
      {"GatherND", 11, 21, "dsc.gather_nd", "",
       [](NodeContext &c) -> LogicalResult {
         if (failed(requireInputs(c, 2)))
           return failure();
         RankedTensorType data = c.inputType(0), indices = c.inputType(1);
         int64_t batchDims = c.intAttr("batch_dims", 0);
         int64_t last = indices.getShape().empty() ? kDynamic : indices.getShape().back();
         RankedTensorType own;
         if (!isDynamic(last) && batchDims + last <= data.getRank()) {
           SmallVector<int64_t> shape(indices.getShape().drop_back());
           llvm::append_range(shape, data.getShape().drop_front(batchDims + last));
           own = tensorOf(shape, data.getElementType());
         }
         return emitSingle(c, "gather_nd", {c.input(0), c.input(1)}, own,
                           {namedI64(c, "batch_dims", batchDims)});
       }},
      {"ScatterND", 11, 21, "dsc.scatter_nd", "",
       [](NodeContext &c) {
         return convertSameShape(c, "scatter_nd", 3, 3, [](NodeContext &c) {
           return SmallVector<NamedAttribute>{
               namedStr(c, "reduction", c.stringAttr("reduction", "none"))};
         });
       }},
      {"Expand", 8, 21, "dsc.expand", "", convertExpand},
      {"Tile", 7, 21, "dsc.tile", "", convertTile},
      {"Pad", 7, 21, "dsc.pad",
       "attributes before opset 11; pads must be constant", convertPad},
      {"Shape", 7, 21, "dsc.shape", "", convertShape},
      {"Size", 7, 21, "dsc.size", "",
       [](NodeContext &c) -> LogicalResult {
         if (failed(requireInputs(c, 1)))
           return failure();
         return emitSingle(c, "size", {c.input(0)},
                           tensorOf({}, c.builder.getI64Type()));
       }},
      {"ConstantOfShape", 9, 21, "dsc.constant_of_shape", "",
       convertConstantOfShape},
      {"Range", 11, 21, "dsc.range", "", convertRange},
      {"Resize", 10, 21, "dsc.resize",
       "no antialias, axes, keep_aspect_ratio_policy or tf_crop_and_resize",
       [](NodeContext &c) { return convertResize(c, false); }},
      {"Upsample", 7, 9, "dsc.resize", "asymmetric coordinates",
       [](NodeContext &c) { return convertResize(c, true); }},
      {"DepthToSpace", 7, 21, "dsc.depth_to_space", "",
       [](NodeContext &c) { return convertDepthSpace(c, true); }},
      {"SpaceToDepth", 7, 21, "dsc.space_to_depth", "",
       [](NodeContext &c) { return convertDepthSpace(c, false); }},
      {"TopK", 7, 21, "dsc.top_k", "", convertTopK},
      {"CumSum", 11, 21, "dsc.cum_sum", "",
       [](NodeContext &c) {
         return convertSameShape(c, "cum_sum", 2, 2, [](NodeContext &c) {
           return SmallVector<NamedAttribute>{
               namedI64(c, "exclusive", c.intAttr("exclusive", 0)),
               namedI64(c, "reverse", c.intAttr("reverse", 0))};
         });
       }},
      {"Trilu", 14, 21, "dsc.trilu", "",
       [](NodeContext &c) -> LogicalResult {
         if (failed(requireInputs(c, 1)))
           return failure();
         Value k = c.hasInput(1) ? c.input(1) : c.constI64({0}, true);
         return emitSingle(c, "trilu", {c.input(0), k}, c.inputType(0),
                           {namedI64(c, "upper", c.intAttr("upper", 1))});
       }},
      {"OneHot", 9, 21, "dsc.one_hot", "",
       [](NodeContext &c) -> LogicalResult {
         if (failed(requireInputs(c, 3)))
           return failure();
         RankedTensorType indices = c.inputType(0);
         int64_t rank = indices.getRank() + 1;
         int64_t axis = normalizeAxis(c.intAttr("axis", -1), rank);
         if (axis < 0)
           return c.error() << "axis is out of range";
         auto depth = c.constantFloats(1);
         SmallVector<int64_t> shape(indices.getShape());
         shape.insert(shape.begin() + axis,
                      depth ? (int64_t)(*depth)[0] : kDynamic);
         return emitSingle(c, "one_hot", {c.input(0), c.input(1), c.input(2)},
                           tensorOf(shape, c.inputType(2).getElementType()),
                           {namedI64(c, "axis", axis)});
       }},
      {"Constant", 7, 21, "dsc.constant", "sparse and string values refused",
       convertConstant},
      // Training-only heads.
      {"SoftmaxCrossEntropyLoss", 12, 21, "dsc.softmax_cross_entropy_loss",
       "imported for distillation folding",
       [](NodeContext &c) { return convertLoss(c, true); }},
      {"NegativeLogLikelihoodLoss", 12, 21,
       "dsc.negative_log_likelihood_loss", "imported for distillation folding",
       [](NodeContext &c) { return convertLoss(c, false); }},
      // Recurrent layers and control flow.
      {"LSTM", 7, 21, "dsc.lstm", "layout=0 only",
       [](NodeContext &c) { return convertRecurrent(c, true); }},
      {"GRU", 7, 21, "dsc.gru", "layout=0 only",
       [](NodeContext &c) { return convertRecurrent(c, false); }},
      {"If", 7, 21, "dsc.if", "branches become regions", convertIf},
      {"Loop", 7, 21, "dsc.loop", "omitted trip count/condition materialised",
       convertLoop},
      // Quantization.
      {"QuantizeLinear", 10, 21, "dsc.quantize_linear",
       "per-tensor and per-axis; no blocked quantization",
       [](NodeContext &c) { return convertQuantizeLinear(c, true); }},
      {"DequantizeLinear", 10, 21, "dsc.dequantize_linear",
       "per-tensor and per-axis; no blocked quantization",
       [](NodeContext &c) { return convertQuantizeLinear(c, false); }},
      {"DynamicQuantizeLinear", 11, 21, "dsc.dynamic_quantize_linear", "",
       convertDynamicQuantize},
      {"QLinearConv", 10, 21, "dsc.qlinear_conv", "", convertQLinearConv},
      {"QLinearMatMul", 10, 21, "dsc.qlinear_matmul", "",
       [](NodeContext &c) { return convertMatMulInteger(c, true); }},
      {"MatMulInteger", 10, 21, "dsc.matmul_integer",
       "omitted zero points materialised as 0",
       [](NodeContext &c) { return convertMatMulInteger(c, false); }},
      {"ConvInteger", 10, 21, "dsc.conv_integer",
       "omitted zero points materialised as 0", convertConvInteger},
  };
  return table;
}

ArrayRef<OpConverter> onnx_import::getOpConverters() { return buildTable(); }
