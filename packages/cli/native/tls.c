/* TLS for https://: see tls.h. One connection per process, in static buffers. */
#include "tls.h"

#include <bearssl.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"

/* An X.509 "validator" that accepts any chain and hands on the first certificate's key. */
typedef struct {
  const br_x509_class *vtable;
  br_x509_decoder_context dc;
  int depth;
} any_cert;

static void ac_start_chain(const br_x509_class **ctx, const char *server_name) {
  (void)server_name;
  ((any_cert *)(void *)ctx)->depth = 0;
}
static void ac_start_cert(const br_x509_class **ctx, uint32_t length) {
  (void)length;
  any_cert *a = (any_cert *)(void *)ctx;
  if (a->depth == 0) br_x509_decoder_init(&a->dc, NULL, NULL);
}
static void ac_append(const br_x509_class **ctx, const unsigned char *buf, size_t len) {
  any_cert *a = (any_cert *)(void *)ctx;
  if (a->depth == 0) br_x509_decoder_push(&a->dc, buf, len);
}
static void ac_end_cert(const br_x509_class **ctx) { ((any_cert *)(void *)ctx)->depth++; }
static unsigned ac_end_chain(const br_x509_class **ctx) {
  any_cert *a = (any_cert *)(void *)ctx;
  return br_x509_decoder_get_pkey(&a->dc) ? 0 : BR_ERR_X509_NOT_TRUSTED;
}
static const br_x509_pkey *ac_get_pkey(const br_x509_class *const *ctx, unsigned *usages) {
  any_cert *a = (any_cert *)(void *)ctx;
  if (usages) *usages = BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN;
  return br_x509_decoder_get_pkey(&a->dc);
}
static const br_x509_class any_cert_vtable = {sizeof(any_cert), ac_start_chain, ac_start_cert, ac_append,
                                              ac_end_cert,      ac_end_chain,   ac_get_pkey};

static br_ssl_client_context cc;
static br_x509_minimal_context xm;
static any_cert ac;
static unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
static int sock;

void tls_start(int fd, const char *sni) {
  sock = fd;
  br_ssl_client_init_full(&cc, &xm, NULL, 0);
  ac.vtable = &any_cert_vtable;
  br_ssl_engine_set_x509(&cc.eng, &ac.vtable);
  br_ssl_engine_set_buffer(&cc.eng, iobuf, sizeof iobuf, 1);
  br_ssl_client_reset(&cc, sni, 0);
}

/* Moves records between the engine and the socket until `want` is possible: -1 error, -2 late, 1 ready, 0 closed. */
static int pump(unsigned want, double deadline, const char **code) {
  for (;;) {
    unsigned st = br_ssl_engine_current_state(&cc.eng);
    if (st & BR_SSL_CLOSED) {
      int err = br_ssl_engine_last_error(&cc.eng);
      if (err == BR_ERR_OK) return 0;
      *code = err == BR_ERR_IO ? "ECONNRESET" : "EPROTO";
      return -1;
    }
    if (st & BR_SSL_SENDREC) {
      size_t len;
      unsigned char *buf = br_ssl_engine_sendrec_buf(&cc.eng, &len);
      ssize_t n = send(sock, buf, len, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN) {
          *code = errno_name(errno);
          return -1;
        }
        int r = wait_fd(sock, POLLOUT, deadline);
        if (r == 0) return -2;
        if (r < 0) return *code = errno_name(errno), -1;
        continue;
      }
      br_ssl_engine_sendrec_ack(&cc.eng, (size_t)n);
      continue;
    }
    if (st & want) return 1;
    if (st & BR_SSL_RECVREC) {
      size_t len;
      unsigned char *buf = br_ssl_engine_recvrec_buf(&cc.eng, &len);
      ssize_t n = read(sock, buf, len);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN) {
          *code = errno_name(errno);
          return -1;
        }
        int r = wait_fd(sock, POLLIN, deadline);
        if (r == 0) return -2;
        if (r < 0) return *code = errno_name(errno), -1;
        continue;
      }
      if (n == 0) {
        /* The peer closed without close_notify: what was read still counts. */
        br_ssl_engine_close(&cc.eng);
        if (!(br_ssl_engine_current_state(&cc.eng) & BR_SSL_RECVAPP)) return 0;
        continue;
      }
      br_ssl_engine_recvrec_ack(&cc.eng, (size_t)n);
      continue;
    }
    *code = "EPROTO";
    return -1;
  }
}

int tls_write(const char *buf, size_t n, double deadline, const char **code) {
  while (n > 0) {
    int r = pump(BR_SSL_SENDAPP, deadline, code);
    if (r <= 0) {
      if (r == 0) *code = "ECONNRESET";
      return r == -2 ? -2 : -1;
    }
    size_t len;
    unsigned char *out = br_ssl_engine_sendapp_buf(&cc.eng, &len);
    if (len > n) len = n;
    memcpy(out, buf, len);
    br_ssl_engine_sendapp_ack(&cc.eng, len);
    buf += len, n -= len;
  }
  br_ssl_engine_flush(&cc.eng, 0);
  return 0;
}

long tls_read(char *buf, size_t cap, double deadline, const char **code) {
  int r = pump(BR_SSL_RECVAPP, deadline, code);
  if (r <= 0) return r;
  size_t len;
  unsigned char *in = br_ssl_engine_recvapp_buf(&cc.eng, &len);
  if (len > cap) len = cap;
  memcpy(buf, in, len);
  br_ssl_engine_recvapp_ack(&cc.eng, len);
  return (long)len;
}
