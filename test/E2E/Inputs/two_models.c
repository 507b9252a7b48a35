/* Two compiled models linked into one C program: each library exports only
 * its own descriptor (kiln_model_digits, kiln_model_mlp); the runtime API is
 * shared. Prints each model's output and checks it against a reference. */
#include "digits.h"
#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int load(const char *path, float *out, size_t n) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  size_t got = fread(out, sizeof(float), n, f);
  fclose(f);
  return got == n ? 0 : -1;
}

static int check(const char *what, kiln_status_t status) {
  if (!status)
    return 0;
  fprintf(stderr, "%s: %s\n", what, kiln_status_message(status));
  kiln_status_free(status);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s DIGITS_IN MLP_IN MLP_EXPECTED DIGITS_EXPECTED\n",
            argv[0]);
    return 2;
  }
  static float digits_in[digits_INPUT_0_NUM_ELEMENTS];
  static float digits_out[digits_OUTPUT_0_NUM_ELEMENTS];
  static float digits_ref[digits_OUTPUT_0_NUM_ELEMENTS];
  static float mlp_in[mlp_INPUT_0_NUM_ELEMENTS];
  static float mlp_out[mlp_OUTPUT_0_NUM_ELEMENTS];
  static float mlp_ref[mlp_OUTPUT_0_NUM_ELEMENTS];
  if (load(argv[1], digits_in, digits_INPUT_0_NUM_ELEMENTS) ||
      load(argv[2], mlp_in, mlp_INPUT_0_NUM_ELEMENTS) ||
      load(argv[3], mlp_ref, mlp_OUTPUT_0_NUM_ELEMENTS) ||
      load(argv[4], digits_ref, digits_OUTPUT_0_NUM_ELEMENTS)) {
    fprintf(stderr, "cannot read inputs\n");
    return 2;
  }
  kiln_session_t *a = NULL, *b = NULL;
  if (check("digits", digits_session_create(1, &a)) ||
      check("mlp", mlp_session_create(2, &b)) ||
      check("digits run", digits_run(a, digits_in, digits_out)) ||
      check("mlp run", mlp_run(b, mlp_in, mlp_out)))
    return 1;
  printf("models: %s %s\n", kiln_session_model(a)->name,
         kiln_session_model(b)->name);
  float err = 0;
  for (int i = 0; i < mlp_OUTPUT_0_NUM_ELEMENTS; ++i)
    err = fmaxf(err, fabsf(mlp_out[i] - mlp_ref[i]));
  for (int i = 0; i < digits_OUTPUT_0_NUM_ELEMENTS; ++i)
    err = fmaxf(err, fabsf(digits_out[i] - digits_ref[i]));
  printf("max abs error: %g\n", err);
  kiln_session_destroy(a);
  kiln_session_destroy(b);
  return err < 1e-4f ? 0 : 1;
}
