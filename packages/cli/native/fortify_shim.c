/* Debian builds libbearssl.a with _FORTIFY_SOURCE against glibc, so it calls the checked
 * copies glibc provides. musl has none: these give the same checks for the static build. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memset_chk(void *dst, int c, size_t n, size_t dstlen);

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen) {
  if (n > dstlen) abort();
  return memcpy(dst, src, n);
}

void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen) {
  if (n > dstlen) abort();
  return memmove(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dstlen) {
  if (n > dstlen) abort();
  return memset(dst, c, n);
}
