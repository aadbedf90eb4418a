/* parseDuration(): `800ms`, `2s`, `1m` or `1h` into whole milliseconds, at most `max_ms`. */
#ifndef HS_PARSE_DURATION_H
#define HS_PARSE_DURATION_H

#include "hs.h"

/* Returns 0 with *ms set, or -1 with a usage failure naming `option`. */
int parse_duration(const char *option, str text, double max_ms, double *ms);

#endif
