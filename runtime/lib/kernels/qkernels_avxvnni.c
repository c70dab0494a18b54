/*===- qkernels_avxvnni.c - uint8 x int8 kernels with AVX-VNNI -------------===*
 *
 * The VEX-encoded vpdpbusd of CPUs with AVX-VNNI but no AVX-512 (Alder
 * Lake and later): one filter block is two ymm of 8 int32 lanes.
 * Compiled with -mavx2 -mavxvnni.
 *===----------------------------------------------------------------------===*/

#include "kernels_internal.h"

#include <immintrin.h>

typedef struct {
  __m256i lo, hi;
} qacc;
static inline qacc qzero(void) {
  qacc a = {_mm256_setzero_si256(), _mm256_setzero_si256()};
  return a;
}
static inline qacc qdot(qacc acc, uint32_t x4, const int8_t *w64) {
  __m256i x = _mm256_set1_epi32((int32_t)x4);
  acc.lo = _mm256_dpbusd_avx_epi32(acc.lo, x, _mm256_loadu_si256((const __m256i *)w64));
  acc.hi = _mm256_dpbusd_avx_epi32(acc.hi, x, _mm256_loadu_si256((const __m256i *)(w64 + 32)));
  return acc;
}
static inline void qstore(int32_t out[16], qacc acc) {
  _mm256_storeu_si256((__m256i *)out, acc.lo);
  _mm256_storeu_si256((__m256i *)(out + 8), acc.hi);
}
#define QMR 4
#define QNB 1

#include "qconv2d.h"
#include "wqmatmul.h"
#include "lookup.h"

const dsc_qkernel_table dsc_qkernel_table_avxvnni = {"avxvnni", "avx2,avxvnni",
                                                     qconv2d_u8s8, qmatmul_u8s8_i32,
    wqmatmul_f32, qlookup_u8};
