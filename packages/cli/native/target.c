/* parseTarget(): see target.h. */
#include "target.h"

#include <string.h>
#include <sys/stat.h>

#include "text.h"

static const char *const HTTP_PATHS[3] = {"/livez", "/readyz", "/startupz"};

static int socket_target(str path, target *t) {
  if (path.n == 0 || (path.n == 1 && path.p[0] == '@')) return fail(F_USAGE, "socket path %Q is empty", path);
  bool abstract = path.p[0] == '@';
  str name = abstract ? (str){path.p + 1, path.n - 1} : path;
  if (memchr(path.p, 0, path.n)) return fail(F_USAGE, "socket path %Q contains a NUL byte", path);
  if (name.n > HS_MAX_SOCKET_PATH)
    return fail(F_USAGE, "%s %S is %l bytes; the limit is %d", abstract ? "abstract socket name" : "socket path", path,
                (long long)name.n, HS_MAX_SOCKET_PATH);
  t->kind = T_UNIX;
  t->abstract = abstract;
  size_t o = 0;
  if (abstract) t->path[o++] = 0;
  memcpy(t->path + o, name.p, name.n);
  t->path_len = o + name.n;
  t->path[t->path_len] = 0;
  sbuf d;
  sb_init(&d, t->display, sizeof t->display - 1);
  sb_str(&d, path);
  t->display[d.len] = 0;
  return 0;
}

static bool scheme_name(str s) {
  if (!s.n) return false;
  char c = s.p[0];
  if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  for (size_t i = 1; i < s.n; i++) {
    c = s.p[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
          c == '.'))
      return false;
  }
  return true;
}

/* `localhost:19000`, `[::1]:80`: a host and port written without a scheme. */
bool host_port(str s) {
  size_t colon = s.n;
  while (colon > 0 && s.p[colon - 1] != ':') colon--;
  if (colon < 2 || colon == s.n || s.n - colon > 5) return false;
  for (size_t i = colon; i < s.n; i++)
    if (s.p[i] < '0' || s.p[i] > '9') return false;
  str host = {s.p, colon - 1};
  if (host.p[0] == '[') {
    if (host.p[host.n - 1] != ']' || host.n < 3) return false;
    for (size_t i = 1; i + 1 < host.n; i++)
      if (!strchr("0123456789abcdefABCDEF:.", host.p[i])) return false;
    return true;
  }
  for (size_t i = 0; i < host.n; i++) {
    char c = host.p[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
      return false;
  }
  return true;
}

static bool exists(str s) {
  static char path[8192];
  if (s.n >= sizeof path) return false;
  memcpy(path, s.p, s.n);
  path[s.n] = 0;
  struct stat st;
  return lstat(path, &st) == 0;
}

int parse_target(str text, int probe, target *t) {
  memset(t, 0, sizeof *t);
  if (str_starts(text, "unix:")) {
    str p = {text.p + 5, text.n - 5};
    if (str_starts(p, "//")) p.p += 2, p.n -= 2;
    return socket_target(p, t);
  }
  if (str_starts(text, "file:")) {
    str p = {text.p + 5, text.n - 5};
    if (str_starts(p, "//")) p.p += 2, p.n -= 2;
    if (p.n == 0) return fail(F_USAGE, "file target %Q names no file", text);
    t->kind = T_FILE;
    t->file = p.p;
    sbuf d;
    sb_init(&d, t->display, sizeof t->display - 1);
    sb_fmt(&d, "file:%S", p);
    t->display[d.len] = 0;
    return 0;
  }
  const char *sep = NULL;
  for (size_t i = 0; i + 2 < text.n; i++)
    if (text.p[i] == ':' && text.p[i + 1] == '/' && text.p[i + 2] == '/') {
      sep = text.p + i;
      break;
    }
  if (!sep || !scheme_name((str){text.p, (size_t)(sep - text.p)})) {
    if (host_port(text) && !exists(text))
      return fail(F_USAGE, "%S looks like host:port; write tcp://%S or http://%S", text, text, text);
    return socket_target(text, t);
  }
  url *u = &t->u;
  if (text.n > URL_MAX || url_parse(u, text, NULL)) return fail(F_USAGE, "target %Q is not a valid URL", text);
  if (!u->hostname[0]) return fail(F_USAGE, "target %Q names no host", text);
  if (strlen(u->hostname) > 255) return fail(F_USAGE, "target %Q has a host name longer than 253 characters", text);
  sbuf d;
  sb_init(&d, t->display, sizeof t->display - 1);
  if (!strcmp(u->scheme, "http") || !strcmp(u->scheme, "https")) {
    if (!strcmp(u->path, "/") || !u->path[0]) strcpy(u->path, HTTP_PATHS[probe]);
    t->kind = T_HTTP;
    url_href(u, &d);
    t->display[d.len] = 0;
    return 0;
  }
  if (!strcmp(u->scheme, "tcp")) {
    int port = u->port[0] ? url_port(u) : 0;
    if (!(port >= 1 && port <= 65535) || (u->path[0] && strcmp(u->path, "/")) || (u->has_query && u->query[0]) ||
        (u->has_fragment && u->fragment[0]))
      return fail(F_USAGE, "tcp target %Q must be tcp://host:port, e.g. tcp://127.0.0.1:5432", text);
    t->kind = T_TCP;
    t->port = port;
    url_bare_host(u, t->host, sizeof t->host);
    sb_cstr(&d, "tcp://");
    url_host(u, &d);
    t->display[d.len] = 0;
    return 0;
  }
  if (!strcmp(u->scheme, "grpc") || !strcmp(u->scheme, "grpcs"))
    return fail(F_USAGE, "grpc:// targets need the Node.js healthsock CLI; this is the native build");
  return fail(F_USAGE,
              "target %Q has an unknown scheme %s://; use a socket path, unix:, http://, https://, tcp://, "
              "grpc(s):// or file:",
              text, u->scheme);
}
