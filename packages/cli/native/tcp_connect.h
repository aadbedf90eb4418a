/* A TCP connection to a host and port within the deadline, with networkError()'s classes:
 * shared by tcp:// and http(s)://. */
#ifndef HS_TCP_CONNECT_H
#define HS_TCP_CONNECT_H

#include "probe.h"

int tcp_connect(const char *host, int port, const request *rq, str where, int *fd_out);

#endif
