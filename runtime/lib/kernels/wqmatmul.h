/*===- wqmatmul.h - The weight-only quantized matmul, written once --------===*
 *
 * Included by the qkernels_<isa>.c files (compiled with their ISA's flags,
 * so the 16-wide float loops below become one or two vector instructions).
 * For each tile of up to WQ_ROWS rows of a and each 16-column panel, every
 * block of weights is dequantized once into a float tile (nibbles or bytes
 * times the block's fp16 scales) and accumulated into all the tile's rows:
 *   acc[i][c] += a[m0 + i][k] * (q[k][c] * scale[c])
 * The decoded block lives on the stack (at most 128 x 16 floats).
 *===----------------------------------------------------------------------===*/

#include <stdint.h>
#include <string.h>

#define WQ_ROWS 32

/* IEEE binary16 bits to float (normal, subnormal, zero, inf/nan). */
static inline float wq_half(uint16_t h) {
  uint32_t sign = (uint32_t)(h >> 15) << 31, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  uint32_t bits;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else { /* subnormal: normalise */
      exponent = 127 - 15 + 1;
      while (!(mantissa & 0x400)) {
        mantissa <<= 1;
        --exponent;
      }
      bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
    }
  } else if (exponent == 31) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else {
    bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  }
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

static void wqmatmul_f32(const int64_t *g, const float *a, const uint8_t *packed,
                         const float *bias, float *y) {
  const int64_t M = g[DSC_WQ_M], N = g[DSC_WQ_N], K = g[DSC_WQ_K];
  const int64_t B = g[DSC_WQ_BLOCK], bits = g[DSC_WQ_BITS];
  const int64_t panels = (N + 15) / 16, blocks = K / B;
  const int64_t block_bytes = 32 + B * 16 * bits / 8;
  float w[128][16];
  float acc[WQ_ROWS][16];
  for (int64_t m0 = 0; m0 < M; m0 += WQ_ROWS) {
    int64_t rows = M - m0 < WQ_ROWS ? M - m0 : WQ_ROWS;
    for (int64_t j = 0; j < panels; ++j) {
      for (int64_t i = 0; i < rows; ++i)
        for (int c = 0; c < 16; ++c)
          acc[i][c] = 0.0f;
      for (int64_t kb = 0; kb < blocks; ++kb) {
        const uint8_t *blk = packed + (j * blocks + kb) * block_bytes;
        float scale[16];
        for (int c = 0; c < 16; ++c) {
          uint16_t h;
          memcpy(&h, blk + 2 * c, 2);
          scale[c] = wq_half(h);
        }
        const uint8_t *data = blk + 32;
        if (bits == 8) {
          for (int64_t r = 0; r < B; ++r)
            for (int c = 0; c < 16; ++c)
              w[r][c] = (float)(int8_t)data[r * 16 + c] * scale[c];
        } else {
          for (int64_t r = 0; r < B; ++r)
            for (int c = 0; c < 16; ++c) {
              uint8_t byte = data[r * 8 + c / 2];
              int nibble = c % 2 ? byte >> 4 : byte & 0xf;
              w[r][c] = (float)(nibble >= 8 ? nibble - 16 : nibble) * scale[c];
            }
        }
        for (int64_t i = 0; i < rows; ++i) {
          const float *row = a + (m0 + i) * K + kb * B;
          for (int64_t r = 0; r < B; ++r) {
            const float v = row[r];
            for (int c = 0; c < 16; ++c)
              acc[i][c] += v * w[r][c];
          }
        }
      }
      for (int64_t i = 0; i < rows; ++i)
        for (int c = 0; c < 16 && j * 16 + c < N; ++c)
          y[(m0 + i) * N + j * 16 + c] = acc[i][c] + (bias ? bias[j * 16 + c] : 0.0f);
    }
  }
}
