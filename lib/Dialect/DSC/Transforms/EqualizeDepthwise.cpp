//===- EqualizeDepthwise.cpp - Even channel ranges before depthwise convs --===//
//
// Per-tensor activation quantization gives all channels of a tensor one
// step; a depthwise conv, which keeps channels apart, can take its input
// divided by a per-channel scale s_c > 0 when its weights are multiplied by
// it (the math is in Passes.td). This pass picks s_c from the profile's
// per-channel ranges so every channel spans the tensor's range.
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/Transforms/Passes.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"
#include "dsc/Dialect/DSC/Transforms/CalibrationProfile.h"
#include "dsc/Dialect/DSC/Transforms/Weights.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <algorithm>

namespace dsc {
#define GEN_PASS_DEF_EQUALIZEDEPTHWISE
#include "dsc/Dialect/DSC/Transforms/Passes.h.inc"
} // namespace dsc

using namespace mlir;
using namespace dsc;

namespace {

struct EqualizeDepthwisePass : dsc::impl::EqualizeDepthwiseBase<EqualizeDepthwisePass> {
  using EqualizeDepthwiseBase::EqualizeDepthwiseBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (profile.empty()) {
      func.emitError() << "dsc-equalize-depthwise: needs profile=FILE (dsc-calibrate)";
      return signalPassFailure();
    }
    if (!(floor > 0 && floor <= 1)) {
      func.emitError() << "dsc-equalize-depthwise: floor must be in (0, 1], got " << floor;
      return signalPassFailure();
    }
    CalibrationProfile data;
    if (std::string error = readCalibrationProfile(profile, data); !error.empty()) {
      func.emitError() << "dsc-equalize-depthwise: " << error;
      return signalPassFailure();
    }
    llvm::DenseMap<Value, std::string> keys;
    for (auto &[value, key] : observedTensors(func))
      keys[value] = key;

    SmallVector<ConvOp> convs;
    func.walk([&](ConvOp conv) {
      if (cast<RankedTensorType>(conv.getInput().getType()).getRank() == 4 &&
          isDepthwise(conv) && getConstantFloats(conv.getWeight()))
        convs.push_back(conv);
    });
    int64_t equalized = 0;
    for (ConvOp conv : convs) {
      Value x = conv.getInput();
      auto it = keys.find(x);
      if (it == keys.end())
        continue;
      auto stats = data.tensors.find(it->second);
      auto xType = cast<RankedTensorType>(x.getType());
      int64_t channels = xType.getDimSize(1);
      if (stats == data.tensors.end() ||
          (int64_t)stats->second.channelAbsMax.size() != channels)
        continue;
      const std::vector<double> &range = stats->second.channelAbsMax;
      double largest = *std::max_element(range.begin(), range.end());
      if (!(largest > 0))
        continue;
      // s_c = max(r_c, floor R) / R; x' = x / s_c, w'_c = s_c w_c.
      std::vector<float> scale(channels), inverse(channels);
      bool even = true;
      for (int64_t c = 0; c < channels; ++c) {
        double s = std::max(range[c], floor * largest) / largest;
        scale[c] = (float)s;
        inverse[c] = (float)(1.0 / s);
        even = even && scale[c] > 0.99f;
      }
      if (even)
        continue;
      std::vector<float> w = *getConstantFloats(conv.getWeight());
      int64_t taps = w.size() / channels;
      for (int64_t c = 0; c < channels; ++c)
        for (int64_t t = 0; t < taps; ++t)
          w[c * taps + t] *= scale[c];
      OpBuilder builder(conv);
      std::string name = layerName(conv) + ".equalize";
      Location loc = NameLoc::get(builder.getStringAttr(name), conv.getLoc());
      auto scaleType = RankedTensorType::get({1, channels, 1, 1}, xType.getElementType());
      Value inverseScale = createWeightConstant(builder, loc, scaleType, inverse, name);
      Value scaled = builder.create<MulOp>(loc, xType, x, inverseScale);
      conv.getInputMutable().assign(scaled);
      conv.getWeightMutable().assign(createWeightConstant(
          builder, conv.getLoc(), cast<RankedTensorType>(conv.getWeight().getType()), w,
          layerName(conv) + ".weight_equalized"));
      ++equalized;
    }
    if (equalized)
      emitRemark(func.getLoc()) << "dsc-equalize-depthwise: equalized the inputs of "
                                << equalized << " of " << convs.size()
                                << " depthwise convs";
  }
};

} // namespace
