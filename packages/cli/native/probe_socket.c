/* The socket probe, the one that runs in every pod: connect, send the request with the time
 * left, read one reply line, within the deadline. Mirrors probeSocket.ts and explainSocketPath.ts. */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "net.h"
#include "probe.h"
#include "text.h"

#define MAX_READ (64 * 1024)

int interpret_line(const char *line, size_t n, str where, reply *out) {
  static char text[3 * (MAX_READ + 16)];
  static char reasonmem[4096];
  if (n == 0) return fail(F_BAD_REPLY, "%S closed the connection without a reply", where);
  if (n > MAX_READ) return fail(F_BAD_REPLY, "reply from %S exceeds %d bytes", where, MAX_READ);
  size_t len = utf8_sanitize(line, n, text, sizeof text);
  sbuf reason;
  sb_init(&reason, reasonmem, sizeof reasonmem);
  str code, message;
  switch (parse_reply((str){text, len}, out, &reason, &code, &message)) {
    case PARSED_REPLY: return 0;
    case PARSED_ERROR: return fail(F_BAD_REPLY, "%S rejected the request: %S: %S", where, code, message);
    default: return fail(F_BAD_REPLY, "%S sent an unusable reply: %S", where, sb_as_str(&reason));
  }
}

/* What connect() said, classed as connectionError() classes it. */
static int connect_failure(int e, const target *t, str where, bool padded) {
  int r;
  switch (e) {
    case ENOENT:
    case ENOTDIR:
      r = fail(F_NO_SOCKET, "no socket at %S (is the worker running, and is the socket path right?)", where);
      break;
    case ECONNREFUSED:
      r = t->abstract ? fail(F_NO_SOCKET, "no server holds abstract socket %S", where)
                      : fail(F_REFUSED, "nothing is listening at %S (a stale socket file: the worker may have exited)",
                             where);
      break;
    case EACCES:
    case EPERM: r = fail(F_REFUSED, "permission denied connecting to %S", where); break;
    case EAGAIN: r = fail(F_REFUSED, "%S is not accepting connections (its backlog is full)", where); break;
    default: r = fail(F_REFUSED, "cannot connect to %S: %s", where, errno_name(e)); break;
  }
  /* Node's own message: "connect ENOENT /path", the address as Node holds it. */
  static char path[110];
  memset(path, 0, sizeof path);
  memcpy(path, t->path, t->path_len);
  fail_cause("connect %s %S", errno_name(e), (str){path, padded ? 108 : t->path_len});
  return r;
}

/* explainSocketPath(): a refused or denied path, explained by what is there. */
static int explain(int e, const target *t, str where) {
  if (e == ECONNREFUSED) {
    struct stat st;
    if (stat(t->path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
      const char *kind = kind_of(st.st_mode);
      const char *hint = S_ISDIR(st.st_mode) ? "the socket path must name the socket file inside it, e.g. health.sock"
                                             : "the socket path is wrong, or another program owns this file";
      static char causemem[8192];
      sbuf c;
      sb_init(&c, causemem, sizeof causemem);
      sb_str(&c, sb_as_str(&hs_fail.cause));
      fail(F_NO_SOCKET, "%S is %s, not a socket (%s)", where, kind, hint);
      fail_cause("%S", sb_as_str(&c));
    }
    return -1;
  }
  static char msgmem[16384], causemem[8192], accessmem[8192];
  sbuf m, c, a;
  sb_init(&m, msgmem, sizeof msgmem);
  sb_init(&c, causemem, sizeof causemem);
  sb_init(&a, accessmem, sizeof accessmem);
  sb_str(&m, sb_as_str(&hs_fail.msg));
  sb_str(&c, sb_as_str(&hs_fail.cause));
  describe_access(t->path, true, &a);
  fail(F_REFUSED, "%S (%S)", sb_as_str(&m), sb_as_str(&a));
  fail_cause("%S", sb_as_str(&c));
  return -1;
}

static int exchange(const target *t, const request *rq, reply *out, bool padded, int *err) {
  str where = {t->display, strlen(t->display)};
  struct sockaddr_un sa;
  memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  memcpy(sa.sun_path, t->path, t->path_len);
  socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (padded ? sizeof sa.sun_path : t->path_len));
  if (!t->abstract && !padded) len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + t->path_len + 1);
  *err = 0;
  int fd = connect_within(AF_UNIX, (struct sockaddr *)&sa, len, rq->deadline);
  if (fd < 0) {
    *err = errno;
    if (errno == ETIMEDOUT)
      return fail(F_TIMEOUT, "could not connect to %S within %N ms", where, rq->timeout_ms);
    return connect_failure(errno, t, where, padded);
  }
  char req[96];
  sbuf b;
  sb_init(&b, req, sizeof req);
  double left = rq->deadline - now_ms();
  double remaining = left < 1 ? 1 : (double)(long long)left;
  sb_fmt(&b, "{\"probe\":\"%s\",\"timeoutMs\":%N}\n", hs_probe_names[rq->probe], remaining);
  static char buf[MAX_READ + 2];
  size_t got = 0;
  int rc = -1;
  const char *failed = NULL;
  /* The request is tiny: a fresh socket buffer takes it at once. */
  ssize_t w = send(fd, b.p, b.len, MSG_NOSIGNAL);
  if (w < 0 || (size_t)w != b.len) failed = errno_name(w < 0 ? errno : EAGAIN);
  else if (shutdown(fd, SHUT_WR) != 0 && errno != ENOTCONN) failed = errno_name(errno);
  while (!failed) {
    int r = wait_fd(fd, POLLIN, rq->deadline);
    if (r == 0) {
      rc = fail(F_TIMEOUT, "no reply from %S within %N ms (connected; the worker's event loop may be blocked)", where,
                rq->timeout_ms);
      break;
    }
    if (r < 0) {
      failed = errno_name(errno);
      break;
    }
    ssize_t n = read(fd, buf + got, sizeof buf - 1 - got);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      failed = errno_name(errno);
      break;
    }
    if (n == 0) {
      rc = interpret_line(buf, got, where, out);
      break;
    }
    const char *nl = memchr(buf + got, '\n', (size_t)n);
    got += (size_t)n;
    if (nl) {
      rc = interpret_line(buf, (size_t)(nl - buf), where, out);
      break;
    }
    if (got > MAX_READ) {
      rc = fail(F_BAD_REPLY, "reply from %S exceeds %d bytes without a newline", where, MAX_READ);
      break;
    }
  }
  if (failed) {
    rc = fail(F_BAD_REPLY, "connection to %S failed before a reply: %s", where, failed);
    fail_cause("%s %s", strcmp(failed, "EPIPE") && strcmp(failed, "ECONNRESET") ? "read" : "write", failed);
  }
  close(fd);
  return rc;
}

int probe_socket(const target *t, const request *rq, reply *out) {
  int err;
  int rc = exchange(t, rq, out, false, &err);
  if (rc == 0) return 0;
  /* Node 20 binds an abstract name padded with NULs to the full 108 bytes. */
  if (t->abstract && err == ECONNREFUSED && t->path_len < 108) {
    rc = exchange(t, rq, out, true, &err);
    if (rc == 0) return 0;
  }
  if (!t->abstract && (err == ECONNREFUSED || err == EACCES || err == EPERM))
    return explain(err, t, (str){t->display, strlen(t->display)});
  return rc;
}
