// RUN: dsc-opt %s --convert-dsc-to-linalg -split-input-file | FileCheck %s

// The layout a quantized conv's kernel call gets (geometry index 18,
// dsc/kernels.h): a 3-channel conv with paddings <= 4 and strides <= 8
// takes CHANNELS4 (3), each tap padded to 4 channels with zero weights:
// K4 = 9 taps x 4 / 4 = 9 groups of 4, so the packed weights are
// 1 block x 9 x 64 bytes.
// CHECK-LABEL: func.func @image_conv
// CHECK: dense_resource<qconv_packed_weight> : tensor<576xi8>
// CHECK: arith.constant dense<[1, 3, 8, 8, 16, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1, 0, 0, 3, 0, 0]> : tensor<21xi64>
// CHECK: call @dsc_qconv2d_u8s8(
func.func @image_conv(%x: tensor<1x3x8x8xui8>) -> tensor<1x16x4x4xui8> {
  %xs = dsc.constant dense<0.5> : tensor<f32>
  %xz = dsc.constant dense<128> : tensor<ui8>
  %w = dsc.constant dense<1> : tensor<16x3x3x3xi8>
  %ws = dsc.constant dense<0.25> : tensor<16xf32>
  %wz = dsc.constant dense<0> : tensor<i8>
  %ys = dsc.constant dense<1.0> : tensor<f32>
  %yz = dsc.constant dense<0> : tensor<ui8>
  %0 = dsc.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xui8>, tensor<f32>, tensor<ui8>, tensor<16x3x3x3xi8>, tensor<16xf32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<1x16x4x4xui8>
  return %0 : tensor<1x16x4x4xui8>
}

// -----

// A stride past DSC_QCONV_CHANNELS4_MAX_STRIDE (the padded image and a
// register tile's reads past it might not fit the workspace): the packed
// layout (0), K = 27 rounded up to 28, 7 groups of 4.
// CHECK-LABEL: func.func @wide_stride
// CHECK: dense_resource<qconv_packed_weight> : tensor<448xi8>
// CHECK: arith.constant dense<[1, 3, 40, 40, 16, 3, 3, 3, 3, 16, 16, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]> : tensor<21xi64>
// CHECK: call @dsc_qconv2d_u8s8(
func.func @wide_stride(%x: tensor<1x3x40x40xui8>) -> tensor<1x16x3x3xui8> {
  %xs = dsc.constant dense<0.5> : tensor<f32>
  %xz = dsc.constant dense<128> : tensor<ui8>
  %w = dsc.constant dense<1> : tensor<16x3x3x3xi8>
  %ws = dsc.constant dense<0.25> : tensor<16xf32>
  %wz = dsc.constant dense<0> : tensor<i8>
  %ys = dsc.constant dense<1.0> : tensor<f32>
  %yz = dsc.constant dense<0> : tensor<ui8>
  %0 = dsc.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 16, 16>} : (tensor<1x3x40x40xui8>, tensor<f32>, tensor<ui8>, tensor<16x3x3x3xi8>, tensor<16xf32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<1x16x3x3xui8>
  return %0 : tensor<1x16x3x3xui8>
}
