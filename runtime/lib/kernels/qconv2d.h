/*===- qconv2d.h - The uint8 x int8 convolution, written once -------------===*
 *
 * Included by each qkernels_<isa>.c after it defines, for one block of 16
 * filters (16 int32 accumulators, one per filter):
 *   qacc                     the accumulator type
 *   qacc qzero(void)
 *   qacc qdot(qacc acc, uint32_t x4, const int8_t *w64)
 *       acc[j] += sum_{i<4} byte i of x4 (unsigned) * w64[4*j + i] (signed)
 *   void qstore(int32_t out[16], qacc acc)
 * and the register tile QMR (pixels) x QNB (filter blocks).
 *
 * The convolution (dsc/kernels.h, dsc_qconv2d_u8s8): for each image and
 * group, the input is packed pixel-major in tiles that fit the stack
 * (im2col of up to QTILE_BYTES: tile[t][k], k padded to a multiple of 4;
 * padding reads x_zero_point, so with the compile-time bias correction it
 * contributes nothing), then each register tile of QMR pixels x QNB blocks
 * accumulates over k in steps of 4 with the ISA's dot-product instruction.
 * The epilogue requantizes:
 *   y = saturate_u8(round_half_even((acc + bias[f]) * multiplier[f]) + y_zp)
 *===----------------------------------------------------------------------===*/

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QTILE_BYTES (48 * 1024)

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

/* One register tile: pixels rows[0..QMR) of the packed tile (row stride
   kp bytes) times `nb` (1..QNB) filter blocks starting at w (block stride
   block_bytes), over k4 groups of 4; stores the requantized bytes of the
   first `mr` pixels and `nf` filters of the tile to out (filter stride
   plane, pixel stride 1). */
static void qtile(const uint8_t *rows, int64_t kp, int64_t k4, const int8_t *w,
                  int64_t block_bytes, int nb, int mr, int nf, const int32_t *bias,
                  const float *multiplier, int32_t y_zero_point, uint8_t *out,
                  int64_t plane) {
  qacc acc[QMR][QNB];
  for (int i = 0; i < QMR; ++i)
    for (int b = 0; b < QNB; ++b)
      acc[i][b] = qzero();
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
  for (int b = 0; b < nb; ++b) {
    int32_t sums[QMR][16];
    for (int i = 0; i < mr; ++i)
      qstore(sums[i], acc[i][b]);
    for (int j = 0; j < 16 && b * 16 + j < nf; ++j) {
      int f = b * 16 + j;
      for (int i = 0; i < mr; ++i)
        out[f * plane + i] = qrequantize(sums[i][j] + bias[f], multiplier[f], y_zero_point);
    }
  }
}

static void qconv2d_u8s8(const int64_t *g, const uint8_t *input, const int8_t *packed,
                         const int32_t *bias, const float *multiplier, uint8_t *output,
                         int32_t x_zero_point, int32_t y_zero_point) {
  const int64_t N = g[DSC_CONV_N], C = g[DSC_CONV_C], H = g[DSC_CONV_H], W = g[DSC_CONV_W];
  const int64_t F = g[DSC_CONV_F], OH = g[DSC_CONV_OH], OW = g[DSC_CONV_OW];
  const int64_t KH = g[DSC_CONV_KH], KW = g[DSC_CONV_KW];
  const int64_t SH = g[DSC_CONV_SH], SW = g[DSC_CONV_SW];
  const int64_t DH = g[DSC_CONV_DH], DW = g[DSC_CONV_DW];
  const int64_t PT = g[DSC_CONV_PT], PL = g[DSC_CONV_PL], G = g[DSC_CONV_GROUP];
  const int64_t Cg = C / G, Fg = F / G, K = Cg * KH * KW, K4 = (K + 3) / 4, KP = 4 * K4;
  const int64_t Q = (Fg + 15) / 16, P = OH * OW;
  const int64_t block_bytes = K4 * 64;
  /* Pixels per packed tile: as many whole register tiles as fit. */
  int64_t tp_max = QTILE_BYTES / KP / QMR * QMR;
  if (tp_max < QMR)
    tp_max = QMR; /* K beyond the tile budget: the tile grows past it */
  _Alignas(64) uint8_t tile_storage[QTILE_BYTES];
  uint8_t *tile = tile_storage;
  /* The compiler calls this only for K <= DSC_QCONV_MAX_REDUCTION, which
     keeps a register tile of pixels within the stack tile. */
  if (tp_max * KP > QTILE_BYTES) {
    fprintf(stderr, "dsc_qconv2d_u8s8: reduction %lld exceeds %d\n", (long long)K,
            DSC_QCONV_MAX_REDUCTION);
    abort();
  }

  for (int64_t n = 0; n < N; ++n)
    for (int64_t gi = 0; gi < G; ++gi) {
      const uint8_t *in = input + (n * C + gi * Cg) * H * W;
      uint8_t *out = output + (n * F + gi * Fg) * P;
      const int8_t *wg = packed + gi * Q * block_bytes;
      for (int64_t p0 = 0; p0 < P; p0 += tp_max) {
        int64_t tp = P - p0 < tp_max ? P - p0 : tp_max;
        /* Pack: tile[t][k], k = (c*KH + kh)*KW + kw. Rows past tp repeat
           the last pixel so every register tile reads valid bytes. */
        int64_t rows = (tp + QMR - 1) / QMR * QMR;
        for (int64_t t = 0; t < rows; ++t) {
          int64_t p = p0 + (t < tp ? t : tp - 1);
          int64_t oh = p / OW, ow = p % OW;
          uint8_t *dst = tile + t * KP;
          int64_t k = 0;
          for (int64_t c = 0; c < Cg; ++c)
            for (int64_t kh = 0; kh < KH; ++kh) {
              int64_t ih = oh * SH + kh * DH - PT;
              const uint8_t *row = in + (c * H + ih) * W;
              for (int64_t kw = 0; kw < KW; ++kw, ++k) {
                int64_t iw = ow * SW + kw * DW - PL;
                dst[k] = (ih >= 0 && ih < H && iw >= 0 && iw < W) ? row[iw]
                                                                  : (uint8_t)x_zero_point;
              }
            }
          for (; k < KP; ++k)
            dst[k] = 0;
        }
        for (int64_t q = 0; q < Q; q += QNB) {
          int nb = Q - q < QNB ? (int)(Q - q) : QNB;
          int64_t f0 = q * 16;
          int nf = Fg - f0 < QNB * 16 ? (int)(Fg - f0) : QNB * 16;
          for (int64_t t0 = 0; t0 < tp; t0 += QMR) {
            int mr = tp - t0 < QMR ? (int)(tp - t0) : QMR;
            qtile(tile + t0 * KP, KP, K4, wg + q * block_bytes, block_bytes, nb, mr, nf,
                  bias + gi * Fg + f0, multiplier + gi * Fg + f0, y_zero_point,
                  out + f0 * P + p0 + t0, P);
          }
        }
      }
    }
}
