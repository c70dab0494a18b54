// RUN: dsc-opt %s --dsc-quantize="mode=weight-only bits=4 block=32" -split-input-file | FileCheck %s
// RUN: dsc-opt %s --dsc-quantize="mode=weight-only bits=4 block=32" -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: dsc-opt %s --dsc-quantize="mode=weight-only bits=8 block=32" -split-input-file | FileCheck %s --check-prefix=INT8
// RUN: not dsc-opt %s --dsc-quantize="mode=weight-only bits=3" -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=BITS

// Column 0 of the weights is 0.5 everywhere, column 1 alternates -1, 1:
// one block of 32 rows each, symmetric int4 (qmax 7):
//   column 0: scale = fp16(0.5 / 7) = 0.07141..., q = round(0.5 / scale) = 7
//   column 1: scale = fp16(1 / 7) = 0.1428..., q = -7, 7, ...
// CHECK-LABEL: func @weight_only
// CHECK-SAME: attributes {dsc.quantized = ["proj"]}
// CHECK-DAG: %[[W:.+]] = dsc.constant dense<{{\[\[}}7, -7], [7, 7], [7, -7]{{.*}}> : tensor<32x2xi4>
// CHECK-DAG: %[[S:.+]] = dsc.constant dense<{{\[\[}}7.141110e-02, 1.428220e-01]]> : tensor<1x2xf16>
// CHECK: %[[Y:.+]] = dsc.matmul_weight_only %arg0, %[[W]], %[[S]] bias(%{{.+}}) {block_size = 32 : i64} : (tensor<3x32xf32>, tensor<32x2xi4>, tensor<1x2xf16>, tensor<2xf32>) -> tensor<3x2xf32>
// CHECK: return %[[Y]]
// REMARK: remark: loc("proj"): weight-only int4 (32x2 weights, blocks of 32)
// INT8: dsc.constant dense<{{\[\[}}127, -127], [127, 127]{{.*}}> : tensor<32x2xi8>
// INT8: dsc.matmul_weight_only {{.*}} : (tensor<3x32xf32>, tensor<32x2xi8>, tensor<1x2xf16>, tensor<2xf32>) -> tensor<3x2xf32>
// BITS: error: dsc-quantize: weight-only needs bits=4 or 8 and block=32, 64 or 128
func.func @weight_only(%x: tensor<3x32xf32>) -> tensor<3x2xf32> {
  %w = dsc.constant dense<[[0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0],
                           [0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0],
                           [0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0],
                           [0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0], [0.5, -1.0], [0.5, 1.0]]> : tensor<32x2xf32>
  %b = dsc.constant dense<[0.25, -0.25]> : tensor<2xf32>
  %y = dsc.gemm %x, %w, %b : (tensor<3x32xf32>, tensor<32x2xf32>, tensor<2xf32>) -> tensor<3x2xf32> loc("proj")
  return %y : tensor<3x2xf32>
}

// -----

// K = 20 is no multiple of the block: the layer stays float, and says so.
// CHECK-LABEL: func @ragged
// CHECK: dsc.matmul %
// REMARK: remark: loc("small"): kept in float: K = 20 is not a multiple of block=32
func.func @ragged(%x: tensor<1x20xf32>) -> tensor<1x4xf32> {
  %w = dsc.constant dense<0.5> : tensor<20x4xf32>
  %y = dsc.matmul %x, %w : (tensor<1x20xf32>, tensor<20x4xf32>) -> tensor<1x4xf32> loc("small")
  return %y : tensor<1x4xf32>
}
