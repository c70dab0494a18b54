// RUN: dsc-opt %s --dsc-collapse-elementwise --split-input-file | FileCheck %s

// Same-shaped operands: the four loops become one over all 16384 elements.
// CHECK-LABEL: func.func @same_shape
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2, 3]] : tensor<1x64x16x16xf32> into tensor<16384xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel"]
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1, 2, 3]]
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @same_shape(%a: tensor<1x64x16x16xf32>, %b: tensor<1x64x16x16xf32>) -> tensor<1x64x16x16xi8> {
  %init = tensor.empty() : tensor<1x64x16x16xi8>
  %0 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a, %b : tensor<1x64x16x16xf32>, tensor<1x64x16x16xf32>) outs(%init : tensor<1x64x16x16xi8>) {
  ^bb0(%x: f32, %y: f32, %out: i8):
    %s = arith.addf %x, %y : f32
    %q = arith.fptosi %s : f32 to i8
    linalg.yield %q : i8
  } -> tensor<1x64x16x16xi8>
  return %0 : tensor<1x64x16x16xi8>
}

// -----

// A per-channel operand [1, C, 1, 1]: its size-1 dims go first (it is read
// as [C]), then H and W collapse; C stays a loop of its own.
// CHECK-LABEL: func.func @per_channel
// CHECK-DAG: tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2, 3]] : tensor<1x8x1x1xf32> into tensor<8xf32>
// CHECK-DAG: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2, 3]] : tensor<1x8x5x7xf32> into tensor<8x35xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]{{.*}}ins(%{{.*}}, %{{.*}} : tensor<8x35xf32>, tensor<8xf32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2, 3]] output_shape [1, 8, 5, 7]
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#channel = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>
func.func @per_channel(%a: tensor<1x8x5x7xf32>, %scale: tensor<1x8x1x1xf32>) -> tensor<1x8x5x7xf32> {
  %init = tensor.empty() : tensor<1x8x5x7xf32>
  %0 = linalg.generic {indexing_maps = [#id4, #channel, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a, %scale : tensor<1x8x5x7xf32>, tensor<1x8x1x1xf32>) outs(%init : tensor<1x8x5x7xf32>) {
  ^bb0(%x: f32, %s: f32, %out: f32):
    %m = arith.mulf %x, %s : f32
    linalg.yield %m : f32
  } -> tensor<1x8x5x7xf32>
  return %0 : tensor<1x8x5x7xf32>
}

// -----

// Reductions and ops reading their indices stay as they are.
// CHECK-LABEL: func.func @reduction
// CHECK-NOT: collapse_shape
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
#in = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#out = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @reduction(%a: tensor<2x3x4xf32>, %init: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a : tensor<2x3x4xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
