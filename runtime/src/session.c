/* Sessions: descriptor validation, arena, per-run signature checks. */
#define _GNU_SOURCE /* sched_getaffinity */

#include "internal.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Upper bound on worker threads; guards against nonsense option values. */
#define KILN_MAX_THREADS 1024

void kiln_session_options_init(kiln_session_options_t *options) {
  if (!options)
    return;
  memset(options, 0, sizeof(*options));
  options->num_threads = 0;
}

/* Formats "[d0,d1,...]" into buf, truncating with "...]" when it won't fit. */
static const char *format_shape(char *buf, size_t cap, int32_t rank,
                                const int64_t *shape) {
  size_t len = 0;
  buf[len++] = '[';
  for (int32_t i = 0; i < rank; ++i) {
    int w = snprintf(buf + len, cap - len, "%s%lld", i ? "," : "",
                     (long long)shape[i]);
    if (w < 0 || (size_t)w + 2 >= cap - len) { /* room for "]" + NUL */
      snprintf(buf + (cap > 5 ? cap - 5 : 0), 5, "...]");
      return buf;
    }
    len += (size_t)w;
  }
  buf[len++] = ']';
  buf[len] = '\0';
  return buf;
}

static kiln_status_t validate_descs(const char *kind, int32_t count,
                                    const kiln_tensor_desc_t *descs) {
  if (count < 0)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "model has a negative number of %ss (%d)", kind,
                            (int)count);
  if (count > 0 && !descs)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "model has %d %ss but a NULL %s array", (int)count,
                            kind, kind);
  for (int32_t i = 0; i < count; ++i) {
    const kiln_tensor_desc_t *d = &descs[i];
    if (!d->name)
      return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                              "model %s #%d has no name", kind, (int)i);
    if (kiln_dtype_size(d->dtype) == 0)
      return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                              "model %s '%s' has invalid dtype %d", kind,
                              d->name, (int)d->dtype);
    if (d->rank < 0 || (d->rank > 0 && !d->shape))
      return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                              "model %s '%s' has an invalid shape (rank %d)",
                              kind, d->name, (int)d->rank);
    for (int32_t k = 0; k < d->rank; ++k)
      if (d->shape[k] < 0)
        return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                                "model %s '%s' has negative extent %lld in "
                                "dimension %d",
                                kind, d->name, (long long)d->shape[k], (int)k);
  }
  return NULL;
}

static kiln_status_t validate_model(const kiln_model_t *model) {
  if (!model)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT, "model is NULL");
  if (model->abi_version != KILN_ABI_VERSION)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "model ABI version %u is not supported (this "
                            "runtime implements version %d)",
                            (unsigned)model->abi_version, KILN_ABI_VERSION);
  if (!model->entry)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "model has no entry function");
  if (model->num_kernels < 0 ||
      (model->num_kernels > 0 && !model->kernel_names))
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "model has an invalid kernel table (%d kernels)",
                            (int)model->num_kernels);
  kiln_status_t status =
      validate_descs("input", model->num_inputs, model->inputs);
  if (!status)
    status = validate_descs("output", model->num_outputs, model->outputs);
  return status;
}

kiln_status_t kiln_session_create(const kiln_model_t *model,
                                  const kiln_session_options_t *options,
                                  kiln_session_t **out_session) {
  if (!out_session)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "out_session is NULL");
  *out_session = NULL;
  kiln_status_t status = validate_model(model);
  if (status)
    return status;

  kiln_session_options_t defaults;
  kiln_session_options_init(&defaults);
  if (!options)
    options = &defaults;
  int32_t num_threads = options->num_threads;
  if (num_threads < 0)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "num_threads must be >= 0, got %d",
                            (int)num_threads);
  if (num_threads == 0) {
    /* The CPUs this process may run on (taskset, cgroups' cpusets), not
     * every CPU of the machine. */
    cpu_set_t allowed;
    long cores = sched_getaffinity(0, sizeof(allowed), &allowed) == 0
                     ? CPU_COUNT(&allowed)
                     : sysconf(_SC_NPROCESSORS_ONLN);
    num_threads = cores < 1 ? 1 : (int32_t)cores;
  }
  if (num_threads > KILN_MAX_THREADS)
    num_threads = KILN_MAX_THREADS;

  if (model->arena_size > (uint64_t)SIZE_MAX)
    return kiln_make_status(KILN_STATUS_OUT_OF_MEMORY,
                            "arena of %llu bytes exceeds the address space",
                            (unsigned long long)model->arena_size);

  kiln_session_t *session = calloc(1, sizeof(*session));
  if (!session)
    return kiln_make_status(KILN_STATUS_OUT_OF_MEMORY,
                            "cannot allocate session");
  session->parallel_for = kiln_parallel_for_impl();
  session->model = model;
  session->num_threads = num_threads;

  size_t num_buffers = (size_t)model->num_inputs + (size_t)model->num_outputs;
  /* At least one slot so a model without tensors still gets a valid array. */
  session->buffers = calloc(num_buffers ? num_buffers : 1, sizeof(void *));
  if (!session->buffers) {
    status =
        kiln_make_status(KILN_STATUS_OUT_OF_MEMORY,
                         "cannot allocate %zu buffer pointers", num_buffers);
    goto fail;
  }
  if (model->arena_size > 0) {
    /* 64 bytes: a cache line, and enough for any vector type the compiler
     * emits for arena-resident buffers. */
    int err = posix_memalign(&session->arena, 64, (size_t)model->arena_size);
    if (err != 0) {
      session->arena = NULL;
      status = kiln_make_status(KILN_STATUS_OUT_OF_MEMORY,
                                "cannot allocate arena of %llu bytes",
                                (unsigned long long)model->arena_size);
      goto fail;
    }
  }
  session->current_kernel = -1;
  if (options->profile) {
    /* One slot more than kernels so a model without any still profiles. */
    session->kernel_ns =
        calloc((size_t)model->num_kernels + 1, sizeof(uint64_t));
    if (!session->kernel_ns) {
      status = kiln_make_status(KILN_STATUS_OUT_OF_MEMORY,
                                "cannot allocate the kernel profile");
      goto fail;
    }
    session->profile_mark = kiln_profile_mark_impl();
  }
  if (num_threads > 1) {
    status = kiln_pool_create(num_threads - 1, !options->no_affinity,
                              &session->pool);
    if (status)
      goto fail;
  }
  *out_session = session;
  return NULL;

fail:
  kiln_session_destroy(session);
  return status;
}

void kiln_session_destroy(kiln_session_t *session) {
  if (!session)
    return;
  kiln_pool_destroy(session->pool);
  free(session->arena);
  free(session->buffers);
  free(session->kernel_ns);
  free(session);
}

const kiln_model_t *kiln_session_model(const kiln_session_t *session) {
  return session ? session->model : NULL;
}

int32_t kiln_session_num_threads(const kiln_session_t *session) {
  return session ? session->num_threads : 0;
}

/* Checks one caller tensor against its descriptor. Allocates only when it
 * reports an error. */
static kiln_status_t check_tensor(const char *kind,
                                  const kiln_tensor_desc_t *desc,
                                  const kiln_tensor_t *t) {
  if (t->dtype != desc->dtype)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "%s '%s': expected dtype %s, got %s", kind,
                            desc->name, kiln_dtype_name(desc->dtype),
                            kiln_dtype_name(t->dtype));
  if (t->rank < 0)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "%s '%s': invalid rank %d", kind, desc->name,
                            (int)t->rank);
  if (t->rank > 0 && !t->shape)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "%s '%s': shape is NULL for rank %d", kind,
                            desc->name, (int)t->rank);
  int mismatch = t->rank != desc->rank;
  for (int32_t i = 0; !mismatch && i < t->rank; ++i)
    mismatch = t->shape[i] != desc->shape[i];
  if (mismatch) {
    char want[256], got[256];
    return kiln_make_status(
        KILN_STATUS_INVALID_ARGUMENT, "%s '%s': expected shape %s, got %s",
        kind, desc->name,
        format_shape(want, sizeof(want), desc->rank, desc->shape),
        format_shape(got, sizeof(got), t->rank, t->shape));
  }
  if (!t->data) {
    /* An empty tensor needs no storage (malloc(0) may return NULL). */
    int64_t numel = 1;
    for (int32_t i = 0; i < t->rank; ++i)
      numel *= t->shape[i];
    if (numel != 0)
      return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                              "%s '%s': data is NULL", kind, desc->name);
  }
  return NULL;
}

kiln_status_t kiln_session_run(kiln_session_t *session,
                               const kiln_tensor_t *inputs, size_t num_inputs,
                               const kiln_tensor_t *outputs,
                               size_t num_outputs) {
  if (!session)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT, "session is NULL");
  const kiln_model_t *model = session->model;
  if (num_inputs != (size_t)model->num_inputs)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "expected %d inputs, got %zu",
                            (int)model->num_inputs, num_inputs);
  if (num_outputs != (size_t)model->num_outputs)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT,
                            "expected %d outputs, got %zu",
                            (int)model->num_outputs, num_outputs);
  if (num_inputs > 0 && !inputs)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT, "inputs is NULL");
  if (num_outputs > 0 && !outputs)
    return kiln_make_status(KILN_STATUS_INVALID_ARGUMENT, "outputs is NULL");

  for (size_t i = 0; i < num_inputs; ++i) {
    kiln_status_t status = check_tensor("input", &model->inputs[i], &inputs[i]);
    if (status)
      return status;
    session->buffers[i] = inputs[i].data;
  }
  for (size_t i = 0; i < num_outputs; ++i) {
    kiln_status_t status =
        check_tensor("output", &model->outputs[i], &outputs[i]);
    if (status)
      return status;
    session->buffers[num_inputs + i] = outputs[i].data;
  }
  /* With pinned workers, the caller runs on the CPU they leave free for the
   * length of the run, then gets its own mask back: a scheduler that packs
   * threads could otherwise move it onto a worker's CPU, where the two
   * would take turns. A caller already there is left alone: the two
   * affinity calls cost more than small models take to run. */
  int cpu = kiln_pool_caller_cpu(session->pool);
  cpu_set_t saved, mine;
  int pinned = 0;
  if (cpu >= 0 && sched_getcpu() != cpu &&
      pthread_getaffinity_np(pthread_self(), sizeof(saved), &saved) == 0 &&
      CPU_ISSET(cpu, &saved) && CPU_COUNT(&saved) > 1) {
    CPU_ZERO(&mine);
    CPU_SET(cpu, &mine);
    pinned = pthread_setaffinity_np(pthread_self(), sizeof(mine), &mine) == 0;
  }
  model->entry(session->buffers, session->arena, session);
  if (pinned)
    (void)pthread_setaffinity_np(pthread_self(), sizeof(saved), &saved);
  return NULL;
}
