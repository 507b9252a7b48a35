/* Thread pool behind kiln_parallel_for.
 *
 * One job at a time: the caller publishes it under the mutex, bumps
 * `generation` and wakes every worker; the workers that arrive while the
 * job is open join it (`job`), and they and the caller claim chunks. Once
 * every chunk is claimed the caller closes the job and waits only for the
 * workers that joined (so the job fields can be reused): a worker that the
 * OS has not scheduled yet -- its CPU busy with another process's threads
 * -- skips the closed job instead of holding the caller up for a scheduler
 * tick (a 0.04 ms model took 5-12 ms next to another pool's spinning
 * threads when the caller waited for every worker). Each thread owns a
 * contiguous run of the chunks, the same for jobs of the same size, and
 * claims those first, then the others' that are left: consecutive layers
 * split the same way then find their inputs in the cache of the core that
 * wrote them, while a slow thread still cannot hold the job up. */
#define _GNU_SOURCE /* sched_getcpu, pthread_setaffinity_np */

#include "internal.h"

#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

struct kiln_pool;

/* What a worker thread starts with. */
typedef struct kiln_worker {
  struct kiln_pool *pool;
  int cpu;   /* the CPU it pins itself to; -1: none */
  int index; /* its thread index; the caller is 0 */
} kiln_worker_t;

/* One thread's run of chunks [next, end) of the current job; on a cache
 * line of its own, since every thread claims from it. */
typedef struct kiln_chunks {
  int64_t next; /* accessed atomically */
  int64_t end;
  char pad[64 - 2 * sizeof(int64_t)];
} kiln_chunks_t;

struct kiln_pool {
  pthread_mutex_t mutex;
  pthread_cond_t work_cv; /* workers wait here for a new generation */
  pthread_cond_t done_cv; /* the caller waits here for the joined workers */
  pthread_t *threads;
  kiln_worker_t *workers;
  int32_t num_workers;
  int caller_cpu; /* the CPU no worker is pinned to; -1: workers unpinned */
  int shutdown;
  int64_t generation;
  /* The current job's generation (high 32 bits), a closed flag (bit 31)
   * and the number of workers inside it (low bits); accessed atomically. */
  uint64_t job;
  int busy; /* set while a job runs; accessed atomically */

  /* The current job; written by the caller under the mutex. */
  kiln_parallel_fn_t fn;
  void *user;
  int64_t n;
  int64_t chunk_size;
  kiln_chunks_t *chunks; /* per thread, num_workers + 1 */
};

#define KILN_JOB_CLOSED ((uint64_t)1 << 31)
#define KILN_JOB_COUNT (KILN_JOB_CLOSED - 1)

static uint64_t job_word(int64_t generation) {
  return (uint64_t)generation << 32;
}

/* Joins job `generation` if it is still open; returns whether it did. */
static int join_job(kiln_pool_t *pool, int64_t generation) {
  uint64_t w = __atomic_load_n(&pool->job, __ATOMIC_ACQUIRE);
  do {
    if ((w & ~(KILN_JOB_CLOSED | KILN_JOB_COUNT)) != job_word(generation) ||
        (w & KILN_JOB_CLOSED))
      return 0;
  } while (!__atomic_compare_exchange_n(&pool->job, &w, w + 1, 1,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
  return 1;
}

/* Chunks per thread: enough that the split is even to a small part of a
 * thread's share (a layer's 14 output rows split 7/7, not 6/8 in chunks of
 * 2), few enough that claiming them stays cheap. */
#define KILN_CHUNKS_PER_THREAD 16

/* Runs thread `self`'s chunks, then those the others have not claimed. */
static void run_chunks(kiln_pool_t *pool, int self) {
  int num_threads = pool->num_workers + 1;
  for (int i = 0; i < num_threads; ++i) {
    kiln_chunks_t *own = &pool->chunks[(self + i) % num_threads];
    for (;;) {
      int64_t c = __atomic_fetch_add(&own->next, 1, __ATOMIC_RELAXED);
      if (c >= own->end)
        break;
      int64_t begin = c * pool->chunk_size;
      int64_t end = begin + pool->chunk_size;
      if (end > pool->n)
        end = pool->n;
      pool->fn(pool->user, begin, end);
    }
  }
}

/* How long a thread spins for the next job (workers) or for the workers
 * to finish (the caller) before sleeping on a condition variable: model
 * layers come back to back, and waking a sleeping thread took 30-200 us
 * in the VMs we measured, as long as a whole layer. */
#define KILN_SPIN_NS 2000000
#define KILN_SPIN_CHECK 64 /* spin steps between clock reads */

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* One step of a spin-wait. Every so often it yields the CPU: a new worker
 * may share the caller's core until the scheduler moves it, and a pure
 * spin would then keep the thread it waits for from running. */
static inline void spin_step(int i) {
  if (i % KILN_SPIN_CHECK == KILN_SPIN_CHECK - 1) {
    sched_yield();
    return;
  }
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/* Spins until `*word` differs from `value`, `*stop` is set, or the spin
 * time is up; returns whether `*word` changed. */
static int spin_while_equal(const int64_t *word, int64_t value,
                            const int *stop) {
  int64_t deadline = 0;
  for (int i = 0;; ++i) {
    if (__atomic_load_n(word, __ATOMIC_ACQUIRE) != value)
      return 1;
    if (stop && __atomic_load_n(stop, __ATOMIC_ACQUIRE))
      return 0;
    if (i % KILN_SPIN_CHECK == 0) {
      int64_t t = now_ns();
      if (!deadline)
        deadline = t + KILN_SPIN_NS;
      else if (t > deadline)
        return 0;
    }
    spin_step(i);
  }
}

static void *worker_main(void *arg) {
  kiln_worker_t *self = arg;
  kiln_pool_t *pool = self->pool;
  if (self->cpu >= 0) {
    /* Placement is best effort: unpinned, the worker still runs. */
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(self->cpu, &set);
    (void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
  }
  /* Start from 0, not from the current generation: a worker that gets
   * scheduled after the first job was published must still join it while
   * it is open. */
  int64_t seen = 0;
  for (;;) {
    /* A job seen while spinning is read without the mutex (its fields are
     * written before the release of `generation`): taking it there would
     * often find the caller still holding it, and block in the kernel. */
    if (!spin_while_equal(&pool->generation, seen, &pool->shutdown)) {
      pthread_mutex_lock(&pool->mutex);
      while (!pool->shutdown &&
             __atomic_load_n(&pool->generation, __ATOMIC_ACQUIRE) == seen)
        pthread_cond_wait(&pool->work_cv, &pool->mutex);
      pthread_mutex_unlock(&pool->mutex);
    }
    if (__atomic_load_n(&pool->shutdown, __ATOMIC_ACQUIRE))
      break;
    seen = __atomic_load_n(&pool->generation, __ATOMIC_ACQUIRE);
    if (!join_job(pool, seen))
      continue; /* already closed: every chunk was claimed without us */
    run_chunks(pool, self->index);
    uint64_t left = __atomic_sub_fetch(&pool->job, 1, __ATOMIC_ACQ_REL);
    if ((left & KILN_JOB_CLOSED) && (left & KILN_JOB_COUNT) == 0) {
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
  free(pool->workers);
  free(pool->chunks);
  free(pool);
}

/* Gives worker i the i-th CPU the process may use, skipping the one the
 * creating thread runs on (it runs chunks too). Left unpinned, workers can
 * stay on the creator's CPU: some kernels pack runnable threads onto few
 * vCPUs (one VM here ran both threads of a 2-thread pool on one vCPU, for
 * no speed-up at all). No pinning when the threads outnumber the CPUs.
 * `*caller_cpu` gets the CPU left to the caller (kiln_session_run keeps the
 * caller there during a run), or -1. */
static void assign_cpus(kiln_worker_t *workers, int32_t num_workers, int pin,
                        int *caller_cpu) {
  *caller_cpu = -1;
  for (int32_t i = 0; i < num_workers; ++i)
    workers[i].cpu = -1;
  cpu_set_t allowed;
  if (!pin || sched_getaffinity(0, sizeof(allowed), &allowed) != 0 ||
      CPU_COUNT(&allowed) < num_workers + 1)
    return;
  int caller = sched_getcpu();
  if (caller < 0 || !CPU_ISSET(caller, &allowed))
    return;
  int32_t next = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE && next < num_workers; ++cpu)
    if (CPU_ISSET(cpu, &allowed) && cpu != caller)
      workers[next++].cpu = cpu;
  *caller_cpu = caller;
}

kiln_status_t kiln_pool_create(int32_t num_workers, int pin,
                               kiln_pool_t **out_pool) {
  *out_pool = NULL;
  kiln_pool_t *pool = calloc(1, sizeof(*pool));
  if (!pool)
    return kiln_make_status(KILN_STATUS_OUT_OF_MEMORY,
                            "cannot allocate thread pool");
  pool->threads = calloc((size_t)num_workers, sizeof(pthread_t));
  pool->workers = calloc((size_t)num_workers, sizeof(kiln_worker_t));
  pool->chunks =
      aligned_alloc(64, ((size_t)num_workers + 1) * sizeof(kiln_chunks_t));
  if (!pool->threads || !pool->workers || !pool->chunks) {
    free(pool->threads);
    free(pool->workers);
    free(pool->chunks);
    free(pool);
    return kiln_make_status(KILN_STATUS_OUT_OF_MEMORY,
                            "cannot allocate %d worker handles", num_workers);
  }
  if (pthread_mutex_init(&pool->mutex, NULL) != 0) {
    free(pool->threads);
    free(pool->workers);
    free(pool->chunks);
    free(pool);
    return kiln_make_status(KILN_STATUS_INTERNAL, "pthread_mutex_init failed");
  }
  pthread_cond_init(&pool->work_cv, NULL);
  pthread_cond_init(&pool->done_cv, NULL);
  pool->num_workers = num_workers;
  assign_cpus(pool->workers, num_workers, pin, &pool->caller_cpu);

  /* Workers inherit a fully blocked signal mask so that asynchronous signals
   * keep going to the application's own threads. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int32_t started = 0;
  int err = 0;
  for (; started < num_workers; ++started) {
    pool->workers[started].pool = pool;
    pool->workers[started].index = started + 1;
    err = pthread_create(&pool->threads[started], NULL, worker_main,
                         &pool->workers[started]);
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

int kiln_pool_caller_cpu(const kiln_pool_t *pool) {
  return pool ? pool->caller_cpu : -1;
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
  num_chunks = (n + chunk_size - 1) / chunk_size;
  for (int64_t t = 0; t < num_threads; ++t) {
    pool->chunks[t].next = num_chunks * t / num_threads;
    pool->chunks[t].end = num_chunks * (t + 1) / num_threads;
  }
  int64_t generation = pool->generation + 1;
  __atomic_store_n(&pool->job, job_word(generation), __ATOMIC_RELEASE);
  /* Publishes the job to spinning workers too. */
  __atomic_store_n(&pool->generation, generation, __ATOMIC_RELEASE);
  pthread_cond_broadcast(&pool->work_cv);
  pthread_mutex_unlock(&pool->mutex);

  run_chunks(pool, 0);

  /* Every chunk is claimed: no worker joins from now on, and the ones that
   * did finish the chunks they hold. */
  uint64_t w = __atomic_or_fetch(&pool->job, KILN_JOB_CLOSED, __ATOMIC_ACQ_REL);
  while ((w & KILN_JOB_COUNT) != 0) {
    if (!spin_while_equal((const int64_t *)&pool->job, (int64_t)w, NULL))
      break;
    w = __atomic_load_n(&pool->job, __ATOMIC_ACQUIRE);
  }
  if ((__atomic_load_n(&pool->job, __ATOMIC_ACQUIRE) & KILN_JOB_COUNT) != 0) {
    pthread_mutex_lock(&pool->mutex);
    while ((__atomic_load_n(&pool->job, __ATOMIC_ACQUIRE) & KILN_JOB_COUNT) !=
           0)
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
