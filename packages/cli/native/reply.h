/* parseReply(): a healthsock reply line, validated as the server's protocol module does, and the
 * reply every target returns (a foreign target's answer expressed as a reply with no checks). */
#ifndef HS_REPLY_H
#define HS_REPLY_H

#include "hs.h"

typedef struct {
  int probe;
  int status;
  double duration_ms;
  bool has_message;
  str message;
  int checks; /* the JSON array node of checks, or -1 for none */
  int nchecks;
} reply;

typedef struct {
  str name;
  int status;
  double duration_ms;
  bool has_message;
  str message;
  int data; /* JSON node, or -1 when absent */
} check;

enum { PARSED_REPLY, PARSED_ERROR, PARSED_BAD };

/* Parses one line (already valid UTF-8). On PARSED_BAD, `reason` holds why; on PARSED_ERROR, `code`
 * and `message` hold the server's error. */
int parse_reply(str line, reply *out, sbuf *reason, str *code, str *message);
/* The i-th check, walking from `*cursor` (start with -1). */
bool reply_next_check(const reply *r, int *cursor, check *out);
int status_of(str s);
int probe_of(str s);
/* targetReply(): an answer without checks, its duration rounded to 0.1 ms. */
void target_reply(reply *r, int probe, int status, double duration_ms, str message);

#endif
