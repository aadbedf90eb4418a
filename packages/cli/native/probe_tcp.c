/* kubelet's tcpSocket probe: connect within the deadline, then close without sending anything.
 * Also the host resolution and connect that http(s):// shares. Mirrors probeTcp.ts and networkError.ts. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guard.h"
#include "net.h"
#include "probe.h"
#include "tcp_connect.h"
#include "text.h"

/* networkError() before a connection: no-host, refused, or what connect said. */
int network_failure(int gai, int e, str where, const char *host, int port) {
  if (gai) {
    const char *code = gai == EAI_AGAIN ? "EAI_AGAIN" : gai == EAI_FAIL ? "EAI_FAIL" : "ENOTFOUND";
    fail(F_NO_HOST, "cannot resolve the host of %S: %s", where, code);
    fail_cause("getaddrinfo %s %s", code, host);
    return -1;
  }
  char addr[600];
  snprintf(addr, sizeof addr, strchr(host, ':') ? "%s:%d" : "%s:%d", host, port);
  if (e == ECONNREFUSED) fail(F_REFUSED, "nothing is listening at %S (connection refused)", where);
  else fail(F_REFUSED, "cannot connect to %S: %s", where, errno_name(e));
  fail_cause("connect %s %s", errno_name(e), addr);
  return -1;
}

int tcp_connect(const char *host, int port, const request *rq, str where, int *fd_out) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  char portbuf[8];
  snprintf(portbuf, sizeof portbuf, "%d", port);
  /* A name lookup cannot be polled: a timer holds the deadline over it. */
  if (sigsetjmp(hs_guard, 1)) return fail(F_TIMEOUT, "could not connect to %S within %N ms", where, rq->timeout_ms);
  guard_arm(rq->deadline);
  int gai = getaddrinfo(host, portbuf, &hints, &res);
  guard_disarm();
  if (gai == EAI_SYSTEM) gai = EAI_FAIL;
  if (gai) return network_failure(gai, 0, where, host, port);
  int e = ETIMEDOUT;
  char last[INET6_ADDRSTRLEN] = "";
  int fd = -1;
  for (struct addrinfo *a = res; a; a = a->ai_next) {
    fd = connect_within(a->ai_family, a->ai_addr, a->ai_addrlen, rq->deadline);
    if (fd >= 0) break;
    e = errno;
    if (getnameinfo(a->ai_addr, a->ai_addrlen, last, sizeof last, NULL, 0, NI_NUMERICHOST) != 0) last[0] = 0;
    if (e == ETIMEDOUT) break;
  }
  freeaddrinfo(res);
  if (fd >= 0) {
    *fd_out = fd;
    return 0;
  }
  if (e == ETIMEDOUT) return fail(F_TIMEOUT, "could not connect to %S within %N ms", where, rq->timeout_ms);
  return network_failure(0, e, where, last[0] ? last : host, port);
}

int probe_tcp(const target *t, const request *rq, reply *out) {
  static char msg[] = "connected";
  double started = now_ms();
  str where = {t->display, strlen(t->display)};
  int fd;
  if (tcp_connect(t->host, t->port, rq, where, &fd)) return -1;
  double took = now_ms() - started;
  close(fd);
  target_reply(out, rq->probe, ST_HEALTHY, took, (str){msg, sizeof msg - 1});
  return 0;
}
