/* fitJson(): the reply as one JSON line of at most 2800 bytes for --json, shrunk as the server's
 * encoder shrinks a reply: data first, then healthy checks, then long messages, then checks. */
#ifndef HS_FIT_JSON_H
#define HS_FIT_JSON_H

#include "reply.h"

void fit_json(const reply *r, size_t max_bytes, sbuf *out);

#endif
