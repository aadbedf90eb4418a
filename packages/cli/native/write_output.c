/* writeOutput(): see write_output.h. Lines are collected first because the reason must go
 * first and the caps count every line; nothing here grows with the input. */
#include "write_output.h"

#include <errno.h>
#include <unistd.h>

#include "text.h"

#define MAX_LINES 64

static struct {
  int stream;
  bool json;
  size_t at, n;
} lines[MAX_LINES];
static int nlines;
/* A line longer than the whole output budget is cut before it is kept: oneLine and cutBytes keep
 * a prefix, so what was dropped could never have been printed. The margin is for the runs of
 * control characters that oneLine folds. */
static char store[64 * 1024];
static size_t used;

void out_add(int stream, str text, bool json) {
  if (nlines >= MAX_LINES) return;
  size_t n = text.n;
  size_t room = sizeof store - used;
  if (n > room) n = room;
  if (n > sizeof store / 4) n = sizeof store / 4;
  /* Never keep half a character. */
  while (n < text.n && n > 0 && ((unsigned char)text.p[n] & 0xC0) == 0x80) n--;
  for (size_t i = 0; i < n; i++) store[used + i] = text.p[i];
  lines[nlines].stream = stream;
  lines[nlines].json = json;
  lines[nlines].at = used;
  lines[nlines].n = n;
  used += n;
  nlines++;
}

int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

void out_flush(void) {
  static char a[HS_MAX_OUTPUT * 2], c[HS_MAX_OUTPUT * 2], d[HS_MAX_OUTPUT * 2];
  static char folded[sizeof store];
  size_t left = HS_MAX_OUTPUT;
  for (int i = 0; i < nlines; i++) {
    str text = {store + lines[i].at, lines[i].n};
    sbuf cut;
    sb_init(&cut, a, sizeof a);
    if (lines[i].json) {
      sb_str(&cut, text);
    } else {
      sbuf one;
      sb_init(&one, folded, sizeof folded);
      one_line(text, &one);
      cut_bytes(sb_as_str(&one), HS_MAX_FIRST_LINE, &cut);
    }
    str t = sb_as_str(&cut);
    if (t.n + 1 > left) {
      if (lines[i].json || left < 16) continue;
      sbuf again;
      sb_init(&again, c, sizeof c);
      cut_bytes(t, left - 1, &again);
      t = sb_as_str(&again);
    }
    sbuf w;
    sb_init(&w, d, sizeof d);
    sb_wellformed(&w, t);
    sb_ch(&w, '\n');
    /* A closed stdout or stderr changes nothing: the exit code still tells. */
    (void)write_all(lines[i].stream, w.p, w.len);
    left -= t.n + 1;
  }
  nlines = 0;
  used = 0;
}

void out_discard(void) {
  nlines = 0;
  used = 0;
}
