// RUN: dsc-opt %s --dsc-fold-branches -split-input-file | FileCheck %s
// As the pipelines run it: branch sums only, lone affines stay.
// RUN: dsc-opt %s --dsc-fold-branches=affines=false -split-input-file | FileCheck %s --check-prefix=NOAFFINE

// RepVGG block: BN_a(conv3x3(x)) + BN_b(conv1x1(x)) + BN_c(x), epsilon 0
// and unit variances so s = gamma, t = beta - mean * gamma:
//   a: w = 1 everywhere, s = [2, 3], t = [1, 0]
//   b: w = eye (1x1), s = [1, 1], t = [0 - 1, 5 - 0] = [-1, 5]
//   c: identity, s = [4, 4], t = [0, 0]
// Merged 3x3 kernel: s_a[f] everywhere, plus at the centre
//   f0: c0 += 1 + 4 = 7, c1 stays 2;  f1: c0 stays 3, c1 += 1 + 4 = 8
// and bias [1 - 1 + 0, 0 + 5 + 0] = [0, 5].
// CHECK-LABEL: func @repvgg_block
// CHECK-DAG: %[[W:.+]] = dsc.constant dense<{{\[\[\[\[}}2.000000e+00, 2.000000e+00, 2.000000e+00], [2.000000e+00, 7.000000e+00, 2.000000e+00], [2.000000e+00, 2.000000e+00, 2.000000e+00]], {{\[\[}}2.000000e+00, 2.000000e+00, 2.000000e+00], [2.000000e+00, 2.000000e+00, 2.000000e+00], [2.000000e+00, 2.000000e+00, 2.000000e+00]]], {{\[\[\[}}3.000000e+00, 3.000000e+00, 3.000000e+00], [3.000000e+00, 3.000000e+00, 3.000000e+00], [3.000000e+00, 3.000000e+00, 3.000000e+00]], {{\[\[}}3.000000e+00, 3.000000e+00, 3.000000e+00], [3.000000e+00, 8.000000e+00, 3.000000e+00], [3.000000e+00, 3.000000e+00, 3.000000e+00]]]]> : tensor<2x2x3x3xf32>
// CHECK-DAG: %[[B:.+]] = dsc.constant dense<[0.000000e+00, 5.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.+]] = dsc.conv %arg0, %[[W]], %[[B]] {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
// CHECK-NEXT: %[[R:.+]] = dsc.relu %[[Y]]
// CHECK-NEXT: return %[[R]]
// NOAFFINE-LABEL: func @repvgg_block
// NOAFFINE-NOT: dsc.batch_norm
// NOAFFINE: dsc.conv
// NOAFFINE-NEXT: dsc.relu
func.func @repvgg_block(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w3 = dsc.constant dense<1.0> : tensor<2x2x3x3xf32>
  %w1 = dsc.constant dense<[[[[1.0]], [[0.0]]], [[[0.0]], [[1.0]]]]> : tensor<2x2x1x1xf32>
  %ga = dsc.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %ba = dsc.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %gb = dsc.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %bb = dsc.constant dense<[0.0, 5.0]> : tensor<2xf32>
  %mb = dsc.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %gc = dsc.constant dense<[4.0, 4.0]> : tensor<2xf32>
  %zero = dsc.constant dense<0.0> : tensor<2xf32>
  %one = dsc.constant dense<1.0> : tensor<2xf32>
  %0 = dsc.conv %x, %w3 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.batch_norm %0, %ga, %ba, %zero, %one {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %2 = dsc.conv %x, %w1 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %3 = dsc.batch_norm %2, %gb, %bb, %mb, %one {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %4 = dsc.batch_norm %x, %gc, %zero, %zero, %one {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %5 = dsc.add %1, %3 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %6 = dsc.add %5, %4 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %7 = dsc.relu %6 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %7 : tensor<1x2x4x4xf32>
}

// -----

// A residual add reads two different inputs (the conv reads relu(x)): not
// branches of one input, left alone.
// CHECK-LABEL: func @residual_not_branches
// CHECK: dsc.conv
// CHECK: dsc.add
func.func @residual_not_branches(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = dsc.constant dense<1.0> : tensor<2x2x3x3xf32>
  %r = dsc.relu %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %0 = dsc.conv %r, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.add %0, %x : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// A per-channel affine after a conv: (conv(x, w, b) * [2, 3]) + 1 is
// conv(x, w * s, b * s + 1): w' = [[2], [-3]], b' = [0.5 * 2 + 1, -1 * 3 + 1].
// NOAFFINE-LABEL: func @affine_after_conv
// NOAFFINE: dsc.conv
// NOAFFINE-NEXT: dsc.mul
// NOAFFINE-NEXT: dsc.add
// CHECK-LABEL: func @affine_after_conv
// CHECK-DAG: dsc.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}-3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: dsc.constant dense<[2.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK: dsc.conv
// CHECK-NOT: dsc.mul
// CHECK-NOT: dsc.add
func.func @affine_after_conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %b = dsc.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %s = dsc.constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %t = dsc.constant dense<1.0> : tensor<f32>
  %0 = dsc.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.mul %0, %s : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = dsc.add %1, %t : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// Two gemms with nothing between them: x B1' B2 + (c1 B2 + c2) with
// B1' = [[1, 3], [2, 4]] (trans_b), B2 = [[1], [1]]: B = [[4], [6]],
// c = (1 - 1) + 0.5. One layer costs 2 multiply-adds per row against 6.
// CHECK-LABEL: func @gemm_chain
// CHECK-DAG: dsc.constant dense<{{\[\[}}4.000000e+00], [6.000000e+00]]> : tensor<2x1xf32>
// CHECK-DAG: dsc.constant dense<5.000000e-01> : tensor<1xf32>
// CHECK: dsc.gemm %arg0
// CHECK-NOT: dsc.gemm
// NOAFFINE-LABEL: func @gemm_chain
// NOAFFINE: dsc.gemm %arg0
// NOAFFINE-NOT: dsc.gemm
func.func @gemm_chain(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %b1 = dsc.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %c1 = dsc.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %b2 = dsc.constant dense<[[1.0], [1.0]]> : tensor<2x1xf32>
  %c2 = dsc.constant dense<[0.5]> : tensor<1xf32>
  %0 = dsc.gemm %x, %b1, %c1 {trans_b = 1 : i64} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %1 = dsc.gemm %0, %b2, %c2 : (tensor<1x2xf32>, tensor<2x1xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  return %1 : tensor<1x1xf32>
}

// -----

// A 3x3 conv (1 -> 2 channels, w = 1 and 2, b = [1, 0]) then a 1x1 conv
// (w2 = [3, -1], b2 = 0.25): W = 3 * 1 - 1 * 2 = 1 at every tap, b = 3 * 1
// + 0.25; the 3x3's padding and stride stay.
// CHECK-LABEL: func @conv_chain
// CHECK-DAG: %[[W:.+]] = dsc.constant dense<1.000000e+00> : tensor<1x1x3x3xf32>
// CHECK-DAG: %[[B:.+]] = dsc.constant dense<3.250000e+00> : tensor<1xf32>
// CHECK: dsc.conv %arg0, %[[W]], %[[B]] {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-NOT: dsc.conv
func.func @conv_chain(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %w1 = dsc.constant dense<[[[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]], [[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]]> : tensor<2x1x3x3xf32>
  %b1 = dsc.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %w2 = dsc.constant dense<[[[[3.0]], [[-1.0]]]]> : tensor<1x2x1x1xf32>
  %b2 = dsc.constant dense<[0.25]> : tensor<1xf32>
  %0 = dsc.conv %x, %w1, %b1 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %1 = dsc.conv %0, %w2, %b2 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %1 : tensor<1x1x2x2xf32>
}

// -----

// An expansion after a thin layer (1 -> 1 -> 4 channels): one 3x3 conv of
// 4 filters would cost 36 multiply-adds per pixel against 9 + 4, so the
// two stay.
// CHECK-LABEL: func @expansion_kept
// CHECK: dsc.conv
// CHECK: dsc.conv
func.func @expansion_kept(%x: tensor<1x1x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %w1 = dsc.constant dense<1.0> : tensor<1x1x3x3xf32>
  %w2 = dsc.constant dense<[[[[1.0]]], [[[2.0]]], [[[3.0]]], [[[4.0]]]]> : tensor<4x1x1x1xf32>
  %0 = dsc.conv %x, %w1 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  %1 = dsc.conv %0, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<4x1x1x1xf32>) -> tensor<1x4x4x4xf32>
  return %1 : tensor<1x4x4x4xf32>
}
