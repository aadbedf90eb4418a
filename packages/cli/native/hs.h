/* Shared types of the native healthsock: strings as pointer and length, a bounded text buffer,
 * the failure every module may raise, and the limits of the contract (the Node CLI's). */
#ifndef HS_H
#define HS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_VERSION "0.1.0"
#define HS_DEFAULT_SOCKET "/tmp/healthsock.sock"
#define HS_MAX_SOCKET_PATH 107
#define HS_MAX_DEADLINE_MS 3600000.0
#define HS_MAX_OUTPUT 4096
#define HS_MAX_FIRST_LINE 1000
#define HS_MAX_REPLY 2800

#ifndef HS_ARCH
#if defined(__aarch64__)
#define HS_ARCH "linux-arm64"
#elif defined(__x86_64__)
#define HS_ARCH "linux-x64"
#else
#define HS_ARCH "linux"
#endif
#endif

/* Bytes that are not NUL-terminated. */
typedef struct {
  const char *p;
  size_t n;
} str;

#define STR(lit) ((str){(lit), sizeof(lit) - 1})

/* A fixed buffer that drops what does not fit; `len` never exceeds `cap`. */
typedef struct {
  char *p;
  size_t cap;
  size_t len;
} sbuf;

enum { PROBE_LIVENESS, PROBE_READINESS, PROBE_STARTUP };
enum { ST_HEALTHY, ST_DEGRADED, ST_UNHEALTHY };
enum fail_class { F_TIMEOUT, F_REFUSED, F_NO_SOCKET, F_NO_HOST, F_NO_FILE, F_UNHEALTHY, F_BAD_REPLY, F_USAGE, F_INTERNAL };

extern const char *const hs_probe_names[3];
extern const char *const hs_status_names[3];
extern const char *const hs_class_names[9];

/* The one failure of a probe: its class, its message and, where the Node CLI has one, the cause. */
typedef struct {
  int cls;
  sbuf msg;
  sbuf cause;
  bool has_cause;
} failure;

#define HS_FAIL_MSG_MAX (1 << 20)
#define HS_FAIL_CAUSE_MAX (64 * 1024)

extern failure hs_fail;

/* Formats as sb_fmt (text.h). Sets hs_fail and returns -1, so that `return fail(...)` reads as the Node CLI's `throw`. */
int fail(int cls, const char *fmt, ...);
/* Sets the cause line of the last failure. */
void fail_cause(const char *fmt, ...);

#endif
