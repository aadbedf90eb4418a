/* libFuzzer: an HTTP response as a server sends it, read by the probe over a real socket pair
 * (status line, headers, chunked or sized body, the 10 KiB cap), then judged. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../net.h"
#include "../probe.h"
#include "../text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 100000) return 0;
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) != 0) abort();
  /* The whole response is written first: a socket pair holds far more than 100 KB. */
  size_t off = 0;
  while (off < size) {
    ssize_t w = write(sv[1], data + off, size - off);
    if (w <= 0) break;
    off += (size_t)w;
  }
  /* Half-closed: the request still has somewhere to go, the response has an end. */
  shutdown(sv[1], SHUT_WR);
  static url u;
  static response res;
  static reply r;
  if (url_parse(&u, STR("http://127.0.0.1:8080/livez?format=json"), NULL) != 0) abort();
  request rq = {.probe = PROBE_LIVENESS, .deadline = now_ms() + 1000, .timeout_ms = 1000, .detail = true};
  if (http_exchange(sv[0], false, &u, STR("http://127.0.0.1:8080/livez"), &rq, &res) == 0) {
    if (res.body_len > MAX_BODY) abort();
    http_interpret(&res, STR("HTTP 200 OK"), &rq, 1.0, &r);
  }
  close(sv[0]);
  close(sv[1]);
  return 0;
}
