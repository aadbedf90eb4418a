/* The whole CLI: read the command line, probe, print, exit 0 or 1 (never 2, which Docker
 * reserves). Every failure becomes one classed line. Mirrors main.ts. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "fit_json.h"
#include "format_reply.h"
#include "net.h"
#include "probe.h"
#include "text.h"
#include "watch.h"
#include "write_output.h"

/* argv as Node decodes it: UTF-8 with U+FFFD for bad bytes. All of it fits in 3x the limit. */
#define ARGV_MAX 4096
static str args[ARGV_MAX];

static str decode(const char *s, char **pool, size_t *left) {
  size_t n = strlen(s);
  size_t len = utf8_sanitize(s, n, *pool, *left > 0 ? *left - 1 : 0);
  str r = {*pool, len};
  (*pool)[len] = 0;
  *pool += len + 1;
  *left -= len + 1;
  return r;
}

static int failed(const options *o, const target *t) {
  static char linemem[HS_FAIL_MSG_MAX + 64], causemem[HS_FAIL_CAUSE_MAX + 16];
  sbuf line;
  sb_init(&line, linemem, sizeof linemem);
  sb_fmt(&line, "%s: %S", hs_class_names[hs_fail.cls], sb_as_str(&hs_fail.msg));
  out_add(OUT_STDERR, sb_as_str(&line), false);
  if (o && o->verbose && hs_fail.has_cause) {
    sbuf c;
    sb_init(&c, causemem, sizeof causemem);
    sb_fmt(&c, "  cause: %S", sb_as_str(&hs_fail.cause));
    out_add(OUT_STDERR, sb_as_str(&c), false);
  }
  if (o && o->json && !o->quiet) {
    static char named[256], msg[600], report[8192];
    sbuf n, m, r;
    sb_init(&n, named, sizeof named);
    sb_init(&m, msg, sizeof msg);
    sb_init(&r, report, sizeof report);
    cut_bytes(t ? (str){t->display, strlen(t->display)} : o->target, 200, &n);
    cut_bytes(sb_as_str(&hs_fail.msg), 500, &m);
    sb_fmt(&r, "{\"v\":1,\"probe\":\"%s\",\"target\":%Q", hs_probe_names[o->probe], sb_as_str(&n));
    if (!t || t->kind == T_UNIX) sb_fmt(&r, ",\"socket\":%Q", sb_as_str(&n));
    sb_fmt(&r, ",\"error\":{\"code\":\"%s\",\"message\":%Q}}", hs_class_names[hs_fail.cls], sb_as_str(&m));
    out_add(OUT_STDOUT, sb_as_str(&r), true);
  }
  out_flush();
  return 1;
}

/* A probe stopped by its runner fails at once, rather than linger until its deadline. */
static void on_sigterm(int sig) {
  static const char line[] = "timeout: healthsock was stopped by SIGTERM before a reply\n";
  (void)sig;
  (void)!write(2, line, sizeof line - 1);
  _exit(1);
}

int main(int argc, char **argv) {
  double started = now_ms();
  /* A closed pipe must not kill the probe before it chooses its exit code. */
  signal(SIGPIPE, SIG_IGN);
  struct sigaction term;
  memset(&term, 0, sizeof term);
  term.sa_handler = on_sigterm;
  sigaction(SIGTERM, &term, NULL);
  static char pool[3 * 256 * 1024 + ARGV_MAX];
  char *p = pool;
  size_t left = sizeof pool;
  int n = 0;
  for (int i = 1; i < argc && n < ARGV_MAX; i++) args[n++] = decode(argv[i], &p, &left);
  const char *env = getenv("HEALTHSOCK_SOCKET");
  str env_socket = env ? decode(env, &p, &left) : (str){"", 0};

  static options o;
  static target t;
  const char *print = NULL;
  int parsed = parse_args(n, args, env_socket, &o, &print);
  if (o.watch_ms > 0 || (parsed == ARGS_FAIL && watch_requested(n, args))) return watch(parsed, &o, print);
  if (parsed == ARGS_PRINT) {
    size_t len = strlen(print);
    (void)write_all(1, print, len);
    (void)write_all(1, "\n", 1);
    return 0;
  }
  if (parsed == ARGS_FAIL) return failed(NULL, NULL);
  if (parse_target(o.target, o.probe, &t)) return failed(&o, NULL);
  if (o.nheaders > 0) {
    fail(F_USAGE, "--header applies to grpc:// and grpcs:// targets, not %s", t.display);
    return failed(&o, &t);
  }
  request rq = {.probe = o.probe,
                .deadline = started + o.timeout_ms,
                .timeout_ms = o.timeout_ms,
                .max_age_ms = o.max_age_ms,
                .detail = o.verbose || o.json,
                .probe_explicit = o.probe_explicit,
                .verbose = o.verbose};
  static reply r;
  if (probe_target(&t, &rq, &r)) return failed(&o, &t);
  static char jsonmem[HS_MAX_REPLY + 64];
  sbuf json;
  sb_init(&json, jsonmem, sizeof jsonmem);
  if (o.json && !o.quiet) fit_json(&r, HS_MAX_REPLY, &json);
  /* Docker keeps the first 4096 bytes of output in all, the reply included. */
  size_t room = HS_MAX_OUTPUT - (json.len ? json.len + 1 : 0);
  str where = {t.display, strlen(t.display)};
  bool passed = r.status != ST_UNHEALTHY;
  if (passed) {
    if (o.quiet) return 0;
    if (json.len) out_add(OUT_STDOUT, sb_as_str(&json), true);
    else format_reply(&r, where, o.verbose, room, OUT_STDOUT);
    out_flush();
    return 0;
  }
  /* The reason goes first: it is what pod events and Docker must keep. */
  format_reply(&r, where, o.verbose, room, OUT_STDERR);
  if (o.verbose && hs_http_body_line.len) out_add(OUT_STDERR, sb_as_str(&hs_http_body_line), false);
  if (json.len) out_add(OUT_STDOUT, sb_as_str(&json), true);
  out_flush();
  return 1;
}
