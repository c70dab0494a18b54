// RUN: dsc-opt %s | dsc-opt | FileCheck %s
// CHECK-LABEL: func @relu
// CHECK: dsc.relu %{{.*}} : (tensor<2xf32>) -> tensor<2xf32>
func.func @relu(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = dsc.relu %x : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
