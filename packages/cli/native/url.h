/* The part of the WHATWG URL parser that probe targets and redirects need: special (http, https)
 * and other schemes, hosts (IPv4 forms, IPv6 brackets, lower case), ports, dot segments,
 * percent-encoding, and `searchParams.set`. Everything lives in the url struct's own buffers. */
#ifndef HS_URL_H
#define HS_URL_H

#include "hs.h"

#define URL_MAX 4096

typedef struct {
  char scheme[16];
  bool special;
  char userinfo[URL_MAX];
  char hostname[512]; /* as serialized: an IPv6 address keeps its brackets */
  char port[8];       /* empty for the scheme's default port */
  char path[URL_MAX];
  bool has_query;
  char query[URL_MAX];
  bool has_fragment;
  char fragment[URL_MAX];
} url;

/* new URL(text), or new URL(text, base) when base is given. Returns 0, or -1 when invalid. */
int url_parse(url *u, str text, const url *base);
void url_href(const url *u, sbuf *b);
/* url.host: the hostname and any port that is not the default. */
void url_host(const url *u, sbuf *b);
/* url.searchParams.set(name, value) */
void url_set_param(url *u, const char *name, const char *value);
/* The host without IPv6 brackets, for connect(). */
void url_bare_host(const url *u, char *out, size_t cap);
int url_port(const url *u);

#endif
