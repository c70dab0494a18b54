//===- CalibrationProfile.cpp - Activation statistics for quantization -----===//

#include "dsc/Dialect/DSC/Transforms/CalibrationProfile.h"

#include "dsc/Dialect/DSC/IR/DSCOps.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;

namespace dsc {

std::vector<std::pair<Value, std::string>> observedTensors(func::FuncOp func) {
  std::vector<std::pair<Value, std::string>> result;
  llvm::StringMap<int> seen;
  auto add = [&](Value value, std::string key) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || !type.getElementType().isF32())
      return;
    int count = ++seen[key];
    if (count > 1)
      key += "#" + std::to_string(count);
    result.emplace_back(value, std::move(key));
  };
  if (func.isExternal())
    return result;
  Block &entry = func.getBody().front();
  for (BlockArgument arg : entry.getArguments()) {
    auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "dsc.name");
    add(arg, name ? name.str() : "input" + std::to_string(arg.getArgNumber()));
  }
  for (Operation &op : entry) {
    if (!isa<DSCDialect>(op.getDialect()) || isa<ConstantOp>(op))
      continue;
    std::string name = layerName(&op);
    for (OpResult r : op.getResults())
      add(r, r.getResultNumber() == 0 ? name
                                      : name + ":" + std::to_string(r.getResultNumber()));
  }
  return result;
}

std::string readCalibrationProfile(llvm::StringRef path, CalibrationProfile &profile) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return "cannot read the profile '" + path.str() + "': " + buffer.getError().message();
  auto parsed = llvm::json::parse((*buffer)->getBuffer());
  if (!parsed)
    return "the profile '" + path.str() + "' is not JSON: " + llvm::toString(parsed.takeError());
  const llvm::json::Object *root = parsed->getAsObject();
  if (!root || root->getString("format") != "dsc-calibration-profile")
    return "'" + path.str() + "' is not a dsc calibration profile (no \"format\": "
           "\"dsc-calibration-profile\")";
  profile.samples = root->getInteger("samples").value_or(0);
  profile.bins = root->getInteger("bins").value_or(0);
  const llvm::json::Object *tensors = root->getObject("tensors");
  if (!tensors || profile.bins <= 0)
    return "the profile '" + path.str() + "' has no \"tensors\" or \"bins\"";
  for (const auto &[key, value] : *tensors) {
    const llvm::json::Object *entry = value.getAsObject();
    std::optional<double> min = entry ? entry->getNumber("min") : std::nullopt;
    std::optional<double> max = entry ? entry->getNumber("max") : std::nullopt;
    const llvm::json::Array *histogram = entry ? entry->getArray("histogram") : nullptr;
    if (!min || !max || !histogram || (int64_t)histogram->size() != profile.bins ||
        !(*min <= *max))
      return "the profile's entry for '" + key.str() +
             "' needs min <= max and a histogram of " + std::to_string(profile.bins) +
             " counts";
    TensorStatistics stats;
    stats.min = *min;
    stats.max = *max;
    for (const llvm::json::Value &count : *histogram) {
      std::optional<int64_t> n = count.getAsInteger();
      if (!n || *n < 0)
        return "the profile's histogram for '" + key.str() + "' has a bad count";
      stats.histogram.push_back(*n);
    }
    if (const llvm::json::Array *channels = entry->getArray("channel_absmax"))
      for (const llvm::json::Value &v : *channels) {
        std::optional<double> x = v.getAsNumber();
        if (!x || !(*x >= 0))
          return "the profile's channel_absmax for '" + key.str() + "' has a bad value";
        stats.channelAbsMax.push_back(*x);
      }
    profile.tensors[key] = std::move(stats);
  }
  return "";
}

std::string writeCalibrationProfile(llvm::StringRef path, const CalibrationProfile &profile) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return "cannot write '" + path.str() + "': " + ec.message();
  // One tensor per line keeps the file diffable and its size proportional.
  os << "{\"format\": \"dsc-calibration-profile\", \"version\": 1, \"samples\": "
     << profile.samples << ", \"bins\": " << profile.bins << ",\n \"tensors\": {";
  std::vector<std::string> keys;
  for (const auto &entry : profile.tensors)
    keys.push_back(entry.getKey().str());
  std::sort(keys.begin(), keys.end());
  for (size_t i = 0; i < keys.size(); ++i) {
    const TensorStatistics &stats = profile.tensors.lookup(keys[i]);
    os << (i ? ",\n  " : "\n  ") << llvm::json::Value(keys[i])
       << llvm::formatv(": {{\"min\": {0:e9}, \"max\": {1:e9}, \"histogram\": [", stats.min,
                        stats.max);
    for (size_t b = 0; b < stats.histogram.size(); ++b)
      os << (b ? "," : "") << stats.histogram[b];
    os << "]";
    if (!stats.channelAbsMax.empty()) {
      os << ", \"channel_absmax\": [";
      for (size_t c = 0; c < stats.channelAbsMax.size(); ++c)
        os << (c ? "," : "") << llvm::formatv("{0:e6}", stats.channelAbsMax[c]);
      os << "]";
    }
    os << "}";
  }
  os << "\n }}\n";
  return "";
}

std::optional<CalibrationMethod> parseCalibrationMethod(llvm::StringRef name) {
  if (name == "minmax")
    return CalibrationMethod::MinMax;
  if (name == "percentile")
    return CalibrationMethod::Percentile;
  if (name == "entropy")
    return CalibrationMethod::Entropy;
  if (name == "mse")
    return CalibrationMethod::MSE;
  return std::nullopt;
}

namespace {

/// The KL-divergence-minimising threshold over the |x| histogram `abs`
/// (bins over [0, amax]), in bins, as TensorRT's entropy calibration: for
/// each candidate i >= levels, P = abs[0..i) with the outliers abs[i..)
/// added to its last bin; Q = abs[0..i) merged into `levels` groups and
/// spread back evenly over each group's nonzero bins; the i minimising
/// KL(P || Q) = sum p log(p / q) (both normalised) wins.
int64_t entropyThresholdBins(const std::vector<double> &abs, int64_t levels) {
  int64_t bins = abs.size();
  if (bins <= levels)
    return bins;
  double total = 0;
  for (double n : abs)
    total += n;
  if (total == 0)
    return bins;
  int64_t best = bins;
  double bestDivergence = std::numeric_limits<double>::infinity();
  std::vector<double> p(bins), q(bins);
  double tail = total;
  for (int64_t i = 0; i < levels; ++i)
    tail -= abs[i];
  for (int64_t i = levels; i <= bins; ++i) {
    // tail = sum abs[i..)
    if (i > levels)
      tail -= abs[i - 1];
    std::copy(abs.begin(), abs.begin() + i, p.begin());
    p[i - 1] += tail;
    for (int64_t g = 0; g < levels; ++g) {
      int64_t begin = g * i / levels, end = (g + 1) * i / levels;
      double sum = 0;
      int64_t nonzero = 0;
      for (int64_t j = begin; j < end; ++j) {
        sum += abs[j];
        nonzero += abs[j] != 0;
      }
      for (int64_t j = begin; j < end; ++j)
        q[j] = abs[j] != 0 ? sum / nonzero : 0;
    }
    double pSum = 0, qSum = 0;
    for (int64_t j = 0; j < i; ++j) {
      pSum += p[j];
      qSum += q[j];
    }
    double divergence = 0;
    for (int64_t j = 0; j < i; ++j) {
      if (p[j] == 0)
        continue;
      double pj = p[j] / pSum;
      // A bin P has and Q lacks (only the outlier bin can be one): a small
      // floor instead of an infinite divergence.
      double qj = q[j] > 0 ? q[j] / qSum : 1e-12;
      divergence += pj * std::log(pj / qj);
    }
    if (divergence < bestDivergence) {
      bestDivergence = divergence;
      best = i;
    }
  }
  return best;
}

} // namespace

std::pair<double, double> clippingRange(const TensorStatistics &stats,
                                        CalibrationMethod method, double percentile,
                                        int64_t levels) {
  double lo = std::min(stats.min, 0.0), hi = std::max(stats.max, 0.0);
  int64_t bins = stats.histogram.size();
  double width = (stats.max - stats.min) / std::max<int64_t>(bins, 1);
  double total = 0;
  for (uint64_t n : stats.histogram)
    total += n;
  if (method == CalibrationMethod::MinMax || bins == 0 || total == 0 || width == 0)
    return {lo, hi};
  auto center = [&](int64_t j) { return stats.min + (j + 0.5) * width; };

  if (method == CalibrationMethod::Percentile) {
    // The smallest value below which (100 - p)% of the samples lie, and the
    // largest above which (100 - p)% lie.
    double tailCount = total * (100.0 - percentile) / 100.0;
    double below = 0;
    int64_t first = 0;
    while (first < bins - 1 && below + stats.histogram[first] <= tailCount)
      below += stats.histogram[first++];
    double above = 0;
    int64_t last = bins - 1;
    while (last > first && above + stats.histogram[last] <= tailCount)
      above += stats.histogram[last--];
    return {std::min(stats.min + first * width, 0.0),
            std::max(stats.min + (last + 1) * width, 0.0)};
  }

  // Entropy's divergence search suits non-negative tensors (after ReLU,
  // Clip, Sigmoid), the case it was designed for; on a signed
  // pre-activation tensor with long tails it clips far into the values
  // (PaddleOCR rec's first conv: +-3.2 of +-20). Those take the MSE range.
  if (method == CalibrationMethod::Entropy && stats.min < 0)
    method = CalibrationMethod::MSE;
  if (method == CalibrationMethod::Entropy) {
    // A tensor with no more distinct values (occupied bins) than levels,
    // e.g. an image of 8-bit pixels, loses nothing at its full range; the
    // divergence search would clip it.
    int64_t occupied = 0;
    for (uint64_t n : stats.histogram)
      occupied += n != 0;
    if (occupied <= levels)
      return {lo, hi};
    // Fold the signed histogram into one of |x| over [0, amax]. A signed
    // tensor spends half the levels on each side.
    double amax = std::max(-stats.min, stats.max);
    std::vector<double> abs(bins, 0.0);
    for (int64_t j = 0; j < bins; ++j) {
      int64_t k = std::min<int64_t>(std::fabs(center(j)) / amax * bins, bins - 1);
      abs[k] += stats.histogram[j];
    }
    // The bin at 0 holds every exact zero a Relu made; left as it is, that
    // spike dominates the divergence and pulls the threshold far in. Like
    // NVIDIA's calibrators, count it as its neighbour.
    if (bins > 1)
      abs[0] = abs[1];
    int64_t absLevels = stats.min >= 0 ? levels : levels / 2;
    double threshold = entropyThresholdBins(abs, absLevels) * (amax / bins);
    return {std::max(lo, -threshold), std::min(hi, threshold)};
  }

  // MSE: shrink the range by factors 1, 0.99, ..., 0.30 and keep the one
  // whose uniform quantization (levels steps over [f lo, f hi], values
  // outside clipped) has the least expected squared error over the
  // histogram's bin centres.
  double bestError = std::numeric_limits<double>::infinity();
  std::pair<double, double> best = {lo, hi};
  for (int k = 0; k <= 70; ++k) {
    double f = 1.0 - k / 100.0;
    double a = lo * f, b = hi * f;
    double scale = (b - a) / (levels - 1);
    if (scale <= 0)
      break;
    double error = 0;
    for (int64_t j = 0; j < bins; ++j) {
      if (!stats.histogram[j])
        continue;
      double x = center(j);
      double clipped = std::min(std::max(x, a), b);
      double q = std::round((clipped - a) / scale) * scale + a;
      error += stats.histogram[j] * (x - q) * (x - q);
    }
    if (error < bestError) {
      bestError = error;
      best = {a, b};
    }
  }
  return best;
}

} // namespace dsc
