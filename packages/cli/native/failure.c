/* The one failure of a run: its class, message and cause, set where it happens and printed once
 * by main (see hs.h). */
#include "hs.h"
#include "text.h"

failure hs_fail;
const char *const hs_class_names[8] = {"timeout",   "refused",   "no-socket", "no-host",
                                       "no-file",   "unhealthy", "bad-reply", "usage"};

static char fail_msg[HS_FAIL_MSG_MAX], fail_cause_mem[HS_FAIL_CAUSE_MAX];

int fail(int cls, const char *fmt, ...) {
  hs_fail.cls = cls;
  sb_init(&hs_fail.msg, fail_msg, sizeof fail_msg);
  sb_init(&hs_fail.cause, fail_cause_mem, sizeof fail_cause_mem);
  hs_fail.has_cause = false;
  va_list ap;
  va_start(ap, fmt);
  sb_vfmt(&hs_fail.msg, fmt, ap);
  va_end(ap);
  return -1;
}

void fail_cause(const char *fmt, ...) {
  sb_init(&hs_fail.cause, fail_cause_mem, sizeof fail_cause_mem);
  hs_fail.has_cause = true;
  va_list ap;
  va_start(ap, fmt);
  sb_vfmt(&hs_fail.cause, fmt, ap);
  va_end(ap);
}

