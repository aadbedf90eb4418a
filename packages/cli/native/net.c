/* The deadline and the waits against it: see net.h. */
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

double now_ms(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int ms_left(double deadline) {
  double left = deadline - now_ms();
  if (left <= 0) return 0;
  if (left > 2147483647.0) return 2147483647;
  /* Rounded up: poll waking a fraction early would only loop once more. */
  int ms = (int)left;
  return (double)ms < left ? ms + 1 : ms;
}

int wait_fd(int fd, short events, double deadline) {
  for (;;) {
    int left = ms_left(deadline);
    if (left == 0) return 0;
    struct pollfd p = {.fd = fd, .events = events};
    int r = poll(&p, 1, left);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) continue; /* the loop checks the clock, not poll's count */
    return 1;
  }
}

int connect_within(int family, const struct sockaddr *addr, socklen_t len, double deadline) {
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, addr, len) == 0) return fd;
  if (errno != EINPROGRESS && errno != EAGAIN) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  /* A Unix socket whose backlog is full says EAGAIN at once: that is the answer, as in Node. */
  if (errno == EAGAIN && family == AF_UNIX) {
    close(fd);
    errno = EAGAIN;
    return -1;
  }
  int r = wait_fd(fd, POLLOUT, deadline);
  if (r <= 0) {
    int e = r == 0 ? ETIMEDOUT : errno;
    close(fd);
    errno = e;
    return -1;
  }
  int err = 0;
  socklen_t el = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0) err = errno;
  if (err) {
    close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

const char *errno_name(int e) {
  switch (e) {
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EAGAIN: return "EAGAIN";
    case ECONNRESET: return "ECONNRESET";
    case EPIPE: return "EPIPE";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EHOSTUNREACH: return "EHOSTUNREACH";
    case ENETUNREACH: return "ENETUNREACH";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EINVAL: return "EINVAL";
    case EPROTOTYPE: return "EPROTOTYPE";
    case ENOTSOCK: return "ENOTSOCK";
    case EMFILE: return "EMFILE";
    case ENOMEM: return "ENOMEM";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    default: return "EIO";
  }
}

const char *errno_text(int e) {
  switch (e) {
    case ENOENT: return "no such file or directory";
    case ENOTDIR: return "not a directory";
    case EACCES: return "permission denied";
    case EPERM: return "operation not permitted";
    case EISDIR: return "illegal operation on a directory";
    case ELOOP: return "too many symbolic links encountered";
    case ENAMETOOLONG: return "name too long";
    case EIO: return "i/o error";
    default: return "unknown error";
  }
}
