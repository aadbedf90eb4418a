/* The one failure of a run: its class, message and cause, set where it happens and printed once
 * by main (see hs.h). */
#include "hs.h"
#include "text.h"

failure hs_fail;
const char *const hs_class_names[9] = {"timeout",   "refused",   "no-socket", "no-host", "no-file",
                                       "unhealthy", "bad-reply", "usage",     "internal"};

static char fail_msg[HS_FAIL_MSG_MAX], fail_cause_mem[HS_FAIL_CAUSE_MAX];

/* Sets b, over mem, to the text of fmt. */
static void set_text(sbuf *b, char *mem, size_t size, const char *fmt, va_list ap) {
  sb_init(b, mem, size);
  sb_vfmt(b, fmt, ap);
}

int fail(int cls, const char *fmt, ...) {
  hs_fail.cls = cls;
  hs_fail.has_cause = false;
  sb_init(&hs_fail.cause, fail_cause_mem, sizeof fail_cause_mem);
  va_list ap;
  va_start(ap, fmt);
  set_text(&hs_fail.msg, fail_msg, sizeof fail_msg, fmt, ap);
  va_end(ap);
  return -1;
}

void fail_cause(const char *fmt, ...) {
  hs_fail.has_cause = true;
  va_list ap;
  va_start(ap, fmt);
  set_text(&hs_fail.cause, fail_cause_mem, sizeof fail_cause_mem, fmt, ap);
  va_end(ap);
}
