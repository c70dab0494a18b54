//===- DSCOps.td - dsc operations --------------------------*- tablegen -*-===//
//
// The operations of the dsc dialect. One op per ONNX op family; op names are
// the snake_case ONNX names (Conv -> dsc.conv, BatchNormalization ->
// dsc.batch_norm). Every op prints in one generic form:
//
//   %y = dsc.conv %x, %w, %b {strides = array<i64: 1, 1>, ...}
//          : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>)
//            -> tensor<1x4x6x6xf32>
//
//===----------------------------------------------------------------------===//

#ifndef DSC_OPS_TD
#define DSC_OPS_TD

include "dsc/Dialect/DSC/IR/DSCDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

//===----------------------------------------------------------------------===//
// Base classes
//===----------------------------------------------------------------------===//

class DSC_Op<string mnemonic, list<Trait> traits = []>
    : Op<DSC_Dialect, mnemonic, traits> {
  // One generic, round-trippable syntax for every op without regions.
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def DSC_Tensor : RankedTensorOf<[AnyType]>;
def DSC_FloatTensor : RankedTensorOf<[AnyFloat]>;
def DSC_IndexTensor : RankedTensorOf<[I32, I64]>;
def DSC_BoolTensor : RankedTensorOf<[I1]>;

/// Elementwise op with one operand; the result has the operand's shape.
class DSC_UnaryOp<string mnemonic, string onnxName, string math,
                  list<Trait> traits = []>
    : DSC_Op<mnemonic, !listconcat([Pure, SameOperandsAndResultShape], traits)> {
  let summary = "elementwise " # mnemonic # " (ONNX " # onnxName # ")";
  let description = "Computes `" # math # "` for each element `x` of the "
                    # "input. Imported from ONNX `" # onnxName # "`.";
  let arguments = (ins DSC_Tensor:$input);
  let results = (outs DSC_Tensor:$output);
}

/// Elementwise op with two operands and ONNX's multidirectional (numpy)
/// broadcasting.
class DSC_BinaryOp<string mnemonic, string onnxName, string math,
                   list<Trait> traits = []>
    : DSC_Op<mnemonic, !listconcat([Pure], traits)> {
  let summary = "elementwise " # mnemonic # " with broadcasting (ONNX "
                # onnxName # ")";
  let description = "Computes `" # math # "` elementwise after numpy-style "
                    # "broadcasting of `lhs` and `rhs`. Imported from ONNX `"
                    # onnxName # "`.";
  let arguments = (ins DSC_Tensor:$lhs, DSC_Tensor:$rhs);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
}

/// Reduction over `axes` (an operand, as in ONNX opset 18).
class DSC_ReduceOp<string mnemonic, string onnxName, string math>
    : DSC_Op<mnemonic, [Pure]> {
  let summary = "reduction " # mnemonic # " (ONNX " # onnxName # ")";
  let description = "Reduces `data` over `axes` with `" # math # "`. An empty "
    # "`axes` reduces every axis unless `noop_with_empty_axes` is set. "
    # "`keepdims` keeps reduced axes with size 1. Imported from ONNX `"
    # onnxName # "` (older opsets' `axes` attribute becomes the operand).";
  let arguments = (ins DSC_Tensor:$data, DSC_IndexTensor:$axes,
                       DefaultValuedAttr<I64Attr, "1">:$keepdims,
                       DefaultValuedAttr<I64Attr, "0">:$noop_with_empty_axes);
  let results = (outs DSC_Tensor:$reduced);
}

//===----------------------------------------------------------------------===//
// Constants and identities
//===----------------------------------------------------------------------===//

def DSC_ConstantOp : DSC_Op<"constant", [ConstantLike, Pure,
                                         AllTypesMatch<["value", "output"]>]> {
  let summary = "a constant tensor (ONNX initializers and Constant nodes)";
  let description = [{
    Holds a weight or another constant tensor. Large weights use a
    `dense_resource` blob so the textual IR does not spell out every number.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs DSC_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let builders = [
    OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
      build($_builder, $_state, ::llvm::cast<::mlir::RankedTensorType>(value.getType()), value);
    }]>
  ];
}

def DSC_IdentityOp : DSC_UnaryOp<"identity", "Identity", "x"> {
  let hasFolder = 1;
}

def DSC_DropoutOp : DSC_Op<"dropout", [Pure, SameOperandsAndResultShape]> {
  let summary = "inference-mode dropout (ONNX Dropout): the identity";
  let description = [{
    In inference, ONNX `Dropout` passes its input through unchanged; the ratio
    is kept only for reports. A model that uses Dropout's mask output or
    training mode is refused at import.
  }];
  let arguments = (ins DSC_Tensor:$input, DefaultValuedAttr<F32Attr, "0.5">:$ratio);
  let results = (outs DSC_Tensor:$output);
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

def DSC_AbsOp : DSC_UnaryOp<"abs", "Abs", "|x|"> { let hasFolder = 1; }
def DSC_NegOp : DSC_UnaryOp<"neg", "Neg", "-x"> { let hasFolder = 1; }
def DSC_ExpOp : DSC_UnaryOp<"exp", "Exp", "e^x"> { let hasFolder = 1; }
def DSC_LogOp : DSC_UnaryOp<"log", "Log", "ln(x)"> { let hasFolder = 1; }
def DSC_SqrtOp : DSC_UnaryOp<"sqrt", "Sqrt", "sqrt(x)"> { let hasFolder = 1; }
def DSC_ReciprocalOp : DSC_UnaryOp<"reciprocal", "Reciprocal", "1/x"> { let hasFolder = 1; }
def DSC_ReluOp : DSC_UnaryOp<"relu", "Relu", "max(x, 0)"> { let hasFolder = 1; }
def DSC_SigmoidOp : DSC_UnaryOp<"sigmoid", "Sigmoid", "1/(1+e^-x)"> { let hasFolder = 1; }
def DSC_TanhOp : DSC_UnaryOp<"tanh", "Tanh", "tanh(x)"> { let hasFolder = 1; }
def DSC_ErfOp : DSC_UnaryOp<"erf", "Erf", "erf(x)"> { let hasFolder = 1; }
def DSC_FloorOp : DSC_UnaryOp<"floor", "Floor", "floor(x)"> { let hasFolder = 1; }
def DSC_CeilOp : DSC_UnaryOp<"ceil", "Ceil", "ceil(x)"> { let hasFolder = 1; }
def DSC_RoundOp : DSC_UnaryOp<"round", "Round", "round half to even(x)">;
def DSC_SignOp : DSC_UnaryOp<"sign", "Sign", "sign(x)">;
def DSC_SinOp : DSC_UnaryOp<"sin", "Sin", "sin(x)"> { let hasFolder = 1; }
def DSC_CosOp : DSC_UnaryOp<"cos", "Cos", "cos(x)"> { let hasFolder = 1; }
def DSC_NotOp : DSC_UnaryOp<"not", "Not", "!x"> { let hasFolder = 1; }
def DSC_SoftplusOp : DSC_UnaryOp<"softplus", "Softplus", "ln(1+e^x)">;
def DSC_SoftsignOp : DSC_UnaryOp<"softsign", "Softsign", "x/(1+|x|)">;
def DSC_HardSwishOp : DSC_UnaryOp<"hard_swish", "HardSwish",
                                  "x * max(0, min(1, x/6 + 1/2))">;
def DSC_IsNaNOp : DSC_UnaryOp<"isnan", "IsNaN", "x != x">;

def DSC_HardSigmoidOp : DSC_UnaryOp<"hard_sigmoid", "HardSigmoid",
                                    "max(0, min(1, alpha*x + beta))"> {
  let arguments = (ins DSC_Tensor:$input,
                       DefaultValuedAttr<F32Attr, "0.2">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.5">:$beta);
}
def DSC_LeakyReluOp : DSC_UnaryOp<"leaky_relu", "LeakyRelu",
                                  "x >= 0 ? x : alpha*x"> {
  let arguments = (ins DSC_Tensor:$input,
                       DefaultValuedAttr<F32Attr, "0.01">:$alpha);
}
def DSC_EluOp : DSC_UnaryOp<"elu", "Elu", "x >= 0 ? x : alpha*(e^x - 1)"> {
  let arguments = (ins DSC_Tensor:$input,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha);
}
def DSC_GeluOp : DSC_UnaryOp<"gelu", "Gelu",
                             "x/2 * (1 + erf(x/sqrt(2))), or its tanh form"> {
  let arguments = (ins DSC_Tensor:$input,
                       DefaultValuedAttr<StrAttr, "\"none\"">:$approximate);
}

def DSC_CastOp : DSC_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "element type conversion (ONNX Cast, CastLike)";
  let description = [{
    Converts each element to the result's element type with ONNX's rules:
    float to integer truncates toward zero, to bool tests `x != 0`.
  }];
  let arguments = (ins DSC_Tensor:$input);
  let results = (outs DSC_Tensor:$output);
  let hasFolder = 1;
}

def DSC_ClipOp : DSC_Op<"clip", [Pure]> {
  let summary = "clamp to [min, max] (ONNX Clip)";
  let description = [{
    Computes `min(max(x, min), max)` elementwise. `min` and `max` are scalar
    tensors; the importer materialises the bounds of Clip-6 attributes and of
    omitted inputs (the element type's lowest and highest values).
  }];
  let arguments = (ins DSC_Tensor:$input, DSC_Tensor:$min, DSC_Tensor:$max);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary and ternary ops
//===----------------------------------------------------------------------===//

def DSC_AddOp : DSC_BinaryOp<"add", "Add, Sum", "lhs + rhs", [Commutative]> {
  let hasFolder = 1;
}
def DSC_SubOp : DSC_BinaryOp<"sub", "Sub", "lhs - rhs"> { let hasFolder = 1; }
def DSC_MulOp : DSC_BinaryOp<"mul", "Mul", "lhs * rhs", [Commutative]> {
  let hasFolder = 1;
}
def DSC_DivOp : DSC_BinaryOp<"div", "Div", "lhs / rhs"> { let hasFolder = 1; }
def DSC_PowOp : DSC_BinaryOp<"pow", "Pow", "lhs ^ rhs"> { let hasFolder = 1; }
def DSC_MaxOp : DSC_BinaryOp<"max", "Max", "max(lhs, rhs)", [Commutative]> { let hasFolder = 1; }
def DSC_MinOp : DSC_BinaryOp<"min", "Min", "min(lhs, rhs)", [Commutative]> { let hasFolder = 1; }
def DSC_ModOp : DSC_BinaryOp<"mod", "Mod", "lhs mod rhs"> {
  let arguments = (ins DSC_Tensor:$lhs, DSC_Tensor:$rhs,
                       DefaultValuedAttr<I64Attr, "0">:$fmod);
}
def DSC_PReluOp : DSC_BinaryOp<"prelu", "PRelu", "lhs >= 0 ? lhs : rhs*lhs">;
def DSC_AndOp : DSC_BinaryOp<"and", "And", "lhs && rhs", [Commutative]> { let hasFolder = 1; }
def DSC_OrOp : DSC_BinaryOp<"or", "Or", "lhs || rhs", [Commutative]> { let hasFolder = 1; }
def DSC_XorOp : DSC_BinaryOp<"xor", "Xor", "lhs != rhs", [Commutative]> { let hasFolder = 1; }
def DSC_EqualOp : DSC_BinaryOp<"equal", "Equal", "lhs == rhs", [Commutative]> { let hasFolder = 1; }
def DSC_LessOp : DSC_BinaryOp<"less", "Less", "lhs < rhs"> { let hasFolder = 1; }
def DSC_LessOrEqualOp : DSC_BinaryOp<"less_or_equal", "LessOrEqual", "lhs <= rhs"> { let hasFolder = 1; }
def DSC_GreaterOp : DSC_BinaryOp<"greater", "Greater", "lhs > rhs"> { let hasFolder = 1; }
def DSC_GreaterOrEqualOp : DSC_BinaryOp<"greater_or_equal", "GreaterOrEqual",
                                        "lhs >= rhs"> { let hasFolder = 1; }

def DSC_WhereOp : DSC_Op<"where", [Pure]> {
  let summary = "select with broadcasting (ONNX Where)";
  let description = "Computes `condition ? x : y` elementwise after "
                    "broadcasting all three operands.";
  let arguments = (ins DSC_BoolTensor:$condition, DSC_Tensor:$x, DSC_Tensor:$y);
  let results = (outs DSC_Tensor:$output);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra and normalisation
//===----------------------------------------------------------------------===//

def DSC_ConvOp : DSC_Op<"conv", [Pure]> {
  let summary = "N-d convolution (ONNX Conv)";
  let description = [{
    `y[n, f, o...] = bias[f] + sum_{c, k...} x[n, g*C/G + c, o*s + k*d - pad_begin]
    * w[f, c, k...]` where `g = f / (F/G)` is the group of output channel `f`
    and `C/G` the input channels per group. Input `[N, C, D...]`, weight
    `[F, C/G, K...]`, optional bias `[F]`. `pads` holds the begin pads of
    every spatial axis, then the end pads (ONNX order). The importer resolves
    `auto_pad` into explicit pads.
  }];
  let arguments = (ins DSC_Tensor:$input, DSC_Tensor:$weight,
                       Optional<DSC_Tensor>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
}

def DSC_ConvTransposeOp : DSC_Op<"conv_transpose", [Pure]> {
  let summary = "N-d transposed convolution (ONNX ConvTranspose)";
  let description = [{
    The gradient of `dsc.conv` with respect to its input: each input pixel
    scatters `x[n, c, i...] * w[c, f, k...]` into `y[n, g*F/G + f, i*s + k*d -
    pad_begin]`. Weight `[C, F/G, K...]`. The importer resolves `output_shape`
    and `auto_pad` into explicit `pads` and `output_padding`.
  }];
  let arguments = (ins DSC_Tensor:$input, DSC_Tensor:$weight,
                       Optional<DSC_Tensor>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$output_padding,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
}

def DSC_GemmOp : DSC_Op<"gemm", [Pure]> {
  let summary = "general matrix multiply (ONNX Gemm)";
  let description = [{
    `y = alpha * op(a) * op(b) + beta * c`, where `op` transposes when
    `trans_a` / `trans_b` is set and `c` (optional) broadcasts to `[M, N]`.
  }];
  let arguments = (ins DSC_Tensor:$a, DSC_Tensor:$b, Optional<DSC_Tensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<I64Attr, "0">:$trans_a,
                       DefaultValuedAttr<I64Attr, "0">:$trans_b);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
}

def DSC_MatMulOp : DSC_Op<"matmul", [Pure]> {
  let summary = "numpy-style matrix product (ONNX MatMul)";
  let description = [{
    `y[..., i, j] = sum_k a[..., i, k] * b[..., k, j]` with broadcasting of
    the batch dimensions; a 1-D operand is promoted as numpy.matmul does.
  }];
  let arguments = (ins DSC_Tensor:$a, DSC_Tensor:$b);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fused ops (made by dsc-fuse; the code generator's kernels take them whole)
//===----------------------------------------------------------------------===//

// The epilogue shared by the fused ops: with v = acc + bias and s, t the
// output_scale and output_shift (1 and 0 unless an affine map after the
// activation was fused),
//   y = act(v + residual) * s + t        (residual_after_activation = false)
//   y = act(v) * s + t + residual        (residual_after_activation = true)
// and act one of
//   none          v
//   relu          max(v, 0)
//   clip          min(max(v, alpha), beta)
//   leaky_relu    v >= 0 ? v : alpha * v
//   hard_sigmoid  max(0, min(1, alpha * v + beta))
//   hard_swish    v * max(0, min(1, v / 6 + 1 / 2))
//   sigmoid       1 / (1 + e^-v)
//   swish         v / (1 + e^-v)
//   tanh          tanh(v)
class DSC_FusedEpilogueOp<string mnemonic> : DSC_Op<mnemonic,
    [Pure, AttrSizedOperandSegments]>;

def DSC_ConvFusedOp : DSC_FusedEpilogueOp<"conv_fused"> {
  let summary = "convolution with a fused epilogue: bias, residual add, activation";
  let description = [{
    `dsc.conv` (same `strides`, `pads`, `dilations`, `group`) followed by an
    epilogue applied as each output element is stored. With
    `v = conv(x, w)[n, f, o...] + bias[f]`:

        y = act(v + residual[n, f, o...]) * s + t     residual_after_activation = false
        y = act(v) * s + t + residual[n, f, o...]     residual_after_activation = true

    with s, t = `output_scale`, `output_shift` (1 and 0 by default: a scalar
    affine map after the activation, as PP-LCNet's blocks apply).
    `residual` has the result's shape. `activation` is one of `none`, `relu`,
    `clip` (min(max(v, alpha), beta)), `leaky_relu` (slope alpha),
    `hard_sigmoid` (max(0, min(1, alpha*v + beta))), `hard_swish`
    (v * max(0, min(1, v/6 + 1/2))), `sigmoid`, `swish` (v * sigmoid(v)),
    `tanh`.
  }];
  let arguments = (ins DSC_Tensor:$input, DSC_Tensor:$weight,
                       Optional<DSC_Tensor>:$bias,
                       Optional<DSC_Tensor>:$residual,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group,
                       DefaultValuedAttr<StrAttr, "\"none\"">:$activation,
                       DefaultValuedAttr<F32Attr, "0.0">:$activation_alpha,
                       DefaultValuedAttr<F32Attr, "0.0">:$activation_beta,
                       DefaultValuedAttr<BoolAttr, "false">:$residual_after_activation,
                       DefaultValuedAttr<F32Attr, "1.0">:$output_scale,
                       DefaultValuedAttr<F32Attr, "0.0">:$output_shift);
  let results = (outs DSC_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)? (`residual` `(` $residual^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def DSC_MatMulFusedOp : DSC_FusedEpilogueOp<"matmul_fused"> {
  let summary = "matrix product with a 2-D right-hand side and a fused epilogue";
  let description = [{
    `acc[..., m, n] = sum_k a[..., m, k] * b[k, n]` (`b[n, k]` when
    `trans_b`), then the epilogue of `dsc.conv_fused` with `bias[n]` and
    `residual[..., m, n]` (the result's shape). Made from `dsc.gemm`
    (alpha = 1, no trans_a) and `dsc.matmul` with a 2-D `b`.
  }];
  let arguments = (ins DSC_Tensor:$a, DSC_Tensor:$b,
                       Optional<DSC_Tensor>:$bias,
                       Optional<DSC_Tensor>:$residual,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_b,
                       DefaultValuedAttr<StrAttr, "\"none\"">:$activation,
                       DefaultValuedAttr<F32Attr, "0.0">:$activation_alpha,
                       DefaultValuedAttr<F32Attr, "0.0">:$activation_beta,
                       DefaultValuedAttr<BoolAttr, "false">:$residual_after_activation,
                       DefaultValuedAttr<F32Attr, "1.0">:$output_scale,
                       DefaultValuedAttr<F32Attr, "0.0">:$output_shift);
  let results = (outs DSC_Tensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`bias` `(` $bias^ `)`)? (`residual` `(` $residual^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def DSC_MatMulWeightOnlyOp : DSC_Op<"matmul_weight_only", [Pure]> {
  let summary = "matrix product with block-quantized constant weights";
  let description = [{
    Weight-only quantization (the format of ggml's Q4_0/Q8_0, ONNX's
    blocked DequantizeLinear): `weight` holds int4 or int8 values `[K, N]`,
    `scales` one float16 scale per block of `block_size` consecutive rows
    of a column, `[K / block_size, N]`, symmetric (zero point 0):

        b[k, n] = weight[k, n] * scales[k / block_size, n]
        y[..., m, n] = sum_k a[..., m, k] * b[k, n] (+ bias[n])

    The activations stay float; the code generator dequantizes the blocks
    in registers, so the weights stay 4 or 8 bits in the object.
  }];
  let arguments = (ins DSC_Tensor:$a, DSC_Tensor:$weight, DSC_Tensor:$scales,
                       Optional<DSC_Tensor>:$bias, I64Attr:$block_size);
  let results = (outs DSC_Tensor:$output);
  let assemblyFormat = [{
    $a `,` $weight `,` $scales (`bias` `(` $bias^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def DSC_BatchNormOp : DSC_Op<"batch_norm", [Pure]> {
  let summary = "inference batch normalisation (ONNX BatchNormalization)";
  let description = [{
    `y = scale[c] * (x - mean[c]) / sqrt(var[c] + epsilon) + bias[c]` on axis
    1. The importer keeps it as is (folding is the passes' job) and refuses
    training mode.
  }];
  let arguments = (ins DSC_Tensor:$input, DSC_Tensor:$scale, DSC_Tensor:$bias,
                       DSC_Tensor:$mean, DSC_Tensor:$variance,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
}

def DSC_InstanceNormOp : DSC_Op<"instance_norm", [Pure]> {
  let summary = "instance normalisation (ONNX InstanceNormalization)";
  let description = "`y = scale[c] * (x - mean) / sqrt(var + epsilon) + bias[c]`"
                    " with mean and variance over the spatial axes of each "
                    "(n, c).";
  let arguments = (ins DSC_Tensor:$input, DSC_Tensor:$scale, DSC_Tensor:$bias,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs DSC_Tensor:$output);
}

def DSC_LayerNormOp : DSC_Op<"layer_norm", [Pure]> {
  let summary = "layer normalisation (ONNX LayerNormalization)";
  let description = [{
    `y = (x - mean) / sqrt(var + epsilon) * scale + bias`, with mean and
    variance over the axes from `axis` to the last. `bias` is optional.
  }];
  let arguments = (ins DSC_Tensor:$input, DSC_Tensor:$scale,
                       Optional<DSC_Tensor>:$bias,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs DSC_Tensor:$output);
}

def DSC_AttentionOp : DSC_Op<"attention", [Pure]> {
  let summary = "scaled dot-product attention (made by dsc-fuse)";
  let description = [{
    The attention core that exporters write as MatMul, a scale, an optional
    mask, Softmax and MatMul. With `q[..., l, d]`, `k[..., j, d]` (keys not
    transposed) and `v[..., j, e]`, all with the same batch dims:

        s[..., l, j] = scale * sum_d q[..., l, d] * k[..., j, d]
        s = mask[..., l, j] ? mask_fill : s     (i1 mask: a masked fill)
        s = s + mask[..., l, j]                 (float mask: additive)
        p[..., l, j] = e^(s - max_j s) / sum_j e^(s - max_j s)
        y[..., l, e] = sum_j p[..., l, j] * v[..., j, e]

    `mask` broadcasts (numpy rules) to `[..., l, j]`.
  }];
  let arguments = (ins DSC_Tensor:$q, DSC_Tensor:$k, DSC_Tensor:$v,
                       Optional<DSC_Tensor>:$mask,
                       DefaultValuedAttr<F32Attr, "1.0">:$scale,
                       DefaultValuedAttr<F32Attr, "0.0">:$mask_fill);
  let results = (outs DSC_Tensor:$output);
  let assemblyFormat = [{
    $q `,` $k `,` $v (`mask` `(` $mask^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def DSC_SoftmaxOp : DSC_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "softmax along one axis (ONNX Softmax)";
  let description = [{
    `y = e^(x - max) / sum(e^(x - max))` along `axis` (opset 13 semantics; the
    importer rewrites opset < 13's flatten-to-2-D form).
  }];
  let arguments = (ins DSC_Tensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs DSC_Tensor:$output);
}

def DSC_LogSoftmaxOp : DSC_Op<"log_softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "log of softmax along one axis (ONNX LogSoftmax)";
  let description = "`y = x - max - ln(sum(e^(x - max)))` along `axis`.";
  let arguments = (ins DSC_Tensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs DSC_Tensor:$output);
}

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

def DSC_MaxPoolOp : DSC_Op<"max_pool", [Pure]> {
  let summary = "max pooling (ONNX MaxPool)";
  let description = "`y[n, c, o...] = max_k x[n, c, o*s + k*d - pad_begin]`, "
                    "padding never selected.";
  let arguments = (ins DSC_Tensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<I64Attr, "0">:$ceil_mode);
  let results = (outs DSC_Tensor:$output);
}

def DSC_AveragePoolOp : DSC_Op<"average_pool", [Pure]> {
  let summary = "average pooling (ONNX AveragePool)";
  let description = "`y = mean of the window`, counting padded elements only "
                    "when `count_include_pad` is set.";
  let arguments = (ins DSC_Tensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                       DefaultValuedAttr<I64Attr, "0">:$count_include_pad);
  let results = (outs DSC_Tensor:$output);
}

def DSC_GlobalAveragePoolOp : DSC_Op<"global_average_pool", [Pure]> {
  let summary = "mean over all spatial axes (ONNX GlobalAveragePool)";
  let description = "`y[n, c, 1...] = mean(x[n, c, ...])`.";
  let arguments = (ins DSC_Tensor:$input);
  let results = (outs DSC_Tensor:$output);
}

def DSC_GlobalMaxPoolOp : DSC_Op<"global_max_pool", [Pure]> {
  let summary = "max over all spatial axes (ONNX GlobalMaxPool)";
  let description = "`y[n, c, 1...] = max(x[n, c, ...])`.";
  let arguments = (ins DSC_Tensor:$input);
  let results = (outs DSC_Tensor:$output);
}

def DSC_ReduceMeanOp : DSC_ReduceOp<"reduce_mean", "ReduceMean", "mean">;
def DSC_ReduceSumOp : DSC_ReduceOp<"reduce_sum", "ReduceSum", "sum">;
def DSC_ReduceMaxOp : DSC_ReduceOp<"reduce_max", "ReduceMax", "max">;
def DSC_ReduceMinOp : DSC_ReduceOp<"reduce_min", "ReduceMin", "min">;
def DSC_ReduceProdOp : DSC_ReduceOp<"reduce_prod", "ReduceProd", "product">;
def DSC_ReduceL1Op : DSC_ReduceOp<"reduce_l1", "ReduceL1", "sum |x|">;
def DSC_ReduceL2Op : DSC_ReduceOp<"reduce_l2", "ReduceL2", "sqrt(sum x^2)">;
def DSC_ReduceSumSquareOp : DSC_ReduceOp<"reduce_sum_square", "ReduceSumSquare",
                                         "sum x^2">;
def DSC_ReduceLogSumExpOp : DSC_ReduceOp<"reduce_log_sum_exp", "ReduceLogSumExp",
                                         "ln(sum e^x)">;

class DSC_ArgReduceOp<string mnemonic, string onnxName, string what>
    : DSC_Op<mnemonic, [Pure]> {
  let summary = "index of the " # what # " along an axis (ONNX " # onnxName # ")";
  let description = "Int64 index of the " # what # " element along `axis`; "
                    # "ties pick the first index unless `select_last_index`.";
  let arguments = (ins DSC_Tensor:$input,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedAttr<I64Attr, "1">:$keepdims,
                       DefaultValuedAttr<I64Attr, "0">:$select_last_index);
  let results = (outs DSC_Tensor:$output);
}
def DSC_ArgMaxOp : DSC_ArgReduceOp<"arg_max", "ArgMax", "largest">;
def DSC_ArgMinOp : DSC_ArgReduceOp<"arg_min", "ArgMin", "smallest">;

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def DSC_ReshapeOp : DSC_Op<"reshape", [Pure]> {
  let summary = "reshape to a shape tensor (ONNX Reshape)";
  let description = [{
    Reshapes `input` to `shape`; a 0 in `shape` copies the input's dim unless
    `allowzero`, a -1 is inferred. The result type already holds the shape
    as far as it is known at compile time.
  }];
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$shape,
                       DefaultValuedAttr<I64Attr, "0">:$allowzero);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def DSC_FlattenOp : DSC_Op<"flatten", [Pure]> {
  let summary = "flatten to 2-D at an axis (ONNX Flatten)";
  let description = "Result `[prod(d[0:axis]), prod(d[axis:])]`.";
  let arguments = (ins DSC_Tensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def DSC_SqueezeOp : DSC_Op<"squeeze", [Pure]> {
  let summary = "remove size-1 axes (ONNX Squeeze)";
  let description = "Removes the listed axes (all size-1 axes when `axes` is empty).";
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$axes);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def DSC_UnsqueezeOp : DSC_Op<"unsqueeze", [Pure]> {
  let summary = "insert size-1 axes (ONNX Unsqueeze)";
  let description = "Inserts axes of size 1 at the listed positions of the result.";
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$axes);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def DSC_TransposeOp : DSC_Op<"transpose", [Pure]> {
  let summary = "permute axes (ONNX Transpose)";
  let description = "`y.shape[i] = x.shape[perm[i]]`.";
  let arguments = (ins DSC_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def DSC_ConcatOp : DSC_Op<"concat", [Pure]> {
  let summary = "concatenate along an axis (ONNX Concat)";
  let description = "Joins the inputs along `axis`; the other dims must agree.";
  let arguments = (ins Variadic<DSC_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def DSC_SplitOp : DSC_Op<"split", [Pure]> {
  let summary = "split along an axis (ONNX Split)";
  let description = "Splits `input` along `axis` into pieces of the sizes in "
                    "`split` (the importer materialises equal sizes).";
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$split, I64Attr:$axis);
  let results = (outs Variadic<DSC_Tensor>:$outputs);
}

def DSC_SliceOp : DSC_Op<"slice", [Pure]> {
  let summary = "strided slice (ONNX Slice)";
  let description = [{
    For each listed axis, takes `starts[i]` to `ends[i]` (exclusive) by
    `steps[i]`, with ONNX's clamping of out-of-range bounds and negative
    indices counted from the end.
  }];
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$starts,
                       DSC_IndexTensor:$ends, DSC_IndexTensor:$axes,
                       DSC_IndexTensor:$steps);
  let results = (outs DSC_Tensor:$output);
  let hasFolder = 1;
}

def DSC_GatherOp : DSC_Op<"gather", [Pure]> {
  let summary = "gather slices along an axis (ONNX Gather)";
  let description = "`y[i..., j..., k...] = data[i..., indices[j...], k...]` "
                    "with `axis` selecting where `indices` goes; negative "
                    "indices count from the end.";
  let arguments = (ins DSC_Tensor:$data, DSC_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs DSC_Tensor:$output);
  let hasFolder = 1;
}

def DSC_GatherElementsOp : DSC_Op<"gather_elements", [Pure]> {
  let summary = "gather elements along an axis (ONNX GatherElements)";
  let description = "`y[i][j] = data[indices[i][j]][j]` for axis 0, and "
                    "likewise for other axes.";
  let arguments = (ins DSC_Tensor:$data, DSC_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs DSC_Tensor:$output);
}

def DSC_GatherNDOp : DSC_Op<"gather_nd", [Pure]> {
  let summary = "gather by index tuples (ONNX GatherND)";
  let description = "Gathers slices of `data` addressed by the last axis of "
                    "`indices`, after `batch_dims` shared leading axes.";
  let arguments = (ins DSC_Tensor:$data, DSC_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs DSC_Tensor:$output);
}

def DSC_ScatterNDOp : DSC_Op<"scatter_nd", [Pure]> {
  let summary = "scatter by index tuples (ONNX ScatterND)";
  let description = "A copy of `data` with `updates` written at `indices`.";
  let arguments = (ins DSC_Tensor:$data, DSC_IndexTensor:$indices,
                       DSC_Tensor:$updates,
                       DefaultValuedAttr<StrAttr, "\"none\"">:$reduction);
  let results = (outs DSC_Tensor:$output);
}

def DSC_ExpandOp : DSC_Op<"expand", [Pure]> {
  let summary = "broadcast to a shape (ONNX Expand)";
  let description = "Broadcasts `input` against `shape` (numpy rules).";
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$shape);
  let results = (outs DSC_Tensor:$output);
}

def DSC_TileOp : DSC_Op<"tile", [Pure]> {
  let summary = "repeat along each axis (ONNX Tile)";
  let description = "`y.shape[i] = x.shape[i] * repeats[i]`.";
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$repeats);
  let results = (outs DSC_Tensor:$output);
}

def DSC_PadOp : DSC_Op<"pad", [Pure]> {
  let summary = "pad (ONNX Pad)";
  let description = [{
    Pads each axis by `pads[i]` before and `pads[rank + i]` after (negative
    pads crop). `mode` is `constant` (with `constant_value`), `reflect`,
    `edge` or `wrap`. The importer materialises the attribute form of Pad-2
    and an `axes` input into a full-rank `pads` tensor.
  }];
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$pads,
                       DSC_Tensor:$constant_value,
                       DefaultValuedAttr<StrAttr, "\"constant\"">:$mode);
  let results = (outs DSC_Tensor:$output);
}

def DSC_ShapeOp : DSC_Op<"shape", [Pure]> {
  let summary = "the shape as a 1-D int64 tensor (ONNX Shape)";
  let description = "Dims `start` to `end` of the input's shape.";
  let arguments = (ins DSC_Tensor:$input,
                       DefaultValuedAttr<I64Attr, "0">:$start,
                       OptionalAttr<I64Attr>:$end);
  let results = (outs DSC_Tensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def DSC_SizeOp : DSC_Op<"size", [Pure]> {
  let summary = "number of elements as an int64 scalar (ONNX Size)";
  let description = "The product of the input's dims.";
  let arguments = (ins DSC_Tensor:$input);
  let results = (outs DSC_Tensor:$output);
}

def DSC_ConstantOfShapeOp : DSC_Op<"constant_of_shape", [Pure]> {
  let summary = "a tensor filled with one value (ONNX ConstantOfShape)";
  let description = "A tensor of the given `shape` whose elements all equal "
                    "the one element of `value`.";
  let arguments = (ins DSC_IndexTensor:$shape, ElementsAttr:$value);
  let results = (outs DSC_Tensor:$output);
}

def DSC_RangeOp : DSC_Op<"range", [Pure]> {
  let summary = "arithmetic sequence (ONNX Range)";
  let description = "`[start, start+delta, ...)` below `limit`.";
  let arguments = (ins DSC_Tensor:$start, DSC_Tensor:$limit, DSC_Tensor:$delta);
  let results = (outs DSC_Tensor:$output);
}

def DSC_ResizeOp : DSC_Op<"resize", [Pure]> {
  let summary = "resize spatial axes (ONNX Resize, Upsample)";
  let description = [{
    Resamples `input` by `scales` or to `sizes` (one of them is empty, as in
    ONNX) with `mode` nearest, linear or cubic and ONNX's
    `coordinate_transformation_mode` and `nearest_mode`.
  }];
  let arguments = (ins DSC_Tensor:$input, DSC_Tensor:$scales, DSC_Tensor:$sizes,
                       DefaultValuedAttr<StrAttr, "\"nearest\"">:$mode,
                       DefaultValuedAttr<StrAttr, "\"half_pixel\"">:$coordinate_transformation_mode,
                       DefaultValuedAttr<StrAttr, "\"round_prefer_floor\"">:$nearest_mode,
                       DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
                       DefaultValuedAttr<I64Attr, "0">:$exclude_outside,
                       DefaultValuedAttr<F32Attr, "0.0">:$extrapolation_value);
  let results = (outs DSC_Tensor:$output);
}

def DSC_DepthToSpaceOp : DSC_Op<"depth_to_space", [Pure]> {
  let summary = "move channel blocks into space (ONNX DepthToSpace)";
  let description = "Rearranges `[N, C*b*b, H, W]` to `[N, C, H*b, W*b]` in "
                    "`DCR` or `CRD` order.";
  let arguments = (ins DSC_Tensor:$input, I64Attr:$blocksize,
                       DefaultValuedAttr<StrAttr, "\"DCR\"">:$mode);
  let results = (outs DSC_Tensor:$output);
}

def DSC_SpaceToDepthOp : DSC_Op<"space_to_depth", [Pure]> {
  let summary = "move spatial blocks into channels (ONNX SpaceToDepth)";
  let description = "Rearranges `[N, C, H*b, W*b]` to `[N, C*b*b, H, W]`.";
  let arguments = (ins DSC_Tensor:$input, I64Attr:$blocksize);
  let results = (outs DSC_Tensor:$output);
}

def DSC_TopKOp : DSC_Op<"top_k", [Pure]> {
  let summary = "k largest or smallest elements (ONNX TopK)";
  let description = "Values and int64 indices of the `k` largest (or "
                    "smallest) elements along `axis`.";
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$k,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<I64Attr, "1">:$largest,
                       DefaultValuedAttr<I64Attr, "1">:$sorted);
  let results = (outs DSC_Tensor:$values, DSC_Tensor:$indices);
}

def DSC_CumSumOp : DSC_Op<"cum_sum", [Pure]> {
  let summary = "cumulative sum (ONNX CumSum)";
  let description = "Running sum along `axis`, optionally exclusive or reversed.";
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$exclusive,
                       DefaultValuedAttr<I64Attr, "0">:$reverse);
  let results = (outs DSC_Tensor:$output);
}

def DSC_TriluOp : DSC_Op<"trilu", [Pure]> {
  let summary = "upper or lower triangle (ONNX Trilu)";
  let description = "Keeps the elements on and above (`upper`) or on and "
                    "below the `k`-th diagonal of the last two axes; zeroes "
                    "the rest.";
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$k,
                       DefaultValuedAttr<I64Attr, "1">:$upper);
  let results = (outs DSC_Tensor:$output);
}

def DSC_OneHotOp : DSC_Op<"one_hot", [Pure]> {
  let summary = "one-hot encoding (ONNX OneHot)";
  let description = "`y[..., i, ...] = indices == i ? values[1] : values[0]` "
                    "along the new `axis` of size `depth`.";
  let arguments = (ins DSC_Tensor:$indices, DSC_Tensor:$depth, DSC_Tensor:$values,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs DSC_Tensor:$output);
}

//===----------------------------------------------------------------------===//
// Training-only heads (kept so distillation graphs import; the distillation
// folding pass removes them)
//===----------------------------------------------------------------------===//

def DSC_SoftmaxCrossEntropyLossOp : DSC_Op<"softmax_cross_entropy_loss", [Pure]> {
  let summary = "softmax cross-entropy loss (ONNX SoftmaxCrossEntropyLoss)";
  let description = [{
    `loss[n] = -weights[labels[n]] * log_softmax(scores)[n, labels[n]]`,
    reduced by `reduction` (`mean`, `sum` or `none`); labels equal to
    `ignore_index` contribute nothing. The second result is the
    log-probability tensor.
  }];
  let arguments = (ins DSC_Tensor:$scores, DSC_IndexTensor:$labels,
                       Optional<DSC_Tensor>:$weights,
                       DefaultValuedAttr<StrAttr, "\"mean\"">:$reduction,
                       OptionalAttr<I64Attr>:$ignore_index);
  let results = (outs DSC_Tensor:$loss, DSC_Tensor:$log_prob);
}

def DSC_NegativeLogLikelihoodLossOp
    : DSC_Op<"negative_log_likelihood_loss", [Pure]> {
  let summary = "negative log-likelihood loss (ONNX NegativeLogLikelihoodLoss)";
  let description = "`loss[n] = -weight[target[n]] * input[n, target[n]]`, "
                    "reduced by `reduction`.";
  let arguments = (ins DSC_Tensor:$input, DSC_IndexTensor:$target,
                       Optional<DSC_Tensor>:$weight,
                       DefaultValuedAttr<StrAttr, "\"mean\"">:$reduction,
                       OptionalAttr<I64Attr>:$ignore_index);
  let results = (outs DSC_Tensor:$loss);
}

//===----------------------------------------------------------------------===//
// Recurrent layers
//===----------------------------------------------------------------------===//

class DSC_RecurrentOp<string mnemonic, string onnxName, string math>
    : DSC_Op<mnemonic, [Pure, AttrSizedOperandSegments]> {
  let summary = onnxName # " layer over a sequence (ONNX " # onnxName # ")";
  let description = "ONNX `" # onnxName # "` semantics: " # math # " Layout "
    # "`[seq, batch, input]` (layout 0); `direction` is `forward`, `reverse` "
    # "or `bidirectional`. Results: all hidden states `[seq, dirs, batch, "
    # "hidden]` and the last hidden (and cell) state `[dirs, batch, hidden]`.";
  let assemblyFormat = [{
    $X `,` $W `,` $R (`bias` `(` $B^ `)`)? (`sequence_lens` `(` $sequence_lens^ `)`)?
    (`initial_h` `(` $initial_h^ `)`)? attr-dict `:` functional-type(operands, results)
  }];
}

def DSC_LSTMOp : DSC_RecurrentOp<"lstm", "LSTM",
    "gates `i, o, f, c` from `W x + R h + b`; `c' = f*c + i*g(c~)`, `h' = o*h(c')`."> {
  let arguments = (ins DSC_Tensor:$X, DSC_Tensor:$W, DSC_Tensor:$R,
                       Optional<DSC_Tensor>:$B,
                       Optional<DSC_Tensor>:$sequence_lens,
                       Optional<DSC_Tensor>:$initial_h,
                       Optional<DSC_Tensor>:$initial_c,
                       Optional<DSC_Tensor>:$P,
                       I64Attr:$hidden_size,
                       DefaultValuedAttr<StrAttr, "\"forward\"">:$direction,
                       DefaultValuedAttr<StrArrayAttr, "{}">:$activations,
                       OptionalAttr<F32Attr>:$clip,
                       DefaultValuedAttr<I64Attr, "0">:$input_forget);
  let results = (outs DSC_Tensor:$Y, DSC_Tensor:$Y_h, DSC_Tensor:$Y_c);
  let assemblyFormat = [{
    $X `,` $W `,` $R (`bias` `(` $B^ `)`)? (`sequence_lens` `(` $sequence_lens^ `)`)?
    (`initial_h` `(` $initial_h^ `)`)? (`initial_c` `(` $initial_c^ `)`)?
    (`peepholes` `(` $P^ `)`)? attr-dict `:` functional-type(operands, results)
  }];
}

def DSC_GRUOp : DSC_RecurrentOp<"gru", "GRU",
    "gates `z, r, h~`; `h' = (1-z)*h~ + z*h`."> {
  let arguments = (ins DSC_Tensor:$X, DSC_Tensor:$W, DSC_Tensor:$R,
                       Optional<DSC_Tensor>:$B,
                       Optional<DSC_Tensor>:$sequence_lens,
                       Optional<DSC_Tensor>:$initial_h,
                       I64Attr:$hidden_size,
                       DefaultValuedAttr<StrAttr, "\"forward\"">:$direction,
                       DefaultValuedAttr<StrArrayAttr, "{}">:$activations,
                       OptionalAttr<F32Attr>:$clip,
                       DefaultValuedAttr<I64Attr, "0">:$linear_before_reset);
  let results = (outs DSC_Tensor:$Y, DSC_Tensor:$Y_h);
}

//===----------------------------------------------------------------------===//
// Control flow
//===----------------------------------------------------------------------===//

def DSC_ElementwiseOp : DSC_Op<"elementwise", [Pure, IsolatedFromAbove]> {
  let summary = "a chain of elementwise ops run as one loop (made by dsc-fuse)";
  let description = [{
    `y[i] = body(inputs[0][i'], inputs[1][i'], ...)` for every index i of
    the result, each input broadcast to the result's shape (numpy rules,
    i' its index into that input). The body has one argument per input, a
    rank-0 tensor of the input's element type, and holds the fused
    elementwise ops on rank-0 tensors (float activations and math, add,
    sub, mul, div, max, min, prelu, clip; quantize and dequantize with
    scalar scales and zero points), ending in `dsc.yield` of one rank-0
    value of the result's element type. The code generator emits
    one loop nest and no intermediate buffer.
  }];
  let arguments = (ins Variadic<DSC_Tensor>:$inputs);
  let results = (outs DSC_Tensor:$output);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, results) $body
  }];
  let hasVerifier = 1;
}

def DSC_YieldOp : DSC_Op<"yield", [Pure, Terminator, ReturnLike,
                                   ParentOneOf<["IfOp", "LoopOp", "ElementwiseOp"]>]> {
  let summary = "the results of an if branch, loop body or elementwise body";
  let description = "Ends a region of `dsc.if`, `dsc.loop` or "
                    "`dsc.elementwise`; its operands are the region's outputs "
                    "(ONNX subgraph outputs, or the element computed).";
  let arguments = (ins Variadic<DSC_Tensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

def DSC_IfOp : DSC_Op<"if", [RecursiveMemoryEffects, NoRegionArguments]> {
  let summary = "run one of two branches on a run-time condition (ONNX If)";
  let description = [{
    Runs `then_branch` when the single boolean in `condition` is true, else
    `else_branch`; only the chosen branch is evaluated. The branches may use
    values from the enclosing region (ONNX outer-scope references).
  }];
  let arguments = (ins DSC_BoolTensor:$condition);
  let results = (outs Variadic<DSC_Tensor>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch, SizedRegion<1>:$else_branch);
  let assemblyFormat = [{
    $condition `:` type($condition) (`->` type($outputs)^)? $then_branch `else` $else_branch attr-dict
  }];
  let hasVerifier = 1;
}

def DSC_LoopOp : DSC_Op<"loop", [RecursiveMemoryEffects]> {
  let summary = "a bounded loop with loop-carried values (ONNX Loop)";
  let description = [{
    Runs `body` while `iteration < max_trip_count` and the condition is true.
    The body's arguments are the iteration number (int64 scalar), the
    condition (bool scalar) and the loop-carried values; it yields the next
    condition, the next loop-carried values, then one tensor per scan output,
    which the loop stacks along a new leading axis. The importer
    materialises an omitted trip count (INT64_MAX) or condition (true).
  }];
  let arguments = (ins DSC_Tensor:$max_trip_count, DSC_BoolTensor:$condition,
                       Variadic<DSC_Tensor>:$initial_values);
  let results = (outs Variadic<DSC_Tensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $max_trip_count `,` $condition (`,` $initial_values^)? attr-dict `:`
    functional-type(operands, results) $body
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Quantization (pre-quantized ONNX models: QDQ and QOperator forms)
//===----------------------------------------------------------------------===//

def DSC_QuantizeLinearOp : DSC_Op<"quantize_linear", [Pure]> {
  let summary = "float to integer quantization (ONNX QuantizeLinear)";
  let description = [{
    `y = saturate(round_half_even(x / scale) + zero_point)` with per-tensor
    scalars or per-axis 1-D `scale`/`zero_point` along `axis`. The result is
    an integer tensor or a tensor of `!quant.uniform` type.
  }];
  let arguments = (ins DSC_Tensor:$input, DSC_Tensor:$scale,
                       DSC_Tensor:$zero_point,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs DSC_Tensor:$output);
}

def DSC_DequantizeLinearOp : DSC_Op<"dequantize_linear", [Pure]> {
  let summary = "integer to float (ONNX DequantizeLinear)";
  let description = "`y = (x - zero_point) * scale`, per tensor or per axis.";
  let arguments = (ins DSC_Tensor:$input, DSC_Tensor:$scale,
                       DSC_Tensor:$zero_point,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs DSC_Tensor:$output);
}

def DSC_DynamicQuantizeLinearOp : DSC_Op<"dynamic_quantize_linear", [Pure]> {
  let summary = "uint8 quantization with run-time range (ONNX DynamicQuantizeLinear)";
  let description = [{
    `scale = (max(0, max(x)) - min(0, min(x))) / 255`,
    `zero_point = saturate(round(-min(0, min(x)) / scale))`,
    `y = saturate(round(x / scale) + zero_point)`.
  }];
  let arguments = (ins DSC_Tensor:$input);
  let results = (outs DSC_Tensor:$output, DSC_Tensor:$scale, DSC_Tensor:$zero_point);
}

def DSC_QLinearConvOp : DSC_Op<"qlinear_conv", [Pure]> {
  let summary = "quantized convolution (ONNX QLinearConv)";
  let description = [{
    The integer convolution of `(x - x_zero_point)` and `(w - w_zero_point)`
    plus the int32 `bias`, requantized with `x_scale * w_scale / y_scale` and
    `y_zero_point`. Attributes as `dsc.conv`.
  }];
  let arguments = (ins DSC_Tensor:$x, DSC_Tensor:$x_scale, DSC_Tensor:$x_zero_point,
                       DSC_Tensor:$w, DSC_Tensor:$w_scale, DSC_Tensor:$w_zero_point,
                       DSC_Tensor:$y_scale, DSC_Tensor:$y_zero_point,
                       Optional<DSC_Tensor>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs DSC_Tensor:$output);
}

def DSC_QLinearMatMulOp : DSC_Op<"qlinear_matmul", [Pure]> {
  let summary = "quantized matrix product (ONNX QLinearMatMul)";
  let description = "The integer product of `(a - a_zero_point)` and "
                    "`(b - b_zero_point)` requantized with "
                    "`a_scale * b_scale / y_scale` and `y_zero_point`.";
  let arguments = (ins DSC_Tensor:$a, DSC_Tensor:$a_scale, DSC_Tensor:$a_zero_point,
                       DSC_Tensor:$b, DSC_Tensor:$b_scale, DSC_Tensor:$b_zero_point,
                       DSC_Tensor:$y_scale, DSC_Tensor:$y_zero_point);
  let results = (outs DSC_Tensor:$output);
}

def DSC_MatMulIntegerOp : DSC_Op<"matmul_integer", [Pure]> {
  let summary = "integer matrix product to int32 (ONNX MatMulInteger)";
  let description = "`y = (a - a_zero_point) x (b - b_zero_point)` in int32; "
                    "the importer materialises omitted zero points as 0.";
  let arguments = (ins DSC_Tensor:$a, DSC_Tensor:$b,
                       DSC_Tensor:$a_zero_point, DSC_Tensor:$b_zero_point);
  let results = (outs DSC_Tensor:$output);
}

def DSC_ConvIntegerOp : DSC_Op<"conv_integer", [Pure]> {
  let summary = "integer convolution to int32 (ONNX ConvInteger)";
  let description = "The convolution of `(x - x_zero_point)` and "
                    "`(w - w_zero_point)` in int32; attributes as `dsc.conv`.";
  let arguments = (ins DSC_Tensor:$x, DSC_Tensor:$w,
                       DSC_Tensor:$x_zero_point, DSC_Tensor:$w_zero_point,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs DSC_Tensor:$output);
}

#endif // DSC_OPS_TD
