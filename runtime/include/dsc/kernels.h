/*
 * dsc/kernels.h - the compute kernels generated model code calls.
 *
 * The compiler lowers the heavy float ops (2-D convolution, matmul/gemm with
 * a constant right-hand side) to calls of these functions. It packs the
 * constant weights at compile time into the layouts described below, so the
 * kernels never repack weights at run time, and it fuses the epilogue (bias,
 * activation, residual add) into the call, so each output element is written
 * once.
 *
 * All tensors are dense, row-major (NCHW for convolutions), float32, and
 * need no particular alignment. The kernels allocate nothing on the heap;
 * their scratch lives on the stack (at most DSC_KERNEL_STACK_BYTES).
 *
 * The kernels pick the widest vector ISA the running CPU has (x86-64: SSE2,
 * AVX2+FMA or AVX-512F; AArch64: NEON) once, at the first call.
 */
#ifndef DSC_KERNELS_H
#define DSC_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most stack a kernel call uses for scratch (packed input tiles). */
#define DSC_KERNEL_STACK_BYTES (64 * 1024)

/*
 * Epilogue activations, applied to v = acc + bias (+ residual, see flags):
 *   NONE          v
 *   RELU          max(v, 0)
 *   CLIP          min(max(v, alpha), beta)
 *   LEAKY_RELU    v >= 0 ? v : alpha * v
 *   HARD_SIGMOID  max(0, min(1, alpha * v + beta))
 *   HARD_SWISH    v * max(0, min(1, v / 6 + 1 / 2))
 *   SIGMOID       1 / (1 + exp(-v))
 *   SWISH         v / (1 + exp(-v))
 *   TANH          tanh(v)
 */
enum dsc_activation {
  DSC_ACT_NONE = 0,
  DSC_ACT_RELU = 1,
  DSC_ACT_CLIP = 2,
  DSC_ACT_LEAKY_RELU = 3,
  DSC_ACT_HARD_SIGMOID = 4,
  DSC_ACT_HARD_SWISH = 5,
  DSC_ACT_SIGMOID = 6,
  DSC_ACT_SWISH = 7,
  DSC_ACT_TANH = 8,
};

/* Epilogue flags. Without DSC_EPILOGUE_RESIDUAL_AFTER_ACT the residual is
 * added before the activation: y = act(acc + bias + residual) (ResNet);
 * with it: y = act(acc + bias) + residual. With DSC_EPILOGUE_OUTPUT_AFFINE
 * the activation's result is scaled and shifted by two scalars from the
 * geometry (OUT_SCALE, OUT_SHIFT: float bits in the low 32 bits) before a
 * residual added after it: y = act(..) * scale + shift [+ residual]
 * (PP-LCNet's affine blocks after an activation). */
#define DSC_EPILOGUE_RESIDUAL_AFTER_ACT 1
#define DSC_EPILOGUE_OUTPUT_AFFINE 2

/*
 * Convolution weight layouts.
 *
 * DSC_CONV_LAYOUT_PANELS (any group): for each group g, the Fg = F/G filters
 * of the group in panels of DSC_CONV_PANEL_ROWS filters; a panel holds, for
 * every reduction index k = (c * KH + kh) * KW + kw (c < Cg = C/G), the
 * DSC_CONV_PANEL_ROWS weights of its filters side by side, zero-padded past
 * Fg:
 *   packed[((g * P + p) * Kg + k) * ROWS + r] = w[g*Fg + p*ROWS + r][c][kh][kw]
 * with P = ceil(Fg / ROWS), Kg = Cg * KH * KW.
 *
 * DSC_CONV_LAYOUT_DEPTHWISE (G == C == F): the weight as ONNX stores it,
 * [C][1][KH][KW].
 *
 * DSC_CONV_LAYOUT_FILTER_PANELS (any group; the compiler picks it for
 * small output planes, under DSC_CONV_SMALL_OUTPUT_PIXELS pixels, where
 * vectorising over pixels would leave most lanes empty): the kernel
 * vectorises over filters instead. For each group g, panels of
 * DSC_CONV_FILTER_PANEL_COLS filters, zero-padded past Fg:
 *   packed[((g * Q + q) * Kg + k) * COLS + j] = w[g*Fg + q*COLS + j][c][kh][kw]
 * with Q = ceil(Fg / COLS), k = (c * KH + kh) * KW + kw as above.
 */
#define DSC_CONV_PANEL_ROWS 6
#define DSC_CONV_FILTER_PANEL_COLS 16
#define DSC_CONV_SMALL_OUTPUT_PIXELS 64
enum dsc_conv_layout {
  DSC_CONV_LAYOUT_PANELS = 0,
  DSC_CONV_LAYOUT_DEPTHWISE = 1,
  DSC_CONV_LAYOUT_FILTER_PANELS = 2,
  DSC_CONV_LAYOUT_QUANTIZED_CHANNELS4 = 3, /* dsc_qconv2d_u8s8 only */
};

/* Indices into the int64 geometry array of dsc_conv2d_f32. Bottom and
 * right padding follow from OH/OW: reads outside the input are zero. */
enum dsc_conv_geometry {
  DSC_CONV_N = 0,      /* batch */
  DSC_CONV_C = 1,      /* input channels */
  DSC_CONV_H = 2,      /* input height */
  DSC_CONV_W = 3,      /* input width */
  DSC_CONV_F = 4,      /* output channels (filters) */
  DSC_CONV_OH = 5,     /* output height */
  DSC_CONV_OW = 6,     /* output width */
  DSC_CONV_KH = 7,     /* kernel height */
  DSC_CONV_KW = 8,     /* kernel width */
  DSC_CONV_SH = 9,     /* stride */
  DSC_CONV_SW = 10,
  DSC_CONV_DH = 11,    /* dilation */
  DSC_CONV_DW = 12,
  DSC_CONV_PT = 13,    /* top padding */
  DSC_CONV_PL = 14,    /* left padding */
  DSC_CONV_GROUP = 15, /* groups G (C and F divisible by G) */
  DSC_CONV_ACT = 16,   /* enum dsc_activation */
  DSC_CONV_FLAGS = 17, /* DSC_EPILOGUE_* */
  DSC_CONV_LAYOUT = 18, /* enum dsc_conv_layout */
  DSC_CONV_OUT_SCALE = 19, /* with DSC_EPILOGUE_OUTPUT_AFFINE: float bits */
  DSC_CONV_OUT_SHIFT = 20,
  DSC_CONV_GEOMETRY_SIZE = 21,
};

/*
 * y[n][f][oh][ow] = epilogue(sum_{c<Cg, kh, kw} x[n][g*Cg + c][ih][iw] * w[f][c][kh][kw])
 * with g = f / Fg, ih = oh*SH + kh*DH - PT, iw = ow*SW + kw*DW - PL (zero
 * outside the input), bias[f] (bias may be NULL), residual [N][F][OH][OW]
 * (may be NULL), alpha/beta the activation's parameters.
 */
void dsc_conv2d_f32(const int64_t *geometry, const float *input,
                    const float *packed_weight, const float *bias,
                    const float *residual, float *output, float alpha,
                    float beta);

/*
 * Matmul with a constant right-hand side packed at compile time in panels
 * of DSC_MATMUL_PANEL_COLS columns, zero-padded past N:
 *   packed[(j * K + k) * COLS + c] = b[k][j*COLS + c],  j < ceil(N / COLS)
 */
#define DSC_MATMUL_PANEL_COLS 16

/* Indices into the int64 geometry array of dsc_matmul_f32. */
enum dsc_matmul_geometry {
  DSC_MATMUL_M = 0,
  DSC_MATMUL_N = 1,
  DSC_MATMUL_K = 2,
  DSC_MATMUL_ACT = 3,
  DSC_MATMUL_FLAGS = 4,
  DSC_MATMUL_OUT_SCALE = 5, /* with DSC_EPILOGUE_OUTPUT_AFFINE: float bits */
  DSC_MATMUL_OUT_SHIFT = 6,
  DSC_MATMUL_GEOMETRY_SIZE = 7,
};

/*
 * c[m][n] = epilogue(sum_k a[m][k] * b[k][n]) with bias[n] (may be NULL) and
 * residual [M][N] (may be NULL).
 */
void dsc_matmul_f32(const int64_t *geometry, const float *a,
                    const float *packed_b, const float *bias,
                    const float *residual, float *c, float alpha, float beta);

/*
 * Quantized convolution, uint8 activations x int8 weights, int32
 * accumulation, requantized to uint8:
 *   acc[n][f][oh][ow] = bias[f] + sum_{c<Cg, kh, kw} x[n][g*Cg + c][ih][iw] * w[f][c][kh][kw]
 *   y = saturate_u8(round_half_even(acc * multiplier[f]) + y_zero_point)
 * with ih, iw, g as for dsc_conv2d_f32, and x read as x_zero_point outside
 * the input. The compiler folds the zero points into the bias:
 *   bias[f] = b[f] - x_zero_point * sum_k w[f][k]
 * (weights symmetric: zero point 0), and
 *   multiplier[f] = x_scale * w_scale[f] / y_scale  (float32, in that order).
 * The geometry is dsc_conv2d_f32's (ACT, FLAGS, LAYOUT unused). Weights in
 * blocks of 16 filters by 4 reduction indices (the operand order of the
 * byte dot-product instructions), the reduction ordered channels-last
 * (k = (kh*KW + kw)*Cg + c), zero-padded past Fg and past K:
 *   packed[((g*Q + q)*K4 + k4)*64 + 4*j + i] = w[g*Fg + 16*q + j][c][kh][kw],
 *       4*k4 + i = (kh*KW + kw)*Cg + c
 * with Q = ceil(Fg / 16), K4 = ceil(K / 4), K = Cg*KH*KW.
 * weight_sums[f] = sum_k w[f][k] (for the signed x signed dot products of
 * AArch64, which read x - 128). bias, weight_sums and multiplier hold F
 * values plus 16 of padding (read, not used).
 * K must not exceed DSC_QCONV_MAX_REDUCTION. Depthwise convs (G == C ==
 * F) set LAYOUT to DSC_CONV_LAYOUT_DEPTHWISE and keep the weights as ONNX
 * stores them, [C][1][KH][KW]; their (KH-1)*DH and (KW-1)*DW must not
 * exceed DSC_QCONV_MAX_DILATED_KERNEL. Convs of one group whose C is not
 * a multiple of 4 may set LAYOUT to DSC_CONV_LAYOUT_QUANTIZED_CHANNELS4
 * (when every padding is at most DSC_QCONV_CHANNELS4_MAX_PAD and every
 * stride at most DSC_QCONV_CHANNELS4_MAX_STRIDE, so the padded image and a
 * register tile's reads past it fit the workspace): the
 * reduction then runs over the channels padded to C4 = 4*ceil(C/4), with
 * zero weights past C,
 *   4*k4 + i = (kh*KW + kw)*C4 + c,  K4 = KH*KW*C4/4,
 * so each tap is whole groups of 4 and the kernel reads the taps in place
 * instead of packing. workspace: caller memory of
 * DSC_QCONV_WORKSPACE_BYTES(C, H, W) bytes, any alignment (the kernel's
 * channels-last copy of one image, or one padded channel plane).
 */
#define DSC_QCONV_BLOCK_FILTERS 16
#define DSC_QCONV_MAX_REDUCTION 8192
#define DSC_QCONV_MAX_DILATED_KERNEL 16
#define DSC_QCONV_CHANNELS4_MAX_PAD 4
#define DSC_QCONV_CHANNELS4_MAX_STRIDE 8
#define DSC_QCONV_WORKSPACE_BYTES(C, H, W)                                     \
  (((H) + 16) * ((W) + 16) * (((C) + 3) / 4 * 4) + 8 * (((C) + 3) / 4 * 4))
void dsc_qconv2d_u8s8(const int64_t *geometry, const uint8_t *input,
                      const int8_t *packed_weight, const int32_t *bias,
                      const int32_t *weight_sums, const float *multiplier, uint8_t *output,
                      uint8_t *workspace, int32_t x_zero_point, int32_t y_zero_point);

/*
 * Quantized matmul, uint8 a [M][K] x int8 b [K][N] (constant, zero point
 * 0), to int32:
 *   y[m][n] = sum_k (a[m][k] - a_zero_point) * b[k][n]
 *           = sum_k a[m][k] * b[k][n] - a_zero_point * column_sums[n]
 * with column_sums[n] = sum_k b[k][n] (compile time) and *a_zero_point
 * read at run time (DynamicQuantizeLinear computes it). Geometry: the
 * dsc_matmul_f32 array (M, N, K; ACT and FLAGS unused). b packed as the
 * conv weights, N as filters: packed[(q*K4 + k4)*64 + 4*j + i] =
 * b[4*k4 + i][16*q + j], zero-padded. K <= DSC_QCONV_MAX_REDUCTION.
 */
void dsc_qmatmul_u8s8_i32(const int64_t *geometry, const uint8_t *a,
                          const int8_t *packed_b, const int32_t *column_sums,
                          const uint8_t *a_zero_point, int32_t *y);

/*
 * Weight-only quantized matmul (int4 or int8 weights in blocks with fp16
 * scales, float activations):
 *   y[m][n] = sum_k a[m][k] * q[k][n] * scale[k / BLOCK][n]  (+ bias[n])
 * geometry: enum dsc_wq_geometry (K a multiple of BLOCK; BLOCK 32, 64 or
 * 128; BITS 4 or 8). packed: for each panel j of 16 columns (zero-padded
 * past N), for each block kb: the 16 columns' fp16 scales (IEEE binary16
 * bits, 32 bytes), then the block's values, row by row: BITS 8 one signed
 * byte per column (byte r*16 + c); BITS 4 two columns a byte (byte
 * r*8 + c/2, even columns in the low nibble, two's complement). bias may
 * be NULL.
 */
enum dsc_wq_geometry {
  DSC_WQ_M = 0,
  DSC_WQ_N = 1,
  DSC_WQ_K = 2,
  DSC_WQ_BLOCK = 3,
  DSC_WQ_BITS = 4,
  DSC_WQ_GEOMETRY_SIZE = 5,
};
void dsc_matmul_wq_f32(const int64_t *geometry, const float *a, const uint8_t *packed,
                       const float *bias, float *y);

/*
 * Byte table lookup: y[i] = table[x[i]] for i < geometry[DSC_LOOKUP_COUNT],
 * table[256]. An int8 model's chains between its quantized convs
 * (dequantize, activation, requantize) take one input byte, so the
 * compiler evaluates them for all 256 and calls this. AVX-512 VBMI
 * (vpermi2b over the four 64-byte quarters) where the CPU has it, AArch64
 * tbl/tbx, else a scalar loop.
 */
enum dsc_lookup_geometry {
  DSC_LOOKUP_COUNT = 0,
  DSC_LOOKUP_GEOMETRY_SIZE = 1,
};
void dsc_lookup_u8(const int64_t *geometry, const uint8_t *input, const uint8_t *table,
                   uint8_t *output);

/* The ISA the quantized kernels run with ("avx512vnni", "avxvnni",
 * "neondot", "generic"); DSC_QKERNELS_ISA forces one, as DSC_KERNELS_ISA
 * does. */
const char *dsc_qkernels_isa(void);

/* Threads for the float conv and matmul kernels, process-wide (default 1:
 * everything on the calling thread). A conv splits its batch, or its
 * filter panels, groups or depthwise channels; a matmul its rows (or a
 * GEMV its column panels). The integer kernels run on one thread. */
void dsc_kernels_set_threads(int threads);
int dsc_kernels_threads(void);

/* Profiling, for the harness's --profile: between start and stop every
 * kernel call records its wall time, in call order (up to
 * DSC_PROFILE_MAX_CALLS). Process-wide and not thread-safe: for
 * measuring, not for production runs. stop returns the number of calls
 * recorded and points *ms at their times in milliseconds. */
#define DSC_PROFILE_MAX_CALLS 4096
void dsc_kernels_profile_start(void);
int dsc_kernels_profile_stop(const double **ms);

/* The ISA the kernels run with on this CPU ("avx512", "avx2", "sse2",
 * "neon", "scalar"), for benchmarks and --info. */
const char *dsc_kernels_isa(void);

#ifdef __cplusplus
}
#endif

#endif /* DSC_KERNELS_H */
