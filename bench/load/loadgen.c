/*
 * loadgen: the load generator for the server benchmark, a separate process so that it never
 * shares an event loop with the server it measures. Each of N threads runs probes back to
 * back: connect, send the request, read the reply to the end, close. A new connection per
 * probe, as kubelet and every exec probe make them.
 *
 *   loadgen <target> <clients> <milliseconds> <request> <expected reply prefix> [probes/s]
 *
 * The target is a Unix socket's path, or tcp:<IPv4 address>:<port>.
 *
 * With a rate, one thread paces probes evenly at that rate instead (for event-loop
 * utilisation at a steady load). Prints one JSON line:
 *   {"probes":..., "errors":..., "seconds":..., "p50_us":..., "p99_us":...}
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_un unix_address = {.sun_family = AF_UNIX};
static struct sockaddr_in tcp_address = {.sin_family = AF_INET};
static struct sockaddr *address;
static socklen_t address_length;
static const char *request, *expected;
static size_t request_length, expected_length;
static double rate;
static long long deadline_ns;

typedef struct {
  unsigned *latencies_us;
  size_t count, capacity, errors;
} Samples;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One probe: 1 when the reply starts with the expected prefix, 0 otherwise. */
static int probe(void) {
  int fd = socket(address->sa_family, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  int ok = connect(fd, address, address_length) == 0 &&
           write(fd, request, request_length) == (ssize_t)request_length;
  char reply[4096];
  size_t length = 0;
  ssize_t got;
  while (ok && (got = read(fd, reply + length, sizeof reply - length)) > 0) {
    length += got;
    if (length == sizeof reply) length = expected_length; /* keep the prefix, drop the rest */
  }
  close(fd);
  return ok && length >= expected_length && memcmp(reply, expected, expected_length) == 0;
}

static void *client(void *arg) {
  Samples *samples = arg;
  long long next = now_ns();
  while (now_ns() < deadline_ns) {
    if (rate > 0) {
      next += (long long)(1e9 / rate);
      long long wait = next - now_ns();
      if (wait > 0) {
        struct timespec ts = {wait / 1000000000LL, wait % 1000000000LL};
        nanosleep(&ts, NULL);
      }
    }
    long long started = now_ns();
    if (!probe()) {
      samples->errors++;
      continue;
    }
    if (samples->count == samples->capacity) {
      samples->capacity = samples->capacity ? samples->capacity * 2 : 4096;
      samples->latencies_us = realloc(samples->latencies_us, samples->capacity * sizeof(unsigned));
    }
    samples->latencies_us[samples->count++] = (unsigned)((now_ns() - started) / 1000);
  }
  return NULL;
}

static int by_value(const void *a, const void *b) {
  unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: loadgen socket|tcp:address:port clients milliseconds request expected [rate]\n");
    return 2;
  }
  if (strncmp(argv[1], "tcp:", 4) == 0) {
    char host[64];
    int port;
    if (sscanf(argv[1] + 4, "%63[^:]:%d", host, &port) != 2 || inet_pton(AF_INET, host, &tcp_address.sin_addr) != 1) {
      fprintf(stderr, "loadgen: bad TCP target %s\n", argv[1]);
      return 2;
    }
    tcp_address.sin_port = htons((unsigned short)port);
    address = (struct sockaddr *)&tcp_address;
    address_length = sizeof tcp_address;
  } else {
    if (strlen(argv[1]) >= sizeof unix_address.sun_path) {
      fprintf(stderr, "loadgen: socket path too long: %s\n", argv[1]);
      return 2;
    }
    strcpy(unix_address.sun_path, argv[1]);
    address = (struct sockaddr *)&unix_address;
    address_length = sizeof unix_address;
  }
  int clients = atoi(argv[2]);
  long long duration_ns = atoll(argv[3]) * 1000000LL;
  request = argv[4];
  request_length = strlen(request);
  expected = argv[5];
  expected_length = strlen(expected);
  rate = argc > 6 ? atof(argv[6]) : 0;
  if (rate > 0) clients = 1;

  pthread_t threads[clients];
  Samples samples[clients];
  memset(samples, 0, sizeof samples);
  long long started = now_ns();
  deadline_ns = started + duration_ns;
  for (int i = 0; i < clients; i++) pthread_create(&threads[i], NULL, client, &samples[i]);
  size_t total = 0, errors = 0;
  for (int i = 0; i < clients; i++) {
    pthread_join(threads[i], NULL);
    total += samples[i].count;
    errors += samples[i].errors;
  }
  double seconds = (now_ns() - started) / 1e9;

  unsigned *all = malloc((total ? total : 1) * sizeof(unsigned));
  size_t at = 0;
  for (int i = 0; i < clients; i++) {
    memcpy(all + at, samples[i].latencies_us, samples[i].count * sizeof(unsigned));
    at += samples[i].count;
  }
  qsort(all, total, sizeof(unsigned), by_value);
  unsigned p50 = total ? all[(total - 1) / 2] : 0, p99 = total ? all[(size_t)((total - 1) * 0.99)] : 0;
  printf("{\"probes\":%zu,\"errors\":%zu,\"seconds\":%.3f,\"p50_us\":%u,\"p99_us\":%u}\n", total, errors, seconds, p50,
         p99);
  return 0;
}
