// Sensitivity mode of --dsc-prune-channels (mask-ratios): nothing is
// removed; each consumer of a prunable group reads its input through a
// run-time mask and the channels each ratio would remove are recorded.
// RUN: dsc-opt %s --dsc-prune-channels="criterion=l1 mask-ratios=0.25,0.5" -split-input-file | FileCheck %s
// RUN: not dsc-opt %s --dsc-prune-channels="mask-ratios=1.5" -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: error: dsc-prune-channels: mask-ratios must be in [0, 1), got 1.5

// Filter L1 norms [4, 1, 3, 2]: ratio 0.25 removes channel 1, ratio 0.5
// channels 1 and 3. A removed channel of p is taken to be its bias, so
// after the relu the unpadded consumer q sees a = relu([0, 2, -1, 3]) =
// [0, 2, 0, 3] there: q reads x' = (x - a) * m + a.
// CHECK-LABEL: func @unpadded
// CHECK-SAME: %[[X:.+]]: tensor<1x1x2x2xf32>, %[[M:.+]]: tensor<1x4x1x1xf32> {dsc.name = "dsc.channel_mask.0.0"}
// CHECK-SAME: dsc.prune_masks = [{arguments = ["dsc.channel_mask.0.0"], blocks = array<i64: 1>, channels = 4 : i64, layers = "p", ratios = [2.500000e-01, 5.000000e-01], removed = [array<i64: 1>, array<i64: 1, 3>]}]
// CHECK-SAME: dsc.prune_skipped = [{layers = "q", reason = "a graph output reads its channels{{.*}}"}]
// CHECK: %[[P:.+]] = dsc.conv %[[X]]
// CHECK: %[[R:.+]] = dsc.relu %[[P]]
// CHECK: %[[A:.+]] = dsc.constant dense<{{\[\[\[\[}}0.000000e+00]], {{\[\[}}2.000000e+00]], {{\[\[}}0.000000e+00]], {{\[\[}}3.000000e+00]]]]> : tensor<1x4x1x1xf32>
// CHECK: %[[C:.+]] = dsc.sub %[[R]], %[[A]]
// CHECK: %[[S:.+]] = dsc.mul %[[C]], %[[M]]
// CHECK: %[[XM:.+]] = dsc.add %[[S]], %[[A]]
// CHECK: dsc.conv %[[XM]]
func.func @unpadded(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w1 = dsc.constant dense<[[[[4.0]]], [[[1.0]]], [[[-3.0]]], [[[2.0]]]]> : tensor<4x1x1x1xf32>
  %b1 = dsc.constant dense<[0.0, 2.0, -1.0, 3.0]> : tensor<4xf32>
  %w2 = dsc.constant dense<[[[[1.0]], [[1.0]], [[1.0]], [[1.0]]]]> : tensor<1x4x1x1xf32>
  %0 = dsc.conv %x, %w1, %b1 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<4x1x1x1xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32> loc("p")
  %1 = dsc.relu %0 : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %2 = dsc.conv %1, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x1x2x2xf32> loc("q")
  return %2 : tensor<1x1x2x2xf32>
}

// -----

// A padded 3x3 consumer: pruning folds a removed channel's constant a_c
// into the bias at every pixel, so the masked model reads x * m and adds
// sum_c (1 - m_c) a_c sum_taps w[f, c] as a 1x1 conv of (a - m * a) with
// the tap sums [9, 18]. Ratio 0.25 of 2 channels removes none; 0.5
// removes channel 0 (L1 1 < 2), whose value is its bias 1.
// CHECK-LABEL: func @padded
// CHECK-SAME: %[[X:.+]]: tensor<1x1x3x3xf32>, %[[M:.+]]: tensor<1x2x1x1xf32> {dsc.name = "dsc.channel_mask.0.0"}
// CHECK-SAME: removed = [array<i64>, array<i64: 0>]
// CHECK: %[[P:.+]] = dsc.conv %[[X]]
// CHECK: %[[XM:.+]] = dsc.mul %[[P]], %[[M]]
// CHECK: %[[A:.+]] = dsc.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}0.000000e+00]]]]> : tensor<1x2x1x1xf32>
// CHECK: %[[K:.+]] = dsc.mul %[[M]], %[[A]]
// CHECK: %[[U:.+]] = dsc.sub %[[A]], %[[K]]
// CHECK: %[[T:.+]] = dsc.constant dense<{{\[\[\[\[}}9.000000e+00]], {{\[\[}}1.800000e+01]]]]> : tensor<1x2x1x1xf32>
// CHECK: %[[CORR:.+]] = dsc.conv %[[U]], %[[T]] {{.*}} -> tensor<1x1x1x1xf32>
// CHECK: %[[Z:.+]] = dsc.conv %[[XM]]
// CHECK: %[[OUT:.+]] = dsc.add %[[Z]], %[[CORR]]
// CHECK: return %[[OUT]]
func.func @padded(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %w1 = dsc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b1 = dsc.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %w2 = dsc.constant dense<1.0> : tensor<1x1x3x3xf32>
  %w3 = dsc.constant dense<[[[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], [[2.0, 2.0, 2.0], [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]]> : tensor<1x2x3x3xf32>
  %0 = dsc.conv %x, %w1, %b1 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32> loc("p")
  %1 = dsc.conv %0, %w3 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x1x3x3xf32> loc("q")
  return %1 : tensor<1x1x3x3xf32>
}
