/* --watch: ask again every interval until Ctrl-C (exit 0), printing one timestamped line per
 * change, the Node CLI's piped format, wherever it runs. The redrawing terminal view is the Node
 * CLI's alone. Mirrors watch.ts, trackRows.ts and renderChange(). */
#ifndef HS_WATCH_H
#define HS_WATCH_H

#include "args.h"

bool watch_requested(int argc, const str *argv);
int watch(int parsed, const options *o, const char *print);

#endif
