/* writeOutput(): the lines a run prints, within what pod events and Docker keep: each line one
 * line of at most 1000 bytes (JSON lines are printed whole or not at all), 4096 bytes in all. */
#ifndef HS_WRITE_OUTPUT_H
#define HS_WRITE_OUTPUT_H

#include "hs.h"

enum { OUT_STDOUT = 1, OUT_STDERR = 2 };

/* Collects a line; its text is copied (at most the 4096 bytes that could ever be printed). */
void out_add(int stream, str text, bool json);
/* Prints the collected lines within the caps, and forgets them. */
void out_flush(void);
/* Forgets the collected lines unprinted (the fuzz harnesses). */
void out_discard(void);
/* Writes all of `n` bytes to `fd`, retrying short writes and EINTR. */
int write_all(int fd, const char *p, size_t n);

#endif
