/* libFuzzer: a reply line from a socket, as the probe reads it: decoded, validated, formatted
 * for every output option and fitted for --json, whose line must stay within its cap. */
#include <stdlib.h>
#include <string.h>

#include "../fit_json.h"
#include "../format_reply.h"
#include "../probe.h"
#include "../text.h"
#include "../write_output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static reply r;
  if (interpret_line((const char *)data, size, STR("/tmp/fuzz.sock"), &r) != 0) return 0;
  static char mem[HS_MAX_REPLY + 64];
  sbuf json;
  sb_init(&json, mem, sizeof mem);
  fit_json(&r, HS_MAX_REPLY, &json);
  if (json.len > HS_MAX_REPLY && r.nchecks == 0 && r.message.n < 1000) abort();
  for (int verbose = 0; verbose < 2; verbose++) {
    format_reply(&r, STR("/tmp/fuzz.sock"), verbose, HS_MAX_OUTPUT - json.len - 1, OUT_STDERR);
    out_discard();
  }
  return 0;
}
