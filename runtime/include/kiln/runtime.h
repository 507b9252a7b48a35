/* Kiln runtime: the C API that every compiled model library carries.
 *
 * Plain C99, no LLVM/MLIR. Conventions (as IREE and onnx-mlir):
 *  - every fallible call returns a kiln_status_t; NULL means success, any other
 *    value owns a code and a message and must be released with
 *    kiln_status_free();
 *  - handles are opaque; out-parameters come last and start with `out_`;
 *  - destroy functions accept NULL.
 *
 * Thread safety: a kiln_model_t is immutable and may be shared freely. A
 * kiln_session_t may be used by one thread at a time; create one session per
 * calling thread to run concurrently.
 */
#ifndef KILN_RUNTIME_H
#define KILN_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the descriptor layout below; bumped on incompatible changes. */
#define KILN_ABI_VERSION 2

/* Element types; the values are ONNX's TensorProto.DataType numbers. */
typedef enum kiln_dtype_t {
  KILN_DTYPE_INVALID = 0,
  KILN_DTYPE_F32 = 1,
  KILN_DTYPE_U8 = 2,
  KILN_DTYPE_I8 = 3,
  KILN_DTYPE_U16 = 4,
  KILN_DTYPE_I16 = 5,
  KILN_DTYPE_I32 = 6,
  KILN_DTYPE_I64 = 7,
  KILN_DTYPE_BOOL = 9,
  KILN_DTYPE_F16 = 10,
  KILN_DTYPE_F64 = 11,
  KILN_DTYPE_U32 = 12,
  KILN_DTYPE_U64 = 13,
  KILN_DTYPE_BF16 = 16
} kiln_dtype_t;

/* Size in bytes of one element of `dtype`, 0 for an unknown dtype. */
size_t kiln_dtype_size(kiln_dtype_t dtype);
/* Short name ("f32", "i64", ...) of `dtype`; "invalid" for unknown values. */
const char *kiln_dtype_name(kiln_dtype_t dtype);

/*===------------------------------------------------------------------===*
 * Status
 *===------------------------------------------------------------------===*/

typedef enum kiln_status_code_t {
  KILN_STATUS_OK = 0,
  KILN_STATUS_INVALID_ARGUMENT = 1,
  KILN_STATUS_OUT_OF_MEMORY = 2,
  KILN_STATUS_UNAVAILABLE = 3,
  KILN_STATUS_INTERNAL = 4,
} kiln_status_code_t;

typedef struct kiln_status *kiln_status_t; /* NULL == OK */

kiln_status_code_t kiln_status_code(kiln_status_t status);
/* The message; "OK" for NULL. Valid until kiln_status_free(status). */
const char *kiln_status_message(kiln_status_t status);
void kiln_status_free(kiln_status_t status);

/*===------------------------------------------------------------------===*
 * Model descriptor (exported by every compiled model library)
 *===------------------------------------------------------------------===*/

/* Signature of one input or output of a model. */
typedef struct kiln_tensor_desc_t {
  const char *name;
  kiln_dtype_t dtype;
  int32_t rank;
  const int64_t *shape; /* `rank` extents */
} kiln_tensor_desc_t;

/* Compiled entry point. `buffers` holds the inputs' then the outputs' data
 * pointers in signature order; `arena` is `arena_size` bytes of scratch owned
 * by the session; `ctx` is the calling session (for runtime services such as
 * kiln_parallel_for). */
typedef void (*kiln_entry_fn_t)(void *const *buffers, void *arena, void *ctx);

typedef struct kiln_model_t {
  uint32_t abi_version; /* KILN_ABI_VERSION */
  const char *name;
  int32_t num_inputs;
  const kiln_tensor_desc_t *inputs;
  int32_t num_outputs;
  const kiln_tensor_desc_t *outputs;
  uint64_t arena_size;   /* bytes of scratch the entry needs */
  uint64_t weights_size; /* bytes of constant weights in the library */
  const char *target;    /* target triple and CPU the code was built for */
  kiln_entry_fn_t entry;
  /* The kernels of the fusion phase, in execution order, each named after
   * its anchor's ONNX node (what kiln-compile --report lists). */
  int32_t num_kernels;
  const char *const *kernel_names;
} kiln_model_t;

/* Every shared model library also exports this (weak) symbol, so a loader
 * that does not know the model's name can find it with dlsym. */
#define KILN_LIBRARY_MODEL_SYMBOL "kiln_library_model"

/*===------------------------------------------------------------------===*
 * Tensors and sessions
 *===------------------------------------------------------------------===*/

/* A borrowed, dense, row-major buffer. The caller owns `data` and `shape`. */
typedef struct kiln_tensor_t {
  kiln_dtype_t dtype;
  int32_t rank;
  const int64_t *shape;
  void *data;
} kiln_tensor_t;

typedef struct kiln_session_options_t {
  int32_t num_threads; /* 0: one per available core; 1: the caller only */
  int32_t profile;     /* nonzero: time every kernel (kiln_session_profile) */
  /* Zero (default): each worker thread is pinned to its own CPU of the
   * process's affinity set, not the one the creating thread runs on (when
   * there are enough CPUs); nonzero: the OS places the workers. */
  int32_t no_affinity;
} kiln_session_options_t;

/* Sets the defaults (all zero: one thread per CPU, no profiling, pinned
 * workers); NULL-safe. Passing NULL
 * options to kiln_session_create is the same as passing initialised defaults.
 */
void kiln_session_options_init(kiln_session_options_t *options);

typedef struct kiln_session kiln_session_t;

/* Creates a session for `model`: validates the descriptor, allocates the
 * arena and starts the thread pool. `options` may be NULL (defaults). */
kiln_status_t kiln_session_create(const kiln_model_t *model,
                                  const kiln_session_options_t *options,
                                  kiln_session_t **out_session);
void kiln_session_destroy(kiln_session_t *session);

const kiln_model_t *kiln_session_model(const kiln_session_t *session);
int32_t kiln_session_num_threads(const kiln_session_t *session);

/* Runs the model once. Inputs are read, outputs written in place; both are
 * borrowed for the duration of the call and checked against the model's
 * signature (count, dtype, rank, shape, non-NULL data). Does not allocate on
 * success. */
kiln_status_t kiln_session_run(kiln_session_t *session,
                               const kiln_tensor_t *inputs, size_t num_inputs,
                               const kiln_tensor_t *outputs,
                               size_t num_outputs);

/* With options.profile set: nanoseconds spent in each kernel
 * (model->kernel_names[i]), summed over every run since the session was
 * created or the last reset, and the number of those runs. Returns NULL (and
 * 0 runs) when the session does not profile. */
const uint64_t *kiln_session_profile(const kiln_session_t *session,
                                     uint64_t *num_runs);
void kiln_session_profile_reset(kiln_session_t *session);

/*===------------------------------------------------------------------===*
 * Services for compiled code
 *===------------------------------------------------------------------===*/

/* Calls fn(user, begin, end) over disjoint chunks covering [0, n), on the
 * session's thread pool (the caller takes part), and returns when all are
 * done. `ctx` is the entry's ctx. With a NULL ctx, a one-thread session, or
 * when called from inside another kiln_parallel_for on the same session,
 * runs fn(user, 0, n) inline on the calling thread. */
typedef void (*kiln_parallel_fn_t)(void *user, int64_t begin, int64_t end);
void kiln_parallel_for(void *ctx, int64_t n, kiln_parallel_fn_t fn, void *user);

/* Compiled code calls this as kernel `kernel` starts (kernel == num_kernels
 * when the last one ends). A no-op unless the session profiles. */
void kiln_profile_mark(void *ctx, int32_t kernel);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KILN_RUNTIME_H */
