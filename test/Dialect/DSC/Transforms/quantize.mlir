// RUN: dsc-opt %s --dsc-quantize="profile=%S/Inputs/quantize-profile.json" -split-input-file | FileCheck %s
// RUN: dsc-opt %s --dsc-quantize="profile=%S/Inputs/quantize-profile.json" -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: dsc-opt %s --dsc-quantize="profile=%S/Inputs/quantize-profile.json activation-type=int8 skip=Gemm" -split-input-file | FileCheck %s --check-prefix=INT8
// RUN: not dsc-opt %s --dsc-quantize -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOPROFILE
// RUN: dsc-opt %s --dsc-quantize="mode=int8-dynamic" -split-input-file | FileCheck %s --check-prefix=DYNAMIC
// RUN: not dsc-opt %s --dsc-quantize="mode=int4" -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=MODE
// RUN: not dsc-opt %s --dsc-quantize="profile=%S/Inputs/quantize-profile.json auto-skip=0.99" -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO-SKIP
// RUN: not dsc-opt %s --dsc-quantize="profile=%S/Inputs/quantize-profile.json calibration=kl" -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: not dsc-opt %s --dsc-quantize="profile=%S/Inputs/missing.json" -split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=MISSING

// conv -> relu -> global pool -> flatten -> gemm, with the profile's ranges
// (minmax): x in [-1, 1], relu in [0, 2.55], pool in [0, 1].
//
// x, uint8: scale = 2 / 255 = 7.843e-3 (as f32, a hair above), zero point
// = round(0 + 1 / scale) = round(127.49999) = 127.
// CHECK-LABEL: func @conv_relu_gemm
// CHECK-SAME: attributes {dsc.quantized = ["conv", "fc"]}
// CHECK-DAG: %[[XS:.+]] = dsc.constant dense<0.00784313772> : tensor<f32>
// CHECK-DAG: %[[XZ:.+]] = dsc.constant dense<127> : tensor<ui8>
// CHECK: %[[XQ:.+]] = dsc.quantize_linear %arg0, %[[XS]], %[[XZ]] : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x2x2xui8>
// Weights per filter, symmetric: [1.0] -> scale 1/127, q 127; [-0.5] ->
// scale 0.5/127, q -127. Bias b / (s_x s_w): 0.5 / (7.843e-3 / 127) and
// 0.25 / (7.843e-3 * 0.5 / 127), both 8096.25 -> 8096.
// CHECK-DAG: %[[W:.+]] = dsc.constant dense<[{{\[\[\[}}127]]], {{\[\[\[}}-127]]]]> : tensor<2x1x1x1xi8>
// CHECK-DAG: %[[WS:.+]] = dsc.constant dense<[0.00787401571, 0.00393700786]> : tensor<2xf32>
// CHECK-DAG: %[[WZ:.+]] = dsc.constant dense<0> : tensor<i8>
// CHECK-DAG: %[[B:.+]] = dsc.constant dense<8096> : tensor<2xi32>
// The Relu is absorbed: the output takes its range [0, 2.55], scale 0.01,
// zero point 0, where saturation clips the negatives.
// CHECK-DAG: %[[YS:.+]] = dsc.constant dense<0.00999999977> : tensor<f32>
// CHECK-DAG: %[[YZ:.+]] = dsc.constant dense<0> : tensor<ui8>
// CHECK: %[[YQ:.+]] = dsc.qlinear_conv %[[XQ]], %[[XS]], %[[XZ]], %[[W]], %[[WS]], %[[WZ]], %[[YS]], %[[YZ]], %[[B]] {{.*}} -> tensor<1x2x2x2xui8>
// CHECK: %[[Y:.+]] = dsc.dequantize_linear %[[YQ]], %[[YS]], %[[YZ]]
// CHECK-NOT: dsc.relu
// CHECK: %[[P:.+]] = dsc.global_average_pool %[[Y]]
// CHECK: %[[F:.+]] = dsc.flatten %[[P]]
// The gemm: pool range [0, 1] -> scale 1/255, zero point 0; weights
// [K=2, N=3] per column: max |w| / 127.
// CHECK: %[[FQ:.+]] = dsc.quantize_linear %[[F]]
// CHECK: %[[ACC:.+]] = dsc.matmul_integer %[[FQ]], %{{.+}}, %{{.+}}, %{{.+}} : (tensor<1x2xui8>, tensor<2x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x3xi32>
// CHECK: %[[ACCF:.+]] = dsc.cast %[[ACC]] : (tensor<1x3xi32>) -> tensor<1x3xf32>
// CHECK: %[[SCALED:.+]] = dsc.mul %[[ACCF]], %{{.+}} : (tensor<1x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
// CHECK: %[[OUT:.+]] = dsc.add %[[SCALED]], %{{.+}} : (tensor<1x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
// CHECK: return %[[OUT]]
// REMARK: remark: loc("conv"): quantized to int8 (2 filters, relu absorbed): input scale 7.843e-03 zero point 127, output scale 1.000e-02 zero point 0
// REMARK: remark: loc("fc"): quantized to int8 (2x3 weights): input scale 3.922e-03 zero point 0, float output
// int8 activations: x's zero point round(-128 + 127.49999) = -1; the relu's
// range starts at qmin = -128. The gemm stays float.
// INT8-LABEL: func @conv_relu_gemm
// INT8-DAG: dsc.constant dense<-1> : tensor<i8>
// INT8-DAG: dsc.constant dense<-128> : tensor<i8>
// INT8: dsc.qlinear_conv {{.*}} -> tensor<1x2x2x2xi8>
// INT8: dsc.gemm
// NOPROFILE: error: dsc-quantize: mode=int8 needs profile=FILE
// int8-dynamic: no profile; the conv stays float, the gemm's input is
// quantized at run time and the product rescaled by s_w[n], then s_a.
// DYNAMIC-LABEL: func @conv_relu_gemm
// DYNAMIC-SAME: attributes {dsc.quantized = ["fc"]}
// DYNAMIC: dsc.conv
// DYNAMIC: %[[Q:.+]], %[[S:.+]], %[[Z:.+]] = dsc.dynamic_quantize_linear %{{.+}} : (tensor<1x2xf32>) -> (tensor<1x2xui8>, tensor<f32>, tensor<ui8>)
// DYNAMIC: %[[ACC:.+]] = dsc.matmul_integer %[[Q]], %{{.+}}, %[[Z]], %{{.+}} : (tensor<1x2xui8>, tensor<2x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x3xi32>
// DYNAMIC: %[[F:.+]] = dsc.cast %[[ACC]]
// DYNAMIC: %[[W:.+]] = dsc.mul %[[F]], %{{.+}} : (tensor<1x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
// DYNAMIC: %[[A:.+]] = dsc.mul %[[W]], %[[S]] : (tensor<1x3xf32>, tensor<f32>) -> tensor<1x3xf32>
// DYNAMIC: dsc.add %[[A]], %{{.+}}
// MODE: error: dsc-quantize: unknown mode 'int4' (int8, int8-dynamic or weight-only)
// AUTO-SKIP: error: dsc-quantize: auto-skip runs the model on calibration data: use dsc-compile --quantize "... auto-skip=0.99" --calibration-data DIR
// METHOD: error: dsc-quantize: unknown calibration 'kl' (minmax, percentile, entropy or mse)
// MISSING: error: dsc-quantize: cannot read the profile
func.func @conv_relu_gemm(%x: tensor<1x1x2x2xf32> {dsc.name = "x"}) -> tensor<1x3xf32> {
  %w = dsc.constant dense<[[[[1.0]]], [[[-0.5]]]]> : tensor<2x1x1x1xf32>
  %b = dsc.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %c = dsc.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32> loc("conv")
  %r = dsc.relu %c : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> loc("relu")
  %p = dsc.global_average_pool %r : (tensor<1x2x2x2xf32>) -> tensor<1x2x1x1xf32> loc("pool")
  %f = dsc.flatten %p {axis = 1 : i64} : (tensor<1x2x1x1xf32>) -> tensor<1x2xf32> loc("flat")
  %fw = dsc.constant dense<[[0.5, -1.0, 0.25], [1.0, 0.5, -0.25]]> : tensor<2x3xf32>
  %fb = dsc.constant dense<[0.1, 0.2, 0.3]> : tensor<3xf32>
  %y = dsc.gemm %f, %fw, %fb : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32> loc("fc")
  return %y : tensor<1x3xf32>
}


// -----

// A ConvTranspose whose stride equals its 2x2 kernel is a 1x1 conv to
// F*4 = 16 channels, z[(f*2 + a)*2 + b] = sum_c x[c] w[c, f, a, b], and a
// depth to space (CRD): quantized as that conv, the Relu absorbed before
// the depth to space. Filter (f, a, b) of the 1x1 conv is w[0, f, a, b]:
// w[0, 0] = [[1, -1], [0.5, 0.25]] gives filters 127, -127, 127, 127.
// CHECK-LABEL: func @conv_transpose_relu
// CHECK-SAME: attributes {dsc.quantized = ["conv"]}
// CHECK: %[[XQ:.+]] = dsc.quantize_linear %arg0
// CHECK: %[[ZQ:.+]] = dsc.qlinear_conv %[[XQ]], {{.+}} : (tensor<1x1x2x2xui8>, tensor<f32>, tensor<ui8>, tensor<16x1x1x1xi8>, tensor<16xf32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<1x16x2x2xui8>
// CHECK: %[[Z:.+]] = dsc.dequantize_linear %[[ZQ]]
// CHECK: %[[Y:.+]] = dsc.depth_to_space %[[Z]] {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x16x2x2xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NOT: dsc.relu
// CHECK-NOT: dsc.conv_transpose
// CHECK: return %[[Y]]
// REMARK: remark: loc("conv"): quantized to int8 (16 filters, relu absorbed): input scale 7.843e-03 zero point 127, output scale 1.000e-02 zero point 0
func.func @conv_transpose_relu(%x: tensor<1x1x2x2xf32> {dsc.name = "x"}) -> tensor<1x4x4x4xf32> {
  %w = dsc.constant dense<[[[[1.0, -1.0], [0.5, 0.25]], [[0.5, 0.5], [0.5, 0.5]], [[-1.0, 1.0], [1.0, -1.0]], [[0.1, 0.2], [0.3, 0.4]]]]> : tensor<1x4x2x2xf32>
  %c = dsc.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x4x4x4xf32> loc("conv")
  %r = dsc.relu %c : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> loc("relu")
  return %r : tensor<1x4x4x4xf32>
}

// -----

// To one channel it is a 1x1 conv to 4: fewer than 16, faster in float.
// CHECK-LABEL: func @conv_transpose_narrow
// CHECK: dsc.conv_transpose
// REMARK: remark: loc("conv"): kept in float: a transposed conv to 4 pointwise channels (fewer than 16) runs faster in float
func.func @conv_transpose_narrow(%x: tensor<1x1x2x2xf32> {dsc.name = "x"}) -> tensor<1x1x4x4xf32> {
  %w = dsc.constant dense<[[[[1.0, -1.0], [0.5, 0.25]]]]> : tensor<1x1x2x2xf32>
  %c = dsc.conv_transpose %x, %w {dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> loc("conv")
  return %c : tensor<1x1x4x4xf32>
}
