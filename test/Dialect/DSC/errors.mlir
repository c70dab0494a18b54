// RUN: dsc-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the dsc verifiers (lib/Dialect/DSC/IR/DSCOps.cpp)
// and of the ODS constraints they rely on.

//===----------------------------------------------------------------------===//
// Binary ops: ONNX multidirectional broadcasting
//===----------------------------------------------------------------------===//

func.func @add_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'dsc.add' op operands are not broadcast-compatible}}
  %0 = dsc.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @mul_result_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<1x2x3xf32> {
  // expected-error @+1 {{'dsc.mul' op result rank 3 differs from the broadcast rank 2}}
  %0 = dsc.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x2x3xf32>
  return %0 : tensor<1x2x3xf32>
}

// -----

func.func @sub_result_shape(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'dsc.sub' op result shape does not match the broadcast of the operands}}
  %0 = dsc.sub %a, %b : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @less_dynamic_operand_static_mismatch(%a: tensor<?x3xf32>, %b: tensor<3xf32>) -> tensor<?x4xi1> {
  // expected-error @+1 {{'dsc.less' op result shape does not match the broadcast of the operands}}
  %0 = dsc.less %a, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x4xi1>
  return %0 : tensor<?x4xi1>
}

//===----------------------------------------------------------------------===//
// Clip
//===----------------------------------------------------------------------===//

// -----

func.func @clip_vector_bound(%x: tensor<4xf32>, %lo: tensor<2xf32>, %hi: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.clip' op expects scalar min and max}}
  %0 = dsc.clip %x, %lo, %hi : (tensor<4xf32>, tensor<2xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @clip_result_shape(%x: tensor<4xf32>, %lo: tensor<f32>, %hi: tensor<1xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'dsc.clip' op result shape differs from the input shape}}
  %0 = dsc.clip %x, %lo, %hi : (tensor<4xf32>, tensor<f32>, tensor<1xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

// -----

func.func @conv_input_rank(%x: tensor<4x8xf32>, %w: tensor<8x4xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'dsc.conv' op expects an input of rank >= 3 (N, C, spatial...), got rank 2}}
  %0 = dsc.conv %x, %w {dilations = array<i64>, pads = array<i64>, strides = array<i64>} : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'dsc.conv' op expects a weight of rank 4 like the input, got rank 3}}
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_pads_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'dsc.conv' op expects 2 strides and dilations and 4 pads}}
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

func.func @conv_strides_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'dsc.conv' op expects 2 strides and dilations and 4 pads}}
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_zero_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'dsc.conv' op expects positive strides and dilations}}
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_negative_dilation(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'dsc.conv' op expects positive strides and dilations}}
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, -1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_zero_group(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'dsc.conv' op expects a positive group count}}
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, group = 0 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'dsc.conv' op expects weight channels (8) times group (1) to match input channels (3)}}
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// Depthwise conv with the weight of a dense conv: 8 != 8 * 8.
func.func @conv_channels_times_group(%x: tensor<1x8x8x8xf32>, %w: tensor<8x8x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'dsc.conv' op expects weight channels (8) times group (8) to match input channels (8)}}
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, group = 8 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_filters_not_divisible(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'dsc.conv' op expects filters (6) divisible by group (4)}}
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv_bias_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'dsc.conv' op expects a 1-D bias of 4 elements}}
  %0 = dsc.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

//===----------------------------------------------------------------------===//
// ConvTranspose, ConvInteger-style shared checks
//===----------------------------------------------------------------------===//

// -----

func.func @conv_transpose_channels(%x: tensor<1x8x4x4xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x2x9x9xf32> {
  // expected-error @+1 {{'dsc.conv_transpose' op expects weight dim 0 (4) to match input channels (8)}}
  %0 = dsc.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x9x9xf32>
  return %0 : tensor<1x2x9x9xf32>
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x8x4x4xf32>, %w: tensor<8x2x3x3xf32>) -> tensor<1x2x10x10xf32> {
  // expected-error @+1 {{'dsc.conv_transpose' op expects one output_padding per spatial axis}}
  %0 = dsc.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>) -> tensor<1x2x10x10xf32>
  return %0 : tensor<1x2x10x10xf32>
}

// -----

func.func @conv_transpose_shared_checks(%x: tensor<1x8x4x4xf32>, %w: tensor<8x2x3x3xf32>) -> tensor<1x2x9x9xf32> {
  // expected-error @+1 {{'dsc.conv_transpose' op expects 2 strides and dilations and 4 pads}}
  %0 = dsc.conv_transpose %x, %w {dilations = array<i64: 1, 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>) -> tensor<1x2x9x9xf32>
  return %0 : tensor<1x2x9x9xf32>
}

//===----------------------------------------------------------------------===//
// Gemm, MatMul
//===----------------------------------------------------------------------===//

// -----

func.func @gemm_rank(%a: tensor<2x4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'dsc.gemm' op expects 2-D operands, got ranks 3 and 2}}
  %0 = dsc.gemm %a, %b : (tensor<2x4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @gemm_inner_dims(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'dsc.gemm' op inner dimensions differ: 8 vs 16}}
  %0 = dsc.gemm %a, %b : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// trans_a makes the inner dimension a's dim 0.
func.func @gemm_inner_dims_trans_a(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'dsc.gemm' op inner dimensions differ: 4 vs 8}}
  %0 = dsc.gemm %a, %b {trans_a = 1 : i64} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.matmul' op expects operands of rank >= 1}}
  %0 = dsc.matmul %a, %b : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @matmul_inner_dims(%a: tensor<2x3x8xf32>, %b: tensor<4x16xf32>) -> tensor<2x3x16xf32> {
  // expected-error @+1 {{'dsc.matmul' op inner dimensions differ: 8 vs 4}}
  %0 = dsc.matmul %a, %b : (tensor<2x3x8xf32>, tensor<4x16xf32>) -> tensor<2x3x16xf32>
  return %0 : tensor<2x3x16xf32>
}

// -----

// A 1-D rhs is a vector: its only dim is the inner one.
func.func @matmul_inner_dims_vector(%a: tensor<3x8xf32>, %b: tensor<5xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'dsc.matmul' op inner dimensions differ: 8 vs 5}}
  %0 = dsc.matmul %a, %b : (tensor<3x8xf32>, tensor<5xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

//===----------------------------------------------------------------------===//
// BatchNorm
//===----------------------------------------------------------------------===//

// -----

func.func @batch_norm_rank(%x: tensor<8xf32>, %p: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'dsc.batch_norm' op expects an input of rank >= 2}}
  %0 = dsc.batch_norm %x, %p, %p, %p, %p : (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

func.func @batch_norm_param_size(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>, %var: tensor<4xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'dsc.batch_norm' op expects 1-D parameters of 8 channels, got 'tensor<4xf32>'}}
  %0 = dsc.batch_norm %x, %p, %p, %p, %var : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

func.func @batch_norm_param_rank(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>, %scale: tensor<1x8xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'dsc.batch_norm' op expects 1-D parameters of 8 channels, got 'tensor<1x8xf32>'}}
  %0 = dsc.batch_norm %x, %scale, %p, %p, %p : (tensor<1x8x4x4xf32>, tensor<1x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

//===----------------------------------------------------------------------===//
// Reshape
//===----------------------------------------------------------------------===//

// -----

func.func @reshape_shape_rank(%x: tensor<2x6xf32>, %s: tensor<1x2xi64>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'dsc.reshape' op expects a 1-D shape operand}}
  %0 = dsc.reshape %x, %s : (tensor<2x6xf32>, tensor<1x2xi64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @reshape_shape_length(%x: tensor<2x6xf32>, %s: tensor<3xi64>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'dsc.reshape' op shape operand has 3 elements but the result has rank 2}}
  %0 = dsc.reshape %x, %s : (tensor<2x6xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @reshape_element_count(%x: tensor<2x6xf32>, %s: tensor<2xi64>) -> tensor<5x2xf32> {
  // expected-error @+1 {{'dsc.reshape' op cannot reshape 12 elements into 10}}
  %0 = dsc.reshape %x, %s : (tensor<2x6xf32>, tensor<2xi64>) -> tensor<5x2xf32>
  return %0 : tensor<5x2xf32>
}

//===----------------------------------------------------------------------===//
// Transpose
//===----------------------------------------------------------------------===//

// -----

func.func @transpose_perm_length(%x: tensor<2x3x4xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'dsc.transpose' op perm has 2 entries for an input of rank 3}}
  %0 = dsc.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x4xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_perm_repeated(%x: tensor<2x3x4xf32>) -> tensor<3x3x4xf32> {
  // expected-error @+1 {{'dsc.transpose' op perm is not a permutation}}
  %0 = dsc.transpose %x {perm = array<i64: 1, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<3x3x4xf32>
  return %0 : tensor<3x3x4xf32>
}

// -----

func.func @transpose_perm_out_of_range(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  // expected-error @+1 {{'dsc.transpose' op perm is not a permutation}}
  %0 = dsc.transpose %x {perm = array<i64: 1, 0, 3>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  return %0 : tensor<3x2x4xf32>
}

// -----

func.func @transpose_perm_negative(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  // expected-error @+1 {{'dsc.transpose' op perm is not a permutation}}
  %0 = dsc.transpose %x {perm = array<i64: -1, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

func.func @transpose_result_dims(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'dsc.transpose' op result dim 1 should equal input dim 2}}
  %0 = dsc.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

//===----------------------------------------------------------------------===//
// Concat
//===----------------------------------------------------------------------===//

// -----

func.func @concat_no_inputs() -> tensor<0xf32> {
  // expected-error @+1 {{'dsc.concat' op expects at least one input}}
  %0 = dsc.concat {axis = 0 : i64} : () -> tensor<0xf32>
  return %0 : tensor<0xf32>
}

// -----

func.func @concat_axis_too_large(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'dsc.concat' op axis 2 is out of range for rank 2}}
  %0 = dsc.concat %a, %b {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'dsc.concat' op expects inputs of rank 2}}
  %0 = dsc.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_other_dim(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'dsc.concat' op input dim 0 differs from the result's}}
  %0 = dsc.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_sum(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'dsc.concat' op result dim 1 should be the sum of the inputs' (7)}}
  %0 = dsc.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

//===----------------------------------------------------------------------===//
// If
//===----------------------------------------------------------------------===//

// -----

func.func @if_condition_not_scalar(%c: tensor<2xi1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.if' op expects a single-element condition}}
  %0 = dsc.if %c : tensor<2xi1> -> tensor<4xf32> {
    dsc.yield %x : tensor<4xf32>
  } else {
    dsc.yield %x : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @if_then_yield_count(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.if' op then branch yields 2 values, expected 1}}
  %0 = dsc.if %c : tensor<i1> -> tensor<4xf32> {
    dsc.yield %x, %x : tensor<4xf32>, tensor<4xf32>
  } else {
    dsc.yield %x : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @if_else_yield_count(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.if' op else branch yields 0 values, expected 1}}
  %0 = dsc.if %c : tensor<i1> -> tensor<4xf32> {
    dsc.yield %x : tensor<4xf32>
  } else {
    dsc.yield
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @if_yield_element_type(%c: tensor<i1>, %x: tensor<4xf32>, %y: tensor<4xi32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.if' op else branch yields 'tensor<4xi32>' where 'tensor<4xf32>' is expected}}
  %0 = dsc.if %c : tensor<i1> -> tensor<4xf32> {
    dsc.yield %x : tensor<4xf32>
  } else {
    dsc.yield %y : tensor<4xi32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @if_yield_shape(%c: tensor<i1>, %x: tensor<4xf32>, %y: tensor<3xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.if' op then branch yields 'tensor<3xf32>' where 'tensor<4xf32>' is expected}}
  %0 = dsc.if %c : tensor<i1> -> tensor<4xf32> {
    dsc.yield %y : tensor<3xf32>
  } else {
    dsc.yield %x : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// Loop
//===----------------------------------------------------------------------===//

// -----

func.func @loop_block_arguments(%n: tensor<i64>, %c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.loop' op body takes 2 arguments, expected 3 (iteration, condition, loop-carried values)}}
  %0 = dsc.loop %n, %c, %x : (tensor<i64>, tensor<i1>, tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%i: tensor<i64>, %k: tensor<i1>):
    dsc.yield %k, %x : tensor<i1>, tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @loop_yields_too_few(%n: tensor<i64>, %c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.loop' op body yields too few values}}
  %0 = dsc.loop %n, %c, %x : (tensor<i64>, tensor<i1>, tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%i: tensor<i64>, %k: tensor<i1>, %v: tensor<4xf32>):
    dsc.yield %k : tensor<i1>
  }
  return %0 : tensor<4xf32>
}

// -----

// The body yields the condition, one loop-carried value and one scan output,
// so the loop has two results, not one.
func.func @loop_result_count(%n: tensor<i64>, %c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.loop' op expects one result per loop-carried value and scan output}}
  %0 = dsc.loop %n, %c, %x : (tensor<i64>, tensor<i1>, tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%i: tensor<i64>, %k: tensor<i1>, %v: tensor<4xf32>):
    dsc.yield %k, %v, %v : tensor<i1>, tensor<4xf32>, tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// ODS constraints and traits
//===----------------------------------------------------------------------===//

// -----

func.func @constant_type_mismatch() -> tensor<3xf32> {
  // expected-error @+1 {{'dsc.constant' op failed to verify that all of {value, output} have same type}}
  %0 = "dsc.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @unary_shape(%x: tensor<4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'dsc.relu' op requires the same shape for all operands and results}}
  %0 = dsc.relu %x : (tensor<4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @where_condition_not_bool(%c: tensor<4xf32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.where' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = dsc.where %c, %x, %x : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @yield_outside_region(%x: tensor<4xf32>) {
  // expected-error @+1 {{'dsc.yield' op expects parent op to be one of 'dsc.if, dsc.loop, dsc.elementwise'}}
  dsc.yield %x : tensor<4xf32>
}

// -----

func.func @conv_bias_2d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<2x2xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'dsc.conv' op expects a 1-D bias of 4 elements}}
  %0 = dsc.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<2x2xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @shape_i32(%x: tensor<2x3xf32>) -> tensor<2xi32> {
  // expected-error @+1 {{'dsc.shape' op expects a 1-D i64 result, got 'tensor<2xi32>'}}
  %0 = dsc.shape %x : (tensor<2x3xf32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @reshape_changes_type(%x: tensor<4xf32>, %s: tensor<2xi64>) -> tensor<2x2xi32> {
  // expected-error @+1 {{'dsc.reshape' op changes the element type from 'f32' to 'i32'}}
  %0 = dsc.reshape %x, %s : (tensor<4xf32>, tensor<2xi64>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

func.func @flatten_count(%x: tensor<2x3xf32>) -> tensor<1x5xf32> {
  // expected-error @+1 {{'dsc.flatten' op cannot reshape 6 elements into 5}}
  %0 = dsc.flatten %x : (tensor<2x3xf32>) -> tensor<1x5xf32>
  return %0 : tensor<1x5xf32>
}

// -----

func.func @concat_types(%a: tensor<2xi32>, %b: tensor<2xi64>) -> tensor<4xi64> {
  // expected-error @+1 {{'dsc.concat' op expects inputs of element type 'i64'}}
  %0 = dsc.concat %a, %b {axis = 0 : i64} : (tensor<2xi32>, tensor<2xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @loop_carried_types(%n: tensor<i64>, %c: tensor<i1>, %v: tensor<4xf32>) -> tensor<7xi32> {
  // expected-error @+1 {{'dsc.loop' op loop-carried value 0 has different types as initial value, body argument, yielded value and result}}
  %0 = dsc.loop %n, %c, %v : (tensor<i64>, tensor<i1>, tensor<4xf32>) -> tensor<7xi32> {
  ^bb0(%i: tensor<i64>, %k: tensor<i1>, %x: tensor<3xf32>):
    dsc.yield %k, %x : tensor<i1>, tensor<3xf32>
  }
  return %0 : tensor<7xi32>
}

// -----

func.func @loop_no_yield(%n: tensor<i64>, %c: tensor<i1>, %v: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.loop' op body must end with dsc.yield}}
  %0 = dsc.loop %n, %c, %v : (tensor<i64>, tensor<i1>, tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%i: tensor<i64>, %k: tensor<i1>, %x: tensor<4xf32>):
    %y = dsc.neg %x : (tensor<4xf32>) -> tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @attention_depths(%q: tensor<2x5x8xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>) -> tensor<2x5x3xf32> {
  // expected-error @+1 {{'dsc.attention' op query and key depths differ: 8 vs 4}}
  %0 = dsc.attention %q, %k, %v : (tensor<2x5x8xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>) -> tensor<2x5x3xf32>
  return %0 : tensor<2x5x3xf32>
}

// -----

func.func @attention_mask(%q: tensor<2x5x8xf32>, %k: tensor<2x7x8xf32>, %v: tensor<2x7x3xf32>, %m: tensor<5x5xi1>) -> tensor<2x5x3xf32> {
  // expected-error @+1 {{'dsc.attention' op mask does not broadcast to the scores}}
  %0 = dsc.attention %q, %k, %v mask(%m) : (tensor<2x5x8xf32>, tensor<2x7x8xf32>, tensor<2x7x3xf32>, tensor<5x5xi1>) -> tensor<2x5x3xf32>
  return %0 : tensor<2x5x3xf32>
}

// -----

func.func @elementwise_arity(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.elementwise' op expects one body argument per input, got 1 for 2}}
  %0 = dsc.elementwise %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<f32>):
    dsc.yield %a : tensor<f32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @elementwise_broadcast(%x: tensor<3xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dsc.elementwise' op expects inputs that broadcast to the result}}
  %0 = dsc.elementwise %x : (tensor<3xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<f32>):
    dsc.yield %a : tensor<f32>
  }
  return %0 : tensor<4xf32>
}
