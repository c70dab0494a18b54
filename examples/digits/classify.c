/* Classifies digit images with a model compiled by dsc_add_model():
 *
 *   classify DATA_DIR [PREDICTIONS_FILE]
 *
 * DATA_DIR holds one folder per sample with image.npy ([1, 1, 16, 16]
 * float32) and label.npy (int64). Prints the accuracy, writes one line
 * "<sample> <predicted class>" per sample to PREDICTIONS_FILE, and exits 1
 * below 95% accuracy. */
#include "digits/model.h"

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
  if (!instance) {
    fprintf(stderr, "cannot create the model: %s\n", dsc_status_message(status));
    return 1;
  }
  FILE *predictions = argc > 2 ? fopen(argv[2], "w") : NULL;
  float logits[10];
  size_t correct = 0, total = 0;
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
    int best = 0;
    for (int c = 1; c < 10; ++c)
      if (logits[c] > logits[best])
        best = c;
    correct += best == (int)((const int64_t *)label.data)[0];
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
  double accuracy = total ? (double)correct / total : 0.0;
  printf("classified %zu digits: accuracy %.2f%%\n", total, 100.0 * accuracy);
  return accuracy >= 0.95 ? 0 : 1;
}
