/* TLS for https:// through BearSSL: see tls.h. */
#include "tls.h"
