/* parseArgs(): the command line, read as the Node CLI reads it (its plain command line, and
 * what yargs decides for the rest), into options; or the text of --help or --version. */
#ifndef HS_ARGS_H
#define HS_ARGS_H

#include "hs.h"

typedef struct {
  int probe;
  bool probe_explicit;
  str target;
  double timeout_ms;
  double max_age_ms;
  bool json, verbose, quiet;
  /* How often -H/--header was given: the native build probes no grpc:// target, so only the count matters. */
  int nheaders;
  /* --watch: its interval, or 0 for a one-shot probe. */
  double watch_ms;
} options;

enum { ARGS_PROBE, ARGS_PRINT, ARGS_FAIL };

/* argv must already be valid UTF-8 (main decodes it as Node does). On ARGS_PRINT, *print is set. */
int parse_args(int argc, str *argv, str env_socket, options *o, const char **print);

extern const char hs_help_text[];

#endif
