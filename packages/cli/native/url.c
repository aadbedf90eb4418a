/* The WHATWG URL parser, as much of it as targets and redirects need: see url.h. */
#include "url.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static int default_port(const char *scheme) {
  if (!strcmp(scheme, "http")) return 80;
  if (!strcmp(scheme, "https")) return 443;
  if (!strcmp(scheme, "ws")) return 80;
  if (!strcmp(scheme, "wss")) return 443;
  if (!strcmp(scheme, "ftp")) return 21;
  return -1;
}

static bool is_special(const char *scheme) { return default_port(scheme) > 0 || !strcmp(scheme, "file"); }

/* Appends `c`, percent-encoded when it is in the set. */
static void enc(sbuf *b, unsigned char c, const char *set) {
  if (c < 0x20 || c > 0x7E || strchr(set, (char)c)) {
    char h[4];
    snprintf(h, sizeof h, "%%%02X", c);
    sb_put(b, h, 3);
  } else {
    sb_ch(b, (char)c);
  }
}

static const char PATH_SET[] = " \"#<>?`{}";
static const char QUERY_SET[] = " \"#<>";
static const char SPECIAL_QUERY_SET[] = " \"#<>'";
static const char FRAGMENT_SET[] = " \"<>`";
static const char USERINFO_SET[] = " \"#<>?`{}/:;=@[\\]^|";

static int hexv(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* An IPv4 part: decimal, 0x hex or 0 octal. Returns -1 when not a number. */
static int ipv4_part(str p, unsigned long long *out) {
  int base = 10;
  if (p.n >= 2 && p.p[0] == '0' && (p.p[1] == 'x' || p.p[1] == 'X')) base = 16, p.p += 2, p.n -= 2;
  else if (p.n >= 2 && p.p[0] == '0') base = 8, p.p++, p.n--;
  unsigned long long v = 0;
  for (size_t i = 0; i < p.n; i++) {
    int d = hexv(p.p[i]);
    if (d < 0 || d >= base) return -1;
    if (v > 0xFFFFFFFFFFull) return -2;
    v = v * (unsigned)base + (unsigned)d;
  }
  *out = v;
  return 0;
}

/* Returns 1 when `host` is an IPv4 address (written to out), 0 when a domain, -1 when invalid. */
static int parse_ipv4(str host, char *out, size_t cap) {
  str parts[5];
  int n = 0;
  size_t start = 0;
  for (size_t i = 0; i <= host.n; i++) {
    if (i == host.n || host.p[i] == '.') {
      if (n == 5) return 0;
      parts[n++] = (str){host.p + start, i - start};
      start = i + 1;
    }
  }
  if (n > 1 && parts[n - 1].n == 0) n--;
  str last = parts[n - 1];
  unsigned long long tmp;
  /* "Ends in a number": only then is the host an IPv4 address, or an error. */
  bool ends_number = last.n > 0 && (ipv4_part(last, &tmp) == 0 || ipv4_part(last, &tmp) == -2);
  if (!ends_number) return 0;
  if (n > 4) return -1;
  unsigned long long nums[4];
  for (int i = 0; i < n; i++) {
    if (parts[i].n == 0 || ipv4_part(parts[i], &nums[i]) != 0) return -1;
  }
  for (int i = 0; i < n - 1; i++)
    if (nums[i] > 255) return -1;
  unsigned long long limit = 1ull << (8 * (5 - n));
  if (nums[n - 1] >= limit) return -1;
  unsigned long long v = nums[n - 1];
  for (int i = 0; i < n - 1; i++) v += nums[i] << (8 * (3 - i));
  snprintf(out, cap, "%llu.%llu.%llu.%llu", (v >> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255);
  return 1;
}

/* IPv6 as WHATWG serializes it: lower-case hex, the first longest run of two or more zero
 * pieces as "::". */
static int parse_ipv6(str in, char *out, size_t cap) {
  char tmp[64];
  if (in.n >= sizeof tmp) return -1;
  memcpy(tmp, in.p, in.n);
  tmp[in.n] = 0;
  unsigned char a[16];
  if (inet_pton(AF_INET6, tmp, a) != 1) return -1;
  unsigned pieces[8];
  for (int i = 0; i < 8; i++) pieces[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
  int best = -1, bestlen = 1;
  for (int i = 0; i < 8;) {
    if (pieces[i]) {
      i++;
      continue;
    }
    int j = i;
    while (j < 8 && !pieces[j]) j++;
    if (j - i > bestlen) best = i, bestlen = j - i;
    i = j;
  }
  sbuf b;
  sb_init(&b, out, cap - 1);
  sb_ch(&b, '[');
  for (int i = 0; i < 8; i++) {
    if (i == best) {
      sb_cstr(&b, i == 0 ? "::" : ":");
      i += bestlen - 1;
      continue;
    }
    char h[8];
    snprintf(h, sizeof h, "%x", pieces[i]);
    sb_cstr(&b, h);
    if (i < 7) sb_ch(&b, ':');
  }
  sb_ch(&b, ']');
  out[b.len] = 0;
  return 0;
}

static int parse_host(url *u, str h) {
  if (h.n && h.p[0] == '[') {
    if (h.p[h.n - 1] != ']') return -1;
    return parse_ipv6((str){h.p + 1, h.n - 2}, u->hostname, sizeof u->hostname);
  }
  sbuf b;
  sb_init(&b, u->hostname, sizeof u->hostname - 1);
  if (!u->special) {
    for (size_t i = 0; i < h.n; i++) {
      if (strchr(" #/:<>?@[\\]^|", h.p[i]) || h.p[i] == 0) return -1;
      enc(&b, (unsigned char)h.p[i], "");
    }
    u->hostname[b.len] = 0;
    return 0;
  }
  /* Percent-decoded, lower-cased; a forbidden code point is an error. */
  for (size_t i = 0; i < h.n; i++) {
    char c = h.p[i];
    if (c == '%' && i + 2 < h.n && hexv(h.p[i + 1]) >= 0 && hexv(h.p[i + 2]) >= 0) {
      c = (char)(hexv(h.p[i + 1]) * 16 + hexv(h.p[i + 2]));
      i += 2;
    }
    if ((unsigned char)c <= 0x20 || strchr("#%/:<>?@[\\]^|", c) || c == 0x7F) return -1;
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    sb_ch(&b, c);
  }
  if (b.len == 0 || b.len >= sizeof u->hostname - 1) return -1;
  u->hostname[b.len] = 0;
  char v4[32];
  int r = parse_ipv4((str){u->hostname, b.len}, v4, sizeof v4);
  if (r < 0) return -1;
  if (r == 1) snprintf(u->hostname, sizeof u->hostname, "%s", v4);
  return 0;
}

/* The path, with its dot segments resolved, percent-encoded. */
static void parse_path(url *u, str p) {
  static char segs[URL_MAX];
  sbuf out;
  sb_init(&out, segs, sizeof segs);
  size_t i = 0;
  if (p.n == 0) {
    if (u->special) sb_ch(&out, '/');
  }
  while (i < p.n) {
    /* Each segment starts after a slash. */
    size_t j = i + 1;
    while (j < p.n && p.p[j] != '/' && !(u->special && p.p[j] == '\\')) j++;
    str seg = {p.p + i + 1, j - i - 1};
    bool single = str_eq(seg, ".") || str_eq(seg, "%2e") || str_eq(seg, "%2E");
    bool dbl = str_eq(seg, "..") || str_eq(seg, ".%2e") || str_eq(seg, ".%2E") || str_eq(seg, "%2e.") ||
               str_eq(seg, "%2E.") || str_eq(seg, "%2e%2e") || str_eq(seg, "%2E%2E") || str_eq(seg, "%2e%2E") ||
               str_eq(seg, "%2E%2e");
    bool last = j >= p.n;
    if (dbl) {
      while (out.len > 0 && segs[out.len - 1] != '/') out.len--;
      if (out.len > 0) out.len--;
      if (last) sb_ch(&out, '/');
    } else if (single) {
      if (last) sb_ch(&out, '/');
    } else {
      sb_ch(&out, '/');
      for (size_t k = 0; k < seg.n; k++) enc(&out, (unsigned char)seg.p[k], PATH_SET);
    }
    i = j;
  }
  if (out.len == 0 && u->special) sb_ch(&out, '/');
  size_t n = out.len < sizeof u->path - 1 ? out.len : sizeof u->path - 1;
  memcpy(u->path, segs, n);
  u->path[n] = 0;
}

static void copy_enc(char *dst, size_t cap, str s, const char *set) {
  sbuf b;
  sb_init(&b, dst, cap - 1);
  for (size_t i = 0; i < s.n; i++) enc(&b, (unsigned char)s.p[i], set);
  dst[b.len] = 0;
}

/* Parses an absolute URL. Tabs and newlines are dropped, leading and trailing C0 and spaces trimmed. */
static int parse_absolute(url *u, str in) {
  static char clean[URL_MAX * 2];
  size_t n = 0, a = 0, z = in.n;
  while (a < z && (unsigned char)in.p[a] <= 0x20) a++;
  while (z > a && (unsigned char)in.p[z - 1] <= 0x20) z--;
  for (size_t i = a; i < z && n < sizeof clean; i++)
    if (in.p[i] != '\t' && in.p[i] != '\n' && in.p[i] != '\r') clean[n++] = in.p[i];
  if (z - a > sizeof clean) return -1;
  str s = {clean, n};
  memset(u, 0, sizeof *u);
  size_t i = 0;
  if (!s.n || !is_alpha(s.p[0])) return -1;
  while (i < s.n && (is_alpha(s.p[i]) || is_digit(s.p[i]) || s.p[i] == '+' || s.p[i] == '-' || s.p[i] == '.')) i++;
  if (i >= s.n || s.p[i] != ':' || i >= sizeof u->scheme) return -1;
  for (size_t k = 0; k < i; k++) u->scheme[k] = (char)(s.p[k] >= 'A' && s.p[k] <= 'Z' ? s.p[k] + 32 : s.p[k]);
  u->special = is_special(u->scheme);
  i++;
  bool slash = i < s.n && (s.p[i] == '/' || (u->special && s.p[i] == '\\'));
  bool slash2 = slash && i + 1 < s.n && (s.p[i + 1] == '/' || (u->special && s.p[i + 1] == '\\'));
  if (!u->special && !slash2) return -1; /* opaque paths are not targets */
  /* Special schemes take any number of slashes before the authority; others exactly two. */
  if (u->special)
    while (i < s.n && (s.p[i] == '/' || s.p[i] == '\\')) i++;
  else
    i += 2;
  size_t auth = i;
  while (i < s.n && s.p[i] != '/' && s.p[i] != '?' && s.p[i] != '#' && !(u->special && s.p[i] == '\\')) i++;
  str authority = {s.p + auth, i - auth};
  const char *at = NULL;
  for (size_t k = 0; k < authority.n; k++)
    if (authority.p[k] == '@') at = authority.p + k;
  if (at) {
    str ui = {authority.p, (size_t)(at - authority.p)};
    copy_enc(u->userinfo, sizeof u->userinfo, ui, "");
    /* userinfo keeps its colon; everything else of the set is encoded. */
    sbuf b;
    sb_init(&b, u->userinfo, sizeof u->userinfo - 1);
    bool colon = false;
    for (size_t k = 0; k < ui.n; k++) {
      if (ui.p[k] == ':' && !colon) {
        colon = true;
        sb_ch(&b, ':');
      } else {
        enc(&b, (unsigned char)ui.p[k], USERINFO_SET);
      }
    }
    u->userinfo[b.len] = 0;
    if (b.len && u->userinfo[b.len - 1] == ':') u->userinfo[b.len - 1] = 0;
    authority = (str){at + 1, (size_t)(authority.p + authority.n - at - 1)};
  }
  /* The port follows the last colon outside brackets. */
  size_t colon = authority.n;
  bool in_brackets = false;
  for (size_t k = 0; k < authority.n; k++) {
    if (authority.p[k] == '[') in_brackets = true;
    else if (authority.p[k] == ']') in_brackets = false;
    else if (authority.p[k] == ':' && !in_brackets) {
      colon = k;
      break;
    }
  }
  str host = {authority.p, colon};
  if (colon < authority.n) {
    str port = {authority.p + colon + 1, authority.n - colon - 1};
    long v = 0;
    for (size_t k = 0; k < port.n; k++) {
      if (!is_digit(port.p[k])) return -1;
      v = v * 10 + (port.p[k] - '0');
      if (v > 65535) return -1;
    }
    if (port.n && v != default_port(u->scheme)) snprintf(u->port, sizeof u->port, "%ld", v);
  }
  if (host.n == 0) {
    if (u->special) return -1;
    u->hostname[0] = 0;
    if (colon < authority.n) return -1;
  } else if (parse_host(u, host)) {
    return -1;
  }
  size_t pstart = i;
  while (i < s.n && s.p[i] != '?' && s.p[i] != '#') i++;
  parse_path(u, (str){s.p + pstart, i - pstart});
  if (i < s.n && s.p[i] == '?') {
    size_t q = ++i;
    while (i < s.n && s.p[i] != '#') i++;
    u->has_query = true;
    copy_enc(u->query, sizeof u->query, (str){s.p + q, i - q}, u->special ? SPECIAL_QUERY_SET : QUERY_SET);
  }
  if (i < s.n && s.p[i] == '#') {
    i++;
    u->has_fragment = true;
    copy_enc(u->fragment, sizeof u->fragment, (str){s.p + i, s.n - i}, FRAGMENT_SET);
  }
  return 0;
}

int url_parse(url *u, str text, const url *base) {
  if (!base) return parse_absolute(u, text);
  /* A relative reference is written out against the base, then parsed whole. */
  size_t k = 0;
  while (k < text.n && (is_alpha(text.p[k]) || (k && (is_digit(text.p[k]) || strchr("+-.", text.p[k]))))) k++;
  if (k > 0 && k < text.n && text.p[k] == ':') return parse_absolute(u, text);
  static char mem[URL_MAX * 3];
  sbuf b;
  sb_init(&b, mem, sizeof mem);
  bool slash2 = text.n >= 2 && (text.p[0] == '/' || text.p[0] == '\\') && (text.p[1] == '/' || text.p[1] == '\\');
  sb_fmt(&b, "%s:", base->scheme);
  if (slash2) {
    sb_str(&b, text);
    return parse_absolute(u, sb_as_str(&b));
  }
  sb_cstr(&b, "//");
  if (base->userinfo[0]) sb_fmt(&b, "%s@", base->userinfo);
  sb_cstr(&b, base->hostname);
  if (base->port[0]) sb_fmt(&b, ":%s", base->port);
  if (text.n && (text.p[0] == '/' || text.p[0] == '\\')) {
    sb_str(&b, text);
  } else if (text.n && text.p[0] == '?') {
    sb_cstr(&b, base->path);
    sb_str(&b, text);
  } else if (text.n == 0 || text.p[0] == '#') {
    sb_cstr(&b, base->path);
    if (base->has_query) sb_fmt(&b, "?%s", base->query);
    sb_str(&b, text);
  } else {
    const char *slash = strrchr(base->path, '/');
    sb_put(&b, base->path, slash ? (size_t)(slash - base->path) + 1 : 0);
    if (!slash) sb_ch(&b, '/');
    sb_str(&b, text);
  }
  if (b.len == b.cap) return -1;
  return parse_absolute(u, sb_as_str(&b));
}

void url_host(const url *u, sbuf *b) {
  sb_cstr(b, u->hostname);
  if (u->port[0]) sb_fmt(b, ":%s", u->port);
}

void url_href(const url *u, sbuf *b) {
  sb_fmt(b, "%s:", u->scheme);
  sb_cstr(b, "//");
  if (u->userinfo[0]) sb_fmt(b, "%s@", u->userinfo);
  url_host(u, b);
  sb_cstr(b, u->path);
  if (u->has_query) sb_fmt(b, "?%s", u->query);
  if (u->has_fragment) sb_fmt(b, "#%s", u->fragment);
}

/* application/x-www-form-urlencoded, as URLSearchParams reads and writes it. */
static void form_decode(str s, sbuf *out) {
  for (size_t i = 0; i < s.n; i++) {
    char c = s.p[i];
    if (c == '+') c = ' ';
    else if (c == '%' && i + 2 < s.n && hexv(s.p[i + 1]) >= 0 && hexv(s.p[i + 2]) >= 0) {
      c = (char)(hexv(s.p[i + 1]) * 16 + hexv(s.p[i + 2]));
      i += 2;
    }
    sb_ch(out, c);
  }
}

static void form_encode(str s, sbuf *out) {
  for (size_t i = 0; i < s.n; i++) {
    unsigned char c = (unsigned char)s.p[i];
    if (c == ' ') sb_ch(out, '+');
    else if (is_alpha((char)c) || is_digit((char)c) || strchr("*-._", (char)c)) sb_ch(out, (char)c);
    else {
      char h[4];
      snprintf(h, sizeof h, "%%%02X", c);
      sb_put(out, h, 3);
    }
  }
}

void url_set_param(url *u, const char *name, const char *value) {
  static char out[URL_MAX], raw[URL_MAX], dec[URL_MAX * 3];
  sbuf o;
  sb_init(&o, out, sizeof out - 1);
  size_t qn = strlen(u->query);
  memcpy(raw, u->query, qn);
  bool set = false;
  size_t i = 0;
  while (u->has_query && i <= qn) {
    size_t j = i;
    while (j < qn && raw[j] != '&') j++;
    str pair = {raw + i, j - i};
    i = j + 1;
    if (pair.n == 0) continue;
    const char *eq = memchr(pair.p, '=', pair.n);
    str k = {pair.p, eq ? (size_t)(eq - pair.p) : pair.n};
    str v = eq ? (str){eq + 1, (size_t)(pair.p + pair.n - eq - 1)} : (str){"", 0};
    sbuf kd, vd;
    sb_init(&kd, dec, URL_MAX);
    form_decode(k, &kd);
    /* Decoded bytes are read as UTF-8 with replacement. */
    static char kk[URL_MAX * 3], vv[URL_MAX * 3];
    size_t kn = utf8_sanitize(kd.p, kd.len, kk, sizeof kk);
    bool is_name = kn == strlen(name) && !memcmp(kk, name, kn);
    if (is_name) {
      if (set) continue;
      set = true;
      if (o.len) sb_ch(&o, '&');
      form_encode((str){name, strlen(name)}, &o);
      sb_ch(&o, '=');
      form_encode((str){value, strlen(value)}, &o);
      continue;
    }
    sb_init(&vd, dec + URL_MAX, URL_MAX);
    form_decode(v, &vd);
    size_t vn = utf8_sanitize(vd.p, vd.len, vv, sizeof vv);
    if (o.len) sb_ch(&o, '&');
    form_encode((str){kk, kn}, &o);
    sb_ch(&o, '=');
    form_encode((str){vv, vn}, &o);
  }
  if (!set) {
    if (o.len) sb_ch(&o, '&');
    form_encode((str){name, strlen(name)}, &o);
    sb_ch(&o, '=');
    form_encode((str){value, strlen(value)}, &o);
  }
  out[o.len] = 0;
  memcpy(u->query, out, o.len + 1);
  u->has_query = true;
}

void url_bare_host(const url *u, char *out, size_t cap) {
  size_t n = strlen(u->hostname);
  const char *h = u->hostname;
  if (n >= 2 && h[0] == '[') h++, n -= 2;
  if (n >= cap) n = cap - 1;
  memcpy(out, h, n);
  out[n] = 0;
}

int url_port(const url *u) { return u->port[0] ? atoi(u->port) : default_port(u->scheme); }
