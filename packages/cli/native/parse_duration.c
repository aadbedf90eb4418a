/* parseDuration(): see parse_duration.h. A bare number is refused: its unit would be a guess. */
#include "parse_duration.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

int parse_duration(const char *option, str text, double max_ms, double *ms) {
  str t = js_trim(text);
  size_t i = 0;
  while (i < t.n && t.p[i] >= '0' && t.p[i] <= '9') i++;
  bool ok = i > 0;
  if (ok && i < t.n && t.p[i] == '.') {
    size_t j = ++i;
    while (i < t.n && t.p[i] >= '0' && t.p[i] <= '9') i++;
    ok = i > j;
  }
  double unit = 0;
  str rest = {t.p + i, t.n - i};
  if (str_eq(rest, "ms")) unit = 1;
  else if (str_eq(rest, "s")) unit = 1000;
  else if (str_eq(rest, "m")) unit = 60000;
  else if (str_eq(rest, "h")) unit = 3600000;
  double value = NAN;
  if (ok && unit > 0) {
    /* The digits alone, bounded: a longer number is far past any limit anyway. */
    char num[64];
    size_t n = i < sizeof num - 1 ? i : sizeof num - 1;
    memcpy(num, t.p, n);
    num[n] = 0;
    value = i < sizeof num - 1 ? strtod(num, NULL) * unit : INFINITY;
  }
  if (!(value > 0 && value <= max_ms)) {
    return fail(F_USAGE, "%s %Q is not a duration from 1ms to %Ns; write e.g. 800ms or 2s", option, text,
                max_ms / 1000);
  }
  *ms = ceil(value);
  return 0;
}
