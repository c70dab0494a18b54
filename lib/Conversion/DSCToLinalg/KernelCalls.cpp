//===- KernelCalls.cpp - Conv/matmul as calls of the runtime's kernels -----===//
//
// A conv or matmul with constant weights becomes
//
//   %out = memref.alloc()                        (the result buffer)
//   %p_i = pointer of each operand's buffer      (bufferization.to_memref)
//   func.call @dsc_conv2d_f32(%geometry, %in, %packed, %bias, %res, %out, a, b)
//   %y = bufferization.to_tensor %out restrict writable
//
// so one-shot bufferization sees reads of the operands and a fresh buffer
// for the result, and the memory plan keeps the result buffer apart from
// the operands (it is allocated before their pointers are taken). Operands
// reach the kernel as !llvm.ptr, the layout runtime/include/dsc/kernels.h
// states; the weights are packed into that layout here.
//
//===----------------------------------------------------------------------===//

#include "KernelCalls.h"

#include "dsc/Dialect/DSC/Transforms/Weights.h"
#include "dsc/kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSwitch.h"

#include <cstring>

using namespace mlir;

namespace {

RankedTensorType tensorType(Value v) { return cast<RankedTensorType>(v.getType()); }

bool isStaticF32(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32();
}

std::optional<int64_t> activationCode(StringRef activation) {
  return llvm::StringSwitch<std::optional<int64_t>>(activation)
      .Case("none", DSC_ACT_NONE)
      .Case("relu", DSC_ACT_RELU)
      .Case("clip", DSC_ACT_CLIP)
      .Case("leaky_relu", DSC_ACT_LEAKY_RELU)
      .Case("hard_sigmoid", DSC_ACT_HARD_SIGMOID)
      .Case("hard_swish", DSC_ACT_HARD_SWISH)
      .Case("sigmoid", DSC_ACT_SIGMOID)
      .Case("swish", DSC_ACT_SWISH)
      .Case("tanh", DSC_ACT_TANH)
      .Default(std::nullopt);
}

/// Emits the pieces of one kernel call.
struct KernelCallBuilder {
  OpBuilder &b;
  Location loc;

  Type ptrType() { return LLVM::LLVMPointerType::get(b.getContext()); }

  /// The address of `tensor`'s buffer (read only).
  Value pointerTo(Value tensor) {
    auto type = tensorType(tensor);
    auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
    Value buffer = b.create<bufferization::ToMemrefOp>(loc, memrefType, tensor,
                                                       /*read_only=*/true);
    return pointerToBuffer(buffer);
  }

  Value pointerToBuffer(Value buffer) {
    Value address = b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, buffer);
    Value asInt = b.create<arith::IndexCastOp>(loc, b.getI64Type(), address);
    return b.create<LLVM::IntToPtrOp>(loc, ptrType(), asInt);
  }

  Value pointerOrNull(Value tensor) {
    if (!tensor)
      return b.create<LLVM::ZeroOp>(loc, ptrType());
    return pointerTo(tensor);
  }

  /// A constant tensor holding `values` (a resource blob when large).
  Value floatConstant(ArrayRef<float> values, StringRef name) {
    auto type = RankedTensorType::get({(int64_t)values.size()}, b.getF32Type());
    return b.create<arith::ConstantOp>(
        loc, cast<TypedAttr>(dsc::createWeightAttr(type, values, name)));
  }

  /// A constant tensor of integers of `elementType` (a blob when large).
  Value integerConstant(ArrayRef<int64_t> values, Type elementType, StringRef name) {
    auto type = RankedTensorType::get({(int64_t)values.size()}, elementType);
    unsigned width = elementType.getIntOrFloatBitWidth();
    std::vector<char> bytes(values.size() * width / 8);
    for (size_t i = 0; i < values.size(); ++i)
      for (unsigned byte = 0; byte < width / 8; ++byte)
        bytes[i * width / 8 + byte] = (char)((uint64_t)values[i] >> (8 * byte));
    if (values.size() <= 64)
      return b.create<arith::ConstantOp>(loc, DenseElementsAttr::getFromRawBuffer(type, bytes));
    auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, width / 8);
    return b.create<arith::ConstantOp>(
        loc, DenseResourceElementsAttr::get(type, name, std::move(blob)));
  }

  Value geometryConstant(ArrayRef<int64_t> geometry) {
    auto type = RankedTensorType::get({(int64_t)geometry.size()}, b.getI64Type());
    return b.create<arith::ConstantOp>(loc, DenseIntElementsAttr::get(type, geometry));
  }

  /// Allocates the result buffer and takes its address, builds the
  /// operands with `operands(out)`, declares `name` with their types (once
  /// per module), calls it and returns the result tensor. The result's
  /// address comes first: the memory plan's liveness of the operands ends
  /// at the last pointer taken, after the result exists.
  Value callKernel(StringRef name, RankedTensorType resultType,
                   function_ref<SmallVector<Value>(Value out)> operands) {
    auto resultBuffer = b.create<memref::AllocOp>(
        loc, MemRefType::get(resultType.getShape(), resultType.getElementType()),
        b.getI64IntegerAttr(64));
    SmallVector<Value> args = operands(pointerToBuffer(resultBuffer));
    auto module = b.getInsertionBlock()->getParentOp()->getParentOfType<ModuleOp>();
    if (!module.lookupSymbol(name)) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      b.create<func::FuncOp>(loc, name,
                             b.getFunctionType(ValueRange(args).getTypes(), {}))
          .setPrivate();
    }
    b.create<func::CallOp>(loc, name, TypeRange{}, args);
    return b.create<bufferization::ToTensorOp>(loc, resultType, resultBuffer,
                                               /*restrict=*/true, /*writable=*/true);
  }

  Value i32(int64_t v) { return b.create<arith::ConstantOp>(loc, b.getI32IntegerAttr(v)); }
  Value f32(float v) { return b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(v)); }

  /// The float kernels' call: (geometry, input, weights, bias, residual,
  /// out, alpha, beta).
  Value call(StringRef name, Value geometry, Value input, Value weights,
             const dsc::FusedEpilogue &epilogue, RankedTensorType resultType) {
    return callKernel(name, resultType, [&](Value out) {
      return SmallVector<Value>{pointerTo(geometry), pointerTo(input), pointerTo(weights),
                                pointerOrNull(epilogue.bias), pointerOrNull(epilogue.residual),
                                out, f32(epilogue.alpha), f32(epilogue.beta)};
    });
  }
};

/// The geometry array of dsc/kernels.h's conv kernels (ACT, FLAGS and
/// LAYOUT left 0 for the caller).
SmallVector<int64_t> convGeometry(ArrayRef<int64_t> inShape, ArrayRef<int64_t> wShape,
                                  ArrayRef<int64_t> outShape, ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
                                  int64_t group) {
  SmallVector<int64_t> geometry(DSC_CONV_GEOMETRY_SIZE, 0);
  geometry[DSC_CONV_N] = inShape[0];
  geometry[DSC_CONV_C] = inShape[1];
  geometry[DSC_CONV_H] = inShape[2];
  geometry[DSC_CONV_W] = inShape[3];
  geometry[DSC_CONV_F] = wShape[0];
  geometry[DSC_CONV_OH] = outShape[2];
  geometry[DSC_CONV_OW] = outShape[3];
  geometry[DSC_CONV_KH] = wShape[2];
  geometry[DSC_CONV_KW] = wShape[3];
  geometry[DSC_CONV_SH] = strides[0];
  geometry[DSC_CONV_SW] = strides[1];
  geometry[DSC_CONV_DH] = dilations[0];
  geometry[DSC_CONV_DW] = dilations[1];
  geometry[DSC_CONV_PT] = pads[0];
  geometry[DSC_CONV_PL] = pads[1];
  geometry[DSC_CONV_GROUP] = group;
  return geometry;
}

/// DSC_EPILOGUE_* of an epilogue.
int64_t epilogueFlags(const dsc::FusedEpilogue &e) {
  return (e.residualAfterActivation ? DSC_EPILOGUE_RESIDUAL_AFTER_ACT : 0) |
         (e.hasOutputAffine() ? DSC_EPILOGUE_OUTPUT_AFFINE : 0);
}

/// A float's bits as the kernels read them from the geometry (low 32 bits).
int64_t floatBits(float value) {
  uint32_t word;
  std::memcpy(&word, &value, sizeof word);
  return (int64_t)word;
}

bool epilogueApplies(const dsc::FusedEpilogue &e, RankedTensorType resultType) {
  return activationCode(e.activation) && (!e.bias || isStaticF32(e.bias)) &&
         (!e.residual || (isStaticF32(e.residual) &&
                          tensorType(e.residual).getShape() == resultType.getShape()));
}

} // namespace

/// Panels: for each group g, panel p of ROWS filters (DSC_CONV_PANEL_ROWS,
/// or DSC_CONV_FILTER_PANEL_COLS for small output planes) and reduction
/// index k = (c*KH + kh)*KW + kw:
///   packed[((g*P + p)*Kg + k)*ROWS + r] = w[g*Fg + p*ROWS + r][k]   (0 past Fg)
FailureOr<Value> dsc::buildConv2DKernelCall(OpBuilder &b, Location loc, Value input,
                                            Value weight, ArrayRef<int64_t> strides,
                                            ArrayRef<int64_t> pads,
                                            ArrayRef<int64_t> dilations, int64_t group,
                                            const FusedEpilogue &epilogue,
                                            RankedTensorType resultType) {
  if (!isStaticF32(input) || !isStaticF32(weight) || !resultType.hasStaticShape() ||
      !resultType.getElementType().isF32() || tensorType(input).getRank() != 4 ||
      !epilogueApplies(epilogue, resultType))
    return failure();
  auto weights = getConstantFloats(weight);
  if (!weights)
    return failure();
  auto inShape = tensorType(input).getShape();
  auto wShape = tensorType(weight).getShape();
  auto outShape = resultType.getShape();
  int64_t channels = inShape[1], filters = wShape[0];
  int64_t channelsPerGroup = channels / group, filtersPerGroup = filters / group;
  int64_t kernelSize = wShape[2] * wShape[3];
  bool depthwise = channelsPerGroup == 1 && filtersPerGroup == 1;
  // Small output planes vectorise over filters instead of pixels. (The
  // kernel sweep favours pixels for planes of 17-63 pixels with few
  // filters, but whole models measured slower with that rule: geometric
  // mean 1.53 vs 1.49, docs/benchmarks.md.)
  bool smallOutput = outShape[2] * outShape[3] < DSC_CONV_SMALL_OUTPUT_PIXELS;
  int64_t layout = depthwise     ? DSC_CONV_LAYOUT_DEPTHWISE
                   : smallOutput ? DSC_CONV_LAYOUT_FILTER_PANELS
                                 : DSC_CONV_LAYOUT_PANELS;

  KernelCallBuilder kb{b, loc};
  Value packed;
  if (depthwise) {
    packed = kb.floatConstant(*weights, "conv_depthwise_weight");
  } else {
    // Panels of `rows` filters (pixel-vectorised kernel) or of `cols`
    // filters (filter-vectorised kernel): the same layout, another width.
    const int64_t rows = layout == DSC_CONV_LAYOUT_PANELS ? DSC_CONV_PANEL_ROWS
                                                          : DSC_CONV_FILTER_PANEL_COLS;
    int64_t reduction = channelsPerGroup * kernelSize;
    int64_t panels = (filtersPerGroup + rows - 1) / rows;
    std::vector<float> values(group * panels * reduction * rows, 0.0f);
    for (int64_t g = 0; g < group; ++g)
      for (int64_t p = 0; p < panels; ++p)
        for (int64_t r = 0; r < rows && p * rows + r < filtersPerGroup; ++r) {
          int64_t f = g * filtersPerGroup + p * rows + r;
          for (int64_t k = 0; k < reduction; ++k)
            values[((g * panels + p) * reduction + k) * rows + r] =
                (*weights)[f * reduction + k];
        }
    packed = kb.floatConstant(values, "conv_packed_weight");
  }

  SmallVector<int64_t> geometry =
      convGeometry(inShape, wShape, outShape, strides, pads, dilations, group);
  geometry[DSC_CONV_ACT] = *activationCode(epilogue.activation);
  geometry[DSC_CONV_FLAGS] = epilogueFlags(epilogue);
  if (epilogue.hasOutputAffine()) {
    geometry[DSC_CONV_OUT_SCALE] = floatBits(epilogue.outputScale);
    geometry[DSC_CONV_OUT_SHIFT] = floatBits(epilogue.outputShift);
  }
  geometry[DSC_CONV_LAYOUT] = layout;
  return kb.call("dsc_conv2d_f32", kb.geometryConstant(geometry), input, packed,
                 epilogue, resultType);
}

/// Panels of DSC_MATMUL_PANEL_COLS columns:
///   packed[(j*K + k)*COLS + c] = b[k][j*COLS + c]   (0 past N)
FailureOr<Value> dsc::buildMatMulKernelCall(OpBuilder &b, Location loc, Value a,
                                            Value rhs, bool transposeB,
                                            const FusedEpilogue &epilogue,
                                            RankedTensorType resultType) {
  if (!isStaticF32(a) || !isStaticF32(rhs) || !resultType.hasStaticShape() ||
      !resultType.getElementType().isF32() || tensorType(rhs).getRank() != 2 ||
      tensorType(a).getRank() < 2 || !epilogueApplies(epilogue, resultType))
    return failure();
  auto values = getConstantFloats(rhs);
  if (!values)
    return failure();
  auto rhsShape = tensorType(rhs).getShape();
  int64_t k = transposeB ? rhsShape[1] : rhsShape[0];
  int64_t n = transposeB ? rhsShape[0] : rhsShape[1];
  int64_t m = tensorType(a).getNumElements() / k;
  const int64_t cols = DSC_MATMUL_PANEL_COLS;
  int64_t panels = (n + cols - 1) / cols;
  std::vector<float> packedValues(panels * k * cols, 0.0f);
  for (int64_t j = 0; j < panels; ++j)
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t c = 0; c < cols && j * cols + c < n; ++c) {
        int64_t col = j * cols + c;
        packedValues[(j * k + kk) * cols + c] =
            transposeB ? (*values)[col * k + kk] : (*values)[kk * n + col];
      }
  KernelCallBuilder kb{b, loc};
  Value packed = kb.floatConstant(packedValues, "matmul_packed_weight");
  SmallVector<int64_t> geometry(DSC_MATMUL_GEOMETRY_SIZE, 0);
  geometry[DSC_MATMUL_M] = m;
  geometry[DSC_MATMUL_N] = n;
  geometry[DSC_MATMUL_K] = k;
  geometry[DSC_MATMUL_ACT] = *activationCode(epilogue.activation);
  geometry[DSC_MATMUL_FLAGS] = epilogueFlags(epilogue);
  if (epilogue.hasOutputAffine()) {
    geometry[DSC_MATMUL_OUT_SCALE] = floatBits(epilogue.outputScale);
    geometry[DSC_MATMUL_OUT_SHIFT] = floatBits(epilogue.outputShift);
  }
  return kb.call("dsc_matmul_f32", kb.geometryConstant(geometry), a, packed, epilogue,
                 resultType);
}

namespace {

/// The integers of a constant operand (dense or resource, 8 or 32 bits),
/// read as unsigned or signed.
std::optional<std::vector<int64_t>> constantIntegers(Value value, bool isUnsigned) {
  ElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !isa<IntegerType>(attr.getElementType()))
    return std::nullopt;
  unsigned width = attr.getElementType().getIntOrFloatBitWidth();
  std::vector<int64_t> result;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (APInt v : dense.getValues<APInt>())
      result.push_back(isUnsigned ? (int64_t)v.getZExtValue() : v.getSExtValue());
    return result;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob = resource ? resource.getRawHandle().getBlob() : nullptr;
  if (!blob || (width != 8 && width != 32))
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  if ((int64_t)data.size() != attr.getNumElements() * width / 8)
    return std::nullopt;
  for (int64_t i = 0; i < attr.getNumElements(); ++i) {
    if (width == 8)
      result.push_back(isUnsigned ? (int64_t)(uint8_t)data[i] : (int64_t)(int8_t)data[i]);
    else {
      int32_t v;
      memcpy(&v, data.data() + 4 * i, 4);
      result.push_back(v);
    }
  }
  return result;
}

std::optional<std::vector<float>> constantFloats(Value value) {
  return dsc::getConstantFloats(value);
}

} // namespace

/// 16x4 blocks (kernels.h), reduction channels-last:
///   packed[((g*Q + q)*K4 + k4)*64 + 4*j + i] = w[g*Fg + 16*q + j][c][kh][kw]
///   with 4*k4 + i = (kh*KW + kw)*Cg + c
/// bias'[f] = bias[f] - x_zp * sum_k w[f][k] (the zero point the padding
/// and every input carry), multiplier[f] = (x_scale * w_scale[f]) / y_scale,
/// and the sums themselves (for the signed dot products of AArch64).
FailureOr<Value> dsc::buildQConv2DKernelCall(OpBuilder &b, Location loc, QLinearConvOp conv,
                                             RankedTensorType resultType) {
  auto inType = tensorType(conv.getX());
  auto wType = tensorType(conv.getW());
  if (inType.getRank() != 4 || !inType.hasStaticShape() || !resultType.hasStaticShape() ||
      !inType.getElementType().isInteger(8) || !wType.getElementType().isInteger(8) ||
      !resultType.getElementType().isInteger(8))
    return failure();
  auto weights = constantIntegers(conv.getW(), /*isUnsigned=*/false);
  auto wZeroPoint = constantIntegers(conv.getWZeroPoint(), false);
  auto xZeroPoint = constantIntegers(conv.getXZeroPoint(), true);
  auto yZeroPoint = constantIntegers(conv.getYZeroPoint(), true);
  auto xScale = constantFloats(conv.getXScale());
  auto wScale = constantFloats(conv.getWScale());
  auto yScale = constantFloats(conv.getYScale());
  std::optional<std::vector<int64_t>> bias;
  if (conv.getBias())
    bias = constantIntegers(conv.getBias(), false);
  if (!weights || !wZeroPoint || !xZeroPoint || !yZeroPoint || !xScale || !wScale ||
      !yScale || (conv.getBias() && !bias) || xZeroPoint->size() != 1 ||
      yZeroPoint->size() != 1 || xScale->size() != 1 || yScale->size() != 1 ||
      llvm::any_of(*wZeroPoint, [](int64_t z) { return z != 0; }))
    return failure();
  auto inShape = inType.getShape();
  auto wShape = wType.getShape();
  auto outShape = resultType.getShape();
  int64_t group = conv.getGroup();
  int64_t channels = inShape[1], filters = wShape[0];
  int64_t filtersPerGroup = filters / group;
  int64_t reduction = wShape[1] * wShape[2] * wShape[3];
  bool depthwise = wShape[1] == 1 && filtersPerGroup == 1;
  if (reduction > DSC_QCONV_MAX_REDUCTION ||
      (wScale->size() != 1 && (int64_t)wScale->size() != filters) ||
      (depthwise &&
       ((wShape[2] - 1) * conv.getDilations()[0] > DSC_QCONV_MAX_DILATED_KERNEL ||
        (wShape[3] - 1) * conv.getDilations()[1] > DSC_QCONV_MAX_DILATED_KERNEL)))
    return failure();
  const int64_t block = DSC_QCONV_BLOCK_FILTERS;
  int64_t blocks = (filtersPerGroup + block - 1) / block;
  // One group whose channels are not whole groups of 4 (an image's 3, or
  // 18): each tap's channels padded to 4k with zero weights, so the kernel
  // reads the taps in place instead of packing them (the CHANNELS4 layout).
  int64_t channelsPerGroup = wShape[1];
  auto pads = conv.getPads();
  bool channels4 =
      !depthwise && group == 1 && channelsPerGroup % 4 != 0 &&
      llvm::all_of(pads, [](int64_t p) { return p <= DSC_QCONV_CHANNELS4_MAX_PAD; }) &&
      llvm::all_of(conv.getStrides(),
                   [](int64_t s) { return s <= DSC_QCONV_CHANNELS4_MAX_STRIDE; });
  int64_t tapChannels = channels4 ? (channelsPerGroup + 3) / 4 * 4 : channelsPerGroup;
  int64_t taps = wShape[2] * wShape[3];
  if (channels4 && tapChannels * taps > DSC_QCONV_MAX_REDUCTION)
    channels4 = false, tapChannels = channelsPerGroup;
  int64_t k4 = (tapChannels * taps + 3) / 4;
  std::vector<int64_t> packed(group * blocks * k4 * 64, 0);
  std::vector<int64_t> biasValues(filters, 0), weightSums(filters, 0);
  std::vector<float> multipliers(filters);
  for (int64_t f = 0; f < filters; ++f) {
    int64_t g = f / filtersPerGroup, local = f % filtersPerGroup;
    int64_t q = local / block, j = local % block;
    // k = (kh*KW + kw)*Cg + c, channels last (Cg padded to 4k in the
    // CHANNELS4 layout); the ONNX weight is [f][c][kh][kw].
    int64_t sum = 0;
    for (int64_t tap = 0; tap < taps; ++tap)
      for (int64_t c = 0; c < channelsPerGroup; ++c) {
        int64_t w = (*weights)[f * reduction + c * taps + tap];
        int64_t k = tap * tapChannels + c;
        sum += w;
        if (!depthwise)
          packed[((g * blocks + q) * k4 + k / 4) * 64 + 4 * j + k % 4] = w;
      }
    biasValues[f] = (bias ? (*bias)[f] : 0) - (*xZeroPoint)[0] * sum;
    weightSums[f] = sum;
    float ws = (*wScale)[wScale->size() == 1 ? 0 : f];
    multipliers[f] = ((*xScale)[0] * ws) / (*yScale)[0];
  }

  SmallVector<int64_t> geometry =
      convGeometry(inShape, wShape, outShape, conv.getStrides(), conv.getPads(),
                   conv.getDilations(), group);
  if (channels4)
    geometry[DSC_CONV_LAYOUT] = DSC_CONV_LAYOUT_QUANTIZED_CHANNELS4;
  // Depthwise: the weights as they are, [C][1][KH][KW].
  if (depthwise) {
    geometry[DSC_CONV_LAYOUT] = DSC_CONV_LAYOUT_DEPTHWISE;
    packed.assign(weights->begin(), weights->end());
  }

  // The kernel reads bias and multiplier a whole block of 16 at a time.
  biasValues.resize(filters + block, 0);
  weightSums.resize(filters + block, 0);
  multipliers.resize(filters + block, 0.0f);

  KernelCallBuilder kb{b, loc};
  Value packedWeights = kb.integerConstant(packed, b.getI8Type(), "qconv_packed_weight");
  Value biasConstant = kb.integerConstant(biasValues, b.getI32Type(), "qconv_bias");
  Value sumsConstant = kb.integerConstant(weightSums, b.getI32Type(), "qconv_weight_sums");
  Value multiplierConstant = kb.floatConstant(multipliers, "qconv_multiplier");

  return kb
      .callKernel("dsc_qconv2d_u8s8", resultType,
                  [&](Value out) {
                    // The kernel's channels-last copy of one image, live for
                    // the call only.
                    auto workspace = b.create<memref::AllocOp>(
                        loc,
                        MemRefType::get({DSC_QCONV_WORKSPACE_BYTES(channels, inShape[2],
                                                                   inShape[3])},
                                        b.getI8Type()),
                        b.getI64IntegerAttr(64));
                    return SmallVector<Value>{kb.pointerTo(kb.geometryConstant(geometry)),
                                              kb.pointerTo(conv.getX()),
                                              kb.pointerTo(packedWeights),
                                              kb.pointerTo(biasConstant),
                                              kb.pointerTo(sumsConstant),
                                              kb.pointerTo(multiplierConstant),
                                              out,
                                              kb.pointerToBuffer(workspace),
                                              kb.i32((*xZeroPoint)[0]),
                                              kb.i32((*yZeroPoint)[0])};
                  });
}

/// b packed as qconv weights with N as the filters:
///   packed[(q*K4 + k4)*64 + 4*j + i] = b[4*k4 + i][16*q + j]
/// and column_sums[n] = sum_k b[k][n], so the kernel subtracts
/// a_zero_point * column_sums[n] from the raw uint8 products.
FailureOr<Value> dsc::buildQMatMulKernelCall(OpBuilder &b, Location loc, MatMulIntegerOp matmul,
                                             RankedTensorType resultType) {
  auto aType = tensorType(matmul.getA());
  auto bType = tensorType(matmul.getB());
  if (aType.getRank() < 2 || bType.getRank() != 2 || !aType.hasStaticShape() ||
      !resultType.hasStaticShape() || !aType.getElementType().isInteger(8) ||
      !bType.getElementType().isInteger(8) ||
      tensorType(matmul.getAZeroPoint()).getNumElements() != 1)
    return failure();
  auto values = constantIntegers(matmul.getB(), /*isUnsigned=*/false);
  auto bZeroPoint = constantIntegers(matmul.getBZeroPoint(), false);
  if (!values || !bZeroPoint || llvm::any_of(*bZeroPoint, [](int64_t z) { return z != 0; }))
    return failure();
  int64_t k = bType.getDimSize(0), n = bType.getDimSize(1);
  int64_t m = aType.getNumElements() / k;
  if (k > DSC_QCONV_MAX_REDUCTION)
    return failure();
  const int64_t block = DSC_QCONV_BLOCK_FILTERS;
  int64_t blocks = (n + block - 1) / block, k4 = (k + 3) / 4;
  std::vector<int64_t> packed(blocks * k4 * 64, 0), sums(n, 0);
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c) {
      int64_t v = (*values)[r * n + c];
      sums[c] += v;
      packed[((c / block) * k4 + r / 4) * 64 + 4 * (c % block) + r % 4] = v;
    }
  KernelCallBuilder kb{b, loc};
  Value packedB = kb.integerConstant(packed, b.getI8Type(), "qmatmul_packed_weight");
  Value columnSums = kb.integerConstant(sums, b.getI32Type(), "qmatmul_column_sums");
  SmallVector<int64_t> geometry(DSC_MATMUL_GEOMETRY_SIZE, 0);
  geometry[DSC_MATMUL_M] = m;
  geometry[DSC_MATMUL_N] = n;
  geometry[DSC_MATMUL_K] = k;

  return kb.callKernel("dsc_qmatmul_u8s8_i32", resultType, [&](Value out) {
    return SmallVector<Value>{kb.pointerTo(kb.geometryConstant(geometry)),
                              kb.pointerTo(matmul.getA()), kb.pointerTo(packedB),
                              kb.pointerTo(columnSums), kb.pointerTo(matmul.getAZeroPoint()),
                              out};
  });
}

/// Panels of 16 columns, per block: 16 fp16 scales (binary16 bits), then
/// the block's rows: one byte per column (8 bits) or two columns a byte,
/// even columns in the low nibble (4 bits); zero past N.
FailureOr<Value> dsc::buildWeightOnlyMatMulCall(OpBuilder &b, Location loc,
                                                MatMulWeightOnlyOp matmul, int64_t bits,
                                                RankedTensorType resultType) {
  auto aType = tensorType(matmul.getA());
  if (!isStaticF32(matmul.getA()) || !resultType.hasStaticShape() ||
      (matmul.getBias() && !isStaticF32(matmul.getBias())))
    return failure();
  auto weights = constantIntegers(matmul.getWeight(), /*isUnsigned=*/false);
  DenseElementsAttr scales;
  if (!weights || !matchPattern(matmul.getScales(), m_Constant(&scales)) ||
      !scales.getElementType().isF16())
    return failure();
  int64_t k = tensorType(matmul.getWeight()).getDimSize(0);
  int64_t n = tensorType(matmul.getWeight()).getDimSize(1);
  int64_t block = matmul.getBlockSize();
  int64_t blocks = k / block, panels = (n + 15) / 16;
  int64_t blockBytes = 32 + block * 16 * bits / 8;
  std::vector<int64_t> packed(panels * blocks * blockBytes, 0);
  auto scaleValues = scales.getValues<APFloat>();
  for (int64_t kb = 0; kb < blocks; ++kb)
    for (int64_t col = 0; col < n; ++col) {
      int64_t base = ((col / 16) * blocks + kb) * blockBytes;
      uint64_t half = scaleValues[kb * n + col].bitcastToAPInt().getZExtValue();
      packed[base + 2 * (col % 16)] = half & 0xff;
      packed[base + 2 * (col % 16) + 1] = half >> 8;
      for (int64_t r = 0; r < block; ++r) {
        int64_t v = (*weights)[(kb * block + r) * n + col];
        if (bits == 8)
          packed[base + 32 + r * 16 + col % 16] = v & 0xff;
        else
          packed[base + 32 + r * 8 + (col % 16) / 2] |= (v & 0xf) << ((col % 2) ? 4 : 0);
      }
    }
  KernelCallBuilder kb{b, loc};
  Value packedWeights = kb.integerConstant(packed, b.getI8Type(), "weight_only_packed");
  SmallVector<int64_t> geometry(DSC_WQ_GEOMETRY_SIZE, 0);
  geometry[DSC_WQ_M] = aType.getNumElements() / k;
  geometry[DSC_WQ_N] = n;
  geometry[DSC_WQ_K] = k;
  geometry[DSC_WQ_BLOCK] = block;
  geometry[DSC_WQ_BITS] = bits;

  return kb.callKernel("dsc_matmul_wq_f32", resultType, [&](Value out) {
    return SmallVector<Value>{kb.pointerTo(kb.geometryConstant(geometry)),
                              kb.pointerTo(matmul.getA()), kb.pointerTo(packedWeights),
                              kb.pointerOrNull(matmul.getBias()), out};
  });
}

FailureOr<Value> dsc::buildLookupKernelCall(OpBuilder &b, Location loc, Value input,
                                            ArrayRef<int64_t> table,
                                            RankedTensorType resultType) {
  auto inType = tensorType(input);
  if (table.size() != 256 || !inType.hasStaticShape() || !resultType.hasStaticShape() ||
      inType.getShape() != resultType.getShape() || !inType.getElementType().isInteger(8) ||
      !resultType.getElementType().isInteger(8))
    return failure();
  KernelCallBuilder kb{b, loc};
  Value tableBytes = kb.integerConstant(table, b.getI8Type(), "lookup_table");
  SmallVector<int64_t> geometry(DSC_LOOKUP_GEOMETRY_SIZE, 0);
  geometry[DSC_LOOKUP_COUNT] = resultType.getNumElements();
  return kb.callKernel("dsc_lookup_u8", resultType, [&](Value out) {
    return SmallVector<Value>{kb.pointerTo(kb.geometryConstant(geometry)), kb.pointerTo(input),
                              kb.pointerTo(tableBytes), out};
  });
}
