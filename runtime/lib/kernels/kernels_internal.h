/*===- kernels_internal.h - The per-ISA kernel tables ---------------------===*
 *
 * The kernels are written once (vector.h, epilogue.h, matmul.h, conv2d.h,
 * with GCC/Clang vector extensions) and compiled once per ISA by the small
 * kernels_<isa>.c files, each with its own compiler flags (runtime/
 * CMakeLists.txt). Each variant exports one table; dispatch.c picks one at
 * the first call.
 *===----------------------------------------------------------------------===*/

#ifndef DSC_KERNELS_INTERNAL_H
#define DSC_KERNELS_INTERNAL_H

#include "dsc/kernels.h"

typedef void (*dsc_conv2d_fn)(const int64_t *geometry, const float *input,
                              const float *packed_weight, const float *bias,
                              const float *residual, float *output,
                              float alpha, float beta);
typedef void (*dsc_matmul_fn)(const int64_t *geometry, const float *a,
                              const float *packed_b, const float *bias,
                              const float *residual, float *c, float alpha,
                              float beta);

typedef struct {
  const char *name;        /* "avx512", "avx2", "sse2", "neon", "scalar" */
  const char *cpu_features; /* for dsc_cpu_supports ("" = baseline) */
  dsc_conv2d_fn conv2d_panels;
  dsc_conv2d_fn conv2d_depthwise;
  dsc_conv2d_fn conv2d_filter_panels;
  dsc_matmul_fn matmul;
} dsc_kernel_table;

typedef void (*dsc_qconv2d_fn)(const int64_t *geometry, const uint8_t *input,
                               const int8_t *packed_weight, const int32_t *bias,
                               const int32_t *weight_sums, const float *multiplier,
                               uint8_t *output,
                               uint8_t *workspace, int32_t x_zero_point,
                               int32_t y_zero_point);

/* The quantized kernels: their own variants, since the byte dot-product
   instructions are separate CPU features. */
typedef void (*dsc_qmatmul_fn)(const int64_t *geometry, const uint8_t *a,
                               const int8_t *packed_b, const int32_t *column_sums,
                               const uint8_t *a_zero_point, int32_t *y);

typedef void (*dsc_wqmatmul_fn)(const int64_t *geometry, const float *a,
                                const uint8_t *packed, const float *bias, float *y);

typedef void (*dsc_lookup_fn)(const int64_t *geometry, const uint8_t *input,
                              const uint8_t *table, uint8_t *output);

typedef struct {
  const char *name;
  const char *cpu_features;
  dsc_qconv2d_fn qconv2d;
  dsc_qmatmul_fn qmatmul;
  dsc_wqmatmul_fn wqmatmul;
  dsc_lookup_fn lookup;
} dsc_qkernel_table;

extern const dsc_qkernel_table dsc_qkernel_table_generic;
extern const dsc_qkernel_table dsc_qkernel_table_avxvnni;
extern const dsc_qkernel_table dsc_qkernel_table_avx512vnni;
extern const dsc_qkernel_table dsc_qkernel_table_neondot;

/* The thread pool (parallel.c): runs fn(arg, i, parts) for i < parts,
   spread over the threads dsc_kernels_set_threads allows, and returns when
   all are done. */
typedef void (*dsc_task_fn)(void *arg, int index, int parts);
void dsc_parallel_for(dsc_task_fn fn, void *arg, int parts);

/* Defined by the variants the build has (see CMakeLists.txt). */
extern const dsc_kernel_table dsc_kernel_table_scalar;
extern const dsc_kernel_table dsc_kernel_table_sse2;
extern const dsc_kernel_table dsc_kernel_table_avx2;
extern const dsc_kernel_table dsc_kernel_table_avx512;
extern const dsc_kernel_table dsc_kernel_table_neon;

#endif /* DSC_KERNELS_INTERNAL_H */
