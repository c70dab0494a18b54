/*===- qkernels_test.c - The quantized kernels against a plain reference ---===*
 *
 *   dsc-qkernels-test [SEED]
 *
 * Runs dsc_qconv2d_u8s8 and dsc_qmatmul_u8s8_i32 (dsc/kernels.h) on fixed
 * and seeded random
 * geometries (groups, strides, dilation, asymmetric padding, every filter
 * count 1..40, reductions not a multiple of 4 and up to
 * DSC_QCONV_MAX_REDUCTION) with random uint8 inputs, int8 weights, int32
 * biases, zero points and multipliers, and compares each output byte with
 * a reference computed plainly:
 *   acc = b[f] + sum (x - x_zp) * w          (int64, exact)
 *   y = clamp(nearbyint((float)acc * multiplier[f]) + y_zp, 0, 255)
 * The kernel must match exactly. DSC_QKERNELS_ISA picks the ISA variant.
 * Prints one summary line; exits 1 on any mismatch.
 *===----------------------------------------------------------------------===*/

#include "dsc/kernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t g_rng = 0x2545f4914f6cdd1dull;

static uint32_t rand_u32(void) { /* xorshift64* */
  g_rng ^= g_rng >> 12;
  g_rng ^= g_rng << 25;
  g_rng ^= g_rng >> 27;
  return (uint32_t)((g_rng * 0x2545f4914f6cdd1dull) >> 32);
}

static int64_t rand_int(int64_t lo, int64_t hi) {
  return lo + (int64_t)(rand_u32() % (uint64_t)(hi - lo + 1));
}

typedef struct {
  int64_t n, c, h, w, f, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, g;
} qconv_case;

/* Run() packs for the CHANNELS4 layout (dsc/kernels.h) when set. */
static int g_channels4;

static int64_t conv_out(int64_t in, int64_t k, int64_t s, int64_t d, int64_t lo, int64_t hi) {
  return (in + lo + hi - d * (k - 1) - 1) / s + 1;
}

/* Returns the number of mismatching bytes. */
static int64_t run(const qconv_case *t) {
  const int64_t oh = conv_out(t->h, t->kh, t->sh, t->dh, t->pt, t->pb);
  const int64_t ow = conv_out(t->w, t->kw, t->sw, t->dw, t->pl, t->pr);
  const int64_t cg = t->c / t->g, fg = t->f / t->g, k = cg * t->kh * t->kw;
  /* The CHANNELS4 layout pads each tap's channels to 4k. */
  const int64_t cgp = g_channels4 ? (cg + 3) / 4 * 4 : cg;
  const int64_t q = (fg + 15) / 16, k4 = (cgp * t->kh * t->kw + 3) / 4;
  const int64_t in_n = t->n * t->c * t->h * t->w, out_n = t->n * t->f * oh * ow;
  uint8_t *x = malloc(in_n);
  int8_t *w = malloc(t->f * k);
  int8_t *packed = calloc(t->g * q * k4 * 64 + t->f * k, 1);
  int32_t *b = malloc(t->f * 4), *bias = calloc(t->f + 16, 4), *sums = calloc(t->f + 16, 4);
  float *mult = calloc(t->f + 16, 4);
  uint8_t *y = malloc(out_n + 64);
  const int32_t xzp = (int32_t)rand_int(0, 255), yzp = (int32_t)rand_int(0, 255);
  for (int64_t i = 0; i < in_n; ++i)
    x[i] = (uint8_t)rand_int(0, 255);
  for (int64_t i = 0; i < t->f * k; ++i)
    w[i] = (int8_t)rand_int(-127, 127);
  for (int64_t f = 0; f < t->f; ++f) {
    b[f] = (int32_t)rand_int(-100000, 100000);
    /* Scales that put the outputs across the whole uint8 range. */
    mult[f] = (float)(rand_int(1, 1000) * 1e-6 * 64.0 / sqrt((double)k));
    int64_t g = f / fg, j = f % fg, sum = 0;
    /* r = (kh*KW + kw)*Cg + c: channels last. */
    for (int64_t r = 0; r < k; ++r) {
      int64_t c = r % cg, tap = r / cg, rp = tap * cgp + c;
      int8_t v = w[f * k + c * t->kh * t->kw + tap];
      sum += v;
      packed[((g * q + j / 16) * k4 + rp / 4) * 64 + 4 * (j % 16) + rp % 4] = v;
    }
    bias[f] = (int32_t)(b[f] - xzp * sum);
    sums[f] = (int32_t)sum;
  }
  memset(y, 0xA5, out_n + 64);
  const int depthwise = cg == 1 && fg == 1;
  if (depthwise)
    memcpy(packed, w, t->f * k);
  int64_t geometry[DSC_CONV_GEOMETRY_SIZE] = {0};
  if (depthwise)
    geometry[DSC_CONV_LAYOUT] = DSC_CONV_LAYOUT_DEPTHWISE;
  else if (g_channels4)
    geometry[DSC_CONV_LAYOUT] = DSC_CONV_LAYOUT_QUANTIZED_CHANNELS4;
  geometry[DSC_CONV_N] = t->n, geometry[DSC_CONV_C] = t->c;
  geometry[DSC_CONV_H] = t->h, geometry[DSC_CONV_W] = t->w;
  geometry[DSC_CONV_F] = t->f, geometry[DSC_CONV_OH] = oh, geometry[DSC_CONV_OW] = ow;
  geometry[DSC_CONV_KH] = t->kh, geometry[DSC_CONV_KW] = t->kw;
  geometry[DSC_CONV_SH] = t->sh, geometry[DSC_CONV_SW] = t->sw;
  geometry[DSC_CONV_DH] = t->dh, geometry[DSC_CONV_DW] = t->dw;
  geometry[DSC_CONV_PT] = t->pt, geometry[DSC_CONV_PL] = t->pl;
  geometry[DSC_CONV_GROUP] = t->g;
  uint8_t *workspace = malloc(DSC_QCONV_WORKSPACE_BYTES(t->c, t->h, t->w));
  dsc_qconv2d_u8s8(geometry, x, packed, bias, sums, mult, y, workspace, xzp, yzp);
  free(workspace);

  int64_t bad = 0;
  for (int64_t n = 0; n < t->n; ++n)
    for (int64_t f = 0; f < t->f; ++f)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          int64_t g = f / fg, acc = b[f];
          for (int64_t c = 0; c < cg; ++c)
            for (int64_t kh = 0; kh < t->kh; ++kh)
              for (int64_t kw = 0; kw < t->kw; ++kw) {
                int64_t ih = i * t->sh + kh * t->dh - t->pt, iw = j * t->sw + kw * t->dw - t->pl;
                int64_t v = (ih >= 0 && ih < t->h && iw >= 0 && iw < t->w)
                                ? x[((n * t->c + g * cg + c) * t->h + ih) * t->w + iw]
                                : xzp;
                acc += (v - xzp) * w[((f * cg + c) * t->kh + kh) * t->kw + kw];
              }
          float r = nearbyintf((float)(int32_t)acc * mult[f]);
          float v = r + (float)yzp;
          int64_t expected = v < 0 ? 0 : (v > 255 ? 255 : (int64_t)v);
          uint8_t got = y[((n * t->f + f) * oh + i) * ow + j];
          if (got != expected && bad++ < 3)
            printf("MISMATCH conv N=%lld C=%lld H=%lld W=%lld F=%lld K=%lldx%lld S=%lld,%lld "
                   "D=%lld,%lld pads=%lld,%lld,%lld,%lld G=%lld at n=%lld f=%lld (%lld,%lld): "
                   "got %d, expected %lld\n",
                   (long long)t->n, (long long)t->c, (long long)t->h, (long long)t->w,
                   (long long)t->f, (long long)t->kh, (long long)t->kw, (long long)t->sh,
                   (long long)t->sw, (long long)t->dh, (long long)t->dw, (long long)t->pt,
                   (long long)t->pl, (long long)t->pb, (long long)t->pr, (long long)t->g,
                   (long long)n, (long long)f, (long long)i, (long long)j, got,
                   (long long)expected);
        }
  for (int64_t i = out_n; i < out_n + 64; ++i)
    if (y[i] != 0xA5 && bad++ < 3)
      printf("MISMATCH: wrote past the output\n");
  free(x), free(w), free(packed), free(b), free(bias), free(sums), free(mult), free(y);
  return bad;
}

/* dsc_qmatmul_u8s8_i32 against sum_k (a - zp) * b, exactly. */
static int64_t run_matmul(int64_t m, int64_t n, int64_t k) {
  const int64_t q = (n + 15) / 16, k4 = (k + 3) / 4;
  uint8_t *a = malloc(m * k);
  int8_t *b = malloc(k * n), *packed = calloc(q * k4 * 64, 1);
  int32_t *sums = calloc(n, 4), *y = malloc((m * n + 16) * 4);
  uint8_t zp = (uint8_t)rand_int(0, 255);
  for (int64_t i = 0; i < m * k; ++i)
    a[i] = (uint8_t)rand_int(0, 255);
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c) {
      int8_t v = (int8_t)rand_int(-128, 127);
      b[r * n + c] = v;
      sums[c] += v;
      packed[((c / 16) * k4 + r / 4) * 64 + 4 * (c % 16) + r % 4] = v;
    }
  for (int64_t i = 0; i < m * n + 16; ++i)
    y[i] = 0x5a5a5a5a;
  int64_t geometry[DSC_MATMUL_GEOMETRY_SIZE] = {m, n, k, 0, 0};
  dsc_qmatmul_u8s8_i32(geometry, a, packed, sums, &zp, y);
  int64_t bad = 0;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t c = 0; c < n; ++c) {
      int64_t expected = 0;
      for (int64_t r = 0; r < k; ++r)
        expected += ((int64_t)a[i * k + r] - zp) * b[r * n + c];
      if (y[i * n + c] != expected && bad++ < 3)
        printf("MISMATCH matmul M=%lld N=%lld K=%lld at (%lld,%lld): got %d, expected %lld\n",
               (long long)m, (long long)n, (long long)k, (long long)i, (long long)c,
               y[i * n + c], (long long)expected);
    }
  for (int64_t i = m * n; i < m * n + 16; ++i)
    if (y[i] != 0x5a5a5a5a && bad++ < 3)
      printf("MISMATCH matmul: wrote past the output\n");
  free(a), free(b), free(packed), free(sums), free(y);
  return bad;
}

/* dsc_matmul_wq_f32 against sum_k a * q * scale (+ bias) in double;
   scales v / 1024 with 512 <= v < 1024 (exact in fp16); tolerance 1e-4 of
   the sum of |terms| (float accumulation order). */
static int64_t run_wq(int64_t m, int64_t n, int64_t k, int64_t block, int bits, int with_bias) {
  const int64_t panels = (n + 15) / 16, blocks = k / block;
  const int64_t block_bytes = 32 + block * 16 * bits / 8;
  float *a = malloc(m * k * 4), *bias = malloc(n * 4), *y = malloc((m * n + 16) * 4);
  int8_t *q = malloc(k * n);
  double *scale = malloc(blocks * n * sizeof(double));
  uint8_t *packed = calloc(panels * blocks * block_bytes, 1);
  const int qmax = bits == 4 ? 7 : 127;
  for (int64_t i = 0; i < m * k; ++i)
    a[i] = (float)rand_int(-1000, 1000) / 500.0f;
  for (int64_t i = 0; i < n; ++i)
    bias[i] = (float)rand_int(-100, 100) / 50.0f;
  for (int64_t i = 0; i < k * n; ++i)
    q[i] = (int8_t)rand_int(bits == 4 ? -8 : -qmax, qmax);
  for (int64_t kb = 0; kb < blocks; ++kb)
    for (int64_t c = 0; c < n; ++c) {
      int64_t v = rand_int(512, 1023);
      scale[kb * n + c] = v / 1024.0;
      /* binary16: exponent 14 (2^-1), mantissa (v - 512) * 2 of 1024. */
      uint16_t h = (uint16_t)((14 << 10) | ((v - 512) << 1));
      uint8_t *blk = packed + ((c / 16) * blocks + kb) * block_bytes;
      memcpy(blk + 2 * (c % 16), &h, 2);
      for (int64_t r = 0; r < block; ++r) {
        int8_t w = q[(kb * block + r) * n + c];
        if (bits == 8)
          blk[32 + r * 16 + c % 16] = (uint8_t)w;
        else
          blk[32 + r * 8 + (c % 16) / 2] |= (uint8_t)((w & 0xf) << ((c % 2) ? 4 : 0));
      }
    }
  for (int64_t i = 0; i < m * n + 16; ++i)
    y[i] = 12345.0f;
  int64_t geometry[DSC_WQ_GEOMETRY_SIZE] = {m, n, k, block, bits};
  dsc_matmul_wq_f32(geometry, a, packed, with_bias ? bias : NULL, y);
  int64_t bad = 0;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t c = 0; c < n; ++c) {
      double sum = with_bias ? bias[c] : 0.0, magnitude = fabs(sum);
      for (int64_t r = 0; r < k; ++r) {
        double term = (double)a[i * k + r] * q[r * n + c] * scale[(r / block) * n + c];
        sum += term;
        magnitude += fabs(term);
      }
      if (fabs(y[i * n + c] - sum) > 1e-4 * magnitude + 1e-6 && bad++ < 3)
        printf("MISMATCH wq M=%lld N=%lld K=%lld block=%lld bits=%d at (%lld,%lld): got %g, "
               "expected %g\n",
               (long long)m, (long long)n, (long long)k, (long long)block, bits, (long long)i,
               (long long)c, y[i * n + c], sum);
    }
  for (int64_t i = m * n; i < m * n + 16; ++i)
    if (y[i] != 12345.0f && bad++ < 3)
      printf("MISMATCH wq: wrote past the output\n");
  free(a), free(bias), free(y), free(q), free(scale), free(packed);
  return bad;
}

static qconv_case make(int64_t c, int64_t h, int64_t w, int64_t f, int64_t k, int64_t s,
                       int64_t pad) {
  qconv_case t = {1, c, h, w, f, k, k, s, s, 1, 1, pad, pad, pad, pad, 1};
  return t;
}

/* dsc_lookup_u8 over n bytes (the first 256 are every byte value in
   order, the rest random) with a random table; returns the mismatches. */
static int64_t run_lookup(int64_t n) {
  uint8_t table[256], *x = malloc(n + 1), *y = malloc(n + 65);
  for (int i = 0; i < 256; ++i)
    table[i] = (uint8_t)rand_int(0, 255);
  for (int64_t i = 0; i < n; ++i)
    x[i] = (uint8_t)(i < 256 ? i : rand_int(0, 255));
  memset(y, 0xA5, n + 65);
  const int64_t geometry[DSC_LOOKUP_GEOMETRY_SIZE] = {n};
  dsc_lookup_u8(geometry, x, table, y);
  int64_t bad = 0;
  for (int64_t i = 0; i < n; ++i)
    if (y[i] != table[x[i]] && bad++ < 3)
      printf("MISMATCH lookup n=%lld at %lld: got %d, expected %d\n", (long long)n,
             (long long)i, y[i], table[x[i]]);
  for (int64_t i = n; i < n + 65; ++i)
    if (y[i] != 0xA5 && bad++ < 3)
      printf("MISMATCH lookup n=%lld: wrote byte %lld past the end\n", (long long)n,
             (long long)i);
  free(x);
  free(y);
  return bad;
}

int main(int argc, char **argv) {
  if (argc > 1)
    g_rng = strtoull(argv[1], NULL, 0) | 1;
  int cases = 0, failures = 0, channels4_cases = 0;
/* A case with one group over channels that are not 4k, and paddings the
   CHANNELS4 layout takes, runs in that layout too. */
#define CHECK(t)                                                               \
  do {                                                                         \
    qconv_case t_ = (t);                                                       \
    ++cases;                                                                   \
    failures += run(&t_) != 0;                                                 \
    if (t_.g == 1 && t_.c % 4 != 0 && t_.pt <= DSC_QCONV_CHANNELS4_MAX_PAD &&  \
        t_.pl <= DSC_QCONV_CHANNELS4_MAX_PAD &&                                \
        t_.pb <= DSC_QCONV_CHANNELS4_MAX_PAD &&                                \
        t_.pr <= DSC_QCONV_CHANNELS4_MAX_PAD &&                                \
        t_.sh <= DSC_QCONV_CHANNELS4_MAX_STRIDE &&                             \
        t_.sw <= DSC_QCONV_CHANNELS4_MAX_STRIDE &&                             \
        (t_.c + 3) / 4 * 4 * t_.kh * t_.kw <= DSC_QCONV_MAX_REDUCTION) {      \
      g_channels4 = 1;                                                         \
      ++cases, ++channels4_cases;                                              \
      failures += run(&t_) != 0;                                               \
      g_channels4 = 0;                                                         \
    }                                                                          \
  } while (0)
  CHECK(make(16, 8, 8, 32, 1, 1, 0)); /* 1x1: read in place */
  CHECK(make(64, 7, 9, 40, 1, 1, 0));
  CHECK(make(6, 5, 5, 20, 1, 1, 0)); /* 1x1 over 6 channels: packed */
  CHECK(make(3, 17, 13, 24, 3, 1, 1));
  CHECK(make(3, 33, 33, 40, 3, 2, 1));
  CHECK(make(64, 14, 14, 64, 3, 1, 1));
  CHECK(make(5, 9, 7, 7, 5, 1, 2));
  CHECK(make(910, 3, 3, 20, 3, 1, 1)); /* K = 8190 */
  CHECK(make(2048, 2, 2, 17, 2, 1, 0)); /* K = 8192, the maximum */
  CHECK(make(7, 1, 1, 3, 1, 1, 0));
  /* Channels-last copies in 16 x 16 blocks, with channel and pixel tails. */
  CHECK(make(32, 16, 20, 24, 3, 1, 1));
  CHECK(make(19, 7, 9, 16, 1, 1, 0));
  CHECK(make(48, 5, 7, 8, 3, 2, 1));
  {
    qconv_case t = make(5, 12, 10, 6, 3, 1, 2);
    t.dh = t.dw = 2;
    CHECK(t);
    t = make(5, 12, 10, 6, 3, 2, 0);
    t.pl = 2, t.pb = 1;
    CHECK(t);
    t = make(8, 9, 11, 20, 3, 2, 1);
    t.g = 4, t.n = 2;
    CHECK(t);
    t = make(8, 9, 11, 8, 3, 1, 1);
    t.g = 8; /* depthwise */
    CHECK(t);
    t = make(5, 300, 301, 5, 5, 2, 2); /* depthwise, wider than a chunk */
    t.g = 5;
    CHECK(t);
    t = make(3, 20, 17, 3, 3, 1, 2);
    t.g = 3, t.dh = t.dw = 2, t.pb = 0, t.pr = 1;
    CHECK(t);
    t = make(4, 1, 1, 4, 3, 1, 1);
    t.g = 4;
    CHECK(t);
  }
  for (int64_t f = 1; f <= 40; ++f)
    CHECK(make(3, 5, 6, f, 3, 1, 1));
  /* Depthwise, the float-sum path (square stride 1 or 2, no dilation):
     bands of rows, both column phases, padding on any side, planes from
     one pixel to wider than a band, up to the 64 taps the float path
     takes (8x8). */
  for (int i = 0; i < 60; ++i) {
    static const int64_t kSizes[] = {1, 2, 3, 5, 7, 8};
    qconv_case t;
    t.n = rand_int(1, 2);
    t.kh = kSizes[rand_int(0, 5)];
    t.kw = rand_int(0, 3) == 0 ? kSizes[rand_int(0, 5)] : t.kh;
    t.sh = t.sw = rand_int(1, 2);
    t.dh = t.dw = 1;
    t.pt = rand_int(0, t.kh - 1), t.pb = rand_int(0, t.kh - 1);
    t.pl = rand_int(0, t.kw - 1), t.pr = rand_int(0, t.kw - 1);
    t.h = rand_int(1, i % 4 == 0 ? 200 : 30), t.w = rand_int(1, i % 5 == 0 ? 400 : 40);
    while (t.h + t.pt + t.pb < t.kh)
      ++t.h;
    while (t.w + t.pl + t.pr < t.kw)
      ++t.w;
    t.c = t.f = t.g = rand_int(1, 6);
    CHECK(t);
  }
  for (int i = 0; i < 200; ++i) {
    static const int64_t kSizes[] = {1, 3, 5, 7};
    qconv_case t;
    t.n = rand_int(1, 2);
    t.kh = kSizes[rand_int(0, 3)];
    t.kw = rand_int(0, 3) == 0 ? kSizes[rand_int(0, 3)] : t.kh;
    t.sh = rand_int(1, 2), t.sw = rand_int(1, 2);
    t.dh = rand_int(0, 4) == 0 ? 2 : 1, t.dw = rand_int(0, 4) == 0 ? 2 : 1;
    t.pt = rand_int(0, t.kh / 2 * t.dh), t.pb = rand_int(0, t.kh / 2 * t.dh);
    t.pl = rand_int(0, t.kw / 2 * t.dw), t.pr = rand_int(0, t.kw / 2 * t.dw);
    t.h = rand_int(1, 20), t.w = rand_int(1, 24);
    while (t.h + t.pt + t.pb < t.dh * (t.kh - 1) + 1)
      ++t.h;
    while (t.w + t.pl + t.pr < t.dw * (t.kw - 1) + 1)
      ++t.w;
    t.g = rand_int(0, 3) == 0 ? rand_int(2, 4) : 1;
    t.c = t.g * rand_int(1, 12);
    t.f = t.g * rand_int(1, 40);
    CHECK(t);
  }
  int matmul_cases = 0;
  static const int64_t kShapes[][3] = {{1, 1000, 512}, {4, 16, 64}, {7, 33, 30},
                                       {13, 5, 1},     {1, 1, 3},   {2, 40, 8192},
                                       {6, 64, 96},    {25, 17, 129}};
  for (size_t i = 0; i < sizeof kShapes / sizeof kShapes[0]; ++i, ++matmul_cases)
    failures += run_matmul(kShapes[i][0], kShapes[i][1], kShapes[i][2]) != 0;
  for (int i = 0; i < 40; ++i, ++matmul_cases)
    failures += run_matmul(rand_int(1, 20), rand_int(1, 70), rand_int(1, 300)) != 0;
  int wq_cases = 0;
  static const int64_t kWq[][5] = {{1, 64, 128, 32, 4},  {3, 17, 64, 32, 8},
                                   {40, 96, 256, 64, 4}, {33, 5, 128, 128, 8},
                                   {2, 1000, 512, 32, 4}, {1, 16, 32, 32, 8}};
  for (size_t i = 0; i < sizeof kWq / sizeof kWq[0]; ++i, ++wq_cases)
    failures += run_wq(kWq[i][0], kWq[i][1], kWq[i][2], kWq[i][3], (int)kWq[i][4],
                       (int)(i % 2)) != 0;
  for (int i = 0; i < 20; ++i, ++wq_cases) {
    int64_t block = 32 << rand_int(0, 2);
    failures += run_wq(rand_int(1, 70), rand_int(1, 50), block * rand_int(1, 4), block,
                       rand_int(0, 1) ? 4 : 8, (int)rand_int(0, 1)) != 0;
  }
  /* Lookups: lengths around the 16- and 64-byte vectors, every byte value. */
  int lookup_cases = 0;
  static const int64_t kLengths[] = {0, 1, 15, 16, 17, 63, 64, 65, 127, 256, 1000, 4099};
  for (size_t i = 0; i < sizeof kLengths / sizeof kLengths[0]; ++i, ++lookup_cases)
    failures += run_lookup(kLengths[i]) != 0;
  printf("dsc-qkernels-test: isa %s: %d qconv (%d in the CHANNELS4 layout), %d qmatmul, %d "
         "weight-only and %d lookup cases, %d failed\n",
         dsc_qkernels_isa(), cases, channels4_cases, matmul_cases, wq_cases, lookup_cases,
         failures);
  return failures ? 1 : 0;
}
