/* kubelet's httpGet probe: a GET within the deadline; 200-399 passes. Same-host redirects are
 * followed (at most 10), a redirect to another host passes unfollowed, certificates are not
 * verified, no proxy, at most 10 KiB of body. Mirrors probeHttp.ts. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"
#include "probe.h"
#include "tcp_connect.h"
#include "text.h"
#include "tls.h"

#define MAX_HEAD (16 * 1024)
#define MAX_REDIRECTS 10

sbuf hs_http_body_line;
static char body_line_mem[256];


typedef struct {
  int fd;
  bool tls;
} conn;

/* One read: bytes, 0 at the end, -1 error (*code), -2 late. */
static long conn_read(conn *c, char *buf, size_t cap, double deadline, const char **code) {
  if (c->tls) return tls_read(buf, cap, deadline, code);
  for (;;) {
    ssize_t n = read(c->fd, buf, cap);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return *code = errno_name(errno), -1;
    int r = wait_fd(c->fd, POLLIN, deadline);
    if (r == 0) return -2;
    if (r < 0) return *code = errno_name(errno), -1;
  }
}

static int conn_write(conn *c, const char *p, size_t n, double deadline, const char **code) {
  if (c->tls) return tls_write(p, n, deadline, code);
  while (n > 0) {
    ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) return *code = errno_name(errno), -1;
      int r = wait_fd(c->fd, POLLOUT, deadline);
      if (r == 0) return -2;
      if (r < 0) return *code = errno_name(errno), -1;
      continue;
    }
    p += w, n -= (size_t)w;
  }
  return 0;
}

/* Header values are read as latin1, as Node reads them. */
static void latin1(sbuf *b, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c < 0x80) sb_ch(b, (char)c);
    else sb_ch(b, (char)(0xC0 | (c >> 6))), sb_ch(b, (char)(0x80 | (c & 0x3F)));
  }
}

static bool ieq(const char *a, size_t n, const char *lit) {
  if (strlen(lit) != n) return false;
  for (size_t i = 0; i < n; i++) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (c != lit[i]) return false;
  }
  return true;
}

/* The status line and headers; returns the header block's length, 0 when incomplete, -1 malformed. */
static long parse_head(const char *buf, size_t n, response *res, long long *length, bool *chunked) {
  const char *end = NULL;
  for (size_t i = 0; i + 1 < n; i++)
    if (buf[i] == '\n' && (buf[i + 1] == '\n' || (i + 2 < n && buf[i + 1] == '\r' && buf[i + 2] == '\n'))) {
      end = buf + i + (buf[i + 1] == '\n' ? 2 : 3);
      break;
    }
  if (n >= 5 && memcmp(buf, "HTTP/", 5) != 0) return -1;
  if (!end) return 0;
  const char *p = buf + 5;
  if (!(p[0] >= '0' && p[0] <= '9' && p[1] == '.' && p[2] >= '0' && p[2] <= '9' && p[3] == ' ')) return -1;
  p += 4;
  if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9')) return -1;
  res->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
  p += 3;
  const char *eol = memchr(p, '\n', (size_t)(end - p));
  const char *text_end = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
  if (p < text_end && *p != ' ') return -1;
  if (p < text_end) p++;
  sbuf st;
  sb_init(&st, res->status_text, sizeof res->status_text - 1);
  latin1(&st, p, (size_t)(text_end - p));
  res->status_text[st.len] = 0;
  *length = -1;
  *chunked = false;
  res->has_location = false;
  for (p = eol + 1; p < end;) {
    const char *le = memchr(p, '\n', (size_t)(end - p));
    const char *lend = le > p && le[-1] == '\r' ? le - 1 : le;
    if (lend == p) break;
    const char *colon = memchr(p, ':', (size_t)(lend - p));
    if (!colon || colon == p) return -1;
    const char *v = colon + 1;
    while (v < lend && (*v == ' ' || *v == '\t')) v++;
    const char *ve = lend;
    while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
    size_t nl = (size_t)(colon - p);
    if (ieq(p, nl, "content-length")) {
      long long l = 0;
      for (const char *d = v; d < ve; d++) {
        if (*d < '0' || *d > '9' || l > 1000000000000LL) return -1;
        l = l * 10 + (*d - '0');
      }
      if (v == ve) return -1;
      *length = l;
    } else if (ieq(p, nl, "transfer-encoding")) {
      *chunked = ve - v >= 7 && ieq(ve - 7, 7, "chunked");
    } else if (ieq(p, nl, "location") && !res->has_location) {
      sbuf l;
      sb_init(&l, res->location, sizeof res->location - 1);
      latin1(&l, v, (size_t)(ve - v));
      res->location[l.len] = 0;
      res->has_location = true;
    }
    p = le + 1;
  }
  return (long)(end - buf);
}

static void add_body(response *res, const char *p, size_t n) {
  size_t room = MAX_BODY - res->body_len;
  if (n > room) n = room;
  memcpy(res->body + res->body_len, p, n);
  res->body_len += n;
}

/* One GET on a connected fd, the body read up to MAX_BODY; the fuzz harness calls it on a socketpair. */
int http_exchange(int fd, bool tls, const url *u, str where, const request *rq, response *res) {
  conn c = {fd, tls};
  static char reqmem[URL_MAX * 3];
  sbuf rqb;
  sb_init(&rqb, reqmem, sizeof reqmem);
  double left = rq->deadline - now_ms();
  sb_fmt(&rqb, "GET %s", u->path);
  if (u->has_query) sb_fmt(&rqb, "?%s", u->query);
  sb_fmt(&rqb,
         " HTTP/1.1\r\nUser-Agent: healthsock/" HS_VERSION
         "\r\nAccept: */*\r\nConnection: close\r\nX-Probe: %s\r\nX-Healthsock-Timeout-Ms: %N\r\nHost: ",
         hs_probe_names[rq->probe], left < 1 ? 1.0 : (double)(long long)left);
  url_host(u, &rqb);
  sb_cstr(&rqb, "\r\n\r\n");
  const char *code = "ECONNRESET";
  int rc = conn_write(&c, rqb.p, rqb.len, rq->deadline, &code);
  static char head[MAX_HEAD + 1];
  static char chunk[16384];
  size_t got = 0;
  bool started = false;
  long long length = -1, chunk_left = -1;
  bool chunked = false;
  size_t body_seen = 0;
  res->body_len = 0;
  int result = -1;
  if (rc == -2) {
    result = fail(F_TIMEOUT, "no response from %S within %N ms (connected)", where, rq->timeout_ms);
    goto out;
  }
  if (rc < 0) {
    result = fail(F_BAD_REPLY, "%S closed or broke the connection before a complete answer: %s", where, code);
    goto out;
  }
  /* Chunked bodies are decoded from this state: digits of a size, its line, data, data's CRLF. */
  enum { C_SIZE, C_EXT, C_DATA, C_DATA_END, C_DONE } cs = C_SIZE;
  for (;;) {
    char *buf = started ? chunk : head + got;
    size_t cap = started ? sizeof chunk : MAX_HEAD - got;
    long n = cap ? conn_read(&c, buf, cap, rq->deadline, &code) : -3;
    if (n == -3) {
      result = fail(F_BAD_REPLY, "%S closed or broke the connection before a complete answer: %s", where,
                    "HPE_HEADER_OVERFLOW");
      break;
    }
    if (n == -2) {
      if (started) result = fail(F_TIMEOUT, "%S did not finish its response within %N ms", where, rq->timeout_ms);
      else result = fail(F_TIMEOUT, "no response from %S within %N ms (connected)", where, rq->timeout_ms);
      break;
    }
    if (n < 0) {
      if (started) result = fail(F_BAD_REPLY, "%S broke off its response: %s", where, code);
      else result = fail(F_BAD_REPLY, "%S closed or broke the connection before a complete answer: %s", where, code);
      break;
    }
    if (n == 0) {
      if (!started) {
        result = fail(F_BAD_REPLY, "%S closed or broke the connection before a complete answer: %s", where,
                      got ? "HPE_INVALID_EOF_STATE" : "ECONNRESET");
        break;
      }
      if ((length >= 0 && (long long)body_seen < length) || (chunked && cs != C_DONE)) {
        result = fail(F_BAD_REPLY, "%S broke off its response after %l bytes of body", where, (long long)body_seen);
        break;
      }
      result = 0;
      break;
    }
    const char *data = buf;
    size_t dn = (size_t)n;
    if (!started) {
      got += (size_t)n;
      long hl = parse_head(head, got, res, &length, &chunked);
      if (hl < 0) {
        result = fail(F_BAD_REPLY, "%S closed or broke the connection before a complete answer: %s", where,
                      "HPE_INVALID_CONSTANT");
        break;
      }
      if (hl == 0) continue;
      /* 1xx answers are not the response; Node waits for the next. */
      if (res->status >= 100 && res->status < 200) {
        memmove(head, head + hl, got - (size_t)hl);
        got -= (size_t)hl;
        continue;
      }
      started = true;
      data = head + hl;
      dn = got - (size_t)hl;
      if (chunked) length = -1;
      if (length == 0 || res->status == 204 || res->status == 304) {
        result = 0;
        break;
      }
    }
    /* Body bytes. */
    if (!chunked) {
      if (length >= 0 && (long long)(body_seen + dn) > length) dn = (size_t)(length - (long long)body_seen);
      add_body(res, data, dn);
      body_seen += dn;
      if (body_seen >= MAX_BODY || (length >= 0 && (long long)body_seen >= length)) {
        result = 0;
        break;
      }
      continue;
    }
    for (size_t i = 0; i < dn && cs != C_DONE;) {
      char ch = data[i];
      switch (cs) {
        case C_SIZE: {
          int h = (ch >= '0' && ch <= '9') ? ch - '0' : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
                                                     : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10 : -1;
          if (h >= 0) {
            chunk_left = (chunk_left < 0 ? 0 : chunk_left) * 16 + h;
            if (chunk_left > (1LL << 40)) cs = C_DONE, result = -2;
            i++;
          } else {
            if (chunk_left < 0) {
              cs = C_DONE, result = -2;
              break;
            }
            cs = C_EXT;
          }
          break;
        }
        case C_EXT:
          if (ch == '\n') {
            if (chunk_left == 0) {
              cs = C_DONE, result = 0;
              break;
            }
            cs = C_DATA;
          }
          i++;
          break;
        case C_DATA: {
          size_t take = dn - i;
          if ((long long)take > chunk_left) take = (size_t)chunk_left;
          add_body(res, data + i, take);
          body_seen += take;
          chunk_left -= (long long)take;
          i += take;
          if (chunk_left == 0) cs = C_DATA_END;
          break;
        }
        case C_DATA_END:
          if (ch == '\n') cs = C_SIZE, chunk_left = -1;
          i++;
          break;
        default: break;
      }
      if (body_seen >= MAX_BODY) cs = C_DONE, result = 0;
    }
    if (cs == C_DONE) {
      if (result == -2)
        result = fail(F_BAD_REPLY, "%S broke off its response after %l bytes of body", where, (long long)body_seen);
      break;
    }
  }
out:
  return result;
}

static int get(const url *u, str where, const request *rq, response *res) {
  char host[512];
  url_bare_host(u, host, sizeof host);
  int fd;
  if (tcp_connect(host, url_port(u), rq, where, &fd)) return -1;
  bool tls = !strcmp(u->scheme, "https");
  if (tls) {
    bool ip = strchr(host, ':') || strspn(host, "0123456789.") == strlen(host);
    tls_start(fd, ip ? NULL : host);
  }
  int rc = http_exchange(fd, tls, u, where, rq, res);
  close(fd);
  return rc;
}

/* The verdict on a final response: its status code decides; the body adds the reason. */
void http_interpret(response *res, str head, const request *rq, double took, reply *out) {
  static char text[3 * MAX_BODY + 16], msgmem[3 * MAX_BODY + 2048];
  bool passed = res->status >= 200 && res->status < 400;
  size_t len = utf8_sanitize(res->body, res->body_len, text, sizeof text);
  str all = {text, len};
  const char *nl = memchr(text, '\n', len);
  str first = js_trim((str){text, nl ? (size_t)(nl - text) : len});
  sbuf m;
  sb_init(&m, msgmem, sizeof msgmem);
  if (first.n && first.p[0] == '{') {
    static char reasonmem[4096];
    sbuf reason;
    sb_init(&reason, reasonmem, sizeof reasonmem);
    str code, message;
    if (parse_reply(first, out, &reason, &code, &message) == PARSED_REPLY) {
      out->probe = rq->probe;
      out->status = passed ? (out->status == ST_DEGRADED ? ST_DEGRADED : ST_HEALTHY) : ST_UNHEALTHY;
      sb_str(&m, head);
      if (out->has_message && out->message.n) sb_fmt(&m, "; %S", out->message);
      out->has_message = true;
      out->message = sb_as_str(&m);
      return;
    }
  }
  if (passed) {
    sb_str(&m, head);
    target_reply(out, rq->probe, ST_HEALTHY, took, sb_as_str(&m));
    return;
  }
  {
    /* -v: the body's first non-empty line, on one line, at most 200 bytes (a healthsock reply's
     * checks say more, so it has none). */
    sb_init(&hs_http_body_line, body_line_mem, sizeof body_line_mem);
    for (size_t i = 0; i < len;) {
      const char *e = memchr(text + i, '\n', len - i);
      size_t n = e ? (size_t)(e - text) - i : len - i;
      str line = js_trim((str){text + i, n});
      if (line.n) {
        static char onemem[3 * MAX_BODY + 16];
        sbuf one;
        sb_init(&one, onemem, sizeof onemem);
        one_line(line, &one);
        sb_cstr(&hs_http_body_line, "  body: ");
        cut_bytes(sb_as_str(&one), 200, &hs_http_body_line);
        break;
      }
      i += n + 1;
    }
  }
  /* The Kubernetes verbose format: `[+]name ok` and `[-]name failed: reason` lines. */
  bool verbose = false;
  str failed_line = {0, 0};
  for (size_t i = 0; i <= all.n;) {
    const char *e = memchr(all.p + i, '\n', all.n - i);
    size_t n = e ? (size_t)(e - all.p) - i : all.n - i;
    str line = js_trim((str){all.p + i, n});
    if (line.n >= 3 && line.p[0] == '[' && (line.p[1] == '+' || line.p[1] == '-') && line.p[2] == ']') verbose = true;
    if (!failed_line.p && str_starts(line, "[-]")) failed_line = line;
    if (!e) break;
    i += n + 1;
  }
  str reason = verbose ? (failed_line.p ? failed_line : first) : (str){"", 0};
  sb_str(&m, head);
  if (reason.n) sb_fmt(&m, ": %S", reason);
  target_reply(out, rq->probe, ST_UNHEALTHY, took, sb_as_str(&m));
}

int probe_http(const target *t, const request *rq, reply *out) {
  static url first, cur, next;
  static response res;
  static char headmem[2048], msgmem[URL_MAX * 2];
  double started = now_ms();
  str where = {t->display, strlen(t->display)};
  first = t->u;
  if (rq->detail) url_set_param(&first, "format", "json");
  cur = first;
  for (int redirects = 0;; redirects++) {
    if (get(&cur, where, rq, &res)) return -1;
    bool redirect = res.status >= 300 && res.status < 400 && res.has_location;
    sbuf head;
    sb_init(&head, headmem, sizeof headmem);
    sb_fmt(&head, "HTTP %d", res.status);
    if (res.status_text[0]) sb_fmt(&head, " %s", res.status_text);
    if (!redirect) {
      if (redirects) sb_fmt(&head, " after %d %s", redirects, redirects == 1 ? "redirect" : "redirects");
      http_interpret(&res, sb_as_str(&head), rq, now_ms() - started, out);
      return 0;
    }
    sbuf m;
    sb_init(&m, msgmem, sizeof msgmem);
    str location = {res.location, strlen(res.location)};
    bool parsed = url_parse(&next, location, &cur) == 0;
    if (!parsed || strcmp(next.hostname, first.hostname)) {
      sb_fmt(&m, "%S to ", sb_as_str(&head));
      if (parsed) {
        sb_fmt(&m, "%s://", next.scheme);
        url_host(&next, &m);
      } else {
        json_quote(&m, location);
      }
      sb_cstr(&m, ": another host, not followed, as kubelet does");
      target_reply(out, rq->probe, ST_HEALTHY, now_ms() - started, sb_as_str(&m));
      return 0;
    }
    if (strcmp(next.scheme, "http") && strcmp(next.scheme, "https")) {
      sb_fmt(&m, "%S to %s: URL, which a probe cannot follow", sb_as_str(&head), next.scheme);
      target_reply(out, rq->probe, ST_UNHEALTHY, now_ms() - started, sb_as_str(&m));
      return 0;
    }
    if (redirects == MAX_REDIRECTS) {
      sb_fmt(&m, "%S: stopped after %d redirects", sb_as_str(&head), MAX_REDIRECTS);
      target_reply(out, rq->probe, ST_UNHEALTHY, now_ms() - started, sb_as_str(&m));
      return 0;
    }
    cur = next;
  }
}
