// RUN: not dsc-opt %s --convert-dsc-to-linalg 2>&1 | FileCheck %s

// A dsc.elementwise body op with no scalar form (written by hand: dsc-fuse
// does not put one there) is an error that names it, not a crash.
// CHECK: error: the lowering does not support this dsc.elementwise yet: its body holds dsc.softmax, which has no scalar form
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dsc.elementwise %x : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<f32>):
    %p = dsc.softmax %a : (tensor<f32>) -> tensor<f32>
    %n = dsc.neg %p : (tensor<f32>) -> tensor<f32>
    dsc.yield %n : tensor<f32>
  }
  return %0 : tensor<4xf32>
}
