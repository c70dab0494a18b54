// RUN: dsc-opt %s | dsc-opt | FileCheck %s

// Round trip of every dsc op: each op parses, verifies and prints back in the
// same generic form, with its operands, attributes and types. Attributes equal
// to their ODS default are elided by the printer.

// CHECK-LABEL: func.func @constants(
// CHECK-NEXT: %[[DENSE:[^ ]+]] = dsc.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: %[[SHAPE:[^ ]+]] = dsc.constant dense<[1, -1, 8]> : tensor<3xi64>
// CHECK-NEXT: %[[SPLAT:[^ ]+]] = dsc.constant dense<5.000000e-01> : tensor<4xf32>
// CHECK-NEXT: %[[MASK:[^ ]+]] = dsc.constant dense<[true, false]> : tensor<2xi1>
// CHECK-NEXT: %[[BLOB:[^ ]+]] = dsc.constant dense_resource<blob1> : tensor<2xf32>
// CHECK-NEXT: return %[[DENSE]], %[[SHAPE]], %[[SPLAT]], %[[MASK]], %[[BLOB]] : tensor<2x2xf32>, tensor<3xi64>, tensor<4xf32>, tensor<2xi1>, tensor<2xf32>
func.func @constants() -> (tensor<2x2xf32>, tensor<3xi64>, tensor<4xf32>, tensor<2xi1>, tensor<2xf32>) {
  %dense = dsc.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %shape = dsc.constant dense<[1, -1, 8]> : tensor<3xi64>
  %splat = dsc.constant dense<0.5> : tensor<4xf32>
  %mask = dsc.constant dense<[true, false]> : tensor<2xi1>
  %blob = dsc.constant dense_resource<blob1> : tensor<2xf32>
  return %dense, %shape, %splat, %mask, %blob : tensor<2x2xf32>, tensor<3xi64>, tensor<4xf32>, tensor<2xi1>, tensor<2xf32>
}

// CHECK-LABEL: func.func @identity_dropout(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x16xf32>) -> tensor<1x16xf32>
// CHECK-NEXT: %[[ID:[^ ]+]] = dsc.identity %[[X]] : (tensor<1x16xf32>) -> tensor<1x16xf32>
// CHECK-NEXT: %[[DROP:[^ ]+]] = dsc.dropout %[[ID]] {ratio = 2.000000e-01 : f32} : (tensor<1x16xf32>) -> tensor<1x16xf32>
// CHECK-NEXT: return %[[DROP]] : tensor<1x16xf32>
func.func @identity_dropout(%x: tensor<1x16xf32>) -> tensor<1x16xf32> {
  %id = dsc.identity %x : (tensor<1x16xf32>) -> tensor<1x16xf32>
  %drop = dsc.dropout %id {ratio = 0.2 : f32} : (tensor<1x16xf32>) -> tensor<1x16xf32>
  return %drop : tensor<1x16xf32>
}

// CHECK-LABEL: func.func @unary(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[B:[^:]+]]: tensor<4xi1>) -> (tensor<2x3xf32>, tensor<4xi1>, tensor<2x3xi1>)
// CHECK-NEXT: %[[ABS:[^ ]+]] = dsc.abs %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[NEG:[^ ]+]] = dsc.neg %[[ABS]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[EXP:[^ ]+]] = dsc.exp %[[NEG]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[LOG:[^ ]+]] = dsc.log %[[EXP]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[SQRT:[^ ]+]] = dsc.sqrt %[[LOG]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[RECIP:[^ ]+]] = dsc.reciprocal %[[SQRT]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[RELU:[^ ]+]] = dsc.relu %[[RECIP]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[SIGMOID:[^ ]+]] = dsc.sigmoid %[[RELU]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[TANH:[^ ]+]] = dsc.tanh %[[SIGMOID]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[ERF:[^ ]+]] = dsc.erf %[[TANH]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[FLOOR:[^ ]+]] = dsc.floor %[[ERF]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[CEIL:[^ ]+]] = dsc.ceil %[[FLOOR]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[ROUND:[^ ]+]] = dsc.round %[[CEIL]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[SIGN:[^ ]+]] = dsc.sign %[[ROUND]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[SIN:[^ ]+]] = dsc.sin %[[SIGN]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[COS:[^ ]+]] = dsc.cos %[[SIN]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[SOFTPLUS:[^ ]+]] = dsc.softplus %[[COS]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[SOFTSIGN:[^ ]+]] = dsc.softsign %[[SOFTPLUS]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[HSWISH:[^ ]+]] = dsc.hard_swish %[[SOFTSIGN]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[NOT:[^ ]+]] = dsc.not %[[B]] : (tensor<4xi1>) -> tensor<4xi1>
// CHECK-NEXT: %[[NAN:[^ ]+]] = dsc.isnan %[[HSWISH]] : (tensor<2x3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: return %[[HSWISH]], %[[NOT]], %[[NAN]] : tensor<2x3xf32>, tensor<4xi1>, tensor<2x3xi1>
func.func @unary(%x: tensor<2x3xf32>, %b: tensor<4xi1>) -> (tensor<2x3xf32>, tensor<4xi1>, tensor<2x3xi1>) {
  %abs = dsc.abs %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %neg = dsc.neg %abs : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %exp = dsc.exp %neg : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %log = dsc.log %exp : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %sqrt = dsc.sqrt %log : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %recip = dsc.reciprocal %sqrt : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %relu = dsc.relu %recip : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %sigmoid = dsc.sigmoid %relu : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %tanh = dsc.tanh %sigmoid : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %erf = dsc.erf %tanh : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %floor = dsc.floor %erf : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %ceil = dsc.ceil %floor : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %round = dsc.round %ceil : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %sign = dsc.sign %round : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %sin = dsc.sin %sign : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %cos = dsc.cos %sin : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %softplus = dsc.softplus %cos : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %softsign = dsc.softsign %softplus : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %hswish = dsc.hard_swish %softsign : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %not = dsc.not %b : (tensor<4xi1>) -> tensor<4xi1>
  %nan = dsc.isnan %hswish : (tensor<2x3xf32>) -> tensor<2x3xi1>
  return %hswish, %not, %nan : tensor<2x3xf32>, tensor<4xi1>, tensor<2x3xi1>
}

// CHECK-LABEL: func.func @unary_with_attributes(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x?x?xf32>) -> tensor<1x8x?x?xf32>
// CHECK-NEXT: %[[HSIG:[^ ]+]] = dsc.hard_sigmoid %[[X]] {alpha = 0.166666672 : f32} : (tensor<1x8x?x?xf32>) -> tensor<1x8x?x?xf32>
// CHECK-NEXT: %[[LEAKY:[^ ]+]] = dsc.leaky_relu %[[HSIG]] {alpha = 1.000000e-01 : f32} : (tensor<1x8x?x?xf32>) -> tensor<1x8x?x?xf32>
// CHECK-NEXT: %[[ELU:[^ ]+]] = dsc.elu %[[LEAKY]] {alpha = 5.000000e-01 : f32} : (tensor<1x8x?x?xf32>) -> tensor<1x8x?x?xf32>
// CHECK-NEXT: %[[GELU:[^ ]+]] = dsc.gelu %[[ELU]] {approximate = "tanh"} : (tensor<1x8x?x?xf32>) -> tensor<1x8x?x?xf32>
// CHECK-NEXT: return %[[GELU]] : tensor<1x8x?x?xf32>
func.func @unary_with_attributes(%x: tensor<1x8x?x?xf32>) -> tensor<1x8x?x?xf32> {
  %hsig = dsc.hard_sigmoid %x {alpha = 0.166666672 : f32, beta = 5.000000e-01 : f32} : (tensor<1x8x?x?xf32>) -> tensor<1x8x?x?xf32>
  %leaky = dsc.leaky_relu %hsig {alpha = 1.000000e-01 : f32} : (tensor<1x8x?x?xf32>) -> tensor<1x8x?x?xf32>
  %elu = dsc.elu %leaky {alpha = 5.000000e-01 : f32} : (tensor<1x8x?x?xf32>) -> tensor<1x8x?x?xf32>
  %gelu = dsc.gelu %elu {approximate = "tanh"} : (tensor<1x8x?x?xf32>) -> tensor<1x8x?x?xf32>
  return %gelu : tensor<1x8x?x?xf32>
}

// CHECK-LABEL: func.func @cast_clip(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[LO:[^:]+]]: tensor<f32>, %[[HI:[^:]+]]: tensor<f32>) -> (tensor<2x3xf32>, tensor<2x3xi64>)
// CHECK-NEXT: %[[CLIP:[^ ]+]] = dsc.clip %[[X]], %[[LO]], %[[HI]] : (tensor<2x3xf32>, tensor<f32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[CAST:[^ ]+]] = dsc.cast %[[CLIP]] : (tensor<2x3xf32>) -> tensor<2x3xi64>
// CHECK-NEXT: return %[[CLIP]], %[[CAST]] : tensor<2x3xf32>, tensor<2x3xi64>
func.func @cast_clip(%x: tensor<2x3xf32>, %lo: tensor<f32>, %hi: tensor<f32>) -> (tensor<2x3xf32>, tensor<2x3xi64>) {
  %clip = dsc.clip %x, %lo, %hi : (tensor<2x3xf32>, tensor<f32>, tensor<f32>) -> tensor<2x3xf32>
  %cast = dsc.cast %clip : (tensor<2x3xf32>) -> tensor<2x3xi64>
  return %clip, %cast : tensor<2x3xf32>, tensor<2x3xi64>
}

// CHECK-LABEL: func.func @binary_arith(
// CHECK-SAME: %[[A:[^:]+]]: tensor<2x1x4xf32>, %[[B:[^:]+]]: tensor<3x1xf32>, %[[C:[^:]+]]: tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[ADD:[^ ]+]] = dsc.add %[[A]], %[[B]] : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[SUB:[^ ]+]] = dsc.sub %[[ADD]], %[[C]] : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[MUL:[^ ]+]] = dsc.mul %[[SUB]], %[[B]] : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[DIV:[^ ]+]] = dsc.div %[[MUL]], %[[A]] : (tensor<2x3x4xf32>, tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[POW:[^ ]+]] = dsc.pow %[[DIV]], %[[C]] : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[MAX:[^ ]+]] = dsc.max %[[POW]], %[[C]] : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[MIN:[^ ]+]] = dsc.min %[[MAX]], %[[C]] : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[MOD:[^ ]+]] = dsc.mod %[[MIN]], %[[B]] {fmod = 1 : i64} : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[PRELU:[^ ]+]] = dsc.prelu %[[MOD]], %[[B]] : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: return %[[PRELU]] : tensor<2x3x4xf32>
func.func @binary_arith(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>, %c: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %add = dsc.add %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %sub = dsc.sub %add, %c : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %mul = dsc.mul %sub, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %div = dsc.div %mul, %a : (tensor<2x3x4xf32>, tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
  %pow = dsc.pow %div, %c : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %max = dsc.max %pow, %c : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %min = dsc.min %max, %c : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %mod = dsc.mod %min, %b {fmod = 1 : i64} : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %prelu = dsc.prelu %mod, %b : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %prelu : tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @binary_integer_mod(
// CHECK-SAME: %[[A:[^:]+]]: tensor<?x4xi32>, %[[B:[^:]+]]: tensor<4xi32>) -> tensor<?x4xi32>
// CHECK-NEXT: %[[MOD:[^ ]+]] = dsc.mod %[[A]], %[[B]] : (tensor<?x4xi32>, tensor<4xi32>) -> tensor<?x4xi32>
// CHECK-NEXT: return %[[MOD]] : tensor<?x4xi32>
func.func @binary_integer_mod(%a: tensor<?x4xi32>, %b: tensor<4xi32>) -> tensor<?x4xi32> {
  %mod = dsc.mod %a, %b : (tensor<?x4xi32>, tensor<4xi32>) -> tensor<?x4xi32>
  return %mod : tensor<?x4xi32>
}

// CHECK-LABEL: func.func @binary_logic(
// CHECK-SAME: %[[P:[^:]+]]: tensor<4xi1>, %[[Q:[^:]+]]: tensor<1xi1>) -> tensor<4xi1>
// CHECK-NEXT: %[[AND:[^ ]+]] = dsc.and %[[P]], %[[Q]] : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
// CHECK-NEXT: %[[OR:[^ ]+]] = dsc.or %[[AND]], %[[P]] : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK-NEXT: %[[XOR:[^ ]+]] = dsc.xor %[[OR]], %[[Q]] : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
// CHECK-NEXT: return %[[XOR]] : tensor<4xi1>
func.func @binary_logic(%p: tensor<4xi1>, %q: tensor<1xi1>) -> tensor<4xi1> {
  %and = dsc.and %p, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  %or = dsc.or %and, %p : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %xor = dsc.xor %or, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  return %xor : tensor<4xi1>
}

// CHECK-LABEL: func.func @compare_where(
// CHECK-SAME: %[[A:[^:]+]]: tensor<2x3xf32>, %[[B:[^:]+]]: tensor<3xf32>) -> (tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xf32>)
// CHECK-NEXT: %[[EQ:[^ ]+]] = dsc.equal %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %[[LT:[^ ]+]] = dsc.less %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %[[LE:[^ ]+]] = dsc.less_or_equal %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %[[GT:[^ ]+]] = dsc.greater %[[B]], %[[A]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %[[GE:[^ ]+]] = dsc.greater_or_equal %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %[[SEL:[^ ]+]] = dsc.where %[[GT]], %[[A]], %[[B]] : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: return %[[EQ]], %[[LT]], %[[LE]], %[[GE]], %[[SEL]] : tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xf32>
func.func @compare_where(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xf32>) {
  %eq = dsc.equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %lt = dsc.less %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %le = dsc.less_or_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %gt = dsc.greater %b, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
  %ge = dsc.greater_or_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %sel = dsc.where %gt, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %eq, %lt, %le, %ge, %sel : tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x4x16x16xf32>, %[[W:[^:]+]]: tensor<8x2x3x3xf32>, %[[B:[^:]+]]: tensor<8xf32>, %[[W1:[^:]+]]: tensor<16x8x1x1xf32>) -> (tensor<1x8x8x8xf32>, tensor<1x16x8x8xf32>)
// CHECK-NEXT: %[[CONV:[^ ]+]] = dsc.conv %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x16x16xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
// CHECK-NEXT: %[[POINTWISE:[^ ]+]] = dsc.conv %[[CONV]], %[[W1]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x8x8xf32>
// CHECK-NEXT: return %[[CONV]], %[[POINTWISE]] : tensor<1x8x8x8xf32>, tensor<1x16x8x8xf32>
func.func @conv(%x: tensor<1x4x16x16xf32>, %w: tensor<8x2x3x3xf32>, %b: tensor<8xf32>, %w1: tensor<16x8x1x1xf32>) -> (tensor<1x8x8x8xf32>, tensor<1x16x8x8xf32>) {
  %conv = dsc.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x16x16xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %pointwise = dsc.conv %conv, %w1 {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x8x8xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x8x8xf32>
  return %conv, %pointwise : tensor<1x8x8x8xf32>, tensor<1x16x8x8xf32>
}

// CHECK-LABEL: func.func @conv_1d_dilated(
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x3x32xf32>, %[[W:[^:]+]]: tensor<6x3x5xf32>) -> tensor<?x6x24xf32>
// CHECK-NEXT: %[[CONV:[^ ]+]] = dsc.conv %[[X]], %[[W]] {dilations = array<i64: 2>, pads = array<i64: 0, 0>, strides = array<i64: 1>} : (tensor<?x3x32xf32>, tensor<6x3x5xf32>) -> tensor<?x6x24xf32>
// CHECK-NEXT: return %[[CONV]] : tensor<?x6x24xf32>
func.func @conv_1d_dilated(%x: tensor<?x3x32xf32>, %w: tensor<6x3x5xf32>) -> tensor<?x6x24xf32> {
  %conv = dsc.conv %x, %w {dilations = array<i64: 2>, pads = array<i64: 0, 0>, strides = array<i64: 1>} : (tensor<?x3x32xf32>, tensor<6x3x5xf32>) -> tensor<?x6x24xf32>
  return %conv : tensor<?x6x24xf32>
}

// CHECK-LABEL: func.func @conv_transpose(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x4x4xf32>, %[[W:[^:]+]]: tensor<8x2x3x3xf32>, %[[B:[^:]+]]: tensor<4xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %[[UP:[^ ]+]] = dsc.conv_transpose %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: return %[[UP]] : tensor<1x4x8x8xf32>
func.func @conv_transpose(%x: tensor<1x8x4x4xf32>, %w: tensor<8x2x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %up = dsc.conv_transpose %x, %w, %b {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return %up : tensor<1x4x8x8xf32>
}

// CHECK-LABEL: func.func @gemm_matmul(
// CHECK-SAME: %[[A:[^:]+]]: tensor<4x8xf32>, %[[B:[^:]+]]: tensor<16x8xf32>, %[[C:[^:]+]]: tensor<16xf32>, %[[X:[^:]+]]: tensor<2x?x8x16xf32>, %[[Y:[^:]+]]: tensor<16x4xf32>) -> (tensor<4x16xf32>, tensor<2x?x8x4xf32>)
// CHECK-NEXT: %[[GEMM:[^ ]+]] = dsc.gemm %[[A]], %[[B]], %[[C]] {alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, trans_b = 1 : i64} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: %[[MM:[^ ]+]] = dsc.matmul %[[X]], %[[Y]] : (tensor<2x?x8x16xf32>, tensor<16x4xf32>) -> tensor<2x?x8x4xf32>
// CHECK-NEXT: return %[[GEMM]], %[[MM]] : tensor<4x16xf32>, tensor<2x?x8x4xf32>
func.func @gemm_matmul(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>, %c: tensor<16xf32>, %x: tensor<2x?x8x16xf32>, %y: tensor<16x4xf32>) -> (tensor<4x16xf32>, tensor<2x?x8x4xf32>) {
  %gemm = dsc.gemm %a, %b, %c {alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, trans_b = 1 : i64} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %mm = dsc.matmul %x, %y : (tensor<2x?x8x16xf32>, tensor<16x4xf32>) -> tensor<2x?x8x4xf32>
  return %gemm, %mm : tensor<4x16xf32>, tensor<2x?x8x4xf32>
}

// CHECK-LABEL: func.func @gemm_transposed_a_no_c(
// CHECK-SAME: %[[A:[^:]+]]: tensor<8x4xf32>, %[[B:[^:]+]]: tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: %[[GEMM:[^ ]+]] = dsc.gemm %[[A]], %[[B]] {trans_a = 1 : i64} : (tensor<8x4xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: return %[[GEMM]] : tensor<4x16xf32>
func.func @gemm_transposed_a_no_c(%a: tensor<8x4xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %gemm = dsc.gemm %a, %b {trans_a = 1 : i64} : (tensor<8x4xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %gemm : tensor<4x16xf32>
}

// CHECK-LABEL: func.func @normalization(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x8x4x4xf32>, %[[SCALE:[^:]+]]: tensor<8xf32>, %[[BIAS:[^:]+]]: tensor<8xf32>, %[[MEAN:[^:]+]]: tensor<8xf32>, %[[VAR:[^:]+]]: tensor<8xf32>, %[[T:[^:]+]]: tensor<2x10x64xf32>, %[[G:[^:]+]]: tensor<64xf32>, %[[BETA:[^:]+]]: tensor<64xf32>) -> (tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>, tensor<2x10x64xf32>, tensor<2x10x64xf32>)
// CHECK-NEXT: %[[BN:[^ ]+]] = dsc.batch_norm %[[X]], %[[SCALE]], %[[BIAS]], %[[MEAN]], %[[VAR]] {epsilon = 1.000000e-03 : f32} : (tensor<2x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8x4x4xf32>
// CHECK-NEXT: %[[IN:[^ ]+]] = dsc.instance_norm %[[BN]], %[[SCALE]], %[[BIAS]] {epsilon = 1.000000e-03 : f32} : (tensor<2x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8x4x4xf32>
// CHECK-NEXT: %[[LN:[^ ]+]] = dsc.layer_norm %[[T]], %[[G]], %[[BETA]] {axis = 2 : i64, epsilon = 9.99999996E-13 : f32} : (tensor<2x10x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x10x64xf32>
// CHECK-NEXT: %[[LN_NOBIAS:[^ ]+]] = dsc.layer_norm %[[LN]], %[[G]] : (tensor<2x10x64xf32>, tensor<64xf32>) -> tensor<2x10x64xf32>
// CHECK-NEXT: return %[[BN]], %[[IN]], %[[LN]], %[[LN_NOBIAS]] : tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>, tensor<2x10x64xf32>, tensor<2x10x64xf32>
func.func @normalization(%x: tensor<2x8x4x4xf32>, %scale: tensor<8xf32>, %bias: tensor<8xf32>, %mean: tensor<8xf32>, %var: tensor<8xf32>, %t: tensor<2x10x64xf32>, %g: tensor<64xf32>, %beta: tensor<64xf32>) -> (tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>, tensor<2x10x64xf32>, tensor<2x10x64xf32>) {
  %bn = dsc.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.000000e-03 : f32} : (tensor<2x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8x4x4xf32>
  %in = dsc.instance_norm %bn, %scale, %bias {epsilon = 1.000000e-03 : f32} : (tensor<2x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8x4x4xf32>
  %ln = dsc.layer_norm %t, %g, %beta {axis = 2 : i64, epsilon = 9.99999996E-13 : f32} : (tensor<2x10x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x10x64xf32>
  %ln_nobias = dsc.layer_norm %ln, %g : (tensor<2x10x64xf32>, tensor<64xf32>) -> tensor<2x10x64xf32>
  return %bn, %in, %ln, %ln_nobias : tensor<2x8x4x4xf32>, tensor<2x8x4x4xf32>, tensor<2x10x64xf32>, tensor<2x10x64xf32>
}

// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x10x32xf32>) -> (tensor<2x10x32xf32>, tensor<2x10x32xf32>)
// CHECK-NEXT: %[[SM:[^ ]+]] = dsc.softmax %[[X]] : (tensor<2x10x32xf32>) -> tensor<2x10x32xf32>
// CHECK-NEXT: %[[LSM:[^ ]+]] = dsc.log_softmax %[[X]] {axis = 1 : i64} : (tensor<2x10x32xf32>) -> tensor<2x10x32xf32>
// CHECK-NEXT: return %[[SM]], %[[LSM]] : tensor<2x10x32xf32>, tensor<2x10x32xf32>
func.func @softmax(%x: tensor<2x10x32xf32>) -> (tensor<2x10x32xf32>, tensor<2x10x32xf32>) {
  %sm = dsc.softmax %x : (tensor<2x10x32xf32>) -> tensor<2x10x32xf32>
  %lsm = dsc.log_softmax %x {axis = 1 : i64} : (tensor<2x10x32xf32>) -> tensor<2x10x32xf32>
  return %sm, %lsm : tensor<2x10x32xf32>, tensor<2x10x32xf32>
}

// CHECK-LABEL: func.func @pooling(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x16x32x32xf32>) -> (tensor<1x16x16x16xf32>, tensor<1x16x17x17xf32>, tensor<1x16x1x1xf32>, tensor<1x16x1x1xf32>)
// CHECK-NEXT: %[[MAXP:[^ ]+]] = dsc.max_pool %[[X]] {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x32x32xf32>) -> tensor<1x16x16x16xf32>
// CHECK-NEXT: %[[AVGP:[^ ]+]] = dsc.average_pool %[[X]] {ceil_mode = 1 : i64, count_include_pad = 1 : i64, kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x32x32xf32>) -> tensor<1x16x17x17xf32>
// CHECK-NEXT: %[[GAP:[^ ]+]] = dsc.global_average_pool %[[X]] : (tensor<1x16x32x32xf32>) -> tensor<1x16x1x1xf32>
// CHECK-NEXT: %[[GMP:[^ ]+]] = dsc.global_max_pool %[[X]] : (tensor<1x16x32x32xf32>) -> tensor<1x16x1x1xf32>
// CHECK-NEXT: return %[[MAXP]], %[[AVGP]], %[[GAP]], %[[GMP]] : tensor<1x16x16x16xf32>, tensor<1x16x17x17xf32>, tensor<1x16x1x1xf32>, tensor<1x16x1x1xf32>
func.func @pooling(%x: tensor<1x16x32x32xf32>) -> (tensor<1x16x16x16xf32>, tensor<1x16x17x17xf32>, tensor<1x16x1x1xf32>, tensor<1x16x1x1xf32>) {
  %maxp = dsc.max_pool %x {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x32x32xf32>) -> tensor<1x16x16x16xf32>
  %avgp = dsc.average_pool %x {ceil_mode = 1 : i64, count_include_pad = 1 : i64, kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x32x32xf32>) -> tensor<1x16x17x17xf32>
  %gap = dsc.global_average_pool %x : (tensor<1x16x32x32xf32>) -> tensor<1x16x1x1xf32>
  %gmp = dsc.global_max_pool %x : (tensor<1x16x32x32xf32>) -> tensor<1x16x1x1xf32>
  return %maxp, %avgp, %gap, %gmp : tensor<1x16x16x16xf32>, tensor<1x16x17x17xf32>, tensor<1x16x1x1xf32>, tensor<1x16x1x1xf32>
}

// CHECK-LABEL: func.func @max_pool_ceil(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x7x7xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %[[P:[^ ]+]] = dsc.max_pool %[[X]] {ceil_mode = 1 : i64, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x7x7xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT: return %[[P]] : tensor<1x3x4x4xf32>
func.func @max_pool_ceil(%x: tensor<1x3x7x7xf32>) -> tensor<1x3x4x4xf32> {
  %p = dsc.max_pool %x {ceil_mode = 1 : i64, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x7x7xf32>) -> tensor<1x3x4x4xf32>
  return %p : tensor<1x3x4x4xf32>
}

// CHECK-LABEL: func.func @reductions(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4xf32>, %[[AXES:[^:]+]]: tensor<2xi64>, %[[NONE:[^:]+]]: tensor<0xi64>) -> (tensor<2x1x1xf32>, tensor<2xf32>, tensor<2x1x1xf32>, tensor<2xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x3x4xf32>)
// CHECK-NEXT: %[[MEAN:[^ ]+]] = dsc.reduce_mean %[[X]], %[[AXES]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
// CHECK-NEXT: %[[SUM:[^ ]+]] = dsc.reduce_sum %[[X]], %[[AXES]] {keepdims = 0 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2xf32>
// CHECK-NEXT: %[[MAX:[^ ]+]] = dsc.reduce_max %[[X]], %[[AXES]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
// CHECK-NEXT: %[[MIN:[^ ]+]] = dsc.reduce_min %[[X]], %[[AXES]] {keepdims = 0 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2xf32>
// CHECK-NEXT: %[[PROD:[^ ]+]] = dsc.reduce_prod %[[X]], %[[AXES]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
// CHECK-NEXT: %[[L1:[^ ]+]] = dsc.reduce_l1 %[[X]], %[[AXES]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
// CHECK-NEXT: %[[L2:[^ ]+]] = dsc.reduce_l2 %[[X]], %[[AXES]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
// CHECK-NEXT: %[[SSQ:[^ ]+]] = dsc.reduce_sum_square %[[X]], %[[AXES]] : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
// CHECK-NEXT: %[[LSE:[^ ]+]] = dsc.reduce_log_sum_exp %[[X]], %[[NONE]] {noop_with_empty_axes = 1 : i64} : (tensor<2x3x4xf32>, tensor<0xi64>) -> tensor<2x3x4xf32>
// CHECK-NEXT: return %[[MEAN]], %[[SUM]], %[[MAX]], %[[MIN]], %[[PROD]], %[[L1]], %[[L2]], %[[SSQ]], %[[LSE]] : tensor<2x1x1xf32>, tensor<2xf32>, tensor<2x1x1xf32>, tensor<2xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x3x4xf32>
func.func @reductions(%x: tensor<2x3x4xf32>, %axes: tensor<2xi64>, %none: tensor<0xi64>) -> (tensor<2x1x1xf32>, tensor<2xf32>, tensor<2x1x1xf32>, tensor<2xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x3x4xf32>) {
  %mean = dsc.reduce_mean %x, %axes : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
  %sum = dsc.reduce_sum %x, %axes {keepdims = 0 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2xf32>
  %max = dsc.reduce_max %x, %axes : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
  %min = dsc.reduce_min %x, %axes {keepdims = 0 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2xf32>
  %prod = dsc.reduce_prod %x, %axes : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
  %l1 = dsc.reduce_l1 %x, %axes : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
  %l2 = dsc.reduce_l2 %x, %axes : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
  %ssq = dsc.reduce_sum_square %x, %axes : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x1x1xf32>
  %lse = dsc.reduce_log_sum_exp %x, %none {noop_with_empty_axes = 1 : i64} : (tensor<2x3x4xf32>, tensor<0xi64>) -> tensor<2x3x4xf32>
  return %mean, %sum, %max, %min, %prod, %l1, %l2, %ssq, %lse : tensor<2x1x1xf32>, tensor<2xf32>, tensor<2x1x1xf32>, tensor<2xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @arg_reductions(
// CHECK-SAME: %[[X:[^:]+]]: tensor<4x10xf32>) -> (tensor<4xi64>, tensor<1x10xi64>)
// CHECK-NEXT: %[[AMAX:[^ ]+]] = dsc.arg_max %[[X]] {axis = 1 : i64, keepdims = 0 : i64} : (tensor<4x10xf32>) -> tensor<4xi64>
// CHECK-NEXT: %[[AMIN:[^ ]+]] = dsc.arg_min %[[X]] {select_last_index = 1 : i64} : (tensor<4x10xf32>) -> tensor<1x10xi64>
// CHECK-NEXT: return %[[AMAX]], %[[AMIN]] : tensor<4xi64>, tensor<1x10xi64>
func.func @arg_reductions(%x: tensor<4x10xf32>) -> (tensor<4xi64>, tensor<1x10xi64>) {
  %amax = dsc.arg_max %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<4x10xf32>) -> tensor<4xi64>
  %amin = dsc.arg_min %x {select_last_index = 1 : i64} : (tensor<4x10xf32>) -> tensor<1x10xi64>
  return %amax, %amin : tensor<4xi64>, tensor<1x10xi64>
}

// CHECK-LABEL: func.func @reshapes(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x4x5xf32>, %[[SHAPE:[^:]+]]: tensor<3xi64>, %[[AXES:[^:]+]]: tensor<1xi64>) -> (tensor<3x4x5xf32>, tensor<1x60xf32>, tensor<3x4x5xf32>, tensor<1x3x1x4x5xf32>)
// CHECK-NEXT: %[[R:[^ ]+]] = dsc.reshape %[[X]], %[[SHAPE]] {allowzero = 1 : i64} : (tensor<1x3x4x5xf32>, tensor<3xi64>) -> tensor<3x4x5xf32>
// CHECK-NEXT: %[[F:[^ ]+]] = dsc.flatten %[[X]] : (tensor<1x3x4x5xf32>) -> tensor<1x60xf32>
// CHECK-NEXT: %[[S:[^ ]+]] = dsc.squeeze %[[X]], %[[AXES]] : (tensor<1x3x4x5xf32>, tensor<1xi64>) -> tensor<3x4x5xf32>
// CHECK-NEXT: %[[U:[^ ]+]] = dsc.unsqueeze %[[X]], %[[AXES]] : (tensor<1x3x4x5xf32>, tensor<1xi64>) -> tensor<1x3x1x4x5xf32>
// CHECK-NEXT: return %[[R]], %[[F]], %[[S]], %[[U]] : tensor<3x4x5xf32>, tensor<1x60xf32>, tensor<3x4x5xf32>, tensor<1x3x1x4x5xf32>
func.func @reshapes(%x: tensor<1x3x4x5xf32>, %shape: tensor<3xi64>, %axes: tensor<1xi64>) -> (tensor<3x4x5xf32>, tensor<1x60xf32>, tensor<3x4x5xf32>, tensor<1x3x1x4x5xf32>) {
  %r = dsc.reshape %x, %shape {allowzero = 1 : i64} : (tensor<1x3x4x5xf32>, tensor<3xi64>) -> tensor<3x4x5xf32>
  %f = dsc.flatten %x : (tensor<1x3x4x5xf32>) -> tensor<1x60xf32>
  %s = dsc.squeeze %x, %axes : (tensor<1x3x4x5xf32>, tensor<1xi64>) -> tensor<3x4x5xf32>
  %u = dsc.unsqueeze %x, %axes : (tensor<1x3x4x5xf32>, tensor<1xi64>) -> tensor<1x3x1x4x5xf32>
  return %r, %f, %s, %u : tensor<3x4x5xf32>, tensor<1x60xf32>, tensor<3x4x5xf32>, tensor<1x3x1x4x5xf32>
}

// CHECK-LABEL: func.func @flatten_axis(
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
// CHECK-NEXT: %[[F:[^ ]+]] = dsc.flatten %[[X]] {axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
// CHECK-NEXT: return %[[F]] : tensor<6x20xf32>
func.func @flatten_axis(%x: tensor<2x3x4x5xf32>) -> tensor<6x20xf32> {
  %f = dsc.flatten %x {axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
  return %f : tensor<6x20xf32>
}

// CHECK-LABEL: func.func @transpose_concat(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x4x5xf32>, %[[Y:[^:]+]]: tensor<1x4x5x2xf32>, %[[Z:[^:]+]]: tensor<1x4x5x?xf32>) -> tensor<1x4x5x?xf32>
// CHECK-NEXT: %[[T:[^ ]+]] = dsc.transpose %[[X]] {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>
// CHECK-NEXT: %[[CAT:[^ ]+]] = dsc.concat %[[T]], %[[Y]], %[[Z]] {axis = 3 : i64} : (tensor<1x4x5x3xf32>, tensor<1x4x5x2xf32>, tensor<1x4x5x?xf32>) -> tensor<1x4x5x?xf32>
// CHECK-NEXT: return %[[CAT]] : tensor<1x4x5x?xf32>
func.func @transpose_concat(%x: tensor<1x3x4x5xf32>, %y: tensor<1x4x5x2xf32>, %z: tensor<1x4x5x?xf32>) -> tensor<1x4x5x?xf32> {
  %t = dsc.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>
  %cat = dsc.concat %t, %y, %z {axis = 3 : i64} : (tensor<1x4x5x3xf32>, tensor<1x4x5x2xf32>, tensor<1x4x5x?xf32>) -> tensor<1x4x5x?xf32>
  return %cat : tensor<1x4x5x?xf32>
}

// CHECK-LABEL: func.func @split_slice(
// CHECK-SAME: %[[X:[^:]+]]: tensor<6x8xf32>, %[[SIZES:[^:]+]]: tensor<3xi64>, %[[STARTS:[^:]+]]: tensor<2xi64>, %[[ENDS:[^:]+]]: tensor<2xi64>, %[[AXES:[^:]+]]: tensor<2xi64>, %[[STEPS:[^:]+]]: tensor<2xi64>) -> (tensor<1x8xf32>, tensor<2x8xf32>, tensor<3x8xf32>, tensor<3x3xf32>)
// CHECK-NEXT: %[[PARTS:[^:]+]]:3 = dsc.split %[[X]], %[[SIZES]] {axis = 0 : i64} : (tensor<6x8xf32>, tensor<3xi64>) -> (tensor<1x8xf32>, tensor<2x8xf32>, tensor<3x8xf32>)
// CHECK-NEXT: %[[SLICE:[^ ]+]] = dsc.slice %[[X]], %[[STARTS]], %[[ENDS]], %[[AXES]], %[[STEPS]] : (tensor<6x8xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<3x3xf32>
// CHECK-NEXT: return %[[PARTS]]#0, %[[PARTS]]#1, %[[PARTS]]#2, %[[SLICE]] : tensor<1x8xf32>, tensor<2x8xf32>, tensor<3x8xf32>, tensor<3x3xf32>
func.func @split_slice(%x: tensor<6x8xf32>, %sizes: tensor<3xi64>, %starts: tensor<2xi64>, %ends: tensor<2xi64>, %axes: tensor<2xi64>, %steps: tensor<2xi64>) -> (tensor<1x8xf32>, tensor<2x8xf32>, tensor<3x8xf32>, tensor<3x3xf32>) {
  %parts:3 = dsc.split %x, %sizes {axis = 0 : i64} : (tensor<6x8xf32>, tensor<3xi64>) -> (tensor<1x8xf32>, tensor<2x8xf32>, tensor<3x8xf32>)
  %slice = dsc.slice %x, %starts, %ends, %axes, %steps : (tensor<6x8xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<3x3xf32>
  return %parts#0, %parts#1, %parts#2, %slice : tensor<1x8xf32>, tensor<2x8xf32>, tensor<3x8xf32>, tensor<3x3xf32>
}

// CHECK-LABEL: func.func @gathers(
// CHECK-SAME: %[[TABLE:[^:]+]]: tensor<100x16xf32>, %[[IDS:[^:]+]]: tensor<2x5xi64>, %[[IDX:[^:]+]]: tensor<4x16xi32>, %[[ND:[^:]+]]: tensor<3x2xi64>, %[[UPD:[^:]+]]: tensor<3xf32>) -> (tensor<2x5x16xf32>, tensor<4x16xf32>, tensor<3xf32>, tensor<100x16xf32>)
// CHECK-NEXT: %[[G:[^ ]+]] = dsc.gather %[[TABLE]], %[[IDS]] : (tensor<100x16xf32>, tensor<2x5xi64>) -> tensor<2x5x16xf32>
// CHECK-NEXT: %[[GE:[^ ]+]] = dsc.gather_elements %[[TABLE]], %[[IDX]] {axis = 1 : i64} : (tensor<100x16xf32>, tensor<4x16xi32>) -> tensor<4x16xf32>
// CHECK-NEXT: %[[GND:[^ ]+]] = dsc.gather_nd %[[TABLE]], %[[ND]] : (tensor<100x16xf32>, tensor<3x2xi64>) -> tensor<3xf32>
// CHECK-NEXT: %[[SND:[^ ]+]] = dsc.scatter_nd %[[TABLE]], %[[ND]], %[[UPD]] {reduction = "add"} : (tensor<100x16xf32>, tensor<3x2xi64>, tensor<3xf32>) -> tensor<100x16xf32>
// CHECK-NEXT: return %[[G]], %[[GE]], %[[GND]], %[[SND]] : tensor<2x5x16xf32>, tensor<4x16xf32>, tensor<3xf32>, tensor<100x16xf32>
func.func @gathers(%table: tensor<100x16xf32>, %ids: tensor<2x5xi64>, %idx: tensor<4x16xi32>, %nd: tensor<3x2xi64>, %upd: tensor<3xf32>) -> (tensor<2x5x16xf32>, tensor<4x16xf32>, tensor<3xf32>, tensor<100x16xf32>) {
  %g = dsc.gather %table, %ids : (tensor<100x16xf32>, tensor<2x5xi64>) -> tensor<2x5x16xf32>
  %ge = dsc.gather_elements %table, %idx {axis = 1 : i64} : (tensor<100x16xf32>, tensor<4x16xi32>) -> tensor<4x16xf32>
  %gnd = dsc.gather_nd %table, %nd : (tensor<100x16xf32>, tensor<3x2xi64>) -> tensor<3xf32>
  %snd = dsc.scatter_nd %table, %nd, %upd {reduction = "add"} : (tensor<100x16xf32>, tensor<3x2xi64>, tensor<3xf32>) -> tensor<100x16xf32>
  return %g, %ge, %gnd, %snd : tensor<2x5x16xf32>, tensor<4x16xf32>, tensor<3xf32>, tensor<100x16xf32>
}

// CHECK-LABEL: func.func @gather_axis(
// CHECK-SAME: %[[X:[^:]+]]: tensor<3x4xf32>, %[[I:[^:]+]]: tensor<i64>) -> tensor<3xf32>
// CHECK-NEXT: %[[G:[^ ]+]] = dsc.gather %[[X]], %[[I]] {axis = 1 : i64} : (tensor<3x4xf32>, tensor<i64>) -> tensor<3xf32>
// CHECK-NEXT: return %[[G]] : tensor<3xf32>
func.func @gather_axis(%x: tensor<3x4xf32>, %i: tensor<i64>) -> tensor<3xf32> {
  %g = dsc.gather %x, %i {axis = 1 : i64} : (tensor<3x4xf32>, tensor<i64>) -> tensor<3xf32>
  return %g : tensor<3xf32>
}

// CHECK-LABEL: func.func @expand_tile_pad(
// CHECK-SAME: %[[X:[^:]+]]: tensor<3x1xf32>, %[[SHAPE:[^:]+]]: tensor<3xi64>, %[[REPS:[^:]+]]: tensor<2xi64>, %[[PADS:[^:]+]]: tensor<4xi64>, %[[V:[^:]+]]: tensor<f32>) -> (tensor<2x3x4xf32>, tensor<6x4xf32>, tensor<5x3xf32>, tensor<5x3xf32>)
// CHECK-NEXT: %[[E:[^ ]+]] = dsc.expand %[[X]], %[[SHAPE]] : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[T:[^ ]+]] = dsc.tile %[[X]], %[[REPS]] : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<6x4xf32>
// CHECK-NEXT: %[[P:[^ ]+]] = dsc.pad %[[X]], %[[PADS]], %[[V]] : (tensor<3x1xf32>, tensor<4xi64>, tensor<f32>) -> tensor<5x3xf32>
// CHECK-NEXT: %[[R:[^ ]+]] = dsc.pad %[[X]], %[[PADS]], %[[V]] {mode = "reflect"} : (tensor<3x1xf32>, tensor<4xi64>, tensor<f32>) -> tensor<5x3xf32>
// CHECK-NEXT: return %[[E]], %[[T]], %[[P]], %[[R]] : tensor<2x3x4xf32>, tensor<6x4xf32>, tensor<5x3xf32>, tensor<5x3xf32>
func.func @expand_tile_pad(%x: tensor<3x1xf32>, %shape: tensor<3xi64>, %reps: tensor<2xi64>, %pads: tensor<4xi64>, %v: tensor<f32>) -> (tensor<2x3x4xf32>, tensor<6x4xf32>, tensor<5x3xf32>, tensor<5x3xf32>) {
  %e = dsc.expand %x, %shape : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  %t = dsc.tile %x, %reps : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %p = dsc.pad %x, %pads, %v : (tensor<3x1xf32>, tensor<4xi64>, tensor<f32>) -> tensor<5x3xf32>
  %r = dsc.pad %x, %pads, %v {mode = "reflect"} : (tensor<3x1xf32>, tensor<4xi64>, tensor<f32>) -> tensor<5x3xf32>
  return %e, %t, %p, %r : tensor<2x3x4xf32>, tensor<6x4xf32>, tensor<5x3xf32>, tensor<5x3xf32>
}

// CHECK-LABEL: func.func @shape_size(
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x3x224x224xf32>) -> (tensor<4xi64>, tensor<2xi64>, tensor<i64>)
// CHECK-NEXT: %[[S:[^ ]+]] = dsc.shape %[[X]] : (tensor<?x3x224x224xf32>) -> tensor<4xi64>
// CHECK-NEXT: %[[HW:[^ ]+]] = dsc.shape %[[X]] {end = 4 : i64, start = -2 : i64} : (tensor<?x3x224x224xf32>) -> tensor<2xi64>
// CHECK-NEXT: %[[N:[^ ]+]] = dsc.size %[[X]] : (tensor<?x3x224x224xf32>) -> tensor<i64>
// CHECK-NEXT: return %[[S]], %[[HW]], %[[N]] : tensor<4xi64>, tensor<2xi64>, tensor<i64>
func.func @shape_size(%x: tensor<?x3x224x224xf32>) -> (tensor<4xi64>, tensor<2xi64>, tensor<i64>) {
  %s = dsc.shape %x : (tensor<?x3x224x224xf32>) -> tensor<4xi64>
  %hw = dsc.shape %x {end = 4 : i64, start = -2 : i64} : (tensor<?x3x224x224xf32>) -> tensor<2xi64>
  %n = dsc.size %x : (tensor<?x3x224x224xf32>) -> tensor<i64>
  return %s, %hw, %n : tensor<4xi64>, tensor<2xi64>, tensor<i64>
}

// CHECK-LABEL: func.func @generators(
// CHECK-SAME: %[[SHAPE:[^:]+]]: tensor<2xi64>, %[[START:[^:]+]]: tensor<i64>, %[[LIMIT:[^:]+]]: tensor<i64>, %[[DELTA:[^:]+]]: tensor<i64>) -> (tensor<?x?xf32>, tensor<?xi64>)
// CHECK-NEXT: %[[FILL:[^ ]+]] = dsc.constant_of_shape %[[SHAPE]] {value = dense<1.000000e+00> : tensor<1xf32>} : (tensor<2xi64>) -> tensor<?x?xf32>
// CHECK-NEXT: %[[RANGE:[^ ]+]] = dsc.range %[[START]], %[[LIMIT]], %[[DELTA]] : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
// CHECK-NEXT: return %[[FILL]], %[[RANGE]] : tensor<?x?xf32>, tensor<?xi64>
func.func @generators(%shape: tensor<2xi64>, %start: tensor<i64>, %limit: tensor<i64>, %delta: tensor<i64>) -> (tensor<?x?xf32>, tensor<?xi64>) {
  %fill = dsc.constant_of_shape %shape {value = dense<1.000000e+00> : tensor<1xf32>} : (tensor<2xi64>) -> tensor<?x?xf32>
  %range = dsc.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %fill, %range : tensor<?x?xf32>, tensor<?xi64>
}

// CHECK-LABEL: func.func @resize(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x16x16xf32>, %[[SCALES:[^:]+]]: tensor<4xf32>, %[[NOSIZES:[^:]+]]: tensor<0xi64>, %[[NOSCALES:[^:]+]]: tensor<0xf32>, %[[SIZES:[^:]+]]: tensor<4xi64>) -> (tensor<1x3x32x32xf32>, tensor<1x3x24x24xf32>)
// CHECK-NEXT: %[[UP:[^ ]+]] = dsc.resize %[[X]], %[[SCALES]], %[[NOSIZES]] {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x3x16x16xf32>, tensor<4xf32>, tensor<0xi64>) -> tensor<1x3x32x32xf32>
// CHECK-NEXT: %[[LIN:[^ ]+]] = dsc.resize %[[X]], %[[NOSCALES]], %[[SIZES]] {coordinate_transformation_mode = "align_corners", cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = 1 : i64, extrapolation_value = 1.000000e+00 : f32, mode = "linear"} : (tensor<1x3x16x16xf32>, tensor<0xf32>, tensor<4xi64>) -> tensor<1x3x24x24xf32>
// CHECK-NEXT: return %[[UP]], %[[LIN]] : tensor<1x3x32x32xf32>, tensor<1x3x24x24xf32>
func.func @resize(%x: tensor<1x3x16x16xf32>, %scales: tensor<4xf32>, %nosizes: tensor<0xi64>, %noscales: tensor<0xf32>, %sizes: tensor<4xi64>) -> (tensor<1x3x32x32xf32>, tensor<1x3x24x24xf32>) {
  %up = dsc.resize %x, %scales, %nosizes {mode = "nearest", nearest_mode = "floor", coordinate_transformation_mode = "asymmetric"} : (tensor<1x3x16x16xf32>, tensor<4xf32>, tensor<0xi64>) -> tensor<1x3x32x32xf32>
  %lin = dsc.resize %x, %noscales, %sizes {mode = "linear", coordinate_transformation_mode = "align_corners", exclude_outside = 1 : i64, cubic_coeff_a = -5.000000e-01 : f32, extrapolation_value = 1.000000e+00 : f32} : (tensor<1x3x16x16xf32>, tensor<0xf32>, tensor<4xi64>) -> tensor<1x3x24x24xf32>
  return %up, %lin : tensor<1x3x32x32xf32>, tensor<1x3x24x24xf32>
}

// CHECK-LABEL: func.func @depth_space(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x16x4x4xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x64x2x2xf32>)
// CHECK-NEXT: %[[D2S:[^ ]+]] = dsc.depth_to_space %[[X]] {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x16x4x4xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %[[S2D:[^ ]+]] = dsc.space_to_depth %[[X]] {blocksize = 2 : i64} : (tensor<1x16x4x4xf32>) -> tensor<1x64x2x2xf32>
// CHECK-NEXT: return %[[D2S]], %[[S2D]] : tensor<1x4x8x8xf32>, tensor<1x64x2x2xf32>
func.func @depth_space(%x: tensor<1x16x4x4xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x64x2x2xf32>) {
  %d2s = dsc.depth_to_space %x {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x16x4x4xf32>) -> tensor<1x4x8x8xf32>
  %s2d = dsc.space_to_depth %x {blocksize = 2 : i64} : (tensor<1x16x4x4xf32>) -> tensor<1x64x2x2xf32>
  return %d2s, %s2d : tensor<1x4x8x8xf32>, tensor<1x64x2x2xf32>
}

// CHECK-LABEL: func.func @top_k_cum_sum_trilu(
// CHECK-SAME: %[[X:[^:]+]]: tensor<3x10xf32>, %[[K:[^:]+]]: tensor<1xi64>, %[[AXIS:[^:]+]]: tensor<i32>, %[[DIAG:[^:]+]]: tensor<i64>) -> (tensor<3x5xf32>, tensor<3x5xi64>, tensor<3x10xf32>, tensor<3x10xf32>)
// CHECK-NEXT: %[[TOPK_VALUES:[^ ,]+]], %[[TOPK_INDICES:[^ ,]+]] = dsc.top_k %[[X]], %[[K]] {largest = 0 : i64} : (tensor<3x10xf32>, tensor<1xi64>) -> (tensor<3x5xf32>, tensor<3x5xi64>)
// CHECK-NEXT: %[[CS:[^ ]+]] = dsc.cum_sum %[[X]], %[[AXIS]] {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<3x10xf32>, tensor<i32>) -> tensor<3x10xf32>
// CHECK-NEXT: %[[TRI:[^ ]+]] = dsc.trilu %[[X]], %[[DIAG]] {upper = 0 : i64} : (tensor<3x10xf32>, tensor<i64>) -> tensor<3x10xf32>
// CHECK-NEXT: return %[[TOPK_VALUES]], %[[TOPK_INDICES]], %[[CS]], %[[TRI]] : tensor<3x5xf32>, tensor<3x5xi64>, tensor<3x10xf32>, tensor<3x10xf32>
func.func @top_k_cum_sum_trilu(%x: tensor<3x10xf32>, %k: tensor<1xi64>, %axis: tensor<i32>, %diag: tensor<i64>) -> (tensor<3x5xf32>, tensor<3x5xi64>, tensor<3x10xf32>, tensor<3x10xf32>) {
  %topk:2 = dsc.top_k %x, %k {largest = 0 : i64, sorted = 1 : i64} : (tensor<3x10xf32>, tensor<1xi64>) -> (tensor<3x5xf32>, tensor<3x5xi64>)
  %cs = dsc.cum_sum %x, %axis {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<3x10xf32>, tensor<i32>) -> tensor<3x10xf32>
  %tri = dsc.trilu %x, %diag {upper = 0 : i64} : (tensor<3x10xf32>, tensor<i64>) -> tensor<3x10xf32>
  return %topk#0, %topk#1, %cs, %tri : tensor<3x5xf32>, tensor<3x5xi64>, tensor<3x10xf32>, tensor<3x10xf32>
}

// CHECK-LABEL: func.func @one_hot(
// CHECK-SAME: %[[INDICES:[^:]+]]: tensor<4xi64>, %[[DEPTH:[^:]+]]: tensor<i64>, %[[VALUES:[^:]+]]: tensor<2xf32>) -> tensor<4x10xf32>
// CHECK-NEXT: %[[OH:[^ ]+]] = dsc.one_hot %[[INDICES]], %[[DEPTH]], %[[VALUES]] : (tensor<4xi64>, tensor<i64>, tensor<2xf32>) -> tensor<4x10xf32>
// CHECK-NEXT: return %[[OH]] : tensor<4x10xf32>
func.func @one_hot(%indices: tensor<4xi64>, %depth: tensor<i64>, %values: tensor<2xf32>) -> tensor<4x10xf32> {
  %oh = dsc.one_hot %indices, %depth, %values : (tensor<4xi64>, tensor<i64>, tensor<2xf32>) -> tensor<4x10xf32>
  return %oh : tensor<4x10xf32>
}

// CHECK-LABEL: func.func @losses(
// CHECK-SAME: %[[SCORES:[^:]+]]: tensor<8x10xf32>, %[[LABELS:[^:]+]]: tensor<8xi64>, %[[WEIGHTS:[^:]+]]: tensor<10xf32>) -> (tensor<f32>, tensor<8x10xf32>, tensor<8xf32>, tensor<f32>)
// CHECK-NEXT: %[[SCE_LOSS:[^ ,]+]], %[[SCE_LOG_PROB:[^ ,]+]] = dsc.softmax_cross_entropy_loss %[[SCORES]], %[[LABELS]], %[[WEIGHTS]] {ignore_index = -100 : i64} : (tensor<8x10xf32>, tensor<8xi64>, tensor<10xf32>) -> (tensor<f32>, tensor<8x10xf32>)
// CHECK-NEXT: %[[NLL:[^ ]+]] = dsc.negative_log_likelihood_loss %[[SCE_LOG_PROB]], %[[LABELS]] {reduction = "none"} : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<8xf32>
// CHECK-NEXT: %[[NLLW:[^ ]+]] = dsc.negative_log_likelihood_loss %[[SCE_LOG_PROB]], %[[LABELS]], %[[WEIGHTS]] {reduction = "sum"} : (tensor<8x10xf32>, tensor<8xi64>, tensor<10xf32>) -> tensor<f32>
// CHECK-NEXT: return %[[SCE_LOSS]], %[[SCE_LOG_PROB]], %[[NLL]], %[[NLLW]] : tensor<f32>, tensor<8x10xf32>, tensor<8xf32>, tensor<f32>
func.func @losses(%scores: tensor<8x10xf32>, %labels: tensor<8xi64>, %weights: tensor<10xf32>) -> (tensor<f32>, tensor<8x10xf32>, tensor<8xf32>, tensor<f32>) {
  %sce:2 = dsc.softmax_cross_entropy_loss %scores, %labels, %weights {ignore_index = -100 : i64} : (tensor<8x10xf32>, tensor<8xi64>, tensor<10xf32>) -> (tensor<f32>, tensor<8x10xf32>)
  %nll = dsc.negative_log_likelihood_loss %sce#1, %labels {reduction = "none"} : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<8xf32>
  %nllw = dsc.negative_log_likelihood_loss %sce#1, %labels, %weights {reduction = "sum"} : (tensor<8x10xf32>, tensor<8xi64>, tensor<10xf32>) -> tensor<f32>
  return %sce#0, %sce#1, %nll, %nllw : tensor<f32>, tensor<8x10xf32>, tensor<8xf32>, tensor<f32>
}

// CHECK-LABEL: func.func @lstm(
// CHECK-SAME: %[[X:[^:]+]]: tensor<5x2x4xf32>, %[[W:[^:]+]]: tensor<1x12x4xf32>, %[[R:[^:]+]]: tensor<1x12x3xf32>, %[[B:[^:]+]]: tensor<1x24xf32>, %[[H0:[^:]+]]: tensor<1x2x3xf32>) -> (tensor<5x1x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>)
// CHECK-NEXT: %[[LSTM_Y:[^ ,]+]], %[[LSTM_Y_H:[^ ,]+]], %[[LSTM_Y_C:[^ ,]+]] = dsc.lstm %[[X]], %[[W]], %[[R]] bias(%[[B]]) initial_h(%[[H0]]) {hidden_size = 3 : i64} : (tensor<5x2x4xf32>, tensor<1x12x4xf32>, tensor<1x12x3xf32>, tensor<1x24xf32>, tensor<1x2x3xf32>) -> (tensor<5x1x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>)
// CHECK-NEXT: return %[[LSTM_Y]], %[[LSTM_Y_H]], %[[LSTM_Y_C]] : tensor<5x1x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>
func.func @lstm(%x: tensor<5x2x4xf32>, %w: tensor<1x12x4xf32>, %r: tensor<1x12x3xf32>, %b: tensor<1x24xf32>, %h0: tensor<1x2x3xf32>) -> (tensor<5x1x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>) {
  %lstm:3 = dsc.lstm %x, %w, %r bias(%b) initial_h(%h0) {hidden_size = 3 : i64} : (tensor<5x2x4xf32>, tensor<1x12x4xf32>, tensor<1x12x3xf32>, tensor<1x24xf32>, tensor<1x2x3xf32>) -> (tensor<5x1x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>)
  return %lstm#0, %lstm#1, %lstm#2 : tensor<5x1x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>
}

// CHECK-LABEL: func.func @lstm_all_inputs(
// CHECK-SAME: %[[X:[^:]+]]: tensor<5x2x4xf32>, %[[W:[^:]+]]: tensor<2x12x4xf32>, %[[R:[^:]+]]: tensor<2x12x3xf32>, %[[B:[^:]+]]: tensor<2x24xf32>, %[[LENS:[^:]+]]: tensor<2xi32>, %[[H0:[^:]+]]: tensor<2x2x3xf32>, %[[C0:[^:]+]]: tensor<2x2x3xf32>, %[[P:[^:]+]]: tensor<2x9xf32>) -> (tensor<5x2x2x3xf32>, tensor<2x2x3xf32>, tensor<2x2x3xf32>)
// CHECK-NEXT: %[[LSTM_Y:[^ ,]+]], %[[LSTM_Y_H:[^ ,]+]], %[[LSTM_Y_C:[^ ,]+]] = dsc.lstm %[[X]], %[[W]], %[[R]] bias(%[[B]]) sequence_lens(%[[LENS]]) initial_h(%[[H0]]) initial_c(%[[C0]]) peepholes(%[[P]]) {activations = ["Sigmoid", "Tanh", "Tanh", "Sigmoid", "Tanh", "Tanh"], clip = 1.000000e+01 : f32, direction = "bidirectional", hidden_size = 3 : i64, input_forget = 1 : i64} : (tensor<5x2x4xf32>, tensor<2x12x4xf32>, tensor<2x12x3xf32>, tensor<2x24xf32>, tensor<2xi32>, tensor<2x2x3xf32>, tensor<2x2x3xf32>, tensor<2x9xf32>) -> (tensor<5x2x2x3xf32>, tensor<2x2x3xf32>, tensor<2x2x3xf32>)
// CHECK-NEXT: return %[[LSTM_Y]], %[[LSTM_Y_H]], %[[LSTM_Y_C]] : tensor<5x2x2x3xf32>, tensor<2x2x3xf32>, tensor<2x2x3xf32>
func.func @lstm_all_inputs(%x: tensor<5x2x4xf32>, %w: tensor<2x12x4xf32>, %r: tensor<2x12x3xf32>, %b: tensor<2x24xf32>, %lens: tensor<2xi32>, %h0: tensor<2x2x3xf32>, %c0: tensor<2x2x3xf32>, %p: tensor<2x9xf32>) -> (tensor<5x2x2x3xf32>, tensor<2x2x3xf32>, tensor<2x2x3xf32>) {
  %lstm:3 = dsc.lstm %x, %w, %r bias(%b) sequence_lens(%lens) initial_h(%h0) initial_c(%c0) peepholes(%p) {activations = ["Sigmoid", "Tanh", "Tanh", "Sigmoid", "Tanh", "Tanh"], clip = 1.000000e+01 : f32, direction = "bidirectional", hidden_size = 3 : i64, input_forget = 1 : i64} : (tensor<5x2x4xf32>, tensor<2x12x4xf32>, tensor<2x12x3xf32>, tensor<2x24xf32>, tensor<2xi32>, tensor<2x2x3xf32>, tensor<2x2x3xf32>, tensor<2x9xf32>) -> (tensor<5x2x2x3xf32>, tensor<2x2x3xf32>, tensor<2x2x3xf32>)
  return %lstm#0, %lstm#1, %lstm#2 : tensor<5x2x2x3xf32>, tensor<2x2x3xf32>, tensor<2x2x3xf32>
}

// CHECK-LABEL: func.func @gru(
// CHECK-SAME: %[[X:[^:]+]]: tensor<5x2x4xf32>, %[[W:[^:]+]]: tensor<2x9x4xf32>, %[[R:[^:]+]]: tensor<2x9x3xf32>, %[[B:[^:]+]]: tensor<2x18xf32>, %[[H0:[^:]+]]: tensor<2x2x3xf32>) -> (tensor<5x2x2x3xf32>, tensor<2x2x3xf32>)
// CHECK-NEXT: %[[GRU_Y:[^ ,]+]], %[[GRU_Y_H:[^ ,]+]] = dsc.gru %[[X]], %[[W]], %[[R]] bias(%[[B]]) initial_h(%[[H0]]) {direction = "bidirectional", hidden_size = 3 : i64, linear_before_reset = 1 : i64} : (tensor<5x2x4xf32>, tensor<2x9x4xf32>, tensor<2x9x3xf32>, tensor<2x18xf32>, tensor<2x2x3xf32>) -> (tensor<5x2x2x3xf32>, tensor<2x2x3xf32>)
// CHECK-NEXT: return %[[GRU_Y]], %[[GRU_Y_H]] : tensor<5x2x2x3xf32>, tensor<2x2x3xf32>
func.func @gru(%x: tensor<5x2x4xf32>, %w: tensor<2x9x4xf32>, %r: tensor<2x9x3xf32>, %b: tensor<2x18xf32>, %h0: tensor<2x2x3xf32>) -> (tensor<5x2x2x3xf32>, tensor<2x2x3xf32>) {
  %gru:2 = dsc.gru %x, %w, %r bias(%b) initial_h(%h0) {direction = "bidirectional", hidden_size = 3 : i64, linear_before_reset = 1 : i64} : (tensor<5x2x4xf32>, tensor<2x9x4xf32>, tensor<2x9x3xf32>, tensor<2x18xf32>, tensor<2x2x3xf32>) -> (tensor<5x2x2x3xf32>, tensor<2x2x3xf32>)
  return %gru#0, %gru#1 : tensor<5x2x2x3xf32>, tensor<2x2x3xf32>
}

// CHECK-LABEL: func.func @gru_minimal(
// CHECK-SAME: %[[X:[^:]+]]: tensor<7x1x8xf32>, %[[W:[^:]+]]: tensor<1x48x8xf32>, %[[R:[^:]+]]: tensor<1x48x16xf32>) -> (tensor<7x1x1x16xf32>, tensor<1x1x16xf32>)
// CHECK-NEXT: %[[GRU_Y:[^ ,]+]], %[[GRU_Y_H:[^ ,]+]] = dsc.gru %[[X]], %[[W]], %[[R]] {hidden_size = 16 : i64} : (tensor<7x1x8xf32>, tensor<1x48x8xf32>, tensor<1x48x16xf32>) -> (tensor<7x1x1x16xf32>, tensor<1x1x16xf32>)
// CHECK-NEXT: return %[[GRU_Y]], %[[GRU_Y_H]] : tensor<7x1x1x16xf32>, tensor<1x1x16xf32>
func.func @gru_minimal(%x: tensor<7x1x8xf32>, %w: tensor<1x48x8xf32>, %r: tensor<1x48x16xf32>) -> (tensor<7x1x1x16xf32>, tensor<1x1x16xf32>) {
  %gru:2 = dsc.gru %x, %w, %r {hidden_size = 16 : i64} : (tensor<7x1x8xf32>, tensor<1x48x8xf32>, tensor<1x48x16xf32>) -> (tensor<7x1x1x16xf32>, tensor<1x1x16xf32>)
  return %gru#0, %gru#1 : tensor<7x1x1x16xf32>, tensor<1x1x16xf32>
}

// CHECK-LABEL: func.func @if_else(
// CHECK-SAME: %[[COND:[^:]+]]: tensor<i1>, %[[X:[^:]+]]: tensor<2x3xf32>, %[[N:[^:]+]]: tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2xi64>)
// CHECK-NEXT: %[[R:[^:]+]]:2 = dsc.if %[[COND]] : tensor<i1> -> tensor<2x3xf32>, tensor<2xi64> {
// CHECK-NEXT: %[[NEG:[^ ]+]] = dsc.neg %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: dsc.yield %[[NEG]], %[[N]] : tensor<2x3xf32>, tensor<2xi64>
// CHECK-NEXT: } else {
// CHECK-NEXT: dsc.yield %[[X]], %[[N]] : tensor<2x3xf32>, tensor<2xi64>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]]#0, %[[R]]#1 : tensor<2x3xf32>, tensor<2xi64>
func.func @if_else(%cond: tensor<i1>, %x: tensor<2x3xf32>, %n: tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2xi64>) {
  %r:2 = dsc.if %cond : tensor<i1> -> tensor<2x3xf32>, tensor<2xi64> {
    %neg = dsc.neg %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    dsc.yield %neg, %n : tensor<2x3xf32>, tensor<2xi64>
  } else {
    dsc.yield %x, %n : tensor<2x3xf32>, tensor<2xi64>
  }
  return %r#0, %r#1 : tensor<2x3xf32>, tensor<2xi64>
}

// CHECK-LABEL: func.func @if_no_results(
// CHECK-SAME: %[[COND:[^:]+]]: tensor<1xi1>)
// CHECK-NEXT: dsc.if %[[COND]] : tensor<1xi1> {
// CHECK-NEXT: dsc.yield
// CHECK-NEXT: } else {
// CHECK-NEXT: dsc.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @if_no_results(%cond: tensor<1xi1>) {
  dsc.if %cond : tensor<1xi1> {
    dsc.yield
  } else {
    dsc.yield
  }
  return
}

// CHECK-LABEL: func.func @loop(
// CHECK-SAME: %[[TRIP:[^:]+]]: tensor<i64>, %[[COND:[^:]+]]: tensor<i1>, %[[ACC:[^:]+]]: tensor<4xf32>, %[[STEP:[^:]+]]: tensor<4xf32>) -> (tensor<4xf32>, tensor<?x4xf32>)
// CHECK-NEXT: %[[L:[^:]+]]:2 = dsc.loop %[[TRIP]], %[[COND]], %[[ACC]] : (tensor<i64>, tensor<i1>, tensor<4xf32>) -> (tensor<4xf32>, tensor<?x4xf32>) {
// CHECK-NEXT: {{\^}}bb0(%[[ITER:[^:]+]]: tensor<i64>, %[[KEEP:[^:]+]]: tensor<i1>, %[[CARRIED:[^:]+]]: tensor<4xf32>):
// CHECK-NEXT: %[[NEXT:[^ ]+]] = dsc.add %[[CARRIED]], %[[STEP]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: dsc.yield %[[KEEP]], %[[NEXT]], %[[CARRIED]] : tensor<i1>, tensor<4xf32>, tensor<4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[L]]#0, %[[L]]#1 : tensor<4xf32>, tensor<?x4xf32>
func.func @loop(%trip: tensor<i64>, %cond: tensor<i1>, %acc: tensor<4xf32>, %step: tensor<4xf32>) -> (tensor<4xf32>, tensor<?x4xf32>) {
  %l:2 = dsc.loop %trip, %cond, %acc : (tensor<i64>, tensor<i1>, tensor<4xf32>) -> (tensor<4xf32>, tensor<?x4xf32>) {
  ^bb0(%iter: tensor<i64>, %keep: tensor<i1>, %carried: tensor<4xf32>):
    %next = dsc.add %carried, %step : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    dsc.yield %keep, %next, %carried : tensor<i1>, tensor<4xf32>, tensor<4xf32>
  }
  return %l#0, %l#1 : tensor<4xf32>, tensor<?x4xf32>
}

// CHECK-LABEL: func.func @quantization(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8xf32>, %[[SCALE:[^:]+]]: tensor<f32>, %[[ZP:[^:]+]]: tensor<ui8>, %[[ZP8:[^:]+]]: tensor<i8>) -> (tensor<1x8xui8>, tensor<1x8x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<1x8xf32>)
// CHECK-NEXT: %[[Q:[^ ]+]] = dsc.quantize_linear %[[X]], %[[SCALE]], %[[ZP]] : (tensor<1x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x8xui8>
// CHECK-NEXT: %[[QQ:[^ ]+]] = dsc.quantize_linear %[[X]], %[[SCALE]], %[[ZP8]] {axis = 0 : i64} : (tensor<1x8xf32>, tensor<f32>, tensor<i8>) -> tensor<1x8x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NEXT: %[[DQ:[^ ]+]] = dsc.dequantize_linear %[[Q]], %[[SCALE]], %[[ZP]] : (tensor<1x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x8xf32>
// CHECK-NEXT: return %[[Q]], %[[QQ]], %[[DQ]] : tensor<1x8xui8>, tensor<1x8x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<1x8xf32>
func.func @quantization(%x: tensor<1x8xf32>, %scale: tensor<f32>, %zp: tensor<ui8>, %zp8: tensor<i8>) -> (tensor<1x8xui8>, tensor<1x8x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<1x8xf32>) {
  %q = dsc.quantize_linear %x, %scale, %zp : (tensor<1x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x8xui8>
  %qq = dsc.quantize_linear %x, %scale, %zp8 {axis = 0 : i64} : (tensor<1x8xf32>, tensor<f32>, tensor<i8>) -> tensor<1x8x!quant.uniform<i8:f32, 5.000000e-01>>
  %dq = dsc.dequantize_linear %q, %scale, %zp : (tensor<1x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x8xf32>
  return %q, %qq, %dq : tensor<1x8xui8>, tensor<1x8x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<1x8xf32>
}

// CHECK-LABEL: func.func @dequantize_per_axis(
// CHECK-SAME: %[[W:[^:]+]]: tensor<16x3x3x3xi8>, %[[SCALES:[^:]+]]: tensor<16xf32>, %[[ZPS:[^:]+]]: tensor<16xi8>) -> tensor<16x3x3x3xf32>
// CHECK-NEXT: %[[DQ:[^ ]+]] = dsc.dequantize_linear %[[W]], %[[SCALES]], %[[ZPS]] {axis = 0 : i64} : (tensor<16x3x3x3xi8>, tensor<16xf32>, tensor<16xi8>) -> tensor<16x3x3x3xf32>
// CHECK-NEXT: return %[[DQ]] : tensor<16x3x3x3xf32>
func.func @dequantize_per_axis(%w: tensor<16x3x3x3xi8>, %scales: tensor<16xf32>, %zps: tensor<16xi8>) -> tensor<16x3x3x3xf32> {
  %dq = dsc.dequantize_linear %w, %scales, %zps {axis = 0 : i64} : (tensor<16x3x3x3xi8>, tensor<16xf32>, tensor<16xi8>) -> tensor<16x3x3x3xf32>
  return %dq : tensor<16x3x3x3xf32>
}

// CHECK-LABEL: func.func @dynamic_quantize(
// CHECK-SAME: %[[X:[^:]+]]: tensor<?x64xf32>) -> (tensor<?x64xui8>, tensor<f32>, tensor<ui8>)
// CHECK-NEXT: %[[DQ_OUTPUT:[^ ,]+]], %[[DQ_SCALE:[^ ,]+]], %[[DQ_ZERO_POINT:[^ ,]+]] = dsc.dynamic_quantize_linear %[[X]] : (tensor<?x64xf32>) -> (tensor<?x64xui8>, tensor<f32>, tensor<ui8>)
// CHECK-NEXT: return %[[DQ_OUTPUT]], %[[DQ_SCALE]], %[[DQ_ZERO_POINT]] : tensor<?x64xui8>, tensor<f32>, tensor<ui8>
func.func @dynamic_quantize(%x: tensor<?x64xf32>) -> (tensor<?x64xui8>, tensor<f32>, tensor<ui8>) {
  %dq:3 = dsc.dynamic_quantize_linear %x : (tensor<?x64xf32>) -> (tensor<?x64xui8>, tensor<f32>, tensor<ui8>)
  return %dq#0, %dq#1, %dq#2 : tensor<?x64xui8>, tensor<f32>, tensor<ui8>
}

// CHECK-LABEL: func.func @qlinear(
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x4x8x8xui8>, %[[XS:[^:]+]]: tensor<f32>, %[[XZ:[^:]+]]: tensor<ui8>, %[[W:[^:]+]]: tensor<8x4x3x3xi8>, %[[WS:[^:]+]]: tensor<8xf32>, %[[WZ:[^:]+]]: tensor<8xi8>, %[[YS:[^:]+]]: tensor<f32>, %[[YZ:[^:]+]]: tensor<ui8>, %[[BIAS:[^:]+]]: tensor<8xi32>, %[[A:[^:]+]]: tensor<2x4xui8>, %[[B:[^:]+]]: tensor<4x3xi8>, %[[BS:[^:]+]]: tensor<f32>, %[[BZ:[^:]+]]: tensor<i8>) -> (tensor<1x8x8x8xui8>, tensor<2x3xui8>)
// CHECK-NEXT: %[[QC:[^ ]+]] = dsc.qlinear_conv %[[X]], %[[XS]], %[[XZ]], %[[W]], %[[WS]], %[[WZ]], %[[YS]], %[[YZ]], %[[BIAS]] {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xui8>, tensor<f32>, tensor<ui8>, tensor<8x4x3x3xi8>, tensor<8xf32>, tensor<8xi8>, tensor<f32>, tensor<ui8>, tensor<8xi32>) -> tensor<1x8x8x8xui8>
// CHECK-NEXT: %[[QM:[^ ]+]] = dsc.qlinear_matmul %[[A]], %[[XS]], %[[XZ]], %[[B]], %[[BS]], %[[BZ]], %[[YS]], %[[YZ]] : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
// CHECK-NEXT: return %[[QC]], %[[QM]] : tensor<1x8x8x8xui8>, tensor<2x3xui8>
func.func @qlinear(%x: tensor<1x4x8x8xui8>, %xs: tensor<f32>, %xz: tensor<ui8>, %w: tensor<8x4x3x3xi8>, %ws: tensor<8xf32>, %wz: tensor<8xi8>, %ys: tensor<f32>, %yz: tensor<ui8>, %bias: tensor<8xi32>, %a: tensor<2x4xui8>, %b: tensor<4x3xi8>, %bs: tensor<f32>, %bz: tensor<i8>) -> (tensor<1x8x8x8xui8>, tensor<2x3xui8>) {
  %qc = dsc.qlinear_conv %x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %bias {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xui8>, tensor<f32>, tensor<ui8>, tensor<8x4x3x3xi8>, tensor<8xf32>, tensor<8xi8>, tensor<f32>, tensor<ui8>, tensor<8xi32>) -> tensor<1x8x8x8xui8>
  %qm = dsc.qlinear_matmul %a, %xs, %xz, %b, %bs, %bz, %ys, %yz : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  return %qc, %qm : tensor<1x8x8x8xui8>, tensor<2x3xui8>
}

// CHECK-LABEL: func.func @integer_ops(
// CHECK-SAME: %[[A:[^:]+]]: tensor<2x4xui8>, %[[B:[^:]+]]: tensor<4x3xi8>, %[[AZ:[^:]+]]: tensor<ui8>, %[[BZ:[^:]+]]: tensor<i8>, %[[X:[^:]+]]: tensor<1x4x8x8xui8>, %[[W:[^:]+]]: tensor<8x2x3x3xi8>) -> (tensor<2x3xi32>, tensor<1x8x4x4xi32>)
// CHECK-NEXT: %[[MM:[^ ]+]] = dsc.matmul_integer %[[A]], %[[B]], %[[AZ]], %[[BZ]] : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<2x3xi32>
// CHECK-NEXT: %[[CONV:[^ ]+]] = dsc.conv_integer %[[X]], %[[W]], %[[AZ]], %[[BZ]] {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xui8>, tensor<8x2x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x8x4x4xi32>
// CHECK-NEXT: return %[[MM]], %[[CONV]] : tensor<2x3xi32>, tensor<1x8x4x4xi32>
func.func @integer_ops(%a: tensor<2x4xui8>, %b: tensor<4x3xi8>, %az: tensor<ui8>, %bz: tensor<i8>, %x: tensor<1x4x8x8xui8>, %w: tensor<8x2x3x3xi8>) -> (tensor<2x3xi32>, tensor<1x8x4x4xi32>) {
  %mm = dsc.matmul_integer %a, %b, %az, %bz : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<2x3xi32>
  %conv = dsc.conv_integer %x, %w, %az, %bz {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xui8>, tensor<8x2x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x8x4x4xi32>
  return %mm, %conv : tensor<2x3xi32>, tensor<1x8x4x4xi32>
}

// The dense_resource blob is printed back unchanged (4-byte alignment, then
// 1.0 and 2.0 as little-endian f32).
// CHECK: dialect_resources
// CHECK-NEXT: builtin: {
// CHECK-NEXT: blob1: "0x040000000000803F00000040"

{-#
  dialect_resources: {
    builtin: {
      blob1: "0x040000000000803F00000040"
    }
  }
#-}
