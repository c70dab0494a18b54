//===- Passes.td - dsc graph passes ------------------------*- tablegen -*-===//

#ifndef DSC_DIALECT_DSC_TRANSFORMS_PASSES_TD
#define DSC_DIALECT_DSC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldBatchNorm : Pass<"dsc-fold-batchnorm", "mlir::func::FuncOp"> {
  let summary = "Fold inference BatchNormalization into the preceding conv or gemm";
  let description = [{
    A `dsc.batch_norm` whose input is a `dsc.conv` (or `dsc.gemm` with
    `trans_b`, alpha = beta = 1 and a 1-D or absent `c`) with constant
    weights, used only by the batch norm, becomes that op with rescaled
    weights. With s = scale / sqrt(variance + epsilon):

        w'[f, ...] = s[f] * w[f, ...]
        b'[f]      = s[f] * (b[f] - mean[f]) + bias[f]     (b = 0 if absent)

    so conv(x, w', b') = batch_norm(conv(x, w, b)) exactly up to rounding.
    A `dsc.conv_transpose` (weight `[C, F/G, K...]`) folds the same way, its
    output channel o = g*F/G + f scaling `w[g*C/G + c, f, ...]`.

    A batch norm also reaches its producer through an op between them where
    that is exact:
    - a per-channel constant add (`[C]`, `[C, 1, 1]`, `[1, C, 1, 1]`; the
      bias some exporters write after a conv_transpose):
      `bn(x + c) = bn'(x)` with `mean' = mean - c`;
    - a max pool, when every s > 0 (an increasing map commutes with the
      max; padding is never selected): `bn(max_pool(x)) =
      max_pool(bn(x))`, moved only when x is a conv or conv_transpose.

    A batch norm with nothing to fold into becomes `x * s + t` with
    constants `s`, `t` of shape `[C, 1, ..]` (the scale and shift above,
    with b = 0).

    The folded weights are new constants (resource blobs when large).
  }];
  let dependentDialects = ["::dsc::DSCDialect"];
}

def FoldBranches : Pass<"dsc-fold-branches", "mlir::func::FuncOp"> {
  let summary = "Fold re-parameterised conv branches, linear chains and per-channel affines";
  let description = [{
    Structural re-parameterisation (RepVGG-style blocks) trains parallel
    linear branches of one input and sums them, e.g.
    `BN_a(conv3x3(x)) + BN_b(conv1x1(x)) + BN_c(x)`. Each branch is a conv
    (constant weights, group 1, no dilation) or the identity, followed by
    per-channel affines (BatchNormalization, or Mul/Add by a per-channel
    constant), so the sum is one conv. With s_k, t_k branch k's affine and
    (di_k, dj_k) = (PT - pt_k, PL - pl_k) its kernel's place in the merged
    kernel (PT, PL the largest top/left padding):

        W[f, c, i + di_k, j + dj_k] += s_k[f] * w_k[f, c, i, j]
        B[f]                         = sum_k s_k[f] * b_k[f] + t_k[f]

    with the identity a 1x1 kernel w[f, c] = (f == c). Branches fold when
    they read the same input with the same strides and the padding below
    and right of each placed kernel agrees (3x3 pad 1 with 1x1 pad 0 and
    the identity); the values inside a branch must have no other use. The
    pass folds the branch BNs itself, so it gives the same convs whether or
    not `--dsc-fold` ran first. `--dsc-fold`, the lowering's preparation
    and `--dsc-fold-distillation` run it with `affines=false`.

    Linear layers with nothing nonlinear between them become one when that
    costs no more multiply-adds: `gemm(gemm(x, B1, c1), B2, c2) =
    gemm(x, B1 B2, c1 B2 + c2)` (alpha = beta = 1, when K1 N2 <= K1 N1 +
    N1 N2), and a 1x1 conv (stride 1, unpadded) after a conv (per-channel
    affines between them included): `W[f, c, i, j] = sum_m w2[f, m]
    w1[m, c, i, j]`, `b = w2 b1 + b2`, when F C KH KW <= M C KH KW + F M
    (a bottleneck followed by an expansion stays two layers).

    With `affines=true` (the default when run alone) a per-channel affine
    after a lone conv also folds into it, BatchNormalization included.
    The pipelines leave those alone: pruning by BN gamma reads the BNs
    (`--dsc-fold`'s BN folding takes them later), and scalar Mul/Add after a
    conv stay where the quantizer has calibrated them.
  }];
  let options = [
    Option<"affines", "affines", "bool", "true",
           "Also fold per-channel affines (BN, Mul/Add by constants) after a lone conv">
  ];
  let dependentDialects = ["::dsc::DSCDialect"];
}

def ExposeIntermediates : Pass<"dsc-expose-intermediates", "mlir::ModuleOp"> {
  let summary = "Make every float tensor of @main an extra output (for --dump-all)";
  let description = [{
    Appends to @main's results every float tensor the model computes (its
    inputs and each op's results, the tensors dsc-calibrate observes),
    named `dsc.intermediate.<key>` with `key` the ONNX node's name (`:k`
    for a node's k-th result, `#n` for the n-th op of one node). The
    executable harness's `--dump-all DIR` writes them. A tensor that is an
    output keeps the graph around it (nothing fuses or folds it away), so
    each one is what the ONNX node computes; `--dsc-lower-to-llvm="...
    intermediates=true"` (dsc-compile `--intermediates`) runs this pass
    before the preparation. For debugging builds: every tensor gets its own
    buffer.
  }];
}

def FoldDistillation : Pass<"dsc-fold-distillation", "mlir::ModuleOp"> {
  let summary = "Keep the student of a distillation graph: drop teacher and loss heads";
  let description = [{
    A model exported from a distillation set-up computes the teacher, the
    student, softened outputs and a loss. This pass keeps the deployment
    outputs of `@main` and removes everything only the others need:

    - `outputs=a,b` names the outputs to keep. Without it, outputs that
      depend on a loss op (SoftmaxCrossEntropyLoss, NegativeLogLikelihoodLoss)
      are dropped, and when the remaining outputs come from two or more
      networks (disjoint sets of weights) and a loss reads more than one of
      them, the largest network that feeds the loss, the teacher, is
      dropped too. With no loss head it keeps every output.
    - Graph inputs only the removed part used (e.g. `labels`) are removed.
    - Temperature scaling folds into the linear layer before it: where a
      kept output is `softmax(gemm(x, W, b) / T)` (or `* (1/T)`, or
      log_softmax) and the logits have no other use,
      `gemm(x, W / T, b / T)` replaces the division, so the output is the
      same.
    - Structural re-parameterisations fold (`--dsc-fold-branches`): parallel
      conv branches of one input with their BNs, summed, become one conv,
      and linear layers with no nonlinearity between them one layer where
      that costs no more. (BatchNormalizations after a lone conv stay for
      pruning by BN gamma; `--dsc-fold` folds them.)

    What was removed and folded is reported as a remark.

    `keep-teacher-as=FILE` also writes the teacher alone (the outputs of
    the largest network feeding the loss, everything they need, and only
    the inputs they read): ONNX when FILE ends in `.onnx` (what
    `dsc-fidelity --reference` takes, to compare a compressed student with
    its teacher), MLIR text otherwise. It is an error when the model has no
    teacher.
  }];
  let options = [
    ListOption<"outputs", "outputs", "std::string",
               "Names of the outputs to keep (default: the student's)">,
    Option<"keepTeacherAs", "keep-teacher-as", "std::string", /*default=*/"",
           "Write the teacher network alone to this file (.onnx or .mlir)">
  ];
  let dependentDialects = ["::dsc::DSCDialect"];
}

def FuseOps : Pass<"dsc-fuse", "mlir::func::FuncOp"> {
  let summary = "Fuse bias, activations and residual adds into conv and matmul";
  let description = [{
    The code generator's conv and matmul kernels apply an epilogue to each
    output as they store it. This pass moves into that epilogue what the
    graph computes right after a conv or matmul:

    - `dsc.conv` becomes `dsc.conv_fused`; `dsc.gemm` (trans_a = 0,
      alpha = 1) and `dsc.matmul` with a 2-D right-hand side become
      `dsc.matmul_fused`. A gemm's `c` of `[N]` (or `[1, N]`, constant, times
      beta) is the bias; `c` of `[M, N]` with beta = 1 the residual.
    - `y + c` with a constant `c` holding one value per output channel
      (`[F, 1, 1]`, `[1, F, 1, 1]` after a conv; `[N]` after a matmul) or
      a single value: `bias' = bias + c`.
    - `y * c` with such a `c` and constant weights, before any activation
      or residual: `w'[f, ...] = c[f] w[f, ...]` (a matmul's column f),
      `bias' = c bias` (PP-LCNet's scalar affine blocks).
    - An activation: Relu, Clip with constant bounds, LeakyRelu,
      HardSigmoid, HardSwish, Sigmoid, Tanh, and `x * sigmoid(x)` (swish).
    - `y + r` with `r` of the result's shape: the residual, added before the
      activation when none is fused yet (`act(acc + bias + r)`), after it
      otherwise (`act(acc + bias) + r`).
    - After an activation, `y * c`, `y / c`, `y + c`, `y - c` with a
      one-element constant `c` and no residual yet: the epilogue's output
      scale and shift, `act(..) * s + t` (PP-LCNet's affine blocks after
      each HardSwish).

    Each fusion needs the conv/matmul result to have no other user, so no
    value the graph still reads disappears.

    It also recognises a LayerNormalization written out as arithmetic (torch
    exports before opset 17): `d = x - mean(x)`,
    `d / sqrt(mean(d^2) + eps) [* gamma] [+ beta]` over the last axis, with
    constant `eps`, `gamma`, `beta` and no other reader of the
    intermediates, becomes one `dsc.layer_norm`; GELU written out
    (`x * (1 + erf(x / sqrt 2)) * 0.5`) becomes `dsc.gelu`, and so does its
    tanh form (`0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`, x^3 as a
    pow or two products: `approximate = "tanh"`); a softmax written out
    over the last axis (`e / sum(e)` with `e = exp(x - max(x))` or
    `exp(x)`) becomes `dsc.softmax`.

    Written-out activations are recognised first, so they reach the
    epilogue: `clip(x + a, 0, b) / b` (or `* (1/b)`) is
    `dsc.hard_sigmoid(x)` with alpha = 1/b, beta = a/b;
    `x * hard_sigmoid(x)` with alpha 1/6, beta 1/2, and
    `(x * clip(x + 3, 0, 6)) / 6` (Paddle's export), are `dsc.hard_swish(x)`.

    In an int8 model it keeps tensors in bytes where no value changes: a
    per-tensor quantize after a concat or a nearest-mode resize moves in
    front of it (quantizing commutes with copying elements), and a global
    average pool of a per-tensor dequantize that has other readers gets a
    dequantize of its own, which the lowering reads as bytes
    (`(sum(q) / count - zp) * scale`), so the other readers can take theirs
    into their loops.

    Last, chains of elementwise ops left between the kernels (each op but
    the last read only by ops of the chain and of the last one's shape: float
    activations and math functions, add, sub, mul, div, max, min, prelu,
    clip, and quantize/dequantize with one constant scale and zero point,
    so an int8 model's dequantize -> activation -> quantize between two
    quantized convs is one pass over the bytes) become one
    `dsc.elementwise` whose body holds the ops on
    rank-0 tensors, with scalar constants cloned in and other outside
    values as inputs (broadcast as the ops broadcast them): the code
    generator runs them as one loop with no intermediate tensor.

    Before any of that it recognises scaled dot-product attention,
    `y = matmul(softmax(mask(scale * matmul(q, kT))), v)` with softmax on
    the last axis, into one `dsc.attention(q, k, v, mask)`:
    - the scale is the product of scalar constants multiplying or dividing
      the scores, the queries and the transposed keys (`q / sqrt(d)`,
      `q k^T / sqrt(d)`, `(q d^-1/4)(k d^-1/4)^T` all give `1/sqrt(d)`);
    - the mask is `where(m, fill, s)` (masked where m holds),
      `where(keep, s, fill)` (masked where keep does not: `m = not(keep)`)
      with a scalar constant fill, or an additive float tensor `s + bias`;
    - `kT` that is a transpose of the last two axes gives `k` directly;
      any other `[..., d, j]` operand is transposed back.
    q, k and v must share their batch dims, and every intermediate (scores,
    mask result, probabilities) must have no other reader.
  }];
  let dependentDialects = ["::dsc::DSCDialect"];
}

def PruneChannels : Pass<"dsc-prune-channels", "mlir::func::FuncOp"> {
  let summary = "Structured channel pruning of conv/conv-transpose/gemm/matmul layers";
  let description = [{
    Removes whole output channels of `dsc.conv`, `dsc.conv_transpose` (group
    1), `dsc.gemm` and `dsc.matmul` layers with constant weights, and the
    matching input channels of every consumer, so the pruned model is
    physically smaller. (A conv-transpose weight is `[C, F, k...]`: it
    loses axis 1 as a producer and axis 0 as a consumer.)

    *Channel spaces and dependency groups.* The channels of a layer flow
    through BatchNormalization, activations, pooling, depthwise convs,
    elementwise ops with per-channel constants, reductions over other axes
    and flatten, to the convs/conv-transposes/gemms/matmuls that read them. Elementwise ops
    joining two such flows (residual adds) put both layers in one group,
    pruned together. A flow reaching a graph output, a concat, a grouped
    conv or a reshape that mixes channels pins its group; what is pinned is
    reported (remark, and the `dsc.prune_skipped` attribute).

    *What a removed channel leaves behind.* Its filter is taken as zero, so
    the channel carries a constant v (e.g. relu(beta - gamma*mean/sigma)
    after a BN); consumers absorb it:

        conv:           bias'[f] += v_c * sum_{kh,kw} w[f, c, kh, kw]
        conv-transpose: bias'[f] += v_c * sum_{kh,kw} w[c, f, kh, kw] / (sh * sw)
        gemm/matmul:    bias'[n] += v_c * sum_{j in features of c} b[j, n]

    This is exact for gemm/matmul, unpadded convs and 1x1 stride-1 unpadded
    conv-transposes; with zero padding the constant contributes less at the
    borders, and a strided conv-transpose scatters it as a pattern of its
    taps (the bias gets the pattern's mean over the sh * sw output phases).

    *Lossless.* Channels whose filters are all zero are removed when their
    removal is exact (their constant is 0, or every consumer absorbs it
    exactly); `lossless-only=true` removes nothing else.

    *Criteria.* `criterion=l1|l2` ranks a layer's channels by the norm of
    their filters (summed over a group's layers); `bn-gamma` (network
    slimming) by |gamma| of the BatchNormalization right after the layer, so
    this pass runs before BN folding. `ratio` removes that fraction of each
    group's channels (`per-layer=name:ratio;...` overrides it by layer
    name), `threshold` every channel scoring below it. At least
    `min-channels` stay, rounded up to a multiple of `round-to`.

    *Sensitivity mode.* `mask-ratios=r1,r2,...` removes nothing. Each
    consumer of a prunable group instead reads its input through a run-time
    mask m (@main's last arguments, `dsc.channel_mask.<group>.<i>`; 1 keeps
    a channel, 0 removes it) so that it computes what it computes after
    pruning: with a_c the constant removed channel c carries to it (see
    above), a gemm, matmul or exact conv reads `x' = (x - a) * m + a`; a
    padded conv or strided conv-transpose reads `x * m` and adds
    `sum_c (1 - m_c) * a_c * T[f, c]` (a 1x1 conv of `a - m * a` with T the
    bias terms above per unit of the constant), as the pruned model's bias
    does. The channels the pass would remove at each ratio, with the other
    options as given, are recorded in the `dsc.prune_masks` attribute.
    `dsc-prune-sensitivity` compiles such a module once and measures every
    group at every ratio.
  }];
  let options = [
    Option<"criterion", "criterion", "std::string", "\"l1\"",
           "Channel importance: l1, l2 or bn-gamma">,
    Option<"ratio", "ratio", "double", "0.0",
           "Fraction of each group's channels to remove">,
    Option<"perLayer", "per-layer", "std::string", "\"\"",
           "Per-layer ratios: name:ratio;name:ratio">,
    Option<"threshold", "threshold", "double", "-1.0",
           "Remove channels whose importance is below this (negative: off)">,
    Option<"minChannels", "min-channels", "int64_t", "1",
           "Channels every group keeps at least">,
    Option<"roundTo", "round-to", "int64_t", "1",
           "Kept channel counts are rounded up to a multiple of this">,
    Option<"losslessOnly", "lossless-only", "bool", "false",
           "Only remove channels whose removal leaves the outputs unchanged">,
    ListOption<"maskRatios", "mask-ratios", "double",
               "Sensitivity mode: remove nothing; add run-time channel masks "
               "and record the channels each of these ratios would remove">
  ];
  let dependentDialects = ["::dsc::DSCDialect"];
}

def EqualizeDepthwise : Pass<"dsc-equalize-depthwise", "mlir::func::FuncOp"> {
  let summary = "Equalize the channel ranges of depthwise conv inputs for per-tensor int8";
  let description = [{
    A depthwise conv never mixes channels, so its input x may be divided
    by a per-channel s_c > 0 if its weights are multiplied by s_c:

        y_c = sum_k w_c[k] * x_c[k] = sum_k (s_c w_c[k]) * (x_c[k] / s_c)

    exact in float. Per-tensor int8 activations give every channel the
    tensor's step, so a channel spanning +-0.06 of a tensor spanning +-14
    keeps a few levels; with s_c = max(r_c, floor * R) / R (r_c the
    channel's largest |x| in the profile, R the largest r_c) every channel
    spans about R and gets the whole int8 range, while the weights, int8
    per output channel, take s_c at no loss. The pass inserts `x * (1/s)`
    (a dsc.mul named `<conv>.equalize`) before each depthwise conv with
    constant weights whose input has `channel_absmax` in `profile` (written
    by dsc-calibrate for [N, C, H, W] tensors), and scales the weights.
    Calibrate again afterwards: the quantizer reads the range of the new
    tensor. x itself is unchanged, so the second profile equalizes the
    same way (`dsc-compile --equalize` runs calibrate, equalize, calibrate,
    quantize; a given profile= is used for both steps).

    Measured on PaddleOCR rec it helps on some line sets and not on others
    (docs/quantization.md), so it is an option, not a default.
  }];
  let options = [
    Option<"profile", "profile", "std::string", "\"\"",
           "Calibration profile (dsc-calibrate) with per-channel ranges">,
    Option<"floor", "floor", "double", "1e-3",
           "Smallest s_c, as a fraction of the largest channel range">
  ];
  let dependentDialects = ["::dsc::DSCDialect"];
}

def Quantize : Pass<"dsc-quantize", "mlir::func::FuncOp"> {
  let summary = "Quantize convs and matmuls to int8 from a calibration profile";
  let description = [{
    `mode=int8` quantizes each float `dsc.conv`, `dsc.gemm` (trans_a = 0,
    alpha = beta = 1) and `dsc.matmul` whose weights are constants:

    - *Weights*: int8, symmetric, one scale per output channel (per column
      of a matmul): `s_w[f] = max |w[f, ...]| / 127`,
      `q = clamp(round(w / s_w[f]), -127, 127)`.
    - *Activations*: per tensor, `activation-type=uint8` (default) or
      `int8`, from the range the profile (`profile=FILE`, written by
      dsc-calibrate over the same model) gives by `calibration=minmax`
      (default), `percentile` (the `percentile`-th, default 99.99),
      `entropy` (KL-divergence threshold, as TensorRT, for non-negative
      tensors; a tensor with negative values takes the `mse` range, since
      the search clips long-tailed signed pre-activations far into their
      values) or `mse` (the model's inputs keep their observed range
      whatever the method):
      `scale = (hi - lo) / (qmax - qmin)`,
      `zero_point = round(qmin - lo / scale)`.
    - *Convs* become `dsc.qlinear_conv` on the quantized input with an int32
      bias `round(b[f] / (s_x s_w[f]))`, requantized to the output's scale
      and zero point; a Relu right after the conv is absorbed (its output
      range starts at 0, so saturating at the zero point is the Relu). The
      result is dequantized for float consumers; a consumer that is itself
      quantized reads the integer tensor directly.
    - *ConvTranspose* whose stride equals its square kernel (no padding,
      dilation or output padding, one group; an FPN's or a DB head's
      upsampling) is a 1x1 conv to `F*k*k` channels followed by a
      `dsc.depth_to_space` (CRD), and is quantized as that conv, a Relu
      after it absorbed before the depth to space. When the 1x1 conv would
      have fewer than 16 channels it stays in float (the int8 kernels
      compute 16 or 32 filters at a time; det's 24 -> 1 head ran 1.46 ms in
      int8 against 0.79 ms in float, by the executable's `--profile`).
    - *Gemm/matmul* become `dsc.matmul_integer` (int32) rescaled to float
      by `s_a s_w[n]`, plus the float bias: the output stays float (the
      classifier logits keep their precision).

    `mode=int8-dynamic` needs no profile: gemm/matmul inputs are quantized
    at run time (`dsc.dynamic_quantize_linear`, uint8 over the tensor's
    range with 0 in it, shared by the layers reading the same tensor), and
    `y = float(matmul_integer) * s_w[n] * s_a + bias`; convs stay float.

    `skip=a,b,...` keeps layers in float, by ONNX node name or op type
    (`Conv`, `Gemm`, `MatMul`). `auto-skip=T` (a cosine similarity target
    for the outputs) chooses that list by sensitivity; it runs the model,
    so dsc-compile --quantize implements it and this pass refuses it. Each quantized layer gets a remark; the
    function gets `dsc.quantized` (the quantized layers' names).
    `mode=weight-only bits=4|8 block=32|64|128` needs no profile either:
    gemm/matmul weights become `dsc.matmul_weight_only` (int4/int8 in
    blocks of `block` rows per column with one fp16 scale each, symmetric;
    activations stay float); layers whose K is not a multiple of the block
    stay float. Convs are not touched.
  }];
  let options = [
    Option<"mode", "mode", "std::string", "\"int8\"",
           "int8 (calibrated), int8-dynamic or weight-only">,
    Option<"profile", "profile", "std::string", "\"\"",
           "Calibration profile from dsc-calibrate">,
    Option<"calibration", "calibration", "std::string", "\"minmax\"",
           "Activation range: minmax, percentile, entropy or mse">,
    Option<"percentile", "percentile", "double", "99.99",
           "Percentile kept by calibration=percentile">,
    Option<"activationType", "activation-type", "std::string", "\"uint8\"",
           "Quantized activation type: uint8 or int8">,
    Option<"skip", "skip", "std::string", "\"\"",
           "Layers kept in float: node names or op types, comma-separated">,
    Option<"autoSkip", "auto-skip", "double", "0.0",
           "Output cosine target of sensitivity-driven mixed precision "
           "(dsc-compile only: it runs the model)">,
    Option<"bits", "bits", "int64_t", "8",
           "Weight bits of mode=weight-only (8 or 4)">,
    Option<"block", "block", "int64_t", "32",
           "Weights per scale of mode=weight-only (32, 64 or 128)">
  ];
  let dependentDialects = ["::dsc::DSCDialect"];
}

#endif // DSC_DIALECT_DSC_TRANSFORMS_PASSES_TD
