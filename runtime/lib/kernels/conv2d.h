/*===- conv2d.h - 2-D convolution, one ISA variant ------------------------===*
 *
 * Included once per ISA variant after vector.h and epilogue.h, which define
 *   DSC_CONV_NV  vectors per microkernel row (NR = DSC_CONV_NV * V pixels)
 *   DSC_CONV_KC  the K block
 *
 * Layout PANELS (any group): per batch n and group g, a GEMM
 *   out[f][p] = sum_k W[f][k] * Col[k][p]
 * with p = oh * OW + ow (the output plane, contiguous), k = (c * KH + kh) *
 * KW + kw and Col the implicit im2col of the group's input:
 *   Col[k][p] = x[c][oh*SH + kh*DH - PT][ow*SW + kw*DW - PL]  (0 outside).
 * W is packed at compile time in panels of ROWS = 6 filters (kernels.h), so
 * the microkernel broadcasts 6 consecutive weights per k and FMAs them with
 * NR pixels of Col: a 6 x NR register tile. Col is packed at run time, per
 * tile of CONV_TILE pixels and K block, into a stack buffer [KC][CONV_TILE]
 * reused by every filter panel; a 1x1, stride-1, unpadded convolution reads
 * the input in place (Col = x, rows of length H*W) except for a ragged last
 * tile. Between K blocks the partial sums accumulate in the output; the
 * epilogue runs once, after the last K block.
 *
 * Layout FILTER_PANELS (any group, meant for small output planes): per
 * batch n and group g, the transposed GEMM
 *   out^T[p][f] = sum_k Col^T[p][k] * W[k][f]
 * with W packed at compile time in panels of 16 filters exactly as
 * dsc_matmul_f32's right-hand side (kernels.h), so matmul.h's microkernels
 * (MM_MR pixels broadcast x MM_PANELS * 16 filters in vector registers) do
 * the work. Col^T is packed at run time, per tile of CONV_FP_TILE pixels and
 * K block of CONV_FP_KC, into a stack buffer [TILE][KC] reused by every
 * filter panel. When the plane fits one tile (the case the compiler picks
 * this layout for), the partial sums between K blocks accumulate in the
 * output itself, each group of panels in the transposed order [p][16 *
 * panels] over its own filters' part of the output, and are transposed in
 * place into [f][p] after the last K block, then the epilogue runs on each
 * filter's row; a ragged last panel accumulates in a stack tile. Larger
 * planes add each microkernel tile, transposed, into the output (scattered
 * stores). A conv whose only pixel reads its input in order (the kernel
 * covers the unpadded input: 1x1 on 1x1, the squeeze-excitation convs) is a
 * GEMV over the input as it is.
 *
 * Layout DEPTHWISE (G == C == F): per channel and output row, the kernel
 * taps accumulate over a vector of consecutive outputs. The interior columns
 * (every tap inside the input row) run without bounds checks, vectorised
 * for stride 1 and 2; the border columns and rows are handled separately.
 *===----------------------------------------------------------------------===*/

#ifndef DSC_KERNELS_CONV2D_H
#define DSC_KERNELS_CONV2D_H

#include "epilogue.h"
#include "matmul.h" /* the GEMM microkernels of layout FILTER_PANELS */

#define CONV_ROWS DSC_CONV_PANEL_ROWS
#define CONV_NV DSC_CONV_NV
#define CONV_NR (CONV_NV * V)
#define CONV_KC DSC_CONV_KC
/* Pixels per packed Col tile: a multiple of NR (NR <= 32). Large enough
   that packing overheads per K row amortise. */
#ifndef DSC_CONV_TILE
#define DSC_CONV_TILE 128
#endif
#define CONV_TILE DSC_CONV_TILE

_Static_assert(CONV_TILE % CONV_NR == 0, "CONV_TILE must be a multiple of NR");
DSC_INLINE int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }
DSC_INLINE int64_t clamp_i64(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* The geometry of one call, unpacked from the int64 array. */
typedef struct {
  int64_t n, c, h, w, f, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl, g;
} conv_dims;

DSC_INLINE conv_dims conv_dims_make(const int64_t *geometry) {
  conv_dims d;
  d.n = geometry[DSC_CONV_N];
  d.c = geometry[DSC_CONV_C];
  d.h = geometry[DSC_CONV_H];
  d.w = geometry[DSC_CONV_W];
  d.f = geometry[DSC_CONV_F];
  d.oh = geometry[DSC_CONV_OH];
  d.ow = geometry[DSC_CONV_OW];
  d.kh = geometry[DSC_CONV_KH];
  d.kw = geometry[DSC_CONV_KW];
  d.sh = geometry[DSC_CONV_SH];
  d.sw = geometry[DSC_CONV_SW];
  d.dh = geometry[DSC_CONV_DH];
  d.dw = geometry[DSC_CONV_DW];
  d.pt = geometry[DSC_CONV_PT];
  d.pl = geometry[DSC_CONV_PL];
  d.g = geometry[DSC_CONV_GROUP];
  return d;
}

/*
 * The microkernel: for r < 6, p < NR,
 *   C[r][p] = (accumulate ? C[r][p] : 0) + sum_{k < kc} w[k*6 + r] * B[k][p]
 * with B[k][p] = b[k * ldb + p] and C[r][p] = c[r * ldc + p].
 */
static void conv_microkernel(int64_t kc, const float *w, const float *b,
                             int64_t ldb, float *c, int64_t ldc,
                             int accumulate) {
  vf acc[CONV_ROWS][CONV_NV];
#pragma GCC unroll 8
  for (int r = 0; r < CONV_ROWS; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < CONV_NV; ++v)
      acc[r][v] = vsplat(0.0f);
  for (int64_t k = 0; k < kc; ++k) {
    vf bk[CONV_NV];
#pragma GCC unroll 8
    for (int v = 0; v < CONV_NV; ++v)
      bk[v] = vload(b + k * ldb + v * V);
#pragma GCC unroll 8
    for (int r = 0; r < CONV_ROWS; ++r) {
      const vf wr = vsplat(w[k * CONV_ROWS + r]);
#pragma GCC unroll 8
      for (int v = 0; v < CONV_NV; ++v)
        acc[r][v] += wr * bk[v];
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < CONV_ROWS; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < CONV_NV; ++v) {
      float *cp = c + r * ldc + v * V;
      vstore(cp, accumulate ? vload(cp) + acc[r][v] : acc[r][v]);
    }
}

/* A run of a pixel tile's pixels within one output row. */
typedef struct {
  int64_t oh, ow, len, offset; /* first pixel (oh, ow), length, tile column */
} conv_pixel_run;

/* The stack: the Col tile, its pixel runs, the 6 x NR tile of the edges. */
_Static_assert((CONV_KC * CONV_TILE + 5120 + 2 * V) * sizeof(float) +
                       CONV_TILE * sizeof(conv_pixel_run) +
                       CONV_ROWS * CONV_NR * sizeof(float) + 1024 <=
                   DSC_KERNEL_STACK_BYTES,
               "the conv scratch must fit the kernels' stack budget");

/* Splits pixels p0 .. p0+npix-1 into runs within output rows; returns the
   count (<= CONV_TILE). */
static int64_t conv_pixel_runs(const conv_dims *d, int64_t p0, int64_t npix,
                               conv_pixel_run *runs) {
  int64_t count = 0;
  int64_t oh = p0 / d->ow, ow = p0 % d->ow;
  for (int64_t i = 0; i < npix; ow = 0, ++oh) {
    const int64_t len = min_i64(d->ow - ow, npix - i);
    runs[count].oh = oh;
    runs[count].ow = ow;
    runs[count].len = len;
    runs[count].offset = i;
    ++count;
    i += len;
  }
  return count;
}

/* The next row k of Col (or Col^T): kw fastest, then kh, then c. */
DSC_INLINE void conv_next_tap(const conv_dims *d, int64_t *c, int64_t *kh, int64_t *kw) {
  if (++*kw == d->kw) {
    *kw = 0;
    if (++*kh == d->kh) {
      *kh = 0;
      ++*c;
    }
  }
}

/*
 * Packs Col[k0 + kk][p0 + i] (kk < kc, i < npix, the pixels given as runs)
 * of one group's input x (its Cg channels, [Cg][H][W]) into
 * tile[kk * CONV_TILE + i]: zero for reads outside the input and for
 * i >= npix. Plain loops (short runs: no libc calls), no divisions for
 * stride 1.
 */
static void conv_pack_col_tile(const conv_dims *d, const float *x, int64_t k0,
                               int64_t kc, const conv_pixel_run *runs,
                               int64_t num_runs, int64_t npix, float *tile) {
  int64_t kw = k0 % d->kw, kh = (k0 / d->kw) % d->kh, c = k0 / (d->kw * d->kh);
  for (int64_t kk = 0; kk < kc; ++kk) {
    const float *xc = x + c * d->h * d->w;
    float *dst = tile + kk * CONV_TILE;
    for (int64_t r = 0; r < num_runs; ++r) {
      const int64_t run = runs[r].len;
      float *out = dst + runs[r].offset;
      const int64_t ih = runs[r].oh * d->sh + kh * d->dh - d->pt;
      if (ih < 0 || ih >= d->h) {
        for (int64_t t = 0; t < run; ++t)
          out[t] = 0.0f;
        continue;
      }
      /* iw(t) = iw0 + t * SW is inside [0, W) for t_lo <= t < t_hi. */
      const float *row = xc + ih * d->w;
      const int64_t iw0 = runs[r].ow * d->sw + kw * d->dw - d->pl;
      int64_t t_lo, t_hi;
      if (d->sw == 1) {
        t_lo = clamp_i64(-iw0, 0, run);
        t_hi = clamp_i64(d->w - iw0, t_lo, run);
      } else {
        t_lo = clamp_i64(ceil_div(-iw0, d->sw), 0, run);
        t_hi = clamp_i64(floor_div(d->w - 1 - iw0, d->sw) + 1, t_lo, run);
      }
      for (int64_t t = 0; t < t_lo; ++t)
        out[t] = 0.0f;
      if (d->sw == 1)
        for (int64_t t = t_lo; t < t_hi; ++t)
          out[t] = row[iw0 + t];
      else
        for (int64_t t = t_lo; t < t_hi; ++t)
          out[t] = row[iw0 + t * d->sw];
      for (int64_t t = t_hi; t < run; ++t)
        out[t] = 0.0f;
    }
    for (int64_t i = npix; i < CONV_TILE; ++i)
      dst[i] = 0.0f;
    conv_next_tap(d, &c, &kh, &kw);
  }
}

/*
 * Stride 1, dilation 1: the K block's channels (c_first.., nch of them)
 * copied once into a zero-bordered buffer xpad[nch][HP][WP] (HP = H + PT +
 * PB, WP = W + PL + PR), so that
 *   Col[(c, kh, kw)][(oh, ow)] = xpad[c - c_first][oh + kh][ow + kw]
 * and each run of a Col row is a plain copy of contiguous floats, done in
 * whole vectors: a vector may spill past its run into the next run's (or
 * the next row's) place, which is written after it, and past the row's
 * last run into the tail zeroed after it; the tile and xpad carry V floats
 * of slack for the last ones.
 */
#define CONV_PAD_FLOATS 5120
static int conv_pad_block(const conv_dims *d, const float *x, int64_t c_first,
                          int64_t nch, float *xpad) {
  const int64_t hp = d->h + d->pt + (d->oh - 1 + d->kh - d->h - d->pt),
                wp = d->w + d->pl + (d->ow - 1 + d->kw - d->w - d->pl);
  if (hp < d->h + d->pt || wp < d->w + d->pl || nch * hp * wp > CONV_PAD_FLOATS)
    return 0;
  for (int64_t c = 0; c < nch; ++c) {
    float *plane = xpad + c * hp * wp;
    const float *src = x + (c_first + c) * d->h * d->w;
    for (int64_t i = 0; i < d->pt * wp; ++i)
      plane[i] = 0.0f;
    for (int64_t ih = 0; ih < d->h; ++ih) {
      float *row = plane + (ih + d->pt) * wp;
      for (int64_t i = 0; i < d->pl; ++i)
        row[i] = 0.0f;
      for (int64_t i = 0; i < d->w; ++i)
        row[d->pl + i] = src[ih * d->w + i];
      for (int64_t i = d->pl + d->w; i < wp; ++i)
        row[i] = 0.0f;
    }
    for (int64_t i = (d->pt + d->h) * wp; i < hp * wp; ++i)
      plane[i] = 0.0f;
  }
  for (int64_t i = nch * hp * wp; i < nch * hp * wp + V; ++i)
    xpad[i] = 0.0f;
  return 1;
}

static void conv_pack_col_tile_padded(const conv_dims *d, const float *xpad,
                                      int64_t c_first, int64_t k0, int64_t kc,
                                      const conv_pixel_run *runs, int64_t num_runs,
                                      int64_t npix, float *tile) {
  const int64_t hp = d->oh - 1 + d->kh, wp = d->ow - 1 + d->kw;
  int64_t kw = k0 % d->kw, kh = (k0 / d->kw) % d->kh, c = k0 / (d->kw * d->kh);
  for (int64_t kk = 0; kk < kc; ++kk) {
    const float *plane = xpad + (c - c_first) * hp * wp + kh * wp + kw;
    float *dst = tile + kk * CONV_TILE;
    for (int64_t r = 0; r < num_runs; ++r) {
      const float *src = plane + runs[r].oh * wp + runs[r].ow;
      float *out = dst + runs[r].offset;
      for (int64_t t = 0; t < runs[r].len; t += V)
        vstore(out + t, vload(src + t));
    }
    for (int64_t i = npix; i < CONV_TILE; ++i)
      dst[i] = 0.0f;
    conv_next_tap(d, &c, &kh, &kw);
  }
}

static void conv2d_panels(const int64_t *geometry, const float *input,
                          const float *packed_weight, const float *bias,
                          const float *residual, float *output, float alpha,
                          float beta) {
  const conv_dims d = conv_dims_make(geometry);
  const epilogue_params ep =
      epilogue_make(geometry[DSC_CONV_ACT], geometry[DSC_CONV_FLAGS], alpha, beta,
                    geometry[DSC_CONV_OUT_SCALE], geometry[DSC_CONV_OUT_SHIFT]);
  const int64_t cg = d.c / d.g, fg = d.f / d.g;
  const int64_t kg = cg * d.kh * d.kw;
  const int64_t num_panels = (fg + CONV_ROWS - 1) / CONV_ROWS;
  const int64_t plane = d.oh * d.ow, in_plane = d.h * d.w;
  /* Col is the input itself for 1x1, stride 1, no padding. */
  const int direct = d.kh == 1 && d.kw == 1 && d.sh == 1 && d.sw == 1 &&
                     d.pt == 0 && d.pl == 0 && d.oh == d.h && d.ow == d.w;
  const int unit_stride = d.sh == 1 && d.sw == 1 && d.dh == 1 && d.dw == 1;
  float col_tile[CONV_KC * CONV_TILE + V];
  float xpad[CONV_PAD_FLOATS + V];
  float out_tile[CONV_ROWS * CONV_NR];
  conv_pixel_run runs[CONV_TILE];

  for (int64_t n = 0; n < d.n; ++n)
    for (int64_t g = 0; g < d.g; ++g) {
      const float *x = input + (n * d.c + g * cg) * in_plane;
      float *y = output + (n * d.f + g * fg) * plane;
      const float *res = residual ? residual + (n * d.f + g * fg) * plane : NULL;
      const float *wg = packed_weight + g * num_panels * kg * CONV_ROWS;
      for (int64_t p0 = 0; p0 < plane; p0 += CONV_TILE) {
        const int64_t npix = min_i64(CONV_TILE, plane - p0);
        const int64_t num_runs = conv_pixel_runs(&d, p0, npix, runs);
        for (int64_t k0 = 0; k0 < kg; k0 += CONV_KC) {
          const int64_t kc = min_i64(CONV_KC, kg - k0);
          const float *col;
          int64_t ldcol;
          if (direct && npix == CONV_TILE) {
            col = x + k0 * in_plane + p0;
            ldcol = in_plane;
          } else {
            const int64_t taps = d.kh * d.kw, c_first = k0 / taps;
            const int64_t nch = (k0 + kc - 1) / taps - c_first + 1;
            if (unit_stride && conv_pad_block(&d, x, c_first, nch, xpad))
              conv_pack_col_tile_padded(&d, xpad, c_first, k0, kc, runs, num_runs, npix,
                                        col_tile);
            else
              conv_pack_col_tile(&d, x, k0, kc, runs, num_runs, npix, col_tile);
            col = col_tile;
            ldcol = CONV_TILE;
          }
          /* Each NR-pixel column of Col (KC x NR) stays in L1 while every
             filter panel's K block goes over it. */
          for (int64_t j = 0; j < npix; j += CONV_NR) {
            const int64_t cols = min_i64(CONV_NR, npix - j);
            for (int64_t panel = 0; panel < num_panels; ++panel) {
              const int64_t rows = min_i64(CONV_ROWS, fg - panel * CONV_ROWS);
              const float *wp = wg + (panel * kg + k0) * CONV_ROWS;
              float *yp = y + panel * CONV_ROWS * plane + p0 + j;
              if (rows == CONV_ROWS && cols == CONV_NR) {
                conv_microkernel(kc, wp, col + j, ldcol, yp, plane, k0 > 0);
              } else {
                /* Padded panel rows or ragged pixels: through a tile. */
                conv_microkernel(kc, wp, col + j, ldcol, out_tile, CONV_NR, 0);
                for (int64_t r = 0; r < rows; ++r)
                  for (int64_t p = 0; p < cols; ++p)
                    yp[r * plane + p] = (k0 > 0 ? yp[r * plane + p] : 0.0f) +
                                        out_tile[r * CONV_NR + p];
              }
            }
          }
        }
        for (int64_t f = 0; f < fg; ++f)
          epilogue_apply(y + f * plane + p0, res ? res + f * plane + p0 : NULL,
                         npix, NULL, bias ? bias[g * fg + f] : 0.0f, &ep);
      }
    }
}

/* --- Layout FILTER_PANELS ------------------------------------------------ */

#define FP_COLS DSC_CONV_FILTER_PANEL_COLS
/* Pixels per packed Col^T tile (the output planes the compiler gives this
   layout fit one tile) and the K block. */
#ifndef DSC_CONV_FP_TILE
#define DSC_CONV_FP_TILE 64
#endif
#ifndef DSC_CONV_FP_KC
#define DSC_CONV_FP_KC 128
#endif
#define CONV_FP_TILE DSC_CONV_FP_TILE
#define CONV_FP_KC DSC_CONV_FP_KC
/* Filters per microkernel call. */
#define CONV_FP_GROUP_COLS (MM_PANELS * FP_COLS)

_Static_assert(FP_COLS == MM_COLS,
               "conv filter panels must be matmul panels (kernels.h)");
_Static_assert(CONV_FP_KC >= CONV_FP_GROUP_COLS,
               "the Col^T tile doubles as the transposition buffer");
/* The stack: the Col^T tile, the ragged panels' tile, the pixel runs. */
_Static_assert(CONV_FP_TILE * CONV_FP_KC * sizeof(float) +
                       CONV_FP_TILE * CONV_FP_GROUP_COLS * sizeof(float) +
                       CONV_FP_TILE * sizeof(conv_pixel_run) + 1024 <=
                   DSC_KERNEL_STACK_BYTES,
               "the filter-panel conv scratch must fit the stack budget");

/*
 * Packs Col^T[p0 + i][k0 + kk] (kk < kc, the tile's pixels given as runs)
 * of one group's input x ([Cg][H][W]) into tile[i * CONV_FP_KC + kk]: zero
 * for reads outside the input. The loops are conv_pack_col_tile's with the
 * stores transposed.
 */
static void conv_pack_colT_tile(const conv_dims *d, const float *x, int64_t k0,
                                int64_t kc, const conv_pixel_run *runs,
                                int64_t num_runs, float *tile) {
  int64_t kw = k0 % d->kw, kh = (k0 / d->kw) % d->kh, c = k0 / (d->kw * d->kh);
  for (int64_t kk = 0; kk < kc; ++kk) {
    const float *xc = x + c * d->h * d->w;
    for (int64_t r = 0; r < num_runs; ++r) {
      const int64_t run = runs[r].len;
      float *out = tile + runs[r].offset * CONV_FP_KC + kk;
      const int64_t ih = runs[r].oh * d->sh + kh * d->dh - d->pt;
      if (ih < 0 || ih >= d->h) {
        for (int64_t t = 0; t < run; ++t)
          out[t * CONV_FP_KC] = 0.0f;
        continue;
      }
      const float *row = xc + ih * d->w;
      const int64_t iw0 = runs[r].ow * d->sw + kw * d->dw - d->pl;
      int64_t t_lo, t_hi;
      if (d->sw == 1) {
        t_lo = clamp_i64(-iw0, 0, run);
        t_hi = clamp_i64(d->w - iw0, t_lo, run);
      } else {
        t_lo = clamp_i64(ceil_div(-iw0, d->sw), 0, run);
        t_hi = clamp_i64(floor_div(d->w - 1 - iw0, d->sw) + 1, t_lo, run);
      }
      for (int64_t t = 0; t < t_lo; ++t)
        out[t * CONV_FP_KC] = 0.0f;
      for (int64_t t = t_lo; t < t_hi; ++t)
        out[t * CONV_FP_KC] = row[iw0 + t * d->sw];
      for (int64_t t = t_hi; t < run; ++t)
        out[t * CONV_FP_KC] = 0.0f;
    }
    conv_next_tap(d, &c, &kh, &kw);
  }
}

/* The pixels of the microkernel call at pixel m0 of a tile of npix: the
   tile split into ceil(npix / MM_MR) calls of as equal sizes as can be
   (49 = 7 x 7 rather than 6 x 8 + 1: a one-row call runs at the latency of
   its few FMA chains). */
DSC_INLINE int fp_rows(int64_t npix, int64_t m0) {
  const int64_t calls = (npix + MM_MR - 1) / MM_MR;
  const int64_t base = npix / calls, extra = npix % calls;
  /* The first `extra` calls take base + 1 rows. */
  return (int)(m0 < extra * (base + 1) ? base + 1 : base);
}

static void conv2d_filter_panels(const int64_t *geometry, const float *input,
                                 const float *packed_weight, const float *bias,
                                 const float *residual, float *output,
                                 float alpha, float beta) {
  const conv_dims d = conv_dims_make(geometry);
  const epilogue_params ep =
      epilogue_make(geometry[DSC_CONV_ACT], geometry[DSC_CONV_FLAGS], alpha, beta,
                    geometry[DSC_CONV_OUT_SCALE], geometry[DSC_CONV_OUT_SHIFT]);
  const int64_t cg = d.c / d.g, fg = d.f / d.g;
  const int64_t kg = cg * d.kh * d.kw;
  const int64_t num_panels = (fg + FP_COLS - 1) / FP_COLS;
  const int64_t panel_stride = kg * FP_COLS;
  const int64_t plane = d.oh * d.ow, in_plane = d.h * d.w;
  if (plane <= 0 || fg <= 0)
    return;
  /* One output pixel whose Col^T row is the group's input in order. */
  const int gemv = plane == 1 && d.pt == 0 && d.pl == 0 && d.dh == 1 &&
                   d.dw == 1 && d.kh == d.h && d.kw == d.w;
  /* The whole plane in one tile: accumulate in the output (see the top). */
  const int in_place = plane <= CONV_FP_TILE;
  float col_tile[CONV_FP_TILE * CONV_FP_KC];
  float ragged[CONV_FP_TILE * CONV_FP_GROUP_COLS];
  conv_pixel_run runs[CONV_FP_TILE];

  for (int64_t n = 0; n < d.n; ++n)
    for (int64_t g = 0; g < d.g; ++g) {
      const float *x = input + (n * d.c + g * cg) * in_plane;
      float *y = output + (n * d.f + g * fg) * plane;
      const float *res = residual ? residual + (n * d.f + g * fg) * plane : NULL;
      const float *wg = packed_weight + g * num_panels * panel_stride;
      if (gemv) {
        matmul_gemv(fg, kg, x, wg, bias ? bias + g * fg : NULL, res, y, &ep);
        continue;
      }
      for (int64_t p0 = 0; p0 < plane; p0 += CONV_FP_TILE) {
        const int64_t npix = min_i64(CONV_FP_TILE, plane - p0);
        const int64_t num_runs = conv_pixel_runs(&d, p0, npix, runs);
        for (int64_t k0 = 0; k0 < kg; k0 += CONV_FP_KC) {
          const int64_t kc = min_i64(CONV_FP_KC, kg - k0);
          const int first = k0 == 0;
          conv_pack_colT_tile(&d, x, k0, kc, runs, num_runs, col_tile);
          /* The K block of Col^T stays in L1 while every filter panel's K
             block (KC x 16) goes over it. */
          for (int64_t j = 0; j < num_panels; j += MM_PANELS) {
            const int panels = (int)min_i64(MM_PANELS, num_panels - j);
            const int64_t f0 = j * FP_COLS;
            const int64_t tile_cols = panels * FP_COLS;
            const int64_t cols = min_i64(tile_cols, fg - f0);
            const float *b = wg + j * panel_stride + k0 * FP_COLS;
            if (in_place) {
              /* Sums as [p][tile_cols] over filters f0.. of the output, or
                 in the stack tile for a ragged group. */
              float *acc = cols == tile_cols ? y + f0 * plane : ragged;
              for (int64_t m0 = 0, mr; m0 < npix; m0 += mr) {
                mr = fp_rows(npix, m0);
                mm_kernels[panels - 1][mr - 1](
                    kc, col_tile + m0 * CONV_FP_KC, CONV_FP_KC, b,
                    panel_stride, acc + m0 * tile_cols, tile_cols, !first);
              }
            } else {
              for (int64_t m0 = 0, mr; m0 < npix; m0 += mr) {
                mr = fp_rows(npix, m0);
                mm_kernels[panels - 1][mr - 1](
                    kc, col_tile + m0 * CONV_FP_KC, CONV_FP_KC, b,
                    panel_stride, ragged, tile_cols, 0);
                float *yp = y + f0 * plane + p0 + m0;
                for (int64_t c = 0; c < cols; ++c)
                  for (int r = 0; r < mr; ++r)
                    yp[c * plane + r] = (first ? 0.0f : yp[c * plane + r]) +
                                        ragged[r * tile_cols + c];
              }
            }
          }
        }
        if (in_place) {
          /* [p][tile_cols] -> [f][p], through the (now free) Col^T tile. */
          for (int64_t j = 0; j < num_panels; j += MM_PANELS) {
            const int panels = (int)min_i64(MM_PANELS, num_panels - j);
            const int64_t f0 = j * FP_COLS;
            const int64_t tile_cols = panels * FP_COLS;
            const int64_t cols = min_i64(tile_cols, fg - f0);
            const float *sums = ragged;
            if (cols == tile_cols) {
              memcpy(col_tile, y + f0 * plane,
                     (size_t)(plane * tile_cols) * sizeof(float));
              sums = col_tile;
            }
            float *yp = y + f0 * plane;
            for (int64_t c = 0; c < cols; ++c)
              for (int64_t p = 0; p < plane; ++p)
                yp[c * plane + p] = sums[p * tile_cols + c];
          }
        }
        for (int64_t f = 0; f < fg; ++f)
          epilogue_apply(y + f * plane + p0, res ? res + f * plane + p0 : NULL,
                         npix, NULL, bias ? bias[g * fg + f] : 0.0f, &ep);
      }
    }
}

/*
 * Depthwise, the interior of one output row: for ow in [ow_begin, ow_end)
 * (every tap's column inside the input) and the taps' rows kh in
 * [kh_lo, kh_hi) (inside the input),
 *   y[ow] = sum_{kh, kw} w[kh][kw] * x[ih0 + kh*DH][ow*SW + kw*DW - PL],
 * V outputs at a time up to ow_vec_end (where the vector loads stay inside
 * the row), then one at a time. STRIDE (1, 2 or 0 = use d->sw) and TAPS_W
 * (KW, or 0 = use d->kw) are compile-time constants in the common cases.
 */
DSC_INLINE void dw_row_interior(const int stride, const int taps_w,
                                const conv_dims *d, const float *x,
                                const float *w, int64_t ih0, int64_t kh_lo,
                                int64_t kh_hi, int64_t ow_begin,
                                int64_t ow_vec_end, int64_t ow_end, float *y) {
  const int64_t sw = stride ? stride : d->sw;
  const int64_t kw_n = taps_w ? taps_w : d->kw;
  int64_t ow = ow_begin;
  /* Vectors of V outputs; the last one is moved back to end at ow_vec_end
     (overlapping the one before: the same values are stored twice) rather
     than leaving a scalar tail. */
  for (; ow_vec_end - ow_begin >= V && ow < ow_vec_end; ow += V) {
    if (ow + V > ow_vec_end)
      ow = ow_vec_end - V;
    /* One accumulator per kw when KW is a constant: independent FMA
       chains instead of one KH*KW long. */
    vf acc[8];
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i)
      acc[i] = vsplat(0.0f);
    for (int64_t kh = kh_lo; kh < kh_hi; ++kh) {
      const float *row = x + (ih0 + kh * d->dh) * d->w + ow * sw - d->pl;
      const float *wk = w + kh * d->kw;
#pragma GCC unroll 8
      for (int64_t kw = 0; kw < kw_n; ++kw) {
        const float *p = row + kw * d->dw;
        const vf xv = sw == 1   ? vload(p)
                      : sw == 2 ? vload_stride2(p)
                                : vload_strided(p, sw);
        const int64_t chain = taps_w && taps_w <= 8 ? kw : 0;
        acc[chain] += vsplat(wk[kw]) * xv;
      }
    }
    vf sum = acc[0];
    for (int i = 1; i < (taps_w && taps_w <= 8 ? taps_w : 1); ++i)
      sum += acc[i];
    vstore(y + ow, sum);
  }
  for (; ow < ow_end; ++ow) {
    float acc = 0.0f;
    for (int64_t kh = kh_lo; kh < kh_hi; ++kh) {
      const float *row = x + (ih0 + kh * d->dh) * d->w + ow * sw - d->pl;
      for (int64_t kw = 0; kw < kw_n; ++kw)
        acc += w[kh * d->kw + kw] * row[kw * d->dw];
    }
    y[ow] = acc;
  }
}

/* Depthwise on narrow planes (the late layers of MobileNets at low
   resolution, where a row of 2-31 pixels leaves most of a vector empty or
   the border columns in scalar code): vectorised over V channels instead.
   A band of output rows at a time, the block's input rows that band reads
   are copied channels-last and zero-padded to every position the taps
   read, xt[(r*WP + iw)*V + lane] (r counted from the band's first input
   row), so each tap is one vector load and one FMA for V outputs:
     acc[oh][ow][lane] = sum_{kh,kw} w[c0+lane][kh][kw] * xt[(oh-oh0)*SH + kh*DH][ow*SW + kw*DW][lane]
   then written back per channel plane, where the usual epilogue applies.
   Channels past the last whole block go through the row kernel. */
#define DW_SMALL_PLANE_BYTES (48 * 1024)

static int64_t dw_padded_w(const conv_dims *d) { return (d->ow - 1) * d->sw + (d->kw - 1) * d->dw + 1; }
/* Input rows a band of `rows` output rows reads. */
static int64_t dw_band_in_rows(const conv_dims *d, int64_t rows) {
  return (rows - 1) * d->sh + (d->kh - 1) * d->dh + 1;
}

/* Output rows per band of the channel-vectorised path, or 0 when the row
   kernel is the better choice (wide rows) or a band of one row does not
   fit the stack buffer. */
static int64_t dw_channel_band_rows(const conv_dims *d) {
  if (V == 1 || d->c < V || d->kh * d->kw > 64)
    return 0;
  const int64_t wp = dw_padded_w(d);
  int64_t rows = d->oh;
  while (rows > 0 && (dw_band_in_rows(d, rows) * wp + rows * d->ow) * V *
                             (int64_t)sizeof(float) > DW_SMALL_PLANE_BYTES)
    --rows;
  /* The whole plane at once, or bands where rows are too narrow for the
     row kernel's vectors. */
  if (rows == d->oh || (rows > 0 && d->ow < 2 * V))
    return rows;
  return 0;
}

static void dw_channel_block(const conv_dims *d, const epilogue_params *ep, const float *input,
                             const float *weights, const float *bias, const float *residual,
                             float *output, int64_t n, int64_t c0, int64_t band_rows) {
  const int64_t wp = dw_padded_w(d);
  const int64_t plane = d->oh * d->ow, in_plane = d->h * d->w, taps = d->kh * d->kw;
  _Alignas(64) float xt[DW_SMALL_PLANE_BYTES / sizeof(float)];
  float *acc = xt + dw_band_in_rows(d, band_rows) * wp * V;
  vf w[64];
  for (int64_t t = 0; t < taps; ++t)
    for (int lane = 0; lane < V; ++lane)
      w[t][lane] = weights[(c0 + lane) * taps + t];
  for (int64_t oh0 = 0; oh0 < d->oh; oh0 += band_rows) {
    const int64_t rows = min_i64(band_rows, d->oh - oh0);
    const int64_t in_rows = dw_band_in_rows(d, rows);
    /* Band row r is input row ih_first + r (outside the input: padding). */
    const int64_t ih_first = oh0 * d->sh - d->pt;
    memset(xt, 0, (size_t)(in_rows * wp * V) * sizeof(float));
    /* One position of all V channels at a time: V sequential read streams,
       one vector store. */
    const int64_t iw_end = min_i64(d->w, wp - d->pl);
    for (int64_t r = 0; r < in_rows; ++r) {
      const int64_t ih = ih_first + r;
      if (ih < 0 || ih >= d->h)
        continue;
      const float *x = input + (n * d->c + c0) * in_plane + ih * d->w;
      float *dst = xt + (r * wp + d->pl) * V;
      for (int64_t iw = 0; iw < iw_end; ++iw) {
        vf v;
        for (int lane = 0; lane < V; ++lane)
          v[lane] = x[lane * in_plane + iw];
        vstore(dst + iw * V, v);
      }
    }
    for (int64_t oh = 0; oh < rows; ++oh)
      for (int64_t ow = 0; ow < d->ow; ++ow) {
        vf sum = vsplat(0.0f);
        for (int64_t kh = 0; kh < d->kh; ++kh) {
          const float *row = xt + ((oh * d->sh + kh * d->dh) * wp + ow * d->sw) * V;
          for (int64_t kw = 0; kw < d->kw; ++kw)
            sum += w[kh * d->kw + kw] * vload(row + kw * d->dw * V);
        }
        vstore(acc + (oh * d->ow + ow) * V, sum);
      }
    const int64_t count = rows * d->ow, first = oh0 * d->ow;
    float *y0 = output + (n * d->c + c0) * plane + first;
    for (int64_t p = 0; p < count; ++p) {
      const vf a = vload(acc + p * V);
      for (int lane = 0; lane < V; ++lane)
        y0[lane * plane + p] = a[lane];
    }
    for (int lane = 0; lane < V; ++lane) {
      const int64_t c = c0 + lane;
      epilogue_apply(y0 + lane * plane,
                     residual ? residual + (n * d->c + c) * plane + first : NULL, count, NULL,
                     bias ? bias[c] : 0.0f, ep);
    }
  }
}

/* Depthwise on mid-size planes (stride S = SH = SW of 1 or 2, no
   dilation), one channel at a time, with no transposition: the input plane
   is copied zero-padded to rows of WP columns (WP a multiple of S), rows
   of each parity in their own plane when S = 2 (xp[r % S][r / S][col]),
   and the outputs are computed over a virtual width OWV = WP / S, so that
   the flat index q = oh*OWV + ow reads, for tap (kh, kw),
     xp[kh % S][kh / S][S*q + kw]      (padded row S*oh + kh, column S*ow + kw)
   a contiguous (S = 1) or stride-2 vector for V consecutive q across row
   ends. The columns ow >= OW of each virtual row are computed and dropped
   when the rows are compacted into the output. */
#define DW_FLAT_BYTES (48 * 1024)

typedef struct {
  int64_t wp, owv, q_end, plane_floats, total_floats;
} dw_flat_dims;

static dw_flat_dims dw_flat_make(const conv_dims *d) {
  dw_flat_dims f;
  const int64_t s = d->sw;
  /* Every column a tap of a real output reads, and the input's. */
  int64_t wp = (d->ow - 1) * s + d->kw;
  if (wp < d->pl + d->w)
    wp = d->pl + d->w;
  f.wp = ceil_div(wp, s) * s;
  f.owv = f.wp / s;
  f.q_end = ceil_div(d->oh * f.owv, V) * V;
  /* The furthest read: row (KH-1)/S, column S*(q_end-1) + KW-1, plus the
     second half of a stride-2 load. */
  f.plane_floats = (d->kh - 1) / s * f.wp + s * f.q_end + d->kw + V;
  f.total_floats = s * f.plane_floats + f.q_end;
  return f;
}

static int dw_flat_plane(const conv_dims *d) {
  if (V == 1 || d->sh != d->sw || (d->sw != 1 && d->sw != 2) || d->dh != 1 ||
      d->dw != 1 || d->kh * d->kw > 64)
    return 0;
  return dw_flat_make(d).total_floats * (int64_t)sizeof(float) <= DW_FLAT_BYTES;
}

/* The flat sums out[q] for q < q_end. STRIDE, TAPS_H and TAPS_W (0: use
   d's) are compile-time constants in the common cases, so the parity
   plane and row of each tap fold away. */
DSC_INLINE void dw_flat_rows(const int stride, const int taps_h, const int taps_w,
                             const conv_dims *d, const dw_flat_dims f, const float *buffer,
                             const vf *wv, float *out) {
  const int64_t kh_n = taps_h ? taps_h : d->kh, kw_n = taps_w ? taps_w : d->kw;
  for (int64_t q = 0; q < f.q_end; q += V) {
    vf acc0 = vsplat(0.0f), acc1 = vsplat(0.0f);
#pragma GCC unroll 8
    for (int64_t kh = 0; kh < kh_n; ++kh) {
      const float *row =
          buffer + (kh % stride) * f.plane_floats + (kh / stride) * f.wp + stride * q;
#pragma GCC unroll 8
      for (int64_t kw = 0; kw < kw_n; ++kw) {
        const vf xv = stride == 1 ? vload(row + kw) : vload_stride2(row + kw);
        if (kw & 1)
          acc1 += wv[kh * kw_n + kw] * xv;
        else
          acc0 += wv[kh * kw_n + kw] * xv;
      }
    }
    vstore(out + q, acc0 + acc1);
  }
}

/* `buffer` holds f.total_floats, zero where the padding is: the copies
   below write the same interior positions for every channel, so it is
   cleared once per call. */
static void dw_flat_channel(const conv_dims *d, const dw_flat_dims f, float *buffer,
                            const epilogue_params *ep, const float *x, const float *w,
                            float bias, const float *residual, float *y) {
  const int64_t s = d->sw, taps = d->kh * d->kw;
  float *out = buffer + s * f.plane_floats;
  /* Padded row r = ih + PT; only the rows some output reads. */
  const int64_t rows = (d->oh - 1) * s + d->kh;
  for (int64_t ih = 0; ih < d->h; ++ih) {
    const int64_t r = ih + d->pt;
    if (r >= rows)
      break;
    memcpy(buffer + (r % s) * f.plane_floats + (r / s) * f.wp + d->pl, x + ih * d->w,
           (size_t)d->w * sizeof(float));
  }
  vf wv[64];
  for (int64_t t = 0; t < taps; ++t)
    wv[t] = vsplat(w[t]);
  if (s == 1 && d->kh == 3 && d->kw == 3)
    dw_flat_rows(1, 3, 3, d, f, buffer, wv, out);
  else if (s == 2 && d->kh == 3 && d->kw == 3)
    dw_flat_rows(2, 3, 3, d, f, buffer, wv, out);
  else if (s == 1 && d->kh == 5 && d->kw == 5)
    dw_flat_rows(1, 5, 5, d, f, buffer, wv, out);
  else if (s == 2 && d->kh == 5 && d->kw == 5)
    dw_flat_rows(2, 5, 5, d, f, buffer, wv, out);
  else if (s == 1)
    dw_flat_rows(1, 0, 0, d, f, buffer, wv, out);
  else
    dw_flat_rows(2, 0, 0, d, f, buffer, wv, out);
  for (int64_t oh = 0; oh < d->oh; ++oh)
    memcpy(y + oh * d->ow, out + oh * f.owv, (size_t)d->ow * sizeof(float));
  epilogue_apply(y, residual, d->oh * d->ow, NULL, bias, ep);
}

static void conv2d_depthwise(const int64_t *geometry, const float *input,
                             const float *packed_weight, const float *bias,
                             const float *residual, float *output, float alpha,
                             float beta) {
  const conv_dims d = conv_dims_make(geometry);
  const epilogue_params ep =
      epilogue_make(geometry[DSC_CONV_ACT], geometry[DSC_CONV_FLAGS], alpha, beta,
                    geometry[DSC_CONV_OUT_SCALE], geometry[DSC_CONV_OUT_SHIFT]);
  const int64_t plane = d.oh * d.ow, in_plane = d.h * d.w;
  /* Narrow planes: whole blocks of V channels at once; the rest below. */
  int64_t c_begin = 0;
  /* Tiny planes (a few pixels) vectorise over channels; mid-size ones
     over the flattened padded plane; wide rows by rows below. */
  if (dw_flat_plane(&d) && d.oh * d.ow >= 8 * V) {
    const dw_flat_dims f = dw_flat_make(&d);
    _Alignas(64) float buffer[DW_FLAT_BYTES / sizeof(float)];
    memset(buffer, 0, (size_t)(d.sw * f.plane_floats) * sizeof(float));
    for (int64_t n = 0; n < d.n; ++n)
      for (int64_t c = 0; c < d.c; ++c)
        dw_flat_channel(&d, f, buffer, &ep, input + (n * d.c + c) * in_plane,
                        packed_weight + c * d.kh * d.kw, bias ? bias[c] : 0.0f,
                        residual ? residual + (n * d.c + c) * plane : NULL,
                        output + (n * d.c + c) * plane);
    return;
  }
  const int64_t band_rows = dw_channel_band_rows(&d);
  if (band_rows) {
    c_begin = d.c / V * V;
    for (int64_t n = 0; n < d.n; ++n)
      for (int64_t c0 = 0; c0 < c_begin; c0 += V)
        dw_channel_block(&d, &ep, input, packed_weight, bias, residual, output, n, c0,
                         band_rows);
  }
  /* Interior columns: 0 <= ow*SW - PL and ow*SW + (KW-1)*DW - PL <= W-1. */
  const int64_t ow_lo = clamp_i64(ceil_div(d.pl, d.sw), 0, d.ow);
  const int64_t ow_hi = clamp_i64(
      floor_div(d.w - 1 - (d.kw - 1) * d.dw + d.pl, d.sw) + 1, ow_lo, d.ow);
  /* A stride-2 vector load reads one float past its last tap. */
  const int64_t overread = d.sw == 2 ? 1 : 0;
  const int64_t ow_vec_hi = clamp_i64(
      floor_div(d.w - 1 - overread - (d.kw - 1) * d.dw + d.pl, d.sw) + 1,
      ow_lo, ow_hi);

  for (int64_t n = 0; n < d.n; ++n)
    for (int64_t c = c_begin; c < d.c; ++c) {
      const float *x = input + (n * d.c + c) * in_plane;
      float *y = output + (n * d.c + c) * plane;
      const float *res = residual ? residual + (n * d.c + c) * plane : NULL;
      const float *w = packed_weight + c * d.kh * d.kw;
      for (int64_t oh = 0; oh < d.oh; ++oh) {
        float *yrow = y + oh * d.ow;
        /* Taps' rows inside the input: 0 <= ih0 + kh*DH <= H-1. */
        const int64_t ih0 = oh * d.sh - d.pt;
        const int64_t kh_lo = clamp_i64(ceil_div(-ih0, d.dh), 0, d.kh);
        const int64_t kh_hi =
            clamp_i64(floor_div(d.h - 1 - ih0, d.dh) + 1, kh_lo, d.kh);

        /* Border columns, with bounds checks. */
        for (int64_t ow = 0; ow < d.ow; ++ow) {
          if (ow == ow_lo)
            ow = ow_hi;
          if (ow >= d.ow)
            break;
          float acc = 0.0f;
          for (int64_t kh = kh_lo; kh < kh_hi; ++kh)
            for (int64_t kw = 0; kw < d.kw; ++kw) {
              const int64_t iw = ow * d.sw + kw * d.dw - d.pl;
              if (iw >= 0 && iw < d.w)
                acc += w[kh * d.kw + kw] * x[(ih0 + kh * d.dh) * d.w + iw];
            }
          yrow[ow] = acc;
        }

        /* Interior columns, specialised for the common strides and widths. */
        if (d.sw == 1 && d.kw == 3)
          dw_row_interior(1, 3, &d, x, w, ih0, kh_lo, kh_hi, ow_lo, ow_vec_hi,
                          ow_hi, yrow);
        else if (d.sw == 2 && d.kw == 3)
          dw_row_interior(2, 3, &d, x, w, ih0, kh_lo, kh_hi, ow_lo, ow_vec_hi,
                          ow_hi, yrow);
        else if (d.sw == 1 && d.kw == 5)
          dw_row_interior(1, 5, &d, x, w, ih0, kh_lo, kh_hi, ow_lo, ow_vec_hi,
                          ow_hi, yrow);
        else if (d.sw == 2 && d.kw == 5)
          dw_row_interior(2, 5, &d, x, w, ih0, kh_lo, kh_hi, ow_lo, ow_vec_hi,
                          ow_hi, yrow);
        else if (d.sw == 1)
          dw_row_interior(1, 0, &d, x, w, ih0, kh_lo, kh_hi, ow_lo, ow_vec_hi,
                          ow_hi, yrow);
        else if (d.sw == 2)
          dw_row_interior(2, 0, &d, x, w, ih0, kh_lo, kh_hi, ow_lo, ow_vec_hi,
                          ow_hi, yrow);
        else
          dw_row_interior(0, 0, &d, x, w, ih0, kh_lo, kh_hi, ow_lo, ow_vec_hi,
                          ow_hi, yrow);

        epilogue_apply(yrow, res ? res + oh * d.ow : NULL, d.ow, NULL,
                       bias ? bias[c] : 0.0f, &ep);
      }
    }
}

#endif /* DSC_KERNELS_CONV2D_H */
