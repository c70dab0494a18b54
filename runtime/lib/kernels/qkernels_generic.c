/*===- qkernels_generic.c - uint8 x int8 kernels in portable C ------------===*
 *
 * For CPUs without a byte dot-product instruction (x86-64 before VNNI,
 * AArch64 without dotprod): 16 int32 accumulators per filter block, the
 * bytes widened to int32 before multiplying (exact). The compiler
 * vectorizes it for the build's baseline ISA.
 *===----------------------------------------------------------------------===*/

#include "kernels_internal.h"

typedef struct {
  int32_t v[16];
} qacc;
static inline qacc qzero(void) {
  qacc a;
  for (int j = 0; j < 16; ++j)
    a.v[j] = 0;
  return a;
}
static inline qacc qdot(qacc acc, uint32_t x4, const int8_t *w64) {
  int32_t x0 = x4 & 0xff, x1 = (x4 >> 8) & 0xff, x2 = (x4 >> 16) & 0xff, x3 = x4 >> 24;
  for (int j = 0; j < 16; ++j)
    acc.v[j] += x0 * w64[4 * j] + x1 * w64[4 * j + 1] + x2 * w64[4 * j + 2] +
                x3 * w64[4 * j + 3];
  return acc;
}
static inline void qstore(int32_t out[16], qacc acc) {
  for (int j = 0; j < 16; ++j)
    out[j] = acc.v[j];
}
#define QMR 4
#define QNB 1

#include "qconv2d.h"
#include "wqmatmul.h"
#include "lookup.h"

const dsc_qkernel_table dsc_qkernel_table_generic = {"generic", "", qconv2d_u8s8, qmatmul_u8s8_i32,
    wqmatmul_f32, qlookup_u8};
