// RUN: dsc-opt %s --dsc-equalize-depthwise="profile=%S/Inputs/equalize-profile.json" | FileCheck %s
// RUN: dsc-opt %s --dsc-equalize-depthwise="profile=%S/Inputs/equalize-profile.json floor=0.25" | FileCheck %s --check-prefix=FLOOR
// RUN: not dsc-opt %s --dsc-equalize-depthwise 2>&1 | FileCheck %s --check-prefix=NOPROFILE
// NOPROFILE: error: dsc-equalize-depthwise: needs profile=FILE (dsc-calibrate)

// The depthwise conv's input x has channel ranges 4, 0.5 and 0 (R = 4):
// s = max(r, 1e-3 R) / R = [1, 0.125, 0.001]. x is divided by s before the
// conv (a mul named after the conv) and the weights (all 1) multiplied by
// s, so the conv computes what it did. A dense conv is left alone.
// CHECK-LABEL: func @main
// CHECK-DAG: %[[INV:.+]] = dsc.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}8.000000e+00]], {{\[\[}}1.000000e+03]]]]> : tensor<1x3x1x1xf32>
// CHECK-DAG: %[[W:.+]] = dsc.constant dense<{{\[\[\[\[}}1.000000e+00]]], {{\[\[\[}}1.250000e-01]]], {{\[\[\[}}1.000000e-03]]]]> : tensor<3x1x1x1xf32>
// CHECK-DAG: %[[X:.+]] = dsc.mul %arg0, %[[INV]] : (tensor<1x3x2x2xf32>, tensor<1x3x1x1xf32>) -> tensor<1x3x2x2xf32>
// CHECK: dsc.conv %[[X]], %[[W]] {{.*}}group = 3
// CHECK: dsc.conv %arg0, %{{.+}} {{.*}}: (tensor<1x3x2x2xf32>, tensor<2x3x1x1xf32>) -> tensor<1x2x2x2xf32>
// With floor=0.25 the smallest scales are 0.25: s = [1, 0.25, 0.25].
// FLOOR-DAG: dsc.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}4.000000e+00]], {{\[\[}}4.000000e+00]]]]> : tensor<1x3x1x1xf32>
func.func @main(%x: tensor<1x3x2x2xf32> {dsc.name = "x"}) -> (tensor<1x3x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = dsc.constant dense<1.0> : tensor<3x1x1x1xf32>
  %wd = dsc.constant dense<1.0> : tensor<2x3x1x1xf32>
  %0 = dsc.conv %x, %w {dilations = array<i64: 1, 1>, group = 3 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x2x2xf32>, tensor<3x1x1x1xf32>) -> tensor<1x3x2x2xf32>
  %1 = dsc.conv %x, %wd {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x2x2xf32>, tensor<2x3x1x1xf32>) -> tensor<1x2x2x2xf32>
  return %0, %1 : tensor<1x3x2x2xf32>, tensor<1x2x2x2xf32>
}
