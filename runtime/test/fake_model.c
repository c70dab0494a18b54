/*===- fake_model.c - A hand-written stand-in for a compiled model --------===*
 *
 * dsc-fake-model: what `dsc-translate --emit-executable` will produce for a
 * model y = x + 1 on float[2,3] compiled with `--name fake`, written by hand
 * so the harness and the runtime are tested without the compiler. The entry
 * goes through the arena to check that it is passed and 64-byte aligned.
 *
 * Test-only knobs (environment variables) make variants of the model for the
 * harness's error paths:
 *   DSC_FAKE_CPU_FEATURES=LIST  the model's cpu_features
 *   DSC_FAKE_DYNAMIC=1          axis 0 of x and y is a run-time dim (<= 2)
 *   DSC_FAKE_PER_SAMPLE=1       ... and a run-time batch: the entry computes
 *                               one sample (3 values), per_sample = 2
 *   DSC_FAKE_OUTPUT_NAME=NAME   the output's ONNX name (default "y")
 *   DSC_FAKE_FAIL=1             the entry returns an error
 *===----------------------------------------------------------------------===*/

#include "dsc/runtime.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const int64_t kShape[2] = {2, 3};
static const int64_t kDynamic[2] = {1, 0};

static const dsc_tensor_info kInputs[1] = {
    {"x", DSC_FLOAT, 2, kShape, NULL}};
static const dsc_tensor_info kOutputs[1] = {
    {"y", DSC_FLOAT, 2, kShape, NULL}};

static int32_t fake_entry(void **args) {
  const float *x = (const float *)args[0];
  float *y = (float *)args[1];
  float *scratch = (float *)args[2];
  if (!scratch || (uintptr_t)scratch % 64 != 0)
    return 1;
  for (int i = 0; i < 6; ++i)
    scratch[i] = x[i] + 1.0f;
  memcpy(y, scratch, 6 * sizeof(float));
  return 0;
}

/* One sample of the per-sample variant: y[3] = x[3] + 1. */
static int32_t sample_entry(void **args) {
  const float *x = (const float *)args[0];
  float *y = (float *)args[1];
  for (int i = 0; i < 3; ++i)
    y[i] = x[i] + 1.0f;
  return 0;
}

static int32_t failing_entry(void **args) {
  (void)args;
  return 7;
}

const dsc_model fake_model = {
    "fake",     1, 1, kInputs, kOutputs, 64, DSC_RUNTIME_TRIPLE, "",
    fake_entry, NULL, 0, 0,
};

int main(int argc, char **argv) {
  dsc_model model = fake_model;
  dsc_tensor_info inputs[1] = {kInputs[0]}, outputs[1] = {kOutputs[0]};
  const char *s;
  if ((s = getenv("DSC_FAKE_CPU_FEATURES")))
    model.cpu_features = s;
  if ((s = getenv("DSC_FAKE_DYNAMIC")) && strcmp(s, "1") == 0) {
    inputs[0].dynamic = kDynamic;
    outputs[0].dynamic = kDynamic;
  }
  if ((s = getenv("DSC_FAKE_PER_SAMPLE")) && strcmp(s, "1") == 0) {
    inputs[0].dynamic = kDynamic;
    outputs[0].dynamic = kDynamic;
    model.per_sample = 2;
    model.entry = sample_entry;
  }
  if ((s = getenv("DSC_FAKE_OUTPUT_NAME")))
    outputs[0].name = s;
  if ((s = getenv("DSC_FAKE_FAIL")) && strcmp(s, "1") == 0)
    model.entry = failing_entry;
  model.inputs = inputs;
  model.outputs = outputs;
  return dsc_harness_main(argc, argv, &model);
}
