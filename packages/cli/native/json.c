/* JSON.parse and JSON.stringify over a fixed arena: see json.h. Nesting is bounded, so a hostile
 * reply cannot exhaust the stack; every index is checked against the arena's size. */
#include "json.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#define MAX_NODES (JSON_RAW_MAX / 2 + 8)
#define MAX_DEPTH 200

static jnode nodes[MAX_NODES];
static int nnodes;
static char pool[JSON_MAX_INPUT];
static size_t npool;

typedef struct {
  const char *p, *end;
  int depth;
} parser;

static void skip_ws(parser *ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) ps->p++;
}

static int new_node(int type) {
  if (nnodes >= MAX_NODES) return -1;
  jnode *n = &nodes[nnodes];
  memset(n, 0, sizeof *n);
  n->type = (uint8_t)type;
  n->next = n->child = -1;
  return nnodes++;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static bool put_cp(uint32_t cp) {
  char u[4];
  size_t k;
  if (cp < 0x80) u[0] = (char)cp, k = 1;
  else if (cp < 0x800) u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), k = 2;
  else if (cp < 0x10000)
    u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[2] = (char)(0x80 | (cp & 0x3F)), k = 3;
  else
    u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)), u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)),
    u[3] = (char)(0x80 | (cp & 0x3F)), k = 4;
  if (npool + k > sizeof pool) return false;
  memcpy(pool + npool, u, k);
  npool += k;
  return true;
}

static int read_hex4(parser *ps, uint32_t *v) {
  if (ps->end - ps->p < 4) return -1;
  uint32_t r = 0;
  for (int i = 0; i < 4; i++) {
    int h = hexval(ps->p[i]);
    if (h < 0) return -1;
    r = r << 4 | (uint32_t)h;
  }
  ps->p += 4;
  *v = r;
  return 0;
}

static bool parse_string(parser *ps, str *out) {
  if (ps->p >= ps->end || *ps->p != '"') return false;
  ps->p++;
  size_t start = npool;
  while (ps->p < ps->end) {
    unsigned char c = (unsigned char)*ps->p;
    if (c == '"') {
      ps->p++;
      *out = (str){pool + start, npool - start};
      return true;
    }
    if (c < 0x20) return false;
    if (c != '\\') {
      if (npool >= sizeof pool) return false;
      pool[npool++] = (char)c;
      ps->p++;
      continue;
    }
    if (++ps->p >= ps->end) return false;
    char e = *ps->p++;
    uint32_t cp;
    switch (e) {
      case '"': cp = '"'; break;
      case '\\': cp = '\\'; break;
      case '/': cp = '/'; break;
      case 'b': cp = '\b'; break;
      case 'f': cp = '\f'; break;
      case 'n': cp = '\n'; break;
      case 'r': cp = '\r'; break;
      case 't': cp = '\t'; break;
      case 'u':
        if (read_hex4(ps, &cp)) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
          parser peek = *ps;
          peek.p += 2;
          uint32_t lo;
          if (!read_hex4(&peek, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            ps->p = peek.p;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
        }
        break;
      default: return false;
    }
    if (!put_cp(cp)) return false;
  }
  return false;
}

static bool parse_number(parser *ps, double *out) {
  const char *s = ps->p;
  if (ps->p < ps->end && *ps->p == '-') ps->p++;
  if (ps->p >= ps->end) return false;
  if (*ps->p == '0') ps->p++;
  else if (*ps->p >= '1' && *ps->p <= '9')
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
  else return false;
  if (ps->p < ps->end && *ps->p == '.') {
    ps->p++;
    const char *d = ps->p;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    if (ps->p == d) return false;
  }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
    ps->p++;
    if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) ps->p++;
    const char *d = ps->p;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') ps->p++;
    if (ps->p == d) return false;
  }
  char tmp[400];
  size_t len = (size_t)(ps->p - s);
  if (len >= sizeof tmp) {
    /* Digits past what a double holds change nothing but the exponent: keep a long mantissa. */
    static char big[JSON_MAX_INPUT + 1];
    memcpy(big, s, len);
    big[len] = 0;
    *out = strtod(big, NULL);
    return true;
  }
  memcpy(tmp, s, len);
  tmp[len] = 0;
  *out = strtod(tmp, NULL);
  return true;
}

static bool lit(parser *ps, const char *w) {
  size_t l = strlen(w);
  if ((size_t)(ps->end - ps->p) < l || memcmp(ps->p, w, l) != 0) return false;
  ps->p += l;
  return true;
}

static int parse_value(parser *ps) {
  skip_ws(ps);
  if (ps->p >= ps->end) return -1;
  char c = *ps->p;
  int n;
  if (c == '{' || c == '[') {
    if (++ps->depth > MAX_DEPTH) return -1;
    bool obj = c == '{';
    n = new_node(obj ? J_OBJ : J_ARR);
    if (n < 0) return -1;
    ps->p++;
    skip_ws(ps);
    int last = -1;
    if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
      ps->p++;
      ps->depth--;
      return n;
    }
    for (;;) {
      str key = {0, 0};
      if (obj) {
        skip_ws(ps);
        if (!parse_string(ps, &key)) return -1;
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') return -1;
        ps->p++;
      }
      int v = parse_value(ps);
      if (v < 0) return -1;
      nodes[v].key = key;
      if (last < 0) nodes[n].child = v;
      else nodes[last].next = v;
      last = v;
      skip_ws(ps);
      if (ps->p >= ps->end) return -1;
      if (*ps->p == ',') {
        ps->p++;
        continue;
      }
      if (*ps->p == (obj ? '}' : ']')) {
        ps->p++;
        ps->depth--;
        return n;
      }
      return -1;
    }
  }
  if (c == '"') {
    n = new_node(J_STR);
    if (n < 0) return -1;
    str s;
    if (!parse_string(ps, &s)) return -1;
    nodes[n].s = s;
    return n;
  }
  if (c == 't' && lit(ps, "true")) return new_node(J_TRUE);
  if (c == 'f' && lit(ps, "false")) return new_node(J_FALSE);
  if (c == 'n' && lit(ps, "null")) return new_node(J_NULL);
  n = new_node(J_NUM);
  if (n < 0) return -1;
  if (!parse_number(ps, &nodes[n].num)) return -1;
  return n;
}

int json_parse(str text) {
  nnodes = 0;
  npool = 0;
  parser ps = {text.p, text.p + text.n, 0};
  int root = parse_value(&ps);
  if (root < 0) return -1;
  skip_ws(&ps);
  return ps.p == ps.end ? root : -1;
}

const jnode *json_node(int i) { return &nodes[i]; }

int json_get(int obj, const char *name) {
  int found = -1;
  for (int c = nodes[obj].child; c >= 0; c = nodes[c].next)
    if (str_eq(nodes[c].key, name)) found = c;
  return found;
}

/* An array index as V8 orders it: canonical decimal below 2^32 - 1. */
static bool index_key(str k, double *v) {
  if (k.n == 0 || k.n > 10 || (k.n > 1 && k.p[0] == '0')) return false;
  double r = 0;
  for (size_t i = 0; i < k.n; i++) {
    if (k.p[i] < '0' || k.p[i] > '9') return false;
    r = r * 10 + (k.p[i] - '0');
  }
  *v = r;
  return r < 4294967295.0;
}

/* The member that holds key `k` last, when `c` is the first with that key; else -1. */
static int effective(int obj, int c) {
  for (int d = nodes[obj].child; d != c; d = nodes[d].next)
    if (nodes[d].key.n == nodes[c].key.n && memcmp(nodes[d].key.p, nodes[c].key.p, nodes[c].key.n) == 0) return -1;
  int last = c;
  for (int d = nodes[c].next; d >= 0; d = nodes[d].next)
    if (nodes[d].key.n == nodes[c].key.n && memcmp(nodes[d].key.p, nodes[c].key.p, nodes[c].key.n) == 0) last = d;
  return last;
}

static void member(sbuf *b, int obj, int c, bool *first) {
  int v = effective(obj, c);
  if (v < 0) return;
  if (!*first) sb_ch(b, ',');
  *first = false;
  json_quote(b, nodes[c].key);
  sb_ch(b, ':');
  json_stringify(b, v);
}

void json_stringify(sbuf *b, int i) {
  const jnode *n = &nodes[i];
  switch (n->type) {
    case J_NULL: sb_cstr(b, "null"); return;
    case J_TRUE: sb_cstr(b, "true"); return;
    case J_FALSE: sb_cstr(b, "false"); return;
    case J_NUM:
      if (n->num - n->num != 0) sb_cstr(b, "null");
      else js_number(b, n->num);
      return;
    case J_STR: json_quote(b, n->s); return;
    case J_ARR:
      sb_ch(b, '[');
      for (int c = n->child; c >= 0; c = nodes[c].next) {
        if (c != n->child) sb_ch(b, ',');
        json_stringify(b, c);
      }
      sb_ch(b, ']');
      return;
    case J_OBJ: {
      sb_ch(b, '{');
      bool first = true;
      /* Integer keys in ascending order: pick the smallest above the last one each round. */
      double prev = -1;
      for (;;) {
        int best = -1;
        double bestv = 0, v;
        for (int c = n->child; c >= 0; c = nodes[c].next)
          if (index_key(nodes[c].key, &v) && v > prev && (best < 0 || v < bestv)) best = c, bestv = v;
        if (best < 0) break;
        int firstc = best;
        for (int c = n->child; c >= 0; c = nodes[c].next)
          if (index_key(nodes[c].key, &v) && v == bestv) {
            firstc = c;
            break;
          }
        member(b, i, firstc, &first);
        prev = bestv;
      }
      for (int c = n->child; c >= 0; c = nodes[c].next) {
        double v;
        if (!index_key(nodes[c].key, &v)) member(b, i, c, &first);
      }
      sb_ch(b, '}');
      return;
    }
    default: return;
  }
}
