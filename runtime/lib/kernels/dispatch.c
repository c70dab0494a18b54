/*===- dispatch.c - Picks the kernels' ISA variant once -------------------===*
 *
 * The public entry points of dsc/kernels.h. At the first call the widest
 * variant this build has and the CPU supports is chosen (x86-64: AVX-512F,
 * AVX2+FMA, SSE2; AArch64: NEON; elsewhere: scalar), or the one the
 * environment variable DSC_KERNELS_ISA names (avx512, avx2, sse2, neon,
 * scalar; for tests and benchmarks). A forced variant that this build lacks
 * or the CPU cannot run is refused: the automatic choice is used and
 * dsc_kernels_isa() says so, e.g. "avx2 (DSC_KERNELS_ISA=avx512 is not
 * available)".
 *
 * The choice is made under pthread_once, so concurrent first calls are
 * safe.
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "kernels_internal.h"

#include "dsc/runtime.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The variants of this build, widest first. */
static const dsc_kernel_table *const kVariants[] = {
#if defined(__x86_64__)
    &dsc_kernel_table_avx512, &dsc_kernel_table_avx2, &dsc_kernel_table_sse2,
    &dsc_kernel_table_scalar,
#elif defined(__aarch64__)
    &dsc_kernel_table_neon,
#else
    &dsc_kernel_table_scalar,
#endif
};
enum { NUM_VARIANTS = sizeof(kVariants) / sizeof(kVariants[0]) };

static const dsc_kernel_table *g_table;
static char g_description[96]; /* what dsc_kernels_isa() returns */
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static int cpu_runs(const dsc_kernel_table *t) {
  return dsc_cpu_supports(t->cpu_features, NULL, 0);
}

static void choose(void) {
  const dsc_kernel_table *automatic = kVariants[NUM_VARIANTS - 1];
  for (int i = 0; i < NUM_VARIANTS; ++i)
    if (cpu_runs(kVariants[i])) {
      automatic = kVariants[i];
      break;
    }
  g_table = automatic;
  snprintf(g_description, sizeof g_description, "%s", automatic->name);

  const char *forced = getenv("DSC_KERNELS_ISA");
  if (!forced || !*forced)
    return;
  for (int i = 0; i < NUM_VARIANTS; ++i)
    if (strcmp(kVariants[i]->name, forced) == 0 && cpu_runs(kVariants[i])) {
      g_table = kVariants[i];
      snprintf(g_description, sizeof g_description, "%s", g_table->name);
      return;
    }
  snprintf(g_description, sizeof g_description,
           "%s (DSC_KERNELS_ISA=%.32s is not available)", automatic->name,
           forced);
}

/* --- profiling ------------------------------------------------------- */

static int g_profiling;
static int g_profile_calls;
static double g_profile_ms[DSC_PROFILE_MAX_CALLS];

static double profile_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

void dsc_kernels_profile_start(void) {
  g_profile_calls = 0;
  g_profiling = 1;
}

int dsc_kernels_profile_stop(const double **ms) {
  g_profiling = 0;
  if (ms)
    *ms = g_profile_ms;
  return g_profile_calls;
}

/* Runs `call`, recording its time when profiling. */
#define PROFILED(call)                                                         \
  do {                                                                         \
    if (!g_profiling) {                                                        \
      call;                                                                    \
      break;                                                                   \
    }                                                                          \
    double t0_ = profile_now_ms();                                             \
    call;                                                                      \
    if (g_profile_calls < DSC_PROFILE_MAX_CALLS)                               \
      g_profile_ms[g_profile_calls++] = profile_now_ms() - t0_;               \
  } while (0)

static const dsc_kernel_table *kernels(void) {
  pthread_once(&g_once, choose);
  return g_table;
}

const char *dsc_kernels_isa(void) {
  kernels();
  return g_description;
}

/* --- splitting a call over the threads ---------------------------------- */

/* Below this many multiply-adds a call stays on one thread: handing a task
   to the pool and waiting for it costs tens of microseconds, which small
   calls (MobileNet's at 64x64) do not win back. */
#define PARALLEL_MIN_MACS (1 << 17)
/* Depthwise channels are split in blocks of 16, so each part keeps whole
   vector blocks for the small-plane path. */
#define DEPTHWISE_BLOCK 16

typedef struct {
  dsc_conv2d_fn fn;
  int64_t geometry[DSC_CONV_GEOMETRY_SIZE];
  const float *input, *weight, *bias, *residual;
  float *output;
  float alpha, beta;
  int64_t units, unit_size; /* what is split: batch, panels, groups or channels */
  int mode;                 /* 0 batch, 1 filter panels (G = 1), 2 groups, 3 depthwise */
} conv_task;

/* Part i of a split conv: a smaller conv over its share, with offset
   pointers into the operands. */
static void conv_part(void *arg, int index, int parts) {
  const conv_task *t = (const conv_task *)arg;
  int64_t lo = t->units * index / parts, hi = t->units * (index + 1) / parts;
  if (lo >= hi)
    return;
  int64_t g[DSC_CONV_GEOMETRY_SIZE];
  memcpy(g, t->geometry, sizeof g);
  const int64_t C = g[DSC_CONV_C], F = g[DSC_CONV_F], G = g[DSC_CONV_GROUP];
  const int64_t in_plane = g[DSC_CONV_H] * g[DSC_CONV_W];
  const int64_t plane = g[DSC_CONV_OH] * g[DSC_CONV_OW];
  const int64_t taps = g[DSC_CONV_KH] * g[DSC_CONV_KW];
  int64_t in_off = 0, out_off = 0, w_off = 0, b_off = 0;
  switch (t->mode) {
  case 0: /* images */
    g[DSC_CONV_N] = hi - lo;
    in_off = lo * C * in_plane;
    out_off = lo * F * plane;
    break;
  case 1: { /* panels of unit_size filters, one group */
    int64_t f0 = lo * t->unit_size, f1 = hi * t->unit_size < F ? hi * t->unit_size : F;
    g[DSC_CONV_F] = f1 - f0;
    out_off = f0 * plane;
    w_off = lo * (C * taps) * t->unit_size;
    b_off = f0;
    break;
  }
  case 2: { /* groups */
    int64_t cg = C / G, fg = F / G, kg = cg * taps;
    int64_t panels = (fg + t->unit_size - 1) / t->unit_size;
    g[DSC_CONV_GROUP] = hi - lo;
    g[DSC_CONV_C] = (hi - lo) * cg;
    g[DSC_CONV_F] = (hi - lo) * fg;
    in_off = lo * cg * in_plane;
    out_off = lo * fg * plane;
    w_off = lo * panels * kg * t->unit_size;
    b_off = lo * fg;
    break;
  }
  default: { /* depthwise channels, in blocks */
    int64_t c0 = lo * DEPTHWISE_BLOCK, c1 = hi * DEPTHWISE_BLOCK < C ? hi * DEPTHWISE_BLOCK : C;
    g[DSC_CONV_C] = g[DSC_CONV_F] = g[DSC_CONV_GROUP] = c1 - c0;
    in_off = c0 * in_plane;
    out_off = c0 * plane;
    w_off = c0 * taps;
    b_off = c0;
    break;
  }
  }
  t->fn(g, t->input + in_off, t->weight + w_off, t->bias ? t->bias + b_off : NULL,
        t->residual ? t->residual + out_off : NULL, t->output + out_off, t->alpha, t->beta);
}

static void conv_run(dsc_conv2d_fn fn, const int64_t *geometry, const float *input,
                     const float *packed_weight, const float *bias, const float *residual,
                     float *output, float alpha, float beta) {
  const int threads = dsc_kernels_threads();
  const int64_t N = geometry[DSC_CONV_N], C = geometry[DSC_CONV_C], F = geometry[DSC_CONV_F];
  const int64_t G = geometry[DSC_CONV_GROUP], layout = geometry[DSC_CONV_LAYOUT];
  const int64_t macs = N * F * geometry[DSC_CONV_OH] * geometry[DSC_CONV_OW] * (C / G) *
                       geometry[DSC_CONV_KH] * geometry[DSC_CONV_KW];
  if (threads <= 1 || macs < PARALLEL_MIN_MACS) {
    fn(geometry, input, packed_weight, bias, residual, output, alpha, beta);
    return;
  }
  conv_task t;
  t.fn = fn;
  memcpy(t.geometry, geometry, sizeof t.geometry);
  t.input = input, t.weight = packed_weight, t.bias = bias, t.residual = residual;
  t.output = output, t.alpha = alpha, t.beta = beta;
  t.unit_size = layout == DSC_CONV_LAYOUT_PANELS ? DSC_CONV_PANEL_ROWS
                                                 : DSC_CONV_FILTER_PANEL_COLS;
  /* Several images: split them (a channel split would break the
     [N][F][plane] layout of the smaller calls). */
  if (N > 1) {
    t.mode = 0, t.units = N;
  } else if (layout == DSC_CONV_LAYOUT_DEPTHWISE) {
    t.mode = 3, t.units = (C + DEPTHWISE_BLOCK - 1) / DEPTHWISE_BLOCK;
  } else if (G > 1) {
    t.mode = 2, t.units = G;
  } else {
    t.mode = 1, t.units = (F + t.unit_size - 1) / t.unit_size;
  }
  int parts = t.units < threads ? (int)t.units : threads;
  dsc_parallel_for(conv_part, &t, parts);
}

typedef struct {
  dsc_matmul_fn fn;
  int64_t geometry[DSC_MATMUL_GEOMETRY_SIZE];
  const float *a, *b, *bias, *residual;
  float *c;
  float alpha, beta;
  int by_columns; /* a GEMV splits its column panels, else rows */
} matmul_task;

static void matmul_part(void *arg, int index, int parts) {
  const matmul_task *t = (const matmul_task *)arg;
  int64_t g[DSC_MATMUL_GEOMETRY_SIZE];
  memcpy(g, t->geometry, sizeof g);
  const int64_t M = g[DSC_MATMUL_M], N = g[DSC_MATMUL_N], K = g[DSC_MATMUL_K];
  if (!t->by_columns) {
    int64_t lo = M * index / parts, hi = M * (index + 1) / parts;
    if (lo >= hi)
      return;
    g[DSC_MATMUL_M] = hi - lo;
    t->fn(g, t->a + lo * K, t->b, t->bias, t->residual ? t->residual + lo * N : NULL,
          t->c + lo * N, t->alpha, t->beta);
    return;
  }
  const int64_t cols = DSC_MATMUL_PANEL_COLS, panels = (N + cols - 1) / cols;
  int64_t lo = panels * index / parts, hi = panels * (index + 1) / parts;
  if (lo >= hi)
    return;
  int64_t n0 = lo * cols, n1 = hi * cols < N ? hi * cols : N;
  g[DSC_MATMUL_N] = n1 - n0;
  t->fn(g, t->a, t->b + lo * K * cols, t->bias ? t->bias + n0 : NULL,
        t->residual ? t->residual + n0 : NULL, t->c + n0, t->alpha, t->beta);
}

static void matmul_run(dsc_matmul_fn fn, const int64_t *geometry, const float *a,
                       const float *packed_b, const float *bias, const float *residual,
                       float *c, float alpha, float beta) {
  const int threads = dsc_kernels_threads();
  const int64_t M = geometry[DSC_MATMUL_M], N = geometry[DSC_MATMUL_N];
  if (threads <= 1 || M * N * geometry[DSC_MATMUL_K] < PARALLEL_MIN_MACS ||
      (M > 1 && M < 2 * threads)) {
    fn(geometry, a, packed_b, bias, residual, c, alpha, beta);
    return;
  }
  matmul_task t;
  t.fn = fn;
  memcpy(t.geometry, geometry, sizeof t.geometry);
  t.a = a, t.b = packed_b, t.bias = bias, t.residual = residual, t.c = c;
  t.alpha = alpha, t.beta = beta;
  t.by_columns = M == 1;
  dsc_parallel_for(matmul_part, &t, threads);
}

void dsc_conv2d_f32(const int64_t *geometry, const float *input,
                    const float *packed_weight, const float *bias,
                    const float *residual, float *output, float alpha,
                    float beta) {
  const dsc_kernel_table *t = kernels();
  dsc_conv2d_fn fn;
  switch (geometry[DSC_CONV_LAYOUT]) {
  case DSC_CONV_LAYOUT_PANELS:
    fn = t->conv2d_panels;
    break;
  case DSC_CONV_LAYOUT_DEPTHWISE:
    fn = t->conv2d_depthwise;
    break;
  case DSC_CONV_LAYOUT_FILTER_PANELS:
    fn = t->conv2d_filter_panels;
    break;
  default:
    /* No error return: a layout this runtime does not know means the model
       was compiled against another kernels.h, and any output would be
       garbage. */
    fprintf(stderr,
            "dsc_conv2d_f32: unknown weight layout %lld (this runtime knows "
            "0..%d; model and runtime disagree on dsc/kernels.h)\n",
            (long long)geometry[DSC_CONV_LAYOUT],
            (int)DSC_CONV_LAYOUT_FILTER_PANELS);
    abort();
  }
  PROFILED(conv_run(fn, geometry, input, packed_weight, bias, residual, output, alpha, beta));
}

void dsc_matmul_f32(const int64_t *geometry, const float *a,
                    const float *packed_b, const float *bias,
                    const float *residual, float *c, float alpha, float beta) {
  PROFILED(matmul_run(kernels()->matmul, geometry, a, packed_b, bias, residual, c, alpha, beta));
}

/* The quantized kernels' variants, widest first, chosen the same way
   (DSC_QKERNELS_ISA forces one). */
static const dsc_qkernel_table *const kQVariants[] = {
#if defined(__x86_64__)
    &dsc_qkernel_table_avx512vnni, &dsc_qkernel_table_avxvnni,
#elif defined(__aarch64__)
    &dsc_qkernel_table_neondot,
#endif
    &dsc_qkernel_table_generic,
};
enum { NUM_QVARIANTS = sizeof(kQVariants) / sizeof(kQVariants[0]) };

static const dsc_qkernel_table *g_qtable;
static char g_qdescription[96];
static pthread_once_t g_qonce = PTHREAD_ONCE_INIT;

static void choose_quantized(void) {
  const dsc_qkernel_table *automatic = kQVariants[NUM_QVARIANTS - 1];
  for (int i = 0; i < NUM_QVARIANTS; ++i)
    if (dsc_cpu_supports(kQVariants[i]->cpu_features, NULL, 0)) {
      automatic = kQVariants[i];
      break;
    }
  g_qtable = automatic;
  snprintf(g_qdescription, sizeof g_qdescription, "%s", automatic->name);
  const char *forced = getenv("DSC_QKERNELS_ISA");
  if (!forced || !*forced)
    return;
  for (int i = 0; i < NUM_QVARIANTS; ++i)
    if (strcmp(kQVariants[i]->name, forced) == 0 &&
        dsc_cpu_supports(kQVariants[i]->cpu_features, NULL, 0)) {
      g_qtable = kQVariants[i];
      snprintf(g_qdescription, sizeof g_qdescription, "%s", g_qtable->name);
      return;
    }
  snprintf(g_qdescription, sizeof g_qdescription,
           "%s (DSC_QKERNELS_ISA=%.32s is not available)", automatic->name, forced);
}

static const dsc_qkernel_table *qkernels(void) {
  pthread_once(&g_qonce, choose_quantized);
  return g_qtable;
}

const char *dsc_qkernels_isa(void) {
  qkernels();
  return g_qdescription;
}

void dsc_qconv2d_u8s8(const int64_t *geometry, const uint8_t *input,
                      const int8_t *packed_weight, const int32_t *bias,
                      const int32_t *weight_sums, const float *multiplier, uint8_t *output,
                      uint8_t *workspace, int32_t x_zero_point, int32_t y_zero_point) {
  PROFILED(qkernels()->qconv2d(geometry, input, packed_weight, bias, weight_sums, multiplier,
                               output, workspace, x_zero_point, y_zero_point));
}

void dsc_qmatmul_u8s8_i32(const int64_t *geometry, const uint8_t *a,
                          const int8_t *packed_b, const int32_t *column_sums,
                          const uint8_t *a_zero_point, int32_t *y) {
  PROFILED(qkernels()->qmatmul(geometry, a, packed_b, column_sums, a_zero_point, y));
}

void dsc_matmul_wq_f32(const int64_t *geometry, const float *a, const uint8_t *packed,
                       const float *bias, float *y) {
  PROFILED(qkernels()->wqmatmul(geometry, a, packed, bias, y));
}

void dsc_lookup_u8(const int64_t *geometry, const uint8_t *input, const uint8_t *table,
                   uint8_t *output) {
  PROFILED(qkernels()->lookup(geometry, input, table, output));
}
