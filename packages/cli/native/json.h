/* JSON.parse and JSON.stringify over a fixed arena: what a reply line needs, and no more. Values
 * live in the arena until the next json_parse; strings are decoded into WTF-8 (a lone surrogate
 * escape stays a surrogate code point, which output turns into U+FFFD or back into \u). */
#ifndef HS_JSON_H
#define HS_JSON_H

#include "hs.h"

enum jtype { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct {
  uint8_t type;
  int32_t next;  /* next sibling (array element or object member), -1 at the end */
  int32_t child; /* first element or member, -1 when empty */
  str key;       /* for an object member: its name */
  str s;         /* J_STR */
  double num;    /* J_NUM */
} jnode;

/* The most input one parse takes: a socket reply or heartbeat file is read up to 64 KiB, which
 * decoding with U+FFFD for bad bytes can make at most three times as long. */
#define JSON_RAW_MAX (64 * 1024 + 16)
#define JSON_MAX_INPUT (3 * JSON_RAW_MAX)

/* Parses `text` whole (whitespace around it allowed); returns the root's index, or -1. */
int json_parse(str text);
const jnode *json_node(int i);
/* An object's member by name, as JavaScript sees it: the last of duplicates; -1 when absent. */
int json_get(int obj, const char *name);
/* JSON.stringify(value); objects list integer keys first, then the others in order, as V8 does. */
void json_stringify(sbuf *b, int node);

#endif
