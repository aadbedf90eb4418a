/* TLS for https:// through BearSSL, on a connected non-blocking socket, within the deadline.
 * Certificates are not verified, as kubelet does not verify them: the server's key is taken
 * from its first certificate. */
#ifndef HS_TLS_H
#define HS_TLS_H

#include "hs.h"

/* Starts a client on fd; `sni` may be NULL (an IP address is sent no server name). */
void tls_start(int fd, const char *sni);
/* Writes all of buf: 0, or -1 with *code set to Node's error code. */
int tls_write(const char *buf, size_t n, double deadline, const char **code);
/* Reads: bytes read, 0 at the end, -1 on error (*code set), -2 when the deadline passed. */
long tls_read(char *buf, size_t cap, double deadline, const char **code);

#endif
