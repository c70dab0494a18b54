//===- Quantize.cpp - Calibrated int8 quantization of convs and matmuls ----===//
//
// Rewrites float convs into dsc.qlinear_conv and float gemm/matmul into
// dsc.matmul_integer with a float rescale, using per-channel symmetric int8
// weights and per-tensor activation parameters from a calibration profile
// (see the pass description in Passes.td for the formulas).
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/Transforms/Passes.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"
#include "dsc/Dialect/DSC/Transforms/CalibrationProfile.h"
#include "dsc/Dialect/DSC/Transforms/Weights.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

namespace dsc {
#define GEN_PASS_DEF_QUANTIZE
#include "dsc/Dialect/DSC/Transforms/Passes.h.inc"
} // namespace dsc

using namespace mlir;
using namespace dsc;

namespace {

/// A float tensor's integer form: q = saturate(round(x / scale) + zero_point).
struct QuantizedTensor {
  Value q, scale, zeroPoint;
  float scaleValue = 1;
  int64_t zeroPointValue = 0;
};

/// Symmetric int8 per output channel: channel c of `count` holds the
/// values at `index(c, i)`, i < perChannel;
///   s[c] = max_i |w| / 127 (1 for an all-zero channel),
///   q = clamp(round_half_even(w / s[c]), -127, 127).
struct ChannelQuantized {
  std::vector<float> scales;
  std::vector<int64_t> values;
};

ChannelQuantized quantizeWeights(ArrayRef<float> w, int64_t channels, int64_t perChannel,
                                 function_ref<int64_t(int64_t, int64_t)> index) {
  ChannelQuantized result;
  result.values.assign(w.size(), 0);
  for (int64_t c = 0; c < channels; ++c) {
    float maxAbs = 0;
    for (int64_t i = 0; i < perChannel; ++i)
      maxAbs = std::max(maxAbs, std::fabs(w[index(c, i)]));
    float scale = maxAbs > 0 ? maxAbs / 127.0f : 1.0f;
    result.scales.push_back(scale);
    for (int64_t i = 0; i < perChannel; ++i) {
      int64_t at = index(c, i);
      result.values[at] =
          std::clamp<int64_t>((int64_t)std::nearbyint(w[at] / scale), -127, 127);
    }
  }
  return result;
}

/// The fewest channels a transposed conv's pointwise form must have to be
/// quantized (see quantizeConvTranspose).
constexpr int64_t kMinQuantizedTransposeChannels = 16;

struct QuantizePass : dsc::impl::QuantizeBase<QuantizePass> {
  using QuantizeBase::QuantizeBase;

  CalibrationProfile profileData;
  CalibrationMethod method = CalibrationMethod::MinMax;
  Type activationElement;
  int64_t qmin = 0, qmax = 255;
  DenseMap<Value, std::string> keys;
  DenseMap<Value, QuantizedTensor> quantized;
  llvm::StringSet<> skipped;
  SmallVector<Attribute> quantizedLayers;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (autoSkip != 0.0) {
      func.emitError() << "dsc-quantize: auto-skip runs the model on calibration data: use "
                          "dsc-compile --quantize \"... auto-skip="
                       << llvm::formatv("{0}", (double)autoSkip).str()
                       << "\" --calibration-data DIR (it passes the chosen skip= here)";
      return signalPassFailure();
    }
    if (mode == "weight-only") {
      if ((bits != 4 && bits != 8) || (block != 32 && block != 64 && block != 128)) {
        func.emitError() << "dsc-quantize: weight-only needs bits=4 or 8 and block=32, "
                            "64 or 128";
        return signalPassFailure();
      }
      runWeightOnly(func);
      return;
    }
    dynamic = mode == "int8-dynamic";
    if (mode != "int8" && !dynamic) {
      func.emitError() << "dsc-quantize: unknown mode '" << mode
                       << "' (int8, int8-dynamic or weight-only)";
      return signalPassFailure();
    }
    auto parsedMethod = parseCalibrationMethod(calibration);
    if (!parsedMethod) {
      func.emitError() << "dsc-quantize: unknown calibration '" << calibration
                       << "' (minmax, percentile, entropy or mse)";
      return signalPassFailure();
    }
    method = *parsedMethod;
    if (!(percentile > 50 && percentile <= 100)) {
      func.emitError() << "dsc-quantize: percentile must be in (50, 100]";
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    if (activationType == "uint8") {
      activationElement = IntegerType::get(ctx, 8, IntegerType::Unsigned);
      qmin = 0, qmax = 255;
    } else if (activationType == "int8") {
      activationElement = IntegerType::get(ctx, 8);
      qmin = -128, qmax = 127;
    } else {
      func.emitError() << "dsc-quantize: activation-type must be uint8 or int8, not '"
                       << activationType << "'";
      return signalPassFailure();
    }
    if (dynamic && activationType != "uint8") {
      func.emitError() << "dsc-quantize: int8-dynamic quantizes activations to uint8 "
                          "(DynamicQuantizeLinear)";
      return signalPassFailure();
    }
    if (profile.empty() && !dynamic) {
      func.emitError() << "dsc-quantize: mode=int8 needs profile=FILE, the activation "
                          "ranges dsc-calibrate measures on sample inputs";
      return signalPassFailure();
    }
    if (std::string error = dynamic ? "" : readCalibrationProfile(profile, profileData);
        !error.empty()) {
      func.emitError() << "dsc-quantize: " << error;
      return signalPassFailure();
    }
    parseSkipList();
    for (auto &[value, key] : observedTensors(func))
      keys[value] = key;

    SmallVector<Operation *> layers;
    func.walk([&](Operation *op) {
      if (isa<ConvOp, ConvTransposeOp, GemmOp, MatMulOp>(op) &&
          op->getBlock() == &func.getBody().front())
        layers.push_back(op);
    });
    for (Operation *op : layers) {
      LogicalResult result = success();
      if (isSkipped(op)) {
        op->emitRemark() << "kept in float (skip)";
        continue;
      }
      if (auto conv = dyn_cast<ConvOp>(op)) {
        // Run-time activation scales are for matmul-heavy models: a conv's
        // output would be requantized per image.
        if (dynamic) {
          op->emitRemark() << "kept in float: int8-dynamic quantizes gemm/matmul "
                              "(mode=int8 quantizes convs)";
          continue;
        }
        result = quantizeConv(conv);
      } else if (auto transposed = dyn_cast<ConvTransposeOp>(op)) {
        if (dynamic) {
          op->emitRemark() << "kept in float: int8-dynamic quantizes gemm/matmul "
                              "(mode=int8 quantizes convs)";
          continue;
        }
        result = quantizeConvTranspose(transposed);
      }
      else if (auto gemm = dyn_cast<GemmOp>(op))
        result = quantizeMatMul(op, gemm.getA(), gemm.getB(), gemm.getC(), gemm.getTransB(),
                                gemm.getTransA() || !gemm.getAlpha().isExactlyValue(1.0) ||
                                    (gemm.getC() && !gemm.getBeta().isExactlyValue(1.0)));
      else if (auto matmul = dyn_cast<MatMulOp>(op))
        result = quantizeMatMul(op, matmul.getA(), matmul.getB(), Value(), false, false);
      if (failed(result))
        return signalPassFailure();
    }
    func->setAttr("dsc.quantized", ArrayAttr::get(ctx, quantizedLayers));
  }

  /// The integer form of a float tensor quantized at run time
  /// (DynamicQuantizeLinear: uint8, scale and zero point from its range),
  /// made once right after the tensor is defined.
  QuantizedTensor quantizeAtRunTime(Value value, Operation *layer) {
    auto it = quantized.find(value);
    if (it != quantized.end())
      return it->second;
    OpBuilder b(layer);
    if (Operation *def = value.getDefiningOp())
      b.setInsertionPointAfter(def);
    else
      b.setInsertionPointToStart(value.getParentBlock());
    MLIRContext *ctx = &getContext();
    auto type = cast<RankedTensorType>(value.getType());
    Type u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
    auto op = b.create<DynamicQuantizeLinearOp>(
        layer->getLoc(),
        TypeRange{type.clone(u8), RankedTensorType::get({}, b.getF32Type()),
                  RankedTensorType::get({}, u8)},
        value);
    QuantizedTensor t;
    t.q = op.getOutput();
    t.scale = op.getScale();
    t.zeroPoint = op.getZeroPoint();
    quantized[value] = t;
    return t;
  }

  bool dynamic = false;

  /// skip=a,b,...: layer names or op types kept in float.
  void parseSkipList() {
    SmallVector<StringRef> names;
    StringRef(skip).split(names, ',', -1, false);
    for (StringRef name : names)
      skipped.insert(name.trim());
  }

  /// mode=weight-only: every gemm/matmul with constant 2-D weights whose K
  /// is a multiple of the block becomes dsc.matmul_weight_only.
  void runWeightOnly(func::FuncOp func) {
    parseSkipList();
    SmallVector<Operation *> layers;
    func.walk([&](Operation *op) {
      if (isa<GemmOp, MatMulOp>(op))
        layers.push_back(op);
    });
    for (Operation *op : layers) {
      if (isSkipped(op)) {
        op->emitRemark() << "kept in float (skip)";
        continue;
      }
      if (auto gemm = dyn_cast<GemmOp>(op))
        quantizeWeightOnly(op, gemm.getA(), gemm.getB(), gemm.getC(), gemm.getTransB(),
                           gemm.getTransA() || !gemm.getAlpha().isExactlyValue(1.0) ||
                               (gemm.getC() && !gemm.getBeta().isExactlyValue(1.0)));
      else if (auto matmul = dyn_cast<MatMulOp>(op))
        quantizeWeightOnly(op, matmul.getA(), matmul.getB(), Value(), false, false);
    }
    func->setAttr("dsc.quantized", ArrayAttr::get(&getContext(), quantizedLayers));
  }

  /// The constant weights of a gemm/matmul as [K, N] (transposed from
  /// [N, K] when transB), or nothing (after a remark saying why the layer
  /// stays float).
  std::optional<std::pair<int64_t, std::vector<float>>>
  readMatMulWeights(Operation *op, Value a, Value bMatrix, Value c, bool transB,
                    bool unsupportedForm) {
    auto bType = cast<RankedTensorType>(bMatrix.getType());
    auto weights = getConstantFloats(bMatrix);
    std::optional<std::vector<float>> bias;
    if (c)
      bias = getConstantFloats(c);
    auto aType = cast<RankedTensorType>(a.getType());
    if (unsupportedForm || !weights || bType.getRank() != 2 || (c && !bias) ||
        !aType.getElementType().isF32()) {
      op->emitRemark() << "kept in float: needs constant 2-D weights (and bias), no "
                          "transposed input, alpha = beta = 1";
      return std::nullopt;
    }
    int64_t k = transB ? bType.getDimSize(1) : bType.getDimSize(0);
    int64_t n = transB ? bType.getDimSize(0) : bType.getDimSize(1);
    if (c) {
      auto cType = cast<RankedTensorType>(c.getType());
      if (cType.getNumElements() != n || cType.getDimSize(cType.getRank() - 1) != n) {
        op->emitRemark() << "kept in float: the bias is not one value per column";
        return std::nullopt;
      }
    }
    // Column n of w reads b[k, n] (or b[n, k] when transposed).
    std::vector<float> kn(k * n);
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < n; ++j)
        kn[i * n + j] = transB ? (*weights)[j * k + i] : (*weights)[i * n + j];
    return std::make_pair(k, std::move(kn));
  }

  /// Blocks of `block` rows of a column, symmetric:
  ///   s = fp16(max |w| / qmax),  q = clamp(round(w / s), -qmax, qmax)
  /// with qmax = 7 (int4) or 127 (int8); the scale is rounded to fp16
  /// before quantizing, so q * s is what the kernel computes.
  void quantizeWeightOnly(Operation *op, Value a, Value bMatrix, Value c, bool transB,
                          bool unsupportedForm) {
    auto read = readMatMulWeights(op, a, bMatrix, c, transB, unsupportedForm);
    if (!read)
      return;
    int64_t k = read->first;
    const std::vector<float> &kn = read->second;
    int64_t n = kn.size() / k;
    if (k % block != 0) {
      op->emitRemark() << "kept in float: K = " << k << " is not a multiple of block="
                       << (int64_t)block;
      return;
    }
    const int64_t qmax = bits == 4 ? 7 : 127;
    int64_t blocks = k / block;
    SmallVector<APInt> values(k * n);
    SmallVector<APFloat> scales;
    scales.reserve(blocks * n);
    for (int64_t kb = 0; kb < blocks; ++kb)
      for (int64_t col = 0; col < n; ++col) {
        auto at = [&](int64_t row) { return kn[row * n + col]; };
        float maxAbs = 0;
        for (int64_t r = kb * block; r < (kb + 1) * block; ++r)
          maxAbs = std::max(maxAbs, std::fabs(at(r)));
        APFloat scale(maxAbs > 0 ? maxAbs / qmax : 1.0f);
        bool lost;
        scale.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &lost);
        APFloat asFloat = scale;
        asFloat.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
        float s = asFloat.convertToFloat();
        if (!(s > 0)) { // below fp16's range: the block is ~0
          scale = APFloat(APFloat::IEEEhalf(), "1.0");
          s = 1.0f;
        }
        scales.push_back(scale);
        for (int64_t r = kb * block; r < (kb + 1) * block; ++r) {
          int64_t q = std::clamp<int64_t>((int64_t)std::nearbyint(at(r) / s), -qmax, qmax);
          values[r * n + col] = APInt(bits, q, /*isSigned=*/true);
        }
      }
    OpBuilder b(op);
    Location loc = op->getLoc();
    auto weightType = RankedTensorType::get({k, n}, b.getIntegerType(bits));
    auto scaleType = RankedTensorType::get({blocks, n}, b.getF16Type());
    Value w = b.create<ConstantOp>(loc, DenseElementsAttr::get(weightType, values));
    Value scaleConstant = b.create<ConstantOp>(loc, DenseElementsAttr::get(scaleType, scales));
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    Value y = b.create<MatMulWeightOnlyOp>(loc, resultType, a, w, scaleConstant, c,
                                           b.getI64IntegerAttr(block));
    op->getResult(0).replaceAllUsesWith(y);
    op->erase();
    eraseIfDead(bMatrix);
    std::string name = layerName(y.getDefiningOp());
    quantizedLayers.push_back(b.getStringAttr(name));
    y.getDefiningOp()->emitRemark()
        << llvm::formatv("weight-only int{0} ({1}x{2} weights, blocks of {3})", (int64_t)bits,
                         k, n, (int64_t)block);
  }

  bool isSkipped(Operation *op) {
    StringRef type = llvm::TypeSwitch<Operation *, StringRef>(op)
                         .Case([](ConvOp) { return "Conv"; })
                         .Case([](ConvTransposeOp) { return "ConvTranspose"; })
                         .Case([](GemmOp) { return "Gemm"; })
                         .Default([](Operation *) { return "MatMul"; });
    return skipped.contains(layerName(op)) || skipped.contains(type) ||
           skipped.contains(op->getName().getStringRef());
  }

  /// Scale and zero point of a float tensor from its profiled range:
  ///   scale = (hi - lo) / (qmax - qmin),  zero_point = round(qmin - lo / scale).
  FailureOr<std::pair<float, int64_t>> activationParameters(Value value, Operation *layer) {
    std::string key = keys.lookup(value);
    auto it = profileData.tensors.find(key);
    if (key.empty() || it == profileData.tensors.end())
      return layer->emitError() << "dsc-quantize: the tensor '" << key
                                << "' this layer reads or writes is not in the profile '"
                                << profile
                                << "'; calibrate this model (after the same folding and "
                                   "pruning) with dsc-calibrate",
             failure();
    // A model input (an image, normalised by the user) keeps its observed
    // range: clipping it, the first layer would lose what every later
    // layer builds on, and its range is the preprocessing's, not a
    // distribution with outliers.
    CalibrationMethod tensorMethod = isa<BlockArgument>(value) ? CalibrationMethod::MinMax : method;
    auto [lo, hi] = clippingRange(it->second, tensorMethod, percentile, qmax - qmin + 1);
    float scale = (float)((hi - lo) / (double)(qmax - qmin));
    if (!(scale > 0) || !std::isfinite(scale))
      scale = 1.0f;
    int64_t zeroPoint =
        std::clamp<int64_t>((int64_t)std::nearbyint(qmin - lo / scale), qmin, qmax);
    return std::make_pair(scale, zeroPoint);
  }

  Value scalarF32(OpBuilder &b, Location loc, float value) {
    return createWeightConstant(b, loc, RankedTensorType::get({}, b.getF32Type()), {value},
                                "scale");
  }

  Value zeroPointConstant(OpBuilder &b, Location loc, int64_t value) {
    return createIntegerWeightConstant(b, loc, RankedTensorType::get({}, activationElement),
                                       {value}, "zero_point");
  }

  /// The integer form of a float tensor, made once (right after it is
  /// defined) and shared by every quantized reader.
  FailureOr<QuantizedTensor> quantizeInput(Value value, Operation *layer) {
    auto it = quantized.find(value);
    if (it != quantized.end())
      return it->second;
    auto params = activationParameters(value, layer);
    if (failed(params))
      return failure();
    OpBuilder b(layer);
    if (Operation *def = value.getDefiningOp())
      b.setInsertionPointAfter(def);
    else
      b.setInsertionPointToStart(value.getParentBlock());
    Location loc = layer->getLoc();
    QuantizedTensor t;
    t.scaleValue = params->first;
    t.zeroPointValue = params->second;
    t.scale = scalarF32(b, loc, t.scaleValue);
    t.zeroPoint = zeroPointConstant(b, loc, t.zeroPointValue);
    auto type = cast<RankedTensorType>(value.getType()).clone(activationElement);
    t.q = b.create<QuantizeLinearOp>(loc, type, value, t.scale, t.zeroPoint, 1);
    quantized[value] = t;
    return t;
  }

  LogicalResult quantizeConv(ConvOp conv) {
    auto wType = conv.getWeight().getType();
    auto weights = getConstantFloats(conv.getWeight());
    std::optional<std::vector<float>> bias;
    if (conv.getBias())
      bias = getConstantFloats(conv.getBias());
    if (!weights || (conv.getBias() && !bias) ||
        !conv.getInput().getType().getElementType().isF32()) {
      conv->emitRemark() << "kept in float: weights or bias are not float constants";
      return success();
    }
    // The output: the conv's, or that of a Relu right after it (absorbed:
    // its range starts at 0, which saturation at the zero point keeps).
    Value out = conv.getResult();
    Operation *relu = nullptr;
    if (out.hasOneUse() && isa<ReluOp>(*out.getUsers().begin()) &&
        !isSkipped(conv) && keys.count((*out.getUsers().begin())->getResult(0))) {
      relu = *out.getUsers().begin();
      out = relu->getResult(0);
    }
    auto x = quantizeInput(conv.getInput(), conv);
    if (failed(x))
      return failure();
    auto y = activationParameters(out, conv);
    if (failed(y))
      return failure();

    int64_t filters = wType.getDimSize(0);
    int64_t perFilter = wType.getNumElements() / filters;
    ChannelQuantized w = quantizeWeights(*weights, filters, perFilter,
                                         [&](int64_t f, int64_t i) { return f * perFilter + i; });
    // The int32 bias b[f] / (s_x s_w[f]) must stay far from overflow, with
    // room for the accumulated products: a filter whose weights are tiny
    // next to its bias (a channel BN folding left nearly dead) gets the
    // scale |b[f]| / (s_x 2^30), at which its weights round to ~0 and the
    // output is the bias, as in float.
    if (bias) {
      for (int64_t f = 0; f < filters; ++f) {
        float floor = std::fabs((*bias)[f]) / (x->scaleValue * 1073741824.0f);
        if (w.scales[f] >= floor)
          continue;
        w.scales[f] = floor;
        for (int64_t i = 0; i < perFilter; ++i) {
          int64_t at = f * perFilter + i;
          w.values[at] = std::clamp<int64_t>(
              (int64_t)std::nearbyint((*weights)[at] / floor), -127, 127);
        }
      }
    }
    OpBuilder b(relu ? relu : conv.getOperation());
    Location loc = conv.getLoc();
    std::string name = layerName(conv);
    Value wq = createIntegerWeightConstant(b, loc, wType.clone(b.getI8Type()), w.values,
                                           name + "_int8");
    Value wScale = createWeightConstant(b, loc, RankedTensorType::get({filters}, b.getF32Type()),
                                        w.scales, name + "_scale");
    // Symmetric: one zero point, 0, for every filter.
    Value wZeroPoint = createIntegerWeightConstant(
        b, loc, RankedTensorType::get({}, b.getI8Type()), {0}, name + "_zero_point");
    // bias_q[f] = round(b[f] / (s_x s_w[f])) in int32.
    Value biasQ;
    if (bias) {
      SmallVector<int64_t> values;
      for (int64_t f = 0; f < filters; ++f) {
        double v = std::nearbyint((*bias)[f] / ((double)x->scaleValue * w.scales[f]));
        values.push_back((int64_t)std::clamp<double>(v, std::numeric_limits<int32_t>::min(),
                                                     std::numeric_limits<int32_t>::max()));
      }
      biasQ = createIntegerWeightConstant(b, loc, RankedTensorType::get({filters}, b.getI32Type()),
                                          values, name + "_bias_int32");
    }
    QuantizedTensor result;
    result.scaleValue = y->first;
    result.zeroPointValue = y->second;
    result.scale = scalarF32(b, loc, y->first);
    result.zeroPoint = zeroPointConstant(b, loc, y->second);
    auto outType = cast<RankedTensorType>(out.getType());
    result.q = b.create<QLinearConvOp>(
        loc, outType.clone(activationElement), x->q, x->scale, x->zeroPoint, wq, wScale,
        wZeroPoint, result.scale, result.zeroPoint, biasQ, conv.getStridesAttr(),
        conv.getPadsAttr(), conv.getDilationsAttr(), conv.getGroupAttr());
    Value dequantized =
        b.create<DequantizeLinearOp>(relu ? relu->getLoc() : loc, outType, result.q,
                                     result.scale, result.zeroPoint, 1);
    keys[dequantized] = keys.lookup(out);
    quantized[dequantized] = result;
    out.replaceAllUsesWith(dequantized);
    if (relu)
      relu->erase();
    Value oldWeights = conv.getWeight(), oldBias = conv.getBias();
    conv.erase();
    eraseIfDead(oldWeights);
    eraseIfDead(oldBias);
    quantizedLayers.push_back(b.getStringAttr(name));
    result.q.getDefiningOp()->emitRemark()
        << llvm::formatv("quantized to int8 ({0} filters{1}): input scale {2:e3} zero point "
                         "{3}, output scale {4:e3} zero point {5}",
                         filters, relu ? ", relu absorbed" : "", x->scaleValue,
                         x->zeroPointValue, result.scaleValue, result.zeroPointValue);
    return success();
  }

  /// A 2-D transposed conv whose stride equals its square kernel (no
  /// padding, dilation or output padding, one group) writes each output
  /// pixel from one tap of one input pixel,
  ///   y[n, f, i*k + a, j*k + b] = bias[f] + sum_c x[n, c, i, j] w[c, f, a, b],
  /// so it is a 1x1 conv to F*k*k channels followed by a depth to space in
  /// CRD order,
  ///   z[n, (f*k + a)*k + b, i, j] = bias[f] + sum_c x[n, c, i, j] w[c, f, a, b],
  /// and is quantized as that conv (a Relu after it goes before the depth
  /// to space, relu(d2s(z)) = d2s(relu(z)), where the conv absorbs it). z
  /// holds y's values, so it takes y's calibrated range. Other transposed
  /// convs stay in float.
  LogicalResult quantizeConvTranspose(ConvTransposeOp conv) {
    auto wType = conv.getWeight().getType();
    auto inType = cast<RankedTensorType>(conv.getInput().getType());
    auto outType = conv.getType();
    auto weights = getConstantFloats(conv.getWeight());
    std::optional<std::vector<float>> bias;
    if (conv.getBias())
      bias = getConstantFloats(conv.getBias());
    int64_t k = wType.getRank() == 4 ? wType.getDimSize(2) : 0;
    bool pixelShuffle =
        k > 1 && wType.getDimSize(3) == k && conv.getGroup() == 1 &&
        inType.hasStaticShape() && outType.hasStaticShape() &&
        conv.getStrides() == ArrayRef<int64_t>{k, k} &&
        llvm::all_of(conv.getDilations(), [](int64_t d) { return d == 1; }) &&
        llvm::all_of(conv.getPads(), [](int64_t p) { return p == 0; }) &&
        llvm::all_of(conv.getOutputPadding(), [](int64_t p) { return p == 0; }) &&
        outType.getDimSize(2) == inType.getDimSize(2) * k &&
        outType.getDimSize(3) == inType.getDimSize(3) * k;
    if (!pixelShuffle || !weights || (conv.getBias() && !bias) ||
        !inType.getElementType().isF32()) {
      conv->emitRemark() << "kept in float: only a transposed conv whose stride equals its "
                            "square kernel (no padding, one group) with float constant "
                            "weights is quantized";
      return success();
    }
    int64_t channels = wType.getDimSize(0), filters = wType.getDimSize(1);
    int64_t taps = k * k, expanded = filters * taps;
    // The int8 conv kernels compute 16 or 32 filters at a time: a 1x1 conv
    // to fewer channels wastes most of each tile and is slower than the
    // float kernel (det's last ConvTranspose, 24 -> 1 channels at 2x2, four
    // expanded: 1.46 ms in int8 against 0.79 ms in float).
    if (expanded < kMinQuantizedTransposeChannels) {
      conv->emitRemark() << "kept in float: a transposed conv to " << expanded
                         << " pointwise channels (fewer than "
                         << kMinQuantizedTransposeChannels << ") runs faster in float";
      return success();
    }
    std::vector<float> pointwise, expandedBias;
    expandTransposedConvWeights(*weights, bias ? ArrayRef<float>(*bias) : ArrayRef<float>(),
                                channels, filters, taps, pointwise, expandedBias);
    OpBuilder b(conv);
    Location loc = conv.getLoc();
    Type f32 = b.getF32Type();
    Value w = createWeightConstant(b, loc, RankedTensorType::get({expanded, channels, 1, 1}, f32),
                                   pointwise, layerName(conv) + "_pointwise");
    Value biasValue;
    if (bias)
      biasValue = createWeightConstant(b, loc, RankedTensorType::get({expanded}, f32),
                                       expandedBias, layerName(conv) + "_pointwise_bias");
    auto zType = RankedTensorType::get(
        {inType.getDimSize(0), expanded, inType.getDimSize(2), inType.getDimSize(3)}, f32);
    auto pointwiseConv = b.create<ConvOp>(loc, zType, conv.getInput(), w, biasValue,
                                          b.getDenseI64ArrayAttr({1, 1}),
                                          b.getDenseI64ArrayAttr({0, 0, 0, 0}),
                                          b.getDenseI64ArrayAttr({1, 1}), (int64_t)1);
    if (std::string key = keys.lookup(conv.getResult()); !key.empty())
      keys[pointwiseConv.getResult()] = key;
    Value z = pointwiseConv.getResult();
    Operation *replaced = conv;
    Value y = conv.getResult();
    if (y.hasOneUse() && isa<ReluOp>(*y.getUsers().begin())) {
      Operation *relu = *y.getUsers().begin();
      auto relued = b.create<ReluOp>(relu->getLoc(), zType, z);
      if (std::string key = keys.lookup(relu->getResult(0)); !key.empty())
        keys[relued.getResult()] = key;
      z = relued.getResult();
      replaced = relu;
    }
    auto shuffled = b.create<DepthToSpaceOp>(loc, replaced->getResult(0).getType(), z,
                                             b.getI64IntegerAttr(k), b.getStringAttr("CRD"));
    if (std::string key = keys.lookup(replaced->getResult(0)); !key.empty())
      keys[shuffled.getResult()] = key;
    replaced->getResult(0).replaceAllUsesWith(shuffled.getResult());
    if (replaced != conv.getOperation())
      replaced->erase();
    Value oldWeights = conv.getWeight(), oldBias = conv.getBias();
    conv.erase();
    eraseIfDead(oldWeights);
    eraseIfDead(oldBias);
    return quantizeConv(pointwiseConv);
  }

  /// Removes a float weight constant nothing reads any more.
  static void eraseIfDead(Value value) {
    if (value && value.use_empty())
      if (auto constant = value.getDefiningOp<ConstantOp>())
        constant.erase();
  }

  /// y = float((a_q - a_zp) x w_q) * (s_a s_w[n]) + bias, with w [K, N].
  LogicalResult quantizeMatMul(Operation *op, Value a, Value bMatrix, Value c, bool transB,
                               bool unsupportedForm) {
    auto read = readMatMulWeights(op, a, bMatrix, c, transB, unsupportedForm);
    if (!read)
      return success();
    int64_t k = read->first;
    const std::vector<float> &kn = read->second;
    int64_t n = kn.size() / k;
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    ChannelQuantized w =
        quantizeWeights(kn, n, k, [&](int64_t col, int64_t row) { return row * n + col; });
    FailureOr<QuantizedTensor> x = dynamic ? FailureOr<QuantizedTensor>(quantizeAtRunTime(a, op))
                                           : quantizeInput(a, op);
    if (failed(x))
      return failure();
    OpBuilder b(op);
    Location loc = op->getLoc();
    std::string name = layerName(op);
    Value wq = createIntegerWeightConstant(
        b, loc, RankedTensorType::get({k, n}, b.getI8Type()), w.values, name + "_int8");
    Value wZeroPoint = createIntegerWeightConstant(
        b, loc, RankedTensorType::get({}, b.getI8Type()), {0}, name + "_zero_point");
    // The steps before the last carry `<name>/int8` locations, so the last
    // one alone has the layer's name (and tensor key, for per-layer
    // fidelity against the float model).
    Location stepLoc = NameLoc::get(b.getStringAttr(name + "/int8"), loc);
    Value acc = b.create<MatMulIntegerOp>(stepLoc, resultType.clone(b.getI32Type()), x->q, wq,
                                          x->zeroPoint, wZeroPoint);
    Value accFloat = b.create<CastOp>(stepLoc, resultType, acc);
    // Calibrated: one constant s_a s_w[n]. Dynamic: s_w[n], then the
    // run-time s_a.
    std::vector<float> scales;
    for (float s : w.scales)
      scales.push_back(dynamic ? s : x->scaleValue * s);
    Value scale = createWeightConstant(b, loc, RankedTensorType::get({n}, b.getF32Type()),
                                       scales, name + "_scale");
    bool moreSteps = dynamic || c;
    Value y = b.create<MulOp>(moreSteps ? stepLoc : loc, resultType, accFloat, scale);
    if (dynamic)
      y = b.create<MulOp>(c ? stepLoc : loc, resultType, y, x->scale);
    if (c)
      y = b.create<AddOp>(loc, resultType, y, c);
    keys[y] = keys.lookup(op->getResult(0));
    op->getResult(0).replaceAllUsesWith(y);
    op->erase();
    eraseIfDead(bMatrix);
    quantizedLayers.push_back(b.getStringAttr(name));
    if (dynamic)
      y.getDefiningOp()->emitRemark()
          << llvm::formatv("quantized to int8 ({0}x{1} weights): input quantized at run "
                           "time, float output",
                           k, n);
    else
      y.getDefiningOp()->emitRemark()
          << llvm::formatv("quantized to int8 ({0}x{1} weights): input scale {2:e3} zero "
                           "point {3}, float output",
                           k, n, x->scaleValue, x->zeroPointValue);
    return success();
  }
};

} // namespace
