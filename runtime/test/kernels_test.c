/*===- kernels_test.c - The compute kernels against a plain reference -----===*
 *
 * dsc-kernels-test [SEED]: runs dsc_conv2d_f32 and dsc_matmul_f32 (dsc/
 * kernels.h) on many geometries with random data, weights packed by this
 * file's own packers in the layouts kernels.h describes, and compares each
 * output with a naive double-precision reference written plainly here.
 *
 * Tolerance: an output passes when |got - ref| <= 1e-4 + 1e-4 * |ref|
 * (inputs are uniform in [-1, 1], weights scaled by 1/sqrt(K), so outputs
 * are O(1) and float accumulation error is far below this).
 *
 * Also checked: nothing is written outside the output (guard zones around
 * it), the output's initial contents are never read (it starts as NaN), and
 * no input is read past its end (each input ends at a PROT_NONE page).
 *
 * Prints one summary line; on a mismatch, the case and the first bad
 * element, and exits with 1. DSC_KERNELS_ISA picks the ISA variant.
 *
 * dsc-kernels-test --bad-layout calls dsc_conv2d_f32 with a weight layout
 * kernels.h does not define, which must abort with a message.
 *===----------------------------------------------------------------------===*/

#define _DEFAULT_SOURCE 1 /* mmap's MAP_ANONYMOUS */

#include "dsc/kernels.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* --- deterministic random numbers --------------------------------------- */

static uint64_t g_rng = 0x9e3779b97f4a7c15ull;

static uint32_t rand_u32(void) { /* xorshift64* */
  g_rng ^= g_rng >> 12;
  g_rng ^= g_rng << 25;
  g_rng ^= g_rng >> 27;
  return (uint32_t)((g_rng * 2685821657736338717ull) >> 32);
}

/* Uniform in [lo, hi]. */
static int64_t rand_int(int64_t lo, int64_t hi) {
  return lo + (int64_t)(rand_u32() % (uint32_t)(hi - lo + 1));
}

/* Uniform in [-1, 1). */
static float rand_float(void) {
  return (float)((double)rand_u32() / 2147483648.0 - 1.0);
}

/* --- buffers whose end touches an inaccessible page --------------------- */

typedef struct {
  void *base;
  size_t size;
} mapping;

static mapping g_maps[16];
static int g_num_maps;

/* n floats ending right before a PROT_NONE page, so a read past the end
   faults. Freed by free_all(). */
static float *guarded_alloc(int64_t n) {
  const size_t page = (size_t)sysconf(_SC_PAGESIZE);
  const size_t bytes = (size_t)(n > 0 ? n : 1) * sizeof(float);
  const size_t data_pages = (bytes + page - 1) / page;
  const size_t size = (data_pages + 1) * page;
  char *base = mmap(NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED || mprotect(base + data_pages * page, page,
                                     PROT_NONE) != 0) {
    perror("mmap");
    exit(2);
  }
  if (g_num_maps == (int)(sizeof g_maps / sizeof g_maps[0])) {
    fprintf(stderr, "too many mappings\n");
    exit(2);
  }
  g_maps[g_num_maps].base = base;
  g_maps[g_num_maps++].size = size;
  return (float *)(base + data_pages * page - bytes);
}

static void free_all(void) {
  for (int i = 0; i < g_num_maps; ++i)
    munmap(g_maps[i].base, g_maps[i].size);
  g_num_maps = 0;
}

static float *random_buffer(int64_t n, float scale) {
  float *p = guarded_alloc(n);
  for (int64_t i = 0; i < n; ++i)
    p[i] = rand_float() * scale;
  return p;
}

/* The output with GUARD floats of a known pattern on each side. */
#define GUARD 64
#define GUARD_VALUE 12345.0f

static float *output_alloc(int64_t n) {
  float *p = guarded_alloc(n + 2 * GUARD);
  for (int64_t i = 0; i < n + 2 * GUARD; ++i)
    p[i] = (i < GUARD || i >= n + GUARD) ? GUARD_VALUE : NAN;
  return p + GUARD;
}

static int guards_intact(const float *out, int64_t n) {
  for (int64_t i = 1; i <= GUARD; ++i)
    if (out[-i] != GUARD_VALUE || out[n + i - 1] != GUARD_VALUE)
      return 0;
  return 1;
}

/* --- the reference epilogue (kernels.h) --------------------------------- */

static const char *const kActNames[] = {
    "none",      "relu",       "clip",    "leaky_relu", "hard_sigmoid",
    "hard_swish", "sigmoid", "swish",      "tanh"};
enum { NUM_ACTS = 9 };

/* alpha/beta for each activation (ignored by those without parameters). */
static void act_params(int act, float *alpha, float *beta) {
  *alpha = 0.0f;
  *beta = 0.0f;
  if (act == DSC_ACT_CLIP) {
    *alpha = -0.25f;
    *beta = 0.3f;
  } else if (act == DSC_ACT_LEAKY_RELU) {
    *alpha = 0.1f;
  } else if (act == DSC_ACT_HARD_SIGMOID) {
    *alpha = 0.2f;
    *beta = 0.5f;
  }
}

static double ref_activation(double v, int act, double alpha, double beta) {
  switch (act) {
  case DSC_ACT_RELU:
    return v > 0 ? v : 0;
  case DSC_ACT_CLIP:
    return v < alpha ? alpha : v > beta ? beta : v;
  case DSC_ACT_LEAKY_RELU:
    return v >= 0 ? v : alpha * v;
  case DSC_ACT_HARD_SIGMOID: {
    double h = alpha * v + beta;
    return h < 0 ? 0 : h > 1 ? 1 : h;
  }
  case DSC_ACT_HARD_SWISH: {
    double h = v / 6 + 0.5;
    return v * (h < 0 ? 0 : h > 1 ? 1 : h);
  }
  case DSC_ACT_SIGMOID:
    return 1 / (1 + exp(-v));
  case DSC_ACT_SWISH:
    return v / (1 + exp(-v));
  case DSC_ACT_TANH:
    return tanh(v);
  default:
    return v;
  }
}

/* The output affine the tests use with DSC_EPILOGUE_OUTPUT_AFFINE. */
#define TEST_OUT_SCALE 1.5f
#define TEST_OUT_SHIFT -0.25f

static int64_t float_bits(float value) {
  uint32_t word;
  memcpy(&word, &value, sizeof word);
  return (int64_t)word;
}

static double ref_epilogue(double acc, double bias, const float *residual,
                           int64_t i, int act, int flags, float alpha,
                           float beta) {
  double v = acc + bias;
  const int after = (flags & DSC_EPILOGUE_RESIDUAL_AFTER_ACT) != 0;
  if (residual && !after)
    v += residual[i];
  v = ref_activation(v, act, alpha, beta);
  if (flags & DSC_EPILOGUE_OUTPUT_AFFINE)
    v = v * TEST_OUT_SCALE + TEST_OUT_SHIFT;
  if (residual && after)
    v += residual[i];
  return v;
}

/* Compares; prints the first bad element. Returns the number of bad ones. */
static int64_t compare(const char *what, const float *got, const double *ref,
                       int64_t n) {
  int64_t bad = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double err = fabs((double)got[i] - ref[i]);
    if (!(err <= 1e-4 + 1e-4 * fabs(ref[i]))) { /* also catches NaN */
      if (bad == 0)
        printf("MISMATCH %s: element %lld: got %.7g, expected %.7g\n", what,
               (long long)i, (double)got[i], ref[i]);
      ++bad;
    }
  }
  if (!guards_intact(got, n)) {
    printf("MISMATCH %s: wrote outside the output\n", what);
    ++bad;
  }
  return bad;
}

/* --- convolution --------------------------------------------------------- */

typedef struct {
  int64_t n, c, h, w, f, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, g;
  int depthwise, act, flags, has_bias, has_residual;
  int filter_panels; /* DSC_CONV_LAYOUT_FILTER_PANELS (when not depthwise) */
} conv_case;

static int64_t conv_out(int64_t in, int64_t k, int64_t s, int64_t d,
                        int64_t pad_lo, int64_t pad_hi) {
  return (in + pad_lo + pad_hi - d * (k - 1) - 1) / s + 1;
}

static void describe_conv(const conv_case *t, char *buf, size_t size) {
  snprintf(buf, size,
           "conv N=%lld C=%lld H=%lld W=%lld F=%lld K=%lldx%lld S=%lld,%lld "
           "D=%lld,%lld pads(t,l,b,r)=%lld,%lld,%lld,%lld G=%lld %s act=%s "
           "flags=%d bias=%d residual=%d",
           (long long)t->n, (long long)t->c, (long long)t->h, (long long)t->w,
           (long long)t->f, (long long)t->kh, (long long)t->kw,
           (long long)t->sh, (long long)t->sw, (long long)t->dh,
           (long long)t->dw, (long long)t->pt, (long long)t->pl,
           (long long)t->pb, (long long)t->pr, (long long)t->g,
           t->depthwise       ? "depthwise"
           : t->filter_panels ? "filter_panels"
                              : "panels",
           kActNames[t->act], t->flags,
           t->has_bias, t->has_residual);
}

/* Returns the number of mismatching outputs (0 = pass). */
static int64_t run_conv(const conv_case *t) {
  const int64_t oh = conv_out(t->h, t->kh, t->sh, t->dh, t->pt, t->pb);
  const int64_t ow = conv_out(t->w, t->kw, t->sw, t->dw, t->pl, t->pr);
  const int64_t cg = t->c / t->g, fg = t->f / t->g;
  const int64_t kg = cg * t->kh * t->kw;
  const int64_t out_n = t->n * t->f * oh * ow;
  float alpha, beta;
  act_params(t->act, &alpha, &beta);

  float *x = random_buffer(t->n * t->c * t->h * t->w, 1.0f);
  float *w = random_buffer(t->f * kg, 1.0f / sqrtf((float)kg));
  float *bias = t->has_bias ? random_buffer(t->f, 1.0f) : NULL;
  float *residual = t->has_residual ? random_buffer(out_n, 1.0f) : NULL;
  float *out = output_alloc(out_n);

  /* Packing (kernels.h): PANELS
       packed[((g * P + p) * Kg + k) * ROWS + r] = w[g*Fg + p*ROWS + r][k]
     FILTER_PANELS
       packed[((g * Q + q) * Kg + k) * COLS + j] = w[g*Fg + q*COLS + j][k]
     zero past Fg; DEPTHWISE: w as is. */
  const float *packed = w;
  if (!t->depthwise && t->filter_panels) {
    const int64_t cols = DSC_CONV_FILTER_PANEL_COLS;
    const int64_t panels = (fg + cols - 1) / cols;
    float *p = guarded_alloc(t->g * panels * kg * cols);
    for (int64_t g = 0; g < t->g; ++g)
      for (int64_t q = 0; q < panels; ++q)
        for (int64_t k = 0; k < kg; ++k)
          for (int64_t j = 0; j < cols; ++j) {
            const int64_t f = q * cols + j;
            p[((g * panels + q) * kg + k) * cols + j] =
                f < fg ? w[(g * fg + f) * kg + k] : 0.0f;
          }
    packed = p;
  } else if (!t->depthwise) {
    const int64_t rows = DSC_CONV_PANEL_ROWS;
    const int64_t panels = (fg + rows - 1) / rows;
    float *p = guarded_alloc(t->g * panels * kg * rows);
    for (int64_t g = 0; g < t->g; ++g)
      for (int64_t pi = 0; pi < panels; ++pi)
        for (int64_t k = 0; k < kg; ++k)
          for (int64_t r = 0; r < rows; ++r) {
            const int64_t f = pi * rows + r;
            p[((g * panels + pi) * kg + k) * rows + r] =
                f < fg ? w[(g * fg + f) * kg + k] : 0.0f;
          }
    packed = p;
  }

  int64_t geometry[DSC_CONV_GEOMETRY_SIZE] = {0};
  geometry[DSC_CONV_N] = t->n;
  geometry[DSC_CONV_C] = t->c;
  geometry[DSC_CONV_H] = t->h;
  geometry[DSC_CONV_W] = t->w;
  geometry[DSC_CONV_F] = t->f;
  geometry[DSC_CONV_OH] = oh;
  geometry[DSC_CONV_OW] = ow;
  geometry[DSC_CONV_KH] = t->kh;
  geometry[DSC_CONV_KW] = t->kw;
  geometry[DSC_CONV_SH] = t->sh;
  geometry[DSC_CONV_SW] = t->sw;
  geometry[DSC_CONV_DH] = t->dh;
  geometry[DSC_CONV_DW] = t->dw;
  geometry[DSC_CONV_PT] = t->pt;
  geometry[DSC_CONV_PL] = t->pl;
  geometry[DSC_CONV_GROUP] = t->g;
  geometry[DSC_CONV_ACT] = t->act;
  geometry[DSC_CONV_FLAGS] = t->flags;
  geometry[DSC_CONV_OUT_SCALE] = float_bits(TEST_OUT_SCALE);
  geometry[DSC_CONV_OUT_SHIFT] = float_bits(TEST_OUT_SHIFT);
  geometry[DSC_CONV_LAYOUT] = t->depthwise       ? DSC_CONV_LAYOUT_DEPTHWISE
                              : t->filter_panels ? DSC_CONV_LAYOUT_FILTER_PANELS
                                                 : DSC_CONV_LAYOUT_PANELS;
  dsc_conv2d_f32(geometry, x, packed, bias, residual, out, alpha, beta);

  /* The reference, straight from the definition in kernels.h. */
  double *ref = malloc((size_t)out_n * sizeof(double));
  for (int64_t n = 0; n < t->n; ++n)
    for (int64_t f = 0; f < t->f; ++f)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t xo = 0; xo < ow; ++xo) {
          const int64_t g = f / fg;
          double acc = 0;
          for (int64_t c = 0; c < cg; ++c)
            for (int64_t kh = 0; kh < t->kh; ++kh)
              for (int64_t kw = 0; kw < t->kw; ++kw) {
                const int64_t ih = y * t->sh + kh * t->dh - t->pt;
                const int64_t iw = xo * t->sw + kw * t->dw - t->pl;
                if (ih < 0 || ih >= t->h || iw < 0 || iw >= t->w)
                  continue;
                acc += (double)x[((n * t->c + g * cg + c) * t->h + ih) * t->w +
                                 iw] *
                       (double)w[((f * cg + c) * t->kh + kh) * t->kw + kw];
              }
          const int64_t i = ((n * t->f + f) * oh + y) * ow + xo;
          ref[i] = ref_epilogue(acc, bias ? bias[f] : 0.0, residual, i, t->act,
                                t->flags, alpha, beta);
        }

  char what[512];
  describe_conv(t, what, sizeof what);
  const int64_t bad = compare(what, out, ref, out_n);
  free(ref);
  free_all();
  return bad;
}

/* A case with the common defaults: stride/dilation 1, no padding, one
   group, no activation, bias, no residual. */
static conv_case conv_basic(int64_t c, int64_t h, int64_t w, int64_t f,
                            int64_t k) {
  conv_case t;
  memset(&t, 0, sizeof t);
  t.n = 1;
  t.c = c;
  t.h = h;
  t.w = w;
  t.f = f;
  t.kh = t.kw = k;
  t.sh = t.sw = t.dh = t.dw = 1;
  t.g = 1;
  t.has_bias = 1;
  return t;
}

static conv_case conv_padded(int64_t c, int64_t h, int64_t w, int64_t f,
                             int64_t k, int64_t stride, int64_t pad) {
  conv_case t = conv_basic(c, h, w, f, k);
  t.sh = t.sw = stride;
  t.pt = t.pl = t.pb = t.pr = pad;
  return t;
}

static conv_case conv_depthwise(int64_t c, int64_t h, int64_t w, int64_t k,
                                int64_t stride, int64_t pad) {
  conv_case t = conv_padded(c, h, w, c, k, stride, pad);
  t.g = c;
  t.depthwise = 1;
  return t;
}

/* A random geometry; depthwise with probability 1/4. */
static conv_case conv_random(void) {
  static const int64_t kSizes[] = {1, 3, 5, 7};
  conv_case t;
  memset(&t, 0, sizeof t);
  t.n = rand_int(1, 2);
  t.kh = kSizes[rand_int(0, 3)];
  t.kw = rand_int(0, 3) == 0 ? kSizes[rand_int(0, 3)] : t.kh;
  t.sh = rand_int(1, 2);
  t.sw = rand_int(0, 3) == 0 ? rand_int(1, 3) : t.sh;
  t.dh = rand_int(0, 4) == 0 ? 2 : 1;
  t.dw = rand_int(0, 4) == 0 ? 2 : 1;
  t.pt = rand_int(0, t.kh / 2 * t.dh);
  t.pb = rand_int(0, t.kh / 2 * t.dh);
  t.pl = rand_int(0, t.kw / 2 * t.dw);
  t.pr = rand_int(0, t.kw / 2 * t.dw);
  /* Big enough that at least one output exists. */
  t.h = rand_int(1, 20);
  t.w = rand_int(1, 24);
  while (t.h + t.pt + t.pb < t.dh * (t.kh - 1) + 1)
    ++t.h;
  while (t.w + t.pl + t.pr < t.dw * (t.kw - 1) + 1)
    ++t.w;
  if (rand_int(0, 3) == 0) {
    t.depthwise = 1;
    t.c = t.f = t.g = rand_int(1, 12);
  } else {
    t.g = rand_int(0, 3) == 0 ? rand_int(2, 4) : 1;
    t.c = t.g * rand_int(1, 10);
    t.f = t.g * rand_int(1, 20);
  }
  t.act = (int)rand_int(0, NUM_ACTS - 1);
  t.flags = (int)rand_int(0, 3); /* residual after the act, output affine */
  t.has_bias = (int)rand_int(0, 1);
  t.has_residual = (int)rand_int(0, 1);
  return t;
}

/* The same case with its weights in layout FILTER_PANELS. */
static conv_case filter_panels(conv_case t) {
  t.filter_panels = 1;
  return t;
}

/* --- matmul --------------------------------------------------------------- */

typedef struct {
  int64_t m, n, k;
  int act, flags, has_bias, has_residual;
} matmul_case;

static int64_t run_matmul(const matmul_case *t) {
  const int64_t cols = DSC_MATMUL_PANEL_COLS;
  const int64_t panels = (t->n + cols - 1) / cols;
  float alpha, beta;
  act_params(t->act, &alpha, &beta);
  float *a = random_buffer(t->m * t->k, 1.0f);
  float *b = random_buffer(t->k * t->n,
                           1.0f / sqrtf((float)(t->k > 0 ? t->k : 1)));
  float *bias = t->has_bias ? random_buffer(t->n, 1.0f) : NULL;
  float *residual = t->has_residual ? random_buffer(t->m * t->n, 1.0f) : NULL;
  float *out = output_alloc(t->m * t->n);

  /* packed[(j * K + k) * COLS + c] = b[k][j*COLS + c], zero past N. */
  float *packed = guarded_alloc(panels * t->k * cols);
  for (int64_t j = 0; j < panels; ++j)
    for (int64_t k = 0; k < t->k; ++k)
      for (int64_t c = 0; c < cols; ++c)
        packed[(j * t->k + k) * cols + c] =
            j * cols + c < t->n ? b[k * t->n + j * cols + c] : 0.0f;

  int64_t geometry[DSC_MATMUL_GEOMETRY_SIZE] = {0};
  geometry[DSC_MATMUL_M] = t->m;
  geometry[DSC_MATMUL_N] = t->n;
  geometry[DSC_MATMUL_K] = t->k;
  geometry[DSC_MATMUL_ACT] = t->act;
  geometry[DSC_MATMUL_FLAGS] = t->flags;
  geometry[DSC_MATMUL_OUT_SCALE] = float_bits(TEST_OUT_SCALE);
  geometry[DSC_MATMUL_OUT_SHIFT] = float_bits(TEST_OUT_SHIFT);
  dsc_matmul_f32(geometry, a, packed, bias, residual, out, alpha, beta);

  double *ref = malloc((size_t)(t->m * t->n) * sizeof(double));
  for (int64_t i = 0; i < t->m; ++i)
    for (int64_t j = 0; j < t->n; ++j) {
      double acc = 0;
      for (int64_t k = 0; k < t->k; ++k)
        acc += (double)a[i * t->k + k] * (double)b[k * t->n + j];
      ref[i * t->n + j] =
          ref_epilogue(acc, bias ? bias[j] : 0.0, residual, i * t->n + j,
                       t->act, t->flags, alpha, beta);
    }

  char what[256];
  snprintf(what, sizeof what,
           "matmul M=%lld N=%lld K=%lld act=%s flags=%d bias=%d residual=%d",
           (long long)t->m, (long long)t->n, (long long)t->k,
           kActNames[t->act], t->flags, t->has_bias, t->has_residual);
  const int64_t bad = compare(what, out, ref, t->m * t->n);
  free(ref);
  free_all();
  return bad;
}

/* --- the cases ------------------------------------------------------------ */

/* A layout kernels.h does not define: dsc_conv2d_f32 must abort. */
static int bad_layout(void) {
  static const float x[1] = {1.0f}, w[DSC_CONV_FILTER_PANEL_COLS] = {1.0f};
  float y[1] = {0.0f};
  int64_t geometry[DSC_CONV_GEOMETRY_SIZE] = {0};
  geometry[DSC_CONV_N] = geometry[DSC_CONV_C] = geometry[DSC_CONV_F] = 1;
  geometry[DSC_CONV_H] = geometry[DSC_CONV_W] = 1;
  geometry[DSC_CONV_OH] = geometry[DSC_CONV_OW] = 1;
  geometry[DSC_CONV_KH] = geometry[DSC_CONV_KW] = 1;
  geometry[DSC_CONV_SH] = geometry[DSC_CONV_SW] = 1;
  geometry[DSC_CONV_DH] = geometry[DSC_CONV_DW] = 1;
  geometry[DSC_CONV_GROUP] = 1;
  geometry[DSC_CONV_LAYOUT] = 3;
  dsc_conv2d_f32(geometry, x, w, NULL, NULL, y, 0.0f, 0.0f);
  printf("dsc-kernels-test: layout 3 was accepted (y = %g)\n", (double)y[0]);
  return 1;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--bad-layout") == 0)
    return bad_layout();
  if (argc > 1)
    g_rng = strtoull(argv[1], NULL, 0) | 1;
  if (getenv("DSC_KERNEL_THREADS"))
    dsc_kernels_set_threads(atoi(getenv("DSC_KERNEL_THREADS")));
  int conv_cases = 0, matmul_cases = 0, failures = 0;
#define CHECK_CONV(t)                                                          \
  do {                                                                         \
    conv_case t_ = (t);                                                        \
    ++conv_cases;                                                              \
    failures += run_conv(&t_) != 0;                                            \
  } while (0)

  /* 1x1, stride 1, unpadded (Col = the input), full and ragged tiles, K
     across blocks (C=300). */
  CHECK_CONV(conv_basic(16, 8, 8, 24, 1));
  CHECK_CONV(conv_basic(300, 7, 7, 40, 1));
  CHECK_CONV(conv_basic(5, 17, 13, 7, 1));
  CHECK_CONV(conv_basic(3, 1, 1, 11, 1));
  /* KxK, strides, padding, dilation. */
  CHECK_CONV(conv_padded(8, 17, 13, 13, 3, 1, 1));
  CHECK_CONV(conv_padded(3, 33, 33, 32, 3, 2, 1));
  CHECK_CONV(conv_padded(6, 11, 9, 7, 5, 1, 2));
  CHECK_CONV(conv_padded(3, 23, 19, 10, 7, 2, 3));
  CHECK_CONV(conv_padded(300, 6, 5, 7, 3, 1, 1)); /* K = 2700 */
  CHECK_CONV(conv_padded(4, 3, 7, 9, 3, 1, 1));
  CHECK_CONV(conv_padded(4, 1, 1, 5, 3, 1, 1));
  {
    conv_case t = conv_padded(5, 12, 10, 6, 3, 1, 2);
    t.dh = t.dw = 2;
    CHECK_CONV(t);
    t = conv_padded(5, 12, 10, 6, 3, 2, 0); /* asymmetric padding */
    t.pl = 2;
    t.pb = 1;
    CHECK_CONV(t);
    t = conv_padded(3, 9, 8, 8, 3, 2, 1); /* batch 2 */
    t.n = 2;
    t.has_residual = 1;
    CHECK_CONV(t);
    t = conv_basic(3, 1, 1, 4, 1); /* 1x1 on a 1x1 image, batch 2 */
    t.n = 2;
    CHECK_CONV(t);
    /* Groups through the panel path: Cg > 1 and Fg > 1, Fg not a multiple
       of 6, Cg = 1. */
    t = conv_padded(8, 9, 11, 12, 3, 1, 1);
    t.g = 2;
    CHECK_CONV(t);
    t = conv_padded(8, 9, 11, 20, 3, 2, 1);
    t.g = 4;
    CHECK_CONV(t);
    t = conv_padded(4, 7, 7, 8, 3, 1, 1);
    t.g = 4;
    t.n = 2;
    CHECK_CONV(t);
  }
  /* Every filter count 1..40 (panel remainders). */
  for (int64_t f = 1; f <= 40; ++f)
    CHECK_CONV(conv_padded(3, 5, 6, f, 3, 1, 1));
  /* Depthwise: strides 1, 2, 3, 5x5, dilation, tiny and odd sizes. */
  CHECK_CONV(conv_depthwise(5, 17, 13, 3, 1, 1));
  CHECK_CONV(conv_depthwise(5, 17, 13, 3, 2, 1));
  CHECK_CONV(conv_depthwise(4, 56, 56, 3, 2, 1));
  CHECK_CONV(conv_depthwise(3, 40, 37, 3, 1, 1));
  CHECK_CONV(conv_depthwise(3, 40, 37, 5, 2, 2));
  CHECK_CONV(conv_depthwise(3, 21, 33, 5, 1, 2));
  CHECK_CONV(conv_depthwise(2, 3, 7, 7, 1, 3));
  CHECK_CONV(conv_depthwise(2, 1, 1, 3, 1, 1));
  CHECK_CONV(conv_depthwise(3, 19, 29, 3, 3, 1));
  /* Small planes with many channels: the channel-vectorised path (whole
     blocks of V channels, the rest by rows), with every epilogue. */
  CHECK_CONV(conv_depthwise(40, 8, 8, 3, 1, 1));
  CHECK_CONV(conv_depthwise(37, 9, 7, 3, 2, 1));
  CHECK_CONV(conv_depthwise(48, 4, 4, 5, 1, 2));
  CHECK_CONV(conv_depthwise(33, 2, 2, 3, 1, 1));
  CHECK_CONV(conv_depthwise(64, 1, 1, 3, 1, 1));
  /* Narrow planes too large for one buffer: the channel-vectorised path
     in bands of output rows (mobilenet_v2's 32x32 stride-2 layer, a tall
     narrow plane with many bands, a 5x5 stride 2). */
  CHECK_CONV(conv_depthwise(40, 32, 32, 3, 2, 1));
  CHECK_CONV(conv_depthwise(35, 60, 20, 3, 1, 1));
  CHECK_CONV(conv_depthwise(17, 40, 30, 5, 2, 2));
  for (int act = 0; act < NUM_ACTS; ++act) {
    conv_case t = conv_depthwise(24, 6, 5, 3, 1, 1);
    t.act = act;
    t.has_bias = 1;
    t.has_residual = act % 2;
    t.flags = (act % 3 == 0 ? DSC_EPILOGUE_RESIDUAL_AFTER_ACT : 0) |
              (act % 2 == 0 ? DSC_EPILOGUE_OUTPUT_AFFINE : 0);
    CHECK_CONV(t);
  }
  {
    conv_case t = conv_depthwise(4, 16, 35, 3, 1, 2);
    t.dh = t.dw = 2;
    t.n = 2;
    CHECK_CONV(t);
    t = conv_depthwise(4, 15, 34, 3, 2, 0);
    t.pr = 1;
    t.pb = 1;
    CHECK_CONV(t);
  }
  /* Every activation, residual before and after it, bias or not, on both
     conv layouts. */
  for (int act = 0; act < NUM_ACTS; ++act)
    for (int variant = 0; variant < 4; ++variant) {
      conv_case t = conv_padded(7, 9, 10, 9, 3, 1, 1);
      t.act = act;
      t.has_residual = 1;
      t.flags = variant & 1 ? DSC_EPILOGUE_RESIDUAL_AFTER_ACT : 0;
      t.has_bias = variant >> 1;
      CHECK_CONV(t);
      t = conv_depthwise(3, 9, 21, 3, 1, 1);
      t.act = act;
      t.has_residual = variant != 0;
      t.flags = variant & 1 ? DSC_EPILOGUE_RESIDUAL_AFTER_ACT : 0;
      t.has_bias = variant >> 1;
      CHECK_CONV(t);
    }
  /* Random geometries. */
  for (int i = 0; i < 300; ++i)
    CHECK_CONV(conv_random());

  /* Layout FILTER_PANELS (small output planes). 1x1 spatial, the squeeze-
     excitation convs (the input is read in place, a GEMV): C up to 600, F
     up to 150 and not multiples of 16, batch 2, groups. */
  {
    static const int64_t kSeC[] = {1, 7, 20, 96, 480, 600};
    static const int64_t kSeF[] = {1, 15, 16, 17, 20, 40, 150};
    for (int ci = 0; ci < 6; ++ci)
      for (int fi = 0; fi < 7; ++fi)
        CHECK_CONV(filter_panels(conv_basic(kSeC[ci], 1, 1, kSeF[fi], 1)));
    conv_case t = filter_panels(conv_basic(480, 1, 1, 20, 1));
    t.n = 2;
    CHECK_CONV(t);
    t = filter_panels(conv_basic(20, 1, 1, 480, 1));
    t.n = 2;
    t.has_residual = 1;
    CHECK_CONV(t);
    t = filter_panels(conv_basic(96, 1, 1, 40, 1));
    t.g = 4;
    t.n = 2;
    CHECK_CONV(t);
    /* One output pixel that is not a GEMV: a kernel covering the input
       (GEMV), a padded 3x3 on 1x1, a 3x3 stride 2 on 2x2. */
    CHECK_CONV(filter_panels(conv_padded(40, 7, 7, 17, 7, 1, 0)));
    CHECK_CONV(filter_panels(conv_padded(40, 1, 1, 17, 3, 1, 1)));
    CHECK_CONV(filter_panels(conv_padded(30, 2, 2, 33, 3, 2, 1)));
  }
  /* 2x2, 4x4, 7x7 outputs of 3x3 pad 1 convs, stride 1 and 2; K across
     blocks (C = 20, 64: K = 180, 576); F = 1, 15, 17, 40. */
  {
    static const int64_t kOut[] = {2, 4, 7};
    static const int64_t kF[] = {1, 15, 17, 40};
    for (int oi = 0; oi < 3; ++oi)
      for (int stride = 1; stride <= 2; ++stride)
        for (int fi = 0; fi < 4; ++fi) {
          const int64_t in = kOut[oi] * stride;
          CHECK_CONV(
              filter_panels(conv_padded(fi & 1 ? 64 : 20, in, in, kF[fi], 3,
                                        stride, 1)));
        }
    /* Groups (Fg = 10, 17, 16), batch 2, dilation, asymmetric shapes. */
    conv_case t = filter_panels(conv_padded(16, 4, 4, 20, 3, 1, 1));
    t.g = 2;
    CHECK_CONV(t);
    t = filter_panels(conv_padded(24, 8, 8, 68, 3, 2, 1));
    t.g = 4;
    t.n = 2;
    CHECK_CONV(t);
    t = filter_panels(conv_padded(12, 7, 7, 48, 3, 1, 1));
    t.g = 3;
    t.n = 2;
    t.has_residual = 1;
    CHECK_CONV(t);
    t = filter_panels(conv_padded(9, 6, 5, 19, 3, 1, 2));
    t.dh = t.dw = 2;
    CHECK_CONV(t);
    t = filter_panels(conv_padded(5, 5, 9, 23, 3, 2, 1));
    t.pb = 0;
    t.pl = 2;
    CHECK_CONV(t);
    /* The largest planes that fit one tile and the smallest that do not
       (scattered accumulation): 8x8, 9x9, 12x12 and 5x13. */
    CHECK_CONV(filter_panels(conv_padded(33, 8, 8, 40, 3, 1, 1)));
    CHECK_CONV(filter_panels(conv_padded(33, 9, 9, 40, 3, 1, 1)));
    CHECK_CONV(filter_panels(conv_padded(70, 12, 12, 17, 3, 1, 1)));
    CHECK_CONV(filter_panels(conv_basic(150, 5, 13, 31, 1)));
  }
  /* Every activation, residual before and after it, bias or not. */
  for (int act = 0; act < NUM_ACTS; ++act)
    for (int variant = 0; variant < 4; ++variant) {
      conv_case t = filter_panels(conv_padded(24, 4, 4, 40, 3, 1, 1));
      t.act = act;
      t.has_residual = 1;
      t.flags = variant & 1 ? DSC_EPILOGUE_RESIDUAL_AFTER_ACT : 0;
      t.has_bias = variant >> 1;
      CHECK_CONV(t);
      t = filter_panels(conv_basic(200, 1, 1, 17, 1));
      t.act = act;
      t.has_residual = variant != 0;
      t.flags = variant & 1 ? DSC_EPILOGUE_RESIDUAL_AFTER_ACT : 0;
      t.has_bias = variant >> 1;
      CHECK_CONV(t);
    }
  /* Random geometries in the filter-panel layout (any plane size). */
  for (int i = 0; i < 150; ++i) {
    conv_case t = conv_random();
    if (!t.depthwise)
      t.filter_panels = 1;
    CHECK_CONV(t);
  }

  /* Matmuls: every shape of the grid, each with a random epilogue. */
  static const int64_t kM[] = {1, 2, 5, 64};
  static const int64_t kN[] = {1, 15, 16, 17, 100};
  static const int64_t kK[] = {1, 7, 300, 1000};
  for (int mi = 0; mi < 4; ++mi)
    for (int ni = 0; ni < 5; ++ni)
      for (int ki = 0; ki < 4; ++ki) {
        matmul_case t = {kM[mi], kN[ni], kK[ki], (int)rand_int(0, NUM_ACTS - 1),
                         (int)rand_int(0, 3), (int)rand_int(0, 1),
                         (int)rand_int(0, 1)};
        ++matmul_cases;
        failures += run_matmul(&t) != 0;
      }
  /* Every activation and epilogue variant; more rows than a microkernel;
     K = 0 (empty sums). */
  for (int act = 0; act < NUM_ACTS; ++act)
    for (int variant = 0; variant < 8; ++variant) {
      matmul_case t = {13, 37, 29, act, (variant & 1) | (variant & 4 ? DSC_EPILOGUE_OUTPUT_AFFINE : 0),
                       (variant >> 1) & 1, 1};
      ++matmul_cases;
      failures += run_matmul(&t) != 0;
    }
  {
    matmul_case t = {3, 5, 0, DSC_ACT_SIGMOID, 0, 1, 1};
    ++matmul_cases;
    failures += run_matmul(&t) != 0;
  }

  /* Calls big enough for the thread pool to split (DSC_KERNEL_THREADS > 1):
     images, filter panels (both layouts), groups, depthwise channels, rows,
     a GEMV's column panels. */
  {
    conv_case t = conv_padded(64, 20, 20, 70, 3, 1, 1);
    CHECK_CONV(t);
    t.has_residual = 1, t.act = DSC_ACT_RELU;
    CHECK_CONV(t);
    t = conv_padded(32, 12, 12, 48, 3, 1, 1);
    t.n = 3;
    CHECK_CONV(t);
    t = conv_padded(64, 9, 9, 96, 3, 1, 1);
    t.g = 4;
    CHECK_CONV(t);
    CHECK_CONV(filter_panels(conv_padded(128, 6, 6, 150, 3, 1, 1)));
    CHECK_CONV(conv_depthwise(288, 30, 30, 3, 1, 1));
    CHECK_CONV(conv_depthwise(200, 12, 12, 5, 1, 2));
    matmul_case m = {70, 300, 200, DSC_ACT_NONE, 0, 1, 1};
    ++matmul_cases;
    failures += run_matmul(&m) != 0;
    m = (matmul_case){1, 1000, 512, DSC_ACT_RELU, 0, 1, 1};
    ++matmul_cases;
    failures += run_matmul(&m) != 0;
  }

  printf("dsc-kernels-test: isa %s: %d conv and %d matmul cases, %d failed\n",
         dsc_kernels_isa(), conv_cases, matmul_cases, failures);
  return failures ? 1 : 0;
}
