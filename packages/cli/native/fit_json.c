/* fitJson() and the server's encodeProbeReply(): see fit_json.h. Each attempt is written into a
 * buffer only a little larger than the limit: an attempt that fills it is too large, whatever
 * the rest would have been. */
#include "fit_json.h"

#include <string.h>

#include "json.h"
#include "text.h"

enum { ALL_WITH_DATA, ALL, NOT_HEALTHY, SHORT };

/* message.slice(0, 79) + '…' when the message is longer than 80 UTF-16 units. */
static void short_message(sbuf *b, str m) {
  size_t units = 0, i = 0, cut = (size_t)-1;
  bool split = false;
  while (i < m.n) {
    uint32_t cp;
    size_t k = utf8_next(m.p + i, m.n - i, &cp);
    size_t u = cp >= 0x10000 ? 2 : 1;
    if (cut == (size_t)-1 && units + u > 79) cut = i, split = units + 1 == 79 && u == 2;
    units += u;
    i += k;
  }
  if (units <= 80) return json_quote(b, m);
  /* The 79 units are copied through a small buffer: at most 79 code points of 4 bytes. */
  static char mem[79 * 4 + 8];
  sbuf s;
  sb_init(&s, mem, sizeof mem);
  sb_put(&s, m.p, cut);
  if (split) {
    uint32_t cp;
    utf8_next(m.p + cut, m.n - cut, &cp);
    uint32_t hi = 0xD800 + ((cp - 0x10000) >> 10);
    char h[3] = {(char)(0xE0 | (hi >> 12)), (char)(0x80 | ((hi >> 6) & 0x3F)), (char)(0x80 | (hi & 0x3F))};
    sb_put(&s, h, 3);
  }
  sb_cstr(&s, "\xE2\x80\xA6");
  json_quote(b, sb_as_str(&s));
}

/* encode(): one attempt, with `limit` checks of those the mode keeps, and the note when some
 * are left out. */
static void encode(const reply *r, int mode, int limit, sbuf *b) {
  int kept = 0, total = r->nchecks;
  int cur = -1;
  check c;
  /* How many the mode keeps, for the note. */
  int eligible = 0;
  while (reply_next_check(r, &cur, &c))
    if (mode < NOT_HEALTHY || c.status != ST_HEALTHY) eligible++;
  int count = limit < eligible ? limit : eligible;
  int omitted = total - count;
  static char notemem[128];
  sbuf note;
  sb_init(&note, notemem, sizeof notemem);
  if (omitted > 0) sb_fmt(&note, "%d of %d checks left out to keep the reply small", omitted, total);
  bool msg_truthy = r->has_message && r->message.n > 0;
  /* [report.message, note].filter(Boolean).join('; ') replaces the message only when not empty. */
  bool replaced = mode != ALL_WITH_DATA && (msg_truthy || note.len > 0);
  sb_fmt(b, "{\"v\":1,\"probe\":\"%s\",\"status\":\"%s\",\"durationMs\":", hs_probe_names[r->probe],
         hs_status_names[r->status]);
  if (r->duration_ms - r->duration_ms != 0) sb_cstr(b, "null");
  else js_number(b, r->duration_ms);
  static char msgmem[200 * 1024];
  sbuf msg;
  sb_init(&msg, msgmem, sizeof msgmem);
  if (replaced) {
    if (msg_truthy) sb_str(&msg, r->message);
    if (msg_truthy && note.len) sb_cstr(&msg, "; ");
    sb_str(&msg, sb_as_str(&note));
  }
  if (r->has_message) {
    sb_cstr(b, ",\"message\":");
    json_quote(b, replaced ? sb_as_str(&msg) : r->message);
  }
  sb_cstr(b, ",\"checks\":[");
  cur = -1;
  while (kept < count && reply_next_check(r, &cur, &c) && b->len < b->cap) {
    if (mode >= NOT_HEALTHY && c.status == ST_HEALTHY) continue;
    if (kept++) sb_ch(b, ',');
    sb_cstr(b, "{\"name\":");
    json_quote(b, c.name);
    sb_fmt(b, ",\"status\":\"%s\",\"durationMs\":", hs_status_names[c.status]);
    if (c.duration_ms - c.duration_ms != 0) sb_cstr(b, "null");
    else js_number(b, c.duration_ms);
    if (c.has_message) {
      sb_cstr(b, ",\"message\":");
      if (mode == SHORT) short_message(b, c.message);
      else json_quote(b, c.message);
    }
    if (mode == ALL_WITH_DATA && c.data >= 0) {
      sb_cstr(b, ",\"data\":");
      json_stringify(b, c.data);
    }
    sb_ch(b, '}');
  }
  sb_ch(b, ']');
  if (!r->has_message && replaced) {
    sb_cstr(b, ",\"message\":");
    json_quote(b, sb_as_str(&msg));
  }
  sb_ch(b, '}');
}

void fit_json(const reply *r, size_t max_bytes, sbuf *out) {
  static char mem[HS_MAX_REPLY + 64];
  sbuf b;
  /* encodeProbeReply counts its newline: a line fits when it and the newline do. */
  const size_t fits = HS_MAX_REPLY - 1;
  int modes[3] = {ALL, NOT_HEALTHY, SHORT};
  sb_init(&b, mem, sizeof mem);
  encode(r, ALL_WITH_DATA, r->nchecks, &b);
  bool ok = b.len <= fits;
  for (int m = 0; !ok && m < 3; m++) {
    sb_init(&b, mem, sizeof mem);
    encode(r, modes[m], r->nchecks, &b);
    ok = b.len <= fits;
  }
  if (!ok) {
    int kept, eligible = 0, cur = -1;
    check c;
    while (reply_next_check(r, &cur, &c))
      if (c.status != ST_HEALTHY) eligible++;
    kept = eligible;
    do {
      sb_init(&b, mem, sizeof mem);
      encode(r, SHORT, --kept, &b);
    } while (kept > 0 && b.len > fits);
    ok = b.len <= fits;
  }
  if (b.len <= max_bytes && b.len < sizeof mem) {
    sb_str(out, sb_as_str(&b));
    return;
  }
  static char notemem[128], joined[200 * 1024], cutmem[2048];
  sbuf note, j, cut;
  sb_init(&note, notemem, sizeof notemem);
  sb_init(&j, joined, sizeof joined);
  sb_init(&cut, cutmem, sizeof cutmem);
  sb_fmt(&note, "%d of %d checks left out to keep the reply small", r->nchecks, r->nchecks);
  if (r->has_message && r->message.n > 0) sb_fmt(&j, "%S; ", r->message);
  sb_str(&j, sb_as_str(&note));
  size_t room = max_bytes / 2 > 100 ? max_bytes / 2 - 100 : 0;
  cut_bytes(sb_as_str(&j), room, &cut);
  sb_fmt(out, "{\"v\":1,\"probe\":\"%s\",\"status\":\"%s\",\"durationMs\":", hs_probe_names[r->probe],
         hs_status_names[r->status]);
  if (r->duration_ms - r->duration_ms != 0) sb_cstr(out, "null");
  else js_number(out, r->duration_ms);
  sb_cstr(out, ",\"message\":");
  json_quote(out, sb_as_str(&cut));
  sb_cstr(out, ",\"checks\":[]}");
}
