/*
 * measure: runs one command once and prints what it cost, as one line:
 *
 *   <exit status> <wall µs> <user+sys CPU µs> <peak RSS KiB>
 *
 * Wall time runs from just before the spawn to the reaped exit. CPU time and peak RSS come
 * from wait4(), so they are the child's alone. The child's stdout and stderr go to /dev/null.
 * Being a few kB of C, this program adds next to nothing to what it measures (its own RSS
 * is the floor of the peak-RSS column, about 1 MiB).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static long long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: measure command [args...]\n");
    return 2;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);

  long long started = now_us();
  pid_t pid;
  if (posix_spawnp(&pid, argv[1], &actions, NULL, argv + 1, environ) != 0) {
    perror(argv[1]);
    return 2;
  }
  int status;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) != pid) {
    perror("wait4");
    return 2;
  }
  long long wall = now_us() - started;
  long long cpu = usage.ru_utime.tv_sec * 1000000LL + usage.ru_utime.tv_usec + usage.ru_stime.tv_sec * 1000000LL +
                  usage.ru_stime.tv_usec;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  printf("%d %lld %lld %ld\n", code, wall, cpu, usage.ru_maxrss);
  return 0;
}
