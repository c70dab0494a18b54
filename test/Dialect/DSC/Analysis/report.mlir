// RUN: dsc-opt %s --dsc-fold-batchnorm --dsc-report=%t.json -o /dev/null
// RUN: FileCheck %s < %t.json
// RUN: dsc-opt %s --dsc-fold-batchnorm --dsc-report=- -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE

// conv 1x3x8x8 -> 1x4x6x6 with a 3x3 kernel: MACs = 4*6*6 * 3*3*3 = 3888.
// gemm 1x144 by 144x10: MACs = 10 * 144 = 1440. Parameters (distinct float
// constants) before: 108 + 4 (conv) + 4 (BN, one constant read four times)
// + 1440 + 10 (gemm) = 1566; after folding the BN: 108 + 4 + 1440 + 10 = 1562.
// CHECK: "after": {
// CHECK: "flops": 10656,
// CHECK: "layers": [
// CHECK: "macs": 3888,
// CHECK-NEXT: "name": "conv1",
// CHECK-NEXT: "op": "dsc.conv",
// CHECK-NEXT: "parameters": 112
// CHECK: "macs": 1440,
// CHECK-NEXT: "name": "fc",
// CHECK-NEXT: "op": "dsc.gemm",
// CHECK-NEXT: "parameters": 1450
// CHECK: "macs": 5328,
// CHECK-NEXT: "ops": {
// CHECK-NEXT: "dsc.conv": 1,
// CHECK-NEXT: "dsc.flatten": 1,
// CHECK-NEXT: "dsc.gemm": 1
// CHECK: "parameters": 1562,
// CHECK: "before": {
// CHECK: "dsc.batch_norm": 1,
// CHECK: "parameters": 1566,

// TABLE: parameters{{ +}}1566{{ +}}1562
// TABLE: macs{{ +}}5328{{ +}}5328
// TABLE: dsc.batch_norm{{ +}}1{{ +}}0

func.func @main(%x: tensor<1x3x8x8xf32>) -> tensor<1x10xf32> {
  %w = dsc.constant dense<1.0> : tensor<4x3x3x3xf32>
  %b = dsc.constant dense<0.5> : tensor<4xf32>
  %p = dsc.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %fw = dsc.constant dense<0.1> : tensor<10x144xf32>
  %fb = dsc.constant dense<0.0> : tensor<10xf32>
  %0 = dsc.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32> loc("conv1")
  %1 = dsc.batch_norm %0, %p, %p, %p, %p : (tensor<1x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32> loc("bn1")
  %2 = dsc.flatten %1 : (tensor<1x4x6x6xf32>) -> tensor<1x144xf32>
  %3 = dsc.gemm %2, %fw, %fb {trans_b = 1 : i64} : (tensor<1x144xf32>, tensor<10x144xf32>, tensor<10xf32>) -> tensor<1x10xf32> loc("fc")
  return %3 : tensor<1x10xf32>
}
