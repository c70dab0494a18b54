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

// -----

// One 8-bit input: the chain is evaluated at compile time for the 256
// input bytes, and an 8-bit result is a call of the runtime's lookup
// kernel with the table. Here
//   y = quantize(relu(dequantize(x, 0.5, 128)), 0.25, 0)
// so byte b gives clamp(round(max((b - 128) * 0.5, 0) / 0.25), 0, 255) =
// 2 * max(b - 128, 0): 0 for b <= 128, then 2, 4, ..., 254 (the blob at
// the end of the file, after its 4-byte alignment prefix).
// CHECK-LABEL: func @byte_table
// CHECK: %[[T:.+]] = arith.constant dense_resource<lookup_table> : tensor<256xi8>
// CHECK: arith.constant dense<32> : tensor<1xi64>
// CHECK: call @dsc_lookup_u8(
// CHECK-NOT: arith.mulf
// CHECK: lookup_table: "0x01000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000020406080A0C0E10121416181A1C1E20222426282A2C2E30323436383A3C3E40424446484A4C4E50525456585A5C5E60626466686A6C6E70727476787A7C7E80828486888A8C8E90929496989A9C9EA0A2A4A6A8AAACAEB0B2B4B6B8BABCBEC0C2C4C6C8CACCCED0D2D4D6D8DADCDEE0E2E4E6E8EAECEEF0F2F4F6F8FAFCFE"
func.func @byte_table(%x: tensor<2x16xui8>) -> tensor<2x16xui8> {
  %0 = dsc.elementwise %x : (tensor<2x16xui8>) -> tensor<2x16xui8> {
  ^bb0(%a: tensor<ui8>):
    %s = dsc.constant dense<0.5> : tensor<f32>
    %z = dsc.constant dense<128> : tensor<ui8>
    %qs = dsc.constant dense<0.25> : tensor<f32>
    %qz = dsc.constant dense<0> : tensor<ui8>
    %d = dsc.dequantize_linear %a, %s, %z : (tensor<ui8>, tensor<f32>, tensor<ui8>) -> tensor<f32>
    %r = dsc.relu %d : (tensor<f32>) -> tensor<f32>
    %q = dsc.quantize_linear %r, %qs, %qz : (tensor<f32>, tensor<f32>, tensor<ui8>) -> tensor<ui8>
    dsc.yield %q : tensor<ui8>
  }
  return %0 : tensor<2x16xui8>
}

// -----

// A float result keeps the loop, reading a table of 256 floats:
//   y = relu(dequantize(x, 0.5, 128)) = max((b - 128) * 0.5, 0): zeros, then
// 0.5, 1.0, 1.5 (0x3F000000, 0x3F800000, 0x3FC00000, little-endian) ... 63.5.
// CHECK-LABEL: func @byte_table_float
// CHECK: %[[T:.+]] = arith.constant dense<"0x{{(00000000)+}}0000003F0000803F0000C03F{{.*}}00007E42"> : tensor<256xf32>
// CHECK: linalg.generic
// CHECK: %[[I:.+]] = arith.index_castui %{{.+}} : i8 to index
// CHECK: tensor.extract %[[T]][%[[I]]] : tensor<256xf32>
// CHECK-NOT: arith.mulf
func.func @byte_table_float(%x: tensor<2x16xui8>) -> tensor<2x16xf32> {
  %0 = dsc.elementwise %x : (tensor<2x16xui8>) -> tensor<2x16xf32> {
  ^bb0(%a: tensor<ui8>):
    %s = dsc.constant dense<0.5> : tensor<f32>
    %z = dsc.constant dense<128> : tensor<ui8>
    %d = dsc.dequantize_linear %a, %s, %z : (tensor<ui8>, tensor<f32>, tensor<ui8>) -> tensor<f32>
    %r = dsc.relu %d : (tensor<f32>) -> tensor<f32>
    dsc.yield %r : tensor<f32>
  }
  return %0 : tensor<2x16xf32>
}
