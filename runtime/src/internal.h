/* Private declarations shared by the runtime's translation units. */
#ifndef KILN_RUNTIME_INTERNAL_H
#define KILN_RUNTIME_INTERNAL_H

#include "kiln/runtime.h"

#include <pthread.h>

#if defined(__GNUC__) || defined(__clang__)
#define KILN_PRINTF_FORMAT(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define KILN_PRINTF_FORMAT(fmt, args)
#endif

/* Builds a status with a printf-formatted message. Never returns NULL: when
 * the message cannot be allocated it returns a static out-of-memory status
 * that kiln_status_free() ignores. */
kiln_status_t kiln_make_status(kiln_status_code_t code, const char *fmt, ...)
    KILN_PRINTF_FORMAT(2, 3);

/*===------------------------------------------------------------------===*
 * Thread pool
 *===------------------------------------------------------------------===*/

typedef struct kiln_pool kiln_pool_t;

/* Starts `num_workers` (>= 1) worker threads; with `pin`, each on its own
 * CPU of the process's affinity set, none on the creating thread's. */
kiln_status_t kiln_pool_create(int32_t num_workers, int pin,
                               kiln_pool_t **out_pool);
/* The CPU left to the calling thread when the workers are pinned (the one
 * the pool's creator ran on), else -1. */
int kiln_pool_caller_cpu(const kiln_pool_t *pool);
/* Wakes and joins every worker; accepts NULL. */
void kiln_pool_destroy(kiln_pool_t *pool);
/* Runs fn over [0, n) on the workers and the calling thread. Re-entrant calls
 * (from inside fn, on any thread) run inline instead of deadlocking. */
void kiln_pool_parallel_for(kiln_pool_t *pool, int64_t n, kiln_parallel_fn_t fn,
                            void *user);

/*===------------------------------------------------------------------===*
 * Session
 *===------------------------------------------------------------------===*/

typedef void (*kiln_parallel_for_impl_t)(struct kiln_session *session,
                                         int64_t n, kiln_parallel_fn_t fn,
                                         void *user);

/* The pool-backed implementation that sessions of this copy point at. */
kiln_parallel_for_impl_t kiln_parallel_for_impl(void);

typedef void (*kiln_profile_mark_impl_t)(struct kiln_session *session,
                                         int32_t kernel);

struct kiln_session {
  /* Must stay the first member. A model library links its own copy of the
   * runtime, so its kiln_parallel_for may receive a session created by a
   * different copy (e.g. the host's); dispatching through this pointer keeps
   * the pool logic and layout private to the copy that built the session. */
  kiln_parallel_for_impl_t parallel_for;
  /* Must stay the second member, for the same reason; NULL when the
   * session does not profile. */
  kiln_profile_mark_impl_t profile_mark;
  const kiln_model_t *model;
  void *arena;
  void **buffers; /* num_inputs + num_outputs, filled by each run */
  int32_t num_threads;
  kiln_pool_t *pool; /* NULL when num_threads == 1 */
  /* Profiling: per-kernel totals, the kernel running and when it began. */
  uint64_t *kernel_ns;
  uint64_t profiled_runs;
  int32_t current_kernel; /* -1 between runs */
  uint64_t kernel_start_ns;
};

/* The implementation that profiling sessions of this copy point at. */
kiln_profile_mark_impl_t kiln_profile_mark_impl(void);

#endif /* KILN_RUNTIME_INTERNAL_H */
