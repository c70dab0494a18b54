// RUN: dsc-opt %s -canonicalize -split-input-file | FileCheck %s

// The values the dsc folders compute (lib/Dialect/DSC/IR/DSCFolds.cpp) and
// the cases where they must leave the IR alone.

//===----------------------------------------------------------------------===//
// Binary arithmetic of constants, with ONNX (numpy) broadcasting
//===----------------------------------------------------------------------===//

// [[1, 2, 3], [4, 5, 6]] + [10, 20, 30]: the row is added to each row.
// CHECK-LABEL: func.func @add_broadcast_row(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<{{\[\[}}1.100000e+01, 2.200000e+01, 3.300000e+01], [1.400000e+01, 2.500000e+01, 3.600000e+01]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]] : tensor<2x3xf32>
func.func @add_broadcast_row() -> tensor<2x3xf32> {
  %a = dsc.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = dsc.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %0 = dsc.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Both operands broadcast: [[1], [2]] (2x1) - [10, 20, 30] (3) is 2x3.
// CHECK-LABEL: func.func @sub_broadcast_both(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<{{\[\[}}-9.000000e+00, -1.900000e+01, -2.900000e+01], [-8.000000e+00, -1.800000e+01, -2.800000e+01]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]] : tensor<2x3xf32>
func.func @sub_broadcast_both() -> tensor<2x3xf32> {
  %a = dsc.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %b = dsc.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %0 = dsc.sub %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Integer product of a column [1, 2, 3] (3x1) and a row [2, 3].
// CHECK-LABEL: func.func @mul_integer_outer(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<{{\[\[}}2, 3], [4, 6], [6, 9]]> : tensor<3x2xi64>
// CHECK-NEXT: return %[[C]] : tensor<3x2xi64>
func.func @mul_integer_outer() -> tensor<3x2xi64> {
  %a = dsc.constant dense<[[1], [2], [3]]> : tensor<3x1xi64>
  %b = dsc.constant dense<[2, 3]> : tensor<2xi64>
  %0 = dsc.mul %a, %b : (tensor<3x1xi64>, tensor<2xi64>) -> tensor<3x2xi64>
  return %0 : tensor<3x2xi64>
}

// -----

// Division by a rank-0 tensor.
// CHECK-LABEL: func.func @div_float_by_scalar(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<[5.000000e-01, 1.000000e+00, -1.500000e+00]> : tensor<3xf32>
// CHECK-NEXT: return %[[C]] : tensor<3xf32>
func.func @div_float_by_scalar() -> tensor<3xf32> {
  %a = dsc.constant dense<[1.0, 2.0, -3.0]> : tensor<3xf32>
  %b = dsc.constant dense<2.0> : tensor<f32>
  %0 = dsc.div %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// ONNX integer Div truncates toward zero: 7/2 = 3, -7/2 = -3, 7/-2 = -3,
// -7/-2 = 3 (not floor division, which would give -4 for the mixed signs).
// CHECK-LABEL: func.func @div_integer_truncates(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<[3, -3, -3, 3]> : tensor<4xi32>
// CHECK-NEXT: return %[[C]] : tensor<4xi32>
func.func @div_integer_truncates() -> tensor<4xi32> {
  %a = dsc.constant dense<[7, -7, 7, -7]> : tensor<4xi32>
  %b = dsc.constant dense<[2, 2, -2, -2]> : tensor<4xi32>
  %0 = dsc.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Integer division by zero is left to run time.
// CHECK-LABEL: func.func @div_integer_by_zero_not_folded(
// CHECK-DAG: %[[A:.+]] = dsc.constant dense<[6, 8]> : tensor<2xi64>
// CHECK-DAG: %[[B:.+]] = dsc.constant dense<[3, 0]> : tensor<2xi64>
// CHECK: %[[D:.+]] = dsc.div %[[A]], %[[B]] : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
// CHECK-NEXT: return %[[D]] : tensor<2xi64>
func.func @div_integer_by_zero_not_folded() -> tensor<2xi64> {
  %a = dsc.constant dense<[6, 8]> : tensor<2xi64>
  %b = dsc.constant dense<[3, 0]> : tensor<2xi64>
  %0 = dsc.div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Weights in dense_resource blobs are not folded by canonicalization.
// CHECK-LABEL: func.func @resource_not_folded(
// CHECK: %[[W:.+]] = dsc.constant dense_resource<blob1> : tensor<2xf32>
// CHECK: %[[S:.+]] = dsc.add %[[W]], %[[W]] : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: return %[[S]] : tensor<2xf32>
func.func @resource_not_folded() -> tensor<2xf32> {
  %w = dsc.constant dense_resource<blob1> : tensor<2xf32>
  %0 = dsc.add %w, %w : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob1: "0x040000000000803F00000040"
    }
  }
#-}

//===----------------------------------------------------------------------===//
// Identity operands: x + 0, 0 + x, x * 1, x - 0, x / 1
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @add_zero(
// CHECK-SAME: %[[X:[^:]+]]: tensor<3xi64>)
// CHECK-NEXT: return %[[X]], %[[X]] : tensor<3xi64>, tensor<3xi64>
func.func @add_zero(%x: tensor<3xi64>) -> (tensor<3xi64>, tensor<3xi64>) {
  %zero = dsc.constant dense<0> : tensor<3xi64>
  %0 = dsc.add %x, %zero : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %1 = dsc.add %zero, %x : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %0, %1 : tensor<3xi64>, tensor<3xi64>
}

// -----

// A scalar 1 broadcasts into x without changing its shape.
// CHECK-LABEL: func.func @mul_one(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]], %[[X]] : tensor<2x3xf32>, tensor<2x3xf32>
func.func @mul_one(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %one = dsc.constant dense<1.0> : tensor<f32>
  %0 = dsc.mul %x, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = dsc.mul %one, %x : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// x - 0 is x; 0 - x is -x and stays.
// CHECK-LABEL: func.func @sub_zero(
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x4xf32>)
// CHECK-NEXT: %[[ZERO:.+]] = dsc.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[NEG:.+]] = dsc.sub %[[ZERO]], %[[X]] : (tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK-NEXT: return %[[X]], %[[NEG]] : tensor<?x4xf32>, tensor<?x4xf32>
func.func @sub_zero(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %zero = dsc.constant dense<0.0> : tensor<4xf32>
  %0 = dsc.sub %x, %zero : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %1 = dsc.sub %zero, %x : (tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0, %1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// x / 1 is x; 1 / x is a reciprocal and stays.
// CHECK-LABEL: func.func @div_one(
// CHECK-SAME: %[[X:[^:]+]]: tensor<5xf32>)
// CHECK-NEXT: %[[ONE:.+]] = dsc.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %[[RECIP:.+]] = dsc.div %[[ONE]], %[[X]] : (tensor<1xf32>, tensor<5xf32>) -> tensor<5xf32>
// CHECK-NEXT: return %[[X]], %[[RECIP]] : tensor<5xf32>, tensor<5xf32>
func.func @div_one(%x: tensor<5xf32>) -> (tensor<5xf32>, tensor<5xf32>) {
  %one = dsc.constant dense<1.0> : tensor<1xf32>
  %0 = dsc.div %x, %one : (tensor<5xf32>, tensor<1xf32>) -> tensor<5xf32>
  %1 = dsc.div %one, %x : (tensor<1xf32>, tensor<5xf32>) -> tensor<5xf32>
  return %0, %1 : tensor<5xf32>, tensor<5xf32>
}

// -----

// A zero of a bigger shape broadcasts x: the sum is not x.
// CHECK-LABEL: func.func @add_zero_broadcasting_x_not_folded(
// CHECK-SAME: %[[X:[^:]+]]: tensor<3xf32>)
// CHECK-NEXT: %[[ZERO:.+]] = dsc.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK-NEXT: %[[S:.+]] = dsc.add %[[X]], %[[ZERO]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: return %[[S]] : tensor<2x3xf32>
func.func @add_zero_broadcasting_x_not_folded(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %zero = dsc.constant dense<0.0> : tensor<2x3xf32>
  %0 = dsc.add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @mul_one_broadcasting_x_not_folded(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x1xi32>)
// CHECK-NEXT: %[[ONE:.+]] = dsc.constant dense<1> : tensor<4x3xi32>
// CHECK-NEXT: %[[P:.+]] = dsc.mul %[[X]], %[[ONE]] : (tensor<4x1xi32>, tensor<4x3xi32>) -> tensor<4x3xi32>
// CHECK-NEXT: return %[[P]] : tensor<4x3xi32>
func.func @mul_one_broadcasting_x_not_folded(%x: tensor<4x1xi32>) -> tensor<4x3xi32> {
  %one = dsc.constant dense<1> : tensor<4x3xi32>
  %0 = dsc.mul %x, %one : (tensor<4x1xi32>, tensor<4x3xi32>) -> tensor<4x3xi32>
  return %0 : tensor<4x3xi32>
}

// -----

// Only a splat of the identity folds: [1, 2] is not a "1".
// CHECK-LABEL: func.func @mul_non_splat_not_folded(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2xf32>)
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[P:.+]] = dsc.mul %[[X]], %[[C]] : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: return %[[P]] : tensor<2xf32>
func.func @mul_non_splat_not_folded(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = dsc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = dsc.mul %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

//===----------------------------------------------------------------------===//
// Unary folders
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @neg_constant(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<[-1.000000e+00, 2.500000e+00, -0.000000e+00]> : tensor<3xf32>
// CHECK-NEXT: return %[[C]] : tensor<3xf32>
func.func @neg_constant() -> tensor<3xf32> {
  %c = dsc.constant dense<[1.0, -2.5, 0.0]> : tensor<3xf32>
  %0 = dsc.neg %c : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @sqrt_constant(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<{{\[\[}}2.000000e+00, 1.500000e+00], [0.000000e+00, 1.000000e+01]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[C]] : tensor<2x2xf32>
func.func @sqrt_constant() -> tensor<2x2xf32> {
  %c = dsc.constant dense<[[4.0, 2.25], [0.0, 100.0]]> : tensor<2x2xf32>
  %0 = dsc.sqrt %c : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @relu_constant(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<[0.000000e+00, 0.000000e+00, 2.500000e+00, 0.000000e+00]> : tensor<4xf16>
// CHECK-NEXT: return %[[C]] : tensor<4xf16>
func.func @relu_constant() -> tensor<4xf16> {
  %c = dsc.constant dense<[-1.0, 0.0, 2.5, -0.5]> : tensor<4xf16>
  %0 = dsc.relu %c : (tensor<4xf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// The float unary folders do not evaluate integer tensors.
// CHECK-LABEL: func.func @neg_integer_not_folded(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<[1, 2]> : tensor<2xi64>
// CHECK-NEXT: %[[N:.+]] = dsc.neg %[[C]] : (tensor<2xi64>) -> tensor<2xi64>
// CHECK-NEXT: return %[[N]] : tensor<2xi64>
func.func @neg_integer_not_folded() -> tensor<2xi64> {
  %c = dsc.constant dense<[1, 2]> : tensor<2xi64>
  %0 = dsc.neg %c : (tensor<2xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @identity(
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x8xf32>)
// CHECK-NEXT: return %[[X]] : tensor<?x8xf32>
func.func @identity(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = dsc.identity %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @cast_same_type(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x?xf32>)
// CHECK-NEXT: return %[[X]] : tensor<2x?xf32>
func.func @cast_same_type(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %0 = dsc.cast %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// CHECK-LABEL: func.func @cast_i64_to_i32(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<[1, -2, 300, -2147483648]> : tensor<4xi32>
// CHECK-NEXT: return %[[C]] : tensor<4xi32>
func.func @cast_i64_to_i32() -> tensor<4xi32> {
  %c = dsc.constant dense<[1, -2, 300, -2147483648]> : tensor<4xi64>
  %0 = dsc.cast %c : (tensor<4xi64>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Signed integers sign-extend, unsigned ones zero-extend.
// CHECK-LABEL: func.func @cast_widening(
// CHECK-DAG: %[[S:.+]] = dsc.constant dense<[-1, 127]> : tensor<2xi64>
// CHECK-DAG: %[[U:.+]] = dsc.constant dense<[255, 7]> : tensor<2xi32>
// CHECK: return %[[S]], %[[U]] : tensor<2xi64>, tensor<2xi32>
func.func @cast_widening() -> (tensor<2xi64>, tensor<2xi32>) {
  %s = dsc.constant dense<[-1, 127]> : tensor<2xi8>
  %u = dsc.constant dense<[255, 7]> : tensor<2xui8>
  %0 = dsc.cast %s : (tensor<2xi8>) -> tensor<2xi64>
  %1 = dsc.cast %u : (tensor<2xui8>) -> tensor<2xi32>
  return %0, %1 : tensor<2xi64>, tensor<2xi32>
}

// -----

// Float to integer casts are not evaluated at compile time.
// CHECK-LABEL: func.func @cast_float_to_int_not_folded(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<[1.500000e+00, -2.500000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[R:.+]] = dsc.cast %[[C]] : (tensor<2xf32>) -> tensor<2xi64>
// CHECK-NEXT: return %[[R]] : tensor<2xi64>
func.func @cast_float_to_int_not_folded() -> tensor<2xi64> {
  %c = dsc.constant dense<[1.5, -2.5]> : tensor<2xf32>
  %0 = dsc.cast %c : (tensor<2xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

//===----------------------------------------------------------------------===//
// Reshape-like ops
//===----------------------------------------------------------------------===//

// -----

// The data keeps its row-major order; only the shape changes.
// CHECK-LABEL: func.func @reshape_constant(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<{{\[\[}}1, 2], [3, 4], [5, 6]]> : tensor<3x2xi64>
// CHECK-NEXT: return %[[C]] : tensor<3x2xi64>
func.func @reshape_constant() -> tensor<3x2xi64> {
  %c = dsc.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %s = dsc.constant dense<[3, 2]> : tensor<2xi64>
  %0 = dsc.reshape %c, %s : (tensor<2x3xi64>, tensor<2xi64>) -> tensor<3x2xi64>
  return %0 : tensor<3x2xi64>
}

// -----

// CHECK-LABEL: func.func @flatten_squeeze_unsqueeze_constants(
// CHECK-DAG: %[[F:.+]] = dsc.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[S:.+]] = dsc.constant dense<[7, 8, 9]> : tensor<3xi64>
// CHECK-DAG: %[[U:.+]] = dsc.constant dense<{{\[\[}}[7], [8], [9]]]> : tensor<1x3x1xi64>
// CHECK: return %[[F]], %[[S]], %[[U]] : tensor<2x2xf32>, tensor<3xi64>, tensor<1x3x1xi64>
func.func @flatten_squeeze_unsqueeze_constants() -> (tensor<2x2xf32>, tensor<3xi64>, tensor<1x3x1xi64>) {
  %c = dsc.constant dense<[[[1.0, 2.0]], [[3.0, 4.0]]]> : tensor<2x1x2xf32>
  %v = dsc.constant dense<[[7, 8, 9]]> : tensor<1x3xi64>
  %w = dsc.constant dense<[7, 8, 9]> : tensor<3xi64>
  %axes0 = dsc.constant dense<[0]> : tensor<1xi64>
  %axes02 = dsc.constant dense<[0, 2]> : tensor<2xi64>
  %0 = dsc.flatten %c : (tensor<2x1x2xf32>) -> tensor<2x2xf32>
  %1 = dsc.squeeze %v, %axes0 : (tensor<1x3xi64>, tensor<1xi64>) -> tensor<3xi64>
  %2 = dsc.unsqueeze %w, %axes02 : (tensor<3xi64>, tensor<2xi64>) -> tensor<1x3x1xi64>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<3xi64>, tensor<1x3x1xi64>
}

// -----

// CHECK-LABEL: func.func @reshape_like_no_ops(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[S:[^:]+]]: tensor<2xi64>, %[[AXES:[^:]+]]: tensor<0xi64>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]] : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
func.func @reshape_like_no_ops(%x: tensor<2x3xf32>, %s: tensor<2xi64>, %axes: tensor<0xi64>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = dsc.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  %1 = dsc.flatten %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = dsc.squeeze %x, %axes : (tensor<2x3xf32>, tensor<0xi64>) -> tensor<2x3xf32>
  %3 = dsc.unsqueeze %x, %axes : (tensor<2x3xf32>, tensor<0xi64>) -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// With dynamic dims the same type does not mean the same shape (a ?x? tensor
// of 2x3 may become 3x2), so these reshapes stay.
// CHECK-LABEL: func.func @reshape_dynamic_not_folded(
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x?xf32>, %[[S:[^:]+]]: tensor<2xi64>)
// CHECK-NEXT: %[[R:.+]] = dsc.reshape %[[X]], %[[S]] : (tensor<?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
// CHECK-NEXT: %[[F:.+]] = dsc.flatten %[[X]] : (tensor<?x?xf32>) -> tensor<?x?xf32>
// CHECK-NEXT: return %[[R]], %[[F]] : tensor<?x?xf32>, tensor<?x?xf32>
func.func @reshape_dynamic_not_folded(%x: tensor<?x?xf32>, %s: tensor<2xi64>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = dsc.reshape %x, %s : (tensor<?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %1 = dsc.flatten %x : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %0, %1 : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// reshape(reshape(x, [6, 4]), [2, -1]) is reshape(x, [2, -1]).
// CHECK-LABEL: func.func @reshape_reshape_merge(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[S:.+]] = dsc.constant dense<[2, -1]> : tensor<2xi64>
// CHECK-NEXT: %[[R:.+]] = dsc.reshape %[[X]], %[[S]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x12xf32>
func.func @reshape_reshape_merge(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %s1 = dsc.constant dense<[6, 4]> : tensor<2xi64>
  %s2 = dsc.constant dense<[2, -1]> : tensor<2xi64>
  %0 = dsc.reshape %x, %s1 : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %1 = dsc.reshape %0, %s2 : (tensor<6x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  return %1 : tensor<2x12xf32>
}

// -----

// A 0 in the outer shape copies a dim of the intermediate tensor (6, not x's
// 2), so the reshapes must not merge.
// CHECK-LABEL: func.func @reshape_reshape_copy_dim_not_merged(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>)
// CHECK-DAG: %[[S1:.+]] = dsc.constant dense<[6, 4]> : tensor<2xi64>
// CHECK-DAG: %[[S2:.+]] = dsc.constant dense<[0, 2, 2]> : tensor<3xi64>
// CHECK: %[[R1:.+]] = dsc.reshape %[[X]], %[[S1]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
// CHECK-NEXT: %[[R2:.+]] = dsc.reshape %[[R1]], %[[S2]] : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<6x2x2xf32>
// CHECK-NEXT: return %[[R2]] : tensor<6x2x2xf32>
func.func @reshape_reshape_copy_dim_not_merged(%x: tensor<2x3x4xf32>) -> tensor<6x2x2xf32> {
  %s1 = dsc.constant dense<[6, 4]> : tensor<2xi64>
  %s2 = dsc.constant dense<[0, 2, 2]> : tensor<3xi64>
  %0 = dsc.reshape %x, %s1 : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %1 = dsc.reshape %0, %s2 : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<6x2x2xf32>
  return %1 : tensor<6x2x2xf32>
}

//===----------------------------------------------------------------------===//
// Transpose
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @transpose_identity(
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x3x4xf32>)
// CHECK-NEXT: return %[[X]] : tensor<?x3x4xf32>
func.func @transpose_identity(%x: tensor<?x3x4xf32>) -> tensor<?x3x4xf32> {
  %0 = dsc.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<?x3x4xf32>) -> tensor<?x3x4xf32>
  return %0 : tensor<?x3x4xf32>
}

// -----

// t = transpose(x, p1), y = transpose(t, p2): y dim i is x dim p1[p2[i]].
// With p1 = p2 = [1, 2, 0] the merged perm is [2, 0, 1].
// CHECK-LABEL: func.func @transpose_transpose_merge(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[T:.+]] = dsc.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK-NEXT: return %[[T]] : tensor<4x2x3xf32>
func.func @transpose_transpose_merge(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = dsc.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = dsc.transpose %0 {perm = array<i64: 1, 2, 0>} : (tensor<3x4x2xf32>) -> tensor<4x2x3xf32>
  return %1 : tensor<4x2x3xf32>
}

// -----

// NCHW -> NHWC -> NCHW cancels out.
// CHECK-LABEL: func.func @transpose_inverse_pair(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x8x8xf32>)
// CHECK-NEXT: return %[[X]] : tensor<1x3x8x8xf32>
func.func @transpose_inverse_pair(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32> {
  %0 = dsc.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x8x8x3xf32>
  %1 = dsc.transpose %0 {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x8x8x3xf32>) -> tensor<1x3x8x8xf32>
  return %1 : tensor<1x3x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_splat(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<1.500000e+00> : tensor<3x2xf32>
// CHECK-NEXT: return %[[C]] : tensor<3x2xf32>
func.func @transpose_splat() -> tensor<3x2xf32> {
  %c = dsc.constant dense<1.5> : tensor<2x3xf32>
  %0 = dsc.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

//===----------------------------------------------------------------------===//
// Shape arithmetic: Shape, Gather, Concat
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @shape_static(
// CHECK-DAG: %[[ALL:.+]] = dsc.constant dense<[2, 3, 4]> : tensor<3xi64>
// CHECK-DAG: %[[TAIL:.+]] = dsc.constant dense<[3, 4]> : tensor<2xi64>
// CHECK-DAG: %[[MID:.+]] = dsc.constant dense<3> : tensor<1xi64>
// CHECK-DAG: %[[NONE:.+]] = dsc.constant dense<> : tensor<0xi64>
// CHECK: return %[[ALL]], %[[TAIL]], %[[MID]], %[[TAIL]], %[[NONE]] : tensor<3xi64>, tensor<2xi64>, tensor<1xi64>, tensor<2xi64>, tensor<0xi64>
func.func @shape_static(%x: tensor<2x3x4xf32>) -> (tensor<3xi64>, tensor<2xi64>, tensor<1xi64>, tensor<2xi64>, tensor<0xi64>) {
  %all = dsc.shape %x : (tensor<2x3x4xf32>) -> tensor<3xi64>
  // start = 1: dims 1 to the end.
  %tail = dsc.shape %x {start = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2xi64>
  // Negative start and end count from the back: dims [1, 2).
  %mid = dsc.shape %x {start = -2 : i64, end = -1 : i64} : (tensor<2x3x4xf32>) -> tensor<1xi64>
  // Out-of-range bounds clamp to [0, rank].
  %clamped = dsc.shape %x {start = -2 : i64, end = 10 : i64} : (tensor<2x3x4xf32>) -> tensor<2xi64>
  %none = dsc.shape %x {start = 2 : i64, end = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<0xi64>
  return %all, %tail, %mid, %clamped, %none : tensor<3xi64>, tensor<2xi64>, tensor<1xi64>, tensor<2xi64>, tensor<0xi64>
}

// -----

// The shape of a tensor with a dynamic dim folds only when the requested
// dims are all static.
// CHECK-LABEL: func.func @shape_dynamic(
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x3x4xf32>)
// CHECK-DAG: %[[HW:.+]] = dsc.constant dense<[3, 4]> : tensor<2xi64>
// CHECK-DAG: %[[S:.+]] = dsc.shape %[[X]] : (tensor<?x3x4xf32>) -> tensor<3xi64>
// CHECK-DAG: %[[N:.+]] = dsc.shape %[[X]] {end = 1 : i64} : (tensor<?x3x4xf32>) -> tensor<1xi64>
// CHECK: return %[[S]], %[[N]], %[[HW]] : tensor<3xi64>, tensor<1xi64>, tensor<2xi64>
func.func @shape_dynamic(%x: tensor<?x3x4xf32>) -> (tensor<3xi64>, tensor<1xi64>, tensor<2xi64>) {
  %0 = dsc.shape %x : (tensor<?x3x4xf32>) -> tensor<3xi64>
  %1 = dsc.shape %x {end = 1 : i64} : (tensor<?x3x4xf32>) -> tensor<1xi64>
  %2 = dsc.shape %x {start = 1 : i64} : (tensor<?x3x4xf32>) -> tensor<2xi64>
  return %0, %1, %2 : tensor<3xi64>, tensor<1xi64>, tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @concat_1d_constants(
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<[1, 2, 3, -1, 5]> : tensor<5xi64>
// CHECK-NEXT: return %[[C]] : tensor<5xi64>
func.func @concat_1d_constants() -> tensor<5xi64> {
  %a = dsc.constant dense<[1, 2]> : tensor<2xi64>
  %b = dsc.constant dense<3> : tensor<1xi64>
  %c = dsc.constant dense<[-1, 5]> : tensor<2xi64>
  %0 = dsc.concat %a, %b, %c {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<5xi64>
  return %0 : tensor<5xi64>
}

// -----

// CHECK-LABEL: func.func @concat_single_input(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x?xf32>)
// CHECK-NEXT: return %[[X]] : tensor<2x?xf32>
func.func @concat_single_input(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %0 = dsc.concat %x {axis = 1 : i64} : (tensor<2x?xf32>) -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// CHECK-LABEL: func.func @concat_non_constant_not_folded(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2xi64>)
// CHECK-NEXT: %[[C:.+]] = dsc.constant dense<[7, 8]> : tensor<2xi64>
// CHECK-NEXT: %[[R:.+]] = dsc.concat %[[C]], %[[X]] {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
// CHECK-NEXT: return %[[R]] : tensor<4xi64>
func.func @concat_non_constant_not_folded(%x: tensor<2xi64>) -> tensor<4xi64> {
  %c = dsc.constant dense<[7, 8]> : tensor<2xi64>
  %0 = dsc.concat %c, %x {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Negative indices count from the end: -1 is 40, -3 is 20.
// CHECK-LABEL: func.func @gather_negative_indices(
// CHECK-DAG: %[[V:.+]] = dsc.constant dense<[40, 10, 20]> : tensor<3xi64>
// CHECK-DAG: %[[S:.+]] = dsc.constant dense<40> : tensor<i64>
// CHECK: return %[[V]], %[[S]] : tensor<3xi64>, tensor<i64>
func.func @gather_negative_indices() -> (tensor<3xi64>, tensor<i64>) {
  %data = dsc.constant dense<[10, 20, 30, 40]> : tensor<4xi64>
  %idx = dsc.constant dense<[-1, 0, -3]> : tensor<3xi32>
  %last = dsc.constant dense<-1> : tensor<i64>
  %0 = dsc.gather %data, %idx : (tensor<4xi64>, tensor<3xi32>) -> tensor<3xi64>
  %1 = dsc.gather %data, %last : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  return %0, %1 : tensor<3xi64>, tensor<i64>
}

// -----

// An out-of-range index is an error at run time, not a fold.
// CHECK-LABEL: func.func @gather_out_of_range_not_folded(
// CHECK-DAG: %[[D:.+]] = dsc.constant dense<[10, 20, 30, 40]> : tensor<4xi64>
// CHECK-DAG: %[[I:.+]] = dsc.constant dense<[0, 4]> : tensor<2xi64>
// CHECK: %[[G:.+]] = dsc.gather %[[D]], %[[I]] : (tensor<4xi64>, tensor<2xi64>) -> tensor<2xi64>
// CHECK-NEXT: return %[[G]] : tensor<2xi64>
func.func @gather_out_of_range_not_folded() -> tensor<2xi64> {
  %data = dsc.constant dense<[10, 20, 30, 40]> : tensor<4xi64>
  %idx = dsc.constant dense<[0, 4]> : tensor<2xi64>
  %0 = dsc.gather %data, %idx : (tensor<4xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// The exporters' Shape -> Gather -> Unsqueeze -> Concat -> Reshape chain folds
// to a constant shape operand: [N, -1] with N = 2.
// CHECK-LABEL: func.func @shape_arithmetic_chain(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[S:.+]] = dsc.constant dense<[2, -1]> : tensor<2xi64>
// CHECK-NEXT: %[[R:.+]] = dsc.reshape %[[X]], %[[S]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x12xf32>
func.func @shape_arithmetic_chain(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %shape = dsc.shape %x : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %zero = dsc.constant dense<0> : tensor<i64>
  %n = dsc.gather %shape, %zero : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %axes = dsc.constant dense<[0]> : tensor<1xi64>
  %n1 = dsc.unsqueeze %n, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %minus1 = dsc.constant dense<[-1]> : tensor<1xi64>
  %target = dsc.concat %n1, %minus1 {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %0 = dsc.reshape %x, %target : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}

// -----

// Unsigned division folds as unsigned.
// CHECK-LABEL: func @div_unsigned
// CHECK: dsc.constant dense<[100, 3]> : tensor<2xui8>
func.func @div_unsigned() -> tensor<2xui8> {
  %a = dsc.constant dense<[200, 7]> : tensor<2xui8>
  %b = dsc.constant dense<2> : tensor<2xui8>
  %0 = dsc.div %a, %b : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

// Int to bool is x != 0; bool to int is 0 or 1.
// CHECK-LABEL: func @cast_bool
// CHECK-DAG: dsc.constant dense<[false, true, true]> : tensor<3xi1>
// CHECK-DAG: dsc.constant dense<[1, 0]> : tensor<2xi64>
func.func @cast_bool() -> (tensor<3xi1>, tensor<2xi64>) {
  %a = dsc.constant dense<[0, 1, 2]> : tensor<3xi64>
  %0 = dsc.cast %a : (tensor<3xi64>) -> tensor<3xi1>
  %b = dsc.constant dense<[true, false]> : tensor<2xi1>
  %1 = dsc.cast %b : (tensor<2xi1>) -> tensor<2xi64>
  return %0, %1 : tensor<3xi1>, tensor<2xi64>
}

// -----

// x + 0 does not fold when the constant could broadcast a dynamic x.
// CHECK-LABEL: func @add_zero_dynamic
// CHECK: dsc.add
func.func @add_zero_dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  %z = dsc.constant dense<-0.0> : tensor<3xf32>
  %0 = dsc.add %x, %z : (tensor<?xf32>, tensor<3xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Float x + 0.0 is not x for x = -0.0; x + (-0.0) is.
// CHECK-LABEL: func @add_float_zero
// CHECK: %[[SUM:.*]] = dsc.add %arg0
// CHECK: return %[[SUM]], %arg0
func.func @add_float_zero(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %pz = dsc.constant dense<0.0> : tensor<3xf32>
  %nz = dsc.constant dense<-0.0> : tensor<3xf32>
  %0 = dsc.add %x, %pz : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = dsc.add %x, %nz : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// Pow, Max, Min and the float unary functions of constants: the
// 1/sqrt(sqrt(d)) exporters compute for attention, among others.
// CHECK-LABEL: func @fold_float_functions
// CHECK-DAG: dsc.constant dense<0.353553385> : tensor<f32>
// CHECK-DAG: dsc.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: dsc.constant dense<[5.000000e-01, 3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: dsc.constant dense<[0.761594176, -0.761594176]> : tensor<2xf32>
// CHECK-DAG: dsc.constant dense<[2.71828175, 0.36787945]> : tensor<2xf32>
// CHECK-NOT: dsc.pow
// CHECK-NOT: dsc.max
// CHECK-NOT: dsc.min
// CHECK-NOT: dsc.tanh
func.func @fold_float_functions() -> (tensor<f32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %d = dsc.constant dense<8.0> : tensor<f32>
  %e = dsc.constant dense<-0.5> : tensor<f32>
  %x = dsc.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %y = dsc.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %p = dsc.pow %d, %e : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %max = dsc.max %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %z = dsc.constant dense<[0.5, 4.0]> : tensor<2xf32>
  %min = dsc.min %y, %z : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %t = dsc.tanh %x : (tensor<2xf32>) -> tensor<2xf32>
  %ex = dsc.exp %x : (tensor<2xf32>) -> tensor<2xf32>
  return %p, %max, %min, %t, %ex : tensor<f32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// Comparisons, logic and Where on constants (a causal mask built from
// Range/Less, as exporters write it, folds to a constant).
// CHECK-LABEL: func @fold_predicates
// CHECK-DAG: dsc.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: dsc.constant dense<[false, true, true]> : tensor<3xi1>
// CHECK-DAG: dsc.constant dense<[1.000000e+00, 5.000000e+00, 6.000000e+00]> : tensor<3xf32>
// CHECK-DAG: dsc.constant dense<[false, false, true]> : tensor<3xi1>
// CHECK-NOT: dsc.less
// CHECK-NOT: dsc.where
// CHECK-NOT: dsc.not
func.func @fold_predicates() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xf32>, tensor<3xi1>) {
  %a = dsc.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = dsc.constant dense<2.0> : tensor<f32>
  %y = dsc.constant dense<[4.0, 5.0, 6.0]> : tensor<3xf32>
  %lt = dsc.less %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  %ge = dsc.not %lt : (tensor<3xi1>) -> tensor<3xi1>
  %w = dsc.where %lt, %a, %y : (tensor<3xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %gt = dsc.greater %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  %and = dsc.and %gt, %ge : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return %lt, %ge, %w, %and : tensor<3xi1>, tensor<3xi1>, tensor<3xf32>, tensor<3xi1>
}
