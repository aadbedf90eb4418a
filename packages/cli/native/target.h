/* parseTarget(): what to probe, read without any I/O (but for the one stat that tells a
 * host:port from a file of that name). */
#ifndef HS_TARGET_H
#define HS_TARGET_H

#include "hs.h"
#include "url.h"

enum { T_UNIX, T_HTTP, T_TCP, T_FILE };

typedef struct {
  int kind;
  /* How every message names the target. */
  char display[URL_MAX + 256];
  /* T_UNIX: the address; abstract names start with NUL. */
  char path[HS_MAX_SOCKET_PATH + 2];
  size_t path_len;
  bool abstract;
  /* T_FILE: the file path (NUL-terminated; argv holds no NUL). */
  const char *file;
  /* T_HTTP */
  url u;
  /* T_TCP */
  char host[512];
  int port;
} target;

int parse_target(str text, int probe, target *t);

/* looksLikeHostPort(): `localhost:19000`, `[::1]:80`, a host and port written without a scheme. */
bool host_port(str s);

#endif
