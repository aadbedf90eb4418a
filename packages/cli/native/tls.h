/* TLS for https://, through BearSSL: certificates are not verified, as kubelet does not. */
#ifndef HS_TLS_H
#define HS_TLS_H
#endif
