/*===- kernels_neon.c - The kernels compiled for AArch64 NEON ===*
 *
 * The ISA comes from the compiler flags CMakeLists.txt gives this file
 * (none); the code is the shared vector code.
 *===----------------------------------------------------------------------===*/

#include "kernels_internal.h"

#define DSC_V 4         /* floats per vector */
#define DSC_MM_MR 6     /* matmul microkernel: rows of A */
#define DSC_MM_PANELS 1 /* matmul microkernel: 16-column panels of B */
#define DSC_MM_KC 256
#define DSC_CONV_NV 4   /* conv microkernel: 6 x (4 x 4) pixels */
#define DSC_CONV_KC 64

#include "conv2d.h"
#include "matmul.h"

const dsc_kernel_table dsc_kernel_table_neon = {
    "neon", "neon", conv2d_panels, conv2d_depthwise,
    conv2d_filter_panels, matmul_f32};
