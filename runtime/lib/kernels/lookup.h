/*===- lookup.h - The byte table lookup, written once ----------------------===*
 *
 * Included by each qkernels_<isa>.c: qlookup_u8, y[i] = table[x[i]]
 * (dsc/kernels.h, dsc_lookup_u8), with the widest table instruction the
 * build's target has:
 *   AArch64: tbl over four 16-byte registers covers 64 entries; tbx with
 *     the index minus 64, 128 and 192 fills in the other quarters (an index
 *     past 63 leaves the byte as it was). 16 bytes per 4 instructions.
 *   x86-64 with AVX512BW in the build: vpermi2b (AVX-512 VBMI, Ice Lake
 *     and later; checked at run time, since Cascade Lake has VNNI without
 *     it) picks from two 64-byte quarters by the index's low 7 bits, once
 *     for the low half of the table and once for the high; the index's top
 *     bit chooses between them. 64 bytes per 4 instructions.
 *   Otherwise one load per byte.
 *===----------------------------------------------------------------------===*/

#include <stdint.h>

#if defined(__aarch64__)
#include <arm_neon.h>
#elif defined(__x86_64__) && defined(__AVX512BW__)
#include <immintrin.h>
#include "dsc/runtime.h"
#endif

static void qlookup_scalar(const uint8_t *x, const uint8_t *table, uint8_t *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = table[x[i]];
}

#if defined(__x86_64__) && defined(__AVX512BW__)
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) static void
qlookup_vbmi(const uint8_t *x, const uint8_t *table, uint8_t *y, int64_t n) {
  const __m512i t0 = _mm512_loadu_si512((const void *)table);
  const __m512i t1 = _mm512_loadu_si512((const void *)(table + 64));
  const __m512i t2 = _mm512_loadu_si512((const void *)(table + 128));
  const __m512i t3 = _mm512_loadu_si512((const void *)(table + 192));
  int64_t i = 0;
  for (; i < n; i += 64) {
    const __mmask64 valid = n - i >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << (n - i)) - 1);
    const __m512i v = _mm512_maskz_loadu_epi8(valid, x + i);
    const __m512i low = _mm512_permutex2var_epi8(t0, v, t1);
    const __m512i high = _mm512_permutex2var_epi8(t2, v, t3);
    const __m512i r = _mm512_mask_blend_epi8(_mm512_movepi8_mask(v), low, high);
    _mm512_mask_storeu_epi8(y + i, valid, r);
  }
}
#endif

static void qlookup_u8(const int64_t *g, const uint8_t *x, const uint8_t *table, uint8_t *y) {
  const int64_t n = g[DSC_LOOKUP_COUNT];
#if defined(__aarch64__)
  uint8x16x4_t quarter[4];
  for (int q = 0; q < 4; ++q)
    quarter[q] = vld1q_u8_x4(table + 64 * q);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const uint8x16_t v = vld1q_u8(x + i);
    uint8x16_t r = vqtbl4q_u8(quarter[0], v);
    r = vqtbx4q_u8(r, quarter[1], vsubq_u8(v, vdupq_n_u8(64)));
    r = vqtbx4q_u8(r, quarter[2], vsubq_u8(v, vdupq_n_u8(128)));
    r = vqtbx4q_u8(r, quarter[3], vsubq_u8(v, vdupq_n_u8(192)));
    vst1q_u8(y + i, r);
  }
  qlookup_scalar(x + i, table, y + i, n - i);
#elif defined(__x86_64__) && defined(__AVX512BW__)
  /* Checked once; instances on several threads may race to store the
     same value, so atomically. */
  static int has_vbmi = -1;
  int vbmi = __atomic_load_n(&has_vbmi, __ATOMIC_RELAXED);
  if (vbmi < 0) {
    vbmi = dsc_cpu_supports("avx512f,avx512bw,avx512vbmi", NULL, 0);
    __atomic_store_n(&has_vbmi, vbmi, __ATOMIC_RELAXED);
  }
  if (vbmi)
    qlookup_vbmi(x, table, y, n);
  else
    qlookup_scalar(x, table, y, n);
#else
  qlookup_scalar(x, table, y, n);
#endif
}
