// RUN: dsc-opt %s --dsc-fuse -split-input-file | FileCheck %s

// conv + per-channel constant add + relu + residual add: one conv_fused.
// bias' = b + c = [0.5 + 1, -1 + 2] = [1.5, 1]; the residual comes after
// the relu, so it is added after the activation.
// CHECK-LABEL: func @conv_bias_relu_residual
// CHECK: %[[B:.+]] = dsc.constant dense<[1.500000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.+]] = dsc.conv_fused %arg0, %{{.+}} bias(%[[B]]) residual(%arg1) {activation = "relu", {{.*}}residual_after_activation = true
// CHECK-NOT: dsc.add
// CHECK-NOT: dsc.relu
// CHECK: return %[[Y]]
func.func @conv_bias_relu_residual(%x: tensor<1x1x4x4xf32>, %r: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b = dsc.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %c = dsc.constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %0 = dsc.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.add %0, %c : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %2 = dsc.relu %1 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %3 = dsc.add %r, %2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %3 : tensor<1x2x4x4xf32>
}

// -----

// ResNet's block end: relu(conv(x) + r) adds the residual before the relu
// (residual_after_activation keeps its default, false).
// CHECK-LABEL: func @conv_residual_relu
// CHECK: dsc.conv_fused %arg0, %{{.+}} residual(%arg1) {activation = "relu", dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
func.func @conv_residual_relu(%x: tensor<1x1x4x4xf32>, %r: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.add %0, %r : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %2 = dsc.relu %1 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// Clip with constant bounds (ReLU6) and x * sigmoid(x) (swish).
// CHECK-LABEL: func @clip_and_swish
// CHECK: dsc.conv_fused %arg0, %{{.+}} {activation = "clip", activation_beta = 6.000000e+00 : f32
// CHECK: dsc.conv_fused %arg0, %{{.+}} {activation = "swish"
// CHECK-NOT: dsc.sigmoid
func.func @clip_and_swish(%x: tensor<1x1x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = dsc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %lo = dsc.constant dense<0.0> : tensor<f32>
  %hi = dsc.constant dense<6.0> : tensor<f32>
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.clip %0, %lo, %hi : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %2 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %3 = dsc.sigmoid %2 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %4 = dsc.mul %2, %3 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %1, %4 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// A conv whose result is read twice keeps its activation separate.
// CHECK-LABEL: func @two_users
// CHECK: dsc.conv_fused %arg0, %{{[0-9]+}} {dilations
// CHECK: dsc.relu
func.func @two_users(%x: tensor<1x1x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = dsc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.relu %0 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// gemm(a, b^T, c) with beta = 2 and c of [1, N]: bias 2 * c; then hardswish.
// matmul(a, b) + [M, N] tensor: residual.
// CHECK-LABEL: func @gemm_and_matmul
// CHECK: %[[B:.+]] = dsc.constant dense<[2.000000e+00, 4.000000e+00, 6.000000e+00]> : tensor<3xf32>
// CHECK: dsc.matmul_fused %arg0, %{{.+}} bias(%[[B]]) {activation = "hard_swish", {{.*}}trans_b = true}
// CHECK: dsc.matmul_fused %arg0, %{{.+}} residual(%arg1) :
func.func @gemm_and_matmul(%a: tensor<2x4xf32>, %r: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %w = dsc.constant dense<1.0> : tensor<3x4xf32>
  %c = dsc.constant dense<[[1.0, 2.0, 3.0]]> : tensor<1x3xf32>
  %0 = dsc.gemm %a, %w, %c {beta = 2.0 : f32, trans_b = 1 : i64} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %1 = dsc.hard_swish %0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %v = dsc.constant dense<1.0> : tensor<4x3xf32>
  %2 = dsc.matmul %a, %v : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %3 = dsc.add %2, %r : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %1, %3 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Integer matmuls keep their own ops: the epilogue's activations are float.
// CHECK-LABEL: func @integer_matmul
// CHECK: dsc.matmul %arg0
// CHECK: dsc.relu
func.func @integer_matmul(%a: tensor<2x4xi32>) -> tensor<2x3xi32> {
  %v = dsc.constant dense<1> : tensor<4x3xi32>
  %0 = dsc.matmul %a, %v : (tensor<2x4xi32>, tensor<4x3xi32>) -> tensor<2x3xi32>
  %1 = dsc.relu %0 : (tensor<2x3xi32>) -> tensor<2x3xi32>
  return %1 : tensor<2x3xi32>
}

// -----

// A LayerNormalization written out as arithmetic (torch exports before
// opset 17): d = x - mean(x), d / sqrt(mean(d^2) + eps) * gamma + beta over
// the last axis becomes one dsc.layer_norm.
// CHECK-LABEL: func @layer_norm_decomposed
// CHECK-DAG: %[[G:.+]] = dsc.constant dense<2.000000e+00> : tensor<32xf32>
// CHECK-DAG: %[[B:.+]] = dsc.constant dense<5.000000e-01> : tensor<32xf32>
// CHECK: %[[Y:.+]] = dsc.layer_norm %arg0, %[[G]], %[[B]] {axis = 2 : i64, epsilon = 9.99999974E-5 : f32}
// CHECK-NOT: dsc.reduce_mean
// CHECK: return %[[Y]]
func.func @layer_norm_decomposed(%x: tensor<1x8x32xf32>) -> tensor<1x8x32xf32> {
  %axes = dsc.constant dense<[-1]> : tensor<1xi64>
  %two = dsc.constant dense<2.0> : tensor<f32>
  %eps = dsc.constant dense<1.0e-4> : tensor<f32>
  %g = dsc.constant dense<2.0> : tensor<32xf32>
  %b = dsc.constant dense<0.5> : tensor<32xf32>
  %m = dsc.reduce_mean %x, %axes : (tensor<1x8x32xf32>, tensor<1xi64>) -> tensor<1x8x1xf32>
  %d = dsc.sub %x, %m : (tensor<1x8x32xf32>, tensor<1x8x1xf32>) -> tensor<1x8x32xf32>
  %p = dsc.pow %d, %two : (tensor<1x8x32xf32>, tensor<f32>) -> tensor<1x8x32xf32>
  %v = dsc.reduce_mean %p, %axes : (tensor<1x8x32xf32>, tensor<1xi64>) -> tensor<1x8x1xf32>
  %e = dsc.add %v, %eps : (tensor<1x8x1xf32>, tensor<f32>) -> tensor<1x8x1xf32>
  %s = dsc.sqrt %e : (tensor<1x8x1xf32>) -> tensor<1x8x1xf32>
  %n = dsc.div %d, %s : (tensor<1x8x32xf32>, tensor<1x8x1xf32>) -> tensor<1x8x32xf32>
  %y = dsc.mul %n, %g : (tensor<1x8x32xf32>, tensor<32xf32>) -> tensor<1x8x32xf32>
  %z = dsc.add %y, %b : (tensor<1x8x32xf32>, tensor<32xf32>) -> tensor<1x8x32xf32>
  return %z : tensor<1x8x32xf32>
}

// -----

// When the centred value has another reader, the arithmetic stays.
// CHECK-LABEL: func @layer_norm_shared
// CHECK-NOT: dsc.layer_norm
// CHECK: dsc.reduce_mean
func.func @layer_norm_shared(%x: tensor<2x16xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>) {
  %axes = dsc.constant dense<[-1]> : tensor<1xi64>
  %two = dsc.constant dense<2.0> : tensor<f32>
  %eps = dsc.constant dense<1.0e-5> : tensor<f32>
  %m = dsc.reduce_mean %x, %axes : (tensor<2x16xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %d = dsc.sub %x, %m : (tensor<2x16xf32>, tensor<2x1xf32>) -> tensor<2x16xf32>
  %p = dsc.pow %d, %two : (tensor<2x16xf32>, tensor<f32>) -> tensor<2x16xf32>
  %v = dsc.reduce_mean %p, %axes : (tensor<2x16xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %e = dsc.add %v, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %s = dsc.sqrt %e : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %n = dsc.div %d, %s : (tensor<2x16xf32>, tensor<2x1xf32>) -> tensor<2x16xf32>
  return %n, %d : tensor<2x16xf32>, tensor<2x16xf32>
}

// -----

// GELU written out as torch exports it: x * (1 + erf(x / sqrt 2)) * 0.5.
// CHECK-LABEL: func @gelu_decomposed
// CHECK: %[[Y:.+]] = dsc.gelu %arg0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NOT: dsc.erf
// CHECK: return %[[Y]]
func.func @gelu_decomposed(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %sqrt2 = dsc.constant dense<1.41421354> : tensor<f32>
  %one = dsc.constant dense<1.0> : tensor<f32>
  %half = dsc.constant dense<0.5> : tensor<f32>
  %q = dsc.div %x, %sqrt2 : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %e = dsc.erf %q : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %a = dsc.add %e, %one : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %p = dsc.mul %x, %a : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %y = dsc.mul %p, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Attention as ppocrv4_rec exports it: the query scaled, the keys
// transposed on their last two axes, softmax on the last axis.
// CHECK-LABEL: func @attention_scaled_query
// CHECK: %[[Y:.+]] = dsc.attention %arg0, %arg1, %arg2 {scale = 2.500000e-01 : f32} : (tensor<1x8x40x16xf32>, tensor<1x8x40x16xf32>, tensor<1x8x40x16xf32>) -> tensor<1x8x40x16xf32>
// CHECK-NOT: dsc.softmax
// CHECK-NOT: dsc.matmul
// CHECK: return %[[Y]]
func.func @attention_scaled_query(%q: tensor<1x8x40x16xf32>, %k: tensor<1x8x40x16xf32>,
                                  %v: tensor<1x8x40x16xf32>) -> tensor<1x8x40x16xf32> {
  %c = dsc.constant dense<0.25> : tensor<f32>
  %qs = dsc.mul %q, %c : (tensor<1x8x40x16xf32>, tensor<f32>) -> tensor<1x8x40x16xf32>
  %kt = dsc.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x8x40x16xf32>) -> tensor<1x8x16x40xf32>
  %s = dsc.matmul %qs, %kt : (tensor<1x8x40x16xf32>, tensor<1x8x16x40xf32>) -> tensor<1x8x40x40xf32>
  %p = dsc.softmax %s {axis = 3 : i64} : (tensor<1x8x40x40xf32>) -> tensor<1x8x40x40xf32>
  %y = dsc.matmul %p, %v : (tensor<1x8x40x40xf32>, tensor<1x8x40x16xf32>) -> tensor<1x8x40x16xf32>
  return %y : tensor<1x8x40x16xf32>
}

// -----

// A causal GPT block: the scores divided by sqrt(d) (scale 1/2 here), a
// Where against -inf, keys given as [d, j] by another permutation (so the
// pass transposes them back), 2-D operands included.
// CHECK-LABEL: func @attention_causal_where
// CHECK: %[[K:.+]] = dsc.transpose %arg1 {perm = array<i64: 1, 0>} : (tensor<4x6xf32>) -> tensor<6x4xf32>
// CHECK: %[[Y:.+]] = dsc.attention %arg0, %[[K]], %arg2 mask(%arg3) {mask_fill = 0xFF800000 : f32, scale = 5.000000e-01 : f32} : (tensor<6x4xf32>, tensor<6x4xf32>, tensor<6x4xf32>, tensor<6x6xi1>) -> tensor<6x4xf32>
// CHECK: return %[[Y]]
func.func @attention_causal_where(%q: tensor<6x4xf32>, %kt: tensor<4x6xf32>, %v: tensor<6x4xf32>,
                                  %m: tensor<6x6xi1>) -> tensor<6x4xf32> {
  %two = dsc.constant dense<2.0> : tensor<f32>
  %ninf = dsc.constant dense<0xFF800000> : tensor<f32>
  %s = dsc.matmul %q, %kt : (tensor<6x4xf32>, tensor<4x6xf32>) -> tensor<6x6xf32>
  %d = dsc.div %s, %two : (tensor<6x6xf32>, tensor<f32>) -> tensor<6x6xf32>
  %w = dsc.where %m, %ninf, %d : (tensor<6x6xi1>, tensor<f32>, tensor<6x6xf32>) -> tensor<6x6xf32>
  %p = dsc.softmax %w {axis = -1 : i64} : (tensor<6x6xf32>) -> tensor<6x6xf32>
  %y = dsc.matmul %p, %v : (tensor<6x6xf32>, tensor<6x4xf32>) -> tensor<6x4xf32>
  return %y : tensor<6x4xf32>
}

// -----

// Where(keep, s, fill) masks where `keep` is false; an additive float mask
// is kept as such.
// CHECK-LABEL: func @attention_keep_mask
// CHECK: %[[M:.+]] = dsc.not %arg3
// CHECK: dsc.attention %arg0, %arg1, %arg2 mask(%[[M]]) {mask_fill = -1.000000e+04 : f32} :
// CHECK-LABEL: func @attention_additive_mask
// CHECK: dsc.attention %arg0, %arg1, %arg2 mask(%arg3) {scale = 1.250000e-01 : f32} : (tensor<2x5x8xf32>, tensor<2x7x8xf32>, tensor<2x7x3xf32>, tensor<1x5x7xf32>) -> tensor<2x5x3xf32>
func.func @attention_keep_mask(%q: tensor<2x5x8xf32>, %k: tensor<2x7x8xf32>, %v: tensor<2x7x3xf32>,
                               %keep: tensor<5x7xi1>) -> tensor<2x5x3xf32> {
  %fill = dsc.constant dense<-1.0e4> : tensor<f32>
  %kt = dsc.transpose %k {perm = array<i64: 0, 2, 1>} : (tensor<2x7x8xf32>) -> tensor<2x8x7xf32>
  %s = dsc.matmul %q, %kt : (tensor<2x5x8xf32>, tensor<2x8x7xf32>) -> tensor<2x5x7xf32>
  %w = dsc.where %keep, %s, %fill : (tensor<5x7xi1>, tensor<2x5x7xf32>, tensor<f32>) -> tensor<2x5x7xf32>
  %p = dsc.softmax %w {axis = 2 : i64} : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %y = dsc.matmul %p, %v : (tensor<2x5x7xf32>, tensor<2x7x3xf32>) -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}
func.func @attention_additive_mask(%q: tensor<2x5x8xf32>, %k: tensor<2x7x8xf32>, %v: tensor<2x7x3xf32>,
                                   %bias: tensor<1x5x7xf32>) -> tensor<2x5x3xf32> {
  %c = dsc.constant dense<8.0> : tensor<1xf32>
  %kt = dsc.transpose %k {perm = array<i64: 0, 2, 1>} : (tensor<2x7x8xf32>) -> tensor<2x8x7xf32>
  %qs = dsc.div %q, %c : (tensor<2x5x8xf32>, tensor<1xf32>) -> tensor<2x5x8xf32>
  %s = dsc.matmul %qs, %kt : (tensor<2x5x8xf32>, tensor<2x8x7xf32>) -> tensor<2x5x7xf32>
  %a = dsc.add %s, %bias : (tensor<2x5x7xf32>, tensor<1x5x7xf32>) -> tensor<2x5x7xf32>
  %p = dsc.softmax %a {axis = -1 : i64} : (tensor<2x5x7xf32>) -> tensor<2x5x7xf32>
  %y = dsc.matmul %p, %v : (tensor<2x5x7xf32>, tensor<2x7x3xf32>) -> tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}

// -----

// The probabilities are an output too: nothing is fused.
// CHECK-LABEL: func @attention_probabilities_read
// CHECK-NOT: dsc.attention
// CHECK: dsc.softmax
func.func @attention_probabilities_read(%q: tensor<6x4xf32>, %k: tensor<6x4xf32>, %v: tensor<6x4xf32>)
    -> (tensor<6x4xf32>, tensor<6x6xf32>) {
  %kt = dsc.transpose %k {perm = array<i64: 1, 0>} : (tensor<6x4xf32>) -> tensor<4x6xf32>
  %s = dsc.matmul %q, %kt : (tensor<6x4xf32>, tensor<4x6xf32>) -> tensor<6x6xf32>
  %p = dsc.softmax %s {axis = -1 : i64} : (tensor<6x6xf32>) -> tensor<6x6xf32>
  %y = dsc.matmul %p, %v : (tensor<6x6xf32>, tensor<6x4xf32>) -> tensor<6x4xf32>
  return %y, %p : tensor<6x4xf32>, tensor<6x6xf32>
}

// -----

// PP-LCNet's blocks as Paddle exports them: conv, a scalar affine
// (x * 2 + 1), HardSwish written out as x * clip(x + 3, 0, 6) / 6. The
// scale folds into the weights and bias (w' = 2 w = [2, -4],
// b' = 2 * 0.5 + 1 = 2), the shift into the bias, and the HardSwish into
// the epilogue.
// CHECK-LABEL: func @scalar_affine_hardswish
// CHECK-DAG: %[[W:.+]] = dsc.constant dense<[{{\[\[}}[2.000000e+00]]], {{\[\[}}[-4.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = dsc.constant dense<2.000000e+00> : tensor<2xf32>
// CHECK: %[[Y:.+]] = dsc.conv_fused %arg0, %[[W]] bias(%[[B]]) {activation = "hard_swish"
// CHECK-NOT: dsc.clip
// CHECK: return %[[Y]]
func.func @scalar_affine_hardswish(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>
  %b = dsc.constant dense<0.5> : tensor<2xf32>
  %s = dsc.constant dense<2.0> : tensor<1xf32>
  %t = dsc.constant dense<1.0> : tensor<1xf32>
  %zero = dsc.constant dense<0.0> : tensor<f32>
  %three = dsc.constant dense<3.0> : tensor<f32>
  %six = dsc.constant dense<6.0> : tensor<f32>
  %0 = dsc.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.mul %0, %s : (tensor<1x2x4x4xf32>, tensor<1xf32>) -> tensor<1x2x4x4xf32>
  %2 = dsc.add %1, %t : (tensor<1x2x4x4xf32>, tensor<1xf32>) -> tensor<1x2x4x4xf32>
  %3 = dsc.add %2, %three : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %4 = dsc.clip %3, %zero, %six : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %5 = dsc.mul %2, %4 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %6 = dsc.div %5, %six : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  return %6 : tensor<1x2x4x4xf32>
}

// -----

// HardSigmoid written out, clip(x + 3, 0, 6) / 6, is hard_sigmoid with
// alpha 1/6 and beta 1/2 (the default, not printed); times x it is
// HardSwish. clip(x + 1, 0, 2) * 0.5
// is alpha 1/2, beta 1/2.
// CHECK-LABEL: func @hard_sigmoid_forms
// CHECK: %[[G:.+]] = dsc.hard_sigmoid %arg0 {alpha = 0.166666672 : f32} :
// CHECK: %[[H:.+]] = dsc.hard_swish %arg0
// CHECK: %[[K:.+]] = dsc.hard_sigmoid %arg0 {alpha = 5.000000e-01 : f32} :
// CHECK: return %[[G]], %[[H]], %[[K]]
func.func @hard_sigmoid_forms(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %zero = dsc.constant dense<0.0> : tensor<f32>
  %one = dsc.constant dense<1.0> : tensor<f32>
  %two = dsc.constant dense<2.0> : tensor<f32>
  %half = dsc.constant dense<0.5> : tensor<f32>
  %three = dsc.constant dense<3.0> : tensor<f32>
  %six = dsc.constant dense<6.0> : tensor<f32>
  %a = dsc.add %x, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %c = dsc.clip %a, %zero, %six : (tensor<8xf32>, tensor<f32>, tensor<f32>) -> tensor<8xf32>
  %g = dsc.div %c, %six : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %a2 = dsc.add %x, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %c2 = dsc.clip %a2, %zero, %six : (tensor<8xf32>, tensor<f32>, tensor<f32>) -> tensor<8xf32>
  %g2 = dsc.div %c2, %six : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %h = dsc.mul %x, %g2 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %a3 = dsc.add %one, %x : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %c3 = dsc.clip %a3, %zero, %two : (tensor<8xf32>, tensor<f32>, tensor<f32>) -> tensor<8xf32>
  %k = dsc.mul %c3, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %g, %h, %k : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// A chain of elementwise ops (here what is left of a squeeze-excitation
// tail: x * 2 + bias, sigmoid, times the input) becomes one
// dsc.elementwise; the scalar constant moves into the body, the [8] bias
// stays an input and broadcasts.
// CHECK-LABEL: func @elementwise_chain
// CHECK: %[[E:.+]] = dsc.elementwise %arg0, %arg1 : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: ^bb0(%[[X:.+]]: tensor<f32>, %[[B:.+]]: tensor<f32>):
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<2.000000e+00> : tensor<f32>
// CHECK-NEXT: %[[M:.+]] = dsc.mul %[[X]], %[[C]] : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK-NEXT: %[[A:.+]] = dsc.add %[[M]], %[[B]]
// CHECK-NEXT: %[[S:.+]] = dsc.sigmoid %[[A]]
// CHECK-NEXT: %[[P:.+]] = dsc.mul %[[S]], %[[X]]
// CHECK-NEXT: dsc.yield %[[P]] : tensor<f32>
// CHECK: return %[[E]]
func.func @elementwise_chain(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %c = dsc.constant dense<2.0> : tensor<f32>
  %0 = dsc.mul %x, %c : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %1 = dsc.add %0, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %2 = dsc.sigmoid %1 : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %3 = dsc.mul %2, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %3 : tensor<4x8xf32>
}

// -----

// An intermediate another op reads stays a tensor: the chain splits there,
// and a single op is left as it is.
// CHECK-LABEL: func @elementwise_shared
// CHECK: %[[T:.+]] = dsc.elementwise %arg0 : (tensor<16xf32>) -> tensor<16xf32> {
// CHECK: dsc.exp
// CHECK: dsc.neg
// CHECK: }
// CHECK-NEXT: %[[U:.+]] = dsc.tanh %[[T]]
// CHECK-NEXT: %[[V:.+]] = dsc.relu %[[T]]
// CHECK: return %[[U]], %[[V]]
func.func @elementwise_shared(%x: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %0 = dsc.exp %x : (tensor<16xf32>) -> tensor<16xf32>
  %1 = dsc.neg %0 : (tensor<16xf32>) -> tensor<16xf32>
  %2 = dsc.tanh %1 : (tensor<16xf32>) -> tensor<16xf32>
  %3 = dsc.relu %1 : (tensor<16xf32>) -> tensor<16xf32>
  return %2, %3 : tensor<16xf32>, tensor<16xf32>
}

// -----

// PP-LCNet's affine block after the activation, act(v) * 2 + 0.5, joins
// the epilogue as its output scale and shift (before that, a scale of the
// scores folds into the weights instead: see @scalar_affine_hardswish).
// CHECK-LABEL: func @output_affine
// CHECK: %[[Y:.+]] = dsc.conv_fused %arg0, %{{.+}} {activation = "hard_swish", {{.*}}output_scale = 2.000000e+00 : f32, output_shift = 5.000000e-01 : f32
// CHECK-NOT: dsc.mul
// CHECK-NOT: dsc.add
// CHECK: return %[[Y]]
func.func @output_affine(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>
  %s = dsc.constant dense<2.0> : tensor<1xf32>
  %t = dsc.constant dense<0.5> : tensor<1xf32>
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.hard_swish %0 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %2 = dsc.mul %1, %s : (tensor<1x2x4x4xf32>, tensor<1xf32>) -> tensor<1x2x4x4xf32>
  %3 = dsc.add %2, %t : (tensor<1x2x4x4xf32>, tensor<1xf32>) -> tensor<1x2x4x4xf32>
  return %3 : tensor<1x2x4x4xf32>
}

// -----

// Between two quantized convs, dequantize -> activation -> quantize with
// one scale and zero point each becomes one loop over the bytes: a
// dsc.elementwise from ui8 to ui8 with the scales and zero points in its
// body.
// CHECK-LABEL: func @quantized_chain
// CHECK: %[[E:.+]] = dsc.elementwise %arg0 : (tensor<1x4x8x8xui8>) -> tensor<1x4x8x8xui8> {
// CHECK-NEXT: ^bb0(%[[Q:.+]]: tensor<ui8>):
// CHECK: dsc.dequantize_linear %[[Q]]
// CHECK: dsc.hard_swish
// CHECK: %[[R:.+]] = dsc.quantize_linear
// CHECK-NEXT: dsc.yield %[[R]] : tensor<ui8>
// CHECK: return %[[E]]
func.func @quantized_chain(%x: tensor<1x4x8x8xui8>) -> tensor<1x4x8x8xui8> {
  %s1 = dsc.constant dense<0.05> : tensor<f32>
  %z1 = dsc.constant dense<128> : tensor<ui8>
  %s2 = dsc.constant dense<0.02> : tensor<f32>
  %z2 = dsc.constant dense<3> : tensor<ui8>
  %0 = dsc.dequantize_linear %x, %s1, %z1 : (tensor<1x4x8x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x8x8xf32>
  %1 = dsc.hard_swish %0 : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %2 = dsc.quantize_linear %1, %s2, %z2 : (tensor<1x4x8x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4x8x8xui8>
  return %2 : tensor<1x4x8x8xui8>
}

// -----

// Softmax written out over the last axis, with and without the max
// subtracted, becomes dsc.softmax; over another axis it stays.
// CHECK-LABEL: func @softmax_written_out
// CHECK: %[[A:.+]] = dsc.softmax %arg0 {axis = 1 : i64}
// CHECK: %[[B:.+]] = dsc.softmax %arg0 {axis = 1 : i64}
// CHECK: return %[[A]], %[[B]]
func.func @softmax_written_out(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %last = dsc.constant dense<[-1]> : tensor<1xi64>
  %m = dsc.reduce_max %x, %last : (tensor<2x8xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %d = dsc.sub %x, %m : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %e = dsc.exp %d : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %s = dsc.reduce_sum %e, %last : (tensor<2x8xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %y = dsc.div %e, %s : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %e2 = dsc.exp %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %s2 = dsc.reduce_sum %e2, %last : (tensor<2x8xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  %y2 = dsc.div %e2, %s2 : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  return %y, %y2 : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// GELU's tanh form as torch writes it out:
//   (x * 0.5) * (1 + tanh(0.79788456 * (x + 0.044715 * x^3))).
// CHECK-LABEL: func @gelu_tanh_written_out
// CHECK: %[[Y:.+]] = dsc.gelu %arg0 {approximate = "tanh"}
// CHECK-NOT: dsc.tanh
// CHECK: return %[[Y]]
func.func @gelu_tanh_written_out(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %half = dsc.constant dense<0.5> : tensor<f32>
  %three = dsc.constant dense<3.0> : tensor<f32>
  %c = dsc.constant dense<0.044715> : tensor<f32>
  %k = dsc.constant dense<0.797884583> : tensor<f32>
  %one = dsc.constant dense<1.0> : tensor<f32>
  %h = dsc.mul %x, %half : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %p = dsc.pow %x, %three : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %q = dsc.mul %p, %c : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %r = dsc.add %x, %q : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = dsc.mul %r, %k : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %t = dsc.tanh %s : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %u = dsc.add %t, %one : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %y = dsc.mul %h, %u : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// An int8 FPN's merge: quantize(concat(resize(a * s + a), b)). Quantizing
// is elementwise, so it moves above the copies (exactly): the resize and
// the concat move bytes, and the quantize of each branch joins the
// elementwise chain that computes it.
// CHECK-LABEL: func @quantize_before_copies
// CHECK: %[[A:.+]] = dsc.elementwise %arg0, %arg1 : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xui8>
// CHECK: dsc.mul
// CHECK: dsc.add
// CHECK: dsc.quantize_linear
// CHECK: %[[R:.+]] = dsc.resize %[[A]], {{.+}} -> tensor<1x2x4x4xui8>
// CHECK: %[[B:.+]] = dsc.quantize_linear %arg2, {{.+}} -> tensor<1x2x4x4xui8>
// CHECK: %[[C:.+]] = dsc.concat %[[R]], %[[B]] {axis = 1 : i64} : (tensor<1x2x4x4xui8>, tensor<1x2x4x4xui8>) -> tensor<1x4x4x4xui8>
// CHECK: return %[[C]]
func.func @quantize_before_copies(%a: tensor<1x2x2x2xf32>, %s: tensor<1x2x1x1xf32>, %b: tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xui8> {
  %scales = dsc.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %sizes = dsc.constant dense<> : tensor<0xi64>
  %0 = dsc.mul %a, %s : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %1 = dsc.add %a, %0 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %2 = dsc.resize %1, %scales, %sizes {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x2x2x2xf32>, tensor<4xf32>, tensor<0xi64>) -> tensor<1x2x4x4xf32>
  %3 = dsc.concat %2, %b {axis = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  %qs = dsc.constant dense<0.05> : tensor<f32>
  %qz = dsc.constant dense<128> : tensor<ui8>
  %4 = dsc.quantize_linear %3, %qs, %qz : (tensor<1x4x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4x4x4xui8>
  return %4 : tensor<1x4x4x4xui8>
}

// -----

// A linear resize computes new values: the quantize stays after it.
// CHECK-LABEL: func @quantize_after_linear_resize
// CHECK: %[[R:.+]] = dsc.resize %arg0
// CHECK-SAME: -> tensor<1x1x4x4xf32>
// CHECK: dsc.quantize_linear %[[R]]
func.func @quantize_after_linear_resize(%a: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xui8> {
  %scales = dsc.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %sizes = dsc.constant dense<> : tensor<0xi64>
  %0 = dsc.resize %a, %scales, %sizes {mode = "linear"} : (tensor<1x1x2x2xf32>, tensor<4xf32>, tensor<0xi64>) -> tensor<1x1x4x4xf32>
  %qs = dsc.constant dense<0.05> : tensor<f32>
  %qz = dsc.constant dense<128> : tensor<ui8>
  %1 = dsc.quantize_linear %0, %qs, %qz : (tensor<1x1x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xui8>
  return %1 : tensor<1x1x4x4xui8>
}

// -----

// A squeeze-and-excitation block on a dequantized tensor: the pool gets a
// dequantize of its own (the lowering reads its bytes), and the chain
// x * s + x, which reads x twice, takes the other one in, so no float copy
// of x is made.
// CHECK-LABEL: func @dequantize_for_pool
// CHECK: %[[D:.+]] = dsc.dequantize_linear %arg0
// CHECK: dsc.global_average_pool %[[D]]
// CHECK: dsc.elementwise %arg0, %arg1 : (tensor<1x2x4x4xui8>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
// CHECK: dsc.dequantize_linear
// CHECK: dsc.mul
// CHECK: dsc.add
func.func @dequantize_for_pool(%q: tensor<1x2x4x4xui8>, %s: tensor<1x2x1x1xf32>) -> (tensor<1x2x1x1xf32>, tensor<1x2x4x4xf32>) {
  %scale = dsc.constant dense<0.5> : tensor<f32>
  %zero = dsc.constant dense<3> : tensor<ui8>
  %x = dsc.dequantize_linear %q, %scale, %zero : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  %pool = dsc.global_average_pool %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  %0 = dsc.mul %x, %s : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %1 = dsc.add %x, %0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %pool, %1 : tensor<1x2x1x1xf32>, tensor<1x2x4x4xf32>
}

// -----

// A quantized layer's output read by the next quantized layer through a
// depth to space: the quantize moves in front of the copy, where it undoes
// the dequantize with the same scale and zero point, so the copy moves the
// bytes themselves.
// CHECK-LABEL: func @requantize_through_depth_to_space
// CHECK-NEXT: %[[Y:.+]] = dsc.depth_to_space %arg0 {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x2x2xui8>) -> tensor<1x2x4x4xui8>
// CHECK-NEXT: return %[[Y]]
func.func @requantize_through_depth_to_space(%q: tensor<1x8x2x2xui8>) -> tensor<1x2x4x4xui8> {
  %s = dsc.constant dense<0.5> : tensor<f32>
  %z = dsc.constant dense<3> : tensor<ui8>
  %0 = dsc.dequantize_linear %q, %s, %z : (tensor<1x8x2x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x8x2x2xf32>
  %1 = dsc.depth_to_space %0 {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x2x2xf32>) -> tensor<1x2x4x4xf32>
  %s2 = dsc.constant dense<0.5> : tensor<f32>
  %z2 = dsc.constant dense<3> : tensor<ui8>
  %2 = dsc.quantize_linear %1, %s2, %z2 : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
  return %2 : tensor<1x2x4x4xui8>
}

// -----

// Another zero point: the quantize changes the bytes and stays.
// CHECK-LABEL: func @requantize_other_zero_point
// CHECK: dsc.dequantize_linear
// CHECK: dsc.quantize_linear
func.func @requantize_other_zero_point(%q: tensor<1x8x2x2xui8>) -> tensor<1x8x2x2xui8> {
  %s = dsc.constant dense<0.5> : tensor<f32>
  %z = dsc.constant dense<3> : tensor<ui8>
  %z2 = dsc.constant dense<4> : tensor<ui8>
  %0 = dsc.dequantize_linear %q, %s, %z : (tensor<1x8x2x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x8x2x2xf32>
  %1 = dsc.quantize_linear %0, %s, %z2 : (tensor<1x8x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x8x2x2xui8>
  return %1 : tensor<1x8x2x2xui8>
}
