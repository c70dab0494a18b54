//===- CalibrationProfile.h - Activation statistics for quantization -------===//
//
// dsc-calibrate runs a float model over sample inputs and writes, for every
// float tensor the quantizer may quantize, its range and a histogram: the
// profile. --dsc-quantize reads it back and turns each range into a scale
// and zero point by one of four methods. Both name tensors with
// `observedTensors`, so they agree on the same (folded) model.
//
// The file is JSON:
//   {"format": "dsc-calibration-profile", "version": 1, "samples": N,
//    "bins": B,
//    "tensors": {"<key>": {"min": m, "max": M, "histogram": [B counts]}}}
// The histogram's B bins split [min, max] evenly.
//
//===----------------------------------------------------------------------===//

#ifndef DSC_DIALECT_DSC_TRANSFORMS_CALIBRATIONPROFILE_H
#define DSC_DIALECT_DSC_TRANSFORMS_CALIBRATIONPROFILE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/StringMap.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dsc {

/// The float tensors of `func` a profile describes, with their keys: each
/// float argument (key: its `dsc.name`) and each float result of a
/// non-constant dsc op in the function's top-level block (key: the ONNX
/// node name, plus `:i` for result i > 0 of multi-result ops; a name seen
/// before gets `#2`, `#3`, ... in walk order).
std::vector<std::pair<mlir::Value, std::string>> observedTensors(mlir::func::FuncOp func);

struct TensorStatistics {
  double min = 0, max = 0;
  std::vector<uint64_t> histogram; // bins over [min, max]
  /// max |x| per channel (axis 1) of a rank-4 tensor, else empty; what
  /// --dsc-equalize-depthwise reads.
  std::vector<double> channelAbsMax;
};

struct CalibrationProfile {
  int64_t samples = 0;
  int64_t bins = 2048;
  llvm::StringMap<TensorStatistics> tensors;
};

/// Reads a profile; on failure returns an error message instead.
std::string readCalibrationProfile(llvm::StringRef path, CalibrationProfile &profile);
/// Writes `profile` as JSON.
std::string writeCalibrationProfile(llvm::StringRef path, const CalibrationProfile &profile);

/// How a tensor's range becomes the quantizer's clipping range.
enum class CalibrationMethod { MinMax, Percentile, Entropy, MSE };

/// Parses minmax|percentile|entropy|mse.
std::optional<CalibrationMethod> parseCalibrationMethod(llvm::StringRef name);

/// The clipping range [lo, hi] for `stats` (always containing 0): the
/// observed range (minmax), the `percentile`-th and (100 - percentile)-th
/// percentiles, the KL-divergence-minimising threshold over |x| (entropy,
/// with `levels` quantization levels; for non-negative tensors, signed ones
/// take the mse range), or the range shrunk to minimise the expected
/// squared quantization error (mse).
std::pair<double, double> clippingRange(const TensorStatistics &stats,
                                        CalibrationMethod method, double percentile,
                                        int64_t levels);

} // namespace dsc

#endif // DSC_DIALECT_DSC_TRANSFORMS_CALIBRATIONPROFILE_H
