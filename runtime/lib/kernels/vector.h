/*===- vector.h - The portable vector type of one ISA variant -------------===*
 *
 * Included once per ISA variant (kernels_<isa>.c), after it defines
 *   DSC_V  floats per vector register (1 scalar, 4 SSE2/NEON, 8 AVX2,
 *          16 AVX-512)
 * The code above this header is written with GCC/Clang vector extensions:
 * `vf` is V floats, arithmetic is elementwise, a scalar operand is
 * broadcast, and the compiler maps it to the ISA the file is compiled for.
 * Loads and stores go through memcpy (unaligned, no aliasing questions);
 * compilers turn them into single vector moves.
 *===----------------------------------------------------------------------===*/

#ifndef DSC_KERNELS_VECTOR_H
#define DSC_KERNELS_VECTOR_H

#include <stdint.h>
#include <string.h>

#if !defined(DSC_V) || (DSC_V != 1 && DSC_V != 4 && DSC_V != 8 && DSC_V != 16)
#error "define DSC_V (1, 4, 8 or 16) before including vector.h"
#endif

#define V DSC_V

typedef float vf __attribute__((vector_size(4 * V), aligned(4)));
typedef int32_t vi __attribute__((vector_size(4 * V), aligned(4)));

#define DSC_INLINE static inline __attribute__((always_inline))

DSC_INLINE vf vload(const float *p) {
  vf v;
  memcpy(&v, p, sizeof v);
  return v;
}

DSC_INLINE void vstore(float *p, vf v) { memcpy(p, &v, sizeof v); }

/* Lane by lane rather than (vf){0} + x, which costs an add (0 + x is not x
   for x = -0), in the hot loops on the FMA ports. */
DSC_INLINE vf vsplat(float x) {
  vf v;
  for (int i = 0; i < V; ++i)
    v[i] = x;
  return v;
}

/* mask ? a : b, with mask lanes all-ones or zero (what comparisons give). */
DSC_INLINE vf vselect(vi mask, vf a, vf b) {
  return (vf)(((vi)a & mask) | ((vi)b & ~mask));
}

DSC_INLINE vf vmax(vf a, vf b) { return vselect(a > b, a, b); }
DSC_INLINE vf vmin(vf a, vf b) { return vselect(a < b, a, b); }

/* v[i] = p[2 * i]: V floats at stride 2, reading p[0 .. 2V-1]. */
/* e^x on a vector, to about 2 ulp (the Cephes expf scheme): x = n ln2 + r
   with |r| <= ln2 / 2 (ln2 split in two for the reduction),
   e^r = 1 + r + r^2 P(r) with a degree-5 P, times 2^n by adding n to the
   exponent bits. x is clamped to [-87.3, 88.3], where 2^n stays normal. */
DSC_INLINE vf vexp(vf x) {
  x = vmin(vmax(x, vsplat(-87.3f)), vsplat(88.3f));
  vf scaled = x * 1.44269504088896341f;
  vi n = __builtin_convertvector(scaled + vselect(scaled >= vsplat(0.0f), vsplat(0.5f),
                                                  vsplat(-0.5f)),
                                 vi);
  vf nf = __builtin_convertvector(n, vf);
  vf r = x - nf * 0.693359375f + nf * 2.12194440e-4f;
  vf p = vsplat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  return (vf)((vi)p + (n << 23));
}

DSC_INLINE vf vload_stride2(const float *p) {
#if V == 1
  return vload(p);
#else
  vf lo = vload(p), hi = vload(p + V);
#if V == 4
  return __builtin_shufflevector(lo, hi, 0, 2, 4, 6);
#elif V == 8
  return __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14);
#else
  return __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18,
                                 20, 22, 24, 26, 28, 30);
#endif
#endif
}

/* v[i] = p[stride * i], any stride (element by element). */
DSC_INLINE vf vload_strided(const float *p, int64_t stride) {
  vf v;
  for (int i = 0; i < V; ++i)
    v[i] = p[stride * i];
  return v;
}

DSC_INLINE int64_t min_i64(int64_t a, int64_t b) { return a < b ? a : b; }
DSC_INLINE int64_t max_i64(int64_t a, int64_t b) { return a > b ? a : b; }

/* floor(a / b) for b > 0 and any sign of a. */
DSC_INLINE int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

#endif /* DSC_KERNELS_VECTOR_H */
