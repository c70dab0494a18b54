/* Classifies digit images with two models compiled by dsc_add_model(),
 * linked into this one program: the compressed student (`digits`) and the
 * float teacher it was distilled from (`teacher`):
 *
 *   classify DATA_DIR [PREDICTIONS_FILE]
 *
 * DATA_DIR holds one folder per sample with image.npy ([1, 1, 16, 16]
 * float32) and label.npy (int64). Prints the student's accuracy, the
 * teacher's, and how often they agree; writes one line "<sample>
 * <student's class>" per sample to PREDICTIONS_FILE; exits 1 below 95%
 * student accuracy. */
#include "digits/model.h"
#include "teacher/model.h"

#include <dsc/runtime.h>
#include <dsc/tensor_io.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s DATA_DIR [PREDICTIONS_FILE]\n", argv[0]);
    return 2;
  }
  DIR *dir = opendir(argv[1]);
  if (!dir) {
    perror(argv[1]);
    return 1;
  }
  char **names = NULL;
  size_t count = 0;
  for (struct dirent *e; (e = readdir(dir));) {
    if (e->d_name[0] == '.')
      continue;
    names = realloc(names, (count + 1) * sizeof *names);
    names[count++] = strdup(e->d_name);
  }
  closedir(dir);
  qsort(names, count, sizeof *names, compare_names);

  dsc_status status;
  dsc_instance *instance = dsc_instance_create(&digits_model, NULL, 0, &status);
  dsc_instance *teacher = instance ? dsc_instance_create(&teacher_model, NULL, 0, &status) : NULL;
  if (!instance || !teacher) {
    fprintf(stderr, "cannot create the models: %s\n", dsc_status_message(status));
    return 1;
  }
  FILE *predictions = argc > 2 ? fopen(argv[2], "w") : NULL;
  float logits[10], teacher_logits[10];
  size_t correct = 0, teacher_correct = 0, agree = 0, total = 0;
  for (size_t i = 0; i < count; ++i) {
    char path[4096], err[256];
    dsc_tensor image, label;
    snprintf(path, sizeof path, "%s/%s/image.npy", argv[1], names[i]);
    if (dsc_tensor_read(path, &image, NULL, 0, err, sizeof err) != 0) {
      fprintf(stderr, "%s: %s\n", path, err);
      return 1;
    }
    snprintf(path, sizeof path, "%s/%s/label.npy", argv[1], names[i]);
    if (dsc_tensor_read(path, &label, NULL, 0, err, sizeof err) != 0) {
      fprintf(stderr, "%s: %s\n", path, err);
      return 1;
    }
    void *inputs[1] = {image.data};
    void *outputs[1] = {logits};
    if ((status = dsc_run(instance, inputs, outputs)) != DSC_OK) {
      fprintf(stderr, "run failed: %s\n", dsc_status_message(status));
      return 1;
    }
    void *teacher_outputs[1] = {teacher_logits};
    if ((status = dsc_run(teacher, inputs, teacher_outputs)) != DSC_OK) {
      fprintf(stderr, "teacher run failed: %s\n", dsc_status_message(status));
      return 1;
    }
    int best = 0, teacher_best = 0;
    for (int c = 1; c < 10; ++c) {
      if (logits[c] > logits[best])
        best = c;
      if (teacher_logits[c] > teacher_logits[teacher_best])
        teacher_best = c;
    }
    int truth = (int)((const int64_t *)label.data)[0];
    correct += best == truth;
    teacher_correct += teacher_best == truth;
    agree += best == teacher_best;
    ++total;
    if (predictions)
      fprintf(predictions, "%s %d\n", names[i], best);
    dsc_tensor_free(&image);
    dsc_tensor_free(&label);
    free(names[i]);
  }
  free(names);
  if (predictions)
    fclose(predictions);
  dsc_instance_destroy(instance);
  dsc_instance_destroy(teacher);
  double accuracy = total ? (double)correct / total : 0.0;
  printf("classified %zu digits: accuracy %.2f%%\n", total, 100.0 * accuracy);
  printf("teacher (float): accuracy %.2f%%, same class as the student on %zu of %zu\n",
         total ? 100.0 * teacher_correct / total : 0.0, agree, total);
  return accuracy >= 0.95 ? 0 : 1;
}
