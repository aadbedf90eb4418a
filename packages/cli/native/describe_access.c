/* describeAccess() and kindOf(): why a path cannot be reached, for the messages after EACCES. */
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"
#include "text.h"

const char *kind_of(unsigned mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISLNK(mode)) return "a symlink";
  return "a device";
}

static void mode_of(const char *path, sbuf *b) {
  struct stat st;
  if (stat(path, &st) != 0) return;
  char m[8];
  static const char digits[] = "01234567";
  unsigned mode = st.st_mode & 07777;
  m[0] = digits[(mode >> 9) & 7], m[1] = digits[(mode >> 6) & 7], m[2] = digits[(mode >> 3) & 7],
  m[3] = digits[mode & 7], m[4] = 0;
  sb_fmt(b, " (mode %s, owner uid %l, group %l)", m, (long long)st.st_uid, (long long)st.st_gid);
}

/* path.resolve(): absolute, with "." and ".." resolved and no trailing slash. */
static size_t resolve_path(const char *path, char *out, size_t cap) {
  static char joined[PATH_MAX * 2];
  sbuf j;
  sb_init(&j, joined, sizeof joined - 1);
  if (path[0] != '/') {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) sb_cstr(&j, cwd);
    sb_ch(&j, '/');
  }
  sb_cstr(&j, path);
  joined[j.len] = 0;
  size_t o = 0;
  const char *p = joined;
  while (*p) {
    while (*p == '/') p++;
    const char *s = p;
    while (*p && *p != '/') p++;
    size_t n = (size_t)(p - s);
    if (n == 0 || (n == 1 && s[0] == '.')) continue;
    if (n == 2 && s[0] == '.' && s[1] == '.') {
      while (o > 0 && out[o - 1] != '/') o--;
      if (o > 0) o--;
      continue;
    }
    if (o + n + 2 >= cap) break;
    out[o++] = '/';
    memcpy(out + o, s, n);
    o += n;
  }
  if (o == 0) out[o++] = '/';
  out[o] = 0;
  return o;
}

void describe_access(const char *path, bool connect, sbuf *b) {
  static char full[PATH_MAX * 2], dir[PATH_MAX * 2];
  char who[32];
  sbuf w;
  sb_init(&w, who, sizeof who - 1);
  sb_fmt(&w, "uid %l", (long long)getuid());
  who[w.len] = 0;
  size_t n = resolve_path(path, full, sizeof full);
  /* Each directory from the root down to the file's own. */
  for (size_t i = 0; i < n; i++) {
    if (full[i] != '/') continue;
    size_t dn = i == 0 ? 1 : i;
    memcpy(dir, full, dn);
    dir[dn] = 0;
    if (access(dir, X_OK) != 0) {
      sb_fmt(b, "%s cannot enter the directory %s", who, dir);
      mode_of(dir, b);
      return;
    }
  }
  if (access(full, connect ? W_OK : R_OK) != 0) {
    sb_fmt(b, "%s cannot %s", who, connect ? "connect: a socket needs write permission" : "read it");
    mode_of(full, b);
    return;
  }
  sb_fmt(b, "check the mode and owner of %s and of its directories", full);
}
