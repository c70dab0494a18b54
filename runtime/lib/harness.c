/*===- harness.c - The executable harness of a compiled model -------------===*
 *
 * `./model --input NAME=FILE ... --output-dir DIR [--repeat N] [--threads N]
 * [--dump-all DIR] [--profile] [--info] [--help]`: the contract in docs/runtime.md and
 * the design's "Contracts" section. Every error prints one message on stderr
 * and makes the process exit with 1.
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS (--arena-report) */

#include "dsc/kernels.h"
#include "dsc/runtime.h"
#include "dsc/tensor_io.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <time.h>

#define ALIGN 64u
#define MAX_REPEAT 10000000L
#define MAX_THREADS 4096L

typedef struct {
  const char *prog;
  const dsc_model *model;
  /* options */
  const char **input_specs; /* NAME=FILE as given */
  int num_input_specs;
  const char *output_dir;
  const char *dump_dir;
  long repeat; /* 0: a single untimed run */
  long threads;
  int help, info, profile, arena_report;
  /* state */
  const char **input_paths; /* per model input */
  void **inputs, **outputs;
  char **output_files; /* sanitized output names + ".npy" */
  double *times;
  dsc_instance *instance;
  int64_t batch; /* samples of a run-time batch (per-sample models), else -1 */
} harness;

static void error(const harness *h, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s: error: ", h->prog);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static const char *base_name(const char *path) {
  if (!path || !*path)
    return "model";
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

static void *aligned_buffer(size_t n) {
  size_t size = n ? n : 1;
  size = (size + ALIGN - 1) / ALIGN * ALIGN;
  void *p = aligned_alloc(ALIGN, size);
  if (p)
    memset(p, 0, size);
  return p;
}

/*===----------------------------------------------------------------------===*
 * Help and --info
 *===----------------------------------------------------------------------===*/

static void print_help(const harness *h) {
  const dsc_model *m = h->model;
  printf("usage: %s --input NAME=FILE ... [--output-dir DIR] [options]\n\n",
         h->prog);
  printf("Runs the compiled model '%s' (%s%s%s) on the given inputs.\n\n",
         m->name ? m->name : "?",
         m->target_triple ? m->target_triple : "unknown triple",
         m->cpu_features && *m->cpu_features ? ", needs " : "",
         m->cpu_features && *m->cpu_features ? m->cpu_features : "");
  printf(
      "options:\n"
      "  --input NAME=FILE  one input: a .npy file or an ONNX TensorProto .pb\n"
      "                     (repeat for every input; --info lists them)\n"
      "  --output-dir DIR   write each output to DIR/<output>.npy; characters\n"
      "                     of the name other than letters, digits, '.', '-'\n"
      "                     and '_' become '_'\n"
      "  --repeat N         run once as warm-up, then N timed runs, and print\n"
      "                     one line {\"median_ms\": <float>, \"runs\": N}\n"
      "  --threads N        threads for the float conv and matmul kernels\n"
      "                     (default 1)\n"
      "  --dump-all DIR     write every intermediate tensor to DIR/<node>.npy,\n"
      "                     named after the ONNX node that computes it (needs\n"
      "                     a build with intermediates: dsc-compile\n"
      "                     --intermediates)\n"
      "  --info             print the model's inputs and outputs as JSON\n"
      "  --arena-report     run with the arena ending at an inaccessible page\n"
      "                     and filled with a pattern; print one line\n"
      "                     {\"arena_planned\": <bytes>, \"arena_touched\": <bytes>}\n"
      "  --profile          time each layer's kernel call over the --repeat runs\n"
      "                     (default 10), largest first, and the code between\n"
      "  --help             print this help\n\n"
      "Exit status: 0 on success, 1 on any error (message on stderr).\n");
}

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; ++p) {
    if (*p == '"' || *p == '\\')
      fprintf(f, "\\%c", *p);
    else if (*p < 0x20)
      fprintf(f, "\\u%04x", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

static void json_tensors(FILE *f, const dsc_tensor_info *infos, int32_t n) {
  fputs("[", f);
  for (int32_t i = 0; i < n; ++i) {
    const dsc_tensor_info *t = &infos[i];
    fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
    json_string(f, t->name);
    fprintf(f, ", \"dtype\": \"%s\", \"shape\": [", dsc_dtype_name(t->dtype));
    for (int32_t d = 0; d < t->rank; ++d)
      fprintf(f, "%s%lld", d ? ", " : "", (long long)t->shape[d]);
    fputs("], \"dynamic\": [", f);
    for (int32_t d = 0; d < t->rank; ++d)
      fprintf(f, "%s%s", d ? ", " : "",
              t->dynamic && t->dynamic[d] ? "true" : "false");
    fputs("]}", f);
  }
  fputs(n ? "\n  ]" : "]", f);
}

static void print_info(const harness *h) {
  const dsc_model *m = h->model;
  char missing[256];
  int supported = dsc_cpu_supports(m->cpu_features, missing, sizeof(missing));
  printf("{\n  \"name\": ");
  json_string(stdout, m->name);
  printf(",\n  \"target_triple\": ");
  json_string(stdout, m->target_triple);
  printf(",\n  \"cpu_features\": ");
  json_string(stdout, m->cpu_features);
  printf(",\n  \"cpu_supported\": %s", supported ? "true" : "false");
  printf(",\n  \"arena_size\": %llu", (unsigned long long)m->arena_size);
  printf(",\n  \"inputs\": ");
  json_tensors(stdout, m->inputs, m->num_inputs);
  printf(",\n  \"outputs\": ");
  json_tensors(stdout, m->outputs, m->num_outputs);
  printf("\n}\n");
}

/*===----------------------------------------------------------------------===*
 * Option parsing
 *===----------------------------------------------------------------------===*/

/* Matches "--name VALUE" and "--name=VALUE"; returns 1 and the value, 0 when
   arg is not this option, -1 when the value is missing. */
static int take_value(int argc, char **argv, int *i, const char *name,
                      const char **value) {
  const char *arg = argv[*i];
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0)
    return 0;
  if (arg[n] == '=') {
    *value = arg + n + 1;
    return 1;
  }
  if (arg[n] != '\0')
    return 0;
  if (*i + 1 >= argc)
    return -1;
  *value = argv[++*i];
  return 1;
}

static int parse_count(const char *s, long max, long *out) {
  if (!s || *s < '0' || *s > '9')
    return -1;
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < 1 || v > max)
    return -1;
  *out = v;
  return 0;
}

static int parse_args(harness *h, int argc, char **argv) {
  static const char *const kValueOptions[] = {
      "--input", "--output-dir", "--repeat", "--threads", "--dump-all"};
  for (int i = 1; i < argc; ++i) {
    const char *arg = argv[i];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      h->help = 1;
      continue;
    }
    if (strcmp(arg, "--info") == 0) {
      h->info = 1;
      continue;
    }
    if (strcmp(arg, "--profile") == 0) {
      h->profile = 1;
      continue;
    }
    if (strcmp(arg, "--arena-report") == 0) {
      h->arena_report = 1;
      continue;
    }
    int matched = 0;
    for (size_t k = 0; k < sizeof(kValueOptions) / sizeof(*kValueOptions);
         ++k) {
      const char *value = NULL;
      int r = take_value(argc, argv, &i, kValueOptions[k], &value);
      if (r == 0)
        continue;
      if (r < 0) {
        error(h, "option %s needs a value", kValueOptions[k]);
        return -1;
      }
      matched = 1;
      switch (k) {
      case 0:
        h->input_specs[h->num_input_specs++] = value;
        break;
      case 1:
        h->output_dir = value;
        break;
      case 2:
        if (parse_count(value, MAX_REPEAT, &h->repeat) != 0) {
          error(h, "--repeat expects a count from 1 to %ld, got '%s'",
                MAX_REPEAT, value);
          return -1;
        }
        break;
      case 3:
        if (parse_count(value, MAX_THREADS, &h->threads) != 0) {
          error(h, "--threads expects a count from 1 to %ld, got '%s'",
                MAX_THREADS, value);
          return -1;
        }
        break;
      case 4:
        h->dump_dir = value;
        break;
      }
      break;
    }
    if (!matched) {
      error(h, "unknown argument '%s' (see --help)", arg);
      return -1;
    }
  }
  return 0;
}

/* Splits NAME=FILE: the longest model input name followed by '=' wins (so a
   name may contain '='), else the text before the first '='. */
static int split_input_spec(const harness *h, const char *spec,
                            const char **name, size_t *name_len,
                            const char **path) {
  const dsc_model *m = h->model;
  size_t best = 0;
  int found = 0;
  for (int32_t i = 0; i < m->num_inputs; ++i) {
    size_t n = strlen(m->inputs[i].name);
    if (strncmp(spec, m->inputs[i].name, n) == 0 && spec[n] == '=' &&
        (!found || n > best)) {
      best = n;
      found = 1;
    }
  }
  if (!found) {
    const char *eq = strchr(spec, '=');
    if (!eq)
      return -1;
    best = (size_t)(eq - spec);
  }
  *name = spec;
  *name_len = best;
  *path = spec + best + 1;
  return 0;
}

/*===----------------------------------------------------------------------===*
 * Inputs
 *===----------------------------------------------------------------------===*/

static void format_shape(char *buf, size_t size, int32_t rank,
                         const int64_t *shape, const int64_t *dynamic) {
  size_t n = 0;
  n += (size_t)snprintf(buf + n, size - n, "[");
  for (int32_t d = 0; d < rank && n < size; ++d)
    n += (size_t)snprintf(buf + n, size - n, "%s%s%lld", d ? ", " : "",
                          dynamic && dynamic[d] ? "<=" : "",
                          (long long)shape[d]);
  if (n < size)
    snprintf(buf + n, size - n, "]");
}

static int shape_matches(const dsc_tensor_info *info, const dsc_tensor *t) {
  if (info->rank != t->rank)
    return 0;
  for (int32_t d = 0; d < info->rank; ++d) {
    int dyn = info->dynamic && info->dynamic[d];
    if (dyn ? t->shape[d] > info->shape[d] : t->shape[d] != info->shape[d])
      return 0;
  }
  return 1;
}

static int has_dynamic_dims(const dsc_tensor_info *info) {
  if (!info->dynamic)
    return 0;
  for (int32_t d = 0; d < info->rank; ++d)
    if (info->dynamic[d])
      return 1;
  return 0;
}

/* Axis 0 of a per-sample model's tensor is its run-time batch. */
static int is_batched(const dsc_model *m, const dsc_tensor_info *info) {
  return m->per_sample > 0 && info->dynamic && info->rank > 0 && info->dynamic[0];
}

static int resolve_inputs(harness *h) {
  const dsc_model *m = h->model;
  int ok = 1;
  for (int s = 0; s < h->num_input_specs; ++s) {
    const char *spec = h->input_specs[s], *name, *path;
    size_t name_len;
    if (split_input_spec(h, spec, &name, &name_len, &path) != 0) {
      error(h, "--input expects NAME=FILE, got '%s'", spec);
      return -1;
    }
    int32_t idx = -1;
    for (int32_t i = 0; i < m->num_inputs; ++i)
      if (strlen(m->inputs[i].name) == name_len &&
          strncmp(m->inputs[i].name, name, name_len) == 0)
        idx = i;
    if (idx < 0) {
      fprintf(stderr, "%s: error: unknown input '%.*s' (the model's inputs:",
              h->prog, (int)name_len, name);
      for (int32_t i = 0; i < m->num_inputs; ++i)
        fprintf(stderr, "%s '%s'", i ? "," : "", m->inputs[i].name);
      fprintf(stderr, "%s)\n", m->num_inputs ? "" : " none");
      ok = 0;
      continue;
    }
    if (h->input_paths[idx]) {
      error(h, "input '%s' is given twice", m->inputs[idx].name);
      ok = 0;
      continue;
    }
    if (!*path) {
      error(h, "input '%s': no file name", m->inputs[idx].name);
      ok = 0;
      continue;
    }
    h->input_paths[idx] = path;
  }
  if (!ok)
    return -1;
  for (int32_t i = 0; i < m->num_inputs; ++i) {
    if (!h->input_paths[i]) {
      error(h, "missing input '%s' (give --input %s=FILE)", m->inputs[i].name,
            m->inputs[i].name);
      ok = 0;
    }
  }
  return ok ? 0 : -1;
}

static int load_inputs(harness *h) {
  const dsc_model *m = h->model;
  for (int32_t i = 0; i < m->num_inputs; ++i) {
    const dsc_tensor_info *info = &m->inputs[i];
    const char *path = h->input_paths[i];
    char err[512], have[1024], want[1024];
    dsc_tensor t;
    if (dsc_tensor_read(path, &t, NULL, 0, err, sizeof(err)) != 0) {
      error(h, "input '%s': cannot read '%s': %s", info->name, path, err);
      return -1;
    }
    if (t.dtype != info->dtype) {
      error(h, "input '%s': '%s' has dtype %s, the model expects %s",
            info->name, path, dsc_dtype_name(t.dtype),
            dsc_dtype_name(info->dtype));
      dsc_tensor_free(&t);
      return -1;
    }
    if (!shape_matches(info, &t)) {
      format_shape(have, sizeof(have), t.rank, t.shape, NULL);
      format_shape(want, sizeof(want), info->rank, info->shape, info->dynamic);
      error(h, "input '%s': '%s' has shape %s, the model expects %s",
            info->name, path, have, want);
      dsc_tensor_free(&t);
      return -1;
    }
    if (is_batched(m, info)) {
      /* Every batched input holds the same number of samples. */
      if (h->batch >= 0 && t.shape[0] != h->batch) {
        error(h, "input '%s': '%s' holds %lld samples (axis 0), another input %lld",
              info->name, path, (long long)t.shape[0], (long long)h->batch);
        dsc_tensor_free(&t);
        return -1;
      }
      h->batch = t.shape[0];
    } else if (has_dynamic_dims(info)) {
      error(h, "input '%s': run-time dims are supported on a batch axis "
               "(axis 0 of a model compiled for a run-time batch), not here",
            info->name);
      dsc_tensor_free(&t);
      return -1;
    }
    h->inputs[i] = aligned_buffer(t.num_bytes);
    if (!h->inputs[i]) {
      error(h, "input '%s': out of memory", info->name);
      dsc_tensor_free(&t);
      return -1;
    }
    if (t.num_bytes)
      memcpy(h->inputs[i], t.data, t.num_bytes);
    dsc_tensor_free(&t);
  }
  return 0;
}

/*===----------------------------------------------------------------------===*
 * Outputs
 *===----------------------------------------------------------------------===*/

/* NAME.npy with every character other than [A-Za-z0-9._-] turned into '_'. */
static char *output_file_name(const char *name) {
  size_t n = strlen(name);
  char *s = (char *)malloc(n + 6);
  if (!s)
    return NULL;
  for (size_t i = 0; i < n; ++i) {
    char c = name[i];
    int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    s[i] = keep ? c : '_';
  }
  if (n == 0)
    s[n++] = '_';
  memcpy(s + n, ".npy", 5);
  return s;
}

/* mkdir -p */
static int make_dirs(const char *dir) {
  size_t n = strlen(dir);
  char *p = (char *)malloc(n + 1);
  if (!p)
    return -1;
  memcpy(p, dir, n + 1);
  for (size_t i = 1; i <= n; ++i) {
    if (p[i] != '/' && p[i] != '\0')
      continue;
    char saved = p[i];
    p[i] = '\0';
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    p[i] = saved;
  }
  struct stat st;
  int rc = 0;
  if (stat(p, &st) != 0) {
    rc = -1;
  } else if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    rc = -1;
  }
  free(p);
  return rc;
}

/* Outputs named with this prefix are the intermediates of a build with
   intermediates=true: written by --dump-all only, as <node>.npy. */
#define INTERMEDIATE_PREFIX "dsc.intermediate."

static int is_intermediate(const dsc_tensor_info *info) {
  return strncmp(info->name, INTERMEDIATE_PREFIX, strlen(INTERMEDIATE_PREFIX)) == 0;
}

static int prepare_outputs(harness *h) {
  const dsc_model *m = h->model;
  int intermediates = 0;
  for (int32_t i = 0; i < m->num_outputs; ++i)
    intermediates += is_intermediate(&m->outputs[i]);
  if (h->dump_dir && !intermediates) {
    error(h, "--dump-all: this executable was built without intermediate tensors; "
             "build it with dsc-compile --intermediates (or dsc-opt "
             "--dsc-lower-to-llvm=\"... intermediates=true\")");
    return -1;
  }
  for (int32_t i = 0; i < m->num_outputs; ++i) {
    const dsc_tensor_info *info = &m->outputs[i];
    const char *file_stem =
        is_intermediate(info) ? info->name + strlen(INTERMEDIATE_PREFIX) : info->name;
    if (has_dynamic_dims(info) && !is_batched(m, info)) {
      error(h, "output '%s': run-time dims are supported on a batch axis "
               "(axis 0 of a model compiled for a run-time batch), not here",
            info->name);
      return -1;
    }
    size_t bytes; /* at the bounds: enough for any batch */
    if (dsc_tensor_info_size(info, NULL, &bytes) != DSC_OK ||
        !(h->outputs[i] = aligned_buffer(bytes)) ||
        !(h->output_files[i] = output_file_name(file_stem))) {
      error(h, "output '%s': out of memory", info->name);
      return -1;
    }
    for (int32_t j = 0; j < i; ++j) {
      if (is_intermediate(&m->outputs[j]) == is_intermediate(info) &&
          strcmp(h->output_files[i], h->output_files[j]) == 0) {
        error(h, "outputs '%s' and '%s' would both be written to %s",
              m->outputs[j].name, info->name, h->output_files[i]);
        return -1;
      }
    }
  }
  const char *dirs[2] = {h->output_dir, h->dump_dir};
  for (int d = 0; d < 2; ++d) {
    if (dirs[d] && make_dirs(dirs[d]) != 0) {
      error(h, "cannot create the directory '%s': %s", dirs[d],
            strerror(errno));
      return -1;
    }
  }
  return 0;
}

/* Writes the model's outputs, or (intermediates) the intermediate tensors. */
static int write_outputs(harness *h, const char *dir, int intermediates) {
  const dsc_model *m = h->model;
  for (int32_t i = 0; i < m->num_outputs; ++i) {
    const dsc_tensor_info *info = &m->outputs[i];
    if (is_intermediate(info) != intermediates)
      continue;
    size_t len = strlen(dir) + 1 + strlen(h->output_files[i]) + 1;
    char *path = (char *)malloc(len);
    if (!path) {
      error(h, "output '%s': out of memory", info->name);
      return -1;
    }
    snprintf(path, len, "%s/%s", dir, h->output_files[i]);
    char err[512];
    /* A batched output holds the samples run, not its bound. */
    const int64_t *shape = info->shape;
    int64_t run_shape[DSC_TENSOR_MAX_RANK];
    if (is_batched(m, info) && h->batch >= 0 && info->rank <= DSC_TENSOR_MAX_RANK) {
      memcpy(run_shape, info->shape, (size_t)info->rank * sizeof(int64_t));
      run_shape[0] = h->batch;
      shape = run_shape;
    }
    int rc = dsc_npy_write(path, info->dtype, info->rank, shape, h->outputs[i], err,
                           sizeof(err));
    if (rc != 0)
      error(h, "output '%s': cannot write '%s': %s", info->name, path, err);
    free(path);
    if (rc != 0)
      return -1;
  }
  return 0;
}

/*===----------------------------------------------------------------------===*
 * Running
 *===----------------------------------------------------------------------===*/

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y ? 1 : 0;
}

static int run_model(harness *h) {
  dsc_status st = h->batch >= 0 ? dsc_run_batch(h->instance, h->batch, h->inputs, h->outputs)
                                : dsc_run(h->instance, h->inputs, h->outputs);
  if (st != DSC_OK) {
    error(h, "running the model failed: %s", dsc_status_message(st));
    return -1;
  }
  return 0;
}

/* --profile: the mean time of each kernel call over the timed runs, named
   from the model's table, largest first, and what the code between them
   took. */
typedef struct {
  double ms;
  int index;
} profile_row;

static int compare_rows(const void *a, const void *b) {
  double x = ((const profile_row *)a)->ms, y = ((const profile_row *)b)->ms;
  return x > y ? -1 : x < y ? 1 : 0;
}

static int run_profiled(harness *h) {
  const dsc_model *m = h->model;
  long runs = h->repeat ? h->repeat : 10;
  if (run_model(h) != 0) /* warm-up */
    return -1;
  profile_row *rows = (profile_row *)calloc(DSC_PROFILE_MAX_CALLS, sizeof(profile_row));
  if (!rows) {
    error(h, "out of memory");
    return -1;
  }
  int calls = 0;
  double total = 0;
  for (long r = 0; r < runs; ++r) {
    dsc_kernels_profile_start();
    double t0 = now_ms();
    int ok = run_model(h) == 0;
    total += now_ms() - t0;
    const double *ms;
    int n = dsc_kernels_profile_stop(&ms);
    if (!ok) {
      free(rows);
      return -1;
    }
    calls = n;
    for (int i = 0; i < n; ++i) {
      rows[i].ms += ms[i];
      rows[i].index = i;
    }
  }
  double kernels = 0;
  for (int i = 0; i < calls; ++i) {
    rows[i].ms /= (double)runs;
    kernels += rows[i].ms;
  }
  total /= (double)runs;
  qsort(rows, (size_t)calls, sizeof(profile_row), compare_rows);
  printf("profile: mean of %ld runs, %.3f ms per run, %d kernel calls\n", runs, total, calls);
  printf("%10s %7s  %s\n", "ms", "%", "layer (kernel)");
  for (int i = 0; i < calls; ++i) {
    int k = rows[i].index;
    const char *name = m->kernel_calls && k < m->num_kernel_calls ? m->kernel_calls[k] : NULL;
    if (name)
      printf("%10.4f %6.1f%%  %s\n", rows[i].ms, 100.0 * rows[i].ms / total, name);
    else
      printf("%10.4f %6.1f%%  kernel call %d\n", rows[i].ms, 100.0 * rows[i].ms / total, k);
  }
  printf("%10.4f %6.1f%%  (code between the kernel calls: elementwise ops, pooling, "
         "reductions, copies)\n",
         total - kernels, 100.0 * (total - kernels) / total);
  fflush(stdout);
  free(rows);
  return 0;
}

static int run(harness *h) {
  if (h->profile)
    return run_profiled(h);
  if (h->repeat == 0)
    return run_model(h);
  if (run_model(h) != 0) /* warm-up */
    return -1;
  for (long r = 0; r < h->repeat; ++r) {
    double t0 = now_ms();
    if (run_model(h) != 0)
      return -1;
    h->times[r] = now_ms() - t0;
  }
  qsort(h->times, (size_t)h->repeat, sizeof(double), compare_double);
  size_t n = (size_t)h->repeat;
  double median = n % 2 ? h->times[n / 2]
                        : (h->times[n / 2 - 1] + h->times[n / 2]) / 2;
  printf("{\"median_ms\": %.6f, \"runs\": %ld}\n", median, h->repeat);
  fflush(stdout);
  return 0;
}

static int harness_body(harness *h, int argc, char **argv) {
  const dsc_model *m = h->model;
  if (parse_args(h, argc, argv) != 0)
    return 1;
  if (dsc_model_validate(m) != DSC_OK) {
    error(h, "the model description is malformed");
    return 1;
  }
  if (h->help) {
    print_help(h);
    return 0;
  }
  if (h->info) {
    print_info(h);
    return 0;
  }

  char missing[256];
  if (!dsc_cpu_supports(m->cpu_features, missing, sizeof(missing))) {
    error(h,
          "this CPU lacks features the model was compiled for: %s (the model "
          "needs: %s)",
          missing, m->cpu_features);
    return 1;
  }

  size_t ni = (size_t)m->num_inputs, no = (size_t)m->num_outputs;
  h->input_paths = (const char **)calloc(ni + 1, sizeof(char *));
  h->inputs = (void **)calloc(ni + 1, sizeof(void *));
  h->outputs = (void **)calloc(no + 1, sizeof(void *));
  h->output_files = (char **)calloc(no + 1, sizeof(char *));
  h->times = (double *)calloc((size_t)h->repeat + 1, sizeof(double));
  if (!h->input_paths || !h->inputs || !h->outputs || !h->output_files ||
      !h->times) {
    error(h, "out of memory");
    return 1;
  }
  if (resolve_inputs(h) != 0 || load_inputs(h) != 0 ||
      prepare_outputs(h) != 0)
    return 1;

  dsc_kernels_set_threads((int)h->threads);
  dsc_status st;
  /* --arena-report: the arena is the last bytes before a PROT_NONE page
     (a write past the plan faults) and starts filled with a pattern; the
     last byte that no longer holds it is how far the run wrote. */
  unsigned char *arena = NULL, *mapping = NULL;
  size_t mapping_size = 0;
  if (h->arena_report) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE), size = (size_t)m->arena_size;
    size_t data_pages = (size + page - 1) / page;
    mapping_size = (data_pages + 1) * page;
    mapping = (unsigned char *)mmap(NULL, mapping_size, PROT_READ | PROT_WRITE,
                                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED ||
        mprotect(mapping + data_pages * page, page, PROT_NONE) != 0) {
      error(h, "--arena-report: cannot map the arena");
      return 1;
    }
    arena = mapping + data_pages * page - size;
    memset(arena, 0xA5, size);
  }
  h->instance = dsc_instance_create(m, arena, arena ? (size_t)m->arena_size : 0, &st);
  if (!h->instance) {
    error(h, "cannot create the model instance: %s", dsc_status_message(st));
    return 1;
  }
  if (run(h) != 0)
    return 1;
  if (arena) {
    size_t touched = (size_t)m->arena_size;
    while (touched > 0 && arena[touched - 1] == 0xA5)
      --touched;
    printf("{\"arena_planned\": %llu, \"arena_touched\": %llu}\n",
           (unsigned long long)m->arena_size, (unsigned long long)touched);
    dsc_instance_destroy(h->instance);
    h->instance = NULL;
    munmap(mapping, mapping_size);
  }
  if (h->output_dir && write_outputs(h, h->output_dir, 0) != 0)
    return 1;
  if (h->dump_dir && write_outputs(h, h->dump_dir, 1) != 0)
    return 1;
  return 0;
}

int dsc_harness_main(int argc, char **argv, const dsc_model *model) {
  harness h;
  memset(&h, 0, sizeof(h));
  h.prog = base_name(argc > 0 && argv ? argv[0] : NULL);
  h.batch = -1;
  h.model = model;
  h.threads = 1;
  if (!model) {
    error(&h, "no model");
    return 1;
  }
  h.input_specs = (const char **)calloc((size_t)(argc > 0 ? argc : 1),
                                        sizeof(char *));
  int rc = 1;
  if (!h.input_specs)
    error(&h, "out of memory");
  else
    rc = harness_body(&h, argc, argv);

  if (h.inputs)
    for (int32_t i = 0; i < model->num_inputs; ++i)
      free(h.inputs[i]);
  if (h.outputs)
    for (int32_t i = 0; i < model->num_outputs; ++i)
      free(h.outputs[i]);
  if (h.output_files)
    for (int32_t i = 0; i < model->num_outputs; ++i)
      free(h.output_files[i]);
  dsc_instance_destroy(h.instance);
  free(h.input_paths);
  free(h.inputs);
  free(h.outputs);
  free(h.output_files);
  free(h.times);
  free(h.input_specs);
  fflush(stdout);
  return rc;
}
