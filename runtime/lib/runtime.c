/*===- runtime.c - dsc instances, model queries, status messages ----------===*
 *
 * Plain C11. All allocation happens in dsc_instance_create; dsc_run only
 * fills the instance's argument table and calls the model's entry.
 *===----------------------------------------------------------------------===*/

#include "dsc/runtime.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DSC_ARENA_ALIGN 64u

struct dsc_instance {
  const dsc_model *model;
  void *arena;       /* what the entry gets */
  void *owned_arena; /* what destroy frees (NULL for caller memory) */
  int32_t num_inputs, num_outputs;
  void *args[]; /* inputs, outputs, arena */
};

const char *dsc_status_message(dsc_status status) {
  switch (status) {
  case DSC_OK:
    return "success";
  case DSC_ERR_INVALID_ARGUMENT:
    return "invalid argument (a NULL pointer or an index out of range)";
  case DSC_ERR_BAD_MODEL:
    return "malformed model description";
  case DSC_ERR_TARGET_MISMATCH:
    return "the model was compiled for another target triple than this runtime";
  case DSC_ERR_CPU_UNSUPPORTED:
    return "this CPU lacks a feature the model was compiled for";
  case DSC_ERR_OUT_OF_MEMORY:
    return "out of memory";
  case DSC_ERR_ARENA_TOO_SMALL:
    return "the arena is smaller than the model's arena_size";
  case DSC_ERR_ARENA_MISALIGNED:
    return "the arena is not 64-byte aligned";
  case DSC_ERR_RUN_FAILED:
    return "the model's entry point reported a failure";
  }
  return "unknown status code";
}

int32_t dsc_model_num_inputs(const dsc_model *model) {
  return model && model->num_inputs > 0 ? model->num_inputs : 0;
}

int32_t dsc_model_num_outputs(const dsc_model *model) {
  return model && model->num_outputs > 0 ? model->num_outputs : 0;
}

const dsc_tensor_info *dsc_model_input(const dsc_model *model, int32_t index) {
  if (!model || !model->inputs || index < 0 || index >= model->num_inputs)
    return NULL;
  return &model->inputs[index];
}

const dsc_tensor_info *dsc_model_output(const dsc_model *model, int32_t index) {
  if (!model || !model->outputs || index < 0 || index >= model->num_outputs)
    return NULL;
  return &model->outputs[index];
}

static int32_t find_info(const dsc_tensor_info *infos, int32_t n,
                         const char *name) {
  if (!infos || !name)
    return -1;
  for (int32_t i = 0; i < n; ++i)
    if (infos[i].name && strcmp(infos[i].name, name) == 0)
      return i;
  return -1;
}

int32_t dsc_model_input_index(const dsc_model *model, const char *name) {
  return model ? find_info(model->inputs, model->num_inputs, name) : -1;
}

int32_t dsc_model_output_index(const dsc_model *model, const char *name) {
  return model ? find_info(model->outputs, model->num_outputs, name) : -1;
}

const dsc_tensor_info *dsc_model_input_by_name(const dsc_model *model,
                                               const char *name) {
  return dsc_model_input(model, dsc_model_input_index(model, name));
}

const dsc_tensor_info *dsc_model_output_by_name(const dsc_model *model,
                                                const char *name) {
  return dsc_model_output(model, dsc_model_output_index(model, name));
}

size_t dsc_dtype_size(int32_t dtype) {
  switch (dtype) {
  case DSC_UINT8:
  case DSC_INT8:
  case DSC_BOOL:
    return 1;
  case DSC_UINT16:
  case DSC_INT16:
  case DSC_FLOAT16:
    return 2;
  case DSC_FLOAT:
  case DSC_INT32:
  case DSC_UINT32:
    return 4;
  case DSC_INT64:
  case DSC_DOUBLE:
  case DSC_UINT64:
    return 8;
  default:
    return 0;
  }
}

const char *dsc_dtype_name(int32_t dtype) {
  switch (dtype) {
  case DSC_FLOAT:
    return "float32";
  case DSC_UINT8:
    return "uint8";
  case DSC_INT8:
    return "int8";
  case DSC_UINT16:
    return "uint16";
  case DSC_INT16:
    return "int16";
  case DSC_INT32:
    return "int32";
  case DSC_INT64:
    return "int64";
  case DSC_BOOL:
    return "bool";
  case DSC_FLOAT16:
    return "float16";
  case DSC_DOUBLE:
    return "float64";
  case DSC_UINT32:
    return "uint32";
  case DSC_UINT64:
    return "uint64";
  default:
    return "unknown";
  }
}

dsc_status dsc_tensor_info_size(const dsc_tensor_info *info,
                                uint64_t *num_elements, size_t *num_bytes) {
  if (!info)
    return DSC_ERR_INVALID_ARGUMENT;
  size_t elem = dsc_dtype_size(info->dtype);
  if (elem == 0 || info->rank < 0 || (info->rank > 0 && !info->shape))
    return DSC_ERR_BAD_MODEL;
  uint64_t n = 1;
  for (int32_t i = 0; i < info->rank; ++i) {
    int64_t d = info->shape[i];
    if (d < 0)
      return DSC_ERR_BAD_MODEL;
    if (d != 0 && n > UINT64_MAX / (uint64_t)d)
      return DSC_ERR_BAD_MODEL;
    n *= (uint64_t)d;
  }
  if (n > SIZE_MAX / elem)
    return DSC_ERR_BAD_MODEL;
  if (num_elements)
    *num_elements = n;
  if (num_bytes)
    *num_bytes = (size_t)n * elem;
  return DSC_OK;
}

static dsc_status validate_infos(const dsc_tensor_info *infos, int32_t n) {
  if (n < 0 || (n > 0 && !infos))
    return DSC_ERR_BAD_MODEL;
  for (int32_t i = 0; i < n; ++i) {
    const dsc_tensor_info *t = &infos[i];
    if (!t->name)
      return DSC_ERR_BAD_MODEL;
    dsc_status st = dsc_tensor_info_size(t, NULL, NULL);
    if (st != DSC_OK)
      return st;
    if (t->dynamic)
      for (int32_t d = 0; d < t->rank; ++d)
        if (t->dynamic[d] != 0 && t->dynamic[d] != 1)
          return DSC_ERR_BAD_MODEL;
  }
  return DSC_OK;
}

dsc_status dsc_model_validate(const dsc_model *model) {
  if (!model)
    return DSC_ERR_INVALID_ARGUMENT;
  if (!model->entry)
    return DSC_ERR_BAD_MODEL;
  dsc_status st = validate_infos(model->inputs, model->num_inputs);
  if (st != DSC_OK)
    return st;
  st = validate_infos(model->outputs, model->num_outputs);
  if (st != DSC_OK)
    return st;
  /* args has num_inputs + num_outputs + 1 entries. */
  if ((uint64_t)model->num_inputs + (uint64_t)model->num_outputs >
      (SIZE_MAX - sizeof(struct dsc_instance)) / sizeof(void *) - 1)
    return DSC_ERR_BAD_MODEL;
  if (model->arena_size > SIZE_MAX - DSC_ARENA_ALIGN)
    return DSC_ERR_BAD_MODEL;
  /* A per-sample model's batched tensors are bounded by its batch. */
  if (model->per_sample < 0)
    return DSC_ERR_BAD_MODEL;
  if (model->per_sample > 0)
    for (int32_t k = 0; k < 2; ++k) {
      const dsc_tensor_info *infos = k ? model->outputs : model->inputs;
      int32_t n = k ? model->num_outputs : model->num_inputs;
      for (int32_t i = 0; i < n; ++i)
        if (infos[i].dynamic && infos[i].rank > 0 && infos[i].dynamic[0] &&
            infos[i].shape[0] != model->per_sample)
          return DSC_ERR_BAD_MODEL;
    }
  return DSC_OK;
}

const char *dsc_runtime_triple(void) { return DSC_RUNTIME_TRIPLE; }

/* Compares the architecture component (before the first '-'), so
   "x86_64-unknown-linux-gnu" matches "x86_64-linux-gnu". NULL or "" means
   unspecified. */
static int triple_matches(const char *triple) {
  if (!triple || !*triple)
    return 1;
  const char *mine = DSC_RUNTIME_TRIPLE;
  size_t a = strcspn(triple, "-"), b = strcspn(mine, "-");
  return a == b && memcmp(triple, mine, a) == 0;
}

static void set_status(dsc_status *out, dsc_status st) {
  if (out)
    *out = st;
}

dsc_instance *dsc_instance_create(const dsc_model *model, void *arena,
                                  size_t arena_size, dsc_status *status) {
  dsc_status st = dsc_model_validate(model);
  if (st != DSC_OK) {
    set_status(status, st);
    return NULL;
  }
  if (!triple_matches(model->target_triple)) {
    set_status(status, DSC_ERR_TARGET_MISMATCH);
    return NULL;
  }
  if (!dsc_cpu_supports(model->cpu_features, NULL, 0)) {
    set_status(status, DSC_ERR_CPU_UNSUPPORTED);
    return NULL;
  }
  if (arena) {
    if ((uint64_t)arena_size < model->arena_size) {
      set_status(status, DSC_ERR_ARENA_TOO_SMALL);
      return NULL;
    }
    if ((uintptr_t)arena % DSC_ARENA_ALIGN != 0) {
      set_status(status, DSC_ERR_ARENA_MISALIGNED);
      return NULL;
    }
  }

  size_t nargs = (size_t)model->num_inputs + (size_t)model->num_outputs + 1;
  dsc_instance *inst =
      (dsc_instance *)calloc(1, sizeof(dsc_instance) + nargs * sizeof(void *));
  if (!inst) {
    set_status(status, DSC_ERR_OUT_OF_MEMORY);
    return NULL;
  }
  inst->model = model;
  inst->num_inputs = model->num_inputs;
  inst->num_outputs = model->num_outputs;
  if (arena) {
    inst->arena = arena;
  } else if (model->arena_size > 0) {
    /* aligned_alloc wants a multiple of the alignment. */
    size_t size = ((size_t)model->arena_size + DSC_ARENA_ALIGN - 1) &
                  ~(size_t)(DSC_ARENA_ALIGN - 1);
    inst->owned_arena = aligned_alloc(DSC_ARENA_ALIGN, size);
    if (!inst->owned_arena) {
      free(inst);
      set_status(status, DSC_ERR_OUT_OF_MEMORY);
      return NULL;
    }
    inst->arena = inst->owned_arena;
  }
  set_status(status, DSC_OK);
  return inst;
}

void dsc_instance_destroy(dsc_instance *instance) {
  if (!instance)
    return;
  free(instance->owned_arena);
  free(instance);
}

const dsc_model *dsc_instance_model(const dsc_instance *instance) {
  return instance ? instance->model : NULL;
}

/* Bytes of one sample of tensor t of a per-sample model when its axis 0 is
   the run-time batch, else 0 (every sample reads or writes all of it). */
static size_t sample_bytes(const dsc_model *m, const dsc_tensor_info *t) {
  size_t bytes = 0;
  if (m->per_sample <= 0 || !t->dynamic || t->rank < 1 || !t->dynamic[0] ||
      t->shape[0] <= 0 || dsc_tensor_info_size(t, NULL, &bytes) != DSC_OK)
    return 0;
  return bytes / (size_t)t->shape[0];
}

/* Calls the entry on sample s of every batched tensor (all of a per-sample
   model's batch when it computes one sample per call). */
dsc_status dsc_run_batch(dsc_instance *instance, int64_t batch, void *const *inputs,
                         void *const *outputs) {
  if (!instance || (instance->num_inputs > 0 && !inputs) ||
      (instance->num_outputs > 0 && !outputs))
    return DSC_ERR_INVALID_ARGUMENT;
  const dsc_model *m = instance->model;
  int64_t bound = m->per_sample > 0 ? m->per_sample : 1;
  if (batch < 0 || batch > bound || (m->per_sample <= 0 && batch != 1))
    return DSC_ERR_INVALID_ARGUMENT;
  void **args = instance->args;
  int32_t ni = instance->num_inputs, no = instance->num_outputs;
  for (int32_t i = 0; i < ni; ++i)
    if (!inputs[i])
      return DSC_ERR_INVALID_ARGUMENT;
  for (int32_t i = 0; i < no; ++i)
    if (!outputs[i])
      return DSC_ERR_INVALID_ARGUMENT;
  args[ni + no] = instance->arena;
  for (int64_t s = 0; s < batch; ++s) {
    for (int32_t i = 0; i < ni; ++i)
      args[i] = (char *)inputs[i] + (size_t)s * sample_bytes(m, &m->inputs[i]);
    for (int32_t i = 0; i < no; ++i)
      args[ni + i] = (char *)outputs[i] + (size_t)s * sample_bytes(m, &m->outputs[i]);
    if (m->entry(args) != 0)
      return DSC_ERR_RUN_FAILED;
  }
  return DSC_OK;
}

dsc_status dsc_run(dsc_instance *instance, void *const *inputs,
                   void *const *outputs) {
  if (!instance)
    return DSC_ERR_INVALID_ARGUMENT;
  const dsc_model *m = instance->model;
  return dsc_run_batch(instance, m->per_sample > 0 ? m->per_sample : 1, inputs, outputs);
}
