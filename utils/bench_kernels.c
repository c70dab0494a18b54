/*===- bench_kernels.c - GFLOP/s of the compute kernels vs OpenBLAS -------===*
 *
 * dsc-bench-kernels [FILTER]: times dsc_matmul_f32 and dsc_conv2d_f32
 * (runtime/include/dsc/kernels.h) on one thread, on GEMM shapes and typical
 * CNN layers, next to OpenBLAS's cblas_sgemm on the same GEMM (for a conv,
 * the equivalent GEMM M = F, N = OH*OW, K = C/G*KH*KW per group, without the
 * im2col OpenBLAS would also need; for a depthwise conv, that is C GEMMs with
 * M = 1; for the filter-panel layout, "conv fp" rows, the transposed GEMM
 * M = OH*OW, N = F that layout computes). Small-plane convs are timed in
 * both layouts (panels, the "conv" row, and filter panels). Prints a markdown table of GFLOP/s (median of 7 samples, each at
 * least ~30 ms of back-to-back calls) and dsc's % of the OpenBLAS figure.
 * FILTER keeps the rows whose name contains it; `--gemm M N K` times that
 * one shape; `--sweep` times both conv layouts on output planes from 1x1
 * to 16x16 (where DSC_CONV_SMALL_OUTPUT_PIXELS should sit). DSC_KERNELS_ISA picks the
 * kernels' ISA variant. Built by runtime/CMakeLists.txt (with OpenBLAS when
 * find_library finds it).
 *
 * OpenBLAS's DYNAMIC_ARCH build (Debian's 0.3.21) picks its kernels from a
 * cpuid table, and on CPUs newer than that table (or virtualised ones) falls
 * back to a generic SSE3 core ("Prescott"), which would make a weak
 * yardstick. Unless OPENBLAS_CORETYPE is set, the program sets it from the
 * CPU's features (SkylakeX for AVX-512F, Haswell for AVX2+FMA) and re-runs
 * itself, since OpenBLAS reads it when it is loaded.
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE 1 /* setenv */

#include "dsc/kernels.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef DSC_HAVE_OPENBLAS
#include <cblas.h>
#endif

#define SAMPLES 7
#define MIN_SAMPLE_SECONDS 0.03

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Median seconds per call of fn(ctx). */
static double time_call(void (*fn)(void *), void *ctx) {
  fn(ctx); /* warm up (caches, dispatch) */
  int iters = 1;
  for (;;) {
    const double t0 = now_seconds();
    for (int i = 0; i < iters; ++i)
      fn(ctx);
    const double t = now_seconds() - t0;
    if (t >= MIN_SAMPLE_SECONDS)
      break;
    iters = t > 0 ? (int)(iters * 1.5 * MIN_SAMPLE_SECONDS / t) + 1 : iters * 10;
  }
  double samples[SAMPLES];
  for (int s = 0; s < SAMPLES; ++s) {
    const double t0 = now_seconds();
    for (int i = 0; i < iters; ++i)
      fn(ctx);
    samples[s] = (now_seconds() - t0) / iters;
  }
  qsort(samples, SAMPLES, sizeof samples[0], compare_doubles);
  return samples[SAMPLES / 2];
}

static float *random_floats(int64_t n) {
  float *p = malloc((size_t)n * sizeof(float));
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  for (int64_t i = 0; i < n; ++i)
    p[i] = (float)rand() / (float)RAND_MAX - 0.5f;
  return p;
}

/* --- the yardstick: OpenBLAS sgemm, `count` GEMMs of M x N x K ---------- */

typedef struct {
  int64_t m, n, k, count;
  float *a, *b, *c;
} blas_ctx;

#ifdef DSC_HAVE_OPENBLAS
static void blas_call(void *p) {
  blas_ctx *t = p;
  for (int64_t i = 0; i < t->count; ++i)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)t->m,
                (int)t->n, (int)t->k, 1.0f, t->a + i * t->m * t->k, (int)t->k,
                t->b + i * t->k * t->n, (int)t->n, 0.0f,
                t->c + i * t->m * t->n, (int)t->n);
}
#endif

/* GFLOP/s of OpenBLAS on count GEMMs of m x n x k (0 without OpenBLAS). */
static double blas_gflops(int64_t m, int64_t n, int64_t k, int64_t count) {
#ifdef DSC_HAVE_OPENBLAS
  blas_ctx t = {m, n, k, count, random_floats(count * m * k),
                random_floats(count * k * n), random_floats(count * m * n)};
  const double s = time_call(blas_call, &t);
  free(t.a);
  free(t.b);
  free(t.c);
  return 2.0 * (double)(m * n * k * count) / s * 1e-9;
#else
  (void)m, (void)n, (void)k, (void)count;
  return 0.0;
#endif
}

/* --- dsc kernels ---------------------------------------------------------- */

typedef struct {
  int64_t geometry[DSC_CONV_GEOMETRY_SIZE];
  float *a, *b, *bias, *c;
} dsc_ctx;

static void matmul_call(void *p) {
  dsc_ctx *t = p;
  dsc_matmul_f32(t->geometry, t->a, t->b, t->bias, NULL, t->c, 0.0f, 0.0f);
}

static void conv_call(void *p) {
  dsc_ctx *t = p;
  dsc_conv2d_f32(t->geometry, t->a, t->b, t->bias, NULL, t->c, 0.0f, 0.0f);
}

static void print_row(const char *kind, const char *name, double dsc,
                      double blas) {
  if (blas > 0)
    printf("| %s | %s | %.1f | %.1f | %.0f%% |\n", kind, name, dsc, blas,
           100.0 * dsc / blas);
  else
    printf("| %s | %s | %.1f | - | - |\n", kind, name, dsc);
  fflush(stdout);
}

static void bench_matmul(const char *filter, int64_t m, int64_t n, int64_t k) {
  char name[96];
  snprintf(name, sizeof name, "M=%lld N=%lld K=%lld", (long long)m,
           (long long)n, (long long)k);
  if (filter && !strstr(name, filter) && !strstr("matmul", filter))
    return;
  const int64_t panels = (n + DSC_MATMUL_PANEL_COLS - 1) / DSC_MATMUL_PANEL_COLS;
  dsc_ctx t;
  memset(&t, 0, sizeof t);
  t.geometry[DSC_MATMUL_M] = m;
  t.geometry[DSC_MATMUL_N] = n;
  t.geometry[DSC_MATMUL_K] = k;
  t.a = random_floats(m * k);
  t.b = random_floats(panels * k * DSC_MATMUL_PANEL_COLS);
  t.bias = random_floats(n);
  t.c = random_floats(m * n);
  const double dsc = 2.0 * (double)(m * n * k) / time_call(matmul_call, &t) * 1e-9;
  free(t.a);
  free(t.b);
  free(t.bias);
  free(t.c);
  print_row("matmul", name, dsc, blas_gflops(m, n, k, 1));
}

/* layout: enum dsc_conv_layout. */
static void bench_conv(const char *filter, const char *label, int64_t c,
                       int64_t h, int64_t w, int64_t f, int64_t kernel,
                       int64_t stride, int64_t pad, int layout) {
  const int depthwise = layout == DSC_CONV_LAYOUT_DEPTHWISE;
  const int filter_panels = layout == DSC_CONV_LAYOUT_FILTER_PANELS;
  char name[160];
  snprintf(name, sizeof name, "%s: %lldx%lld %lld->%lld %lldx%lld s%lld",
           label, (long long)kernel, (long long)kernel, (long long)c,
           (long long)f, (long long)h, (long long)w, (long long)stride);
  if (filter && !strstr(name, filter) && !strstr("conv", filter))
    return;
  const int64_t oh = (h + 2 * pad - kernel) / stride + 1;
  const int64_t ow = (w + 2 * pad - kernel) / stride + 1;
  const int64_t groups = depthwise ? c : 1;
  const int64_t cg = c / groups, fg = f / groups;
  const int64_t kg = cg * kernel * kernel;
  const int64_t rows = filter_panels ? DSC_CONV_FILTER_PANEL_COLS
                                     : DSC_CONV_PANEL_ROWS;
  const int64_t panels = (fg + rows - 1) / rows;
  dsc_ctx t;
  memset(&t, 0, sizeof t);
  int64_t *g = t.geometry;
  g[DSC_CONV_N] = 1;
  g[DSC_CONV_C] = c;
  g[DSC_CONV_H] = h;
  g[DSC_CONV_W] = w;
  g[DSC_CONV_F] = f;
  g[DSC_CONV_OH] = oh;
  g[DSC_CONV_OW] = ow;
  g[DSC_CONV_KH] = g[DSC_CONV_KW] = kernel;
  g[DSC_CONV_SH] = g[DSC_CONV_SW] = stride;
  g[DSC_CONV_DH] = g[DSC_CONV_DW] = 1;
  g[DSC_CONV_PT] = g[DSC_CONV_PL] = pad;
  g[DSC_CONV_GROUP] = groups;
  g[DSC_CONV_ACT] = DSC_ACT_RELU;
  g[DSC_CONV_LAYOUT] = layout;
  t.a = random_floats(c * h * w);
  t.b = random_floats(depthwise ? c * kernel * kernel
                                : groups * panels * kg * rows);
  t.bias = random_floats(f);
  t.c = random_floats(f * oh * ow);
  const double flops = 2.0 * (double)(f * oh * ow * kg);
  const double dsc = flops / time_call(conv_call, &t) * 1e-9;
  free(t.a);
  free(t.b);
  free(t.bias);
  free(t.c);
  print_row(depthwise ? "conv dw" : filter_panels ? "conv fp" : "conv", name,
            dsc,
            filter_panels ? blas_gflops(oh * ow, fg, kg, groups)
                          : blas_gflops(fg, oh * ow, kg, groups));
}

/* A conv in both dense layouts: panels, then filter panels. */
static void bench_conv_both(const char *filter, const char *label, int64_t c,
                            int64_t h, int64_t w, int64_t f, int64_t kernel,
                            int64_t stride, int64_t pad) {
  bench_conv(filter, label, c, h, w, f, kernel, stride, pad,
             DSC_CONV_LAYOUT_PANELS);
  bench_conv(filter, label, c, h, w, f, kernel, stride, pad,
             DSC_CONV_LAYOUT_FILTER_PANELS);
}

#ifdef DSC_HAVE_OPENBLAS
/* Re-runs this program with OPENBLAS_CORETYPE set for this CPU (see the
   header); returns when it is already set or nothing fits. */
static void pin_openblas_core(char **argv) {
  if (getenv("OPENBLAS_CORETYPE"))
    return;
  const char *core = NULL;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    core = "SkylakeX";
  else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    core = "Haswell";
#endif
  if (!core)
    return;
  setenv("OPENBLAS_CORETYPE", core, 1);
  execv("/proc/self/exe", argv);
  /* exec failed: carry on with whatever OpenBLAS picked. */
}
#endif

int main(int argc, char **argv) {
  const char *filter = argc > 1 ? argv[1] : NULL;
#ifdef DSC_HAVE_OPENBLAS
  pin_openblas_core(argv);
  openblas_set_num_threads(1);
  printf("dsc kernels: %s; OpenBLAS %s, 1 thread\n\n", dsc_kernels_isa(),
         openblas_get_config());
#else
  printf("dsc kernels: %s; no OpenBLAS\n\n", dsc_kernels_isa());
#endif
  printf("| kernel | shape | dsc GFLOP/s | OpenBLAS GFLOP/s | dsc/OpenBLAS |\n");
  printf("|---|---|---|---|---|\n");
  if (argc == 5 && strcmp(argv[1], "--gemm") == 0) {
    bench_matmul(NULL, atoll(argv[2]), atoll(argv[3]), atoll(argv[4]));
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "--sweep") == 0) {
    static const int64_t kSides[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16};
    for (size_t i = 0; i < sizeof kSides / sizeof kSides[0]; ++i) {
      const int64_t s = kSides[i];
      bench_conv_both(NULL, "sweep", 256, s, s, 256, 3, 1, 1);
      bench_conv_both(NULL, "sweep", 512, s, s, 512, 3, 1, 1);
      bench_conv_both(NULL, "sweep", 320, s, s, 1280, 1, 1, 0);
      bench_conv_both(NULL, "sweep", 96, s, s, 24, 1, 1, 0);
    }
    return 0;
  }
  bench_matmul(filter, 256, 256, 256);
  bench_matmul(filter, 512, 512, 512);
  bench_matmul(filter, 1024, 1024, 1024);
  bench_matmul(filter, 64, 1000, 4096);
  bench_matmul(filter, 1, 1000, 512);
  bench_conv(filter, "resnet18", 64, 56, 56, 64, 3, 1, 1,
             DSC_CONV_LAYOUT_PANELS);
  bench_conv(filter, "resnet50 1x1", 256, 56, 56, 64, 1, 1, 0,
             DSC_CONV_LAYOUT_PANELS);
  bench_conv(filter, "first layer", 3, 224, 224, 32, 3, 2, 1,
             DSC_CONV_LAYOUT_PANELS);
  bench_conv(filter, "mobilenet dw", 144, 56, 56, 144, 3, 1, 1,
             DSC_CONV_LAYOUT_DEPTHWISE);
  bench_conv(filter, "mobilenet dw", 144, 56, 56, 144, 3, 2, 1,
             DSC_CONV_LAYOUT_DEPTHWISE);
  /* mobilenet_v2 at 64x64 input: the narrow and mid-size planes. */
  bench_conv(filter, "mobilenet@64 dw", 32, 32, 32, 32, 3, 1, 1,
             DSC_CONV_LAYOUT_DEPTHWISE);
  bench_conv(filter, "mobilenet@64 dw", 96, 32, 32, 96, 3, 2, 1,
             DSC_CONV_LAYOUT_DEPTHWISE);
  bench_conv(filter, "mobilenet@64 dw", 144, 16, 16, 144, 3, 1, 1,
             DSC_CONV_LAYOUT_DEPTHWISE);
  bench_conv(filter, "mobilenet@64 dw", 144, 16, 16, 144, 3, 2, 1,
             DSC_CONV_LAYOUT_DEPTHWISE);
  bench_conv(filter, "mobilenet@64 dw", 192, 8, 8, 192, 3, 1, 1,
             DSC_CONV_LAYOUT_DEPTHWISE);
  /* Small output planes (DSC_CONV_SMALL_OUTPUT_PIXELS), both layouts:
     resnet18's last stages at 64x64 input, squeeze-excitation 1x1 convs. */
  bench_conv(filter, "resnet18@64 conv1", 3, 64, 64, 64, 7, 2, 3,
             DSC_CONV_LAYOUT_PANELS);
  bench_conv_both(filter, "resnet18@64 layer1", 64, 16, 16, 64, 3, 1, 1);
  bench_conv_both(filter, "resnet18@64 layer2", 128, 8, 8, 128, 3, 1, 1);
  bench_conv_both(filter, "resnet18@64 layer3", 256, 4, 4, 256, 3, 1, 1);
  /* The default student (16x16 digits): conv2 and conv3. */
  bench_conv_both(filter, "student conv2", 16, 16, 16, 32, 3, 1, 1);
  bench_conv_both(filter, "student conv3", 32, 8, 8, 32, 3, 1, 1);
  bench_conv_both(filter, "resnet18@64 layer4", 512, 2, 2, 512, 3, 1, 1);
  bench_conv_both(filter, "resnet18@224 layer4", 512, 7, 7, 512, 3, 1, 1);
  bench_conv_both(filter, "SE squeeze", 480, 1, 1, 20, 1, 1, 0);
  bench_conv_both(filter, "SE excite", 20, 1, 1, 480, 1, 1, 0);
  return 0;
}
