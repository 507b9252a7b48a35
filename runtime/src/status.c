/* Status objects and dtype helpers. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kiln_status {
  kiln_status_code_t code;
  const char *message; /* points just past the struct, or to a literal */
};

/* Returned when a status itself cannot be allocated, so that callers still
 * see an error rather than NULL (which means success). */
static struct kiln_status kiln_oom_status = {
    KILN_STATUS_OUT_OF_MEMORY, "out of memory while reporting an error"};

kiln_status_t kiln_make_status(kiln_status_code_t code, const char *fmt, ...) {
  va_list args, args_copy;
  va_start(args, fmt);
  va_copy(args_copy, args);
  int len = vsnprintf(NULL, 0, fmt, args);
  va_end(args);
  if (len < 0)
    len = 0;
  /* One allocation for the struct and its message. */
  kiln_status_t status = malloc(sizeof(struct kiln_status) + (size_t)len + 1);
  if (!status) {
    va_end(args_copy);
    return &kiln_oom_status;
  }
  char *message = (char *)(status + 1);
  vsnprintf(message, (size_t)len + 1, fmt, args_copy);
  va_end(args_copy);
  status->code = code;
  status->message = message;
  return status;
}

kiln_status_code_t kiln_status_code(kiln_status_t status) {
  return status ? status->code : KILN_STATUS_OK;
}

const char *kiln_status_message(kiln_status_t status) {
  return status ? status->message : "OK";
}

void kiln_status_free(kiln_status_t status) {
  if (status != &kiln_oom_status)
    free(status);
}

size_t kiln_dtype_size(kiln_dtype_t dtype) {
  switch (dtype) {
  case KILN_DTYPE_U8:
  case KILN_DTYPE_I8:
  case KILN_DTYPE_BOOL:
    return 1;
  case KILN_DTYPE_U16:
  case KILN_DTYPE_I16:
  case KILN_DTYPE_F16:
  case KILN_DTYPE_BF16:
    return 2;
  case KILN_DTYPE_F32:
  case KILN_DTYPE_I32:
  case KILN_DTYPE_U32:
    return 4;
  case KILN_DTYPE_I64:
  case KILN_DTYPE_F64:
  case KILN_DTYPE_U64:
    return 8;
  case KILN_DTYPE_INVALID:
    break;
  }
  return 0;
}

const char *kiln_dtype_name(kiln_dtype_t dtype) {
  switch (dtype) {
  case KILN_DTYPE_F32:
    return "f32";
  case KILN_DTYPE_U8:
    return "u8";
  case KILN_DTYPE_I8:
    return "i8";
  case KILN_DTYPE_U16:
    return "u16";
  case KILN_DTYPE_I16:
    return "i16";
  case KILN_DTYPE_I32:
    return "i32";
  case KILN_DTYPE_I64:
    return "i64";
  case KILN_DTYPE_BOOL:
    return "bool";
  case KILN_DTYPE_F16:
    return "f16";
  case KILN_DTYPE_F64:
    return "f64";
  case KILN_DTYPE_U32:
    return "u32";
  case KILN_DTYPE_U64:
    return "u64";
  case KILN_DTYPE_BF16:
    return "bf16";
  case KILN_DTYPE_INVALID:
    break;
  }
  return "invalid";
}
