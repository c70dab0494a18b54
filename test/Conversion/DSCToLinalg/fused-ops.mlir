// RUN: dsc-opt %s --convert-dsc-to-linalg -split-input-file | FileCheck %s

// dsc.elementwise is one linalg.generic over the result: the [8] input
// broadcast along the rows, the body's ops as scalar arith/math in order.
// CHECK-LABEL: func @elementwise
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}, #{{.+}}], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg1 : tensor<4x8xf32>, tensor<8xf32>)
// CHECK-NEXT: ^bb0(%[[X:.+]]: f32, %[[B:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[M:.+]] = arith.mulf %[[X]], %{{.+}} : f32
// CHECK-NEXT: %[[A:.+]] = arith.addf %[[M]], %[[B]] : f32
// CHECK: math.exp
// CHECK: linalg.yield
// CHECK-NOT: linalg.generic
func.func @elementwise(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = dsc.elementwise %x, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32> {
  ^bb0(%a: tensor<f32>, %c: tensor<f32>):
    %two = dsc.constant dense<2.0> : tensor<f32>
    %m = dsc.mul %a, %two : (tensor<f32>, tensor<f32>) -> tensor<f32>
    %s = dsc.add %m, %c : (tensor<f32>, tensor<f32>) -> tensor<f32>
    %g = dsc.sigmoid %s : (tensor<f32>) -> tensor<f32>
    dsc.yield %g : tensor<f32>
  }
  return %0 : tensor<4x8xf32>
}

// -----

// A ConvTranspose with stride = kernel: a 1x1 conv kernel call to F*KH*KW
// channels (here 3 * 2 * 2 = 12), then the pixel shuffle as one copy with
// the last axis split [W, KW] = [5, 2].
// CHECK-LABEL: func @conv_transpose_stride_kernel
// CHECK: call @dsc_conv2d_f32
// CHECK: linalg.generic {{.*}} ins(%{{.+}} : tensor<1x12x4x5xf32>) outs(%{{.+}} : tensor<1x3x8x5x2xf32>)
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x3x8x10xf32>
func.func @conv_transpose_stride_kernel(%x: tensor<1x2x4x5xf32>) -> tensor<1x3x8x10xf32> {
  %w = dsc.constant dense<0.5> : tensor<2x3x2x2xf32>
  %0 = dsc.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x5xf32>, tensor<2x3x2x2xf32>) -> tensor<1x3x8x10xf32>
  return %0 : tensor<1x3x8x10xf32>
}

// -----

// Nearest upsampling by 2 (asymmetric, floor): an affine read, no float
// index math; the last axis split [in, factor].
// CHECK-DAG: #[[READ:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2 floordiv 2, d3)>
// CHECK-LABEL: func @resize_nearest_2x
// CHECK: linalg.generic {indexing_maps = [#[[READ]], #{{.+}}]
// CHECK-NOT: math.floor
// CHECK: tensor.collapse_shape
func.func @resize_nearest_2x(%x: tensor<1x3x4x5xf32>) -> tensor<1x3x8x10xf32> {
  %scales = dsc.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %sizes = dsc.constant dense<> : tensor<0xi64>
  %0 = dsc.resize %x, %scales, %sizes {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x3x4x5xf32>, tensor<4xf32>, tensor<0xi64>) -> tensor<1x3x8x10xf32>
  return %0 : tensor<1x3x8x10xf32>
}

// -----

// A reduction over 64 contiguous elements: 16 lane accumulators
// ([1, 4, 16] view of [1, 64]), then the lanes combined.
// CHECK-LABEL: func @reduce_in_lanes
// CHECK: tensor.expand_shape %arg0 {{.*}} : tensor<2x64xf32> into tensor<2x4x16xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%{{.+}} : tensor<2x4x16xf32>) outs(%{{.+}} : tensor<2x16xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<2x16xf32>) outs(%{{.+}} : tensor<2x1xf32>)
func.func @reduce_in_lanes(%x: tensor<2x64xf32>) -> tensor<2x1xf32> {
  %axes = dsc.constant dense<[1]> : tensor<1xi64>
  %0 = dsc.reduce_sum %x, %axes : (tensor<2x64xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}
