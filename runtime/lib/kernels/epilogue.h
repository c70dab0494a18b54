/*===- epilogue.h - Bias, residual and activation over a run of outputs ---===*
 *
 * Included once per ISA variant after vector.h. The kernels store the plain
 * sums of a tile, then call epilogue_apply on each row of the tile while it
 * is still in L1, so each output is finished exactly once (after the last K
 * block).
 *===----------------------------------------------------------------------===*/

#ifndef DSC_KERNELS_EPILOGUE_H
#define DSC_KERNELS_EPILOGUE_H

#include "vector.h"

#include <math.h>
#include <string.h>

typedef struct {
  int activation;      /* enum dsc_activation */
  int residual_after;  /* DSC_EPILOGUE_RESIDUAL_AFTER_ACT */
  float alpha, beta;
  float out_scale, out_shift; /* 1 and 0 without DSC_EPILOGUE_OUTPUT_AFFINE */
} epilogue_params;

/* A float carried in the low 32 bits of a geometry entry. */
DSC_INLINE float geometry_float(int64_t bits) {
  uint32_t word = (uint32_t)bits;
  float value;
  memcpy(&value, &word, sizeof value);
  return value;
}

DSC_INLINE epilogue_params epilogue_make(int64_t activation, int64_t flags,
                                         float alpha, float beta,
                                         int64_t out_scale_bits,
                                         int64_t out_shift_bits) {
  epilogue_params ep;
  ep.activation = (int)activation;
  ep.residual_after = (flags & DSC_EPILOGUE_RESIDUAL_AFTER_ACT) != 0;
  ep.alpha = alpha;
  ep.beta = beta;
  int affine = (flags & DSC_EPILOGUE_OUTPUT_AFFINE) != 0;
  ep.out_scale = affine ? geometry_float(out_scale_bits) : 1.0f;
  ep.out_shift = affine ? geometry_float(out_shift_bits) : 0.0f;
  return ep;
}

/* The activations on a vector (kernels.h's table); sigmoid and swish
   through vexp, tanh through libm, scalar, in epilogue_apply. */
DSC_INLINE vf activate_vector(vf v, const epilogue_params *ep) {
  const vf zero = vsplat(0.0f), one = vsplat(1.0f);
  switch (ep->activation) {
  case DSC_ACT_RELU:
    return vmax(v, zero);
  case DSC_ACT_CLIP:
    return vmin(vmax(v, vsplat(ep->alpha)), vsplat(ep->beta));
  case DSC_ACT_LEAKY_RELU:
    return vselect(v >= zero, v, v * ep->alpha);
  case DSC_ACT_HARD_SIGMOID:
    return vmax(zero, vmin(one, v * ep->alpha + ep->beta));
  case DSC_ACT_HARD_SWISH:
    return v * vmax(zero, vmin(one, v * (1.0f / 6.0f) + 0.5f));
  case DSC_ACT_SIGMOID: /* 1 / (1 + e^-v) */
    return one / (one + vexp(-v));
  case DSC_ACT_SWISH: /* v / (1 + e^-v) */
    return v / (one + vexp(-v));
  default:
    return v;
  }
}

DSC_INLINE float activate_transcendental(float v, int activation) {
  return activation == DSC_ACT_TANH ? tanhf(v) : v;
}

/*
 * y[i] = act(y[i] + b[i] + r[i]) * s + t   or, with residual_after,
 * y[i] = act(y[i] + b[i]) * s + t + r[i]   for i < n
 * (s, t = out_scale, out_shift: 1 and 0 unless the output affine is on),
 * b[i] = bias_per_column[i] when that is not NULL (matmul), else
 * bias_scalar (a convolution row: one filter); r = residual (may be NULL).
 */
static void epilogue_apply(float *y, const float *residual, int64_t n,
                           const float *bias_per_column, float bias_scalar,
                           const epilogue_params *ep) {
  const int transcendental = ep->activation == DSC_ACT_TANH;
  const int residual_first = residual && !ep->residual_after;
  const int residual_last = residual && ep->residual_after;
  const vf scale = vsplat(ep->out_scale), shift = vsplat(ep->out_shift);
  int64_t i = 0;
  /* Vector part: everything but tanh; for tanh only the sums (bias,
     residual before the act), then libm below. */
  for (; i + V <= n; i += V) {
    vf v = vload(y + i);
    v += bias_per_column ? vload(bias_per_column + i) : vsplat(bias_scalar);
    if (residual_first)
      v += vload(residual + i);
    if (!transcendental) {
      v = activate_vector(v, ep) * scale + shift;
      if (residual_last)
        v += vload(residual + i);
    }
    vstore(y + i, v);
  }
  for (; i < n; ++i) {
    float v = y[i] + (bias_per_column ? bias_per_column[i] : bias_scalar);
    if (residual_first)
      v += residual[i];
    if (!transcendental) {
      vf lane = activate_vector(vsplat(v), ep);
      v = lane[0] * ep->out_scale + ep->out_shift;
      if (residual_last)
        v += residual[i];
    }
    y[i] = v;
  }
  if (transcendental)
    for (i = 0; i < n; ++i)
      y[i] = activate_transcendental(y[i], ep->activation) * ep->out_scale + ep->out_shift +
             (residual_last ? residual[i] : 0.0f);
}

#endif /* DSC_KERNELS_EPILOGUE_H */
