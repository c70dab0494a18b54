// RUN: dsc-opt %s --dsc-fold-batchnorm -split-input-file | FileCheck %s

// s = gamma / sqrt(var + eps) = [2, 4] / sqrt(3 + 1) = [1, 2]
// w' = s * w = [1 * 1, 2 * 2] = [1, 4]
// b' = s * (b - mean) + beta = [1 * (0.5 - 1) + 0, 2 * (-1 - 0) + 1] = [-0.5, -1]
// CHECK-LABEL: func @conv_bn
// CHECK-DAG: %[[W:.+]] = dsc.constant dense<[{{\[\[}}[1.000000e+00]]], {{\[\[}}[4.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = dsc.constant dense<[-5.000000e-01, -1.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.+]] = dsc.conv %arg0, %[[W]], %[[B]]
// CHECK-NOT: dsc.batch_norm
// CHECK: return %[[Y]]
func.func @conv_bn(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b = dsc.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %gamma = dsc.constant dense<[2.0, 4.0]> : tensor<2xf32>
  %beta = dsc.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = dsc.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = dsc.constant dense<[3.0, 3.0]> : tensor<2xf32>
  %0 = dsc.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// Without a bias the conv gets one: b' = s * (0 - mean) + beta.
// CHECK-LABEL: func @conv_no_bias_bn
// CHECK-DAG: dsc.constant dense<[-1.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-NOT: dsc.batch_norm
func.func @conv_no_bias_bn(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %gamma = dsc.constant dense<[2.0, 4.0]> : tensor<2xf32>
  %beta = dsc.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = dsc.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = dsc.constant dense<[3.0, 3.0]> : tensor<2xf32>
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %1 : tensor<1x2x4x4xf32>
}

// -----

// A conv with a second user keeps its weights: folding would change its
// other user's input. The batch norm becomes a scale and shift instead.
// CHECK-LABEL: func @conv_two_users
// CHECK: %[[C:.+]] = dsc.conv %arg0
// CHECK: %[[M:.+]] = dsc.mul %[[C]]
// CHECK: dsc.add %[[M]]
// CHECK-NOT: dsc.batch_norm
func.func @conv_two_users(%x: tensor<1x1x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = dsc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %p = dsc.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.batch_norm %0, %p, %p, %p, %p : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// gemm(a, b^T, c) then batch_norm over its 2 features:
// s = [2, 4] / sqrt(3 + 1) = [1, 2]; b' rows scaled: [[1, 1], [4, 6]];
// c' = s * (c - mean) + beta = [1 * (1 - 1) + 0, 2 * (1 - 0) + 1] = [0, 3]
// CHECK-LABEL: func @gemm_bn
// CHECK-DAG: %[[B:.+]] = dsc.constant dense<{{\[\[}}1.000000e+00, 1.000000e+00], [4.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[C:.+]] = dsc.constant dense<[0.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: dsc.gemm %arg0, %[[B]], %[[C]] {trans_b = 1 : i64}
// CHECK-NOT: dsc.batch_norm
func.func @gemm_bn(%a: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = dsc.constant dense<[[1.0, 1.0], [2.0, 3.0]]> : tensor<2x2xf32>
  %c = dsc.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %gamma = dsc.constant dense<[2.0, 4.0]> : tensor<2xf32>
  %beta = dsc.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = dsc.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = dsc.constant dense<[3.0, 3.0]> : tensor<2xf32>
  %0 = dsc.gemm %a, %b, %c {trans_b = 1 : i64} : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %1 = dsc.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// A conv_transpose (weight [C, F/G, kh, kw]) with the bias an exporter
// writes as an Add of a [1, F, 1, 1] constant, then a batch norm: the norm
// moves through the add (mean' = mean - c = [1 - 1, 0 - 2] = [0, -2]) and
// folds into the conv_transpose. s = [1, 2] (as above), so
//   w'[c, f] = s[f] w[c, f] = [[1, 4], [3, 8]] for w = [[1, 2], [3, 4]],
//   b'[f] = s[f] * (0 - mean'[f]) + beta[f] = [0, 2 * 2 + 1] = [0, 5].
// CHECK-LABEL: func @conv_transpose_add_bn
// CHECK-DAG: %[[W:.+]] = dsc.constant dense<{{\[\[}}{{\[\[}}1.000000e+00]], {{\[\[}}4.000000e+00]]], {{\[\[}}[3.000000e+00]], {{\[\[}}8.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.+]] = dsc.constant dense<[0.000000e+00, 5.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.+]] = dsc.conv_transpose %arg0, %[[W]], %[[B]]
// CHECK-NOT: dsc.batch_norm
// CHECK-NOT: dsc.add
// CHECK: return %[[Y]]
func.func @conv_transpose_add_bn(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = dsc.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %c = dsc.constant dense<[[[[1.0]], [[2.0]]]]> : tensor<1x2x1x1xf32>
  %gamma = dsc.constant dense<[2.0, 4.0]> : tensor<2xf32>
  %beta = dsc.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = dsc.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = dsc.constant dense<[3.0, 3.0]> : tensor<2xf32>
  %0 = dsc.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.add %0, %c : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = dsc.batch_norm %1, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// conv -> max_pool -> batch_norm with every s > 0: the norm moves before
// the pool and folds into the conv; with a negative s it stays after the
// pool (as a scale and shift).
// CHECK-LABEL: func @conv_pool_bn
// CHECK-DAG: %[[W:.+]] = dsc.constant dense<[{{\[\[}}[1.000000e+00]]], {{\[\[}}[4.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK: %[[C:.+]] = dsc.conv %arg0, %[[W]]
// CHECK: %[[P:.+]] = dsc.max_pool %[[C]]
// CHECK: return %[[P]]
// CHECK-LABEL: func @conv_pool_bn_negative_scale
// CHECK: %[[Q:.+]] = dsc.max_pool
// CHECK: dsc.mul %[[Q]]
func.func @conv_pool_bn(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %gamma = dsc.constant dense<[2.0, 4.0]> : tensor<2xf32>
  %beta = dsc.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = dsc.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = dsc.constant dense<[3.0, 3.0]> : tensor<2xf32>
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.max_pool %0 {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %2 = dsc.batch_norm %1, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %2 : tensor<1x2x2x2xf32>
}
func.func @conv_pool_bn_negative_scale(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %gamma = dsc.constant dense<[2.0, -4.0]> : tensor<2xf32>
  %beta = dsc.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = dsc.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = dsc.constant dense<[3.0, 3.0]> : tensor<2xf32>
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.max_pool %0 {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %2 = dsc.batch_norm %1, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %2 : tensor<1x2x2x2xf32>
}

// -----

// A batch norm on a graph input has nothing to fold into: x * s + t with
// s = [1, 2] and t = beta - mean * s = [0 - 1, 1 - 0] = [-1, 1], [C, 1, 1].
// CHECK-LABEL: func @standalone_bn
// CHECK-DAG: %[[S:.+]] = dsc.constant dense<{{\[\[}}[1.000000e+00]], {{\[\[}}2.000000e+00]]]> : tensor<2x1x1xf32>
// CHECK-DAG: %[[T:.+]] = dsc.constant dense<{{\[\[}}[-1.000000e+00]], {{\[\[}}1.000000e+00]]]> : tensor<2x1x1xf32>
// CHECK: %[[M:.+]] = dsc.mul %arg0, %[[S]]
// CHECK: %[[Y:.+]] = dsc.add %[[M]], %[[T]]
// CHECK-NOT: dsc.batch_norm
// CHECK: return %[[Y]]
func.func @standalone_bn(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %gamma = dsc.constant dense<[2.0, 4.0]> : tensor<2xf32>
  %beta = dsc.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = dsc.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = dsc.constant dense<[3.0, 3.0]> : tensor<2xf32>
  %0 = dsc.batch_norm %x, %gamma, %beta, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}
