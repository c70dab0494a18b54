/*===- qkernels_avx512vnni.c - uint8 x int8 kernels with AVX512-VNNI -------===*
 *
 * One filter block is one zmm of 16 int32 lanes; vpdpbusd multiplies the
 * four unsigned input bytes broadcast to every lane with each filter's four
 * signed weights and adds the products to the lane (exact: no saturation).
 * Compiled with -mavx512f -mavx512bw -mavx512vnni.
 *===----------------------------------------------------------------------===*/

#include "kernels_internal.h"

#include <immintrin.h>

typedef __m512i qacc;
static inline qacc qzero(void) { return _mm512_setzero_si512(); }
static inline qacc qdot(qacc acc, uint32_t x4, const int8_t *w64) {
  return _mm512_dpbusd_epi32(acc, _mm512_set1_epi32((int32_t)x4),
                             _mm512_loadu_si512((const void *)w64));
}
static inline void qstore(int32_t out[16], qacc acc) {
  _mm512_storeu_si512((void *)out, acc);
}
#define QMR 6
#define QNB 2

#include "qconv2d.h"
#include "wqmatmul.h"
#include "lookup.h"

const dsc_qkernel_table dsc_qkernel_table_avx512vnni = {
    "avx512vnni", "avx512f,avx512bw,avx512vnni", qconv2d_u8s8, qmatmul_u8s8_i32,
    wqmatmul_f32, qlookup_u8};
