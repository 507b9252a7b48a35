/* Per-kernel profiling: compiled code marks the start of each kernel; the
 * time between two marks is charged to the kernel that was running. */
#define _POSIX_C_SOURCE 200809L

#include "internal.h"

#include <string.h>
#include <time.h>

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void profile_mark_impl(struct kiln_session *session, int32_t kernel) {
  uint64_t now = now_ns();
  int32_t n = session->model->num_kernels;
  if (session->current_kernel >= 0 && session->current_kernel < n)
    session->kernel_ns[session->current_kernel] +=
        now - session->kernel_start_ns;
  if (kernel >= n) {
    /* The last kernel ended: one more profiled run. */
    session->current_kernel = -1;
    ++session->profiled_runs;
    return;
  }
  session->current_kernel = kernel < 0 ? -1 : kernel;
  session->kernel_start_ns = now;
}

kiln_profile_mark_impl_t kiln_profile_mark_impl(void) {
  return profile_mark_impl;
}

void kiln_profile_mark(void *ctx, int32_t kernel) {
  struct kiln_session *session = ctx;
  if (session && session->profile_mark)
    session->profile_mark(session, kernel);
}

const uint64_t *kiln_session_profile(const kiln_session_t *session,
                                     uint64_t *num_runs) {
  if (num_runs)
    *num_runs = session && session->kernel_ns ? session->profiled_runs : 0;
  return session ? session->kernel_ns : NULL;
}

void kiln_session_profile_reset(kiln_session_t *session) {
  if (!session || !session->kernel_ns)
    return;
  memset(session->kernel_ns, 0,
         sizeof(uint64_t) * (size_t)session->model->num_kernels);
  session->profiled_runs = 0;
  session->current_kernel = -1;
}
