/*===- tensor_io_fuzz.c - libFuzzer target for the .npy and .pb readers ---===*
 *
 * Built when CMake is configured with -DDSC_RUNTIME_FUZZ=ON (clang only):
 *
 *   cmake -B build -DDSC_RUNTIME_FUZZ=ON
 *   cmake --build build --target dsc-tensor-io-fuzz
 *   build/bin/dsc-tensor-io-fuzz -max_total_time=60 CORPUS_DIR
 *
 * The first byte picks the reader (even: .npy, odd: .pb); the rest is the
 * file. Both parsers run under ASan/UBSan; a successful parse must describe
 * no more data than the input holds.
 *===----------------------------------------------------------------------===*/

#include "dsc/tensor_io.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  dsc_tensor t;
  char err[128];
  const uint8_t *file = data + 1;
  size_t n = size - 1;
  int rc;
  if (data[0] % 2 == 0) {
    rc = dsc_npy_parse(file, n, &t, NULL, 0, err, sizeof(err));
    if (rc == 0 && t.num_bytes > n)
      abort();
  } else {
    rc = dsc_pb_parse(file, n, &t, NULL, 0, err, sizeof(err));
    if (rc == 0 && t.num_bytes > 8 * n)
      abort();
  }
  if (rc == 0) {
    /* Touch every byte so ASan sees a short buffer. */
    volatile uint8_t sum = 0;
    for (size_t i = 0; i < t.num_bytes; ++i)
      sum += ((const uint8_t *)t.data)[i];
    (void)sum;
    dsc_tensor_free(&t);
  }
  return 0;
}
