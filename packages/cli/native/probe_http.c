#include "probe.h"
sbuf hs_http_body_line;
int probe_http(const target *t, const request *rq, reply *out) {
  (void)t, (void)rq, (void)out;
  return fail(F_USAGE, "http not yet");
}
