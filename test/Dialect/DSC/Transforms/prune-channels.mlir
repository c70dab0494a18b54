// RUN: dsc-opt %s --dsc-prune-channels=lossless-only=true -split-input-file | FileCheck %s --check-prefix=LOSSLESS
// RUN: dsc-opt %s --dsc-prune-channels=lossless-only=true -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=LOSSLESS-REMARK
// RUN: dsc-opt %s --dsc-prune-channels="criterion=l1 ratio=0.5" -split-input-file | FileCheck %s --check-prefix=L1
// RUN: dsc-opt %s --dsc-prune-channels="criterion=l1 ratio=0.5" -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=L1-REMARK
// RUN: dsc-opt %s --dsc-prune-channels="criterion=bn-gamma threshold=0.5" -split-input-file | FileCheck %s --check-prefix=GAMMA
// RUN: dsc-opt %s --dsc-prune-channels="criterion=bn-gamma threshold=0.5" -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=GAMMA-REMARK
// A per-layer ratio for a layer the model does not have is refused:
// RUN: not dsc-opt %s --dsc-prune-channels="per-layer=fc9:0.5" -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=TYPO
// TYPO: error: dsc-prune-channels: per-layer names 'fc9', which is not a conv, conv-transpose, gemm or matmul with constant weights in this model

// Filter 1 of the first conv is zero with bias 2: after the relu the
// channel is the constant 2, which the unpadded 1x1 consumer absorbs:
//   bias' = [0 + 2 * 10, 1 + 2 * 20] = [20, 41].
// LOSSLESS-REMARK: remark: {{.*}}dsc-prune-channels: first: 3 -> 2 channels (exact)
// LOSSLESS-REMARK: remark: {{.*}}dsc-prune-channels: kept second: a graph output reads its channels
// LOSSLESS-LABEL: func @absorb
// LOSSLESS-DAG: dsc.constant dense<{{\[\[\[\[}}1.000000e+00]]], {{\[\[\[}}3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// LOSSLESS-DAG: dsc.constant dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>
// LOSSLESS-DAG: dsc.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}1.000000e+02]]], {{\[\[\[}}2.000000e+00]], {{\[\[}}2.000000e+02]]]]> : tensor<2x2x1x1xf32>
// LOSSLESS-DAG: dsc.constant dense<[2.000000e+01, 4.100000e+01]> : tensor<2xf32>
// LOSSLESS-DAG: dsc.relu %{{.+}} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
func.func @absorb(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w1 = dsc.constant dense<[[[[1.0]]], [[[0.0]]], [[[3.0]]]]> : tensor<3x1x1x1xf32>
  %b1 = dsc.constant dense<[0.5, 2.0, -1.0]> : tensor<3xf32>
  %w2 = dsc.constant dense<[[[[1.0]], [[10.0]], [[100.0]]], [[[2.0]], [[20.0]], [[200.0]]]]> : tensor<2x3x1x1xf32>
  %b2 = dsc.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %0 = dsc.conv %x, %w1, %b1 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<3x1x1x1xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32> loc("first")
  %1 = dsc.relu %0 : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %2 = dsc.conv %1, %w2, %b2 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x4x4xf32>, tensor<2x3x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc("second")
  return %2 : tensor<1x2x4x4xf32>
}

// -----

// A residual add joins two convs into one group: channel 1 is zero in both
// and goes; channel 2 is zero only in b and stays.
// LOSSLESS-REMARK: remark: {{.*}}dsc-prune-channels: a, b: 3 -> 2 channels (exact)
// LOSSLESS-LABEL: func @residual_group
// LOSSLESS-DAG: dsc.constant dense<{{\[\[\[\[}}1.000000e+00]]], {{\[\[\[}}5.000000e+00]]]]> : tensor<2x1x1x1xf32>
// LOSSLESS-DAG: dsc.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}0.000000e+00]]]]> : tensor<2x1x1x1xf32>
// LOSSLESS-DAG: dsc.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}1.000000e+02]]]]> : tensor<1x2x1x1xf32>
// LOSSLESS-DAG: dsc.add %{{.+}}, %{{.+}} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
func.func @residual_group(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %wa = dsc.constant dense<[[[[1.0]]], [[[0.0]]], [[[5.0]]]]> : tensor<3x1x1x1xf32>
  %wb = dsc.constant dense<[[[[2.0]]], [[[0.0]]], [[[0.0]]]]> : tensor<3x1x1x1xf32>
  %wc = dsc.constant dense<[[[[1.0]], [[10.0]], [[100.0]]]]> : tensor<1x3x1x1xf32>
  %a = dsc.conv %x, %wa {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<3x1x1x1xf32>) -> tensor<1x3x4x4xf32> loc("a")
  %b = dsc.conv %x, %wb {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<3x1x1x1xf32>) -> tensor<1x3x4x4xf32> loc("b")
  %s = dsc.add %a, %b : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %c = dsc.conv %s, %wc {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x4x4xf32>, tensor<1x3x1x1xf32>) -> tensor<1x1x4x4xf32> loc("c")
  return %c : tensor<1x1x4x4xf32>
}

// -----

// A zero filter whose channel is the constant relu(2) = 2 feeding a padded
// 3x3 conv: the constant contributes less at the borders, so lossless
// pruning keeps it.
// LOSSLESS-REMARK: remark: {{.*}}dsc-prune-channels: kept producer: its zero channels carry a constant a padded conv or strided conv-transpose cannot absorb exactly
// LOSSLESS-LABEL: func @padded_consumer
// LOSSLESS-DAG: dsc.relu %{{.+}} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
func.func @padded_consumer(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %w1 = dsc.constant dense<[[[[1.0]]], [[[0.0]]]]> : tensor<2x1x1x1xf32>
  %b1 = dsc.constant dense<[0.0, 2.0]> : tensor<2xf32>
  %w2 = dsc.constant dense<1.0> : tensor<1x2x3x3xf32>
  %0 = dsc.conv %x, %w1, %b1 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc("producer")
  %1 = dsc.relu %0 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %2 = dsc.conv %1, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>) -> tensor<1x1x4x4xf32>
  return %2 : tensor<1x1x4x4xf32>
}

// -----

// l1 ranks the features by the L1 norm of their rows: 3, 0.3, 3, 0.2, so
// ratio 0.5 removes features 1 and 3. They carry relu(1) = 1 and
// relu(-1) = 0, so the next gemm's bias becomes 1 * w2[:, 1] = [2, 6].
// L1-REMARK: remark: {{.*}}dsc-prune-channels: fc1: 4 -> 2 channels
// L1-LABEL: func @gemm_l1
// L1-DAG: dsc.constant dense<{{\[\[}}1.000000e+00, 1.000000e+00, 1.000000e+00], [3.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x3xf32>
// L1-DAG: dsc.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00], [5.000000e+00, 7.000000e+00]]> : tensor<2x2xf32>
// L1-DAG: dsc.constant dense<[2.000000e+00, 6.000000e+00]> : tensor<2xf32>
// L1-DAG: dsc.relu %{{.+}} : (tensor<1x2xf32>) -> tensor<1x2xf32>
func.func @gemm_l1(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w1 = dsc.constant dense<[[1.0, 1.0, 1.0], [0.1, 0.1, 0.1], [3.0, 0.0, 0.0], [0.2, 0.0, 0.0]]> : tensor<4x3xf32>
  %b1 = dsc.constant dense<[0.0, 1.0, 0.0, -1.0]> : tensor<4xf32>
  %w2 = dsc.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %0 = dsc.gemm %x, %w1, %b1 {trans_b = 1 : i64} : (tensor<1x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<1x4xf32> loc("fc1")
  %1 = dsc.relu %0 : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %2 = dsc.gemm %1, %w2 {trans_b = 1 : i64} : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %2 : tensor<1x2xf32>
}

// -----

// Network slimming: |gamma| = 1, 0.1, 2 with threshold 0.5 removes channel
// 1; the BN's parameters are sliced with it. Removed, the channel is
// relu(beta - gamma * mean / sqrt(var + eps)) = relu(3 - 0.1 * 0 / 1) = 3,
// and the global pool + flatten carry it to the gemm:
//   c' = [1 + 3 * 20, 2 + 3 * 50] = [61, 152].
// GAMMA-REMARK: remark: {{.*}}dsc-prune-channels: conv: 3 -> 2 channels
// GAMMA-LABEL: func @bn_gamma
// GAMMA-DAG: dsc.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// GAMMA-DAG: dsc.constant dense<{{\[\[}}1.000000e+01, 3.000000e+01], [4.000000e+01, 6.000000e+01]]> : tensor<2x2xf32>
// GAMMA-DAG: dsc.constant dense<[6.100000e+01, 1.520000e+02]> : tensor<2xf32>
// GAMMA-DAG: dsc.flatten %{{.+}} : (tensor<1x2x1x1xf32>) -> tensor<1x2xf32>
func.func @bn_gamma(%x: tensor<1x1x4x4xf32>) -> tensor<1x2xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[1.0]]], [[[1.0]]]]> : tensor<3x1x1x1xf32>
  %gamma = dsc.constant dense<[1.0, 0.1, 2.0]> : tensor<3xf32>
  %beta = dsc.constant dense<[0.0, 3.0, 0.0]> : tensor<3xf32>
  %mean = dsc.constant dense<0.0> : tensor<3xf32>
  %var = dsc.constant dense<1.0> : tensor<3xf32>
  %wf = dsc.constant dense<[[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]]> : tensor<2x3xf32>
  %cf = dsc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<3x1x1x1xf32>) -> tensor<1x3x4x4xf32> loc("conv")
  %1 = dsc.batch_norm %0, %gamma, %beta, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %2 = dsc.relu %1 : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %3 = dsc.global_average_pool %2 : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
  %4 = dsc.flatten %3 : (tensor<1x3x1x1xf32>) -> tensor<1x3xf32>
  %5 = dsc.gemm %4, %wf, %cf {trans_b = 1 : i64} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %5 : tensor<1x2xf32>
}

// -----

// A conv-transpose produces the channels (weight [C, F, kh, kw]: output
// channel f is w[:, f]). Filter 1 is zero with bias 0, so channel 1 is 0
// everywhere and goes; the weight loses axis 1, the bias entry 1, and the
// 1x1 consumer its input channel 1.
// LOSSLESS-REMARK: remark: {{.*}}dsc-prune-channels: up: 3 -> 2 channels (exact)
// LOSSLESS-LABEL: func @conv_transpose_producer
// LOSSLESS-DAG: dsc.constant dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+00]], {{\[\[}}3.000000e+00, 4.000000e+00]]]]> : tensor<1x2x1x2xf32>
// LOSSLESS-DAG: dsc.constant dense<[5.000000e-01, 1.000000e+00]> : tensor<2xf32>
// LOSSLESS-DAG: dsc.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}3.000000e+00]]]]> : tensor<1x2x1x1xf32>
// LOSSLESS-DAG: dsc.conv_transpose {{.+}} : (tensor<1x1x2x2xf32>, tensor<1x2x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x4xf32>
func.func @conv_transpose_producer(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32> {
  %w1 = dsc.constant dense<[[[[1.0, 2.0]], [[0.0, 0.0]], [[3.0, 4.0]]]]> : tensor<1x3x1x2xf32>
  %b1 = dsc.constant dense<[0.5, 0.0, 1.0]> : tensor<3xf32>
  %w2 = dsc.constant dense<[[[[1.0]], [[2.0]], [[3.0]]]]> : tensor<1x3x1x1xf32>
  %0 = dsc.conv_transpose %x, %w1, %b1 {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 2>} : (tensor<1x1x2x2xf32>, tensor<1x3x1x2xf32>, tensor<3xf32>) -> tensor<1x3x2x4xf32> loc("up")
  %1 = dsc.relu %0 : (tensor<1x3x2x4xf32>) -> tensor<1x3x2x4xf32>
  %2 = dsc.conv %1, %w2 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x2x4xf32>, tensor<1x3x1x1xf32>) -> tensor<1x1x2x4xf32>
  return %2 : tensor<1x1x2x4xf32>
}

// -----

// A strided conv-transpose consumes the channels (weight [C, F, kh, kw]:
// input channel c is w[c]). Producer channel 1 is zero with bias 0; channel
// 2 is zero with bias 2, so it is the constant relu(2) = 2, which a stride-2
// conv-transpose scatters as the pattern 2 * w[2], not a constant.
// Lossless pruning removes channel 1 and keeps channel 2. Ratio pruning
// removes both zero channels and folds channel 2 into the bias as the mean
// over the 2 x 2 output phases:
//   bias' = 1 + 2 * (1 + 2 + 3 + 4) / 4 = 6.
// LOSSLESS-REMARK: remark: {{.*}}dsc-prune-channels: feed: 3 -> 2 channels (exact)
// LOSSLESS-LABEL: func @conv_transpose_consumer
// LOSSLESS-DAG: dsc.constant dense<{{\[\[\[\[}}1.000000e+00, 1.000000e+00], [1.000000e+00, 1.000000e+00]]], {{\[\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]]]> : tensor<2x1x2x2xf32>
// LOSSLESS-DAG: dsc.conv_transpose {{.+}} : (tensor<1x2x2x2xf32>, tensor<2x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
// L1-REMARK: remark: {{.*}}dsc-prune-channels: feed: 3 -> 1 channels{{$}}
// L1-LABEL: func @conv_transpose_consumer
// L1-DAG: dsc.constant dense<6.000000e+00> : tensor<1xf32>
// L1-DAG: dsc.conv_transpose {{.+}} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
func.func @conv_transpose_consumer(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %w1 = dsc.constant dense<[[[[1.0]]], [[[0.0]]], [[[0.0]]]]> : tensor<3x1x1x1xf32>
  %b1 = dsc.constant dense<[0.0, 0.0, 2.0]> : tensor<3xf32>
  %w2 = dsc.constant dense<[[[[1.0, 1.0], [1.0, 1.0]]], [[[5.0, 5.0], [5.0, 5.0]]], [[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<3x1x2x2xf32>
  %b2 = dsc.constant dense<[1.0]> : tensor<1xf32>
  %0 = dsc.conv %x, %w1, %b1 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<3x1x1x1xf32>, tensor<3xf32>) -> tensor<1x3x2x2xf32> loc("feed")
  %1 = dsc.relu %0 : (tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  %2 = dsc.conv_transpose %1, %w2, %b2 {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x2x2xf32>, tensor<3x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %2 : tensor<1x1x4x4xf32>
}
