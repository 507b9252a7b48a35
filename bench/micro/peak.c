/* Measured FMA peak of this machine: each thread runs independent chains of
 * the widest fused multiply-adds the compiler targets (512-bit with AVX-512,
 * else 256-bit; build with -march=native), enough of them to hide the FMA
 * latency on both ports. Prints one JSON line:
 *   {"threads": N, "gflops": G, "gflops_per_thread": G/N}
 * usage: peak [THREADS] [SECONDS] */
#define _POSIX_C_SOURCE 200809L
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef __AVX512F__
typedef __m256 vec;
#define LANES 8
#define FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define SET1(x) _mm256_set1_ps(x)
#define ADD(a, b) _mm256_add_ps(a, b)
#define STORE(p, v) _mm256_storeu_ps(p, v)
/* 16 ymm registers: the chains and the two operands must all fit. */
enum { CHAINS = 12 };
#else
typedef __m512 vec;
#define LANES 16
#define FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define SET1(x) _mm512_set1_ps(x)
#define ADD(a, b) _mm512_add_ps(a, b)
#define STORE(p, v) _mm512_storeu_ps(p, v)
enum { CHAINS = 16 };
#endif

enum { ITERS = 1 << 16 };

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct {
  double seconds, flops;
  float sink;
} job_t;

static void *run(void *arg) {
  job_t *job = arg;
  vec acc[CHAINS];
  for (int i = 0; i < CHAINS; ++i)
    acc[i] = SET1((float)i * 1e-3f);
  const vec a = SET1(0.999999f), b = SET1(1e-7f);
  double start = now(), end = start;
  long rounds = 0;
  while (end - start < job->seconds) {
    for (int it = 0; it < ITERS; ++it)
#pragma GCC unroll 16
      for (int i = 0; i < CHAINS; ++i)
        acc[i] = FMA(acc[i], a, b);
    ++rounds;
    end = now();
  }
  vec sum = acc[0];
  for (int i = 1; i < CHAINS; ++i)
    sum = ADD(sum, acc[i]);
  float out[LANES];
  STORE(out, sum);
  job->sink = out[0];
  job->flops = (double)rounds * ITERS * CHAINS * LANES * 2 / (end - start);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  double seconds = argc > 2 ? atof(argv[2]) : 1.0;
  if (threads < 1 || threads > 256 || !(seconds > 0)) {
    fprintf(stderr, "usage: peak [THREADS] [SECONDS]\n");
    return 2;
  }
  pthread_t tids[256];
  job_t jobs[256];
  for (int t = 0; t < threads; ++t) {
    jobs[t].seconds = seconds;
    pthread_create(&tids[t], NULL, run, &jobs[t]);
  }
  double total = 0, sink = 0;
  for (int t = 0; t < threads; ++t) {
    pthread_join(tids[t], NULL);
    total += jobs[t].flops;
    sink += jobs[t].sink;
  }
  printf("{\"threads\": %d, \"gflops\": %.1f, \"gflops_per_thread\": %.1f, "
         "\"sink\": %g}\n",
         threads, total / 1e9, total / 1e9 / threads, sink);
  return 0;
}
