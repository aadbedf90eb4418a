/* --watch: see watch.h. Rows carry over from one ask to the next in two fixed pools, used in
 * turn, so a long watch uses no more memory than its first minute. */
#include "watch.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "format_reply.h"
#include "net.h"
#include "probe.h"
#include "text.h"
#include "write_output.h"

#define MAX_ROWS 512
#define POOL (256 * 1024)

typedef struct {
  str name, status, message;
  bool has_duration, has_message;
  double duration_ms, since;
} row;

static row rows[2][MAX_ROWS];
static int nrows[2];
static char pools[2][POOL];

bool watch_requested(int argc, const str *argv) {
  for (int i = 0; i < argc; i++)
    if (str_eq(argv[i], "--watch") || str_starts(argv[i], "--watch=")) return true;
  return false;
}

static str keep(sbuf *pool, str s) {
  size_t at = pool->len;
  sb_str(pool, s);
  return (str){pool->p + at, pool->len - at};
}

static void on_sigint(int sig) {
  (void)sig;
  _exit(0);
}

static void iso_now(char *out, size_t cap) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
           tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

static void print_change(const row *r, const row *old) {
  static char mem[512 * 1024], onemem[512 * 1024];
  char at[96];
  iso_now(at, sizeof at);
  sbuf b, one;
  sb_init(&b, mem, sizeof mem);
  sb_init(&one, onemem, sizeof onemem - 1);
  sb_fmt(&b, "%s %S %S", at, js_trim(r->name), r->status);
  if (old) sb_fmt(&b, " (was %S)", old->status);
  if (r->has_duration) {
    sb_cstr(&b, " in ");
    if (r->duration_ms < 100) js_fixed1(&b, r->duration_ms);
    else js_number(&b, js_round(r->duration_ms));
    sb_cstr(&b, " ms");
  }
  if (r->has_message && r->message.n) sb_fmt(&b, ": %S", r->message);
  one_line(sb_as_str(&b), &one);
  static char wf[512 * 1024];
  sbuf w;
  sb_init(&w, wf, sizeof wf - 1);
  sb_wellformed(&w, sb_as_str(&one));
  sb_ch(&w, '\n');
  (void)write_all(1, w.p, w.len);
}

/* Prints the failure that ends the watch before it starts, as one classed line; returns 1. */
static int print_failure(void) {
  static char mem[1 << 20], onemem[1 << 20];
  sbuf b, one;
  sb_init(&b, mem, sizeof mem);
  sb_init(&one, onemem, sizeof onemem - 1);
  sb_fmt(&b, "%s: %S", hs_class_names[hs_fail.cls], sb_as_str(&hs_fail.msg));
  one_line(sb_as_str(&b), &one);
  sb_ch(&one, '\n');
  (void)write_all(2, one.p, one.len);
  return 1;
}

int watch(int parsed, const options *o, const char *print) {
  if (parsed == ARGS_FAIL) {
    return print_failure();
  }
  if (parsed == ARGS_PRINT) {
    (void)write_all(1, print, strlen(print));
    (void)write_all(1, "\n", 1);
    return 0;
  }
  static target t;
  if (parse_target(o->target, o->probe, &t)) {
    return print_failure();
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigaction(SIGINT, &sa, NULL);
  int gen = 0;
  nrows[0] = nrows[1] = 0;
  for (;;) {
    double started = now_ms();
    request rq = {.probe = o->probe,
                  .deadline = started + o->timeout_ms,
                  .timeout_ms = o->timeout_ms,
                  .max_age_ms = o->max_age_ms,
                  .detail = true,
                  .probe_explicit = o->probe_explicit};
    static reply r;
    int rc = probe_target(&t, &rq, &r);
    double now = now_ms();
    int prev = gen, cur = 1 - gen;
    sbuf pool;
    sb_init(&pool, pools[cur], POOL);
    int n = 0;
    row *out = rows[cur];
    if (rc == 0) {
      out[n++] = (row){keep(&pool, (str){hs_probe_names[r.probe], strlen(hs_probe_names[r.probe])}),
                       keep(&pool, (str){hs_status_names[r.status], strlen(hs_status_names[r.status])}),
                       keep(&pool, r.message), true, r.has_message, r.duration_ms, now};
      int c = -1;
      check ck;
      while (n < MAX_ROWS && reply_next_check(&r, &c, &ck)) {
        size_t at = pool.len;
        sb_fmt(&pool, "  %S", ck.name);
        str name = {pool.p + at, pool.len - at};
        out[n++] = (row){name, keep(&pool, (str){hs_status_names[ck.status], strlen(hs_status_names[ck.status])}),
                         keep(&pool, ck.message), true, ck.has_message, ck.duration_ms, now};
      }
    } else {
      out[n++] = (row){keep(&pool, (str){hs_probe_names[o->probe], strlen(hs_probe_names[o->probe])}),
                       keep(&pool, (str){hs_class_names[hs_fail.cls], strlen(hs_class_names[hs_fail.cls])}),
                       keep(&pool, sb_as_str(&hs_fail.msg)), false, true, 0, now};
    }
    nrows[cur] = n;
    for (int i = 0; i < n; i++) {
      /* The previous row of that name: the last of duplicates, as a Map built from them. */
      const row *old = NULL;
      for (int j = 0; j < nrows[prev]; j++)
        if (rows[prev][j].name.n == out[i].name.n && !memcmp(rows[prev][j].name.p, out[i].name.p, out[i].name.n))
          old = &rows[prev][j];
      bool same = old && old->status.n == out[i].status.n && !memcmp(old->status.p, out[i].status.p, old->status.n);
      if (same) {
        out[i].since = old->since;
        continue;
      }
      print_change(&out[i], old);
    }
    gen = cur;
    double wake = started + o->watch_ms;
    while (ms_left(wake) > 0)
      if (poll(NULL, 0, ms_left(wake)) < 0) continue;
  }
}
