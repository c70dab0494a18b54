/*===- qconv2d.h - The uint8 x int8 convolution, written once -------------===*
 *
 * Included by each qkernels_<isa>.c after it defines, for one block of 16
 * filters (16 int32 accumulators, one per filter):
 *   qacc                     the accumulator type
 *   qacc qzero(void)
 *   qacc qdot(qacc acc, uint32_t x4, const int8_t *w64)
 *       acc[j] += sum_{i<4} byte i of x4 (unsigned) * w64[4*j + i] (signed)
 *   void qstore(int32_t out[16], qacc acc)
 * and the register tile QMR (pixels) x QNB (filter blocks). QX_FLIP 1 says
 * the dot product is signed x signed (AArch64 sdot): activations are then
 * stored XOR 0x80 (x - 128, a signed byte) and the kernels add back
 * 128 * sum_k w[f][k] (weight_sums) to each accumulator.
 *
 * The convolution (dsc/kernels.h, dsc_qconv2d_u8s8): each image is copied
 * channels-last into the workspace; for each group, pixels are packed from
 * it in tiles that fit the stack (im2col of up to QTILE_BYTES: tile[t][k],
 * k = (kh*KW + kw)*Cg + c padded to a multiple of 4, one memcpy per kernel
 * tap; padding reads x_zero_point, which the compile-time bias correction
 * cancels), or read in place for 1x1 convs; then each register tile of QMR
 * pixels x QNB blocks accumulates over k in steps of 4 with the ISA's
 * dot-product instruction.
 * The epilogue requantizes:
 *   y = saturate_u8(round_half_even((acc + bias[f]) * multiplier[f]) + y_zp)
 * into a stage of pixel-major bytes (16 filters of a pixel are one vector),
 * which 16 x 16 byte transposes write to the output's channel planes.
 *===----------------------------------------------------------------------===*/

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QTILE_BYTES (48 * 1024)

#ifndef QX_FLIP
#define QX_FLIP 0
#endif
/* An activation byte as the dot product reads it. */
#define QX(byte) ((uint8_t)((byte) ^ (QX_FLIP ? 0x80 : 0)))

/* (acc + bias) * multiplier rounded half to even, plus the zero point,
   saturated to [0, 255]. Values beyond +-512 saturate either way, so they
   are clamped first; then adding and subtracting 1.5 * 2^23 rounds to the
   nearest integer, ties to even, in the default rounding mode. */
static inline uint8_t qrequantize(int32_t acc, float multiplier, int32_t y_zero_point) {
  float v = (float)acc * multiplier;
  v = v < -512.0f ? -512.0f : (v > 512.0f ? 512.0f : v);
  float r = (v + 12582912.0f) - 12582912.0f;
  int32_t y = (int32_t)r + y_zero_point;
  return (uint8_t)(y < 0 ? 0 : (y > 255 ? 255 : y));
}

/* Adds to one register tile: rows[0..QMR) of a packed tile (row stride
   kp bytes) times `nb` (1..QNB) filter blocks starting at w (block stride
   block_bytes), over k4 groups of 4. */
static inline void qaccumulate_more(qacc acc[QMR][QNB], const uint8_t *rows, int64_t kp,
                                    int64_t k4, const int8_t *w, int64_t block_bytes, int nb) {
  if (nb == QNB) {
    for (int64_t k = 0; k < k4; ++k) {
      for (int i = 0; i < QMR; ++i) {
        uint32_t x4;
        memcpy(&x4, rows + i * kp + 4 * k, 4);
        for (int b = 0; b < QNB; ++b)
          acc[i][b] = qdot(acc[i][b], x4, w + b * block_bytes + 64 * k);
      }
    }
  } else {
    for (int64_t k = 0; k < k4; ++k) {
      for (int i = 0; i < QMR; ++i) {
        uint32_t x4;
        memcpy(&x4, rows + i * kp + 4 * k, 4);
        for (int b = 0; b < nb; ++b)
          acc[i][b] = qdot(acc[i][b], x4, w + b * block_bytes + 64 * k);
      }
    }
  }
}

static inline void qaccumulate(qacc acc[QMR][QNB], const uint8_t *rows, int64_t kp,
                               int64_t k4, const int8_t *w, int64_t block_bytes, int nb) {
  for (int i = 0; i < QMR; ++i)
    for (int b = 0; b < QNB; ++b)
      acc[i][b] = qzero();
  qaccumulate_more(acc, rows, kp, k4, w, block_bytes, nb);
}

/* 16 x 16 bytes: dst[p * dst_stride + r] = src[r * src_stride + p], or
   QX(...) of it with `flip`, by
   four rounds of interleaving (bytes, pairs, quads, halves) of 16-byte
   vectors, as unpack instructions do on every ISA. */
typedef uint8_t qv16 __attribute__((vector_size(16)));
#define Q_LO8(a, b) __builtin_shufflevector(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23)
#define Q_HI8(a, b) __builtin_shufflevector(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31)
#define Q_LO16(a, b) __builtin_shufflevector(a, b, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23)
#define Q_HI16(a, b) __builtin_shufflevector(a, b, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31)
#define Q_LO32(a, b) __builtin_shufflevector(a, b, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23)
#define Q_HI32(a, b) __builtin_shufflevector(a, b, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31)
#define Q_LO64(a, b) __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23)
#define Q_HI64(a, b) __builtin_shufflevector(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31)

static inline void qtranspose16(const uint8_t *src, int64_t src_stride, uint8_t *dst,
                                int64_t dst_stride, int flip) {
  qv16 r[16], a[16], b[16], c[16];
  for (int i = 0; i < 16; ++i) {
    memcpy(&r[i], src + i * src_stride, 16);
    if (QX_FLIP && flip)
      r[i] ^= (qv16){0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                     0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};
  }
  /* a[2k], a[2k+1]: rows 2k and 2k+1 interleaved, pixels 0-7 and 8-15. */
  for (int k = 0; k < 8; ++k) {
    a[2 * k] = Q_LO8(r[2 * k], r[2 * k + 1]);
    a[2 * k + 1] = Q_HI8(r[2 * k], r[2 * k + 1]);
  }
  /* b[4q + j]: rows 4q..4q+3, pixels 4j..4j+3. */
  for (int q = 0; q < 4; ++q) {
    b[4 * q + 0] = Q_LO16(a[4 * q], a[4 * q + 2]);
    b[4 * q + 1] = Q_HI16(a[4 * q], a[4 * q + 2]);
    b[4 * q + 2] = Q_LO16(a[4 * q + 1], a[4 * q + 3]);
    b[4 * q + 3] = Q_HI16(a[4 * q + 1], a[4 * q + 3]);
  }
  /* c[8h + k]: rows 8h..8h+7, pixels 2k and 2k+1. */
  for (int h = 0; h < 2; ++h)
    for (int j = 0; j < 4; ++j) {
      c[8 * h + 2 * j] = Q_LO32(b[8 * h + j], b[8 * h + 4 + j]);
      c[8 * h + 2 * j + 1] = Q_HI32(b[8 * h + j], b[8 * h + 4 + j]);
    }
  for (int k = 0; k < 8; ++k) {
    qv16 even = Q_LO64(c[k], c[8 + k]), odd = Q_HI64(c[k], c[8 + k]);
    memcpy(dst + (2 * k) * dst_stride, &even, 16);
    memcpy(dst + (2 * k + 1) * dst_stride, &odd, 16);
  }
}

/* Channels last: ws[i * CP + c] = QX(in[c * plane + i]) for i < count and
   c < C (plane: the input's channel stride, CP: the copy's pixel stride),
   in 16 x 16 blocks where whole, byte by byte at the edges. */
static void qchannels_last(const uint8_t *in, int64_t C, int64_t count, int64_t plane,
                           uint8_t *ws, int64_t CP) {
  const int64_t C16 = C / 16 * 16, count16 = count / 16 * 16;
  for (int64_t c0 = 0; c0 < C16; c0 += 16)
    for (int64_t i0 = 0; i0 < count16; i0 += 16)
      qtranspose16(in + c0 * plane + i0, plane, ws + i0 * CP + c0, CP, 1);
  for (int64_t c = 0; c < C; ++c) {
    const int64_t i_begin = c < C16 ? count16 : 0;
    for (int64_t i = i_begin; i < count; ++i)
      ws[i * CP + c] = QX(in[c * plane + i]);
  }
}

/* A conv register tile: accumulates, then requantizes the first `mr`
   pixels of its `nb` filter blocks into stage[i * QSTAGE_ROW + 16 * b + j]
   (pixel i, filter 16 b + j): 16 bytes a pixel and block, one vector. */
#define QSTAGE_ROW (16 * QNB)
static void qtile_requantize(qacc acc[QMR][QNB], int nb, int mr, const int32_t *bias,
                             const int32_t *weight_sums, const float *multiplier,
                             int32_t y_zero_point, uint8_t *stage) {
  for (int b = 0; b < nb; ++b) {
    /* bias and multiplier are padded to whole blocks. */
    int32_t bias_b[16];
    for (int j = 0; j < 16; ++j)
      bias_b[j] = bias[16 * b + j] + (QX_FLIP ? 128 * weight_sums[16 * b + j] : 0);
    const float *multiplier_b = multiplier + 16 * b;
    for (int i = 0; i < mr; ++i) {
      int32_t sums[16];
      qstore(sums, acc[i][b]);
      uint8_t *bytes = stage + i * QSTAGE_ROW + 16 * b;
      for (int j = 0; j < 16; ++j)
        bytes[j] = qrequantize(sums[j] + bias_b[j], multiplier_b[j], y_zero_point);
    }
  }
}

static void qtile(const uint8_t *rows, int64_t kp, int64_t k4, const int8_t *w,
                  int64_t block_bytes, int nb, int mr, const int32_t *bias,
                  const int32_t *weight_sums, const float *multiplier, int32_t y_zero_point,
                  uint8_t *stage) {
  qacc acc[QMR][QNB];
  qaccumulate(acc, rows, kp, k4, w, block_bytes, nb);
  qtile_requantize(acc, nb, mr, bias, weight_sums, multiplier, y_zero_point, stage);
}

/* Pixels staged at a time: a multiple of 16 and of every QMR. */
#define QSTAGE_PIXELS 192

/* The staged bytes of `count` pixels and `nf` filters to their planes,
   out[f * plane + i] = stage[i * QSTAGE_ROW + f]: 16 x 16 transposes
   where a block of 16 filters and 16 pixels is whole, bytes elsewhere. */
static void qstage_store(const uint8_t *stage, int64_t count, int nf, uint8_t *out,
                         int64_t plane) {
  const int64_t count16 = count / 16 * 16;
  for (int f0 = 0; f0 < nf; f0 += 16) {
    const int filters = nf - f0 < 16 ? nf - f0 : 16;
    const int64_t whole = filters == 16 ? count16 : 0;
    for (int64_t i0 = 0; i0 < whole; i0 += 16)
      qtranspose16(stage + i0 * QSTAGE_ROW + f0, QSTAGE_ROW, out + f0 * plane + i0, plane, 0);
    for (int j = 0; j < filters; ++j)
      for (int64_t i = whole; i < count; ++i)
        out[(f0 + j) * plane + i] = stage[i * QSTAGE_ROW + f0 + j];
  }
}

/* The uint8 x int8 matmul to int32 (dsc/kernels.h, dsc_qmatmul_u8s8_i32):
   rows of A are read in place where K is a multiple of 4 and a whole
   register tile remains, else packed (zero-padded to 4) on the stack; each
   output is acc - a_zero_point * column_sum[n]. */
static void qmatmul_u8s8_i32(const int64_t *g, const uint8_t *a, const int8_t *packed,
                             const int32_t *column_sums, const uint8_t *a_zero_point,
                             int32_t *y) {
  const int64_t M = g[DSC_MATMUL_M], N = g[DSC_MATMUL_N], K = g[DSC_MATMUL_K];
  const int64_t K4 = (K + 3) / 4, KP = 4 * K4, Q = (N + 15) / 16, block_bytes = K4 * 64;
  /* With flipped bytes the products are of a - 128: the zero point moves
     by 128 the other way. */
  const int32_t zp = *a_zero_point - (QX_FLIP ? 128 : 0);
  _Alignas(64) uint8_t tile[QMR * (DSC_QCONV_MAX_REDUCTION + 4)];
  if (KP > DSC_QCONV_MAX_REDUCTION + 4) {
    fprintf(stderr, "dsc_qmatmul_u8s8_i32: K %lld exceeds %d\n", (long long)K,
            DSC_QCONV_MAX_REDUCTION);
    abort();
  }
  for (int64_t m0 = 0; m0 < M; m0 += QMR) {
    int mr = M - m0 < QMR ? (int)(M - m0) : QMR;
    const uint8_t *rows;
    int64_t stride;
    if (K == KP && mr == QMR && !QX_FLIP) {
      rows = a + m0 * K;
      stride = K;
    } else {
      for (int i = 0; i < QMR; ++i) {
        const uint8_t *src = a + (m0 + (i < mr ? i : mr - 1)) * K;
        if (QX_FLIP)
          for (int64_t k = 0; k < K; ++k)
            tile[i * KP + k] = QX(src[k]);
        else
          memcpy(tile + i * KP, src, K);
        memset(tile + i * KP + K, 0, KP - K);
      }
      rows = tile;
      stride = KP;
    }
    for (int64_t q = 0; q < Q; q += QNB) {
      int nb = Q - q < QNB ? (int)(Q - q) : QNB;
      qacc acc[QMR][QNB];
      qaccumulate(acc, rows, stride, K4, packed + q * block_bytes, block_bytes, nb);
      for (int b = 0; b < nb; ++b) {
        int32_t sums[16];
        for (int i = 0; i < mr; ++i) {
          qstore(sums, acc[i][b]);
          for (int j = 0; j < 16; ++j) {
            int64_t n = (q + b) * 16 + j;
            if (n < N)
              y[(m0 + i) * N + n] = sums[j] - zp * column_sums[n];
          }
        }
      }
    }
  }
}

/* Depthwise (one input and one output channel per group; weights as ONNX
   stores them, [C][KH][KW]) where qdepthwise_float below does not apply
   (dilation, unequal or larger strides, more taps): each channel's plane is copied into the
   workspace padded with x_zero_point, then each output row accumulates
   tap by tap over contiguous input rows (vectorizable), in chunks of
   QDW_CHUNK outputs. */
#define QDW_CHUNK 256
/* Out of line, as qdepthwise_float: inlined, they slowed the other convs
   of qconv2d_u8s8 by up to 50%. */
static __attribute__((noinline)) void
qdepthwise_u8s8(const int64_t *g, const uint8_t *input, const int8_t *weights,
                const int32_t *bias, const float *multiplier, uint8_t *output,
                uint8_t *workspace, int32_t x_zero_point, int32_t y_zero_point) {
  const int64_t N = g[DSC_CONV_N], C = g[DSC_CONV_C], H = g[DSC_CONV_H], W = g[DSC_CONV_W];
  const int64_t OH = g[DSC_CONV_OH], OW = g[DSC_CONV_OW];
  const int64_t KH = g[DSC_CONV_KH], KW = g[DSC_CONV_KW];
  const int64_t SH = g[DSC_CONV_SH], SW = g[DSC_CONV_SW];
  const int64_t DH = g[DSC_CONV_DH], DW = g[DSC_CONV_DW];
  const int64_t PT = g[DSC_CONV_PT], PL = g[DSC_CONV_PL];
  /* The padded plane: every input an output reads. */
  const int64_t HP = (OH - 1) * SH + (KH - 1) * DH + 1, WP = (OW - 1) * SW + (KW - 1) * DW + 1;
  int32_t acc[QDW_CHUNK];
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c) {
      const uint8_t *in = input + (n * C + c) * H * W;
      for (int64_t y = 0; y < HP; ++y) {
        int64_t ih = y - PT;
        uint8_t *row = workspace + y * WP;
        if (ih < 0 || ih >= H) {
          memset(row, x_zero_point, WP);
          continue;
        }
        for (int64_t x = 0; x < WP; ++x) {
          int64_t iw = x - PL;
          row[x] = iw >= 0 && iw < W ? in[ih * W + iw] : (uint8_t)x_zero_point;
        }
      }
      const int8_t *w = weights + c * KH * KW;
      uint8_t *out = output + (n * C + c) * OH * OW;
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow0 = 0; ow0 < OW; ow0 += QDW_CHUNK) {
          int64_t count = OW - ow0 < QDW_CHUNK ? OW - ow0 : QDW_CHUNK;
          for (int64_t i = 0; i < count; ++i)
            acc[i] = bias[c];
          for (int64_t kh = 0; kh < KH; ++kh) {
            const uint8_t *row = workspace + (oh * SH + kh * DH) * WP + ow0 * SW;
            for (int64_t kw = 0; kw < KW; ++kw) {
              const int32_t wv = w[kh * KW + kw];
              const uint8_t *src = row + kw * DW;
              if (SW == 1)
                for (int64_t i = 0; i < count; ++i)
                  acc[i] += (int32_t)src[i] * wv;
              else
                for (int64_t i = 0; i < count; ++i)
                  acc[i] += (int32_t)src[i * SW] * wv;
            }
          }
          for (int64_t i = 0; i < count; ++i)
            out[oh * OW + ow0 + i] = qrequantize(acc[i], multiplier[c], y_zero_point);
        }
    }
}

/* Depthwise in float, for stride S = SH = SW of 1 or 2 without dilation.
   Every product x*w (0 <= x <= 255, |w| <= 128) and every partial sum of
   at most QDW_FLOAT_MAX_TAPS of them is an integer below 2^24 in
   magnitude, so float FMAs give the int32 sums exactly, and the vector
   units do them at full width (int32 multiplies are half rate or slower).
   A band of output rows at a time, its input rows are copied, padded with
   x_zero_point, into S x S phase planes of the padded input (padded row r,
   column s go to plane [r % S][s % S], row r / S, column s / S; OWV
   columns a row, OWV = ceil(WP / S)), so that for the flat index
   q = i*OWV + ow (band row i, output column ow) tap (kh, kw) reads
     plane[kh % S][kw % S][(i + kh / S)*OWV + ow + kw / S]
   = plane[kh % S][kw % S][q + (kh / S)*OWV + kw / S]:
   one contiguous run per tap over the whole band. Columns ow >= OW of each
   row are computed and dropped. */
#define QDW_FLOAT_MAX_TAPS 64
#define QDW_BAND_FLOATS (12 * 1024)

typedef struct {
  int64_t s, owv, rows, plane_rows, plane_floats;
} qdw_band;

/* The band geometry, or rows == 0 when the float path does not apply. */
static qdw_band qdw_band_make(const int64_t *g) {
  qdw_band b = {0, 0, 0, 0, 0};
  const int64_t S = g[DSC_CONV_SH], KH = g[DSC_CONV_KH], KW = g[DSC_CONV_KW];
  if (S != g[DSC_CONV_SW] || (S != 1 && S != 2) || g[DSC_CONV_DH] != 1 ||
      g[DSC_CONV_DW] != 1 || KH * KW > QDW_FLOAT_MAX_TAPS)
    return b;
  const int64_t OH = g[DSC_CONV_OH], OW = g[DSC_CONV_OW];
  /* Padded columns some output reads: (OW-1)*S + KW. */
  b.s = S;
  b.owv = ((OW - 1) * S + KW + S - 1) / S;
  /* A band of R rows needs S*S planes of R + (KH-1)/S + 1 rows (the last
     for reads past a row's end) and R*OWV sums:
       R*(S*S + 1)*OWV + S*S*((KH-1)/S + 1)*OWV <= QDW_BAND_FLOATS. */
  const int64_t fixed = S * S * ((KH - 1) / S + 1) * b.owv;
  int64_t rows = fixed < QDW_BAND_FLOATS ? (QDW_BAND_FLOATS - fixed) / ((S * S + 1) * b.owv) : 0;
  if (rows > OH)
    rows = OH;
  if (rows > 0) {
    b.rows = rows;
    b.plane_rows = rows + (KH - 1) / S + 1;
    b.plane_floats = b.plane_rows * b.owv;
  }
  return b;
}

/* sums[q] for q < count: the taps as compile-time constants in the common
   cases (S, KH, KW nonzero), so each tap's plane and offset fold away. */
static inline __attribute__((always_inline)) void
qdw_band_sums(const int S, const int KH, const int KW, const qdw_band *b, int64_t kh_n,
              int64_t kw_n, const float *planes, const float *w, float *restrict sums,
              int64_t count) {
  const int64_t s = S ? S : b->s, kh_taps = KH ? KH : kh_n, kw_taps = KW ? KW : kw_n;
  const float *x[QDW_FLOAT_MAX_TAPS];
  for (int64_t kh = 0; kh < kh_taps; ++kh)
    for (int64_t kw = 0; kw < kw_taps; ++kw)
      x[kh * kw_taps + kw] = planes + ((kh % s) * s + kw % s) * b->plane_floats +
                             (kh / s) * b->owv + kw / s;
  if (KH && KW) {
    /* Taps unrolled inside, the pixels vectorised outside: one store per
       sum. */
    for (int64_t q = 0; q < count; ++q) {
      float acc = 0.0f;
      for (int64_t t = 0; t < KH * KW; ++t)
        acc += w[t] * x[t][q];
      sums[q] = acc;
    }
    return;
  }
  for (int64_t q = 0; q < count; ++q)
    sums[q] = 0.0f;
  for (int64_t t = 0; t < kh_taps * kw_taps; ++t) {
    const float wv = w[t], *xt = x[t];
    for (int64_t q = 0; q < count; ++q)
      sums[q] += wv * xt[q];
  }
}

static __attribute__((noinline)) void
qdepthwise_float(const int64_t *g, const qdw_band *b, const uint8_t *input,
                 const int8_t *weights, const int32_t *bias, const float *multiplier,
                 uint8_t *output, int32_t x_zero_point, int32_t y_zero_point) {
  const int64_t N = g[DSC_CONV_N], C = g[DSC_CONV_C], H = g[DSC_CONV_H], W = g[DSC_CONV_W];
  const int64_t OH = g[DSC_CONV_OH], OW = g[DSC_CONV_OW];
  const int64_t KH = g[DSC_CONV_KH], KW = g[DSC_CONV_KW];
  const int64_t PT = g[DSC_CONV_PT], PL = g[DSC_CONV_PL], S = b->s, OWV = b->owv;
  _Alignas(64) float buffer[QDW_BAND_FLOATS];
  float *sums = buffer + S * S * b->plane_floats;
  float w[QDW_FLOAT_MAX_TAPS];
  const float pad = (float)x_zero_point;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c) {
      const uint8_t *in = input + (n * C + c) * H * W;
      uint8_t *out = output + (n * C + c) * OH * OW;
      for (int64_t t = 0; t < KH * KW; ++t)
        w[t] = (float)weights[c * KH * KW + t];
      for (int64_t oh0 = 0; oh0 < OH; oh0 += b->rows) {
        const int64_t rows = OH - oh0 < b->rows ? OH - oh0 : b->rows;
        /* The phase planes: padding first, then the input rows the band
           reads (padded row oh0*S + r is input row oh0*S + r - PT). */
        for (int64_t i = 0; i < S * S * b->plane_floats; ++i)
          buffer[i] = pad;
        const int64_t in_rows = (rows - 1) * S + KH;
        for (int64_t r = 0; r < in_rows; ++r) {
          const int64_t ih = oh0 * S + r - PT;
          if (ih < 0 || ih >= H)
            continue;
          const uint8_t *src = in + ih * W;
          float *row = buffer + (r % S) * S * b->plane_floats + (r / S) * OWV;
          /* Input column iw is padded column iw + PL; only those read. */
          const int64_t iw_end = W < OWV * S - PL ? W : OWV * S - PL;
          if (S == 1) {
            for (int64_t iw = 0; iw < iw_end; ++iw)
              row[iw + PL] = (float)src[iw];
          } else {
            /* Padded column 2j + p, input column 2j + p - PL, to phase p. */
            for (int64_t p = 0; p < 2; ++p) {
              float *dst = row + p * b->plane_floats;
              const int64_t j_begin = PL - p > 0 ? (PL - p + 1) / 2 : 0;
              const int64_t j_end = (iw_end + PL - p + 1) / 2;
              for (int64_t j = j_begin; j < j_end; ++j)
                dst[j] = (float)src[2 * j + p - PL];
            }
          }
        }
        const int64_t count = rows * OWV;
        if (S == 1 && KH == 3 && KW == 3)
          qdw_band_sums(1, 3, 3, b, KH, KW, buffer, w, sums, count);
        else if (S == 2 && KH == 3 && KW == 3)
          qdw_band_sums(2, 3, 3, b, KH, KW, buffer, w, sums, count);
        else if (S == 1 && KH == 5 && KW == 5)
          qdw_band_sums(1, 5, 5, b, KH, KW, buffer, w, sums, count);
        else if (S == 2 && KH == 5 && KW == 5)
          qdw_band_sums(2, 5, 5, b, KH, KW, buffer, w, sums, count);
        else
          qdw_band_sums(0, 0, 0, b, KH, KW, buffer, w, sums, count);
        /* The exact int32 sums, requantized. */
        for (int64_t i = 0; i < rows; ++i) {
          uint8_t *dst = out + (oh0 + i) * OW;
          const float *src = sums + i * OWV;
          for (int64_t ow = 0; ow < OW; ++ow)
            dst[ow] = qrequantize((int32_t)src[ow] + bias[c], multiplier[c], y_zero_point);
        }
      }
    }
}

/* Convs of one group without packing, over 4k channels or in the
   CHANNELS4 layout: the image is copied channels-last into the workspace
   with its padding, HP x WP pixels of CP bytes (C, or C padded to 4k), the
   border x_zero_point, so that for output pixel (oh, ow) tap (kh, kw) reads
   the CP bytes at padded pixel (oh*SH + kh*DH, ow*SW + kw*DW) and the
   pixels of a register tile along an output row sit SW*CP bytes apart:
   each tap is a 1x1 conv read in place, its weights the tap's CP/4 groups
   of 4 in the packed blocks (k = (kh*KW + kw)*CP + c). */
static int64_t qtaps_padded_rows(const int64_t *g) {
  const int64_t rows = (g[DSC_CONV_OH] - 1) * g[DSC_CONV_SH] +
                       (g[DSC_CONV_KH] - 1) * g[DSC_CONV_DH] + 1;
  return rows > g[DSC_CONV_H] + g[DSC_CONV_PT] ? rows : g[DSC_CONV_H] + g[DSC_CONV_PT];
}
static int64_t qtaps_padded_cols(const int64_t *g) {
  const int64_t cols = (g[DSC_CONV_OW] - 1) * g[DSC_CONV_SW] +
                       (g[DSC_CONV_KW] - 1) * g[DSC_CONV_DW] + 1;
  return cols > g[DSC_CONV_W] + g[DSC_CONV_PL] ? cols : g[DSC_CONV_W] + g[DSC_CONV_PL];
}

/* Channel bytes a pixel of the workspace copy holds: C, or C padded to a
   multiple of 4 in the CHANNELS4 layout. */
static int64_t qtaps_pixel_bytes(const int64_t *g) {
  return g[DSC_CONV_LAYOUT] == DSC_CONV_LAYOUT_QUANTIZED_CHANNELS4 ? (g[DSC_CONV_C] + 3) / 4 * 4
                                                                 : g[DSC_CONV_C];
}

/* Whether qconv_taps applies: one group of 4k channel bytes a pixel, and
   the padded image plus the reads past its last pixel (a register tile's
   QMR pixels) within the workspace. */
static int qtaps_apply(const int64_t *g) {
  const int64_t CP = qtaps_pixel_bytes(g);
  return g[DSC_CONV_GROUP] == 1 && CP % 4 == 0 &&
         (qtaps_padded_rows(g) * qtaps_padded_cols(g) + QMR * g[DSC_CONV_SW] + 1) * CP <=
             DSC_QCONV_WORKSPACE_BYTES(g[DSC_CONV_C], g[DSC_CONV_H], g[DSC_CONV_W]);
}

/* dst[4*i + c] = QX(src[c*plane + i]) for c < C (a compile-time 1..3),
   pad above: one 32-bit word a pixel, built in a register (bytes stored
   one by one and read back as a word stall the store forwarding), which
   the compiler vectorises over i. */
static inline __attribute__((always_inline)) void qpixels4(const int C, const uint8_t *src,
                                                           int64_t plane, int64_t count,
                                                           uint8_t pad, uint8_t *dst) {
  for (int64_t i = 0; i < count; ++i) {
    uint32_t word = (uint32_t)pad << 24;
    for (int c = 0; c < 3; ++c)
      word |= (uint32_t)(c < C ? QX(src[c * plane + i]) : pad) << (8 * c);
    memcpy(dst + 4 * i, &word, 4);
  }
}

/* ws[((ih + PT)*WP + iw + PL)*CP + c] = QX(in[c*H*W + ih*W + iw]) for
   c < C, row by row (qchannels_last), and QX(x_zero_point) on the border
   and in channels C..CP-1. */
static void qchannels_last_padded(const uint8_t *in, int64_t C, int64_t CP, int64_t H,
                                  int64_t W, int64_t HP, int64_t WP, int64_t PT, int64_t PL,
                                  uint8_t x_zero_point, uint8_t *ws) {
  const uint8_t pad = QX(x_zero_point);
  const int64_t row_bytes = WP * CP;
  memset(ws, pad, (size_t)(PT * row_bytes));
  memset(ws + (PT + H) * row_bytes, pad, (size_t)((HP - PT - H) * row_bytes));
  for (int64_t ih = 0; ih < H; ++ih) {
    uint8_t *row = ws + (PT + ih) * row_bytes;
    memset(row, pad, (size_t)(PL * CP));
    memset(row + (PL + W) * CP, pad, (size_t)((WP - PL - W) * CP));
    uint8_t *dst = row + PL * CP;
    const uint8_t *src = in + ih * W;
    if (CP == 4 && C < 4) {
      /* 1-3 channels (images): a pixel's 4 bytes as one word. */
      if (C == 3)
        qpixels4(3, src, H * W, W, pad, dst);
      else if (C == 2)
        qpixels4(2, src, H * W, W, pad, dst);
      else
        qpixels4(1, src, H * W, W, pad, dst);
      continue;
    }
    qchannels_last(src, C, W, H * W, dst, CP);
    for (int64_t c = C; c < CP; ++c)
      for (int64_t i = 0; i < W; ++i)
        dst[i * CP + c] = pad;
  }
}

static __attribute__((noinline)) void
qconv_taps(const int64_t *g, const uint8_t *input, const int8_t *packed, const int32_t *bias,
           const int32_t *weight_sums, const float *multiplier, uint8_t *output,
           uint8_t *workspace, int32_t x_zero_point, int32_t y_zero_point) {
  const int64_t N = g[DSC_CONV_N], C = g[DSC_CONV_C], H = g[DSC_CONV_H], W = g[DSC_CONV_W];
  const int64_t F = g[DSC_CONV_F], OH = g[DSC_CONV_OH], OW = g[DSC_CONV_OW];
  const int64_t KH = g[DSC_CONV_KH], KW = g[DSC_CONV_KW];
  const int64_t SH = g[DSC_CONV_SH], SW = g[DSC_CONV_SW];
  const int64_t DH = g[DSC_CONV_DH], DW = g[DSC_CONV_DW];
  const int64_t PT = g[DSC_CONV_PT], PL = g[DSC_CONV_PL];
  const int64_t HP = qtaps_padded_rows(g), WP = qtaps_padded_cols(g);
  const int64_t CP = qtaps_pixel_bytes(g);
  const int64_t C4 = CP / 4, K4 = C4 * KH * KW, Q = (F + 15) / 16, P = OH * OW;
  const int64_t block_bytes = K4 * 64;
  _Alignas(64) uint8_t stage[QSTAGE_PIXELS * QSTAGE_ROW];
  for (int64_t n = 0; n < N; ++n) {
    qchannels_last_padded(input + n * C * H * W, C, CP, H, W, HP, WP, PT, PL,
                          (uint8_t)x_zero_point, workspace);
    uint8_t *out = output + n * F * P;
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow0 = 0; ow0 < OW; ow0 += QSTAGE_PIXELS) {
        const int64_t count = OW - ow0 < QSTAGE_PIXELS ? OW - ow0 : QSTAGE_PIXELS;
        for (int64_t q = 0; q < Q; q += QNB) {
          const int nb = Q - q < QNB ? (int)(Q - q) : QNB;
          const int64_t f0 = q * 16;
          const int nf = F - f0 < QNB * 16 ? (int)(F - f0) : QNB * 16;
          for (int64_t t0 = 0; t0 < count; t0 += QMR) {
            const int mr = count - t0 < QMR ? (int)(count - t0) : QMR;
            qacc acc[QMR][QNB];
            for (int i = 0; i < QMR; ++i)
              for (int b = 0; b < QNB; ++b)
                acc[i][b] = qzero();
            /* Pixels past mr read the next ones (or the workspace's
               slack); their sums are not stored. */
            for (int64_t kh = 0; kh < KH; ++kh)
              for (int64_t kw = 0; kw < KW; ++kw) {
                const uint8_t *rows =
                    workspace + ((oh * SH + kh * DH) * WP + (ow0 + t0) * SW + kw * DW) * CP;
                qaccumulate_more(acc, rows, SW * CP, C4,
                                 packed + q * block_bytes + (kh * KW + kw) * C4 * 64,
                                 block_bytes, nb);
              }
            qtile_requantize(acc, nb, mr, bias + f0, weight_sums + f0, multiplier + f0,
                             y_zero_point, stage + t0 * QSTAGE_ROW);
          }
          qstage_store(stage, count, nf, out + f0 * P + oh * OW + ow0, P);
        }
      }
  }
}

static void qconv2d_u8s8(const int64_t *g, const uint8_t *input, const int8_t *packed,
                         const int32_t *bias, const int32_t *weight_sums,
                         const float *multiplier, uint8_t *output, uint8_t *workspace,
                         int32_t x_zero_point, int32_t y_zero_point) {
  if (g[DSC_CONV_LAYOUT] == DSC_CONV_LAYOUT_DEPTHWISE) {
    const qdw_band band = qdw_band_make(g);
    if (band.rows)
      qdepthwise_float(g, &band, input, packed, bias, multiplier, output, x_zero_point,
                       y_zero_point);
    else
      qdepthwise_u8s8(g, input, packed, bias, multiplier, output, workspace, x_zero_point,
                      y_zero_point);
    return;
  }
  const int64_t N = g[DSC_CONV_N], C = g[DSC_CONV_C], H = g[DSC_CONV_H], W = g[DSC_CONV_W];
  const int64_t F = g[DSC_CONV_F], OH = g[DSC_CONV_OH], OW = g[DSC_CONV_OW];
  const int64_t KH = g[DSC_CONV_KH], KW = g[DSC_CONV_KW];
  const int64_t SH = g[DSC_CONV_SH], SW = g[DSC_CONV_SW];
  const int64_t DH = g[DSC_CONV_DH], DW = g[DSC_CONV_DW];
  const int64_t PT = g[DSC_CONV_PT], PL = g[DSC_CONV_PL], G = g[DSC_CONV_GROUP];
  const int64_t Cg = C / G, Fg = F / G, K = Cg * KH * KW, K4 = (K + 3) / 4, KP = 4 * K4;
  const int64_t Q = (Fg + 15) / 16, P = OH * OW;
  const int64_t block_bytes = K4 * 64;
  /* A 1x1, stride-1, unpadded conv over 4k channels reads its rows straight
     from the channels-last copy: no packing. */
  const int direct = G == 1 && KH == 1 && KW == 1 && SH == 1 && SW == 1 && PT == 0 &&
                     PL == 0 && OH == H && OW == W && C % 4 == 0;
  if (g[DSC_CONV_LAYOUT] == DSC_CONV_LAYOUT_QUANTIZED_CHANNELS4 && !qtaps_apply(g)) {
    fprintf(stderr, "dsc_qconv2d_u8s8: the CHANNELS4 layout needs one group, paddings of "
                    "at most %d and strides of at most %d\n", DSC_QCONV_CHANNELS4_MAX_PAD,
            DSC_QCONV_CHANNELS4_MAX_STRIDE);
    abort();
  }
  /* In place by taps where output rows are long enough to fill register
     tiles: a tile holds pixels of one row, so narrow planes (resnet18's
     2x2 and 4x4 at 64x64) would stream the weights once per row; packed
     tiles take pixels across rows (resnet18 int8 1.46 -> 1.13 ms). */
  if (!direct && qtaps_apply(g) &&
      (OW >= 2 * QMR || g[DSC_CONV_LAYOUT] == DSC_CONV_LAYOUT_QUANTIZED_CHANNELS4)) {
    qconv_taps(g, input, packed, bias, weight_sums, multiplier, output, workspace,
               x_zero_point, y_zero_point);
    return;
  }
  /* Pixels per packed tile: as many whole register tiles as fit. */
  int64_t tp_max = direct ? P : QTILE_BYTES / KP / QMR * QMR;
  if (tp_max < QMR)
    tp_max = QMR;
  /* The compiler calls this only for K <= DSC_QCONV_MAX_REDUCTION, which
     keeps a register tile of pixels within the stack tile. */
  if (!direct && tp_max * KP > QTILE_BYTES) {
    fprintf(stderr, "dsc_qconv2d_u8s8: reduction %lld exceeds %d\n", (long long)K,
            DSC_QCONV_MAX_REDUCTION);
    abort();
  }
  /* 8 bytes of slack for the small-Cg copies below. */
  _Alignas(64) uint8_t tile_storage[QTILE_BYTES + 8];
  _Alignas(64) uint8_t stage[QSTAGE_PIXELS * QSTAGE_ROW];
  /* Up to 8 channels a tap are copied as one 8-byte move: the bytes past
     Cg land where the next tap, the zero padding past K or the next row
     is written afterwards (or in the slack), and the reads past the last
     pixel stay inside the workspace (DSC_QCONV_WORKSPACE_BYTES). A memcpy
     of a variable Cg bytes is a library call per tap. */
  const int small_taps = Cg <= 8;

  for (int64_t n = 0; n < N; ++n) {
    /* Channels last: workspace[(ih*W + iw)*C + c] = x[n][c][ih][iw], so a
       pixel's Cg channels at one kernel tap are one contiguous run. */
    qchannels_last(input + n * C * H * W, C, H * W, H * W, workspace, C);
    for (int64_t gi = 0; gi < G; ++gi) {
      uint8_t *out = output + (n * F + gi * Fg) * P;
      const int8_t *wg = packed + gi * Q * block_bytes;
      for (int64_t p0 = 0; p0 < P; p0 += tp_max) {
        int64_t tp = P - p0 < tp_max ? P - p0 : tp_max;
        const uint8_t *tile;
        if (direct) {
          /* Register tiles past the last pixel read the workspace's slack
             (DSC_QCONV_WORKSPACE_BYTES); their results are not stored. */
          tile = workspace + p0 * C;
        } else {
          /* Pack: tile[t][k], k = (kh*KW + kw)*Cg + c. Rows past tp repeat
             the last pixel so every register tile reads valid bytes. */
          int64_t rows = (tp + QMR - 1) / QMR * QMR;
          for (int64_t t = 0; t < rows; ++t) {
            int64_t p = p0 + (t < tp ? t : tp - 1);
            int64_t oh = p / OW, ow = p % OW;
            uint8_t *dst = tile_storage + t * KP;
            for (int64_t kh = 0; kh < KH; ++kh) {
              int64_t ih = oh * SH + kh * DH - PT;
              for (int64_t kw = 0; kw < KW; ++kw, dst += Cg) {
                int64_t iw = ow * SW + kw * DW - PL;
                const int inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
                if (small_taps && inside)
                  memcpy(dst, workspace + (ih * W + iw) * C + gi * Cg, 8);
                else if (small_taps)
                  memset(dst, QX(x_zero_point), 8);
                else if (inside)
                  memcpy(dst, workspace + (ih * W + iw) * C + gi * Cg, Cg);
                else
                  memset(dst, QX(x_zero_point), Cg);
              }
            }
            memset(dst, 0, KP - K);
          }
          tile = tile_storage;
        }
        for (int64_t q = 0; q < Q; q += QNB) {
          int nb = Q - q < QNB ? (int)(Q - q) : QNB;
          int64_t f0 = q * 16;
          int nf = Fg - f0 < QNB * 16 ? (int)(Fg - f0) : QNB * 16;
          for (int64_t c0 = 0; c0 < tp; c0 += QSTAGE_PIXELS) {
            const int64_t count = tp - c0 < QSTAGE_PIXELS ? tp - c0 : QSTAGE_PIXELS;
            for (int64_t t0 = c0; t0 < c0 + count; t0 += QMR) {
              int mr = c0 + count - t0 < QMR ? (int)(c0 + count - t0) : QMR;
              qtile(tile + t0 * KP, KP, K4, wg + q * block_bytes, block_bytes, nb, mr,
                    bias + gi * Fg + f0, weight_sums + gi * Fg + f0,
                    multiplier + gi * Fg + f0, y_zero_point, stage + (t0 - c0) * QSTAGE_ROW);
            }
            qstage_store(stage, count, nf, out + f0 * P + p0 + c0, P);
          }
        }
      }
    }
  }
}
