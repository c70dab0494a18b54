// RUN: dsc-opt %s --convert-dsc-to-linalg -split-input-file | FileCheck %s

// A 2-D f32 conv with constant weights calls the runtime's kernel with its
// weights packed in panels of 6 filters (runtime/include/dsc/kernels.h):
// 7 filters, reduction size 1 -> 2 panels of 6, the 7th filter alone in the
// second, zero-padded: [1..6], [7, 0, 0, 0, 0, 0]. (An 8x8 output plane: 64
// pixels, the smallest that vectorises over pixels.)
// Geometry: N C H W F OH OW KH KW SH SW DH DW PT PL G ACT FLAGS LAYOUT,
// relu = 1, residual after the activation = flag 1, panels = layout 0.
// CHECK-LABEL: func.func private @dsc_conv2d_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, f32, f32)
// CHECK-LABEL: func @conv_panels
// CHECK-DAG: %[[G:.+]] = arith.constant dense<[1, 1, 8, 8, 7, 8, 8, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0]> : tensor<21xi64>
// CHECK-DAG: %[[W:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<12xf32>
// CHECK: %[[OUT:.+]] = memref.alloc() {alignment = 64 : i64} : memref<1x7x8x8xf32>
// CHECK: bufferization.to_memref %[[G]] read_only
// CHECK: bufferization.to_memref %arg0 read_only
// CHECK: bufferization.to_memref %[[W]] read_only
// CHECK: %[[NULL:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK: bufferization.to_memref %arg1 read_only
// CHECK: call @dsc_conv2d_f32({{.*}}, %[[NULL]], {{.*}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, f32, f32) -> ()
// CHECK: %[[Y:.+]] = bufferization.to_tensor %[[OUT]] restrict writable
// CHECK: return %[[Y]]
func.func @conv_panels(%x: tensor<1x1x8x8xf32>, %r: tensor<1x7x8x8xf32>) -> tensor<1x7x8x8xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[2.0]]], [[[3.0]]], [[[4.0]]], [[[5.0]]], [[[6.0]]], [[[7.0]]]]> : tensor<7x1x1x1xf32>
  %0 = dsc.conv_fused %x, %w residual(%r) {activation = "relu", residual_after_activation = true, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x8x8xf32>, tensor<7x1x1x1xf32>, tensor<1x7x8x8xf32>) -> tensor<1x7x8x8xf32>
  return %0 : tensor<1x7x8x8xf32>
}

// -----

// A 3x3 output plane (9 < 64 pixels) vectorises over filters instead
// (layout 2): one panel of 16 filters, [1..7] then zeros.
// CHECK-LABEL: func @conv_small_output
// CHECK-DAG: arith.constant dense<[1, 1, 3, 3, 7, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 2, 0, 0]> : tensor<21xi64>
// CHECK-DAG: arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<16xf32>
// CHECK: call @dsc_conv2d_f32
func.func @conv_small_output(%x: tensor<1x1x3x3xf32>) -> tensor<1x7x3x3xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[2.0]]], [[[3.0]]], [[[4.0]]], [[[5.0]]], [[[6.0]]], [[[7.0]]]]> : tensor<7x1x1x1xf32>
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<7x1x1x1xf32>) -> tensor<1x7x3x3xf32>
  return %0 : tensor<1x7x3x3xf32>
}

// -----

// Depthwise (group = C = F) keeps the ONNX weight layout (layout 1); the
// clip bounds travel as the call's two floats.
// CHECK-LABEL: func @conv_depthwise
// CHECK-DAG: arith.constant dense<[1, 2, 5, 5, 2, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1, 2, 2, 0, 1, 0, 0]> : tensor<21xi64>
// CHECK-DAG: %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[HI:.+]] = arith.constant 6.000000e+00 : f32
// CHECK: call @dsc_conv2d_f32({{.*}}, %[[LO]], %[[HI]])
func.func @conv_depthwise(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %w = dsc.constant dense<1.0> : tensor<2x1x3x3xf32>
  %0 = dsc.conv_fused %x, %w {activation = "clip", activation_beta = 6.0 : f32, group = 2 : i64, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// matmul with a constant [K, N] = [2, 3] right-hand side: one panel of 16
// columns per k, zero-padded past N. Geometry: M N K ACT FLAGS.
// CHECK-LABEL: func @matmul_panels
// CHECK-DAG: arith.constant dense<[4, 3, 2, 0, 0, 0, 0]> : tensor<7xi64>
// CHECK-DAG: arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<32xf32>
// CHECK: call @dsc_matmul_f32
func.func @matmul_panels(%a: tensor<2x2x2xf32>) -> tensor<2x2x3xf32> {
  %b = dsc.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = dsc.matmul_fused %a, %b : (tensor<2x2x2xf32>, tensor<2x3xf32>) -> tensor<2x2x3xf32>
  return %0 : tensor<2x2x3xf32>
}

// -----

// Weights that are not constants keep the generic lowering and its epilogue.
// CHECK-LABEL: func @conv_runtime_weights
// CHECK-NOT: call @dsc_conv2d_f32
// CHECK: linalg.generic
// The relu: x < 0 ? 0 : x.
// CHECK: %[[NEG:[^ ]+]] = arith.cmpf olt, %[[V:[^,]+]], %[[ZERO:[^ ]+]] : f32
// CHECK-NEXT: arith.select %[[NEG]], %[[ZERO]], %[[V]] : f32
func.func @conv_runtime_weights(%x: tensor<1x1x3x3xf32>, %w: tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32> {
  %0 = dsc.conv_fused %x, %w {activation = "relu", dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// An output affine in the epilogue (act(v) * 2 + 0.5): flag
// DSC_EPILOGUE_OUTPUT_AFFINE (2), the floats' bits in OUT_SCALE and
// OUT_SHIFT (2.0 = 0x40000000 = 1073741824, 0.5 = 0x3F000000 = 1056964608).
// CHECK-LABEL: func @conv_output_affine
// CHECK-DAG: arith.constant dense<[1, 1, 8, 8, 2, 8, 8, 1, 1, 1, 1, 1, 1, 0, 0, 1, 5, 2, 0, 1073741824, 1056964608]> : tensor<21xi64>
// CHECK: call @dsc_conv2d_f32
func.func @conv_output_affine(%x: tensor<1x1x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>
  %0 = dsc.conv_fused %x, %w {activation = "hard_swish", dilations = array<i64: 1, 1>, output_scale = 2.0 : f32, output_shift = 0.5 : f32, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x8x8xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}
