/*===- matmul.h - C = epilogue(A x packed B), one ISA variant -------------===*
 *
 * Included once per ISA variant after vector.h and epilogue.h, which define
 *   DSC_MM_MR      rows of A per microkernel (broadcast)
 *   DSC_MM_PANELS  16-column panels of B per microkernel (vector loads)
 *   DSC_MM_KC      the K block
 *
 * B is packed at compile time (kernels.h) in panels of COLS = 16 columns:
 *   packed[(j * K + k) * 16 + c] = b[k][j*16 + c]
 * so a microkernel's B rows are contiguous. A is read in place (row-major,
 * leading dimension K), as MLAS does.
 *
 * Loop nest (BLIS/MLAS style, B micro-panels reused from L1):
 *   for each K block k0 (DSC_MM_KC)
 *     for each group of DSC_MM_PANELS panels (16 * PANELS columns)
 *       for each group of MR rows of A
 *         C[rows][cols] (+)= A[rows][k0..] x B[k0..][cols]   (microkernel)
 *         after the last K block: the epilogue on the tile
 *===----------------------------------------------------------------------===*/

#ifndef DSC_KERNELS_MATMUL_H
#define DSC_KERNELS_MATMUL_H

#include "epilogue.h"

#define MM_COLS DSC_MATMUL_PANEL_COLS
#define MM_VECS_PER_PANEL (MM_COLS / V)
#define MM_MR DSC_MM_MR
#define MM_PANELS DSC_MM_PANELS

/*
 * The microkernel: for r < mr, c < 16 * panels,
 *   C[r][c] = (accumulate ? C[r][c] : 0) + sum_{k < kc} A[r][k] * B[k][c]
 * with A[r][k] = a[r * lda + k], B[k][p*16 + c'] = b[p * panel_stride +
 * k * 16 + c']. mr and panels are compile-time constants in each
 * instantiation (below), so the accumulators live in registers.
 */
DSC_INLINE void mm_microkernel(const int mr, const int panels, int64_t kc,
                               const float *a, int64_t lda, const float *b,
                               int64_t panel_stride, float *c, int64_t ldc,
                               int accumulate) {
  enum { NV_MAX = MM_PANELS * MM_VECS_PER_PANEL };
  const int nv = panels * MM_VECS_PER_PANEL;
  vf acc[MM_MR][NV_MAX];
#pragma GCC unroll 16
  for (int r = 0; r < mr; ++r)
#pragma GCC unroll 16
    for (int v = 0; v < nv; ++v)
      acc[r][v] = vsplat(0.0f);

  for (int64_t k = 0; k < kc; ++k) {
    vf bk[NV_MAX];
#pragma GCC unroll 16
    for (int v = 0; v < nv; ++v)
      bk[v] = vload(b + (v / MM_VECS_PER_PANEL) * panel_stride + k * MM_COLS +
                    (v % MM_VECS_PER_PANEL) * V);
#pragma GCC unroll 16
    for (int r = 0; r < mr; ++r) {
      const vf ark = vsplat(a[r * lda + k]);
#pragma GCC unroll 16
      for (int v = 0; v < nv; ++v)
        acc[r][v] += ark * bk[v];
    }
  }

#pragma GCC unroll 16
  for (int r = 0; r < mr; ++r)
#pragma GCC unroll 16
    for (int v = 0; v < nv; ++v) {
      float *cp = c + r * ldc + v * V;
      vstore(cp, accumulate ? vload(cp) + acc[r][v] : acc[r][v]);
    }
}

typedef void (*mm_microkernel_fn)(int64_t kc, const float *a, int64_t lda,
                                  const float *b, int64_t panel_stride,
                                  float *c, int64_t ldc, int accumulate);

/* One function per (mr, panels), mm_kernel_<mr>_<panels>, for every
   mr <= MM_MR (the row remainders) with MM_PANELS panels and, when that is
   2, with one panel (the last odd panel). */
#define MM_DEFINE_KERNEL(MR_, PANELS_)                                         \
  static void mm_kernel_##MR_##_##PANELS_(                                     \
      int64_t kc, const float *a, int64_t lda, const float *b,                 \
      int64_t panel_stride, float *c, int64_t ldc, int accumulate) {           \
    mm_microkernel(MR_, PANELS_, kc, a, lda, b, panel_stride, c, ldc,          \
                   accumulate);                                                \
  }
#define MM_KERNEL_ENTRY(MR_, PANELS_) mm_kernel_##MR_##_##PANELS_,

/* MM_FOR_EACH_MR(X, P) expands X(1, P) X(2, P) ... X(MM_MR, P). */
#define MM_MR_LIST_1(X, P) X(1, P)
#define MM_MR_LIST_2(X, P) MM_MR_LIST_1(X, P) X(2, P)
#define MM_MR_LIST_3(X, P) MM_MR_LIST_2(X, P) X(3, P)
#define MM_MR_LIST_4(X, P) MM_MR_LIST_3(X, P) X(4, P)
#define MM_MR_LIST_5(X, P) MM_MR_LIST_4(X, P) X(5, P)
#define MM_MR_LIST_6(X, P) MM_MR_LIST_5(X, P) X(6, P)
#define MM_MR_LIST_7(X, P) MM_MR_LIST_6(X, P) X(7, P)
#define MM_MR_LIST_8(X, P) MM_MR_LIST_7(X, P) X(8, P)
#define MM_CAT(a, b) MM_CAT_(a, b)
#define MM_CAT_(a, b) a##b
#define MM_FOR_EACH_MR(X, P) MM_CAT(MM_MR_LIST_, DSC_MM_MR)(X, P)

#if MM_MR < 1 || MM_MR > 8 || MM_PANELS < 1 || MM_PANELS > 2
#error "matmul.h instantiates 1 <= mr <= 8 and panels 1 or 2"
#endif

MM_FOR_EACH_MR(MM_DEFINE_KERNEL, 1)
#if MM_PANELS == 2
MM_FOR_EACH_MR(MM_DEFINE_KERNEL, 2)
#endif

/* mm_kernels[panels - 1][mr - 1] */
static const mm_microkernel_fn mm_kernels[MM_PANELS][MM_MR] = {
    {MM_FOR_EACH_MR(MM_KERNEL_ENTRY, 1)},
#if MM_PANELS == 2
    {MM_FOR_EACH_MR(MM_KERNEL_ENTRY, 2)},
#endif
};

/*
 * GEMV (M = 1, a classifier's last layer): c[n] = sum_k a[k] * B[k][n] over
 * GEMV_PANELS panels at a time, the whole K in registers, with even and odd k
 * in separate accumulators so the FMA chains overlap. Each element of B is
 * read once, in order: the loop runs at memory bandwidth.
 */
#define GEMV_PANELS (MM_VECS_PER_PANEL >= 4 ? 1 : 4 / MM_VECS_PER_PANEL)

DSC_INLINE void gemv_panels(const int panels, int64_t k_total, const float *a,
                            const float *b, float *c) {
  enum { NV_MAX = GEMV_PANELS * MM_VECS_PER_PANEL };
  const int nv = panels * MM_VECS_PER_PANEL;
  const int64_t panel_stride = k_total * MM_COLS;
  vf even[NV_MAX], odd[NV_MAX];
#pragma GCC unroll 16
  for (int v = 0; v < nv; ++v)
    even[v] = odd[v] = vsplat(0.0f);
  int64_t k = 0;
  for (; k + 2 <= k_total; k += 2) {
    const vf a0 = vsplat(a[k]), a1 = vsplat(a[k + 1]);
#pragma GCC unroll 16
    for (int v = 0; v < nv; ++v) {
      const float *bp = b + (v / MM_VECS_PER_PANEL) * panel_stride +
                        k * MM_COLS + (v % MM_VECS_PER_PANEL) * V;
      even[v] += a0 * vload(bp);
      odd[v] += a1 * vload(bp + MM_COLS);
    }
  }
  if (k < k_total) {
    const vf a0 = vsplat(a[k]);
#pragma GCC unroll 16
    for (int v = 0; v < nv; ++v)
      even[v] += a0 * vload(b + (v / MM_VECS_PER_PANEL) * panel_stride +
                            k * MM_COLS + (v % MM_VECS_PER_PANEL) * V);
  }
#pragma GCC unroll 16
  for (int v = 0; v < nv; ++v)
    vstore(c + v * V, even[v] + odd[v]);
}

static void gemv_group(int64_t k_total, const float *a, const float *b,
                       float *c) {
  gemv_panels(GEMV_PANELS, k_total, a, b, c);
}

static void gemv_one_panel(int64_t k_total, const float *a, const float *b,
                           float *c) {
  gemv_panels(1, k_total, a, b, c);
}

static void matmul_gemv(int64_t n, int64_t k_total, const float *a,
                        const float *packed_b, const float *bias,
                        const float *residual, float *c,
                        const epilogue_params *ep) {
  const int64_t num_panels = (n + MM_COLS - 1) / MM_COLS;
  float tile[GEMV_PANELS * MM_COLS];
  for (int64_t j = 0; j < num_panels;) {
    const int64_t panels = num_panels - j >= GEMV_PANELS ? GEMV_PANELS : 1;
    const int64_t n0 = j * MM_COLS;
    const int64_t cols = min_i64(panels * MM_COLS, n - n0);
    const float *b = packed_b + j * k_total * MM_COLS;
    /* A ragged last panel goes through a tile on the stack. */
    float *out = cols == panels * MM_COLS ? c + n0 : tile;
    if (panels == GEMV_PANELS)
      gemv_group(k_total, a, b, out);
    else
      gemv_one_panel(k_total, a, b, out);
    if (out == tile)
      memcpy(c + n0, tile, (size_t)cols * sizeof(float));
    epilogue_apply(c + n0, residual ? residual + n0 : NULL, cols,
                   bias ? bias + n0 : NULL, 0.0f, ep);
    j += panels;
  }
}

static void matmul_f32(const int64_t *geometry, const float *a,
                       const float *packed_b, const float *bias,
                       const float *residual, float *c, float alpha,
                       float beta) {
  const int64_t m = geometry[DSC_MATMUL_M], n = geometry[DSC_MATMUL_N],
                k_total = geometry[DSC_MATMUL_K];
  const epilogue_params ep =
      epilogue_make(geometry[DSC_MATMUL_ACT], geometry[DSC_MATMUL_FLAGS], alpha, beta,
                    geometry[DSC_MATMUL_OUT_SCALE], geometry[DSC_MATMUL_OUT_SHIFT]);
  if (m <= 0 || n <= 0)
    return;
  if (k_total <= 0) { /* empty sums */
    for (int64_t i = 0; i < m; ++i) {
      memset(c + i * n, 0, (size_t)n * sizeof(float));
      epilogue_apply(c + i * n, residual ? residual + i * n : NULL, n, bias,
                     0.0f, &ep);
    }
    return;
  }
  if (m == 1) {
    matmul_gemv(n, k_total, a, packed_b, bias, residual, c, &ep);
    return;
  }

  const int64_t num_panels = (n + MM_COLS - 1) / MM_COLS;
  const int64_t panel_stride = k_total * MM_COLS;
  float tile[MM_MR * MM_PANELS * MM_COLS];
  for (int64_t k0 = 0; k0 < k_total; k0 += DSC_MM_KC) {
    const int64_t kc = min_i64(DSC_MM_KC, k_total - k0);
    const int first = k0 == 0, last = k0 + kc == k_total;
    for (int64_t j = 0; j < num_panels; j += MM_PANELS) {
      const int panels = (int)min_i64(MM_PANELS, num_panels - j);
      const int64_t n0 = j * MM_COLS;
      const int64_t cols = min_i64(panels * MM_COLS, n - n0);
      const int64_t tile_cols = panels * MM_COLS;
      const float *b = packed_b + j * panel_stride + k0 * MM_COLS;
      for (int64_t m0 = 0; m0 < m; m0 += MM_MR) {
        const int mr = (int)min_i64(MM_MR, m - m0);
        const mm_microkernel_fn kernel = mm_kernels[panels - 1][mr - 1];
        const float *ap = a + m0 * k_total + k0;
        float *cp = c + m0 * n + n0;
        if (cols == tile_cols) {
          kernel(kc, ap, k_total, b, panel_stride, cp, n, !first);
        } else {
          /* Ragged last panel: sums into a tile, then the valid columns. */
          kernel(kc, ap, k_total, b, panel_stride, tile, tile_cols, 0);
          for (int r = 0; r < mr; ++r)
            for (int64_t col = 0; col < cols; ++col)
              cp[r * n + col] =
                  (first ? 0.0f : cp[r * n + col]) + tile[r * tile_cols + col];
        }
        if (last)
          for (int r = 0; r < mr; ++r)
            epilogue_apply(cp + r * n,
                           residual ? residual + (m0 + r) * n + n0 : NULL,
                           cols, bias ? bias + n0 : NULL, 0.0f, &ep);
      }
    }
  }
}

#endif /* DSC_KERNELS_MATMUL_H */
