/* libFuzzer: a command line (arguments split at NUL bytes), read as parseArgs and parseTarget
 * read it; the output of a failure is formatted and dropped. */
#include <string.h>

#include "../args.h"
#include "../target.h"
#include "../text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char text[3 * 65536 + 16];
  static str argv[256];
  if (size > 65536) return 0;
  size_t n = utf8_sanitize((const char *)data, size, text, sizeof text);
  int argc = 0;
  size_t start = 0;
  for (size_t i = 0; i <= n && argc < 256; i++) {
    if (i == n || text[i] == 0) {
      argv[argc++] = (str){text + start, i - start};
      start = i + 1;
    }
  }
  static options o;
  static target t;
  const char *print;
  if (parse_args(argc, argv, STR(""), &o, &print) != ARGS_PROBE) return 0;
  (void)parse_target(o.target, o.probe, &t);
  return 0;
}
