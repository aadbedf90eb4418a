/* The probes of every target kind: one request within one deadline, answered as a reply, or a
 * classed failure in hs_fail. Each returns 0 or -1. */
#ifndef HS_PROBE_H
#define HS_PROBE_H

#include "reply.h"
#include "target.h"

typedef struct {
  int probe;
  double deadline; /* now_ms() clock */
  double timeout_ms;
  double max_age_ms;
  bool detail; /* -v or --json: ask for the checks where that costs the target something */
  bool probe_explicit; /* the command line named the probe */
  bool verbose;        /* -v: a failing HTTP target also shows its body's first line */
} request;

int probe_socket(const target *t, const request *rq, reply *out);
int probe_tcp(const target *t, const request *rq, reply *out);
int probe_file(const target *t, const request *rq, reply *out);
int probe_http(const target *t, const request *rq, reply *out);
int probe_target(const target *t, const request *rq, reply *out);

/* Why this process may not reach `path` (after EACCES): the directory or mode that denies it. */
void describe_access(const char *path, bool connect, sbuf *b);
/* "a directory", "a regular file", ... for a stat mode. */
const char *kind_of(unsigned mode);
/* A reply line as the Node CLI reads it: decoded, validated, an error reply or a bad one as a failure. */
int interpret_line(const char *line, size_t n, str where, reply *out);

#define MAX_BODY (10 * 1024)

typedef struct {
  int status;
  char status_text[1024];
  bool has_location;
  char location[URL_MAX];
  char body[MAX_BODY];
  size_t body_len;
} response;

/* The HTTP exchange on a connected socket, and the verdict on its response (probe_http.c). */
int http_exchange(int fd, bool tls, const url *u, str where, const request *rq, response *res);
void http_interpret(response *res, str head, const request *rq, double took, reply *out);

/* The HTTP body's first non-empty line, for -v on a failing HTTP target (empty when none). */
extern sbuf hs_http_body_line;

#endif
