/* formatReply(): see format_reply.h. */
#include "format_reply.h"

#include "text.h"
#include "write_output.h"

void format_ms(sbuf *b, double ms) {
  if (ms < 10) js_fixed1(b, ms);
  else js_number(b, js_round(ms));
  sb_cstr(b, " ms");
}

static void describe_check(sbuf *b, const check *c) {
  sb_fmt(b, "%S: ", c->name);
  if (c->has_message) sb_str(b, c->message);
  else sb_cstr(b, hs_status_names[c->status]);
  sb_cstr(b, " (");
  format_ms(b, c->duration_ms);
  sb_ch(b, ')');
}

bool format_reply(const reply *r, str where, bool verbose, size_t max_bytes, int stream) {
  static char headmem[512 * 1024], onemem[512 * 1024], cutmem[HS_MAX_FIRST_LINE + 8], linemem[16 * 1024];
  bool passed = r->status != ST_UNHEALTHY;
  bool has_msg = r->has_message && r->message.n > 0;
  sbuf head;
  sb_init(&head, headmem, sizeof headmem);
  char countmem[128];
  sbuf counted;
  sb_init(&counted, countmem, sizeof countmem);
  sb_fmt(&counted, "%d %s, ", r->nchecks, r->nchecks == 1 ? "check" : "checks");
  format_ms(&counted, r->duration_ms);
  if (r->status == ST_HEALTHY) {
    sb_fmt(&head, "healthy: %s passed at %S (", hs_probe_names[r->probe], where);
    if (has_msg && r->nchecks == 0) {
      sb_fmt(&head, "%S, ", r->message);
      format_ms(&head, r->duration_ms);
    } else if (has_msg) {
      sb_fmt(&head, "%S; %S", r->message, sb_as_str(&counted));
    } else {
      sb_str(&head, sb_as_str(&counted));
    }
    sb_ch(&head, ')');
  } else {
    sb_fmt(&head, "%s: %s %s at %S: ", hs_status_names[r->status], hs_probe_names[r->probe],
           passed ? "passed" : "failed", where);
    size_t before = head.len;
    int cur = -1;
    check c;
    while (reply_next_check(r, &cur, &c)) {
      if (c.status != r->status) continue;
      if (head.len > before) sb_cstr(&head, "; ");
      describe_check(&head, &c);
    }
    if (has_msg) {
      if (head.len > before) sb_cstr(&head, "; ");
      sb_str(&head, r->message);
    }
    if (head.len == before) sb_str(&head, sb_as_str(&counted));
  }
  sbuf one, cut;
  sb_init(&one, onemem, sizeof onemem);
  sb_init(&cut, cutmem, sizeof cutmem);
  one_line(sb_as_str(&head), &one);
  cut_bytes(sb_as_str(&one), HS_MAX_FIRST_LINE, &cut);
  out_add(stream, sb_as_str(&cut), false);
  if (!verbose) return passed;
  size_t used = cut.len + 1;
  int cur = -1, index = 0;
  check c;
  while (reply_next_check(r, &cur, &c)) {
    sb_init(&head, headmem, sizeof headmem);
    sb_fmt(&head, "  %S: %s in ", c.name, hs_status_names[c.status]);
    format_ms(&head, c.duration_ms);
    if (c.has_message && c.message.n > 0) sb_fmt(&head, ": %S", c.message);
    sbuf line;
    sb_init(&line, onemem, sizeof onemem);
    one_line(sb_as_str(&head), &line);
    char more[64];
    sbuf m;
    sb_init(&m, more, sizeof more);
    sb_fmt(&m, "  ... %d more checks", r->nchecks - index);
    size_t reserve = index < r->nchecks - 1 ? m.len + 1 : 0;
    if (used + line.len + 1 + reserve > max_bytes) {
      out_add(stream, sb_as_str(&m), false);
      break;
    }
    sbuf keep;
    sb_init(&keep, linemem, sizeof linemem);
    sb_str(&keep, sb_as_str(&line));
    out_add(stream, sb_as_str(&keep), false);
    used += line.len + 1;
    index++;
  }
  return passed;
}
