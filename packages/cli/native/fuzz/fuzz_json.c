/* libFuzzer: JSON.parse and JSON.stringify over the fixed arena; what parses must stringify,
 * and parse again to the same text. */
#include <stdlib.h>
#include <string.h>

#include "../json.h"
#include "../text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char text[JSON_MAX_INPUT], once[JSON_MAX_INPUT * 2], twice[JSON_MAX_INPUT * 2];
  if (size > JSON_RAW_MAX) return 0;
  size_t n = utf8_sanitize((const char *)data, size, text, sizeof text);
  int root = json_parse((str){text, n});
  if (root < 0) return 0;
  sbuf a, b;
  sb_init(&a, once, sizeof once);
  json_stringify(&a, root);
  if (a.len == a.cap) return 0;
  int again = json_parse(sb_as_str(&a));
  if (again < 0) abort();
  sb_init(&b, twice, sizeof twice);
  json_stringify(&b, again);
  if (a.len != b.len || memcmp(a.p, b.p, a.len) != 0) abort();
  return 0;
}
