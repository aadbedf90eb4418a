/* The heartbeat file: a regular file younger than --max-age passes; when it holds a healthsock
 * reply, that reply's status decides. Mirrors probeFile.ts. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "net.h"
#include "probe.h"
#include "text.h"

#define MAX_FILE (64 * 1024)

static int file_error(int e, const target *t, const char *syscall) {
  str where = {t->display, strlen(t->display)};
  switch (e) {
    case ENOENT: fail(F_NO_FILE, "no file at %S (is the worker writing its heartbeat there?)", where); break;
    case ENOTDIR: fail(F_NO_FILE, "no file at %S: a part of its path is not a directory", where); break;
    case EACCES:
    case EPERM: {
      static char mem[16384];
      sbuf a;
      sb_init(&a, mem, sizeof mem);
      describe_access(t->file, false, &a);
      fail(F_REFUSED, "permission denied reading %S (%S)", where, sb_as_str(&a));
      break;
    }
    default: fail(F_REFUSED, "cannot read %S: %s", where, errno_name(e)); break;
  }
  fail_cause("%s: %s, %s '%s'", errno_name(e), errno_text(e), syscall, t->file);
  return -1;
}

static void seconds(sbuf *b, double ms) {
  if (ms < 10000) js_fixed1(b, ms / 1000);
  else js_number(b, js_round(ms / 1000));
  sb_cstr(b, " s");
}

static int check_file(const target *t, const request *rq, reply *out);

/* A file system can hang (a dead NFS mount): the deadline holds even then. */
int probe_file(const target *t, const request *rq, reply *out) {
  if (sigsetjmp(hs_guard, 1))
    return fail(F_TIMEOUT, "could not read %S within %N ms", (str){t->display, strlen(t->display)}, rq->timeout_ms);
  guard_arm(rq->deadline);
  int rc = check_file(t, rq, out);
  guard_disarm();
  return rc;
}

static int check_file(const target *t, const request *rq, reply *out) {
  static char agemem[256], msgmem[3 * MAX_FILE + 512], raw[MAX_FILE], text[3 * MAX_FILE + 16];
  double started = now_ms();
  struct stat st;
  if (stat(t->file, &st) != 0) return file_error(errno, t, "stat");
  if (!S_ISREG(st.st_mode))
    return fail(F_NO_FILE, "%S is %s, not a heartbeat file", (str){t->display, strlen(t->display)},
                kind_of(st.st_mode));
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  double now_wall = (double)now.tv_sec * 1000 + (double)(now.tv_nsec / 1000000);
  double mtime = (double)st.st_mtim.tv_sec * 1000 + (double)st.st_mtim.tv_nsec / 1e6;
  double age_ms = now_wall - mtime;
  if (age_ms < 0) age_ms = 0;
  sbuf age;
  sb_init(&age, agemem, sizeof agemem);
  sb_cstr(&age, "heartbeat is ");
  seconds(&age, age_ms);
  sb_cstr(&age, " old (max ");
  seconds(&age, rq->max_age_ms);
  sb_ch(&age, ')');
  if (age_ms > rq->max_age_ms) {
    target_reply(out, rq->probe, ST_UNHEALTHY, now_ms() - started, sb_as_str(&age));
    return 0;
  }
  int fd = open(t->file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return file_error(errno, t, "open");
  size_t want = st.st_size < MAX_FILE ? (size_t)st.st_size : MAX_FILE, got = 0;
  while (got < want) {
    ssize_t n = read(fd, raw + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      return file_error(e, t, "read");
    }
    if (n == 0) break;
    got += (size_t)n;
  }
  close(fd);
  size_t len = utf8_sanitize(raw, got, text, sizeof text);
  str content = js_trim((str){text, len});
  if (content.n && content.p[0] == '{') {
    static char reasonmem[4096];
    sbuf reason;
    sb_init(&reason, reasonmem, sizeof reasonmem);
    str code, message;
    if (parse_reply(content, out, &reason, &code, &message) == PARSED_REPLY) {
      if (rq->probe_explicit && out->probe != rq->probe)
        return fail(F_BAD_REPLY, "%S holds a %s heartbeat, not %s", (str){t->display, strlen(t->display)},
                    hs_probe_names[out->probe], hs_probe_names[rq->probe]);
      if (rq->probe_explicit) out->probe = rq->probe;
      sbuf m;
      sb_init(&m, msgmem, sizeof msgmem);
      sb_str(&m, sb_as_str(&age));
      if (out->has_message && out->message.n) sb_fmt(&m, "; %S", out->message);
      out->has_message = true;
      out->message = sb_as_str(&m);
      return 0;
    }
  }
  target_reply(out, rq->probe, ST_HEALTHY, now_ms() - started, sb_as_str(&age));
  return 0;
}
