/*
 * The physical floor of a probe: connect to the socket, send `liveness\n`, read the reply
 * to the end, exit 0 unless the reply is missing or says unhealthy.
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2 || strlen(argv[1]) >= sizeof(((struct sockaddr_un *)0)->sun_path)) return 1;
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  strcpy(address.sun_path, argv[1]);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) return 1;
  if (write(fd, "liveness\n", 9) != 9) return 1;
  char reply[65536];
  size_t length = 0;
  ssize_t got;
  while (length < sizeof reply - 1 && (got = read(fd, reply + length, sizeof reply - 1 - length)) > 0) length += got;
  reply[length] = '\0';
  return length > 0 && strstr(reply, "\"status\":\"unhealthy\"") == NULL ? 0 : 1;
}
