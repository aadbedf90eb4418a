/* Text as the Node CLI sees it: see text.h. Everything here works in caller-given buffers. */
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(sbuf *b, char *mem, size_t cap) {
  b->p = mem;
  b->cap = cap;
  b->len = 0;
}

void sb_put(sbuf *b, const char *p, size_t n) {
  size_t room = b->cap - b->len;
  if (n > room) n = room;
  if (n) memcpy(b->p + b->len, p, n);
  b->len += n;
}

void sb_str(sbuf *b, str s) { sb_put(b, s.p, s.n); }
void sb_cstr(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }
void sb_ch(sbuf *b, char c) { sb_put(b, &c, 1); }

void sb_vfmt(sbuf *b, const char *fmt, va_list ap) {
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') {
      const char *run = f;
      while (f[1] && f[1] != '%') f++;
      sb_put(b, run, (size_t)(f - run) + 1);
      continue;
    }
    char tmp[32];
    switch (*++f) {
      case 's': sb_cstr(b, va_arg(ap, const char *)); break;
      case 'S': sb_str(b, va_arg(ap, str)); break;
      case 'Q': json_quote(b, va_arg(ap, str)); break;
      case 'd': snprintf(tmp, sizeof tmp, "%d", va_arg(ap, int)); sb_cstr(b, tmp); break;
      case 'l': snprintf(tmp, sizeof tmp, "%lld", va_arg(ap, long long)); sb_cstr(b, tmp); break;
      case 'N': js_number(b, va_arg(ap, double)); break;
      case 'F': js_fixed1(b, va_arg(ap, double)); break;
      case 'R': js_number(b, js_round(va_arg(ap, double))); break;
      case '%': sb_ch(b, '%'); break;
      default: return;
    }
  }
}

void sb_fmt(sbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vfmt(b, fmt, ap);
  va_end(ap);
}

/* The WHATWG decoder: a bad sequence yields one U+FFFD for its maximal valid prefix. */
size_t utf8_sanitize(const char *in, size_t n, char *out, size_t cap) {
  static const char fffd[3] = {(char)0xEF, (char)0xBF, (char)0xBD};
  const unsigned char *s = (const unsigned char *)in;
  size_t o = 0, i = 0;
  while (i < n) {
    unsigned c = s[i];
    size_t need = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) need = 0;
    else if (c >= 0xC2 && c <= 0xDF) need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      if (o + 3 > cap) break;
      memcpy(out + o, fffd, 3), o += 3, i++;
      continue;
    }
    size_t k = 1;
    for (; k <= need; k++) {
      if (i + k >= n) break;
      unsigned d = s[i + k];
      if (d < lo || d > hi) break;
      lo = 0x80, hi = 0xBF;
    }
    if (k <= need) {
      if (o + 3 > cap) break;
      memcpy(out + o, fffd, 3), o += 3, i += k;
      continue;
    }
    if (o + need + 1 > cap) break;
    memcpy(out + o, in + i, need + 1);
    o += need + 1, i += need + 1;
  }
  return o;
}

size_t utf8_next(const char *p, size_t n, uint32_t *cp) {
  const unsigned char *s = (const unsigned char *)p;
  if (n == 0) return *cp = 0, 0;
  if (s[0] < 0x80) return *cp = s[0], 1;
  if (s[0] < 0xE0 && n >= 2) return *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F), 2;
  if (s[0] < 0xF0 && n >= 3)
    return *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F), 3;
  if (n >= 4)
    return *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) | ((uint32_t)(s[2] & 0x3F) << 6) |
                 (s[3] & 0x3F),
           4;
  return *cp = 0xFFFD, n;
}

static bool is_control(uint32_t cp) { return cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029; }

bool js_space(uint32_t cp) {
  return cp == 9 || cp == 10 || cp == 11 || cp == 12 || cp == 13 || cp == 32 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000 || cp == 0xFEFF;
}

void one_line(str in, sbuf *out) {
  size_t i = 0;
  while (i < in.n) {
    uint32_t cp;
    size_t k = utf8_next(in.p + i, in.n - i, &cp);
    if (!is_control(cp)) {
      sb_put(out, in.p + i, k);
      i += k;
      continue;
    }
    i += k;
    while (i < in.n) {
      k = utf8_next(in.p + i, in.n - i, &cp);
      if (!is_control(cp) && !js_space(cp)) break;
      i += k;
    }
    sb_ch(out, ' ');
  }
}

static bool lone_surrogate(const char *p, size_t k) {
  return k == 3 && (unsigned char)p[0] == 0xED && (unsigned char)p[1] >= 0xA0;
}

size_t js_byte_length(str s) { return s.n; }

void cut_bytes(str in, size_t max, sbuf *out) {
  if (in.n <= max) {
    sb_str(out, in);
    return;
  }
  size_t budget = max >= 3 ? max - 3 : 0, end = 0, last = 0, lastk = 0;
  while (end < in.n) {
    uint32_t cp;
    size_t k = utf8_next(in.p + end, in.n - end, &cp);
    if (end + k > budget) break;
    last = end, lastk = k;
    end += k;
  }
  /* A lone high surrogate last is dropped, as the Node CLI drops half a pair. */
  if (end > 0 && lone_surrogate(in.p + last, lastk) && (unsigned char)in.p[last + 1] <= 0xAF) end = last;
  sb_put(out, in.p, end);
  sb_cstr(out, "\xE2\x80\xA6");
}

void sb_wellformed(sbuf *b, str s) {
  size_t i = 0;
  while (i < s.n) {
    uint32_t cp;
    size_t k = utf8_next(s.p + i, s.n - i, &cp);
    if (lone_surrogate(s.p + i, k)) sb_cstr(b, "\xEF\xBF\xBD");
    else sb_put(b, s.p + i, k);
    i += k;
  }
}

void json_quote(sbuf *b, str s) {
  static const char hex[] = "0123456789abcdef";
  sb_ch(b, '"');
  size_t i = 0;
  while (i < s.n) {
    unsigned char c = (unsigned char)s.p[i];
    const char *esc = NULL;
    switch (c) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      default: break;
    }
    if (esc) {
      sb_cstr(b, esc);
      i++;
      continue;
    }
    if (c < 0x20) {
      char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      sb_put(b, u, 6);
      i++;
      continue;
    }
    uint32_t cp;
    size_t k = utf8_next(s.p + i, s.n - i, &cp);
    if (lone_surrogate(s.p + i, k)) {
      char u[6] = {'\\', 'u', hex[(cp >> 12) & 15], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15], hex[cp & 15]};
      sb_put(b, u, 6);
    } else {
      sb_put(b, s.p + i, k);
    }
    i += k;
  }
  sb_ch(b, '"');
}

/* Number::toString: the shortest digits that read back as x, placed as ECMAScript says. */
void js_number(sbuf *b, double x) {
  if (isnan(x)) return sb_cstr(b, "NaN");
  if (isinf(x)) return sb_cstr(b, x < 0 ? "-Infinity" : "Infinity");
  if (x == 0) return sb_ch(b, '0');
  if (x < 0) sb_ch(b, '-'), x = -x;
  char buf[40];
  int p = 1;
  for (; p <= 17; p++) {
    snprintf(buf, sizeof buf, "%.*e", p - 1, x);
    if (strtod(buf, NULL) == x) break;
  }
  char digits[20];
  int k = 0;
  char *e = strchr(buf, 'e');
  for (char *c = buf; c < e; c++)
    if (*c >= '0' && *c <= '9') digits[k++] = *c;
  while (k > 1 && digits[k - 1] == '0') k--;
  int n = atoi(e + 1) + 1;
  if (k <= n && n <= 21) {
    sb_put(b, digits, (size_t)k);
    for (int i = k; i < n; i++) sb_ch(b, '0');
  } else if (0 < n && n <= 21) {
    sb_put(b, digits, (size_t)n);
    sb_ch(b, '.');
    sb_put(b, digits + n, (size_t)(k - n));
  } else if (-6 < n && n <= 0) {
    sb_cstr(b, "0.");
    for (int i = 0; i < -n; i++) sb_ch(b, '0');
    sb_put(b, digits, (size_t)k);
  } else {
    sb_ch(b, digits[0]);
    if (k > 1) sb_ch(b, '.'), sb_put(b, digits + 1, (size_t)(k - 1));
    snprintf(buf, sizeof buf, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
    sb_cstr(b, buf);
  }
}

/* toFixed(1): printf's expansion of a double from 0.05 up is exact at 60 places, so the digit
 * after the tenths decides alone; a tie goes up, as ECMAScript picks the larger n. */
void js_fixed1(sbuf *b, double x) {
  if (!isfinite(x) || fabs(x) >= 1e21) return js_number(b, x);
  if (x == 0) return sb_cstr(b, "0.0");
  char buf[128];
  snprintf(buf, sizeof buf, "%.60f", fabs(x));
  char *dot = strchr(buf, '.');
  bool up = dot[2] >= '5';
  dot[2] = 0;
  /* Adds one tenth to the decimal string, carrying to the left. */
  if (up) {
    char *p = dot + 1;
    for (;;) {
      if (p == dot) p--;
      if (*p != '9') {
        (*p)++;
        break;
      }
      *p = '0';
      if (p == buf) {
        memmove(buf + 1, buf, strlen(buf) + 1);
        buf[0] = '1';
        break;
      }
      p--;
    }
  }
  if (x < 0) sb_ch(b, '-');
  sb_cstr(b, buf);
}

double js_round(double x) {
  if (!isfinite(x)) return x;
  double r = floor(x);
  if (x - r >= 0.5) r += 1;
  if (r == 0 && x < 0) return -0.0;
  return r;
}

str js_trim(str s) {
  size_t a = 0, z = s.n;
  while (a < z) {
    uint32_t cp;
    size_t k = utf8_next(s.p + a, z - a, &cp);
    if (!js_space(cp)) break;
    a += k;
  }
  while (z > a) {
    size_t st = z - 1;
    while (st > a && ((unsigned char)s.p[st] & 0xC0) == 0x80) st--;
    uint32_t cp;
    utf8_next(s.p + st, z - st, &cp);
    if (!js_space(cp)) break;
    z = st;
  }
  return (str){s.p + a, z - a};
}

bool str_eq(str a, const char *lit) { return strlen(lit) == a.n && memcmp(a.p, lit, a.n) == 0; }
bool str_starts(str a, const char *lit) { size_t l = strlen(lit); return a.n >= l && memcmp(a.p, lit, l) == 0; }
