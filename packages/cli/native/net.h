/* The one deadline of a probe, and the waits against it: every wait is a poll() for the time
 * left. Also the errno names the Node CLI prints (ECONNREFUSED, ...). */
#ifndef HS_NET_H
#define HS_NET_H

#include <sys/socket.h>

#include "hs.h"

/* Milliseconds on the monotonic clock, as performance.now(). */
double now_ms(void);
/* The time left until `deadline`, in whole milliseconds for poll (0 when past). */
int ms_left(double deadline);
/* Waits for `events` on fd until the deadline: 1 ready, 0 timed out, -1 error (errno set). */
int wait_fd(int fd, short events, double deadline);
/* A non-blocking socket, connected within the deadline: returns fd, or -1 with errno (ETIMEDOUT when late). */
int connect_within(int family, const struct sockaddr *addr, socklen_t len, double deadline);
/* Node's name for an errno value: "ECONNREFUSED". */
const char *errno_name(int e);
/* Node's description of an errno value as libuv words it: "no such file or directory". */
const char *errno_text(int e);

#endif
