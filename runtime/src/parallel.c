/* Thread pool behind kiln_parallel_for.
 *
 * One job at a time: the caller publishes it under the mutex, bumps
 * `generation` and wakes every worker; the workers and the caller then claim
 * chunks with an atomic counter, and the caller waits until every worker has
 * acknowledged the job before returning (so the job fields can be reused). */
#define _POSIX_C_SOURCE 200809L

#include "internal.h"

#include <sched.h>
#include <signal.h>
#include <stdlib.h>

struct kiln_pool {
  pthread_mutex_t mutex;
  pthread_cond_t work_cv; /* workers wait here for a new generation */
  pthread_cond_t done_cv; /* the caller waits here for pending == 0 */
  pthread_t *threads;
  int32_t num_workers;
  int shutdown;
  uint64_t generation;
  int32_t pending; /* workers that have not finished the current job */
  int busy;        /* set while a job runs; accessed atomically */

  /* The current job; written by the caller under the mutex. */
  kiln_parallel_fn_t fn;
  void *user;
  int64_t n;
  int64_t chunk_size;
  int64_t num_chunks;
  int64_t next_chunk; /* accessed atomically */
};

/* Chunks per thread: enough to even out uneven chunks, few enough that the
 * atomic counter stays cheap. */
#define KILN_CHUNKS_PER_THREAD 4

static void run_chunks(kiln_pool_t *pool) {
  for (;;) {
    int64_t c = __atomic_fetch_add(&pool->next_chunk, 1, __ATOMIC_RELAXED);
    if (c >= pool->num_chunks)
      return;
    int64_t begin = c * pool->chunk_size;
    int64_t end = begin + pool->chunk_size;
    if (end > pool->n)
      end = pool->n;
    pool->fn(pool->user, begin, end);
  }
}

/* How long a thread spins for the next job (workers) or for the workers
 * to finish (the caller) before sleeping on a condition variable: model
 * layers come back to back, and a futex wake-up costs tens of
 * microseconds on a busy machine. */
#define KILN_SPIN_ITERATIONS 4000

/* One step of a spin-wait. Every so often it yields the CPU: a new worker
 * may share the caller's core until the scheduler moves it, and a pure
 * spin would then keep the thread it waits for from running. */
static inline void spin_step(int i) {
  if (i % 64 == 63) {
    sched_yield();
    return;
  }
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static void *worker_main(void *arg) {
  kiln_pool_t *pool = arg;
  /* Start from 0, not from the current generation: a worker that gets
   * scheduled after the first job was published must still take part. */
  uint64_t seen = 0;
  for (;;) {
    for (int i = 0;
         i < KILN_SPIN_ITERATIONS &&
         __atomic_load_n(&pool->generation, __ATOMIC_ACQUIRE) == seen &&
         !__atomic_load_n(&pool->shutdown, __ATOMIC_ACQUIRE);
         ++i)
      spin_step(i);
    pthread_mutex_lock(&pool->mutex);
    while (!pool->shutdown &&
           __atomic_load_n(&pool->generation, __ATOMIC_ACQUIRE) == seen)
      pthread_cond_wait(&pool->work_cv, &pool->mutex);
    if (pool->shutdown) {
      pthread_mutex_unlock(&pool->mutex);
      break;
    }
    seen = pool->generation;
    pthread_mutex_unlock(&pool->mutex);
    run_chunks(pool);
    if (__atomic_sub_fetch(&pool->pending, 1, __ATOMIC_ACQ_REL) == 0) {
      /* Under the mutex, so a caller about to sleep cannot miss it. */
      pthread_mutex_lock(&pool->mutex);
      pthread_cond_signal(&pool->done_cv);
      pthread_mutex_unlock(&pool->mutex);
    }
  }
  return NULL;
}

/* Stops and joins the first `num_started` workers, then frees the pool. */
static void pool_teardown(kiln_pool_t *pool, int32_t num_started) {
  pthread_mutex_lock(&pool->mutex);
  __atomic_store_n(&pool->shutdown, 1, __ATOMIC_RELEASE);
  pthread_cond_broadcast(&pool->work_cv);
  pthread_mutex_unlock(&pool->mutex);
  for (int32_t i = 0; i < num_started; ++i)
    pthread_join(pool->threads[i], NULL);
  pthread_cond_destroy(&pool->done_cv);
  pthread_cond_destroy(&pool->work_cv);
  pthread_mutex_destroy(&pool->mutex);
  free(pool->threads);
  free(pool);
}

kiln_status_t kiln_pool_create(int32_t num_workers, kiln_pool_t **out_pool) {
  *out_pool = NULL;
  kiln_pool_t *pool = calloc(1, sizeof(*pool));
  if (!pool)
    return kiln_make_status(KILN_STATUS_OUT_OF_MEMORY,
                            "cannot allocate thread pool");
  pool->threads = calloc((size_t)num_workers, sizeof(pthread_t));
  if (!pool->threads) {
    free(pool);
    return kiln_make_status(KILN_STATUS_OUT_OF_MEMORY,
                            "cannot allocate %d worker handles", num_workers);
  }
  if (pthread_mutex_init(&pool->mutex, NULL) != 0) {
    free(pool->threads);
    free(pool);
    return kiln_make_status(KILN_STATUS_INTERNAL, "pthread_mutex_init failed");
  }
  pthread_cond_init(&pool->work_cv, NULL);
  pthread_cond_init(&pool->done_cv, NULL);
  pool->num_workers = num_workers;

  /* Workers inherit a fully blocked signal mask so that asynchronous signals
   * keep going to the application's own threads. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int32_t started = 0;
  int err = 0;
  for (; started < num_workers; ++started) {
    err = pthread_create(&pool->threads[started], NULL, worker_main, pool);
    if (err != 0)
      break;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (err != 0) {
    pool_teardown(pool, started);
    return kiln_make_status(KILN_STATUS_UNAVAILABLE,
                            "cannot start worker thread %d of %d (error %d)",
                            (int)started + 1, (int)num_workers, err);
  }
  *out_pool = pool;
  return NULL;
}

void kiln_pool_destroy(kiln_pool_t *pool) {
  if (pool)
    pool_teardown(pool, pool->num_workers);
}

void kiln_pool_parallel_for(kiln_pool_t *pool, int64_t n, kiln_parallel_fn_t fn,
                            void *user) {
  if (n <= 0)
    return;
  /* A call made while a job is running can only come from inside that job's
   * fn (a session serves one thread at a time): run it inline, since the
   * workers are all busy and waiting for them would deadlock. */
  int expected = 0;
  if (n == 1 ||
      !__atomic_compare_exchange_n(&pool->busy, &expected, 1, 0,
                                   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
    fn(user, 0, n);
    return;
  }

  int64_t num_threads = (int64_t)pool->num_workers + 1;
  int64_t num_chunks = num_threads * KILN_CHUNKS_PER_THREAD;
  if (num_chunks > n)
    num_chunks = n;
  int64_t chunk_size = (n + num_chunks - 1) / num_chunks;

  pthread_mutex_lock(&pool->mutex);
  pool->fn = fn;
  pool->user = user;
  pool->n = n;
  pool->chunk_size = chunk_size;
  pool->num_chunks = (n + chunk_size - 1) / chunk_size;
  pool->next_chunk = 0;
  __atomic_store_n(&pool->pending, pool->num_workers, __ATOMIC_RELAXED);
  /* Publishes the job to spinning workers too. */
  __atomic_add_fetch(&pool->generation, 1, __ATOMIC_RELEASE);
  pthread_cond_broadcast(&pool->work_cv);
  pthread_mutex_unlock(&pool->mutex);

  run_chunks(pool);

  for (int i = 0; i < KILN_SPIN_ITERATIONS &&
                  __atomic_load_n(&pool->pending, __ATOMIC_ACQUIRE) > 0;
       ++i)
    spin_step(i);
  if (__atomic_load_n(&pool->pending, __ATOMIC_ACQUIRE) > 0) {
    pthread_mutex_lock(&pool->mutex);
    while (__atomic_load_n(&pool->pending, __ATOMIC_ACQUIRE) > 0)
      pthread_cond_wait(&pool->done_cv, &pool->mutex);
    pthread_mutex_unlock(&pool->mutex);
  }
  __atomic_store_n(&pool->busy, 0, __ATOMIC_RELEASE);
}

static void inline_parallel_for(struct kiln_session *session, int64_t n,
                                kiln_parallel_fn_t fn, void *user) {
  (void)session;
  if (n > 0)
    fn(user, 0, n);
}

static void pool_parallel_for(struct kiln_session *session, int64_t n,
                              kiln_parallel_fn_t fn, void *user) {
  if (session->pool)
    kiln_pool_parallel_for(session->pool, n, fn, user);
  else
    inline_parallel_for(session, n, fn, user);
}

kiln_parallel_for_impl_t kiln_parallel_for_impl(void) {
  return pool_parallel_for;
}

void kiln_parallel_for(void *ctx, int64_t n, kiln_parallel_fn_t fn,
                       void *user) {
  if (n <= 0 || !fn)
    return;
  struct kiln_session *session = ctx;
  if (!session || !session->parallel_for) {
    fn(user, 0, n);
    return;
  }
  session->parallel_for(session, n, fn, user);
}
