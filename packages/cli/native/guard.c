/* The deadline over calls that cannot be polled: see guard.h. */
#include "guard.h"

#include <signal.h>
#include <string.h>
#include <sys/time.h>

#include "net.h"

sigjmp_buf hs_guard;

static void on_alarm(int sig) {
  (void)sig;
  siglongjmp(hs_guard, 1);
}

void guard_arm(double deadline) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  double left = deadline - now_ms();
  if (left < 1) left = 1;
  struct itimerval t = {{0, 0}, {(long)(left / 1000), (long)((left - (double)(long)(left / 1000) * 1000) * 1000)}};
  setitimer(ITIMER_REAL, &t, NULL);
}

void guard_disarm(void) {
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
}
