// RUN: dsc-opt %s --dsc-fuse-elementwise-loops --split-input-file | FileCheck %s

// An elementwise producer read element for element: one loop.
// CHECK-LABEL: func.func @same_shape
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @same_shape(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %init = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x8xf32>) outs(%init : tensor<4x8xf32>) {
  ^bb0(%x: f32, %out: f32):
    %m = arith.mulf %x, %x : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%init : tensor<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// A nearest upsampling by 2 x 2 reads each element of its input four times:
// fused, the producer's arithmetic would run four times per element, so
// the producer stays a loop of its own and the copy reads its result.
// CHECK-LABEL: func.func @upsampling_reader
// CHECK: %[[P:.+]] = linalg.generic
// CHECK: arith.mulf
// CHECK: linalg.generic {{.*}}ins(%[[P]] : tensor<4x4xf32>)
// CHECK-NOT: arith.mulf
#in = affine_map<(d0, d1) -> (d0 floordiv 2, d1 floordiv 2)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @upsampling_reader(%a: tensor<4x4xf32>) -> tensor<8x8xf32> {
  %init = tensor.empty() : tensor<4x4xf32>
  %0 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x4xf32>) outs(%init : tensor<4x4xf32>) {
  ^bb0(%x: f32, %out: f32):
    %m = arith.mulf %x, %x : f32
    linalg.yield %m : f32
  } -> tensor<4x4xf32>
  %big = tensor.empty() : tensor<8x8xf32>
  %1 = linalg.generic {indexing_maps = [#in, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<4x4xf32>) outs(%big : tensor<8x8xf32>) {
  ^bb0(%x: f32, %out: f32):
    linalg.yield %x : f32
  } -> tensor<8x8xf32>
  return %1 : tensor<8x8xf32>
}
