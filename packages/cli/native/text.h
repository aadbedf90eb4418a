/* Text as the Node CLI sees it: UTF-8 decoded with replacement, control runs made one space,
 * cuts at a byte budget without splitting a character, and JavaScript's number formatting. */
#ifndef HS_TEXT_H
#define HS_TEXT_H

#include <stdarg.h>
#include "hs.h"

void sb_init(sbuf *b, char *mem, size_t cap);
void sb_put(sbuf *b, const char *p, size_t n);
void sb_str(sbuf *b, str s);
void sb_cstr(sbuf *b, const char *s);
void sb_ch(sbuf *b, char c);
/* %s C string, %S str, %Q str as JSON.stringify writes it, %d int, %l long long, %N a double as
 * JavaScript prints it, %F a double as toFixed(1), %R a double as Math.round, %% */
void sb_fmt(sbuf *b, const char *fmt, ...);
void sb_vfmt(sbuf *b, const char *fmt, va_list ap);
static inline str sb_as_str(const sbuf *b) { return (str){b->p, b->len}; }

/* Rewrites `in` as Node's TextDecoder would (WHATWG UTF-8, U+FFFD for each bad sequence) into `out`. */
size_t utf8_sanitize(const char *in, size_t n, char *out, size_t cap);
/* Decodes one code point of well-formed (WTF-8) text; returns its byte length. */
size_t utf8_next(const char *p, size_t n, uint32_t *cp);
/* oneLine(): each control character run (with whitespace after it) becomes one space. */
void one_line(str in, sbuf *out);
/* cutBytes(): at most `max` bytes, ending in an ellipsis when cut. */
void cut_bytes(str in, size_t max, sbuf *out);
/* The UTF-8 byte length Node's Buffer.byteLength gives (a lone surrogate counts 3, as U+FFFD). */
size_t js_byte_length(str s);
/* Copies text for a terminal or file: lone surrogates become U+FFFD, as Node writes them. */
void sb_wellformed(sbuf *b, str s);
/* JSON.stringify of a string. */
void json_quote(sbuf *b, str s);
/* String(x), x.toFixed(1), Math.round(x) */
void js_number(sbuf *b, double x);
void js_fixed1(sbuf *b, double x);
double js_round(double x);
/* JavaScript's \s, for trim(). */
bool js_space(uint32_t cp);
str js_trim(str s);
bool str_eq(str a, const char *lit);
bool str_starts(str a, const char *lit);

#endif
