/* formatReply(): the human lines for a reply. The first line stands alone in pod events, so it
 * carries the class, the probe, the target and the reason; -v adds a line per check. */
#ifndef HS_FORMAT_REPLY_H
#define HS_FORMAT_REPLY_H

#include "reply.h"

/* Adds the lines to the output on `stream`; returns whether the reply passes. */
bool format_reply(const reply *r, str where, bool verbose, size_t max_bytes, int stream);
/* The duration as the CLI prints it: "2.1 ms" below 10, "12 ms" from there. */
void format_ms(sbuf *b, double ms);

#endif
