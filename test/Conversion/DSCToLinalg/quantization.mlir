// RUN: dsc-opt %s --convert-dsc-to-linalg -split-input-file -verify-diagnostics | FileCheck %s

// Unsigned tensors become signless of the same width (arith and LLVM know
// only signless integers); dequantization zero-extends a uint8 input and
// its zero point, sign-extends an int8 one, and scales in float:
//   y = float(int32(x) - int32(zero_point)) * scale
// CHECK-LABEL: func @dequantize_uint8
// CHECK-SAME: (%[[X:.+]]: tensor<4xi8>) -> tensor<4xf32>
// CHECK: %[[ZP:.+]] = arith.constant dense<-128> : tensor<i8>
// CHECK: linalg.generic {{.*}} ins(%[[X]], %{{.+}}, %[[ZP]] : tensor<4xi8>, tensor<f32>, tensor<i8>)
// CHECK: ^bb0(%[[V:.+]]: i8, %[[S:.+]]: f32, %[[Z:.+]]: i8, %{{.+}}: f32):
// CHECK-NEXT: %[[VW:.+]] = arith.extui %[[V]] : i8 to i32
// CHECK-NEXT: %[[ZW:.+]] = arith.extui %[[Z]] : i8 to i32
// CHECK-NEXT: %[[D:.+]] = arith.subi %[[VW]], %[[ZW]] : i32
// CHECK-NEXT: %[[F:.+]] = arith.sitofp %[[D]] : i32 to f32
// CHECK-NEXT: arith.mulf %[[F]], %[[S]] : f32
func.func @dequantize_uint8(%x: tensor<4xui8>) -> tensor<4xf32> {
  %s = dsc.constant dense<0.5> : tensor<f32>
  %zp = dsc.constant dense<128> : tensor<ui8>
  %0 = dsc.dequantize_linear %x, %s, %zp : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Per-axis quantization to int8: the scale and zero point of axis 1 are
// reshaped to [C, 1] to broadcast along it;
//   y = saturate(round_half_even(x / scale) + zero_point) in [-128, 127].
// CHECK-LABEL: func @quantize_int8_per_axis
// CHECK: %[[SCALE:.+]] = tensor.reshape %{{.+}}(%{{.+}}) : (tensor<3xf32>, tensor<2xi64>) -> tensor<3x1xf32>
// CHECK: ^bb0(%[[X:.+]]: f32, %[[S:.+]]: f32, %[[Z:.+]]: i8, %{{.+}}: i8):
// CHECK-NEXT: %[[Q:.+]] = arith.divf %[[X]], %[[S]] : f32
// CHECK-NEXT: %[[R:.+]] = math.roundeven %[[Q]] : f32
// CHECK-NEXT: %[[ZW:.+]] = arith.extsi %[[Z]] : i8 to i32
// CHECK-NEXT: %[[ZF:.+]] = arith.sitofp %[[ZW]] : i32 to f32
// CHECK-NEXT: %[[SUM:.+]] = arith.addf %[[R]], %[[ZF]] : f32
// CHECK-DAG: arith.constant -1.280000e+02 : f32
// CHECK-DAG: arith.constant 1.270000e+02 : f32
// CHECK: arith.fptosi %{{.+}} : f32 to i32
// CHECK-NEXT: arith.trunci %{{.+}} : i32 to i8
func.func @quantize_int8_per_axis(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xi8> {
  %s = dsc.constant dense<[0.5, 0.25, 1.0]> : tensor<3xf32>
  %zp = dsc.constant dense<[0, 1, -1]> : tensor<3xi8>
  %0 = dsc.quantize_linear %x, %s, %zp {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3x4xi8>
  return %0 : tensor<2x3x4xi8>
}

// -----

// Int4 constants widen to i8 at compile time, keeping their values.
// CHECK-LABEL: func @int4_weights
// CHECK: arith.constant dense<[-8, 7, -1, 0]> : tensor<4xi8>
func.func @int4_weights() -> tensor<4xf32> {
  %w = dsc.constant dense<[-8, 7, -1, 0]> : tensor<4xi4>
  %s = dsc.constant dense<1.0> : tensor<f32>
  %zp = dsc.constant dense<0> : tensor<i4>
  %0 = dsc.dequantize_linear %w, %s, %zp : (tensor<4xi4>, tensor<f32>, tensor<i4>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// MatMulInteger accumulates in int32 from centred operands: a - a_zp
// (uint8, zero-extended), b - b_zp (int8, per column).
// CHECK-LABEL: func @matmul_integer
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: arith.extsi
// CHECK: arith.subi
// CHECK: linalg.generic
// CHECK: ^bb0(%[[A:.+]]: i32, %[[B:.+]]: i32, %[[ACC:.+]]: i32):
// CHECK-NEXT: %[[P:.+]] = arith.muli %[[A]], %[[B]] : i32
// CHECK-NEXT: arith.addi %[[ACC]], %[[P]] : i32
func.func @matmul_integer(%a: tensor<2x3xui8>) -> tensor<2x2xi32> {
  %b = dsc.constant dense<[[1, -2], [3, 4], [-5, 6]]> : tensor<3x2xi8>
  %azp = dsc.constant dense<3> : tensor<ui8>
  %bzp = dsc.constant dense<[0, 1]> : tensor<2xi8>
  %0 = dsc.matmul_integer %a, %b, %azp, %bzp : (tensor<2x3xui8>, tensor<3x2xi8>, tensor<ui8>, tensor<2xi8>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

// Arithmetic on unsigned tensors outside the quantization ops is refused
// (its signedness would be lost), naming the op.
func.func @unsigned_add(%a: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @below {{the lowering does not support this dsc.add yet: unsigned, bfloat16 or quantized element types}}
  %0 = dsc.add %a, %a : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// The mean of a dequantized tensor read by the pool alone comes from its
// bytes: sum(q) as floats, then (sum / count - zp) * scale; the float
// tensor (q - zp) * scale is never made.
// CHECK-LABEL: func.func @pool_of_dequantized
// CHECK: linalg.generic {{.*}}ins(%{{.*}} : tensor<1x2x2x8xi8>)
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.addf
// CHECK: arith.divf %{{.*}}, %{{.*}} : f32
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK-NOT: arith.subi
func.func @pool_of_dequantized(%q: tensor<1x2x4x4xui8>) -> tensor<1x2x1x1xf32> {
  %s = dsc.constant dense<0.5> : tensor<f32>
  %z = dsc.constant dense<3> : tensor<ui8>
  %0 = dsc.dequantize_linear %q, %s, %z : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  %1 = dsc.global_average_pool %0 : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  return %1 : tensor<1x2x1x1xf32>
}
