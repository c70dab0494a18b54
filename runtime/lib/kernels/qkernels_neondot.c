/*===- qkernels_neondot.c - uint8 x int8 kernels with AArch64 sdot ---------===*
 *
 * The dot-product extension of Armv8.2 (Cortex-A76 and later: Raspberry Pi
 * 5, RK3588): sdot multiplies four signed bytes by four signed bytes per
 * int32 lane. A filter block is four 128-bit registers of 4 lanes; the
 * activations are stored XOR 0x80 (QX_FLIP: x - 128 as a signed byte) and
 * the kernels add 128 * sum(w) back. Compiled with
 * -march=armv8.2-a+dotprod.
 *===----------------------------------------------------------------------===*/

#include "kernels_internal.h"

#include <arm_neon.h>

typedef struct {
  int32x4_t v[4];
} qacc;
static inline qacc qzero(void) {
  qacc a = {{vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0)}};
  return a;
}
static inline qacc qdot(qacc acc, uint32_t x4, const int8_t *w64) {
  int8x16_t x = vreinterpretq_s8_u32(vdupq_n_u32(x4));
  for (int i = 0; i < 4; ++i)
    acc.v[i] = vdotq_s32(acc.v[i], vld1q_s8(w64 + 16 * i), x);
  return acc;
}
static inline void qstore(int32_t out[16], qacc acc) {
  for (int i = 0; i < 4; ++i)
    vst1q_s32(out + 4 * i, acc.v[i]);
}
#define QMR 4
#define QNB 1
#define QX_FLIP 1

#include "qconv2d.h"
#include "wqmatmul.h"
#include "lookup.h"

const dsc_qkernel_table dsc_qkernel_table_neondot = {"neondot", "neon,dotprod", qconv2d_u8s8,
                                                     qmatmul_u8s8_i32, wqmatmul_f32, qlookup_u8};
