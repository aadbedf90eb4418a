/* probeTarget(): any target once, within the request's deadline. */
#include "probe.h"

int probe_target(const target *t, const request *rq, reply *out) {
  switch (t->kind) {
    case T_UNIX: return probe_socket(t, rq, out);
    case T_HTTP: return probe_http(t, rq, out);
    case T_TCP: return probe_tcp(t, rq, out);
    default: return probe_file(t, rq, out);
  }
}

