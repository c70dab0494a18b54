//===- CalibrationProfileTest.cpp - Clipping ranges from histograms --------===//
//
// The four calibration methods on histograms whose right answers are known
// from the distribution: a standard normal sampled into 2048 bins over
// [-6, 6] (expected counts, 10^7 samples), and a Relu output (half-normal).
//
//===----------------------------------------------------------------------===//

#include "dsc/Dialect/DSC/Transforms/CalibrationProfile.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace dsc;

namespace {

/// Expected counts of n samples of N(0, 1) (or its positive half) in
/// `bins` bins over [lo, hi].
TensorStatistics normalHistogram(double lo, double hi, int bins, double n, bool relu) {
  TensorStatistics stats;
  stats.min = lo;
  stats.max = hi;
  double width = (hi - lo) / bins;
  auto cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
  for (int j = 0; j < bins; ++j) {
    double a = lo + j * width, b = a + width;
    double p = relu ? 2 * (cdf(b) - cdf(a)) : cdf(b) - cdf(a);
    stats.histogram.push_back((uint64_t)std::llround(p * n));
  }
  return stats;
}

TEST(CalibrationProfile, MinMaxIsTheObservedRangeWithZero) {
  TensorStatistics stats = normalHistogram(0.5, 3.0, 64, 1e4, false);
  auto [lo, hi] = clippingRange(stats, CalibrationMethod::MinMax, 99.99, 256);
  EXPECT_EQ(lo, 0.0);
  EXPECT_EQ(hi, 3.0);
}

TEST(CalibrationProfile, PercentileCutsBothTails) {
  TensorStatistics stats = normalHistogram(-6, 6, 2048, 1e7, false);
  // 0.01% in each tail: |x| = 3.719 for a standard normal.
  auto [lo, hi] = clippingRange(stats, CalibrationMethod::Percentile, 99.99, 256);
  EXPECT_NEAR(hi, 3.719, 0.02);
  EXPECT_NEAR(lo, -3.719, 0.02);
}

TEST(CalibrationProfile, EntropyOfASignedTensorIsTheMseRange) {
  // The KL search is for non-negative tensors; a signed one (a normal) gets
  // the MSE range: a few sigma, symmetric, never the full 6.
  TensorStatistics stats = normalHistogram(-6, 6, 2048, 1e7, false);
  auto [lo, hi] = clippingRange(stats, CalibrationMethod::Entropy, 99.99, 256);
  auto [mseLo, mseHi] = clippingRange(stats, CalibrationMethod::MSE, 99.99, 256);
  EXPECT_EQ(lo, mseLo);
  EXPECT_EQ(hi, mseHi);
  EXPECT_GT(hi, 2.5);
  EXPECT_LT(hi, 5.0);
  EXPECT_NEAR(lo, -hi, 1e-9);
}

TEST(CalibrationProfile, EntropyOfAReluOutputUsesAllLevels) {
  TensorStatistics stats = normalHistogram(0, 6, 2048, 1e7, true);
  auto [lo, hi] = clippingRange(stats, CalibrationMethod::Entropy, 99.99, 256);
  EXPECT_EQ(lo, 0.0);
  EXPECT_GT(hi, 2.5);
  EXPECT_LT(hi, 5.5);
}

TEST(CalibrationProfile, EntropyKeepsFewDistinctValues) {
  // 17 distinct values (a 4-bit image): nothing to clip.
  TensorStatistics stats;
  stats.min = 0, stats.max = 1;
  stats.histogram.assign(2048, 0);
  for (int v = 0; v <= 16; ++v)
    stats.histogram[std::min(2047, v * 128)] = v == 0 ? 1000 : 10;
  auto [lo, hi] = clippingRange(stats, CalibrationMethod::Entropy, 99.99, 256);
  EXPECT_EQ(lo, 0.0);
  EXPECT_EQ(hi, 1.0);
}

TEST(CalibrationProfile, MseShrinksAHeavyTail) {
  // One far outlier bin: the squared-error optimum clips well inside it.
  TensorStatistics stats = normalHistogram(-6, 60, 2048, 1e7, false);
  stats.histogram.back() = 1;
  auto [lo, hi] = clippingRange(stats, CalibrationMethod::MSE, 99.99, 256);
  EXPECT_LT(hi, 60.0);
  EXPECT_GT(hi, 3.0);
}

} // namespace
