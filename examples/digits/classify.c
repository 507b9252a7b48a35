/* Classifies the bundled handwritten-digit samples with a compiled model.
 *
 *   kiln-compile digits.onnx -o build/libdigits.so   (writes digits.h too)
 *   cc -I build classify.c -L build -ldigits -o classify
 *   ./classify samples/labels.txt
 *
 * Uses nothing but the generated digits.h: the typed entry point
 * digits_run() and the model's shape macros. */
#include "digits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reads a little-endian float32 .npy file of exactly `count` elements. */
static int read_npy_f32(const char *path, float *out, size_t count) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  unsigned char magic[10];
  int ok = fread(magic, 1, 10, f) == 10 && memcmp(magic, "\x93NUMPY", 6) == 0;
  size_t header_len = 0;
  if (ok && magic[6] == 1) {
    header_len = magic[8] | (magic[9] << 8);
  } else if (ok) {
    unsigned char more[2];
    ok = fread(more, 1, 2, f) == 2;
    header_len = magic[8] | (magic[9] << 8) | (more[0] << 16) | (more[1] << 24);
  }
  char header[512];
  ok = ok && header_len < sizeof(header) &&
       fread(header, 1, header_len, f) == header_len;
  if (ok) {
    header[header_len] = '\0';
    ok = strstr(header, "'<f4'") != NULL &&
         strstr(header, "'fortran_order': False") != NULL;
  }
  ok = ok && fread(out, sizeof(float), count, f) == count;
  fclose(f);
  return ok ? 0 : -1;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s LABELS.txt\n", argv[0]);
    return 2;
  }
  kiln_session_t *session = NULL;
  kiln_status_t status = digits_session_create(1, &session);
  if (status) {
    fprintf(stderr, "error: %s\n", kiln_status_message(status));
    kiln_status_free(status);
    return 1;
  }

  /* Samples are listed as "FILE LABEL", relative to the labels file. */
  FILE *labels = fopen(argv[1], "r");
  if (!labels) {
    fprintf(stderr, "error: cannot open %s\n", argv[1]);
    return 2;
  }
  char dir[1024];
  snprintf(dir, sizeof(dir), "%s", argv[1]);
  char *slash = strrchr(dir, '/');
  if (slash)
    slash[1] = '\0';
  else
    dir[0] = '\0';

  float image[digits_INPUT_0_NUM_ELEMENTS];
  float logits[digits_OUTPUT_0_NUM_ELEMENTS];
  char file[256];
  int label, total = 0, correct = 0;
  while (fscanf(labels, "%255s %d", file, &label) == 2) {
    char path[1400];
    snprintf(path, sizeof(path), "%s%s", dir, file);
    if (read_npy_f32(path, image, digits_INPUT_0_NUM_ELEMENTS) != 0) {
      fprintf(stderr, "error: %s is not a float32 .npy of %d elements\n", path,
              digits_INPUT_0_NUM_ELEMENTS);
      return 2;
    }
    if ((status = digits_run(session, image, logits))) {
      fprintf(stderr, "error: %s\n", kiln_status_message(status));
      kiln_status_free(status);
      return 1;
    }
    int best = 0;
    for (int i = 1; i < digits_OUTPUT_0_NUM_ELEMENTS; ++i)
      if (logits[i] > logits[best])
        best = i;
    printf("%s: predicted %d, label %d%s\n", file, best, label,
           best == label ? "" : "  (wrong)");
    correct += best == label;
    ++total;
  }
  fclose(labels);
  if (total == 0) {
    fprintf(stderr, "error: no samples in %s\n", argv[1]);
    return 2;
  }

  /* Latency of one inference, median over repeated runs. */
  enum { RUNS = 200 };
  double times[RUNS];
  for (int i = 0; i < RUNS; ++i) {
    double t0 = now_ms();
    kiln_status_free(digits_run(session, image, logits));
    times[i] = now_ms() - t0;
  }
  qsort(times, RUNS, sizeof(double), compare_double);
  printf("accuracy: %d/%d = %.1f%%\n", correct, total, 100.0 * correct / total);
  printf("latency: median %.4f ms, min %.4f ms over %d runs\n", times[RUNS / 2],
         times[0], RUNS);
  kiln_session_destroy(session);
  return correct * 10 >= total * 9 ? 0 : 1; /* fail below 90% */
}
